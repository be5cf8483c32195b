//! `zhibiao explain POLICY --data FILE --unit ID [--format text|json]`

use super::check::load;
use super::{DATA_ERROR, USAGE, output};
use crate::data::Dataset;
use crate::diagnostics::{Format, closest};
use crate::report::explain;
use std::path::Path;

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExplainFormat {
    Text,
    Json,
}

pub fn run(policy: &Path, data: &Path, unit: &str, format: ExplainFormat, diag: Format) -> u8 {
    let loaded = match load(policy, diag) {
        Ok(l) => l,
        Err(code) => return code,
    };
    let policy = &loaded.policy;
    let dataset = match Dataset::load(policy, data) {
        Ok(d) => d,
        Err(errors) => {
            errors.iter().for_each(|e| eprintln!("error: {e}"));
            return super::eval::data_status(&errors);
        }
    };
    let Some(u) = dataset.units.iter().position(|x| x.id == unit) else {
        let hint = closest(unit, dataset.units.iter().map(|x| x.id))
            .map(|c| format!("; did you mean `{c}`?"))
            .unwrap_or_default();
        eprintln!("error: no unit `{unit}` in {}{hint}", data.display());
        return USAGE;
    };
    let evaluation = crate::eval::evaluate(policy, &dataset);
    let Some(result) = crate::eval::detail(policy, &dataset, &evaluation, u) else {
        for e in evaluation.errors.iter().filter(|e| e.unit == u) {
            eprintln!("error: {}, {}", data.display(), e.message);
        }
        return DATA_ERROR;
    };
    let plan = crate::eval::plan(policy, &dataset, None);
    let why = explain::explain(policy, &loaded.sources, &plan, u, &result);
    let text = match format {
        ExplainFormat::Text => explain::text(&why, policy.precision),
        ExplainFormat::Json => serde_json::to_string_pretty(&why).unwrap_or_default() + "\n",
    };
    output::emit(&text, None)
}
