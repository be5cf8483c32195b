//! Reading a case's declared expectations and checking them.
//!
//! Header lines (comments at the top of a case):
//!   // expect: pass                       compiles, no warnings (and its `test` blocks pass)
//!   // expect: warning CODE...            compiles, with exactly these warnings
//!   // expect: error CODE...              does not compile; exactly these codes
//!   // expect: eval                       evaluates NAME.csv (or NAME.json) beside it
//!   // expect: data-error MESSAGE         the data is rejected with a message containing MESSAGE
//!   // expect: unit-error MESSAGE         a unit cannot be scored; message containing MESSAGE
//!   // unit ID: key=value ...             (eval) score, max, base, bonus, deductions, grade, rank, rank_in_kind, tier
//!   // node ID PATH: key=value ...        (eval) score, max, status of the node at PATH
//!   // part ID NAME: points=X open=B      (eval) a bonus or deduction part
//!   // vetoes ID: NAME, NAME              (eval) the vetoes that hit the unit, in order
//!   // warnings: N                        (eval) data warnings
//! Codes are written without the `zhibiao::` prefix. A policy with `sources`
//! reads NAME.SOURCE.csv for each source. NAME.previous.csv beside a
//! case, if present, is the previous period: evaluated first, then NAME.csv after it.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    dead_code
)]

use std::path::{Path, PathBuf};
use std::str::FromStr;
use zhibiao::data::Dataset;
use zhibiao::diagnostics::{self, Format};
use zhibiao::eval::Evaluation;
use zhibiao::num::Num;
use zhibiao::report::{NodeReport, Report, UnitReport};
use zhibiao::source::SourceFile;

pub enum Outcome {
    Pass,
    Warnings(Vec<String>),
    Errors(Vec<String>),
    Eval,
    DataError(Vec<String>),
    UnitError(Vec<String>),
}

pub struct Case {
    pub source: SourceFile,
    pub outcome: Outcome,
    pub expectations: Vec<String>,
}

/// A small deterministic generator.
pub struct Lcg(pub u64);

impl Lcg {
    pub fn next(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % n.max(1)
    }
}

/// Every file below `dir` whose extension is `ext`, sorted.
pub fn files(dir: &Path, ext: &str) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut dirs = vec![dir.to_path_buf()];
    while let Some(d) = dirs.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == ext) {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// The shipped policies (`policies/**/*.zb`, not their `.test.zb` files).
pub fn shipped_policies() -> Vec<PathBuf> {
    let mut all = files(Path::new("policies"), "zb");
    all.retain(|p| !p.to_string_lossy().ends_with(".test.zb"));
    all
}

pub fn repo_relative(path: &Path) -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    path.strip_prefix(root).unwrap_or(path).to_path_buf()
}

impl Case {
    pub fn load(path: &Path) -> Case {
        let text = std::fs::read_to_string(path).unwrap();
        // A case may start with a byte-order mark (one shows it is read).
        let header: Vec<&str> = text
            .trim_start_matches('\u{feff}')
            .lines()
            .take_while(|l| l.starts_with("//"))
            .map(|l| l.trim_start_matches("//").trim())
            .collect();
        let expect = header
            .iter()
            .find_map(|l| l.strip_prefix("expect:"))
            .unwrap_or_else(|| {
                panic!(
                    "{}: the first lines must declare `// expect: ...`",
                    path.display()
                )
            })
            .trim();
        let (word, rest) = expect.split_once(' ').unwrap_or((expect, ""));
        let list = || {
            rest.split_whitespace()
                .map(|c| format!("zhibiao::{c}"))
                .collect::<Vec<_>>()
        };
        let messages = || vec![rest.trim().to_string()];
        let outcome = match word {
            "pass" => Outcome::Pass,
            "warning" => Outcome::Warnings(list()),
            "error" => Outcome::Errors(list()),
            "eval" => Outcome::Eval,
            "data-error" => Outcome::DataError(messages()),
            "unit-error" => Outcome::UnitError(messages()),
            other => panic!("{}: unknown expectation `{other}`", path.display()),
        };
        // Other header lines are prose explaining the case.
        let expectations = header
            .iter()
            .filter(|l| {
                ["unit ", "node ", "part ", "vetoes ", "warnings:"]
                    .iter()
                    .any(|k| l.starts_with(k))
            })
            .map(|l| l.to_string())
            .collect();
        Case {
            source: SourceFile::new(repo_relative(path), text),
            outcome,
            expectations,
        }
    }

    fn compile(
        &self,
    ) -> (
        zhibiao::Compiled,
        impl Fn(&[diagnostics::Diagnostic]) -> String,
    ) {
        let compiled = zhibiao::check::compile(&self.source);
        let sources = compiled.sources.clone();
        let render = move |d: &[diagnostics::Diagnostic]| {
            diagnostics::render(&sources, d, Format::Ascii, false)
        };
        (compiled, render)
    }

    pub fn expect_compiles(&self, warnings: &[String]) -> String {
        let (compiled, render) = self.compile();
        match compiled.result {
            Ok(checked) => {
                let mut got: Vec<&str> = checked.warnings.iter().map(|d| d.code).collect();
                got.sort();
                let mut want: Vec<&str> = warnings.iter().map(String::as_str).collect();
                want.sort();
                assert_eq!(got, want, "{}: warnings", self.source.name());
                // The case's own `test` blocks pass.
                for test in &checked.tests {
                    let outcome = zhibiao::testing::run(&checked.policy, test);
                    assert!(
                        outcome.passed(),
                        "{}: test failed:\n{}",
                        self.source.name(),
                        zhibiao::testing::outcomes_text(&compiled.sources, &[outcome])
                    );
                }
                render(&checked.warnings)
            }
            Err(d) => panic!(
                "{}: expected to compile, got:\n{}",
                self.source.name(),
                render(&d)
            ),
        }
    }

    pub fn expect_errors(&self, codes: &[String]) -> String {
        let (compiled, render) = self.compile();
        match compiled.result {
            Ok(_) => panic!(
                "{}: expected errors {codes:?}, but it compiled",
                self.source.name()
            ),
            Err(diags) => {
                let mut got: Vec<&str> = diags
                    .iter()
                    .filter(|d| d.is_error())
                    .map(|d| d.code)
                    .collect();
                got.sort();
                got.dedup();
                let mut want: Vec<&str> = codes.iter().map(String::as_str).collect();
                want.sort();
                assert_eq!(
                    got,
                    want,
                    "{}: error codes\n{}",
                    self.source.name(),
                    render(&diags)
                );
                for d in &diags {
                    assert!(
                        !d.labels.is_empty(),
                        "{}: `{}` has no label",
                        self.source.name(),
                        d.code
                    );
                    assert!(
                        d.help.is_some(),
                        "{}: `{}` has no help",
                        self.source.name(),
                        d.code
                    );
                }
                render(&diags)
            }
        }
    }

    fn data(
        &self,
        path: &Path,
    ) -> (
        zhibiao::check::Checked,
        Result<Dataset, Vec<zhibiao::data::DataError>>,
    ) {
        let (compiled, render) = self.compile();
        let checked = compiled.result.unwrap_or_else(|d| {
            panic!("{}: does not compile:\n{}", self.source.name(), render(&d))
        });
        if !checked.policy.sources.is_empty() {
            let files: Vec<(String, PathBuf)> = checked
                .policy
                .sources
                .iter()
                .map(|s| {
                    (
                        s.clone(),
                        repo_relative(&path.with_extension(format!("{s}.csv"))),
                    )
                })
                .collect();
            let named: Vec<(&str, &Path)> = files
                .iter()
                .map(|(s, f)| (s.as_str(), f.as_path()))
                .collect();
            let data = zhibiao::data::sources::load(&checked.policy, &named);
            return (checked, data);
        }
        let csv = path.with_extension("csv");
        let data_path = if csv.exists() {
            csv
        } else {
            path.with_extension("json")
        };
        let shown = repo_relative(&data_path).display().to_string();
        let bytes = std::fs::read(&data_path)
            .unwrap_or_else(|_| panic!("{}: no data beside the case", self.source.name()));
        let data = if shown.ends_with(".json") {
            Dataset::from_json(&checked.policy, &shown, &bytes)
        } else {
            Dataset::from_csv(&checked.policy, &shown, &bytes)
        };
        (checked, data)
    }

    /// Evaluates the case's data, after `NAME.previous.csv` (the previous
    /// period) when there is one.
    fn evaluate(&self, path: &Path, policy: &zhibiao::ir::Policy, data: &Dataset) -> Evaluation {
        let previous = path.with_extension("previous.csv");
        if !previous.exists() {
            return zhibiao::eval::evaluate(policy, data);
        }
        let shown = repo_relative(&previous).display().to_string();
        let bytes = std::fs::read(&previous).unwrap();
        let before = Dataset::from_csv(policy, &shown, &bytes)
            .unwrap_or_else(|e| panic!("{shown}: data rejected: {e:?}"));
        let results = zhibiao::eval::evaluate(policy, &before);
        zhibiao::eval::evaluate_after(policy, data, Some((&before, &results)))
    }

    pub fn expect_data_error(&self, path: &Path, messages: &[String]) -> String {
        let (_, data) = self.data(path);
        let errors = match data {
            Ok(_) => panic!("{}: expected the data to be rejected", self.source.name()),
            Err(e) => e,
        };
        let shown: Vec<String> = errors.iter().map(ToString::to_string).collect();
        for m in messages {
            assert!(
                shown.iter().any(|s| s.contains(m.as_str())),
                "{}: no data error contains `{m}`:\n{}",
                self.source.name(),
                shown.join("\n")
            );
        }
        shown.join("\n")
    }

    pub fn expect_unit_error(&self, path: &Path, messages: &[String]) -> String {
        let (checked, data) = self.data(path);
        let data = data.unwrap_or_else(|e| panic!("{}: data rejected: {e:?}", self.source.name()));
        let evaluation = self.evaluate(path, &checked.policy, &data);
        let shown: Vec<String> = evaluation
            .errors
            .iter()
            .map(|e| e.message.clone())
            .collect();
        for m in messages {
            assert!(
                shown.iter().any(|s| s.contains(m.as_str())),
                "{}: no unit error contains `{m}`:\n{}",
                self.source.name(),
                shown.join("\n")
            );
        }
        shown.join("\n")
    }

    pub fn expect_eval(&self, path: &Path) -> String {
        let (checked, data) = self.data(path);
        let mut data =
            data.unwrap_or_else(|e| panic!("{}: data rejected: {e:?}", self.source.name()));
        let evaluation = self.evaluate(path, &checked.policy, &data);
        // As `eval` does: the warnings scoring finds join the data's.
        let found = zhibiao::eval::data_warnings(&checked.policy, &data);
        data.warnings.extend(found);
        assert!(
            evaluation.errors.is_empty(),
            "{}: unit errors {:?}",
            self.source.name(),
            evaluation.errors
        );
        let report = Report::new(&checked.policy, &data, &evaluation);
        assert!(
            !self.expectations.is_empty(),
            "{}: an eval case must state expected values",
            self.source.name()
        );
        for line in &self.expectations {
            self.check_line(&report, line);
        }
        zhibiao::report::Results::new(&checked.policy, &data, &evaluation).table()
    }

    fn check_line(&self, report: &Report, line: &str) {
        let name = self.source.name();
        let (head, values) = line
            .split_once(':')
            .unwrap_or_else(|| panic!("{name}: cannot read `{line}`"));
        let words: Vec<&str> = head.split_whitespace().collect();
        let unit = |id: &str| -> &UnitReport {
            report
                .units
                .iter()
                .find(|u| u.id == id)
                .unwrap_or_else(|| panic!("{name}: no unit `{id}`"))
        };
        match words.as_slice() {
            ["unit", id] => {
                let u = unit(id);
                // A unit a veto keeps from being scored has `none` for these.
                let shown = |p: Option<zhibiao::report::Points>| {
                    p.map_or_else(|| "none".to_string(), |p| p.0.to_string())
                };
                for (key, want) in pairs(values) {
                    let got = match key {
                        "score" => shown(u.score),
                        "max" => u.max.0.to_string(),
                        "base" => shown(u.base),
                        "bonus" => shown(u.bonus),
                        "deductions" => shown(u.deductions),
                        "grade" => u.grade.clone().unwrap_or_default(),
                        "rank" => u.rank.map(|r| r.to_string()).unwrap_or_default(),
                        "rank_in_kind" => u.rank_in_kind.map(|r| r.to_string()).unwrap_or_default(),
                        "tier" => u.tier.clone().unwrap_or_default(),
                        other => panic!("{name}: unknown key `{other}`"),
                    };
                    assert_same(&got, want, &format!("{name}: unit {id} {key}"));
                }
            }
            ["node", id, path] => {
                let node = find(&unit(id).tree, path)
                    .unwrap_or_else(|| panic!("{name}: no node `{path}`"));
                for (key, want) in pairs(values) {
                    let got = match key {
                        "score" => node.score.0.to_string(),
                        "max" => node.max.0.to_string(),
                        "status" => serde_json::to_value(node.status)
                            .unwrap()
                            .as_str()
                            .unwrap_or_default()
                            .to_string(),
                        other => panic!("{name}: unknown key `{other}`"),
                    };
                    assert_same(&got, want, &format!("{name}: node {id} {path} {key}"));
                }
            }
            ["part", id, part] => {
                let p = unit(id)
                    .parts
                    .iter()
                    .find(|p| p.name == *part)
                    .unwrap_or_else(|| panic!("{name}: no part `{part}`"));
                for (key, want) in pairs(values) {
                    let got = match key {
                        "points" => p.points.0.to_string(),
                        "open" => p.open.to_string(),
                        other => panic!("{name}: unknown key `{other}`"),
                    };
                    assert_same(&got, want, &format!("{name}: part {id} {part} {key}"));
                }
            }
            ["vetoes", id] => {
                let got: Vec<&str> = unit(id).vetoes.iter().map(|v| v.name.as_str()).collect();
                let want: Vec<&str> = values
                    .split(',')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .collect();
                assert_eq!(got, want, "{name}: vetoes of {id}");
            }
            ["warnings"] => assert_eq!(
                report.warnings.len().to_string(),
                values.trim(),
                "{name}: warnings {:?}",
                report.warnings
            ),
            _ => panic!("{name}: cannot read `{line}`"),
        }
    }
}

fn pairs(values: &str) -> impl Iterator<Item = (&str, &str)> {
    values
        .split_whitespace()
        .map(|kv| kv.split_once('=').unwrap_or((kv, "")))
}

/// Numbers compare by value (85.5 == 85.50), everything else as text.
fn assert_same(got: &str, want: &str, what: &str) {
    match (Num::from_str(got), Num::from_str(want)) {
        (Ok(g), Ok(w)) => assert_eq!(g, w, "{what}: got {got}, expected {want}"),
        _ => assert_eq!(got, want, "{what}"),
    }
}

fn find<'a>(node: &'a NodeReport, path: &str) -> Option<&'a NodeReport> {
    let mut current = node;
    for part in path.split('/') {
        current = current.children.iter().find(|c| c.name == part)?;
    }
    Some(current)
}

mod examples;
#[allow(unused_imports, reason = "not every test crate uses it")]
pub use examples::EXAMPLES;
