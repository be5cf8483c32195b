//! The pass across units, after each unit is scored: ranks overall and
//! within each kind (competition "1224", dense "1223" or ordinal "1234", on
//! the rounded score unless the policy says `exact`), grade quotas, and
//! tiers. Units that could not be scored are not ranked.
//!
//! Quotas: going from the best grade down, if more units hold a grade than
//! its quota allows (⌊quota × ranked units⌋), the lowest-ranked move to the
//! next grade; tied units move together, so a quota is never exceeded.
//! Tiers: a unit is in the first tier whose share reaches its rank
//! (rank ≤ ⌊share × ranked units⌋, at least 1), else in `rest`; or, for
//! tiers by score, in the first whose least score it reaches.

use super::Summary;
use crate::data::Dataset;
use crate::ir::{Compare, Policy, RankMethod};
use crate::num::Num;
use rayon::prelude::*;

pub fn rank(policy: &Policy, data: &Dataset, units: &mut [Summary]) {
    let method = policy.ranking.method;
    // The rounded scores rank as their whole multiples of the last place.
    let (overall, in_kind) = if policy.ranking.exact {
        ranks_by_kind(method, &keys(data, units, |r| r.exact))
    } else {
        ranks_by_kind(method, &keys(data, units, |r| r.score))
    };
    for ((unit, r), k) in units.iter_mut().zip(overall).zip(in_kind) {
        unit.rank = r;
        unit.rank_in_kind = k;
    }
    quotas(policy, units);
    tiers(policy, units);
}

/// Each ranked unit's score (as `score` takes it) and kind.
fn keys<T>(
    data: &Dataset,
    units: &[Summary],
    score: impl Fn(&Summary) -> T,
) -> Vec<Option<(T, usize)>> {
    (units.iter().enumerate())
        .map(|(i, r)| (r.scored && !r.not_scored).then(|| (score(r), data.kind(i))))
        .collect()
}

/// Ranks overall and within each kind.
fn ranks_by_kind<T: Ord + Copy + Send + Sync>(
    method: RankMethod,
    scores: &[Option<(T, usize)>],
) -> (Vec<Option<usize>>, Vec<Option<usize>>) {
    let overall = ranks(
        method,
        &scores.iter().map(|s| s.map(|(x, _)| x)).collect::<Vec<_>>(),
    );
    let mut kinds: Vec<usize> = scores.iter().flatten().map(|(_, k)| *k).collect();
    kinds.sort_unstable();
    kinds.dedup();
    let mut in_kind = vec![None; scores.len()];
    for kind in kinds {
        let of_kind: Vec<Option<T>> = scores
            .iter()
            .map(|s| s.filter(|(_, k)| *k == kind).map(|(x, _)| x))
            .collect();
        for (slot, r) in in_kind.iter_mut().zip(ranks(method, &of_kind)) {
            if r.is_some() {
                *slot = r;
            }
        }
    }
    (overall, in_kind)
}

/// Ranks of the present scores, highest first.
pub fn ranks<T: Ord + Copy + Send + Sync>(
    method: RankMethod,
    scores: &[Option<T>],
) -> Vec<Option<usize>> {
    let mut sorted: Vec<T> = scores.iter().flatten().copied().collect();
    sorted.par_sort_unstable_by(|a, b| b.cmp(a));
    // A score's place: one more than the scores above it.
    let places = |sorted: &[T]| {
        scores
            .par_iter()
            .map(|s| s.map(|x| 1 + sorted.partition_point(|y| *y > x)))
            .collect()
    };
    match method {
        RankMethod::Competition => places(&sorted),
        RankMethod::Dense => {
            sorted.dedup();
            places(&sorted)
        }
        RankMethod::Ordinal => {
            let mut order: Vec<usize> = (0..scores.len())
                .filter(|i| scores.get(*i).is_some_and(Option::is_some))
                .collect();
            // Highest first; ties in the order of the data (a stable sort).
            order.sort_by(|a, b| scores.get(*b).cmp(&scores.get(*a)));
            let mut out = vec![None; scores.len()];
            for (place, i) in order.into_iter().enumerate() {
                if let Some(slot) = out.get_mut(i) {
                    *slot = Some(place + 1);
                }
            }
            out
        }
    }
}

fn ranked(units: &[Summary]) -> usize {
    units.iter().filter(|u| u.rank.is_some()).count()
}

fn quotas(policy: &Policy, units: &mut [Summary]) {
    let n = Num::from(ranked(units));
    for (g, grade) in policy.grades.iter().enumerate() {
        let Some(quota) = grade.quota else {
            continue;
        };
        let allowed = usize::try_from((quota * n).floor().numerator()).unwrap_or(0);
        let mut holders: Vec<(usize, usize)> = units
            .iter()
            .enumerate()
            .filter(|(_, u)| u.scored && u.grade == Some(g))
            .map(|(i, u)| (u.rank.unwrap_or(usize::MAX), i))
            .collect();
        holders.sort_unstable();
        for (rank, i) in &holders {
            // How many holders rank at or above this one (its ties included).
            let reach = holders.partition_point(|(r, _)| r <= rank);
            if reach > allowed
                && let Some(u) = units.get_mut(*i)
            {
                u.grade = Some(g + 1);
            }
        }
    }
}

fn tiers(policy: &Policy, units: &mut [Summary]) {
    if policy.tiers.is_empty() {
        return;
    }
    if policy.tiers.iter().any(|t| t.at_least.is_some()) {
        return tiers_by_score(policy, units);
    }
    let n = Num::from(ranked(units));
    let reach: Vec<Option<usize>> = policy
        .tiers
        .iter()
        .map(|t| {
            t.top.map(|share| {
                usize::try_from((share * n).floor().numerator())
                    .unwrap_or(0)
                    .max(1)
            })
        })
        .collect();
    for u in units.iter_mut() {
        let Some(rank) = u.rank else { continue };
        u.tier = reach.iter().position(|r| r.is_none_or(|r| rank <= r));
    }
}

/// Each ranked unit in the first tier whose least score it reaches (its
/// rounded score, or exact with `compare exact`), else in `rest`.
fn tiers_by_score(policy: &Policy, units: &mut [Summary]) {
    for u in units.iter_mut().filter(|u| u.rank.is_some()) {
        let score = match policy.compare {
            Some(Compare::Exact) => u.exact,
            _ => Num::decimal(i128::from(u.score), policy.precision),
        };
        u.tier = policy
            .tiers
            .iter()
            .position(|t| t.at_least.is_none_or(|least| score >= least));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(x: i64) -> Option<Num> {
        Some(Num::from(x))
    }

    #[test]
    fn competition_ranking_leaves_gaps_after_ties() {
        let ranks = ranks(RankMethod::Competition, &[d(90), d(95), d(90), None, d(80)]);
        assert_eq!(ranks, vec![Some(2), Some(1), Some(2), None, Some(4)]);
    }

    #[test]
    fn dense_ranking_leaves_no_gaps() {
        let ranks = ranks(RankMethod::Dense, &[d(90), d(95), d(90), None, d(80)]);
        assert_eq!(ranks, vec![Some(2), Some(1), Some(2), None, Some(3)]);
    }

    #[test]
    fn ordinal_ranking_breaks_ties_in_data_order() {
        let ranks = ranks(RankMethod::Ordinal, &[d(90), d(95), d(90), None, d(80)]);
        assert_eq!(ranks, vec![Some(2), Some(1), Some(3), None, Some(4)]);
    }
}
