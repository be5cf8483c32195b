//! Reports: evaluation results in the shape users read them, and their
//! renderings (a terminal table, JSON, CSV). The last phase; it reads the
//! policy, the data and the evaluation and changes none of them.
//!
//! Every number is rounded at the policy's precision here, once, so all
//! renderings show the same values.

mod csv;
pub mod explain;
pub mod published;
mod table;
pub mod template;

pub use csv::to_csv;
pub use table::{fixed, render as aligned, to_table};

use crate::data::Dataset;
use crate::eval::{Evaluation, NodeResult, Status, UnitResult, VetoHit};
use crate::ir::{NodeId, PartKind, Policy, VetoAction};
use crate::num::Num;
use serde::{Serialize, Serializer};

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
        s.serialize_f64(exact.to_string().parse().unwrap_or(0.0))
    }
}

impl std::fmt::Display for Points {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.0)
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub policy: PolicyInfo,
    /// The period evaluated, when the data has several.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub period: Option<String>,
    pub units: Vec<UnitReport>,
    pub warnings: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PolicyInfo {
    pub name: String,
    pub version: String,
    pub total: Points,
}

#[derive(Debug, Clone, Serialize)]
pub struct UnitReport {
    pub id: String,
    pub name: String,
    pub kind: String,
    pub score: Points,
    pub max: Points,
    pub base: Points,
    pub bonus: Points,
    pub deductions: Points,
    pub grade: Option<String>,
    pub rank: Option<usize>,
    pub rank_in_kind: Option<usize>,
    /// The tier by rank, when the policy declares tiers.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tier: Option<String>,
    pub vetoes: Vec<VetoReport>,
    pub tree: NodeReport,
    pub parts: Vec<PartReport>,
}

#[derive(Debug, Clone, Serialize)]
pub struct VetoReport {
    pub name: String,
    pub effect: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct NodeReport {
    pub name: String,
    pub code: Option<String>,
    /// The table's name for this level (`levels` in the header), if given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub level: Option<String>,
    pub score: Points,
    pub max: Points,
    pub status: Status,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub children: Vec<NodeReport>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PartReport {
    pub name: String,
    pub kind: &'static str,
    pub points: Points,
    pub cap: Option<Points>,
    pub open: bool,
    pub items: Vec<PartItemReport>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PartItemReport {
    pub name: String,
    pub points: Option<Points>,
    pub status: Status,
}

impl Report {
    /// Builds the report of an evaluation without unit errors (units that
    /// could not be scored are left out).
    pub fn new(policy: &Policy, data: &Dataset, evaluation: &Evaluation) -> Report {
        let r = |x: Num| Points(x.round(policy.precision, policy.rounding));
        let units = data
            .units
            .iter()
            .zip(&evaluation.units)
            .filter_map(|(unit, result)| {
                let result = result.as_ref()?;
                Some(UnitReport {
                    id: unit.id.clone(),
                    name: unit.name.clone(),
                    kind: policy
                        .kinds
                        .get(unit.kind)
                        .map(|k| k.name.clone())
                        .unwrap_or_default(),
                    score: r(result.score),
                    max: r(result.max),
                    base: r(result.base),
                    bonus: r(result.bonus),
                    deductions: r(result.deductions),
                    grade: result
                        .grade
                        .and_then(|g| policy.grades.get(g))
                        .map(|g| g.name.clone()),
                    rank: result.rank,
                    rank_in_kind: result.rank_in_kind,
                    tier: result
                        .tier
                        .and_then(|t| policy.tiers.get(t))
                        .map(|t| t.name.clone()),
                    vetoes: result
                        .vetoes
                        .iter()
                        .map(|v| veto_report(policy, *v))
                        .collect(),
                    tree: node_report(policy, result, 0, &r),
                    parts: part_reports(policy, result, &r),
                })
            })
            .collect();
        Report {
            policy: PolicyInfo {
                name: policy.name.clone(),
                version: policy.version.clone(),
                total: Points(policy.total),
            },
            period: None,
            units,
            warnings: data.warnings.clone(),
        }
    }

    pub fn to_json(&self) -> String {
        let mut out = serde_json::to_string_pretty(self).unwrap_or_default();
        out.push('\n');
        out
    }
}

fn veto_report(policy: &Policy, hit: VetoHit) -> VetoReport {
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
                _ => "fail".to_string(),
            };
            VetoReport {
                name: veto.map(|v| v.name.clone()).unwrap_or_default(),
                effect,
            }
        }
        VetoHit::FailBelow(id) => {
            let node = policy.nodes.get(id);
            let threshold = node.and_then(|n| n.fail_below).unwrap_or_default();
            VetoReport {
                name: node.map(|n| n.path.clone()).unwrap_or_default(),
                effect: format!("fail: below the threshold {threshold}"),
            }
        }
    }
}

fn node_report(
    policy: &Policy,
    result: &UnitResult,
    id: NodeId,
    r: &impl Fn(Num) -> Points,
) -> NodeReport {
    let node = policy.nodes.get(id);
    let res = result.nodes.get(id).copied().unwrap_or(NodeResult {
        score: Num::ZERO,
        max: Num::ZERO,
        status: Status::NotApplicable,
    });
    NodeReport {
        name: node.map(|n| n.name.clone()).unwrap_or_default(),
        code: node.and_then(|n| n.code.clone()),
        level: node
            .and_then(|n| n.depth.checked_sub(1))
            .and_then(|d| policy.levels.get(d))
            .cloned(),
        score: r(res.score),
        max: r(res.max),
        status: res.status,
        children: node
            .map_or(&[][..], |n| &n.children[..])
            .iter()
            .map(|&c| node_report(policy, result, c, r))
            .collect(),
    }
}

fn part_reports(
    policy: &Policy,
    result: &UnitResult,
    r: &impl Fn(Num) -> Points,
) -> Vec<PartReport> {
    policy
        .parts
        .iter()
        .zip(&result.parts)
        .map(|(part, res)| PartReport {
            name: part.name.clone(),
            kind: match part.kind {
                PartKind::Bonus => "bonus",
                PartKind::Deduction => "deduction",
            },
            points: r(res.points),
            cap: part.cap.map(Points),
            open: res.open,
            items: part
                .items
                .iter()
                .zip(&res.items)
                .map(|(item, points)| PartItemReport {
                    name: item.name.clone(),
                    points: points.map(r),
                    status: if points.is_some() {
                        Status::Scored
                    } else {
                        Status::NotApplicable
                    },
                })
                .collect(),
        })
        .collect()
}
