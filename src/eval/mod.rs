//! Evaluation: a compiled policy over a dataset → every unit's results.
//!
//! Runs after `check` and `data`, before `report`. Phases: (1) each unit on
//! its own — applicability, item rules, the tree's sums with not-applicable
//! rules, parts, vetoes; (2) across units — grades and ranks. Rules over all
//! units (peers, later) fit between the two. The per-unit pass reuses its
//! buffers and never looks a name up.

mod aggregate;
mod expr;
mod peers;
mod period;
pub mod rank;
mod tabulate;
mod unit;

pub use expr::EvalError;
pub use unit::Evaluator;

use crate::data::Dataset;
use crate::ir::{GradeId, NodeId, Policy};
use crate::num::Num;

/// How a node came to its score.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Scored,
    NotApplicable,
    /// Scored from a blank cell filled by a `missing zero` or `missing mean` rule.
    Missing,
    /// Left out for a blank cell (`missing reweight`): its points went to
    /// its siblings.
    Reweighted,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NodeResult {
    pub score: Num,
    pub max: Num,
    pub status: Status,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartResult {
    /// Points added (bonus) or taken (deduction), after the cap.
    pub points: Num,
    /// Each item's points before the part's cap; `None` if not applicable.
    pub items: Vec<Option<Num>>,
    /// False when a bonus gate kept the part shut.
    pub open: bool,
}

/// Why a unit failed or was capped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VetoHit {
    /// A veto (index into `Policy::vetoes`) whose condition held.
    Veto(usize),
    /// A node whose score fell below its `fail_below` threshold.
    FailBelow(NodeId),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitResult {
    pub nodes: Vec<NodeResult>,
    pub parts: Vec<PartResult>,
    pub base: Num,
    pub bonus: Num,
    pub deductions: Num,
    /// Final score, rounded at the policy's precision.
    pub score: Num,
    /// Final score before rounding (for `rank ... exact`).
    pub exact: Num,
    pub max: Num,
    pub vetoes: Vec<VetoHit>,
    pub grade: Option<GradeId>,
    pub rank: Option<usize>,
    pub rank_in_kind: Option<usize>,
    /// Index into the policy's tiers.
    pub tier: Option<usize>,
}

/// A unit that could not be scored, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitError {
    pub unit: usize,
    pub node: Option<NodeId>,
    pub message: String,
}

#[derive(Debug, Clone)]
pub struct Evaluation {
    /// One per unit of the dataset, in its order; `None` for a unit with errors.
    pub units: Vec<Option<UnitResult>>,
    pub errors: Vec<UnitError>,
}

/// Where the arms of `match` and the bands of `bands` that `e` takes for
/// unit `u` of `data` are written (see `explain` and test coverage). Peer
/// statistics and the previous period are not available here: a branch
/// that depends on them is not followed.
pub fn branches(
    policy: &Policy,
    data: &Dataset,
    u: usize,
    base: Num,
    e: &crate::ir::Expr,
) -> Vec<crate::source::Span> {
    let mut lets = vec![None; policy.lets.len()];
    let mut env = expr::Env::plain(policy, data.values(u), data.defaulted(u), &mut lets);
    env.base = base;
    let mut out = Vec::new();
    env.branches(e, &mut out);
    out
}

/// Evaluates every unit, then grades and ranks them.
pub fn evaluate(policy: &Policy, data: &Dataset) -> Evaluation {
    evaluate_after(policy, data, None)
}

/// [`evaluate`], with `previous` (last period's data and its evaluation by
/// the same policy) for the rules that read the previous period.
pub fn evaluate_after(
    policy: &Policy,
    data: &Dataset,
    previous: Option<(&Dataset, &Evaluation)>,
) -> Evaluation {
    let mut evaluator = Evaluator::new(policy);
    evaluator.prepare(data);
    if let Some((before, results)) = previous {
        evaluator.follow(data, before, results);
    }
    let mut units = Vec::with_capacity(data.units.len());
    let mut errors = Vec::new();
    for u in 0..data.units.len() {
        match evaluator.unit(data, u) {
            Ok(result) => units.push(Some(result)),
            Err(mut e) => {
                errors.append(&mut e);
                units.push(None);
            }
        }
    }
    rank::rank(policy, data, &mut units);
    Evaluation { units, errors }
}
