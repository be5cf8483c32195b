//! `zhibiao sensitivity POLICY --data FILE... [--format table|json|csv]`

use super::check::load;
use super::eval::Checker;
use super::{POLICY_ERROR, output};
use crate::diagnostics::Format;
use crate::report::Results;
use crate::report::sensitivity as report;
use std::path::Path;

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum SensitivityFormat {
    Table,
    Json,
    Csv,
    /// The leaders' report (as `eval --format html`) with a section on the
    /// robustness of the ranks.
    Html,
}

pub struct Request<'a> {
    pub policy: &'a Path,
    pub data: &'a [String],
    pub format: SensitivityFormat,
    pub output: Option<&'a Path>,
    pub jobs: usize,
    /// `--samples` and `--seed`, over the policy's.
    pub samples: Option<usize>,
    pub seed: Option<u64>,
}

pub fn run(r: &Request, diag: Format) -> u8 {
    let mut loaded = match load(r.policy, diag) {
        Ok(l) => l,
        Err(code) => return code,
    };
    if let Some(u) = &mut loaded.policy.uncertainty {
        u.samples = r.samples.unwrap_or(u.samples);
        u.seed = r.seed.unwrap_or(u.seed);
    }
    let policy = &loaded.policy;
    if policy.uncertainty.is_none() {
        eprintln!(
            "error: {} states no uncertainty block; add one (`uncertainty {{ weights 统筹管理, 项目建设 ± 20% }}`), or write it in a policy beside this one that extends it",
            r.policy.display()
        );
        return POLICY_ERROR;
    }
    let checker = Checker {
        policy,
        sources: &loaded.sources,
        diag,
        strict: true,
        scores_only: false,
        context: "",
    };
    let run = match checker.score_data(r.data, None) {
        Ok(run) => run,
        Err(code) => return code,
    };
    let (_, dataset, evaluation) = &run.current;
    let analysis =
        match crate::sensitivity::analyse(policy, dataset, run.before(), evaluation, r.jobs) {
            Ok(a) => a,
            Err(e) => {
                eprintln!("error: {e}");
                return super::USAGE;
            }
        };
    eprintln!(
        "seed {}, {} base samples × ({} choices + 2) = {} runs",
        analysis.seed,
        analysis.samples,
        analysis.factors.len(),
        analysis.runs
    );
    let rows = report::report(policy, dataset, &analysis);
    let text = match r.format {
        SensitivityFormat::Table => report::text(&rows),
        SensitivityFormat::Json => report::json(&rows),
        SensitivityFormat::Csv => report::csv(&rows),
        SensitivityFormat::Html => {
            let results = Results {
                policy,
                data: dataset,
                evaluation,
                period: None,
            };
            let fingerprint = super::eval::fingerprint(&loaded.sources, r.data);
            let section = Some(report::section(&rows));
            match crate::report::html::with_robustness(&results, &fingerprint, section) {
                Ok(page) => page,
                Err(e) => {
                    eprintln!("error: {e}");
                    return super::IO_ERROR;
                }
            }
        }
    };
    output::emit(&text, r.output)
}
