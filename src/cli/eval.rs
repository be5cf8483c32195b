//! `zhibiao eval POLICY --data FILE [--format table|json|csv] [--output PATH] [--jobs N]`

use super::check::load;
use super::progress::Progress;
use super::{DATA_ERROR, OutputFormat, output};
use crate::data::{DataError, Dataset};
use crate::diagnostics::Format;
use crate::eval::{self, Evaluation, Options};
use crate::ir::Policy;
use crate::report::{self, Results};
use crate::source::Sources;
use std::path::Path;

/// What `eval` was asked for.
pub struct Request<'a> {
    pub policy: &'a Path,
    pub data: &'a [String],
    pub period: Option<&'a str>,
    pub format: OutputFormat,
    pub output: Option<&'a Path>,
    /// Threads to score units with; 0: one per core.
    pub jobs: usize,
}

/// A loaded period: its label, data and evaluation.
pub(super) type Scored = (Option<String>, Dataset, Evaluation);

/// The period reported, and the one before it (read or scored), if any.
pub(super) struct Run {
    pub current: Scored,
    pub before: Option<Scored>,
}

impl Run {
    /// The period before, as the evaluator takes it.
    pub fn before(&self) -> Option<(&Dataset, &Evaluation)> {
        self.before.as_ref().map(|(_, d, e)| (d, e))
    }
}

pub fn run(request: &Request, diag: Format) -> u8 {
    eval::with_threads(request.jobs, || scored(request, diag))
}

fn scored(request: &Request, diag: Format) -> u8 {
    if request.format == OutputFormat::Xlsx && request.output.is_none() {
        eprintln!("error: a workbook is written to a file: give `--output FILE.xlsx`");
        return super::USAGE;
    }
    let loaded = match load(request.policy, diag) {
        Ok(l) => l,
        Err(code) => return code,
    };
    let policy = &loaded.policy;
    let checker = Checker {
        policy,
        sources: &loaded.sources,
        diag,
        strict: true,
        scores_only: matches!(request.format, OutputFormat::Csv | OutputFormat::Table),
        context: "",
    };
    let (label, data, evaluation) = match checker.score_data(request.data, request.period) {
        Ok(run) => run.current,
        Err(code) => return code,
    };
    let results = Results {
        policy,
        data: &data,
        evaluation: &evaluation,
        period: label.as_deref(),
    };
    let progress = Progress::spinner("writing");
    let code = output::emit_with(request.output, |w| match request.format {
        OutputFormat::Table => report::write_table(&results, w),
        OutputFormat::Json => report::write_json(&results, w),
        OutputFormat::Csv => report::write_csv(&results, w),
        OutputFormat::Xlsx => w.write_all(&report::workbook::workbook(&results, &loaded.sources)?),
        OutputFormat::Html => {
            let fingerprint = fingerprint(&loaded.sources, request.data);
            w.write_all(report::html::html(&results, &fingerprint)?.as_bytes())
        }
    });
    progress.finish();
    code
}

/// Reads and scores data for one policy, reporting problems on standard
/// error, each after `context` (`for OLD.zb: `).
pub(super) struct Checker<'a> {
    pub policy: &'a Policy,
    pub sources: &'a Sources,
    pub diag: Format,
    /// A unit that cannot be scored stops it (else it is left to the
    /// caller, as `explain` does for its one unit).
    pub strict: bool,
    /// The outputs read only node scores (see [`Options::scores_only`]).
    pub scores_only: bool,
    pub context: &'a str,
}

impl Checker<'_> {
    /// Reads `--data` as `eval` takes it (one file, one per period, one per
    /// source, earlier periods beside the sources) and scores it.
    pub(super) fn score_data(&self, data: &[String], period: Option<&str>) -> Result<Run, u8> {
        let files: Vec<(Option<&str>, &Path)> = data.iter().map(|d| period_file(d)).collect();
        if self.policy.sources.is_empty() {
            self.periods(&files, period)
        } else {
            self.sources(&files)
        }
    }
}

impl Checker<'_> {
    /// One file, or one per period (oldest first), or one file with a period
    /// column: each period is scored after the one before it, so rules can
    /// read the previous period; the last one (or `period`) is reported.
    fn periods(&self, files: &[(Option<&str>, &Path)], period: Option<&str>) -> Result<Run, u8> {
        let by_column = match files {
            [(None, file)] => Dataset::periods(file).filter(|p| !p.is_empty()),
            _ => None,
        };
        let periods: Vec<(Option<&str>, &Path)> = match (&by_column, files.first()) {
            (Some(labels), Some((_, file))) => {
                labels.iter().map(|l| (Some(l.as_str()), *file)).collect()
            }
            _ => files.to_vec(),
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
                    return Err(super::USAGE);
                }
            },
            None => periods.len().saturating_sub(1),
        };
        let by_column = by_column.is_some();
        let previous = self.earlier(periods.get(..last).unwrap_or_default(), by_column)?;
        let Some((label, file)) = periods.get(last) else {
            return Err(super::USAGE);
        };
        let context = label.map_or(self.context.to_string(), |l| {
            format!("{}period {l}: ", self.context)
        });
        let reading = Progress::spinner("reading");
        let loaded = match (by_column, label) {
            (true, Some(l)) => Dataset::load_period(self.policy, file, l),
            _ => Dataset::load(self.policy, file),
        };
        reading.finish();
        let shown = file.display().to_string();
        let before = previous.as_ref().map(|(_, d, e)| (d, e));
        let (data, evaluation) = self.score(loaded, &shown, &context, before)?;
        Ok(Run {
            current: (label.map(str::to_string), data, evaluation),
            before: previous,
        })
    }

    /// The periods before the one reported, oldest first, each after the
    /// one before it: scored in full where rules read last period's score
    /// or rank, else only read (the inputs `previous(x)` reads must be
    /// there, no other). The last of them, if any.
    fn earlier(
        &self,
        periods: &[(Option<&str>, &Path)],
        by_column: bool,
    ) -> Result<Option<Scored>, u8> {
        let policy = self.policy;
        let mut previous: Option<Scored> = None;
        for (label, file) in periods {
            let context = label.map_or(self.context.to_string(), |l| {
                format!("{}period {l}: ", self.context)
            });
            let period = label.filter(|_| by_column);
            let shown = file.display().to_string();
            if policy.reads_previous_results() {
                let loaded = match period {
                    Some(l) => Dataset::load_period(policy, file, l),
                    None => Dataset::load(policy, file),
                };
                let before = previous.as_ref().map(|(_, d, e)| (d, e));
                let (data, evaluation) = self.score(loaded, &shown, &context, before)?;
                previous = Some((label.map(str::to_string), data, evaluation));
                continue;
            }
            let data = match Dataset::load_previous(policy, file, period) {
                Ok(d) => d,
                Err(errors) => return Err(self.data_errors(&errors, &context)),
            };
            let evaluation = eval::not_evaluated(policy, &data);
            previous = Some((label.map(str::to_string), data, evaluation));
        }
        Ok(previous)
    }

    /// A policy whose data comes from several sources: `--data SOURCE=FILE` each.
    /// When the policy reads the previous period, files labelled with
    /// another name are earlier periods, oldest first (`--data
    /// 2023=last.csv --data 自评=self.csv --data 专家=expert.csv`): each one
    /// file of every input, as the sources combined give them.
    fn sources(&self, files: &[(Option<&str>, &Path)]) -> Result<Run, u8> {
        let periods_too = self.policy.reads_previous();
        // A file of this period: a source's, or any file when no earlier
        // period is read.
        let this_period = |l: &str| !periods_too || self.policy.sources.iter().any(|s| s == l);
        let periods: Vec<(Option<&str>, &Path)> = (files.iter())
            .filter(|(l, _)| l.is_some_and(|l| !this_period(l)))
            .copied()
            .collect();
        let previous = self.earlier(&periods, false)?;
        let mut named = Vec::new();
        for (label, file) in files {
            match label {
                Some(l) if !this_period(l) => {}
                Some(l) => named.push((*l, *file)),
                None => {
                    let list = self.policy.sources.join(", ");
                    eprintln!(
                        "error: the policy reads several sources ({list}): give each as --data SOURCE=FILE, not `{}`",
                        file.display()
                    );
                    return Err(super::USAGE);
                }
            }
        }
        let loaded = crate::data::sources::load(self.policy, &named);
        let shown = named
            .iter()
            .map(|(_, f)| f.display().to_string())
            .collect::<Vec<_>>()
            .join(" + ");
        let before = previous.as_ref().map(|(_, d, e)| (d, e));
        let (data, evaluation) = self.score(loaded, &shown, self.context, before)?;
        Ok(Run {
            current: (None, data, evaluation),
            before: previous,
        })
    }

    /// Scores loaded data (after `previous`), printing data problems and
    /// unit errors (each prefixed with `context`) to standard error.
    fn score(
        &self,
        loaded: Result<Dataset, Vec<DataError>>,
        shown: &str,
        context: &str,
        previous: Option<(&Dataset, &Evaluation)>,
    ) -> Result<(Dataset, Evaluation), u8> {
        let data = match loaded {
            Ok(d) => d,
            Err(errors) => return Err(self.data_errors(&errors, context)),
        };
        let progress = Progress::new("scoring", data.len());
        let tick = |n: usize| progress.advance(n);
        let options = Options {
            jobs: 0,
            progress: Some(&tick),
            scores_only: self.scores_only,
        };
        let evaluation = eval::evaluate_with(self.policy, &data, previous, options);
        progress.finish();
        if !evaluation.errors.is_empty() && self.strict {
            for e in &evaluation.errors {
                let unit = data.units.get(e.unit).map(|u| u.id);
                let at = e.span.map(|s| self.sources.place(s)).unwrap_or_default();
                let json = serde_json::json!({"severity": "error", "file": shown, "unit": unit,
                    "message": e.message, "policy": at});
                let place = if at.is_empty() {
                    String::new()
                } else {
                    format!(" (policy {at})")
                };
                report_error(
                    self.diag,
                    &format!("error: {context}{shown}, {}{place}", e.message),
                    json,
                );
            }
            let failed = evaluation.units.iter().filter(|u| !u.scored).count();
            return Err(no_results(
                self.diag,
                &format!("{context}{failed} units could not be scored"),
            ));
        }
        let mut data = data;
        let stray = eval::data_warnings(self.policy, &data);
        data.warnings
            .extend(stray.into_iter().map(|w| format!("{shown}: {w}")));
        for w in &data.warnings {
            report_error(
                self.diag,
                &format!("warning: {context}{w}"),
                serde_json::json!({"severity": "warning", "message": w}),
            );
        }
        self.report_treated(&data, &evaluation, shown, context);
        let left = evaluation.funding.as_ref().map_or(0, |f| f.left);
        if let (Some(f), true) = (&self.policy.funding, left > 0) {
            let message = format!(
                "{shown}: {} yuan of {} is left: every unit with a claim is at the cap",
                crate::num::Num::decimal(i128::from(left), 2).fixed(2),
                f.name
            );
            let json = serde_json::json!({"severity": "note", "message": message});
            report_error(self.diag, &format!("note: {context}{message}"), json);
        }
        Ok((data, evaluation))
    }
}

impl Checker<'_> {
    /// Prints problems in the data (each prefixed with `context`); the exit
    /// status.
    fn data_errors(&self, errors: &[DataError], context: &str) -> u8 {
        for e in errors {
            let json = serde_json::json!({
                "severity": "error", "file": e.file, "row": e.row, "column": e.column,
                "unit": e.unit, "message": e.message,
            });
            report_error(self.diag, &format!("error: {context}{e}"), json);
        }
        let summary = format!("{context}{} problems in the data", errors.len());
        no_results(self.diag, &summary);
        data_status(errors)
    }

    /// A note per group whose values `treat` changed: how, and which units.
    fn report_treated(&self, data: &Dataset, evaluation: &Evaluation, shown: &str, context: &str) {
        let mut said: Vec<(&str, &eval::treat::Treated)> = Vec::new();
        for t in &evaluation.treated {
            let Some(peer) = self.policy.peers.get(t.peer) else {
                continue;
            };
            // The same statistic written twice is treated the same way.
            let text = self.sources.slice(peer.span);
            let same = |(x, u): &(&str, &eval::treat::Treated)| {
                *x == text && u.treatment == t.treatment && u.units == t.units
            };
            if said.iter().any(same) {
                continue;
            }
            said.push((text, t));
            let at = self.sources.place(peer.span);
            let ids: Vec<&str> = (t.units.iter())
                .filter_map(|u| Some(data.units.get(*u)?.id))
                .collect();
            let more = if ids.len() > 10 { " …" } else { "" };
            let shown_ids = ids.iter().take(10).copied().collect::<Vec<_>>().join(", ");
            let message = format!(
                "{shown}: `{text}` (policy {at}) {}; values changed: {} ({shown_ids}{more})",
                t.treatment.describe(),
                ids.len()
            );
            let json = serde_json::json!({"severity": "note", "message": message,
                "policy": at, "units": ids});
            report_error(self.diag, &format!("note: {context}{message}"), json);
        }
    }
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

/// One data problem on standard error: a line of text, or a JSON object.
fn report_error(format: Format, text: &str, json: serde_json::Value) {
    match format {
        Format::Json => eprintln!("{json}"),
        Format::Human | Format::Plain | Format::Ascii => eprintln!("{text}"),
    }
}

/// Exit 4 when no data file could be read at all, else 3.
pub fn data_status(errors: &[DataError]) -> u8 {
    if errors.iter().all(DataError::is_unreadable) {
        super::IO_ERROR
    } else {
        DATA_ERROR
    }
}

fn no_results(format: Format, why: &str) -> u8 {
    if format != Format::Json {
        eprintln!("no results were written: {why}");
    }
    DATA_ERROR
}

/// A hash of the policy (every file of its chain) and of the data files, as
/// read: the report names what it was made from (SHA-256, first 16 hex digits).
pub(super) fn fingerprint(sources: &crate::source::Sources, data: &[String]) -> String {
    use sha2::{Digest, Sha256};
    let mut hash = Sha256::new();
    for (_, file) in sources.files() {
        hash.update(file.text.as_bytes());
    }
    for d in data {
        let (_, path) = period_file(d);
        hash.update(std::fs::read(path).unwrap_or_default());
    }
    hash.finalize()
        .iter()
        .take(8)
        .map(|b| format!("{b:02x}"))
        .collect()
}
