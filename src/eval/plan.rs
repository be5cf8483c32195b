//! What the evaluation of every unit shares, worked out once before the
//! units are scored and then only read (so threads share it): the nodes
//! whose applicability depends on the unit, the tables of rules over one
//! input with few values, every unit's value of every peer statistic, and
//! the previous period aligned with the units.

use super::Evaluation;
use super::peers::{self, Table};
use super::period::Period;
use super::tabulate::{Tabulated, tabulate};
use super::unit::{Evaluator, item};
use crate::data::Dataset;
use crate::ir::{NodeId, Policy};
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
    /// Per node, the table of an item whose rule reads one input with few values.
    pub tables: Vec<Option<Tabulated>>,
    /// Every unit's value of every peer statistic.
    pub peers: Table,
    pub before: Option<Period<'a>>,
}

impl<'a> Plan<'a> {
    /// The plan for scoring the units of `data`, after `previous` (last
    /// period's data and its evaluation by the same policy), if given.
    /// Peer statistics are computed here, in parallel in the current
    /// thread pool.
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
                    item(env, rule, n.points).map(|r| r.score)
                })
            })
            .collect();
        let mut plan = Plan {
            policy,
            data,
            conditional,
            thresholds: policy
                .nodes
                .iter()
                .enumerate()
                .filter(|(_, n)| n.fail_below.is_some())
                .map(|(id, _)| id)
                .collect(),
            tables,
            peers: Table::default(),
            before: previous.map(|(before, results)| Period::new(data, before, results)),
        };
        peers::compute(policy, data, None, &mut plan.peers);
        if policy.peers.iter().any(|p| peers::reads_nodes(policy, p)) {
            // Statistics of node scores: score every unit first (the nodes
            // they read do not depend on them: `check` makes sure).
            let scores = plan.node_scores();
            let mut table = std::mem::take(&mut plan.peers);
            peers::compute(policy, data, Some(&scores), &mut table);
            plan.peers = table;
        }
        plan
    }

    /// Each unit's scores of the nodes that peer statistics read (`None`
    /// where the unit could not be scored), row by row.
    fn node_scores(&self) -> Vec<Option<Num>> {
        let refs = &self.policy.node_refs;
        (0..self.data.len())
            .into_par_iter()
            .map_init(
                || Evaluator::new(self),
                |evaluator, u| match evaluator.evaluate(u) {
                    Ok(_) => refs.iter().map(|n| Some(evaluator.score_of(*n))).collect(),
                    Err(_) => vec![None; refs.len()],
                },
            )
            .flatten()
            .collect()
    }
}
