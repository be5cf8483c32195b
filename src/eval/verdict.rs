//! What a unit comes to after its tree: the bonus and deduction parts, the
//! vetoes and fail lines, the grade; and the outcome of a unit a
//! `not_scored` veto keeps out.

use super::plan::env;
use super::unit::{Evaluator, NA, Outcome};
use super::{Status, VetoHit};
use crate::ir::{Compare, VetoAction};
use crate::num::Num;

impl Evaluator<'_> {
    /// The outcome of a unit a `not_scored` veto keeps out: no node or part
    /// is scored, and only such vetoes are looked at.
    pub(super) fn not_scored(&mut self) -> Outcome {
        let (plan, u) = (self.plan, self.unit);
        let policy = plan.policy;
        self.reset_frames();
        self.nodes.iter_mut().for_each(|r| *r = NA);
        for part in &mut self.parts {
            part.items.iter_mut().for_each(|i| *i = None);
            (part.points, part.open) = (Num::ZERO, false);
        }
        self.lets.iter_mut().for_each(|l| *l = None);
        let mut env = env(plan, u, &mut self.lets, Num::ZERO);
        let vetoes = (policy.vetoes.iter().enumerate())
            .filter(|(_, v)| matches!(v.action, VetoAction::NotScored))
            .filter(|(_, v)| matches!(env.boolean(&v.condition), Ok(true)))
            .map(|(i, _)| VetoHit::Veto(i))
            .collect();
        Outcome {
            base: Num::ZERO,
            bonus: Num::ZERO,
            deductions: Num::ZERO,
            score: Num::ZERO,
            exact: Num::ZERO,
            max: Num::ZERO,
            grade: policy.grades.len().checked_sub(1),
            vetoes,
            not_scored: true,
        }
    }

    /// Scores the bonus and deduction parts into `self.parts`.
    pub(super) fn score_parts(&mut self, base: Num) {
        let (plan, u) = (self.plan, self.unit);
        let policy = plan.policy;
        let kind = plan.data.kind(u);
        let mut errors = Vec::new();
        for (part, result) in policy.parts.iter().zip(self.parts.iter_mut()) {
            let mut env = env(plan, u, &mut self.lets, base);
            let open = match &part.gate {
                Some(g) => env.boolean(g),
                None => Ok(true),
            };
            for (item, slot) in part.items.iter().zip(result.items.iter_mut()) {
                let applies = policy.kinds.is_empty() || item.kinds >> kind & 1 == 1;
                let applies = match (&item.when, applies) {
                    (Some(w), true) => env.boolean(w),
                    (_, a) => Ok(a),
                };
                let points = match applies {
                    Ok(true) => env
                        .number(&item.rule.expr)
                        .map(|x| Some(item.rule.points_for(x, item.points))),
                    Ok(false) => Ok(None),
                    Err(e) => Err(e),
                };
                *slot = points.unwrap_or_else(|e| {
                    errors.push(e);
                    None
                });
            }
            result.open = open.unwrap_or_else(|e| {
                errors.push(e);
                false
            });
            let sum: Num = result.items.iter().flatten().sum();
            let capped = part.cap.map_or(sum, |c| sum.min(c));
            result.points = if result.open { capped } else { Num::ZERO };
        }
        for e in errors {
            self.error(None, e);
        }
    }

    /// The final score, grade and the vetoes or thresholds that decided them.
    pub(super) fn verdict(&mut self, raw: Num) -> (Num, Num, Option<usize>, Vec<VetoHit>) {
        let (plan, u) = (self.plan, self.unit);
        let policy = plan.policy;
        let mut score = raw.round(policy.precision, policy.rounding);
        let mut exact = raw;
        let last = policy.grades.len().checked_sub(1);
        let mut floor_grade: Option<usize> = None;
        let mut failed = false;
        let mut hits = Vec::new();
        for (v, veto) in policy.vetoes.iter().enumerate() {
            let mut env = env(plan, u, &mut self.lets, raw);
            match env.boolean(&veto.condition) {
                Ok(false) => {}
                Ok(true) => {
                    match &veto.action {
                        VetoAction::Fail => {
                            failed = true;
                            score = Num::ZERO;
                            exact = Num::ZERO;
                        }
                        VetoAction::Points(p) => {
                            score = p.round(policy.precision, policy.rounding);
                            exact = *p;
                        }
                        // Decided before scoring (see `not_scored`).
                        VetoAction::NotScored => {}
                        VetoAction::MaxGrade(g) => {
                            floor_grade = Some(floor_grade.map_or(*g, |f: usize| f.max(*g)))
                        }
                    }
                    hits.push(VetoHit::Veto(v));
                }
                Err(e) => self.error(None, e),
            }
        }
        for &id in &plan.thresholds {
            let Some(line) = policy.nodes.get(id).and_then(|n| n.fail_below) else {
                continue;
            };
            // In points of the whole policy (after any rescaling above it).
            let r = self.node(id);
            let (node_score, max) = (self.as_compared(r.score), self.as_compared(r.max));
            if !matches!(r.status, Status::NotApplicable | Status::Reweighted)
                && line.fails(node_score, max)
            {
                failed = true;
                hits.push(VetoHit::FailBelow(id));
            }
        }
        let graded = match policy.compare {
            Some(Compare::Exact) => exact,
            _ => score,
        };
        let max = self.nodes.first().map_or(Num::ZERO, |r| r.max);
        let mut grade = policy.grades.iter().position(|g| {
            // Bounds written as percentages: of the unit's own maximum.
            let value = match g.interval.percent {
                true if max.is_zero() => Num::ZERO,
                true => graded / max,
                false => graded,
            };
            g.interval.contains(value)
        });
        if let (Some(f), Some(g)) = (floor_grade, grade) {
            grade = Some(g.max(f));
        }
        if failed {
            grade = last;
        }
        (score, exact, grade, hits)
    }
}
