//! Data: reading every unit's values (CSV, JSON), typed against the policy's
//! inputs. Runs after `check` (it needs the compiled inputs) and before
//! `eval`. A bad cell is an error naming file, row, column, unit, what was
//! found and what was expected; a blank cell is kept as blank, never zero,
//! unless the input says `missing zero`.

mod cell;
pub(crate) mod csv;
mod json;
pub mod sources;

use crate::ir::{InputId, InputType, KindId, Missing, Policy, Value};
use crate::num::Num;
use std::collections::HashMap;
use std::fmt;
use std::path::Path;

/// One evaluated unit (a county, a department ...).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unit {
    pub id: String,
    pub name: String,
    pub kind: KindId,
    /// Where it was read: the line of a CSV file, the index in a JSON array (1-based).
    pub row: usize,
}

/// All units' values, one row of `inputs` values per unit.
#[derive(Debug, Clone, Default)]
pub struct Dataset {
    pub units: Vec<Unit>,
    pub inputs: usize,
    pub values: Vec<Value>,
    /// Cells that were blank and filled by a `missing zero` rule, in the
    /// order of `values`; empty when there are none.
    pub defaulted: Vec<bool>,
    pub warnings: Vec<String>,
    /// Columns that name no input and were ignored.
    pub ignored: Vec<String>,
}

impl Dataset {
    pub fn values(&self, unit: usize) -> &[Value] {
        self.values
            .get(unit * self.inputs..(unit + 1) * self.inputs)
            .unwrap_or(&[])
    }

    pub fn defaulted(&self, unit: usize) -> &[bool] {
        self.defaulted
            .get(unit * self.inputs..(unit + 1) * self.inputs)
            .unwrap_or(&[])
    }

    /// Reads a CSV or JSON file (by extension; CSV otherwise).
    pub fn load(policy: &Policy, path: &Path) -> Result<Dataset, Vec<DataError>> {
        let file = path.display().to_string();
        let bytes = std::fs::read(path)
            .map_err(|e| vec![DataError::file(&file, format!("cannot read the file: {e}"))])?;
        let is_json = path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("json"));
        if is_json {
            json::read(policy, &file, &bytes)
        } else {
            csv::read(policy, &file, &bytes)
        }
    }

    /// The periods of a CSV file with a period column (`period`, 期间, 年度),
    /// in ascending order; `None` without one.
    pub fn periods(path: &Path) -> Option<Vec<String>> {
        let bytes = std::fs::read(path).ok()?;
        csv::periods(&bytes)
    }

    /// Reads the rows of one period of a CSV file with a period column.
    pub fn load_period(
        policy: &Policy,
        path: &Path,
        period: &str,
    ) -> Result<Dataset, Vec<DataError>> {
        let file = path.display().to_string();
        let bytes = std::fs::read(path)
            .map_err(|e| vec![DataError::file(&file, format!("cannot read the file: {e}"))])?;
        csv::read_period(policy, &file, &bytes, Some(period))
    }

    /// One unit from the text of its cells (a test's `given`): `cell(input)`
    /// is the text given for that input; every input not given is blank.
    pub fn one_unit(
        policy: &Policy,
        file: &str,
        id: &str,
        kind: &str,
        cell: impl FnMut(InputId) -> Option<String>,
    ) -> Result<Dataset, Vec<DataError>> {
        let mut b = Builder::new(policy, file);
        let columns: Vec<String> = policy.inputs.iter().map(|i| i.column.clone()).collect();
        b.columns(&columns);
        b.unit(1, id, id, kind, cell);
        b.finish()
    }

    /// Reads CSV text (the file name is used in messages).
    pub fn from_csv(policy: &Policy, file: &str, bytes: &[u8]) -> Result<Dataset, Vec<DataError>> {
        csv::read(policy, file, bytes)
    }

    /// Reads JSON text (the file name is used in messages).
    pub fn from_json(policy: &Policy, file: &str, bytes: &[u8]) -> Result<Dataset, Vec<DataError>> {
        json::read(policy, file, bytes)
    }
}

/// A problem in the data, located as precisely as the file allows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataError {
    pub file: String,
    pub row: Option<usize>,
    pub column: Option<String>,
    pub unit: Option<String>,
    pub message: String,
}

impl DataError {
    pub fn file(file: &str, message: impl Into<String>) -> DataError {
        DataError {
            file: file.to_string(),
            row: None,
            column: None,
            unit: None,
            message: message.into(),
        }
    }
}

impl fmt::Display for DataError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(row) = self.row {
            write!(f, ", row {row}")?;
        }
        if let Some(column) = &self.column {
            write!(f, ", column `{column}`")?;
        }
        if let Some(unit) = &self.unit {
            write!(f, " (unit {unit})")?;
        }
        write!(f, ": {}", self.message)
    }
}

/// Builds a dataset row by row, whatever the file format: header columns
/// are matched to inputs once, then each row's cells are parsed and checked.
struct Builder<'p> {
    policy: &'p Policy,
    file: String,
    data: Dataset,
    errors: Vec<DataError>,
    seen: std::collections::HashMap<String, usize>,
    blanks_filled: usize,
    /// Inputs whose column is missing.
    absent: Vec<InputId>,
    /// Per input: the largest percent cell written without `%` (85 = 85%).
    plain_percent: Vec<Option<Num>>,
}

/// The columns every file has, with their Chinese names.
const ID: [&str; 3] = ["id", "编号", "单位编号"];
const NAME: [&str; 3] = ["name", "名称", "单位名称"];
pub(crate) const KIND: [&str; 3] = ["kind", "类型", "单位类型"];
const PERIOD: [&str; 3] = ["period", "期间", "年度"];

impl<'p> Builder<'p> {
    fn new(policy: &'p Policy, file: &str) -> Self {
        Builder {
            policy,
            file: file.to_string(),
            data: Dataset {
                inputs: policy.inputs.len(),
                ..Dataset::default()
            },
            errors: Vec::new(),
            seen: std::collections::HashMap::new(),
            blanks_filled: 0,
            absent: Vec::new(),
            plain_percent: vec![None; policy.inputs.len()],
        }
    }

    fn error(
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
    fn unit(
        &mut self,
        row: usize,
        id: &str,
        name: &str,
        kind: &str,
        mut cell: impl FnMut(usize) -> Option<String>,
    ) {
        let id = id.trim();
        if id.is_empty() {
            self.error(Some(row), Some("id"), None, "the unit has no id".into());
        }
        if let Some(first) = self.seen.insert(id.to_string(), row) {
            self.error(
                Some(row),
                Some("id"),
                Some(id),
                format!("unit id `{id}` was already used on row {first}"),
            );
        }
        let kind_id = self.kind(row, id, kind.trim());
        for (i, input) in self.policy.inputs.iter().enumerate() {
            let raw = cell(i).unwrap_or_default();
            let parsed = cell::parse(&input.ty, raw.trim());
            if let (InputType::Percent, Ok(Value::Number(n))) = (&input.ty, &parsed)
                && !raw.contains(['%', '％'])
                && let Some(max) = self.plain_percent.get_mut(i)
            {
                *max = Some(max.map_or(*n, |m| m.max(*n)));
            }
            let (value, defaulted) = match parsed {
                Ok(Value::Absent) if input.missing == Missing::Zero => {
                    (cell::zero(&input.ty), true)
                }
                Ok(v) => (v, false),
                Err(expected) => {
                    let message = format!("found `{}`, expected {expected}", raw.trim());
                    self.error(Some(row), Some(&input.column), Some(id), message);
                    (Value::Absent, false)
                }
            };
            self.blanks_filled += usize::from(defaulted);
            self.data.values.push(value);
            self.data.defaulted.push(defaulted);
        }
        self.data.units.push(Unit {
            id: id.to_string(),
            name: name.trim().to_string(),
            kind: kind_id,
            row,
        });
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
    fn columns(&mut self, headers: &[String]) {
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
            let fixed =
                ID.contains(&h) || NAME.contains(&h) || KIND.contains(&h) || PERIOD.contains(&h);
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
        let width = self.policy.inputs.len();
        let mut filled = 0;
        for (i, input) in self.policy.inputs.iter().enumerate() {
            let Missing::Mean(by_kind) = input.missing else {
                continue;
            };
            // The group of a unit: its kind, or all units.
            let group = |u: &Unit| if by_kind { u.kind } else { 0 };
            let mut known: HashMap<usize, (Num, usize)> = HashMap::new();
            let mut blanks = Vec::new();
            for (u, unit) in self.data.units.iter().enumerate() {
                match self.data.values.get(u * width + i) {
                    Some(Value::Number(n)) => {
                        let e = known.entry(group(unit)).or_default();
                        *e = (e.0 + *n, e.1 + 1);
                    }
                    Some(Value::Absent) => blanks.push((u * width + i, group(unit))),
                    _ => {}
                }
            }
            for (cell, g) in blanks {
                let Some((sum, count)) = known.get(&g).copied() else {
                    let message = if by_kind {
                        "every cell of a kind is blank, so there is no mean of the kind to fill them with"
                    } else {
                        "every cell is blank, so there is no mean to fill them with"
                    };
                    let unit = self.data.units.get(cell / width).map(|u| u.id.clone());
                    self.error(
                        None,
                        Some(&input.column),
                        unit.as_deref(),
                        message.to_string(),
                    );
                    continue;
                };
                let mean = sum / Num::from(count);
                if let (Some(v), Some(d)) = (
                    self.data.values.get_mut(cell),
                    self.data.defaulted.get_mut(cell),
                ) {
                    *v = Value::Number(mean);
                    *d = true;
                    filled += 1;
                }
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
        for &id in &self.absent {
            let wanted = self.data.units.is_empty()
                || needed.iter().any(|n| n.get(id).copied().unwrap_or(true));
            let Some(input) = self.policy.inputs.get(id).filter(|_| wanted) else {
                continue;
            };
            self.errors.push(DataError {
                file: self.file.clone(),
                row: None,
                column: Some(input.column.clone()),
                unit: None,
                message: format!(
                    "the column `{}` ({}) is missing",
                    input.column,
                    input.ty.describe()
                ),
            });
        }
    }

    fn finish(mut self) -> Result<Dataset, Vec<DataError>> {
        self.absent_columns();
        for (input, max) in self.policy.inputs.iter().zip(&self.plain_percent) {
            // Cells are fractions of a percent here, so 1 reads as 0.01.
            if max.is_some_and(|m| m <= Num::decimal(1, 2)) && self.data.units.len() > 1 {
                self.data.warnings.push(format!(
                    "{}: every value in the percent column `{}` is at most 1; percent cells are percentages (85 means 85%), so 0.85 means 0.85%. Write 85 or 85%, or declare the input as `ratio`",
                    self.file, input.name
                ));
            }
        }
        let means = self.fill_means();
        if self.blanks_filled == 0 {
            self.data.defaulted = Vec::new();
        } else {
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

fn find_column(headers: &[String], names: &[&str]) -> Option<usize> {
    headers.iter().position(|h| names.contains(&h.trim()))
}
