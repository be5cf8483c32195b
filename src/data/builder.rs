//! Building a dataset row by row, whatever the file format: header columns
//! are matched to inputs once, then each row's cells are parsed and checked.

use super::reading::{Parsed, Reading};
use super::{DataError, Dataset, PERIOD, Unit, cell};
use crate::ir::{InputId, KindId, Missing, Policy, Value};
use crate::num::Num;
use std::borrow::Cow;
use std::collections::HashMap;
use std::mem::take;

pub(super) struct Builder<'p> {
    policy: &'p Policy,
    file: String,
    data: Dataset,
    errors: Vec<DataError>,
    blanks_filled: usize,
    reading: Reading<'p>,
    /// The row being read.
    parsed: Parsed,
    /// Inputs whose column is missing.
    absent: Vec<InputId>,
    /// Per input: the largest percent cell written without `%` (85 = 85%).
    plain_percent: Vec<Option<Num>>,
}

impl<'p> Builder<'p> {
    pub(super) fn new(policy: &'p Policy, file: &str) -> Self {
        Builder {
            policy,
            file: file.to_string(),
            data: Dataset::new(policy),
            errors: Vec::new(),
            blanks_filled: 0,
            reading: Reading::new(policy),
            parsed: Parsed::default(),
            absent: Vec::new(),
            plain_percent: vec![None; policy.inputs.len()],
        }
    }

    pub(super) fn error(
        &mut self,
        row: Option<usize>,
        column: Option<&str>,
        unit: Option<&str>,
        message: String,
    ) {
        self.errors.push(DataError {
            file: self.file.clone(),
            row,
            column: column.map(str::to_string),
            unit: unit.map(str::to_string),
            message,
        });
    }

    /// Adds one unit. `cell(input)` gives the raw text of that input's cell
    /// (`None` when the column is absent).
    pub(super) fn unit<'c>(
        &mut self,
        row: usize,
        (id, name, kind): (&str, &str, &str),
        cell: impl Fn(usize) -> Option<Cow<'c, str>>,
    ) {
        let mut parsed = take(&mut self.parsed);
        self.reading.parse(cell, &mut parsed);
        self.add(row, (id, name, kind), &parsed);
        self.parsed = parsed;
    }

    /// Adds a unit whose cells were read (see [`Reading::parse`]).
    pub(super) fn add(
        &mut self,
        row: usize,
        (id, name, kind): (&str, &str, &str),
        parsed: &Parsed,
    ) {
        let id = cell::trim(id);
        if id.is_empty() {
            self.error(Some(row), Some("id"), None, "the unit has no id".into());
        }
        let kind_id = self.kind(row, id, cell::trim(kind));
        for (i, found, expected) in &parsed.bad {
            let column = self.policy.inputs.get(*i).map_or("", |x| x.column.as_str());
            let message = format!("found `{found}`, expected {expected}");
            self.errors.push(DataError {
                file: self.file.clone(),
                row: Some(row),
                column: Some(column.to_string()),
                unit: Some(id.to_string()),
                message,
            });
        }
        for &(i, n) in &parsed.plain {
            if let Some(max) = self.plain_percent.get_mut(i) {
                *max = Some(max.map_or(n, |m| m.max(n)));
            }
        }
        self.blanks_filled += parsed.filled.iter().filter(|f| **f).count();
        let unit = Unit {
            id,
            name: cell::trim(name),
            kind: kind_id,
            row,
        };
        self.data.push_row(unit, &parsed.row, Some(&parsed.filled));
    }

    /// Errors for ids used by more than one unit (found by sorting, so no
    /// id is copied).
    fn duplicate_ids(&mut self) {
        let units = &self.data.units;
        let id = |u: usize| units.get(u).map_or("", |x| x.id);
        let mut order: Vec<usize> = (0..units.len()).collect();
        order.sort_by(|a, b| id(*a).cmp(id(*b)).then(a.cmp(b)));
        let mut errors = Vec::new();
        let mut first: Option<Unit> = None;
        for unit in order.iter().filter_map(|u| units.get(*u)) {
            match first {
                Some(f) if f.id == unit.id && !unit.id.is_empty() => {
                    errors.push((unit.row, unit.id.to_string(), f.row));
                }
                _ => first = Some(unit),
            }
        }
        errors.sort();
        for (row, id, first) in errors {
            let message = format!("unit id `{id}` was already used on row {first}");
            self.error(Some(row), Some("id"), Some(&id), message);
        }
    }

    fn kind(&mut self, row: usize, id: &str, kind: &str) -> KindId {
        if self.policy.kinds.is_empty() {
            return 0;
        }
        match self.policy.kind_id(kind) {
            Some(k) => k,
            None => {
                let known: Vec<&str> = self.policy.kinds.iter().map(|k| k.name.as_str()).collect();
                let message = format!(
                    "unknown kind `{kind}`, expected one of {}",
                    known.join(", ")
                );
                self.error(Some(row), Some("kind"), Some(id), message);
                0
            }
        }
    }

    /// Warns about columns that name no input; errors for inputs with no column.
    pub(super) fn columns(&mut self, headers: &[String]) {
        let unit_names = super::unit_names(self.policy);
        for (i, h) in headers.iter().enumerate() {
            let h = h.trim();
            if headers.iter().take(i).any(|first| first.trim() == h) {
                self.error(
                    Some(1),
                    Some(h),
                    None,
                    format!("the column `{h}` appears twice"),
                );
            }
            let fixed = unit_names.iter().any(|names| names.contains(&h)) || PERIOD.contains(&h);
            if !fixed && self.policy.input_of_column(h).is_none() {
                self.data.ignored.push(h.to_string());
            }
        }
        match self.data.ignored.as_slice() {
            [] => {}
            [one] => self.data.warnings.push(format!(
                "{}: column `{one}` is not an input of the policy and was ignored",
                self.file
            )),
            many => self.data.warnings.push(format!(
                "{}: {} columns are not inputs of the policy and were ignored: {}",
                self.file,
                many.len(),
                many.iter()
                    .map(|c| format!("`{c}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
        }
        // A missing column is an error if a unit of the file needs it
        // (known once the units are read: see `finish`).
        self.absent = self
            .policy
            .inputs
            .iter()
            .enumerate()
            .filter(|(_, i)| {
                i.missing == Missing::Error && !headers.iter().any(|h| h.trim() == i.column)
            })
            .map(|(id, _)| id)
            .collect();
    }

    /// Fills the blank cells of `missing mean` inputs with the mean of the
    /// units that have a value; returns how many were filled.
    fn fill_means(&mut self) -> usize {
        let mut filled = 0;
        for (i, input) in self.policy.inputs.iter().enumerate() {
            let Missing::Mean(by_kind) = input.missing else {
                continue;
            };
            // The group of a unit: its kind, or all units.
            let group = |u: usize| if by_kind { self.data.kind(u) } else { 0 };
            let mut known: HashMap<usize, (Num, usize)> = HashMap::new();
            let mut blanks = Vec::new();
            for u in 0..self.data.len() {
                match self.data.value(u, i) {
                    Value::Number(n) => {
                        let e = known.entry(group(u)).or_default();
                        *e = (e.0 + n, e.1 + 1);
                    }
                    Value::Absent => blanks.push((u, group(u))),
                    _ => {}
                }
            }
            for (u, g) in blanks {
                let Some((sum, count)) = known.get(&g).copied() else {
                    let message = if by_kind {
                        "every cell of a kind is blank, so there is no mean of the kind to fill them with"
                    } else {
                        "every cell is blank, so there is no mean to fill them with"
                    };
                    let unit = self.data.units.get(u).map(|x| x.id.to_string());
                    self.error(
                        None,
                        Some(&input.column),
                        unit.as_deref(),
                        message.to_string(),
                    );
                    continue;
                };
                self.data.fill(u, i, Value::Number(sum / Num::from(count)));
                filled += 1;
            }
        }
        self.blanks_filled += filled;
        filled
    }

    /// Errors for the missing columns that a unit of the file needs.
    fn absent_columns(&mut self) {
        let mut kinds: Vec<KindId> = self.data.units.iter().map(|u| u.kind).collect();
        kinds.sort_unstable();
        kinds.dedup();
        let needed: Vec<Vec<bool>> = kinds
            .iter()
            .map(|k| self.policy.inputs_needed(Some(*k)))
            .collect();
        for id in std::mem::take(&mut self.absent) {
            let wanted = self.data.units.is_empty()
                || needed.iter().any(|n| n.get(id).copied().unwrap_or(true));
            let policy = self.policy;
            let Some(input) = policy.inputs.get(id).filter(|_| wanted) else {
                continue;
            };
            let message = format!(
                "the column `{}` ({}) is missing",
                input.column,
                input.ty.describe()
            );
            self.error(None, Some(&input.column), None, message);
        }
    }

    pub(super) fn finish(mut self) -> Result<Dataset, Vec<DataError>> {
        self.duplicate_ids();
        self.absent_columns();
        let policy = self.policy;
        let plain_percent = std::mem::take(&mut self.plain_percent);
        for (input, max) in policy.inputs.iter().zip(&plain_percent) {
            // Cells are fractions of a percent here, so 1 reads as 0.01.
            if max.is_some_and(|m| m <= Num::decimal(1, 2)) && self.data.units.len() > 1 {
                let message = format!(
                    "every value in the percent column `{}` is at most 1, as if written as fractions: percent cells are percentages (85 means 85%), so 0.85 would be 0.85%. Write 85 or 85%, or declare the input as `ratio`",
                    input.column
                );
                self.error(None, Some(&input.column), None, message);
            }
        }
        let means = self.fill_means();
        if self.blanks_filled > 0 {
            let zeros = self.blanks_filled - means;
            if zeros > 0 {
                self.data.warnings.push(format!(
                    "{}: {zeros} blank cells were counted as zero by `missing zero` rules",
                    self.file
                ));
            }
            if means > 0 {
                self.data.warnings.push(format!(
                    "{}: {means} blank cells were filled with the mean of the other units by `missing mean` rules",
                    self.file
                ));
            }
        }
        if self.errors.is_empty() {
            Ok(self.data)
        } else {
            Err(self.errors)
        }
    }
}
