//! Several sources for the same units (self-evaluation, experts ...): one
//! file each, read with the inputs that come from that source, then joined
//! by unit id. An input from several sources is their weighted combination.
//! A unit missing from a source, a source without a file, and a value given
//! in a source its input does not come from are errors.

use super::{DataError, Dataset};
use crate::ir::{Policy, Value};
use crate::num::Num;
use std::collections::HashMap;
use std::path::Path;

/// A unit as a file has it: id, row, name.
type UnitId = (String, usize, String);

/// Reads the files of the policy's sources (`(source name, file)`).
pub fn load(policy: &Policy, files: &[(&str, &Path)]) -> Result<Dataset, Vec<DataError>> {
    let mut errors = Vec::new();
    for (name, file) in files {
        if !policy.sources.iter().any(|s| s == name) {
            errors.push(DataError::file(
                &file.display().to_string(),
                format!(
                    "`{name}` is not a source of the policy (its sources: {})",
                    policy.sources.join(", ")
                ),
            ));
        }
    }
    let mut read = Vec::new();
    // Each source's file and units (id, row, name), also of a file whose
    // cells have errors, to check the files against each other at once.
    let mut units: Vec<(String, Vec<UnitId>)> = Vec::new();
    for (s, source) in policy.sources.iter().enumerate() {
        let Some((_, file)) = files.iter().find(|(name, _)| name == source) else {
            errors.push(DataError::file(
                "",
                format!("no data for the source `{source}`: give it as `--data {source}=FILE`"),
            ));
            continue;
        };
        // The inputs of this source, read from its file.
        let mut view = policy.clone();
        let mine = |i: &crate::ir::Input| {
            i.sources.iter().any(|(x, _)| *x == s) || (i.sources.is_empty() && s == 0)
        };
        view.inputs.retain(mine);
        let shown = file.display().to_string();
        match Dataset::load(&view, file) {
            Ok(d) => {
                let ids = d
                    .units
                    .iter()
                    .map(|u| (u.id.to_string(), u.row, u.name.to_string()));
                units.push((shown.clone(), ids.collect()));
                for column in &d.ignored {
                    if let Some(other) = policy.inputs.iter().find(|i| i.column == *column) {
                        let from = other.sources.first().map_or(0, |(x, _)| *x);
                        let owner = policy.sources.get(from).map_or("?", String::as_str);
                        errors.push(DataError {
                            file: shown.clone(),
                            row: None,
                            column: Some(column.clone()),
                            unit: None,
                            message: format!("`{column}` comes from the source `{owner}`, not `{source}`: give each value in one source only"),
                        });
                    }
                }
                read.push((s, shown, d));
            }
            Err(mut e) => {
                errors.append(&mut e);
                units.extend(super::csv::unit_ids(&view, file).map(|ids| (shown, ids)));
            }
        }
    }
    // Every problem at once: the files against each other, even after
    // errors in their cells.
    errors.append(&mut across(&units));
    if errors.is_empty() && read.len() == policy.sources.len() {
        return Ok(join(policy, &read));
    }
    Err(errors)
}

/// Units in one file and not in the first (or the other way round), and
/// one id with different names in two files.
fn across(units: &[(String, Vec<UnitId>)]) -> Vec<DataError> {
    let mut errors = Vec::new();
    let Some((first_file, first)) = units.first() else {
        return errors;
    };
    let firsts: HashMap<&str, (usize, &str)> = first
        .iter()
        .map(|(id, row, name)| (id.as_str(), (*row, name.as_str())))
        .collect();
    for (file, ids) in units.iter().skip(1) {
        let mine: HashMap<&str, usize> =
            ids.iter().map(|(id, row, _)| (id.as_str(), *row)).collect();
        for (id, row, _) in first {
            if !mine.contains_key(id.as_str()) {
                let message =
                    format!("the unit is in {first_file} (row {row}) but not in this source");
                errors.push(unit_error(file, id, message));
            }
        }
        for (id, row, name) in ids {
            match firsts.get(id.as_str()) {
                None => {
                    let message = format!("row {row}: the unit is not in {first_file}");
                    errors.push(unit_error(file, id, message));
                }
                Some((first_row, first_name)) if first_name != name => {
                    let message = format!(
                        "row {row}: the unit is named `{name}` here but `{first_name}` in {first_file} (row {first_row}): is it the same unit?"
                    );
                    errors.push(unit_error(file, id, message));
                }
                Some(_) => {}
            }
        }
    }
    errors
}

/// Joins the sources' datasets by unit id, in the first source's order
/// (every unit is in every source: `across` made sure).
fn join(policy: &Policy, read: &[(usize, String, Dataset)]) -> Dataset {
    let Some((_, _, first)) = read.first() else {
        return Dataset::new(policy);
    };
    let index: Vec<HashMap<&str, usize>> = read
        .iter()
        .map(|(_, _, d)| d.units.iter().enumerate().map(|(i, u)| (u.id, i)).collect())
        .collect();
    let mut out = Dataset::new(policy);
    // For each source, the column of each of its inputs.
    let columns: Vec<HashMap<&str, usize>> = read
        .iter()
        .map(|(s, _, _)| {
            policy
                .inputs
                .iter()
                .filter(|i| {
                    i.sources.iter().any(|(x, _)| x == s) || (i.sources.is_empty() && *s == 0)
                })
                .enumerate()
                .map(|(col, i)| (i.name.as_str(), col))
                .collect()
        })
        .collect();
    let (mut values, mut filled) = (Vec::new(), Vec::new());
    for unit in first.units.iter() {
        values.clear();
        filled.clear();
        for input in &policy.inputs {
            let cell = |k: usize| -> Option<(Value, bool)> {
                let (_, _, d) = read.get(k)?;
                let row = *index.get(k)?.get(unit.id)?;
                let col = *columns.get(k)?.get(input.name.as_str())?;
                Some((d.value(row, col), d.is_defaulted(row, col)))
            };
            let source_index = |s: usize| read.iter().position(|(x, _, _)| *x == s);
            let (value, defaulted) = match input.sources.as_slice() {
                [] => cell(0).unwrap_or((Value::Absent, false)),
                [(s, _)] => source_index(*s)
                    .and_then(cell)
                    .unwrap_or((Value::Absent, false)),
                several => {
                    let mut sum = Num::ZERO;
                    let mut blank = false;
                    let mut filled = false;
                    for (s, w) in several {
                        match source_index(*s).and_then(cell) {
                            Some((Value::Number(x), d)) => {
                                sum += x * *w;
                                filled |= d;
                            }
                            _ => blank = true,
                        }
                    }
                    if blank {
                        (Value::Absent, false)
                    } else {
                        (Value::Number(sum), filled)
                    }
                }
            };
            values.push(value);
            filled.push(defaulted);
        }
        out.push(unit, &values, Some(&filled));
    }
    out.warnings = read
        .iter()
        .flat_map(|(_, _, d)| d.warnings.iter().cloned())
        .collect();
    out
}

fn unit_error(file: &str, unit: &str, message: String) -> DataError {
    DataError {
        file: file.to_string(),
        row: None,
        column: None,
        unit: Some(unit.to_string()),
        message,
    }
}
