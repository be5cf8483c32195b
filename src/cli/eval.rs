//! `zhibiao eval POLICY --data FILE [--format table|json|csv] [--output PATH]`

use super::check::load;
use super::{DATA_ERROR, OutputFormat, output};
use crate::data::Dataset;
use crate::diagnostics::Format;
use crate::ir::Policy;
use crate::report::{self, Report};
use std::path::Path;

pub fn run(
    policy: &Path,
    data: &Path,
    format: OutputFormat,
    out: Option<&Path>,
    diag: Format,
) -> u8 {
    let loaded = match load(policy, diag) {
        Ok(l) => l,
        Err(code) => return code,
    };
    let policy = &loaded.policy;
    let report = match evaluate(policy, data, diag, "") {
        Ok(r) => r,
        Err(code) => return code,
    };
    let text = match format {
        OutputFormat::Table => report::to_table(&report, policy.precision),
        OutputFormat::Json => report.to_json(),
        OutputFormat::Csv => report::to_csv(&report, policy.precision),
    };
    output::emit(&text, out)
}

/// Reads the data for a policy and evaluates it, printing data problems
/// (each prefixed with `context`, if any) to standard error.
pub fn evaluate(policy: &Policy, data: &Path, diag: Format, context: &str) -> Result<Report, u8> {
    let dataset = match Dataset::load(policy, data) {
        Ok(d) => d,
        Err(errors) => {
            for e in &errors {
                let json = serde_json::json!({
                    "severity": "error", "file": e.file, "row": e.row, "column": e.column,
                    "unit": e.unit, "message": e.message,
                });
                report_error(diag, &format!("error: {context}{e}"), json);
            }
            let summary = format!("{context}{} problems in the data", errors.len());
            return Err(no_results(diag, &summary));
        }
    };
    let evaluation = crate::eval::evaluate(policy, &dataset);
    if !evaluation.errors.is_empty() {
        let file = data.display().to_string();
        for e in &evaluation.errors {
            let unit = dataset.units.get(e.unit).map(|u| u.id.as_str());
            let json = serde_json::json!({"severity": "error", "file": file, "unit": unit, "message": e.message});
            report_error(
                diag,
                &format!("error: {context}{file}, {}", e.message),
                json,
            );
        }
        let failed = evaluation.units.iter().filter(|u| u.is_none()).count();
        return Err(no_results(
            diag,
            &format!("{context}{failed} units could not be scored"),
        ));
    }
    for w in &dataset.warnings {
        report_error(
            diag,
            &format!("warning: {context}{w}"),
            serde_json::json!({"severity": "warning", "message": w}),
        );
    }
    Ok(Report::new(policy, &dataset, &evaluation))
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
