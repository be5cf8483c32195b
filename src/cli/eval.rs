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
    data: &[String],
    period: Option<&str>,
    format: OutputFormat,
    out: Option<&Path>,
    diag: Format,
) -> u8 {
    let loaded = match load(policy, diag) {
        Ok(l) => l,
        Err(code) => return code,
    };
    let policy = &loaded.policy;
    let periods: Vec<(Option<&str>, &Path)> = data.iter().map(|d| period_file(d)).collect();
    let last = match period {
        Some(p) => match periods.iter().position(|(label, _)| *label == Some(p)) {
            Some(i) => i,
            None => {
                let known: Vec<&str> = periods.iter().filter_map(|(l, _)| *l).collect();
                eprintln!(
                    "error: no data for period `{p}` (given: {})",
                    known.join(", ")
                );
                return super::USAGE;
            }
        },
        None => periods.len().saturating_sub(1),
    };
    // Each period is evaluated after the one before it, so that rules can
    // read the previous period.
    let mut previous: Option<(Dataset, crate::eval::Evaluation)> = None;
    let mut report = None;
    for (i, (label, file)) in periods.iter().take(last + 1).enumerate() {
        let context = label.map(|l| format!("period {l}: ")).unwrap_or_default();
        let before = previous.as_ref().map(|(d, e)| (d, e));
        let (dataset, evaluation) = match evaluate_data(policy, file, diag, &context, before) {
            Ok(done) => done,
            Err(code) => return code,
        };
        if i == last {
            let mut r = Report::new(policy, &dataset, &evaluation);
            r.period = label.map(str::to_string);
            report = Some(r);
        }
        previous = Some((dataset, evaluation));
    }
    let Some(report) = report else {
        return super::USAGE;
    };
    let text = match format {
        OutputFormat::Table => report::to_table(&report, policy.precision),
        OutputFormat::Json => report.to_json(),
        OutputFormat::Csv => report::to_csv(&report, policy.precision),
    };
    output::emit(&text, out)
}

/// `PERIOD=FILE`, or a plain file.
fn period_file(arg: &str) -> (Option<&str>, &Path) {
    match arg.split_once('=') {
        Some((label, file)) if !label.is_empty() && !Path::new(arg).exists() => {
            (Some(label), Path::new(file))
        }
        _ => (None, Path::new(arg)),
    }
}

/// Reads the data for a policy and evaluates it, printing data problems
/// (each prefixed with `context`, if any) to standard error.
pub fn evaluate(policy: &Policy, data: &Path, diag: Format, context: &str) -> Result<Report, u8> {
    let (dataset, evaluation) = evaluate_data(policy, data, diag, context, None)?;
    Ok(Report::new(policy, &dataset, &evaluation))
}

/// Reads and evaluates one period's data (after `previous`), printing data
/// problems and unit errors to standard error.
fn evaluate_data(
    policy: &Policy,
    data: &Path,
    diag: Format,
    context: &str,
    previous: Option<(&Dataset, &crate::eval::Evaluation)>,
) -> Result<(Dataset, crate::eval::Evaluation), u8> {
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
    let evaluation = crate::eval::evaluate_after(policy, &dataset, previous);
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
    Ok((dataset, evaluation))
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
