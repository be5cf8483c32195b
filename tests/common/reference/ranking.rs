//! Ranks, grade quotas and tiers.

use super::*;

/// Ranks, grade quotas and tiers, across the scored units.
pub(super) fn rank(policy: &Policy, data: &Dataset, units: &mut [Option<Scored>]) {
    let key = |s: &Scored| {
        if policy.ranking.exact {
            s.exact.clone()
        } else {
            s.score.clone()
        }
    };
    let scores: Vec<Option<Q>> = units.iter().map(|s| s.as_ref().map(key)).collect();
    let overall = ranks(policy.ranking.method, &scores);
    for (u, r) in units.iter_mut().zip(&overall) {
        if let Some(u) = u {
            u.rank = *r;
        }
    }
    let mut kinds: Vec<usize> = (0..data.len()).map(|u| data.kind(u)).collect();
    kinds.sort_unstable();
    kinds.dedup();
    for k in kinds {
        let of_kind: Vec<Option<Q>> = scores
            .iter()
            .enumerate()
            .map(|(u, s)| s.clone().filter(|_| data.kind(u) == k))
            .collect();
        for (u, r) in ranks(policy.ranking.method, &of_kind)
            .into_iter()
            .enumerate()
        {
            if let (Some(Some(s)), Some(r)) = (units.get_mut(u), r) {
                s.rank_in_kind = Some(r);
            }
        }
    }
    let ranked = units.iter().flatten().count();
    for (g, grade) in policy.grades.iter().enumerate() {
        let Some(quota) = grade.quota else { continue };
        let allowed = (q(quota) * int(ranked as i64))
            .floor()
            .to_integer()
            .to_usize()
            .unwrap_or(0);
        let mut holders: Vec<usize> = units
            .iter()
            .filter_map(|s| s.as_ref())
            .filter(|s| s.grade == Some(g))
            .filter_map(|s| s.rank)
            .collect();
        holders.sort_unstable();
        for s in units.iter_mut().flatten() {
            if s.grade == Some(g)
                && let Some(r) = s.rank
                && holders.partition_point(|x| *x <= r) > allowed
            {
                s.grade = Some(g + 1);
            }
        }
    }
    let reach: Vec<Option<usize>> = policy
        .tiers
        .iter()
        .map(|t| {
            t.top.map(|share| {
                (q(share) * int(ranked as i64))
                    .floor()
                    .to_integer()
                    .to_usize()
                    .unwrap_or(0)
                    .max(1)
            })
        })
        .collect();
    if !policy.tiers.is_empty() {
        for s in units.iter_mut().flatten() {
            if let Some(r) = s.rank {
                s.tier = reach.iter().position(|x| x.is_none_or(|x| r <= x));
            }
        }
    }
}

fn ranks(method: RankMethod, scores: &[Option<Q>]) -> Vec<Option<usize>> {
    let mut sorted: Vec<&Q> = scores.iter().flatten().collect();
    sorted.sort_by(|a, b| b.cmp(a));
    match method {
        RankMethod::Competition => scores
            .iter()
            .map(|s| s.as_ref().map(|x| 1 + sorted.partition_point(|y| *y > x)))
            .collect(),
        RankMethod::Dense => {
            sorted.dedup();
            scores
                .iter()
                .map(|s| s.as_ref().map(|x| 1 + sorted.partition_point(|y| *y > x)))
                .collect()
        }
        RankMethod::Ordinal => {
            let mut order: Vec<usize> =
                (0..scores.len()).filter(|i| scores[*i].is_some()).collect();
            order.sort_by(|a, b| scores[*b].cmp(&scores[*a]));
            let mut out = vec![None; scores.len()];
            for (place, i) in order.into_iter().enumerate() {
                out[i] = Some(place + 1);
            }
            out
        }
    }
}
