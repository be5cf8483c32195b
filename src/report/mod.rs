//! Reports: evaluation results in the shape users read them. The last
//! phase; it reads the policy, the data and the evaluation and changes none
//! of them. The renderings (CSV, JSON, the terminal table) are written
//! straight from the evaluation's compact results, units in parallel
//! (`stream.rs`); [`Report`] is the same results as a tree of values, for
//! programs and tests that look at a few units.
//!
//! Every number was rounded at the policy's precision once, when the unit
//! was scored, so all renderings show the same values.

mod csv;
pub mod explain;
pub mod html;
mod json;
pub mod published;
pub mod sensitivity;
mod stream;
mod table;
pub mod template;
pub mod workbook;

pub use csv::{write_csv, write_rows};
pub use json::write_json;
pub use table::{fixed, render as aligned, write_table};

use crate::data::Dataset;
use crate::eval::{Evaluation, Record, Status, VetoHit};
use crate::ir::{NodeId, PartKind, Policy, VetoAction};
use crate::num::Num;
use serde::{Serialize, Serializer};

/// An evaluation with what its outputs name: the policy, the units and the
/// period evaluated (when the data has several).
#[derive(Clone, Copy)]
pub struct Results<'a> {
    pub policy: &'a Policy,
    pub data: &'a Dataset,
    pub evaluation: &'a Evaluation,
    pub period: Option<&'a str>,
}

impl<'a> Results<'a> {
    /// The results of `evaluation` (of `data` by `policy`).
    pub fn new(policy: &'a Policy, data: &'a Dataset, evaluation: &'a Evaluation) -> Self {
        Results {
            policy,
            data,
            evaluation,
            period: None,
        }
    }

    /// The ranked table as text (see [`write_table`]).
    pub fn table(&self) -> String {
        text(|w| write_table(self, w))
    }

    /// The JSON document as text (see [`write_json`]).
    pub fn json(&self) -> String {
        text(|w| write_json(self, w))
    }

    /// The CSV file as text (see [`write_csv`]).
    pub fn csv(&self) -> String {
        text(|w| write_csv(self, w))
    }

    fn kind(&self, u: usize) -> &str {
        let kind = self.data.kind(u);
        self.policy.kinds.get(kind).map_or("", |k| k.name.as_str())
    }

    fn grade(&self, g: Option<usize>) -> Option<&str> {
        g.and_then(|g| self.policy.grades.get(g))
            .map(|g| g.name.as_str())
    }

    /// The name of the funding the policy shares out, if it does.
    fn funding_name(&self) -> Option<&str> {
        self.policy.funding.as_ref().map(|f| f.name.as_str())
    }

    /// Unit `u`'s funding in cents (`None` without funding, or when the
    /// unit was not scored).
    fn funding(&self, u: usize) -> Option<i64> {
        let funded = self.evaluation.funding.as_ref()?;
        funded.cents.get(u).copied().flatten()
    }

    /// Unit `u`'s funding as shown (`1053658.54`), or `-`.
    fn funding_text(&self, u: usize) -> String {
        self.funding(u)
            .map_or_else(|| "-".into(), |c| Num::decimal(i128::from(c), 2).fixed(2))
    }

    fn tier(&self, t: Option<usize>) -> Option<&str> {
        t.and_then(|t| self.policy.tiers.get(t))
            .map(|t| t.name.as_str())
    }

    /// The scored units in rank order (ties in the order of the data).
    fn by_rank(&self) -> Vec<usize> {
        let units = &self.evaluation.units;
        let mut order: Vec<usize> = (0..units.len())
            .filter(|u| self.evaluation.unit(*u).is_some())
            .collect();
        order.sort_by_key(|u| units.get(*u).and_then(|s| s.rank).unwrap_or(usize::MAX));
        order
    }
}

fn text(write: impl FnOnce(&mut Vec<u8>) -> std::io::Result<()>) -> String {
    let mut out = Vec::new();
    // Writing to memory cannot fail.
    let _ = write(&mut out);
    String::from_utf8(out).unwrap_or_default()
}

/// How outputs show a unit that a `not_scored` veto keeps from being scored.
pub const NOT_SCORED: &str = "不予评分";

/// How outputs show a node that does not apply to a unit.
pub const NOT_APPLICABLE: &str = "不适用";

/// A rounded number, written in JSON as a plain number (85.5, 0.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Points(pub Num);

impl Serialize for Points {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let exact = self.0;
        if exact.is_integer()
            && let Ok(whole) = i64::try_from(exact.numerator())
        {
            return s.serialize_i64(whole);
        }
        // Digits as they are (serde_json keeps a number's text exactly); a
        // fraction with no finite decimal (100/3) to 12 places.
        let text = match exact.to_string() {
            t if t.contains('/') => exact.fixed(12),
            t => t,
        };
        let number: serde_json::Number = text.parse().map_err(serde::ser::Error::custom)?;
        number.serialize(s)
    }
}

impl std::fmt::Display for Points {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// The results of every scored unit as a tree of values.
#[derive(Debug, Clone)]
pub struct Report {
    pub units: Vec<UnitReport>,
    pub warnings: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct UnitReport {
    pub id: String,
    pub name: String,
    pub kind: String,
    /// `None` for a unit a `not_scored` veto keeps out (it has no score,
    /// base, bonus or deductions, and no rank).
    pub score: Option<Points>,
    pub max: Points,
    pub base: Option<Points>,
    pub bonus: Option<Points>,
    pub deductions: Option<Points>,
    pub grade: Option<String>,
    pub rank: Option<usize>,
    pub rank_in_kind: Option<usize>,
    /// The tier by rank, when the policy declares tiers.
    pub tier: Option<String>,
    pub vetoes: Vec<VetoReport>,
    pub tree: NodeReport,
    pub parts: Vec<PartReport>,
}

#[derive(Debug, Clone)]
pub struct VetoReport {
    pub name: String,
    pub effect: String,
}

#[derive(Debug, Clone)]
pub struct NodeReport {
    pub name: String,
    pub code: Option<String>,
    pub score: Points,
    pub max: Points,
    pub status: Status,
    pub children: Vec<NodeReport>,
}

#[derive(Debug, Clone)]
pub struct PartReport {
    pub name: String,
    pub kind: &'static str,
    pub points: Points,
    pub open: bool,
    /// Each item's name and points (`None`: it did not apply).
    pub items: Vec<(String, Option<Points>)>,
}

impl Report {
    /// The report of the scored units of an evaluation.
    pub fn new(policy: &Policy, data: &Dataset, evaluation: &Evaluation) -> Report {
        let results = Results::new(policy, data, evaluation);
        let p = |k: i64| Points(evaluation.number(k));
        let units = (0..data.len())
            .filter_map(|u| {
                let (s, record, unit) = (
                    evaluation.unit(u)?,
                    evaluation.record(u)?,
                    data.units.get(u)?,
                );
                let scored = |k: i64| (!s.not_scored).then(|| p(k));
                Some(UnitReport {
                    id: unit.id.to_string(),
                    name: unit.name.to_string(),
                    kind: results.kind(u).to_string(),
                    score: scored(s.score),
                    max: p(s.max),
                    base: scored(s.base),
                    bonus: scored(s.bonus),
                    deductions: scored(s.deductions),
                    grade: results.grade(s.grade).map(str::to_string),
                    rank: s.rank,
                    rank_in_kind: s.rank_in_kind,
                    tier: results.tier(s.tier).map(str::to_string),
                    vetoes: record.vetoes().map(|v| veto_report(policy, v)).collect(),
                    tree: node_report(policy, evaluation, record, 0),
                    parts: part_reports(policy, evaluation, record),
                })
            })
            .collect();
        Report {
            units,
            warnings: data.warnings.clone(),
        }
    }
}

/// A veto that fired, or a threshold the unit fell below: its name and effect.
pub fn veto_report(policy: &Policy, hit: VetoHit) -> VetoReport {
    match hit {
        VetoHit::Veto(v) => {
            let veto = policy.vetoes.get(v);
            let effect = match veto.map(|v| &v.action) {
                Some(VetoAction::Points(p)) => format!("score set to {p}"),
                Some(VetoAction::MaxGrade(g)) => {
                    format!(
                        "grade at most {}",
                        policy.grades.get(*g).map_or("?", |x| x.name.as_str())
                    )
                }
                Some(VetoAction::NotScored) => "not scored".to_string(),
                _ => "fail".to_string(),
            };
            VetoReport {
                name: veto.map(|v| v.name.clone()).unwrap_or_default(),
                effect,
            }
        }
        VetoHit::FailBelow(id) => {
            let node = policy.nodes.get(id);
            let threshold = node.and_then(|n| n.fail_below).map(|l| l.to_string());
            let threshold = threshold.unwrap_or_default();
            VetoReport {
                name: policy.fail_line_name(id),
                effect: format!("fail: below the threshold {threshold}"),
            }
        }
    }
}

fn node_report(policy: &Policy, e: &Evaluation, record: Record, id: NodeId) -> NodeReport {
    let node = policy.nodes.get(id);
    let r = record.node(id);
    NodeReport {
        name: node.map(|n| n.name.clone()).unwrap_or_default(),
        code: node.and_then(|n| n.code.clone()),
        score: Points(e.number(r.score)),
        max: Points(e.number(r.max)),
        status: r.status,
        children: node
            .map_or(&[][..], |n| &n.children[..])
            .iter()
            .map(|&c| node_report(policy, e, record, c))
            .collect(),
    }
}

fn part_reports(policy: &Policy, e: &Evaluation, record: Record) -> Vec<PartReport> {
    policy
        .parts
        .iter()
        .enumerate()
        .map(|(p, part)| PartReport {
            name: part.name.clone(),
            kind: part_kind(part.kind),
            points: Points(e.number(record.part_points(p))),
            open: record.part_open(p),
            items: part
                .items
                .iter()
                .enumerate()
                .map(|(i, item)| {
                    let points = record.item(p, i).map(|k| Points(e.number(k)));
                    (item.name.clone(), points)
                })
                .collect(),
        })
        .collect()
}

fn part_kind(kind: PartKind) -> &'static str {
    match kind {
        PartKind::Bonus => "bonus",
        PartKind::Deduction => "deduction",
    }
}

/// Text made safe inside HTML and SVG (`&`, `<`, `>` and `"`).
fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
