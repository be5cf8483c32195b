//! Peer statistics: before any unit is scored, each statistic's argument is
//! evaluated for every unit, the units are grouped (all, by kind, or by a
//! choice input), and each group is summarised once (sorted values, sum,
//! spread). Each unit's value of the statistic is then a lookup, so the whole
//! pass is O(n log n) in the number of units, never a pass over all units
//! per unit.
//!
//! Stated behaviour: units whose argument has no value (a blank cell, a
//! division by zero ...) are left out of their group, and the statistics
//! that describe the unit itself (rank, percentile, minmax, zscore) give
//! that unit its error. A group of one: mean, median, lowest and highest are
//! its value, rank 1, percentile 1, minmax 1, zscore 0. Ties share the best
//! rank (1224) and the mean percentile. A group with no value at all gives
//! every unit in it an error naming the statistic.
//!
//! Statistics of node scores (`mean(node_score(统筹管理))`) are computed
//! after a first pass that scores every unit (see `Plan::new`).

use super::expr::{Cells, Env, EvalError};
use super::table::Table;
use super::treat::{self, Treated, Treatment};
use crate::data::Dataset;
use crate::ir::{Peer, PeerGroup, Policy, Stat, Value};
use crate::num::{IRRATIONAL_PLACES, Num, Rounding};
use rayon::prelude::*;
use std::collections::HashMap;

/// Whether any statistic reads node scores, itself or through another
/// statistic (so it needs the units scored first).
pub fn read_nodes(policy: &Policy) -> bool {
    crate::ir::peer_levels(&policy.peers, &policy.lets)
        .iter()
        .any(|(_, nodes)| *nodes)
}

/// Fills `table` with the statistics that read only inputs, or — given
/// each unit's scores of the nodes they read, row by row (`None` for a
/// unit that could not be scored) — with those that read node scores.
/// Units a `not_scored` veto keeps out are in no group.
/// The arguments (all of them in one pass over the units) and each unit's
/// value are computed in parallel in the current thread pool.
pub fn compute(
    policy: &Policy,
    data: &Dataset,
    node_scores: Option<&[Option<Num>]>,
    not_scored: &[bool],
    table: &mut Table,
) {
    let (n, k) = (data.len(), policy.peers.len());
    table.size(n, k);
    if n == 0 {
        return;
    }
    let levels = crate::ir::peer_levels(&policy.peers, &policy.lets);
    let top = levels.iter().map(|(l, _)| *l).max().unwrap_or(0);
    for level in 0..=top {
        let chosen: Vec<usize> = (levels.iter().enumerate())
            .filter(|(_, (l, nodes))| *l == level && *nodes == node_scores.is_some())
            .map(|(p, _)| p)
            .collect();
        if !chosen.is_empty() {
            let args = arguments(policy, data, node_scores, table, &chosen);
            for (j, &p) in chosen.iter().enumerate() {
                summarise(policy, data, not_scored, table, p, |u| {
                    args.get(u * chosen.len() + j).copied()
                });
            }
        }
    }
}

/// Fills in statistic `p` for every unit, from each unit's argument (`own`).
fn summarise(
    policy: &Policy,
    data: &Dataset,
    not_scored: &[bool],
    table: &mut Table,
    p: usize,
    own: impl Fn(usize) -> Option<Result<Num, EvalError>> + Sync,
) {
    let Some(peer) = policy.peers.get(p) else {
        return;
    };
    let n = data.len();
    let own = |u: usize| own(u).unwrap_or(Err(EvalError::EmptyGroup(peer.span)));
    let keys: Vec<u64> = (0..n).map(|u| group_key(peer, data, u)).collect();
    let mut groups: HashMap<u64, Group> = HashMap::new();
    for (u, key) in keys.iter().enumerate() {
        if not_scored.get(u) == Some(&true) {
            continue;
        }
        if let Ok(x) = own(u) {
            groups.entry(*key).or_default().values.push(x);
        }
    }
    groups.values_mut().for_each(|g| g.summarise(peer));
    let slots: Vec<Result<Num, EvalError>> = (0..n)
        .into_par_iter()
        .map(|u| {
            let empty = Err(EvalError::EmptyGroup(peer.span));
            match (keys.get(u).and_then(|key| groups.get(key)), own(u)) {
                (Some(g), own) => g.value(peer, own),
                // Of a group without values: that is the problem, even
                // where the unit's own value is missing too.
                (None, _) if describes_group(peer.stat) => empty,
                (None, own) => own.and(empty),
            }
        })
        .collect();
    if peer.stat == Stat::Treated {
        record_treated(p, &keys, &groups, &slots, own, table);
    }
    for (u, slot) in slots.into_iter().enumerate() {
        table.set(u, p, slot);
    }
}

/// Keeps, per treated group, the units whose value `treat` changed.
fn record_treated(
    p: usize,
    keys: &[u64],
    groups: &HashMap<u64, Group>,
    slots: &[Result<Num, EvalError>],
    own: impl Fn(usize) -> Result<Num, EvalError>,
    table: &mut Table,
) {
    let mut treated: Vec<(u64, Treated)> = Vec::new();
    for (u, (key, slot)) in keys.iter().zip(slots).enumerate() {
        let treatment = groups.get(key).map_or(Treatment::None, |g| g.treatment);
        let changed = matches!((slot, own(u)), (Ok(t), Ok(x)) if !t.same(x));
        if treatment == Treatment::None || !changed {
            continue;
        }
        match treated.iter_mut().find(|(k, _)| k == key) {
            Some((_, t)) => t.units.push(u),
            None => treated.push((
                *key,
                Treated {
                    peer: p,
                    treatment,
                    units: vec![u],
                },
            )),
        }
    }
    table.treated.extend(treated.into_iter().map(|(_, t)| t));
}

/// Every unit's argument of each of the `chosen` statistics, row by row.
fn arguments(
    policy: &Policy,
    data: &Dataset,
    node_scores: Option<&[Option<Num>]>,
    table: &Table,
    chosen: &[usize],
) -> Vec<Result<Num, EvalError>> {
    let refs = policy.node_refs.len();
    let mut args = vec![Ok(Num::ZERO); data.len() * chosen.len()];
    args.par_chunks_mut(chosen.len()).enumerate().for_each_init(
        || (Vec::new(), vec![None; policy.lets.len()]),
        |(nodes, lets), (u, out)| {
            nodes.clear();
            let row = node_scores.and_then(|s| s.get(u * refs..(u + 1) * refs));
            if let Some(row) = row
                && row.iter().all(Option::is_some)
            {
                nodes.extend(row.iter().flatten());
            }
            lets.iter_mut().for_each(|l| *l = None);
            let mut env = Env::over(policy, Cells::Data(data, u), lets);
            env.nodes = nodes;
            env.peers = Some((table, u));
            for (slot, p) in out.iter_mut().zip(chosen) {
                if let Some(peer) = policy.peers.get(*p) {
                    *slot = env.number(&peer.arg);
                }
            }
        },
    );
    args
}

/// Statistics of the group, as opposed to the unit's place in it.
fn describes_group(stat: Stat) -> bool {
    matches!(
        stat,
        Stat::Mean
            | Stat::Median
            | Stat::Lowest
            | Stat::Highest
            | Stat::Quantile
            | Stat::GroupSize
            | Stat::Skewness
            | Stat::Kurtosis
    )
}

fn group_key(peer: &Peer, data: &Dataset, u: usize) -> u64 {
    match peer.group {
        PeerGroup::All => 0,
        PeerGroup::Kind => data.kind(u) as u64,
        PeerGroup::Input(i) => match data.value(u, i) {
            Value::Choice(c) => u64::from(c),
            // A blank group cell: a group of its own.
            _ => u64::MAX,
        },
    }
}

#[derive(Default)]
struct Group {
    /// Sorted ascending after `summarise`.
    values: Vec<Num>,
    mean: Num,
    /// Population standard deviation.
    spread: Num,
    /// Skewness and excess kurtosis, when the statistic asks for them.
    shape: (Num, Num),
    /// What `treat` does to the group's values.
    treatment: Treatment,
}

impl Group {
    fn summarise(&mut self, peer: &Peer) {
        self.values.sort_unstable();
        let n = Num::from(self.values.len());
        let sum: Num = self.values.iter().sum();
        self.mean = sum.checked_div(n).unwrap_or_default();
        // The variance as the mean square less the squared mean: the same
        // exact value as the mean squared deviation, with terms over one
        // denominator (so they add as integers).
        let squares: Num = self.values.iter().map(|x| *x * *x).sum();
        let variance = squares.checked_div(n).unwrap_or_default() - self.mean * self.mean;
        self.spread = variance.sqrt().unwrap_or_default();
        match peer.stat {
            Stat::Skewness | Stat::Kurtosis => self.shape = treat::shape(&self.values),
            Stat::Treated => {
                let most = peer.param.unwrap_or_default().numerator();
                self.treatment = treat::treatment(&self.values, usize::try_from(most).unwrap_or(0));
            }
            _ => {}
        }
    }

    fn lowest(&self) -> Num {
        self.values.first().copied().unwrap_or_default()
    }

    fn highest(&self) -> Num {
        self.values.last().copied().unwrap_or_default()
    }

    fn median(&self) -> Num {
        let n = self.values.len();
        let at = |i: usize| self.values.get(i).copied().unwrap_or_default();
        if n % 2 == 1 {
            at(n / 2)
        } else {
            (at(n / 2 - 1) + at(n / 2)) / Num::TWO
        }
    }

    /// The `k`-th highest or lowest value (ties each count: of 9, 9, 7 the
    /// second highest is 9); an error when the group has fewer than `k`.
    fn nth(&self, stat: Stat, k: Num, span: crate::source::Span) -> Result<Num, EvalError> {
        let n = self.values.len();
        let k = usize::try_from(k.numerator()).unwrap_or(usize::MAX);
        let at = match stat {
            Stat::Highest => n.checked_sub(k),
            _ => k.checked_sub(1),
        };
        (at.and_then(|i| self.values.get(i)).copied()).ok_or(EvalError::FewInGroup(span))
    }

    /// The `p`-quantile, interpolated linearly between the closest ranks
    /// (Excel's PERCENTILE.INC, numpy's default): at position (n − 1)·p of
    /// the sorted values. Exact.
    fn quantile(&self, p: Num) -> Num {
        let at = |i: Num| {
            let i = usize::try_from(i.numerator()).unwrap_or(usize::MAX);
            self.values
                .get(i)
                .or(self.values.last())
                .copied()
                .unwrap_or_default()
        };
        let position = Num::from(self.values.len() - 1) * p;
        let below = position.floor();
        at(below) + (position - below) * (at(below + Num::ONE) - at(below))
    }

    /// How many values are below `x`, and how many equal it.
    fn place(&self, x: Num) -> (usize, usize) {
        let below = self.values.partition_point(|v| *v < x);
        let upto = self.values.partition_point(|v| *v <= x);
        (below, upto - below)
    }

    fn value(&self, peer: &Peer, own: Result<Num, EvalError>) -> Result<Num, EvalError> {
        let n = self.values.len();
        if n == 0 {
            return Err(EvalError::EmptyGroup(peer.span));
        }
        let number = Ok;
        let stat = peer.stat;
        match (stat, peer.param) {
            (Stat::Lowest | Stat::Highest, Some(k)) => return self.nth(stat, k, peer.span),
            (Stat::Quantile, Some(p)) => return number(self.quantile(p)),
            _ => {}
        }
        match stat {
            Stat::Mean => return number(self.mean),
            Stat::Median => return number(self.median()),
            Stat::Lowest => return number(self.lowest()),
            Stat::Highest => return number(self.highest()),
            Stat::GroupSize => return number(Num::from(n)),
            Stat::Skewness => return number(self.shape.0),
            Stat::Kurtosis => return number(self.shape.1),
            _ => {}
        }
        let x = own?;
        let range = self.highest() - self.lowest();
        match stat {
            Stat::Rank => {
                let (below, equal) = self.place(x);
                number(Num::from(n - below - equal + 1))
            }
            Stat::Percentile if n == 1 => number(Num::ONE),
            Stat::Percentile => {
                let (below, equal) = self.place(x);
                let position = Num::from(below) + Num::from(equal - 1) / Num::TWO;
                number(position / Num::from(n - 1))
            }
            Stat::MinMax | Stat::MinMaxLower if range.is_zero() => number(Num::ONE),
            Stat::MinMax => number((x - self.lowest()) / range),
            Stat::MinMaxLower => number((self.highest() - x) / range),
            Stat::Treated => self
                .treatment
                .apply(x)
                .ok_or(EvalError::OutOfDomain(peer.span)),
            Stat::ZScore if self.spread.is_zero() => number(Num::ZERO),
            // The spread is irrational, so the score is: rounded once, like it.
            Stat::ZScore => {
                number(((x - self.mean) / self.spread).round(IRRATIONAL_PLACES, Rounding::HalfEven))
            }
            _ => number(Num::ZERO),
        }
    }
}
