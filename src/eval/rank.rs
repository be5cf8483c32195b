//! Ranking across units: competition ranking ("1224") on the final, rounded
//! score, overall and within each kind. Units that could not be scored are
//! not ranked.

use super::UnitResult;
use crate::data::Dataset;
use crate::ir::Policy;
use rust_decimal::Decimal;

pub fn rank(_policy: &Policy, data: &Dataset, units: &mut [Option<UnitResult>]) {
    let scores: Vec<Option<(Decimal, usize)>> = units
        .iter()
        .enumerate()
        .map(|(i, r)| {
            r.as_ref()
                .map(|r| (r.score, data.units.get(i).map_or(0, |u| u.kind)))
        })
        .collect();
    let overall = competition(scores.iter().map(|s| s.map(|(score, _)| score)));
    let mut kinds: Vec<usize> = scores.iter().flatten().map(|(_, k)| *k).collect();
    kinds.sort_unstable();
    kinds.dedup();
    let mut in_kind = vec![None; units.len()];
    for kind in kinds {
        let ranks = competition(
            scores
                .iter()
                .map(|s| s.filter(|(_, k)| *k == kind).map(|(score, _)| score)),
        );
        for (slot, r) in in_kind.iter_mut().zip(ranks) {
            if r.is_some() {
                *slot = r;
            }
        }
    }
    for ((unit, r), k) in units.iter_mut().zip(overall).zip(in_kind) {
        if let Some(unit) = unit {
            unit.rank = r;
            unit.rank_in_kind = k;
        }
    }
}

/// Competition ranks ("1224") of the present scores, highest first.
pub fn competition(scores: impl Iterator<Item = Option<Decimal>>) -> Vec<Option<usize>> {
    let scores: Vec<Option<Decimal>> = scores.collect();
    let mut sorted: Vec<Decimal> = scores.iter().flatten().copied().collect();
    sorted.sort_unstable_by(|a, b| b.cmp(a));
    scores
        .iter()
        .map(|s| s.map(|x| 1 + sorted.partition_point(|y| *y > x)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn competition_ranking_leaves_gaps_after_ties() {
        let d = |x: i64| Some(Decimal::from(x));
        let ranks = competition([d(90), d(95), d(90), None, d(80)].into_iter());
        assert_eq!(ranks, vec![Some(2), Some(1), Some(2), None, Some(4)]);
    }
}
