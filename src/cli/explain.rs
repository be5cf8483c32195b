//! `zhibiao explain POLICY --data FILE... [--period P] --unit ID [--format text|json]`

use super::check::load;
use super::eval::Checker;
use super::{DATA_ERROR, USAGE, output};
use crate::diagnostics::{Format, closest};
use crate::report::explain;
use std::path::Path;

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExplainFormat {
    Text,
    Json,
}

pub fn run(
    policy: &Path,
    data: &[String],
    period: Option<&str>,
    unit: &str,
    format: ExplainFormat,
    diag: Format,
) -> u8 {
    let loaded = match load(policy, diag) {
        Ok(l) => l,
        Err(code) => return code,
    };
    let policy = &loaded.policy;
    let checker = Checker {
        policy,
        sources: &loaded.sources,
        diag,
        strict: false,
        scores_only: false,
        context: "",
    };
    let run = match checker.score_data(data, period) {
        Ok(run) => run,
        Err(code) => return code,
    };
    let (_, dataset, evaluation) = &run.current;
    let Some(u) = dataset.units.iter().position(|x| x.id == unit) else {
        let hint = closest(unit, dataset.units.iter().map(|x| x.id))
            .map(|c| format!("; did you mean `{c}`?"))
            .unwrap_or_default();
        eprintln!("error: no unit `{unit}` in {}{hint}", data.join(", "));
        return USAGE;
    };
    let plan = crate::eval::plan(policy, dataset, run.before());
    let Some(result) = crate::eval::detail(&plan, evaluation, u) else {
        for e in evaluation.errors.iter().filter(|e| e.unit == u) {
            eprintln!("error: {}", e.message);
        }
        return DATA_ERROR;
    };
    let why = explain::explain(policy, &loaded.sources, &plan, u, &result);
    let text = match format {
        ExplainFormat::Text => explain::text(&why, policy.precision),
        ExplainFormat::Json => serde_json::to_string_pretty(&why).unwrap_or_default() + "\n",
    };
    output::emit(&text, None)
}
