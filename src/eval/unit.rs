//! The per-unit pass: applicability top-down, scores bottom-up with the
//! not-applicable rules (`tree.rs`), then parts, vetoes, fail thresholds and
//! the grade (`verdict.rs`). An evaluator belongs to one thread and reuses its buffers
//! from unit to unit; what units share is in the [`Plan`].

use super::expr::EvalError;
use super::plan::Plan;
use super::{NodeResult, PartResult, Status, UnitError, UnitResult, VetoHit};
use crate::ir::{Compare, GradeId, Missing, NodeId, NotApplicable, PartKind, Policy, Value};
use crate::num::Num;
use crate::source::Span;

/// Evaluates units one at a time, reusing its buffers.
pub struct Evaluator<'p> {
    pub(super) plan: &'p Plan<'p>,
    /// The unit being evaluated.
    pub(super) unit: usize,
    pub(super) applicable: Vec<bool>,
    pub(super) nodes: Vec<NodeResult>,
    pub(super) lets: Vec<Option<Result<Value, EvalError>>>,
    pub(super) parts: Vec<PartResult>,
    /// Per node, a pending factor for its strict descendants, applied only
    /// when full results are asked for.
    pub(super) frames: Vec<Num>,
    pub(super) scaled: bool,
    /// Per node, once settled: the factor its result is multiplied by (the
    /// product of its ancestors' frames); only when `scaled`.
    pub(super) factors: Vec<Num>,
    /// Per node: its maximum is not its full points (something under it did
    /// not apply, or was rescaled). When no child is partial, a group's
    /// maximum is its points and need not be added up.
    pub(super) partial: Vec<bool>,
    pub(super) errors: Vec<UnitError>,
    /// Per node left out for a blank cell: the least share of its group's
    /// points that must have data (`missing reweight at_least`).
    pub(super) floors: Vec<Num>,
}

/// What a unit came to, besides its node and part results.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    pub base: Num,
    pub bonus: Num,
    pub deductions: Num,
    /// Final score, rounded at the policy's precision.
    pub score: Num,
    /// Final score before rounding (for `rank ... exact`).
    pub exact: Num,
    pub max: Num,
    pub grade: Option<GradeId>,
    pub vetoes: Vec<VetoHit>,
    /// A `not_scored` veto holds: the unit has no score, base or bonus
    /// (all zero here), no rank and the failing grade.
    pub not_scored: bool,
}

pub(super) const NA: NodeResult = NodeResult {
    score: Num::ZERO,
    max: Num::ZERO,
    status: Status::NotApplicable,
};

impl<'p> Evaluator<'p> {
    pub fn new(plan: &'p Plan<'p>) -> Self {
        let policy = plan.policy;
        let n = policy.nodes.len();
        Evaluator {
            plan,
            unit: 0,
            applicable: vec![true; n],
            nodes: vec![NA; n],
            lets: vec![None; policy.lets.len()],
            parts: policy
                .parts
                .iter()
                .map(|p| PartResult {
                    points: Num::ZERO,
                    items: vec![None; p.items.len()],
                    open: true,
                })
                .collect(),
            frames: vec![Num::ONE; n],
            scaled: false,
            factors: vec![Num::ONE; n],
            partial: vec![false; n],
            errors: Vec::new(),
            floors: vec![Num::ZERO; n],
        }
    }

    /// Scores unit `u`; its node and part results stay in the evaluator
    /// (see [`Evaluator::nodes`], [`Evaluator::parts`]) until the next unit.
    /// Every error that kept it from a score otherwise.
    pub fn evaluate(&mut self, u: usize) -> Result<Outcome, Vec<UnitError>> {
        self.unit = u;
        let outcome = self.run();
        if !self.errors.is_empty() {
            return Err(std::mem::take(&mut self.errors));
        }
        Ok(outcome)
    }

    /// Unit `u`'s scores of the nodes `refs` (before the statistics that
    /// read them are known): `None` if an error kept one of them from a
    /// score. An error elsewhere (a rule reading such a statistic, say)
    /// does not matter here.
    pub fn scores_of(&mut self, u: usize, refs: &[NodeId]) -> Option<Vec<Num>> {
        self.unit = u;
        self.run();
        let nodes = &self.plan.policy.nodes;
        let inside = |n: NodeId, r: NodeId| nodes.get(r).is_some_and(|x| (r..x.end).contains(&n));
        let errors = std::mem::take(&mut self.errors);
        if (errors.iter().filter_map(|e| e.node)).any(|n| refs.iter().any(|r| inside(n, *r))) {
            return None;
        }
        Some(refs.iter().map(|n| self.score_of(*n)).collect())
    }

    /// Every result of unit `u`, or every error that kept it from a score.
    pub fn unit(&mut self, u: usize) -> Result<UnitResult, Vec<UnitError>> {
        let outcome = self.evaluate(u)?;
        Ok(UnitResult {
            nodes: (0..self.nodes.len()).map(|id| self.node(id)).collect(),
            parts: self.parts.clone(),
            outcome,
            rank: None,
            rank_in_kind: None,
            tier: None,
        })
    }

    /// The last unit's node results (after [`Evaluator::evaluate`]), each
    /// to be multiplied by its factor (see [`Evaluator::factors`]).
    pub fn nodes(&self) -> &[NodeResult] {
        &self.nodes
    }

    /// The factor of each node's result in [`Evaluator::nodes`]; `None`
    /// when every factor is 1.
    pub fn factors(&self) -> Option<&[Num]> {
        self.scaled.then_some(&self.factors[..])
    }

    /// The factor of a node's result.
    pub(super) fn factor(&self, id: NodeId) -> Num {
        match self.factors() {
            Some(f) => f.get(id).copied().unwrap_or(Num::ONE),
            None => Num::ONE,
        }
    }

    /// The last unit's result of a node, in points of the whole policy.
    pub fn node(&self, id: NodeId) -> NodeResult {
        let r = self.nodes.get(id).copied().unwrap_or(NA);
        match self.factor(id) {
            f if f == Num::ONE => r,
            f => NodeResult {
                score: r.score * f,
                max: r.max * f,
                status: r.status,
            },
        }
    }

    /// The last unit's part results.
    pub fn parts(&self) -> &[PartResult] {
        &self.parts
    }

    /// The last unit's score of a node.
    pub fn score_of(&self, node: NodeId) -> Num {
        self.node(node).score
    }

    /// The error for a unit whose results are too large to keep at the
    /// policy's precision.
    pub fn too_large(&mut self) -> UnitError {
        self.error(None, EvalError::Overflow(Span::default()));
        self.errors.pop().unwrap_or(UnitError {
            unit: self.unit,
            node: None,
            span: None,
            message: String::new(),
        })
    }

    fn run(&mut self) -> Outcome {
        if self.plan.is_not_scored(self.unit) {
            return self.not_scored();
        }
        self.tree();
        self.settle();
        let base = self.nodes.first().map_or(Num::ZERO, |r| r.score);
        // A gate reads the base as the policy compares it.
        self.score_parts(self.as_compared(base));
        let (mut bonus, mut deductions) = (Num::ZERO, Num::ZERO);
        for (result, part) in self.parts.iter().zip(&self.plan.policy.parts) {
            match part.kind {
                PartKind::Bonus => bonus += result.points,
                PartKind::Deduction => deductions += result.points,
            }
        }
        let sum = base + bonus - deductions;
        if sum.is_too_large() && self.errors.is_empty() {
            self.error(None, EvalError::Overflow(Span::default()));
        }
        let raw = sum.max(Num::ZERO);
        let (score, exact, grade, vetoes) = self.verdict(raw);
        Outcome {
            base,
            bonus,
            deductions,
            score,
            exact,
            max: self.nodes.first().map_or(Num::ZERO, |r| r.max),
            grade,
            vetoes,
            not_scored: false,
        }
    }

    /// `x` as gates and fail lines compare it: exact, or at the policy's
    /// precision with `compare rounded`.
    pub(super) fn as_compared(&self, x: Num) -> Num {
        let policy = self.plan.policy;
        match policy.compare {
            Some(Compare::Rounded) => x.round(policy.precision, policy.rounding),
            _ => x,
        }
    }

    /// Forgets the last unit's rescaling factors.
    pub(super) fn reset_frames(&mut self) {
        if self.scaled {
            self.frames.iter_mut().for_each(|f| *f = Num::ONE);
            self.scaled = false;
        }
    }

    /// Records why unit `u` cannot be scored, located like a data error:
    /// `row R, column `C` (unit U): ...` (the caller names the file).
    pub(super) fn error(&mut self, node: Option<NodeId>, e: EvalError) {
        let (u, policy) = (self.unit, self.plan.policy);
        let (unit, row) = self
            .plan
            .data
            .units
            .get(u)
            .map_or(("?", 0), |x| (x.id, x.row));
        let place = node
            .and_then(|n| policy.nodes.get(n))
            .map(|n| format!(" in `{}`", n.path))
            .unwrap_or_default();
        let message = match e {
            EvalError::Missing(i) => {
                let input = policy.inputs.get(i).map_or("?", |x| x.name.as_str());
                format!(
                    "row {row}, column `{input}` (unit {unit}): the cell is blank but is needed{place}; fill it in, or state `missing zero` for `{input}` in the policy"
                )
            }
            EvalError::DivisionByZero(_) => {
                format!("row {row} (unit {unit}): division by zero{place}")
            }
            EvalError::NoBand(_) => {
                format!("row {row} (unit {unit}): the value falls in no band or arm{place}")
            }
            EvalError::Overflow(_) => format!(
                "row {row} (unit {unit}): a number grew too large to hold exactly{place} (a numerator or denominator past 10^38 in lowest terms)"
            ),
            EvalError::TooLittleData(_) => format!(
                "row {row} (unit {unit}): too few items{place} have data: `missing reweight at_least` asks for a larger share of its points"
            ),
            EvalError::ZeroInMean(_) => format!(
                "row {row} (unit {unit}): the geometric mean{place} meets a rate of zero; give its items a floor or leave them out when they do not apply"
            ),
            EvalError::NoPrevious(_) => format!(
                "row {row} (unit {unit}): the unit has no previous period{place}; state what happens then with `when has_previous()`"
            ),
            EvalError::OutOfDomain(_) => format!(
                "row {row} (unit {unit}): a function meets a number it is not defined for{place} (`ln` and `log10` of a number ≤ 0, `sqrt` of a negative number, a result too large)"
            ),
            EvalError::Script(_, f, why) => {
                let scripts = policy.scripts.as_deref();
                let name = scripts
                    .and_then(|s| s.functions.get(f))
                    .map_or("?", |f| &f.name);
                format!(
                    "row {row} (unit {unit}): the script function `{name}`{place} {}",
                    why.describe()
                )
            }
            EvalError::NoNodeScore(_) => format!(
                "row {row} (unit {unit}): the score of the node `node_score` reads is not known{place} (the node could not be scored)"
            ),
            EvalError::FewInGroup(_) => format!(
                "row {row} (unit {unit}): its peer group has fewer units with a value than the statistic counts{place}"
            ),
            EvalError::EmptyGroup(_) => {
                format!(
                    "row {row} (unit {unit}): no unit of its peer group has a value for the statistic{place}"
                )
            }
        };
        self.errors.push(UnitError {
            unit: u,
            node,
            span: e.span(),
            message,
        });
    }
}

/// Where a not-applicable node's points go, seen from the node itself.
/// The result of an item whose rule could not be evaluated: left out (its
/// points to its siblings) when it read a blank of a `missing reweight`
/// input, else an error for the unit.
pub(super) fn failed(
    policy: &Policy,
    failures: &mut Vec<(NodeId, EvalError)>,
    floors: &mut [Num],
    id: NodeId,
    e: EvalError,
    points: Num,
) -> NodeResult {
    if let EvalError::Missing(i) = e
        && let Some(Missing::Reweight(floor)) = policy.inputs.get(i).map(|x| x.missing)
    {
        if let Some(f) = floors.get_mut(id) {
            *f = floor.unwrap_or(Num::ZERO);
        }
        return NodeResult {
            score: Num::ZERO,
            max: Num::ZERO,
            status: Status::Reweighted,
        };
    }
    failures.push((id, e));
    NodeResult {
        score: Num::ZERO,
        max: points,
        status: Status::Missing,
    }
}

pub(super) fn not_applicable(points: Num, rule: NotApplicable) -> NodeResult {
    match rule {
        NotApplicable::Zero => NodeResult { max: points, ..NA },
        NotApplicable::FullMarks => NodeResult {
            score: points,
            max: points,
            ..NA
        },
        _ => NA,
    }
}
