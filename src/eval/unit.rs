//! The per-unit pass: applicability top-down, scores bottom-up with the
//! not-applicable rules, then parts, vetoes, fail thresholds and the grade.

use super::aggregate;
use super::expr::{Env, EvalError};
use super::peers::{self, Slot};
use super::period::Period;
use super::tabulate::{Tabulated, tabulate};
use super::{NodeResult, PartResult, Status, UnitError, UnitResult, VetoHit};
use crate::data::Dataset;
use crate::ir::{
    Aggregate, Missing, NodeId, NotApplicable, PartKind, Policy, Rule, Value, VetoAction,
};
use crate::num::Num;
use crate::source::Span;

/// Evaluates units one at a time, reusing its buffers.
pub struct Evaluator<'p> {
    policy: &'p Policy,
    /// Nodes whose applicability depends on the unit (a `for` or `when` on
    /// them or above them), in pre-order; every other node always applies.
    conditional: Vec<NodeId>,
    /// Nodes with a fail threshold.
    thresholds: Vec<NodeId>,
    /// Per node, the table of an item whose rule reads one input with few values.
    tables: Vec<Option<Tabulated>>,
    applicable: Vec<bool>,
    nodes: Vec<NodeResult>,
    lets: Vec<Option<Result<Value, EvalError>>>,
    parts: Vec<PartResult>,
    /// Per node, a pending factor for its strict descendants, applied only
    /// when full results are asked for.
    frames: Vec<Num>,
    scaled: bool,
    /// Per node: its maximum is not its full points (something under it did
    /// not apply, or was rescaled). When no child is partial, a group's
    /// maximum is its points and need not be added up.
    partial: Vec<bool>,
    errors: Vec<UnitError>,
    /// Every unit's value of every peer statistic (see `prepare`).
    peers: Vec<Slot>,
    /// The previous period (see `follow`).
    before: Option<Period>,
    /// Per node left out for a blank cell: the least share of its group's
    /// points that must have data (`missing reweight at_least`).
    floors: Vec<Num>,
}

/// What a unit came to, besides its node results.
struct Outcome {
    base: Num,
    bonus: Num,
    deductions: Num,
    score: Num,
    exact: Num,
    grade: Option<usize>,
    vetoes: Vec<VetoHit>,
}

const NA: NodeResult = NodeResult {
    score: Num::ZERO,
    max: Num::ZERO,
    status: Status::NotApplicable,
};

impl<'p> Evaluator<'p> {
    pub fn new(policy: &'p Policy) -> Self {
        let mut conditional: Vec<NodeId> = Vec::new();
        for (id, node) in policy.nodes.iter().enumerate() {
            let under = node.parent.is_some_and(|p| conditional.contains(&p));
            if under || node.when.is_some() || (!policy.kinds.is_empty() && node.kinds != u64::MAX)
            {
                conditional.push(id);
            }
        }
        let tables = policy
            .nodes
            .iter()
            .map(|n| {
                let rule = n.rule.as_ref()?;
                tabulate(policy, rule, |env| {
                    item(env, rule, n.points).map(|r| r.score)
                })
            })
            .collect();
        Evaluator {
            policy,
            conditional,
            tables,
            thresholds: policy
                .nodes
                .iter()
                .enumerate()
                .filter(|(_, n)| n.fail_below.is_some())
                .map(|(id, _)| id)
                .collect(),
            applicable: vec![true; policy.nodes.len()],
            nodes: vec![NA; policy.nodes.len()],
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
            frames: vec![Num::ONE; policy.nodes.len()],
            scaled: false,
            partial: vec![false; policy.nodes.len()],
            errors: Vec::new(),
            peers: Vec::new(),
            before: None,
            floors: vec![Num::ZERO; policy.nodes.len()],
        }
    }

    /// Makes `before` (evaluated as `results`) the previous period of the
    /// units of `data`.
    pub fn follow(&mut self, data: &Dataset, before: &Dataset, results: &super::Evaluation) {
        self.before = Some(Period::new(data, before, results));
    }

    /// Computes the policy's peer statistics over all units of `data`; call
    /// it before scoring units of `data` when the policy has any.
    pub fn prepare(&mut self, data: &Dataset) {
        let policy = self.policy;
        if policy.peers.is_empty() {
            return;
        }
        let mut table = Vec::new();
        peers::compute(policy, data, None, &mut table);
        self.peers = table;
        if policy.peers.iter().any(|p| peers::reads_nodes(policy, p)) {
            // Statistics of node scores: score every unit first (the nodes
            // they read do not depend on them: `check` makes sure).
            let scores: Vec<Option<Vec<Num>>> = (0..data.units.len())
                .map(|u| {
                    let result = self.unit(data, u).ok()?;
                    let score = |n: &NodeId| result.nodes.get(*n).map_or(Num::ZERO, |r| r.score);
                    Some(policy.node_refs.iter().map(score).collect())
                })
                .collect();
            let mut table = std::mem::take(&mut self.peers);
            peers::compute(policy, data, Some(&scores), &mut table);
            self.peers = table;
        }
    }

    /// Every result of one unit, or every error that kept it from a score.
    pub fn unit(&mut self, data: &Dataset, u: usize) -> Result<UnitResult, Vec<UnitError>> {
        let outcome = self.run(data, u);
        if !self.errors.is_empty() {
            return Err(std::mem::take(&mut self.errors));
        }
        self.settle();
        Ok(UnitResult {
            nodes: self.nodes.clone(),
            parts: self.parts.clone(),
            base: outcome.base,
            bonus: outcome.bonus,
            deductions: outcome.deductions,
            score: outcome.score,
            exact: outcome.exact,
            max: self.nodes.first().map_or(Num::ZERO, |r| r.max),
            vetoes: outcome.vetoes,
            grade: outcome.grade,
            rank: None,
            rank_in_kind: None,
            tier: None,
        })
    }

    /// The final score of one unit, with no results kept: for callers that
    /// stream units through, such as the benchmark. `None` on any error.
    pub fn score(&mut self, data: &Dataset, u: usize) -> Option<Num> {
        let outcome = self.run(data, u);
        let ok = self.errors.is_empty();
        self.errors.clear();
        ok.then_some(outcome.score)
    }

    fn run(&mut self, data: &Dataset, u: usize) -> Outcome {
        self.tree(data, u);
        let base = self.nodes.first().map_or(Num::ZERO, |r| r.score);
        self.parts(data, u, base);
        let (mut bonus, mut deductions) = (Num::ZERO, Num::ZERO);
        for (result, part) in self.parts.iter().zip(&self.policy.parts) {
            match part.kind {
                PartKind::Bonus => bonus += result.points,
                PartKind::Deduction => deductions += result.points,
            }
        }
        let sum = base + bonus - deductions;
        if sum.is_too_large() && self.errors.is_empty() {
            self.error(data, u, None, EvalError::Overflow(Span::default()));
        }
        let raw = sum.max(Num::ZERO);
        let (score, exact, grade, vetoes) = self.verdict(data, u, raw);
        Outcome {
            base,
            bonus,
            deductions,
            score,
            exact,
            grade,
            vetoes,
        }
    }

    fn env<'a>(
        policy: &'a Policy,
        data: &'a Dataset,
        u: usize,
        lets: &'a mut [Option<Result<Value, EvalError>>],
        peers: &'a [Slot],
        before: Option<&'a Period>,
        base: Num,
    ) -> Env<'a> {
        let k = policy.peers.len();
        Env {
            policy,
            values: data.values(u),
            defaulted: data.defaulted(u),
            lets,
            peers: peers.get(u * k..(u + 1) * k).unwrap_or(&[]),
            before: before.and_then(|p| p.unit(u)),
            nodes: &[],
            base,
            read_default: false,
        }
    }

    /// Records why unit `u` cannot be scored, located like a data error:
    /// `row R, column `C` (unit U): ...` (the caller names the file).
    fn error(&mut self, data: &Dataset, u: usize, node: Option<NodeId>, e: EvalError) {
        let (unit, row) = data
            .units
            .get(u)
            .map_or(("?", 0), |x| (x.id.as_str(), x.row));
        let place = node
            .and_then(|n| self.policy.nodes.get(n))
            .map(|n| format!(" in `{}`", n.path))
            .unwrap_or_default();
        let message = match e {
            EvalError::Missing(i) => {
                let input = self.policy.inputs.get(i).map_or("?", |x| x.name.as_str());
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
            EvalError::Overflow(_) => {
                format!("row {row} (unit {unit}): a number grew too large{place}")
            }
            EvalError::TooLittleData(_) => format!(
                "row {row} (unit {unit}): too few items{place} have data: `missing reweight at_least` asks for a larger share of its points"
            ),
            EvalError::ZeroInMean(_) => format!(
                "row {row} (unit {unit}): the geometric mean{place} meets a rate of zero; give its items a floor or leave them out when they do not apply"
            ),
            EvalError::NoPrevious(_) => format!(
                "row {row} (unit {unit}): the unit has no previous period{place}; state what happens then with `when has_previous()`"
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
            message,
        });
    }

    fn tree(&mut self, data: &Dataset, u: usize) {
        let policy = self.policy;
        let kind = data.units.get(u).map_or(0, |x| x.kind);
        if self.scaled {
            self.frames.iter_mut().for_each(|f| *f = Num::ONE);
            self.scaled = false;
        }
        // One environment for the whole pass; errors are reported after it.
        let mut lets = std::mem::take(&mut self.lets);
        lets.iter_mut().for_each(|l| *l = None);
        let peers = std::mem::take(&mut self.peers);
        let before = self.before.take();
        let mut env = Self::env(
            policy,
            data,
            u,
            &mut lets,
            &peers,
            before.as_ref(),
            Num::ZERO,
        );
        let mut failures = Vec::new();
        for &id in &self.conditional {
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
        for id in (0..policy.nodes.len()).rev() {
            let Some(node) = policy.nodes.get(id) else {
                continue;
            };
            let result = if !self.applicable.get(id).copied().unwrap_or(false) {
                not_applicable(node.points, node.not_applicable)
            } else if let Some(table) = self.tables.get(id).and_then(Option::as_ref) {
                let value = env
                    .values
                    .get(table.input)
                    .copied()
                    .unwrap_or(Value::Absent);
                let (points, reads) = table.lookup(value);
                let status = match env.defaulted.get(table.input) {
                    Some(true) if reads => Status::Missing,
                    _ => Status::Scored,
                };
                match points {
                    Ok(score) => NodeResult {
                        score,
                        max: node.points,
                        status,
                    },
                    Err(e) => failed(policy, &mut failures, &mut self.floors, id, e, node.points),
                }
            } else if let Some(rule) = &node.rule {
                item(&mut env, rule, node.points).unwrap_or_else(|e| {
                    failed(policy, &mut failures, &mut self.floors, id, e, node.points)
                })
            } else {
                self.group(id).unwrap_or_else(|e| {
                    failures.push((id, e));
                    NodeResult {
                        score: Num::ZERO,
                        max: node.points,
                        status: Status::Missing,
                    }
                })
            };
            if result.score.is_too_large() || result.max.is_too_large() {
                failures.push((id, EvalError::Overflow(node.span)));
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
        self.peers = peers;
        self.before = before;
        self.lets = lets;
        for (id, e) in failures {
            self.error(data, u, Some(id), e);
        }
    }

    fn group(&mut self, id: NodeId) -> Result<NodeResult, EvalError> {
        let policy = self.policy;
        let Some(node) = policy.nodes.get(id) else {
            return Ok(NA);
        };
        let (mut even, mut proportional) = (Num::ZERO, Num::ZERO);
        let (mut any, mut partial, mut reweighted) = (false, false, false);
        let (mut floor, mut without_data) = (Num::ZERO, Num::ZERO);
        let mut score = Num::ZERO;
        for &c in &node.children {
            let (Some(r), Some(child)) = (self.nodes.get(c), policy.nodes.get(c)) else {
                continue;
            };
            partial |= self.partial.get(c).copied().unwrap_or(true);
            score += r.score;
            // A child that does not apply still counts when its rule keeps
            // its points (full marks or zero); it drops out otherwise.
            match (r.status, child.not_applicable) {
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
            return Err(EvalError::TooLittleData(node.span));
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
        let mut max = node.points;
        if partial {
            if !(even.is_zero() && proportional.is_zero()) {
                self.redistribute(id, even, proportional);
            }
            (score, max) = self.sum_children(id);
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
            let rates = node
                .children
                .iter()
                .filter_map(|&c| self.nodes.get(c))
                .map(|r| (r.score, r.max));
            score = max
                * aggregate::mean(node.aggregate, rates).ok_or(EvalError::ZeroInMean(node.span))?;
        }
        Ok(NodeResult {
            score,
            max,
            status: Status::Scored,
        })
    }

    /// The children's scores and maxima added up.
    fn sum_children(&self, id: NodeId) -> (Num, Num) {
        let children = self
            .policy
            .nodes
            .get(id)
            .map_or(&[][..], |n| &n.children[..]);
        children
            .iter()
            .filter_map(|&c| self.nodes.get(c))
            .fold((Num::ZERO, Num::ZERO), |(s, m), r| (s + r.score, m + r.max))
    }

    /// Gives the points of not-applicable children to the applicable ones.
    fn redistribute(&mut self, id: NodeId, even: Num, proportional: Num) {
        let policy = self.policy;
        let children = policy.nodes.get(id).map_or(&[][..], |n| &n.children[..]);
        let receives = |r: &NodeResult| {
            !matches!(r.status, Status::NotApplicable | Status::Reweighted) && r.max > Num::ZERO
        };
        let (mut count, mut total) = (Num::ZERO, Num::ZERO);
        for r in children
            .iter()
            .filter_map(|&c| self.nodes.get(c))
            .filter(|r| receives(r))
        {
            count += Num::ONE;
            total += r.max;
        }
        if count.is_zero() {
            return;
        }
        for &c in children {
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

    /// Applies the pending factors, so every node's result is in points of
    /// the whole policy.
    fn settle(&mut self) {
        if !self.scaled {
            return;
        }
        let policy = self.policy;
        // Each node's factor is its parent's factor times the parent's frame;
        // the arena is in pre-order, so parents come first.
        for (id, node) in policy.nodes.iter().enumerate().skip(1) {
            let Some(parent) = node.parent else { continue };
            let Some(&factor) = self.frames.get(parent) else {
                continue;
            };
            if factor == Num::ONE {
                continue;
            }
            if let Some(r) = self.nodes.get_mut(id) {
                r.score *= factor;
                r.max *= factor;
            }
            if let Some(f) = self.frames.get_mut(id) {
                *f *= factor;
            }
        }
    }

    /// Scores the bonus and deduction parts into `self.parts`.
    fn parts(&mut self, data: &Dataset, u: usize, base: Num) {
        let policy = self.policy;
        let kind = data.units.get(u).map_or(0, |x| x.kind);
        let mut errors = Vec::new();
        for (part, result) in policy.parts.iter().zip(self.parts.iter_mut()) {
            let mut env = Self::env(
                policy,
                data,
                u,
                &mut self.lets,
                &self.peers,
                self.before.as_ref(),
                base,
            );
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
            self.error(data, u, None, e);
        }
    }

    /// The final score, grade and the vetoes or thresholds that decided them.
    fn verdict(
        &mut self,
        data: &Dataset,
        u: usize,
        raw: Num,
    ) -> (Num, Num, Option<usize>, Vec<VetoHit>) {
        let policy = self.policy;
        let mut score = raw.round(policy.precision, policy.rounding);
        let mut exact = raw;
        let last = policy.grades.len().checked_sub(1);
        let mut floor_grade: Option<usize> = None;
        let mut failed = false;
        let mut hits = Vec::new();
        for (v, veto) in policy.vetoes.iter().enumerate() {
            let mut env = Self::env(
                policy,
                data,
                u,
                &mut self.lets,
                &self.peers,
                self.before.as_ref(),
                raw,
            );
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
                        VetoAction::MaxGrade(g) => {
                            floor_grade = Some(floor_grade.map_or(*g, |f: usize| f.max(*g)))
                        }
                    }
                    hits.push(VetoHit::Veto(v));
                }
                Err(e) => self.error(data, u, None, e),
            }
        }
        for &id in &self.thresholds {
            let (Some(threshold), Some(r)) = (
                policy.nodes.get(id).and_then(|n| n.fail_below),
                self.nodes.get(id),
            ) else {
                continue;
            };
            if !matches!(r.status, Status::NotApplicable | Status::Reweighted)
                && r.score < threshold
            {
                failed = true;
                hits.push(VetoHit::FailBelow(id));
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
        (score, exact, grade, hits)
    }
}

/// One applicable item's result.
fn item(env: &mut Env, rule: &Rule, points: Num) -> Result<NodeResult, EvalError> {
    env.read_default = false;
    let mut score = match &rule.bands {
        Some((on, bands)) => env.band_points(on, bands)?,
        None => match env.eval(&rule.expr)? {
            // A yes/no `score` rule: full points or none.
            Value::Bool(yes) if yes => points,
            Value::Number(x) => rule.points_for(x, points),
            _ => Num::ZERO,
        },
    };
    let policy = env.policy;
    if policy.round_items {
        score = score.round(policy.precision, policy.rounding);
    }
    let status = if env.read_default {
        Status::Missing
    } else {
        Status::Scored
    };
    Ok(NodeResult {
        score,
        max: points,
        status,
    })
}

/// Where a not-applicable node's points go, seen from the node itself.
/// The result of an item whose rule could not be evaluated: left out (its
/// points to its siblings) when it read a blank of a `missing reweight`
/// input, else an error for the unit.
fn failed(
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

fn not_applicable(points: Num, rule: NotApplicable) -> NodeResult {
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
