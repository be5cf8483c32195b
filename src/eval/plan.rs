//! What the evaluation of every unit shares, worked out once before the
//! units are scored and then only read (so threads share it): the nodes
//! whose applicability depends on the unit, the tables of rules over one
//! input with few values, every unit's value of every peer statistic, and
//! the previous period aligned with the units.

use super::Evaluation;
use super::expr::{Before, Cells, Env, EvalError};
use super::item;
use super::peers;
use super::period::Period;
use super::table::Table;
use super::tabulate::{Tabulated, tabulate};
use crate::data::Dataset;
use crate::ir::{Aggregate, Expr, Node, NodeId, NotApplicable, Policy, Rule, Value, VetoAction};
use crate::num::Num;
use rayon::prelude::*;

pub struct Plan<'a> {
    pub policy: &'a Policy,
    pub data: &'a Dataset,
    /// Nodes whose applicability depends on the unit (a `for` or `when` on
    /// them or above them), in pre-order; every other node always applies.
    pub conditional: Vec<NodeId>,
    /// Nodes with a fail threshold.
    pub thresholds: Vec<NodeId>,
    /// Per node, what the per-unit pass reads of it.
    pub steps: Vec<Step<'a>>,
    /// Per node, the children that count in its score (all but side
    /// totals), so a group's pass reads no child's declaration.
    pub counted: Vec<Box<[NodeId]>>,
    /// Per node, the table of an item whose rule reads one input with few values.
    pub tables: Vec<Option<Tabulated>>,
    /// Every unit's value of every peer statistic.
    pub peers: Table,
    /// Every unit's scores of the nodes `node_score` reads (`policy.node_refs`,
    /// row by row), for rules that read them themselves; and per unit, whether
    /// it has them all.
    pub node_scores: (Vec<Num>, Vec<bool>),
    /// Per unit: a `not_scored` veto holds, so it is not scored nor
    /// compared (empty when the policy has no such veto).
    pub not_scored: Vec<bool>,
    pub before: Option<Period<'a>>,
}

impl<'a> Plan<'a> {
    /// The plan for scoring the units of `data`, after `previous` (last
    /// period's data and its evaluation by the same policy), if given.
    /// Peer statistics that read only inputs are computed here, in parallel
    /// in the current thread pool; those of node scores need the units
    /// scored first ([`super::plan`] does both).
    pub fn new(
        policy: &'a Policy,
        data: &'a Dataset,
        previous: Option<(&'a Dataset, &'a Evaluation)>,
    ) -> Plan<'a> {
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
                    item::score(env, rule, n.points).map(|r| r.score)
                })
            })
            .collect();
        let mut plan = Plan {
            policy,
            data,
            conditional,
            thresholds: policy.fail_lines(),
            steps: policy.nodes.iter().map(Step::of).collect(),
            counted: (policy.nodes.iter())
                .map(|n| {
                    let counts = |c: &&NodeId| policy.nodes.get(**c).is_some_and(|c| !c.side);
                    n.children.iter().filter(counts).copied().collect()
                })
                .collect(),
            tables,
            peers: Table::default(),
            not_scored: Vec::new(),
            node_scores: (Vec::new(), Vec::new()),
            before: previous.map(|(before, results)| Period::new(data, before, results)),
        };
        plan.not_scored = plan.vetoed();
        peers::compute(policy, data, None, &plan.not_scored, &mut plan.peers);
        plan
    }

    /// Per unit, whether a `not_scored` veto holds; a condition that cannot
    /// be decided leaves the unit in (its error is reported when it is
    /// scored).
    fn vetoed(&self) -> Vec<bool> {
        let policy = self.policy;
        if !policy.vetoes_scoring() {
            return Vec::new();
        }
        (0..self.data.len())
            .into_par_iter()
            .map_init(
                || vec![None; policy.lets.len()],
                |lets, u| {
                    lets.iter_mut().for_each(|l| *l = None);
                    let mut env = env(self, u, lets, Num::ZERO);
                    policy.vetoes.iter().any(|v| {
                        matches!(v.action, VetoAction::NotScored)
                            && matches!(env.boolean(&v.condition), Ok(true))
                    })
                },
            )
            .collect()
    }

    /// Whether unit `u` is kept from being scored by a veto.
    pub fn is_not_scored(&self, u: usize) -> bool {
        self.not_scored.get(u).copied().unwrap_or(false)
    }

    /// Whether peer statistics or rules read node scores.
    pub fn reads_node_scores(&self) -> bool {
        let policy = self.policy;
        peers::read_nodes(policy) || policy.reads_node_scores()
    }

    /// Keeps every unit's scores of the nodes `node_score` reads, for rules
    /// that read them themselves.
    pub fn keep_node_scores(&mut self, scores: &[Option<Num>]) {
        let refs = self.policy.node_refs.len().max(1);
        let known = scores
            .chunks(refs)
            .map(|row| row.iter().all(Option::is_some));
        let known = known.collect();
        let values = scores.iter().map(|s| s.unwrap_or(Num::ZERO)).collect();
        self.node_scores = (values, known);
    }

    /// Unit `u`'s scores of the nodes `node_score` reads (empty if unknown).
    pub fn node_scores_of(&self, u: usize) -> &[Num] {
        let refs = self.policy.node_refs.len();
        let (values, known) = &self.node_scores;
        match known.get(u) {
            Some(true) => values.get(u * refs..(u + 1) * refs).unwrap_or(&[]),
            _ => &[],
        }
    }

    /// Computes the statistics of node scores from every unit's `scores` of
    /// the nodes they read (`None` where a unit could not be scored), row by
    /// row.
    pub fn add_node_statistics(&mut self, scores: &[Option<Num>]) {
        let not_scored = &self.not_scored;
        peers::compute(
            self.policy,
            self.data,
            Some(scores),
            not_scored,
            &mut self.peers,
        );
    }
}

/// What the per-unit pass reads of a node, kept side by side for all
/// nodes: a node's whole declaration is large, and reading it for every
/// unit spreads the pass over many more cache lines.
#[derive(Clone, Copy)]
pub struct Step<'a> {
    pub points: Num,
    pub parent: Option<NodeId>,
    /// `Some` for an item.
    pub rule: Option<&'a Rule>,
    pub not_applicable: NotApplicable,
    /// A group with no children and no rule: a heading of no points.
    pub heading: bool,
    pub rescale_scope: bool,
    pub aggregate: Aggregate,
    pub minus: Option<&'a (Expr, Num)>,
}

impl<'a> Step<'a> {
    fn of(node: &'a Node) -> Step<'a> {
        Step {
            points: node.points,
            parent: node.parent,
            rule: node.rule.as_ref(),
            not_applicable: node.not_applicable,
            heading: node.is_heading(),
            rescale_scope: node.rescale_scope,
            aggregate: node.aggregate,
            minus: node.minus.as_ref(),
        }
    }
}

/// An environment for unit `u` of `plan`: its cells, its cells last period
/// (if it was there), its derived values so far and its peer statistics.
pub(super) fn env<'a>(
    plan: &'a Plan<'a>,
    u: usize,
    lets: &'a mut [Option<Result<Value, EvalError>>],
    base: Num,
) -> Env<'a> {
    let previous = plan.before.as_ref().and_then(|p| Some((p, p.row(u)?)));
    Env {
        policy: plan.policy,
        cells: Cells::Data(plan.data, u),
        lets,
        peers: Some((&plan.peers, u)),
        before: previous.map(|(p, b)| Before {
            cells: Cells::Data(p.data, b),
            score: p.score(u),
            rank: p.rank(u),
        }),
        nodes: plan.node_scores_of(u),
        base,
        read_default: false,
    }
}
