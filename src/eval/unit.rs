//! The per-unit pass: applicability top-down, scores bottom-up with the
//! not-applicable rules, then parts, vetoes, fail thresholds and the grade.

use super::expr::{Env, EvalError};
use super::{NodeResult, PartResult, Status, UnitError, UnitResult, VetoHit, round};
use crate::data::Dataset;
use crate::ir::{NodeId, NotApplicable, PartKind, Policy, Rule, RuleMode, Value, VetoAction};
use rust_decimal::Decimal;

/// Evaluates units one at a time, reusing its buffers.
pub struct Evaluator<'p> {
    policy: &'p Policy,
    applicable: Vec<bool>,
    nodes: Vec<NodeResult>,
    lets: Vec<Option<Result<Value, EvalError>>>,
    errors: Vec<UnitError>,
}

const NA: NodeResult = NodeResult {
    score: Decimal::ZERO,
    max: Decimal::ZERO,
    status: Status::NotApplicable,
};

impl<'p> Evaluator<'p> {
    pub fn new(policy: &'p Policy) -> Self {
        Evaluator {
            policy,
            applicable: vec![false; policy.nodes.len()],
            nodes: vec![NA; policy.nodes.len()],
            lets: vec![None; policy.lets.len()],
            errors: Vec::new(),
        }
    }

    /// Every result of one unit, or every error that kept it from a score.
    pub fn unit(&mut self, data: &Dataset, u: usize) -> Result<UnitResult, Vec<UnitError>> {
        self.tree(data, u);
        let base = self.nodes.first().map_or(Decimal::ZERO, |r| r.score);
        let parts = self.parts(data, u, base);
        let (bonus, deductions) = parts.iter().zip(&self.policy.parts).fold(
            (Decimal::ZERO, Decimal::ZERO),
            |(b, d), (r, p)| match p.kind {
                PartKind::Bonus => (b + r.points, d),
                PartKind::Deduction => (b, d + r.points),
            },
        );
        let raw = (base + bonus - deductions).max(Decimal::ZERO);
        let (score, grade, vetoes) = self.verdict(data, u, raw);
        if !self.errors.is_empty() {
            return Err(std::mem::take(&mut self.errors));
        }
        Ok(UnitResult {
            nodes: self.nodes.clone(),
            parts,
            base,
            bonus,
            deductions,
            score,
            max: self.nodes.first().map_or(Decimal::ZERO, |r| r.max),
            vetoes,
            grade,
            rank: None,
            rank_in_kind: None,
        })
    }

    /// The tree's score of one unit (base score, unrounded); for callers
    /// that need no more than that, such as the benchmark.
    pub fn base_score(&mut self, data: &Dataset, u: usize) -> Option<Decimal> {
        self.tree(data, u);
        let ok = self.errors.is_empty();
        self.errors.clear();
        ok.then(|| self.nodes.first().map_or(Decimal::ZERO, |r| r.score))
    }

    fn env<'a>(
        policy: &'a Policy,
        data: &'a Dataset,
        u: usize,
        lets: &'a mut [Option<Result<Value, EvalError>>],
        base: Decimal,
    ) -> Env<'a> {
        Env {
            policy,
            values: data.values(u),
            defaulted: data.defaulted(u),
            lets,
            base,
            read_default: false,
        }
    }

    fn error(&mut self, data: &Dataset, u: usize, node: Option<NodeId>, e: EvalError) {
        let unit = data.units.get(u).map_or("?", |x| x.id.as_str());
        let place = node
            .and_then(|n| self.policy.nodes.get(n))
            .map(|n| format!(" in `{}`", n.path))
            .unwrap_or_default();
        let message = match e {
            EvalError::Missing(i) => {
                let input = self.policy.inputs.get(i).map_or("?", |x| x.name.as_str());
                format!(
                    "unit {unit}: input `{input}` is blank{place}; fill it in, or state `missing zero` for it in the policy"
                )
            }
            EvalError::DivisionByZero(_) => format!("unit {unit}: division by zero{place}"),
            EvalError::NoBand(_) => format!("unit {unit}: the value falls in no band{place}"),
            EvalError::Overflow(_) => format!("unit {unit}: a number grew too large{place}"),
        };
        self.errors.push(UnitError {
            unit: u,
            node,
            message,
        });
    }

    fn tree(&mut self, data: &Dataset, u: usize) {
        let policy = self.policy;
        let kind = data.units.get(u).map_or(0, |x| x.kind);
        self.lets.iter_mut().for_each(|l| *l = None);
        for (id, node) in policy.nodes.iter().enumerate() {
            let parent_ok = node
                .parent
                .is_none_or(|p| self.applicable.get(p).copied().unwrap_or(false));
            let mut ok = parent_ok && (policy.kinds.is_empty() || node.kinds >> kind & 1 == 1);
            if ok && let Some(when) = &node.when {
                let mut env = Self::env(policy, data, u, &mut self.lets, Decimal::ZERO);
                match env.boolean(when) {
                    Ok(b) => ok = b,
                    Err(e) => {
                        self.error(data, u, Some(id), e);
                        ok = false;
                    }
                }
            }
            if let Some(a) = self.applicable.get_mut(id) {
                *a = ok;
            }
        }
        for id in (0..policy.nodes.len()).rev() {
            let Some(node) = policy.nodes.get(id) else {
                continue;
            };
            let result = if !self.applicable.get(id).copied().unwrap_or(false) {
                not_applicable(node.points, node.not_applicable)
            } else if let Some(rule) = &node.rule {
                self.item(data, u, id, rule, node.points)
            } else {
                self.group(id)
            };
            if let Some(slot) = self.nodes.get_mut(id) {
                *slot = result;
            }
        }
    }

    fn item(
        &mut self,
        data: &Dataset,
        u: usize,
        id: NodeId,
        rule: &Rule,
        points: Decimal,
    ) -> NodeResult {
        let policy = self.policy;
        let mut env = Self::env(policy, data, u, &mut self.lets, Decimal::ZERO);
        let value = env.number(&rule.expr);
        let status = if env.read_default {
            Status::Missing
        } else {
            Status::Scored
        };
        match value {
            Ok(x) => {
                let mut score = rule_points(rule, x, points);
                if policy.round_items {
                    score = round(score, policy.precision, policy.rounding);
                }
                NodeResult {
                    score,
                    max: points,
                    status,
                }
            }
            Err(e) => {
                self.error(data, u, Some(id), e);
                NodeResult {
                    score: Decimal::ZERO,
                    max: points,
                    status: Status::Missing,
                }
            }
        }
    }

    fn group(&mut self, id: NodeId) -> NodeResult {
        let policy = self.policy;
        let Some(node) = policy.nodes.get(id) else {
            return NA;
        };
        let (mut even, mut proportional) = (Decimal::ZERO, Decimal::ZERO);
        let mut any = false;
        for &c in &node.children {
            let (Some(r), Some(child)) = (self.nodes.get(c), policy.nodes.get(c)) else {
                continue;
            };
            if r.status != Status::NotApplicable {
                any = true;
            } else if let NotApplicable::Redistribute { proportional: p } = child.not_applicable {
                *(if p { &mut proportional } else { &mut even }) += child.points;
            }
        }
        if !any {
            return not_applicable(node.points, node.not_applicable);
        }
        if !(even.is_zero() && proportional.is_zero()) {
            self.redistribute(id, even, proportional);
        }
        let (mut score, mut max) = self.sum_children(id);
        if node.rescale_scope && max > Decimal::ZERO && max < node.points {
            for &c in &node.children {
                self.scale(c, node.points, max);
            }
            score = score * node.points / max;
            max = node.points;
        }
        NodeResult {
            score,
            max,
            status: Status::Scored,
        }
    }

    fn sum_children(&self, id: NodeId) -> (Decimal, Decimal) {
        let children = self
            .policy
            .nodes
            .get(id)
            .map_or(&[][..], |n| &n.children[..]);
        children
            .iter()
            .filter_map(|&c| self.nodes.get(c))
            .fold((Decimal::ZERO, Decimal::ZERO), |(s, m), r| {
                (s + r.score, m + r.max)
            })
    }

    /// Gives the points of not-applicable children to the applicable ones.
    fn redistribute(&mut self, id: NodeId, even: Decimal, proportional: Decimal) {
        let children = self
            .policy
            .nodes
            .get(id)
            .map_or(&[][..], |n| &n.children[..]);
        let recipients: Vec<(NodeId, Decimal)> = children
            .iter()
            .filter_map(|&c| self.nodes.get(c).map(|r| (c, *r)))
            .filter(|(_, r)| r.status != Status::NotApplicable && r.max > Decimal::ZERO)
            .map(|(c, r)| (c, r.max))
            .collect();
        let total: Decimal = recipients.iter().map(|(_, m)| *m).sum();
        let count = Decimal::from(recipients.len());
        if recipients.is_empty() {
            return;
        }
        for (c, max) in recipients {
            let share = even / count + proportional * max / total;
            self.scale(c, max + share, max);
        }
    }

    /// Multiplies the scores and maxima of a subtree by `new / old`.
    fn scale(&mut self, root: NodeId, new: Decimal, old: Decimal) {
        if old.is_zero() {
            return;
        }
        let end = self.policy.nodes.get(root).map_or(root, |n| n.end);
        for r in self.nodes.get_mut(root..end).unwrap_or(&mut []) {
            r.score = r.score * new / old;
            r.max = r.max * new / old;
        }
    }

    fn parts(&mut self, data: &Dataset, u: usize, base: Decimal) -> Vec<PartResult> {
        let policy = self.policy;
        let kind = data.units.get(u).map_or(0, |x| x.kind);
        let mut out = Vec::with_capacity(policy.parts.len());
        for part in &policy.parts {
            let mut env = Self::env(policy, data, u, &mut self.lets, base);
            let open = match &part.gate {
                Some(g) => env.boolean(g),
                None => Ok(true),
            };
            let mut items = Vec::with_capacity(part.items.len());
            let mut errors = Vec::new();
            for item in &part.items {
                let applies = policy.kinds.is_empty() || item.kinds >> kind & 1 == 1;
                let applies = match (&item.when, applies) {
                    (Some(w), true) => env.boolean(w),
                    (_, a) => Ok(a),
                };
                let points = match applies {
                    Ok(true) => env
                        .number(&item.rule.expr)
                        .map(|x| Some(rule_points(&item.rule, x, item.points))),
                    Ok(false) => Ok(None),
                    Err(e) => Err(e),
                };
                items.push(points.unwrap_or_else(|e| {
                    errors.push(e);
                    None
                }));
            }
            let open = open.unwrap_or_else(|e| {
                errors.push(e);
                false
            });
            for e in errors {
                self.error(data, u, None, e);
            }
            let sum: Decimal = items.iter().flatten().sum();
            let capped = part.cap.map_or(sum, |c| sum.min(c));
            let points = if open { capped } else { Decimal::ZERO };
            out.push(PartResult {
                points,
                items,
                open,
            });
        }
        out
    }

    /// The final score, grade and the vetoes or thresholds that decided them.
    fn verdict(
        &mut self,
        data: &Dataset,
        u: usize,
        raw: Decimal,
    ) -> (Decimal, Option<usize>, Vec<VetoHit>) {
        let policy = self.policy;
        let mut score = round(raw, policy.precision, policy.rounding);
        let last = policy.grades.len().checked_sub(1);
        let mut floor_grade: Option<usize> = None;
        let mut failed = false;
        let mut hits = Vec::new();
        for veto in &policy.vetoes {
            let mut env = Self::env(policy, data, u, &mut self.lets, raw);
            match env.boolean(&veto.condition) {
                Ok(false) => {}
                Ok(true) => {
                    let effect = match &veto.action {
                        VetoAction::Fail => {
                            failed = true;
                            score = Decimal::ZERO;
                            "fail".to_string()
                        }
                        VetoAction::Points(p) => {
                            score = round(*p, policy.precision, policy.rounding);
                            format!("score set to {p}")
                        }
                        VetoAction::MaxGrade(g) => {
                            floor_grade = Some(floor_grade.map_or(*g, |f: usize| f.max(*g)));
                            format!(
                                "grade at most {}",
                                policy.grades.get(*g).map_or("?", |x| x.name.as_str())
                            )
                        }
                    };
                    hits.push(VetoHit {
                        name: veto.name.clone(),
                        effect,
                    });
                }
                Err(e) => self.error(data, u, None, e),
            }
        }
        for (id, node) in policy.nodes.iter().enumerate() {
            let (Some(threshold), Some(r)) = (node.fail_below, self.nodes.get(id)) else {
                continue;
            };
            if r.status != Status::NotApplicable && r.score < threshold {
                failed = true;
                hits.push(VetoHit {
                    name: node.path.clone(),
                    effect: format!("below the fail threshold {}", threshold.normalize()),
                });
            }
        }
        let mut grade = policy
            .grades
            .iter()
            .position(|g| g.interval.contains(score));
        if let (Some(f), Some(g)) = (floor_grade, grade) {
            grade = Some(g.max(f));
        }
        if failed {
            grade = last;
        }
        (score, grade, hits)
    }
}

/// Where a not-applicable node's points go, seen from the node itself.
fn not_applicable(points: Decimal, rule: NotApplicable) -> NodeResult {
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

/// An item's points from its rule's value: a rate clamped to [0, 1], or
/// points clamped to [0, declared] and scaled to the item's absolute points.
fn rule_points(rule: &Rule, x: Decimal, points: Decimal) -> Decimal {
    match rule.mode {
        RuleMode::Score => x.clamp(Decimal::ZERO, Decimal::ONE) * points,
        RuleMode::Points if rule.declared.is_zero() => Decimal::ZERO,
        RuleMode::Points => x.clamp(Decimal::ZERO, rule.declared) * points / rule.declared,
    }
}
