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
    let files: Vec<(Option<&str>, &Path)> = data.iter().map(|d| period_file(d)).collect();
    if !policy.sources.is_empty() {
        return sources(policy, &files, format, out, diag);
    }
    // One file with a period column holds every period.
    let by_column = match files.as_slice() {
        [(None, file)] => Dataset::periods(file).filter(|p| !p.is_empty()),
        _ => None,
    };
    let periods: Vec<(Option<&str>, &Path)> = match (&by_column, files.first()) {
        (Some(labels), Some((_, file))) => {
            labels.iter().map(|l| (Some(l.as_str()), *file)).collect()
        }
        _ => files,
    };
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
        let loaded = match (&by_column, label) {
            (Some(_), Some(l)) => Dataset::load_period(policy, file, l),
            _ => Dataset::load(policy, file),
        };
        let shown = file.display().to_string();
        let (dataset, evaluation) =
            match evaluate_data(policy, loaded, &shown, diag, &context, before) {
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
    output::emit(&render(&report, policy, format), out)
}

fn render(report: &Report, policy: &Policy, format: OutputFormat) -> String {
    match format {
        OutputFormat::Table => report::to_table(report, policy.precision),
        OutputFormat::Json => report.to_json(),
        OutputFormat::Csv => report::to_csv(report, policy.precision),
    }
}

/// A policy whose data comes from several sources: `--data SOURCE=FILE` each.
fn sources(
    policy: &Policy,
    files: &[(Option<&str>, &Path)],
    format: OutputFormat,
    out: Option<&Path>,
    diag: Format,
) -> u8 {
    let mut named = Vec::new();
    for (label, file) in files {
        match label {
            Some(l) => named.push((*l, *file)),
            None => {
                let list = policy.sources.join(", ");
                eprintln!(
                    "error: the policy reads several sources ({list}): give each as --data SOURCE=FILE, not `{}`",
                    file.display()
                );
                return super::USAGE;
            }
        }
    }
    let loaded = crate::data::sources::load(policy, &named);
    let shown = named
        .iter()
        .map(|(_, f)| f.display().to_string())
        .collect::<Vec<_>>()
        .join(" + ");
    let (dataset, evaluation) = match evaluate_data(policy, loaded, &shown, diag, "", None) {
        Ok(done) => done,
        Err(code) => return code,
    };
    let report = Report::new(policy, &dataset, &evaluation);
    output::emit(&render(&report, policy, format), out)
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
    let loaded = Dataset::load(policy, data);
    let shown = data.display().to_string();
    let (dataset, evaluation) = evaluate_data(policy, loaded, &shown, diag, context, None)?;
    Ok(Report::new(policy, &dataset, &evaluation))
}

/// Reads and evaluates one period's data (after `previous`), printing data
/// problems and unit errors to standard error.
fn evaluate_data(
    policy: &Policy,
    loaded: Result<Dataset, Vec<crate::data::DataError>>,
    shown: &str,
    diag: Format,
    context: &str,
    previous: Option<(&Dataset, &crate::eval::Evaluation)>,
) -> Result<(Dataset, crate::eval::Evaluation), u8> {
    let dataset = match loaded {
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
        let file = shown;
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
