//! `zhibiao eval POLICY --data FILE [--format table|json|csv] [--output PATH]`

use super::check::{print_diagnostics, read};
use super::{DATA_ERROR, IO_ERROR, OK, OutputFormat, POLICY_ERROR, output};
use crate::data::Dataset;
use crate::diagnostics::Format;
use crate::report::{self, Report};
use std::path::Path;

pub fn run(
    policy: &Path,
    data: &Path,
    format: OutputFormat,
    out: Option<&Path>,
    diag: Format,
) -> u8 {
    let Some(source) = read(policy) else {
        return IO_ERROR;
    };
    let checked = match crate::check::compile(&source) {
        Ok(c) => c,
        Err(diags) => {
            print_diagnostics(&source, &diags, diag);
            return POLICY_ERROR;
        }
    };
    print_diagnostics(&source, &checked.warnings, diag);
    let policy = &checked.policy;
    let dataset = match Dataset::load(policy, data) {
        Ok(d) => d,
        Err(errors) => {
            errors.iter().for_each(|e| eprintln!("error: {e}"));
            eprintln!(
                "no results were written: {} problems in the data",
                errors.len()
            );
            return DATA_ERROR;
        }
    };
    let evaluation = crate::eval::evaluate(policy, &dataset);
    if !evaluation.errors.is_empty() {
        evaluation
            .errors
            .iter()
            .for_each(|e| eprintln!("error: {}: {}", data.display(), e.message));
        eprintln!(
            "no results were written: {} units could not be scored",
            evaluation.units.iter().filter(|u| u.is_none()).count()
        );
        return DATA_ERROR;
    }
    dataset
        .warnings
        .iter()
        .for_each(|w| eprintln!("warning: {w}"));
    let report = Report::new(policy, &dataset, &evaluation);
    let text = match format {
        OutputFormat::Table => report::to_table(&report, policy.precision),
        OutputFormat::Json => report.to_json(),
        OutputFormat::Csv => report::to_csv(&report, policy.precision),
    };
    match out {
        Some(path) => match output::write_whole(path, text.as_bytes()) {
            Ok(()) => OK,
            Err(e) => {
                eprintln!("error: cannot write {}: {e}", path.display());
                IO_ERROR
            }
        },
        None => {
            print!("{text}");
            OK
        }
    }
}
