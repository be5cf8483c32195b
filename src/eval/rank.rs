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
use crate::ir::{Compare, KindId, Policy, RankMethod};
use crate::num::Num;
use rayon::prelude::*;

pub fn rank(policy: &Policy, data: &Dataset, units: &mut [Summary]) {
    let method = policy.ranking.method;
    // The rounded scores rank as their whole multiples of the last place.
    if policy.ranking.exact {
        place_by_kind(method, units, |r| r.exact, |u| data.kind(u));
    } else {
        place_by_kind(method, units, |r| r.score, |u| data.kind(u));
    }
    quotas(policy, units);
    tiers(policy, units);
}

/// Ranks the units overall and within each kind, by their scores as
/// `score` takes them, from one sort: a kind's units keep their order in
/// the overall one.
fn place_by_kind<T: Ord + Copy + Send>(
    method: RankMethod,
    units: &mut [Summary],
    score: impl Fn(&Summary) -> T + Sync,
    kind_of: impl Fn(usize) -> KindId,
) {
    let mut ranked: Vec<(T, usize)> = (units.par_iter_mut().enumerate())
        .filter_map(|(u, r)| {
            (r.rank, r.rank_in_kind) = (None, None);
            (r.scored && !r.not_scored).then(|| (score(r), u))
        })
        .collect();
    sort(&mut ranked);
    let mut everyone = Standing::default();
    // By kind; the kinds are few (a policy declares them).
    let mut kinds: Vec<Standing<T>> = Vec::new();
    for &(x, u) in &ranked {
        let kind = kind_of(u);
        if kinds.len() <= kind {
            kinds.resize_with(kind + 1, Standing::default);
        }
        if let (Some(r), Some(standing)) = (units.get_mut(u), kinds.get_mut(kind)) {
            r.rank = Some(everyone.next(method, x));
            r.rank_in_kind = Some(standing.next(method, x));
        }
    }
}

/// Ranks of the present scores, highest first.
pub fn ranks<T: Ord + Copy + Send>(method: RankMethod, scores: &[Option<T>]) -> Vec<Option<usize>> {
    let mut entries: Vec<(T, usize)> = (scores.iter().enumerate())
        .filter_map(|(u, s)| Some(((*s)?, u)))
        .collect();
    sort(&mut entries);
    let mut out = vec![None; scores.len()];
    let mut standing = Standing::default();
    for &(x, u) in &entries {
        if let Some(slot) = out.get_mut(u) {
            *slot = Some(standing.next(method, x));
        }
    }
    out
}

/// Highest first, ties in the order of the data.
fn sort<T: Ord + Copy + Send>(entries: &mut [(T, usize)]) {
    entries.par_sort_unstable_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
}

/// The way down a sorted list of scores: the place reached, the place of
/// the first unit with the last score, and the scores so far.
struct Standing<T> {
    place: usize,
    first: usize,
    distinct: usize,
    last: Option<T>,
}

impl<T> Default for Standing<T> {
    fn default() -> Self {
        Standing {
            place: 0,
            first: 0,
            distinct: 0,
            last: None,
        }
    }
}

impl<T: PartialEq + Copy> Standing<T> {
    /// The rank of the next unit down, which scores `x`.
    fn next(&mut self, method: RankMethod, x: T) -> usize {
        self.place += 1;
        if self.last != Some(x) {
            (self.first, self.distinct, self.last) = (self.place, self.distinct + 1, Some(x));
        }
        match method {
            RankMethod::Competition => self.first,
            RankMethod::Dense => self.distinct,
            RankMethod::Ordinal => self.place,
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

    #[test]
    fn ranks_in_a_kind_are_those_of_the_kind_ranked_alone() {
        let scores: Vec<Option<(i64, usize)>> = (0..600u64)
            .map(|i| i.wrapping_mul(2_654_435_761) % 29)
            .map(|x| (x != 0).then_some((x as i64 % 7, x as usize % 3)))
            .collect();
        for method in [
            RankMethod::Competition,
            RankMethod::Dense,
            RankMethod::Ordinal,
        ] {
            let mut units: Vec<Summary> = (scores.iter())
                .map(|s| Summary {
                    score: s.map_or(0, |(x, _)| x),
                    scored: s.is_some(),
                    rank: Some(1),
                    ..Summary::UNSCORED
                })
                .collect();
            let kind = |u: usize| scores.get(u).copied().flatten().map_or(0, |(_, k)| k);
            place_by_kind(method, &mut units, |r| r.score, kind);
            let plain: Vec<Option<i64>> = scores.iter().map(|s| s.map(|(x, _)| x)).collect();
            let overall: Vec<Option<usize>> = units.iter().map(|r| r.rank).collect();
            assert_eq!(overall, ranks(method, &plain));
            for k in 0..3 {
                let of_kind: Vec<Option<i64>> = (scores.iter())
                    .map(|s| s.filter(|(_, j)| *j == k).map(|(x, _)| x))
                    .collect();
                let expected = ranks(method, &of_kind);
                for (u, s) in scores.iter().enumerate() {
                    if matches!(s, Some((_, j)) if *j == k) {
                        let given = units.get(u).and_then(|r| r.rank_in_kind);
                        let expected = expected.get(u).copied().flatten();
                        assert!(expected.is_some());
                        assert_eq!(given, expected, "unit {u}, {method:?}");
                    }
                }
            }
            let unranked = scores.iter().filter(|s| s.is_none()).count();
            assert_eq!(
                units.iter().filter(|r| r.rank_in_kind.is_none()).count(),
                unranked
            );
        }
    }
}
