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
            for e in &errors {
                let json = serde_json::json!({
                    "severity": "error", "file": e.file, "row": e.row, "column": e.column,
                    "unit": e.unit, "message": e.message,
                });
                report_error(diag, &format!("error: {e}"), json);
            }
            let summary = format!("{} problems in the data", errors.len());
            return no_results(diag, &summary);
        }
    };
    let evaluation = crate::eval::evaluate(policy, &dataset);
    if !evaluation.errors.is_empty() {
        let file = data.display().to_string();
        for e in &evaluation.errors {
            let unit = dataset.units.get(e.unit).map(|u| u.id.as_str());
            let json = serde_json::json!({"severity": "error", "file": file, "unit": unit, "message": e.message});
            report_error(diag, &format!("error: {file}, {}", e.message), json);
        }
        let failed = evaluation.units.iter().filter(|u| u.is_none()).count();
        return no_results(diag, &format!("{failed} units could not be scored"));
    }
    for w in &dataset.warnings {
        report_error(
            diag,
            &format!("warning: {w}"),
            serde_json::json!({"severity": "warning", "message": w}),
        );
    }
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

/// One data problem on standard error: a line of text, or a JSON object.
fn report_error(format: Format, text: &str, json: serde_json::Value) {
    match format {
        Format::Json => eprintln!("{json}"),
        Format::Human | Format::Plain => eprintln!("{text}"),
    }
}

fn no_results(format: Format, why: &str) -> u8 {
    if format != Format::Json {
        eprintln!("no results were written: {why}");
    }
    DATA_ERROR
}
