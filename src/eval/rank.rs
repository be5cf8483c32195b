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
fn keys<T: Send>(
    data: &Dataset,
    units: &[Summary],
    score: impl Fn(&Summary) -> T + Sync,
) -> Vec<Option<(T, usize)>> {
    (units.par_iter().enumerate())
        .map(|(i, r)| (r.scored && !r.not_scored).then(|| (score(r), data.kind(i))))
        .collect()
}

/// Ranks overall and within each kind.
fn ranks_by_kind<T: Ord + Copy + Send>(
    method: RankMethod,
    scores: &[Option<(T, usize)>],
) -> (Vec<Option<usize>>, Vec<Option<usize>>) {
    let mut all = Vec::new();
    // Each kind's scores and units (the kinds are few: a policy declares them).
    let mut kinds: Vec<(usize, Vec<(T, usize)>)> = Vec::new();
    for (u, (x, kind)) in (scores.iter().enumerate()).filter_map(|(u, s)| Some((u, (*s)?))) {
        all.push((x, u));
        match kinds.iter_mut().find(|(k, _)| *k == kind) {
            Some((_, of_kind)) => of_kind.push((x, u)),
            None => kinds.push((kind, vec![(x, u)])),
        }
    }
    let (mut overall, mut in_kind) = (vec![None; scores.len()], vec![None; scores.len()]);
    place(method, &mut all, &mut overall);
    for (_, mut of_kind) in kinds {
        place(method, &mut of_kind, &mut in_kind);
    }
    (overall, in_kind)
}

/// Ranks of the present scores, highest first.
pub fn ranks<T: Ord + Copy + Send>(method: RankMethod, scores: &[Option<T>]) -> Vec<Option<usize>> {
    let mut entries: Vec<(T, usize)> = (scores.iter().enumerate())
        .filter_map(|(u, s)| Some(((*s)?, u)))
        .collect();
    let mut out = vec![None; scores.len()];
    place(method, &mut entries, &mut out);
    out
}

/// Writes the rank of each `(score, unit)` of `entries` into `out` at the
/// unit: one sort, highest first and ties in the order of the data, then
/// one pass down it.
fn place<T: Ord + Copy + Send>(
    method: RankMethod,
    entries: &mut [(T, usize)],
    out: &mut [Option<usize>],
) {
    entries.par_sort_unstable_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    // The place of the first unit with this score, and the scores so far.
    let (mut first, mut distinct) = (0, 0);
    let mut last = None;
    for (place, (x, u)) in (1..).zip(entries.iter()) {
        if last != Some(*x) {
            (first, distinct, last) = (place, distinct + 1, Some(*x));
        }
        let rank = match method {
            RankMethod::Competition => first,
            RankMethod::Dense => distinct,
            RankMethod::Ordinal => place,
        };
        if let Some(slot) = out.get_mut(*u) {
            *slot = Some(rank);
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

    #[test]
    fn ranks_agree_with_counting_the_scores_above() {
        // Many ties, some units unranked.
        let scores: Vec<Option<i64>> = (0..500u64)
            .map(|i| i.wrapping_mul(2_654_435_761) % 23)
            .map(|x| (x != 0).then_some(x as i64 % 11))
            .collect();
        let present = || {
            scores
                .iter()
                .enumerate()
                .filter_map(|(j, s)| Some((j, (*s)?)))
        };
        for (i, s) in scores.iter().enumerate() {
            let Some(x) = *s else { continue };
            let above = present().filter(|(_, y)| *y > x).count();
            let mut distinct: Vec<i64> = present().map(|(_, y)| y).filter(|y| *y > x).collect();
            distinct.sort_unstable();
            distinct.dedup();
            let earlier_ties = present().filter(|(j, y)| *y == x && *j < i).count();
            let rank = |method| ranks(method, &scores).get(i).copied().flatten();
            assert_eq!(rank(RankMethod::Competition), Some(above + 1));
            assert_eq!(rank(RankMethod::Dense), Some(distinct.len() + 1));
            assert_eq!(rank(RankMethod::Ordinal), Some(above + earlier_ties + 1));
        }
        let unranked = scores.iter().filter(|s| s.is_none()).count();
        let given = ranks(RankMethod::Competition, &scores);
        assert_eq!(given.iter().filter(|r| r.is_none()).count(), unranked);
    }
}
