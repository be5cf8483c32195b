//! A unit's score again under other choices of the method, fast: only the
//! nodes a choice can change are added up again; everything below them
//! keeps the score it had (items' rates do not depend on the weights).
//!
//! The nodes added up again are those whose weight is varied or that may be
//! left out, every node that does not apply to some unit (when the
//! not-applicable rule is varied), and their ancestors. A group adds up its
//! counted children's scores and maxima, each child's times its weight
//! factor, scaled so that the group's declared points stay what they were
//! (so weights are relative among siblings, and a node left out has its
//! points shared by its siblings); then it rescales to its points where the
//! policy (or the sampled not-applicable rule) rescales, and takes the mean
//! its aggregation asks for. With every factor 1 and the policy's own rules,
//! this is the evaluation's arithmetic, in `f64`.

use crate::eval::{NodeResult, Status};
use crate::ir::{Aggregate, NodeId, Normalisation, NotApplicable, Policy};

/// What one run sets: a weight factor per node (0 for a node left out),
/// the not-applicable rule (if varied), the root's aggregation and the
/// normalisation (if varied).
#[derive(Debug, Clone)]
pub struct Setting {
    pub factors: Vec<f64>,
    pub not_applicable: Option<NotApplicable>,
    pub aggregate: Aggregate,
    pub normalisation: Option<Normalisation>,
}

impl Setting {
    /// The policy as it is: every weight as stated, its own rules.
    pub fn nominal(policy: &Policy) -> Setting {
        Setting {
            factors: vec![1.0; policy.nodes.len()],
            not_applicable: None,
            aggregate: policy
                .nodes
                .first()
                .map(|n| n.aggregate)
                .unwrap_or_default(),
            normalisation: None,
        }
    }
}

/// How a child of a node added up again reads in a unit.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Child {
    pub score: f64,
    pub max: f64,
    pub state: State,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    Scored,
    /// Does not apply: its result is the not-applicable rule's.
    NotApplicable,
    /// Not one of the unit's rows (`by_kind`), or dropped out for a blank
    /// cell: never counted.
    Absent,
}

/// One node added up again: its counted children, each either another
/// such node (`Some(index)`) or kept as it was.
#[derive(Debug, Clone)]
struct Group {
    node: NodeId,
    points: f64,
    rescales: bool,
    aggregate: Aggregate,
    /// (child node, index among the groups if added up again).
    children: Vec<(NodeId, Option<usize>)>,
}

#[derive(Debug, Clone)]
pub struct Model {
    /// Children of later groups first: the root is last.
    groups: Vec<Group>,
    /// Per node: its declared points.
    points: Vec<f64>,
    /// Child slots per unit (every group's children, in order).
    slots: usize,
}

impl Model {
    /// The groups to add up again: those holding a node in `varied` (a
    /// node whose weight a choice sets, or whose not-applicable rule it
    /// does), and their ancestors; always the root.
    pub fn new(policy: &Policy, varied: &[bool]) -> Model {
        let n = policy.nodes.len();
        let mut again = vec![false; n];
        for (id, node) in policy.nodes.iter().enumerate() {
            if varied.get(id).copied().unwrap_or(false) {
                let mut at = node.parent;
                while let Some(p) = at {
                    if let Some(a) = again.get_mut(p) {
                        *a = true;
                    }
                    at = policy.nodes.get(p).and_then(|x| x.parent);
                }
            }
        }
        if let Some(root) = again.get_mut(0) {
            *root = true;
        }
        let mut index = vec![None; n];
        let mut groups = Vec::new();
        for id in (0..n).rev() {
            let Some(node) = policy
                .nodes
                .get(id)
                .filter(|_| again.get(id) == Some(&true))
            else {
                continue;
            };
            let children = (node.children.iter())
                .filter(|c| policy.nodes.get(**c).is_some_and(|x| !x.side))
                .map(|c| (*c, index.get(*c).copied().flatten()))
                .collect();
            if let Some(slot) = index.get_mut(id) {
                *slot = Some(groups.len());
            }
            groups.push(Group {
                node: id,
                points: node.points.to_f64(),
                rescales: node.rescale_scope,
                aggregate: node.aggregate,
                children,
            });
        }
        let slots = groups.iter().map(|g| g.children.len()).sum();
        Model {
            groups,
            points: policy.nodes.iter().map(|x| x.points.to_f64()).collect(),
            slots,
        }
    }

    /// Each node's declared points.
    pub fn points(&self) -> &[f64] {
        &self.points
    }

    /// A unit's child slots from its evaluation (node results before the
    /// factors of the groups above them).
    pub fn slots_of(&self, nodes: &[NodeResult], absent: impl Fn(NodeId) -> bool) -> Vec<Child> {
        let mut out = Vec::with_capacity(self.slots);
        for g in &self.groups {
            for &(c, _) in &g.children {
                let r = nodes.get(c);
                let state = match r.map(|r| r.status) {
                    _ if absent(c) => State::Absent,
                    Some(Status::NotApplicable) => State::NotApplicable,
                    Some(Status::Reweighted) | None => State::Absent,
                    Some(_) => State::Scored,
                };
                out.push(Child {
                    score: r.map_or(0.0, |r| r.score.to_f64()),
                    max: r.map_or(0.0, |r| r.max.to_f64()),
                    state,
                });
            }
        }
        out
    }

    /// What `setting` makes of each group and child slot, worked out once
    /// per run: the children's weight factors, the factor that keeps each
    /// group's declared points, and whether it rescales.
    pub fn prepare(&self, setting: &Setting) -> Run {
        let mut run = Run {
            factors: Vec::with_capacity(self.slots),
            points: Vec::with_capacity(self.slots),
            groups: Vec::with_capacity(self.groups.len()),
            not_applicable: setting.not_applicable,
        };
        for g in &self.groups {
            let (mut declared, mut weighted) = (0.0, 0.0);
            for &(c, _) in &g.children {
                let points = self.points.get(c).copied().unwrap_or(0.0);
                let f = setting.factors.get(c).copied().unwrap_or(1.0);
                declared += points;
                weighted += f * points;
                run.factors.push(f);
                run.points.push(points);
            }
            let aggregate = match g.node {
                0 => setting.aggregate,
                _ => g.aggregate,
            };
            run.groups.push(Prepared {
                keep: if weighted > 0.0 {
                    declared / weighted
                } else {
                    1.0
                },
                aggregate,
                rescales: g.rescales
                    || (g.node == 0
                        && matches!(setting.not_applicable, Some(NotApplicable::Rescale { .. }))),
            });
        }
        run
    }

    /// The root's score for one unit in a run.
    pub fn score(&self, slots: &[Child], run: &Run, work: &mut Work) -> f64 {
        work.groups.clear();
        let mut at = 0;
        for (g, prepared) in self.groups.iter().zip(&run.groups) {
            let means = prepared.aggregate != Aggregate::Arithmetic;
            work.parts.clear();
            let (mut score, mut max) = (0.0, 0.0);
            let end = at + g.children.len();
            let (Some(slots), Some(factors), Some(points)) = (
                slots.get(at..end),
                run.factors.get(at..end),
                run.points.get(at..end),
            ) else {
                break;
            };
            for (((&(_, again), slot), &f), &points) in
                g.children.iter().zip(slots).zip(factors).zip(points)
            {
                let (s, x) = match (slot.state, again) {
                    _ if f == 0.0 => continue,
                    (State::Absent, _) => continue,
                    (State::NotApplicable, _) => match run.not_applicable {
                        Some(NotApplicable::FullMarks) => (points, points),
                        Some(NotApplicable::Zero) => (0.0, points),
                        Some(_) => continue,
                        None => (slot.score, slot.max),
                    },
                    (State::Scored, Some(i)) => work.groups.get(i).copied().unwrap_or_default(),
                    (State::Scored, None) => (slot.score, slot.max),
                };
                score += f * s;
                max += f * x;
                if means {
                    work.parts.push((f * s, f * x));
                }
            }
            at = end;
            score *= prepared.keep;
            max *= prepared.keep;
            if means && max > 0.0 {
                score = max * mean(prepared.aggregate, &work.parts);
            }
            if prepared.rescales && max > 0.0 && max < g.points {
                score *= g.points / max;
                max = g.points;
            }
            work.groups.push((score, max));
        }
        work.groups.last().map_or(0.0, |r| r.0)
    }
}

/// A run's setting as the groups read it (see [`Model::prepare`]).
#[derive(Debug, Clone)]
pub struct Run {
    factors: Vec<f64>,
    points: Vec<f64>,
    groups: Vec<Prepared>,
    not_applicable: Option<NotApplicable>,
}

#[derive(Debug, Clone, Copy)]
struct Prepared {
    keep: f64,
    aggregate: Aggregate,
    rescales: bool,
}

/// Buffers [`Model::score`] reuses from unit to unit.
#[derive(Debug, Default)]
pub struct Work {
    groups: Vec<(f64, f64)>,
    parts: Vec<(f64, f64)>,
}

/// The mean of the rates of `parts` (score, max), weighted by their maxima
/// (as `aggregate` has it); 0 when a geometric or harmonic mean meets a
/// rate of zero.
fn mean(how: Aggregate, parts: &[(f64, f64)]) -> f64 {
    let total: f64 = parts.iter().filter(|p| p.1 > 0.0).map(|p| p.1).sum();
    let (mut sum, mut zero) = (0.0, false);
    for &(s, x) in parts.iter().filter(|p| p.1 > 0.0) {
        let (w, r) = (x / total, (s / x).max(0.0));
        zero |= r == 0.0;
        sum += match how {
            Aggregate::Geometric => w * r.ln(),
            Aggregate::Harmonic => w / r,
            Aggregate::Power(p) if r == 0.0 && p.is_negative() => 0.0,
            Aggregate::Power(p) => w * r.powf(p.to_f64()),
            Aggregate::Arithmetic => w * r,
        };
    }
    let mean = match how {
        Aggregate::Geometric | Aggregate::Harmonic if zero => 0.0,
        Aggregate::Power(p) if zero && p.is_negative() => 0.0,
        Aggregate::Geometric => sum.exp(),
        Aggregate::Harmonic => 1.0 / sum,
        Aggregate::Power(p) => sum.powf(1.0 / p.to_f64()),
        Aggregate::Arithmetic => sum,
    };
    mean.min(1.0)
}
