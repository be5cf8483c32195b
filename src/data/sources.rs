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
        match Dataset::load(&view, file) {
            Ok(d) => {
                let shown = file.display().to_string();
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
            Err(mut e) => errors.append(&mut e),
        }
    }
    // Every problem at once: join what could be read even after errors.
    if read.len() == policy.sources.len() {
        match join(policy, &read) {
            Ok(d) if errors.is_empty() => return Ok(d),
            Ok(_) => {}
            Err(mut e) => errors.append(&mut e),
        }
    }
    Err(errors)
}

/// Joins the sources' datasets by unit id, in the first source's order.
fn join(policy: &Policy, read: &[(usize, String, Dataset)]) -> Result<Dataset, Vec<DataError>> {
    let mut errors = Vec::new();
    let Some((_, first_file, first)) = read.first() else {
        return Ok(Dataset::new(policy));
    };
    let index: Vec<HashMap<&str, usize>> = read
        .iter()
        .map(|(_, _, d)| d.units.iter().enumerate().map(|(i, u)| (u.id, i)).collect())
        .collect();
    for ((_, file, d), ids) in read.iter().zip(&index).skip(1) {
        for u in first.units.iter() {
            if !ids.contains_key(u.id) {
                errors.push(unit_error(
                    file,
                    u.id,
                    format!(
                        "the unit is in {first_file} (row {}) but not in this source",
                        u.row
                    ),
                ));
            }
        }
        let firsts = index.first();
        for u in d.units.iter() {
            if firsts.is_some_and(|f| !f.contains_key(u.id)) {
                errors.push(unit_error(
                    file,
                    u.id,
                    format!("row {}: the unit is not in {first_file}", u.row),
                ));
            }
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
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
    Ok(out)
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
