//! The tree pass of one unit: which nodes apply (top-down), then every
//! node's score and maximum (bottom-up) with the not-applicable rules:
//! rescaling and redistribution record a pending factor on a node, applied
//! to its descendants only when the results are settled.

use super::aggregate;
use super::expr::{Env, EvalError};
use super::item;
use super::plan::env;
use super::unit::{Evaluator, NA, failed, not_applicable};
use super::{NodeResult, Status};
use crate::ir::{Aggregate, NodeId, NotApplicable, Policy};
use crate::num::{Num, Total};
use crate::source::Span;

impl<'p> Evaluator<'p> {
    pub(super) fn tree(&mut self) {
        let (plan, u) = (self.plan, self.unit);
        let policy = plan.policy;
        let kind = plan.data.kind(u);
        self.reset_frames();
        // One environment for the whole pass; errors are reported after it.
        let mut lets = std::mem::take(&mut self.lets);
        lets.iter_mut().for_each(|l| *l = None);
        let mut env = env(plan, u, &mut lets, Num::ZERO);
        let mut failures = Vec::new();
        for &id in &plan.conditional {
            let Some(node) = policy.nodes.get(id) else {
                continue;
            };
            let parent_ok = node
                .parent
                .is_none_or(|p| self.applicable.get(p).copied().unwrap_or(false));
            let mut ok = parent_ok && (policy.kinds.is_empty() || node.kinds >> kind & 1 == 1);
            if ok && let Some(when) = &node.when {
                ok = env.boolean(when).unwrap_or_else(|e| {
                    failures.push((id, e));
                    false
                });
            }
            if let Some(a) = self.applicable.get_mut(id) {
                *a = ok;
            }
        }
        for (id, node) in plan.steps.iter().enumerate().rev() {
            let result = if !self.applicable.get(id).copied().unwrap_or(false) {
                if self.not_a_row(id) {
                    NA
                } else {
                    not_applicable(node.points, node.not_applicable)
                }
            } else if let Some((input, (points, reads))) = (plan.tables.get(id))
                .and_then(Option::as_ref)
                .and_then(|t| Some((t.input, t.lookup(env.cells.value(t.input))?)))
            {
                let status = if reads && env.cells.defaulted(input) {
                    Status::Missing
                } else {
                    Status::Scored
                };
                match points {
                    Ok(score) => NodeResult {
                        score,
                        max: node.points,
                        status,
                    },
                    Err(e) => failed(policy, &mut failures, &mut self.floors, id, e, node.points),
                }
            } else if let Some(rule) = node.rule {
                item::score(&mut env, rule, node.points).unwrap_or_else(|e| {
                    failed(policy, &mut failures, &mut self.floors, id, e, node.points)
                })
            } else {
                self.group(id, &mut env).unwrap_or_else(|e| {
                    failures.push((id, e));
                    NodeResult {
                        score: Num::ZERO,
                        max: node.points,
                        status: Status::Missing,
                    }
                })
            };
            if result.score.is_too_large() || result.max.is_too_large() {
                failures.push((id, EvalError::Overflow(span(policy, id))));
            }
            if let Some(p) = self.partial.get_mut(id) {
                // An applicable item always has its full points as maximum.
                if matches!(result.status, Status::NotApplicable | Status::Reweighted) {
                    *p = result.max != node.points;
                } else if node.rule.is_some() {
                    *p = false;
                }
            }
            if let Some(slot) = self.nodes.get_mut(id) {
                *slot = result;
            }
        }
        self.lets = lets;
        for (id, e) in failures {
            self.error(Some(id), e);
        }
    }

    fn group(&mut self, id: NodeId, env: &mut Env) -> Result<NodeResult, EvalError> {
        let policy = self.plan.policy;
        let Some(node) = self.plan.steps.get(id) else {
            return Ok(NA);
        };
        if node.heading {
            return Ok(NodeResult {
                score: Num::ZERO,
                max: Num::ZERO,
                status: Status::Scored,
            });
        }
        let (mut even, mut proportional) = (Num::ZERO, Num::ZERO);
        let (mut any, mut partial, mut reweighted) = (false, false, false);
        let (mut floor, mut without_data) = (Num::ZERO, Num::ZERO);
        let mut scores = Total::default();
        for &c in self.counted(id) {
            let Some(r) = self.nodes.get(c) else {
                continue;
            };
            partial |= self.partial.get(c).copied().unwrap_or(true);
            scores.add(r.score);
            if matches!(r.status, Status::Scored | Status::Missing) {
                any = true;
                continue;
            }
            let Some(child) = self.plan.steps.get(c) else {
                continue;
            };
            // A child that does not apply still counts when its rule keeps
            // its points (full marks or zero); it drops out otherwise.
            match (r.status, child.not_applicable) {
                (Status::NotApplicable, _) if self.not_a_row(c) => {}
                (Status::Reweighted, _) => {
                    proportional += child.points;
                    reweighted = true;
                    floor = floor.max(self.floors.get(c).copied().unwrap_or_default());
                    without_data += child.points;
                }
                (Status::NotApplicable, NotApplicable::Redistribute { proportional: p }) => {
                    *(if p { &mut proportional } else { &mut even }) += child.points;
                }
                (Status::NotApplicable, NotApplicable::FullMarks | NotApplicable::Zero) => {
                    any = true
                }
                (Status::NotApplicable, _) => {}
                _ => any = true,
            }
        }
        // Too little of the group has data for its points to be trusted.
        if reweighted
            && !node.points.is_zero()
            && (node.points - without_data) / node.points < floor
        {
            return Err(EvalError::TooLittleData(span(policy, id)));
        }
        if let Some(f) = self.floors.get_mut(id) {
            *f = floor;
        }
        // Only a group whose every child dropped out does not apply itself;
        // if they dropped out for blank cells, its points go to its siblings.
        if !any && reweighted {
            return Ok(NodeResult {
                score: Num::ZERO,
                max: Num::ZERO,
                status: Status::Reweighted,
            });
        }
        if !any {
            return Ok(not_applicable(node.points, node.not_applicable));
        }
        let mut score = scores.total();
        let mut max = node.points;
        if partial {
            max = self.maxima(id);
            if !(even.is_zero() && proportional.is_zero()) {
                self.redistribute(id, even, proportional);
                (score, max) = self.sum_children(id);
            }
            if node.rescale_scope && max > Num::ZERO && max < node.points {
                let factor = node.points / max;
                self.compose(id, factor);
                score *= factor;
                max = node.points;
            }
        }
        if let Some(p) = self.partial.get_mut(id) {
            *p = partial && max != node.points;
        }
        if node.aggregate != Aggregate::Arithmetic {
            let rates = (self.counted(id).iter())
                .filter_map(|c| self.nodes.get(*c))
                .map(|r| (r.score, r.max));
            score = max
                * aggregate::mean(node.aggregate, rates)
                    .ok_or(EvalError::ZeroInMean(span(policy, id)))?;
        }
        // A deduction on the whole group, as far as its points go (扣完为止).
        if let Some((minus, factor)) = node.minus {
            let taken = env.number(minus)?.max(Num::ZERO) * *factor;
            score = (score - taken).max(Num::ZERO);
        }
        Ok(NodeResult {
            score,
            max,
            status: Status::Scored,
        })
    }

    /// The maxima of node `id`'s children added up (side totals aside): a
    /// child that is not partial has its full points.
    fn maxima(&self, id: NodeId) -> Num {
        let steps = &self.plan.steps;
        let mut maxima = Total::default();
        for &c in self.counted(id) {
            let (Some(r), Some(child)) = (self.nodes.get(c), steps.get(c)) else {
                continue;
            };
            let partial = self.partial.get(c).copied().unwrap_or(true);
            maxima.add(if partial { r.max } else { child.points });
        }
        maxima.total()
    }

    /// The children that count in node `id` (all but side totals).
    fn counted(&self, id: NodeId) -> &'p [NodeId] {
        self.plan.counted.get(id).map_or(&[], |c| c)
    }

    /// Whether node `id` is left out for being no row of the unit's kind
    /// in a `by_kind` group (not for being not applicable).
    pub(super) fn not_a_row(&self, id: NodeId) -> bool {
        let kind = self.plan.data.kind(self.unit);
        self.plan.policy.other_kinds_row(id, kind)
    }

    /// The counted children's scores and maxima added up.
    fn sum_children(&self, id: NodeId) -> (Num, Num) {
        (self.counted(id).iter())
            .filter_map(|c| self.nodes.get(*c))
            .fold((Num::ZERO, Num::ZERO), |(s, m), r| (s + r.score, m + r.max))
    }

    /// Gives the points of not-applicable children to the applicable ones.
    fn redistribute(&mut self, id: NodeId, even: Num, proportional: Num) {
        let receives = |r: &NodeResult| {
            !matches!(r.status, Status::NotApplicable | Status::Reweighted) && r.max > Num::ZERO
        };
        let (mut count, mut total) = (Num::ZERO, Num::ZERO);
        for r in (self.counted(id).iter())
            .filter_map(|c| self.nodes.get(*c))
            .filter(|r| receives(r))
        {
            count += Num::ONE;
            total += r.max;
        }
        if count.is_zero() {
            return;
        }
        for &c in self.counted(id) {
            let Some(&r) = self.nodes.get(c) else {
                continue;
            };
            if receives(&r) {
                let share = even / count + proportional * r.max / total;
                self.scale(c, r.max + share, r.max);
            }
        }
    }

    /// Multiplies a node's score and maximum by `new / old`, and its
    /// descendants' when the results are settled.
    fn scale(&mut self, id: NodeId, new: Num, old: Num) {
        if old.is_zero() || new == old {
            return;
        }
        let factor = new / old;
        if let Some(r) = self.nodes.get_mut(id) {
            r.score *= factor;
            r.max *= factor;
        }
        self.compose(id, factor);
    }

    /// Records that the strict descendants of `id` are scaled by `factor`.
    fn compose(&mut self, id: NodeId, factor: Num) {
        if let Some(f) = self.frames.get_mut(id) {
            *f *= factor;
            self.scaled = true;
        }
    }

    /// Works out the factor each node's result is to be multiplied by to be
    /// in points of the whole policy: the product of its ancestors' pending
    /// factors.
    pub(super) fn settle(&mut self) {
        if !self.scaled {
            return;
        }
        // The arena is in pre-order, so parents come first.
        for (id, node) in self.plan.steps.iter().enumerate() {
            let inherited = node.parent.map_or(Num::ONE, |p| {
                let (above, own) = (self.factor(p), self.frame(p));
                if own == Num::ONE { above } else { above * own }
            });
            if let Some(f) = self.factors.get_mut(id) {
                *f = inherited;
            }
        }
    }

    fn frame(&self, id: NodeId) -> Num {
        self.frames.get(id).copied().unwrap_or(Num::ONE)
    }
}

/// Where node `id` is declared.
fn span(policy: &Policy, id: NodeId) -> Span {
    policy.nodes.get(id).map_or(Span::default(), |n| n.span)
}
