//! Ranks and grades within a run, and each unit's summary over all runs.

use super::Ranked;
use crate::ir::RankMethod;
use crate::syntax::ast::Interval;

/// One unit over all runs.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Unit {
    /// The published rank (within its kind when the policy has kinds).
    pub rank: u32,
    pub median: u32,
    /// The 5th and 95th percentiles of its rank.
    pub low: u32,
    pub high: u32,
    /// Mean absolute shift from the published rank.
    pub mean_shift: f64,
    /// The share of runs in which it has each grade.
    pub grades: Vec<f64>,
}

/// Reused from run to run: counts of scores at each hundredth (or whatever
/// the precision is) per group.
#[derive(Debug, Default)]
pub(super) struct Counts {
    at: Vec<u32>,
    seen: Vec<u32>,
}

/// Rounded scores are counted rather than sorted up to this many
/// possible values (or four per unit).
const MOST_SLOTS: usize = 1 << 16;

/// Ranks `scores` (of the units in `ranked`) within their groups, as the
/// policy ranks: on the score rounded at its precision unless it ranks on
/// the exact one. Rounded scores are counted into one slot per possible
/// value when there are not too many; otherwise they are sorted.
pub(super) fn rank(
    method: RankMethod,
    ranked: &Ranked,
    scores: &[f64],
    counts: &mut Counts,
    out: &mut [u32],
) {
    let top = scores.iter().fold(0.0f64, |a, b| a.max(*b));
    let width = (top * ranked.scale).round() as usize + 1;
    if ranked.exact || width > MOST_SLOTS.max(4 * scores.len()) {
        return sorted(method, ranked, scores, out);
    }
    let slot = |i: usize, s: f64| {
        let key = ((s * ranked.scale).round().max(0.0) as usize).min(width - 1);
        ranked.groups.get(i).copied().unwrap_or(0) * width + key
    };
    counts.at.clear();
    counts.at.resize(width * ranked.group_count, 0);
    for (i, s) in scores.iter().enumerate() {
        if let Some(c) = counts.at.get_mut(slot(i, *s)) {
            *c += 1;
        }
    }
    // Per slot: how many of its group score higher (competition), or how
    // many distinct higher scores there are (dense).
    counts.seen.clear();
    counts.seen.resize(counts.at.len(), 0);
    for g in 0..ranked.group_count {
        let (mut above, mut distinct) = (0u32, 0u32);
        for key in (0..width).rev() {
            let at = g * width + key;
            let here = counts.at.get(at).copied().unwrap_or(0);
            if let Some(c) = counts.seen.get_mut(at) {
                *c = if method == RankMethod::Dense {
                    distinct
                } else {
                    above
                };
            }
            above += here;
            distinct += u32::from(here > 0);
        }
    }
    for (i, s) in scores.iter().enumerate() {
        let at = slot(i, *s);
        let Some(seen) = counts.seen.get_mut(at) else {
            continue;
        };
        let r = *seen + 1;
        if method == RankMethod::Ordinal {
            // Ties in data order: each takes the next place.
            *seen += 1;
        }
        if let Some(o) = out.get_mut(i) {
            *o = r;
        }
    }
}

/// Ranks by sorting (exact scores, or too many possible rounded ones).
fn sorted(method: RankMethod, ranked: &Ranked, scores: &[f64], out: &mut [u32]) {
    let key = |s: f64| {
        if ranked.exact {
            s
        } else {
            (s * ranked.scale).round()
        }
    };
    let mut order: Vec<(usize, f64, usize)> = (scores.iter().enumerate())
        .map(|(i, s)| (ranked.groups.get(i).copied().unwrap_or(0), key(*s), i))
        .collect();
    // By group, highest first, ties in data order.
    order.sort_unstable_by(|a, b| a.0.cmp(&b.0).then(b.1.total_cmp(&a.1)).then(a.2.cmp(&b.2)));
    let (mut group, mut place, mut dense, mut last) = (usize::MAX, 0u32, 0u32, f64::NAN);
    let mut shared = 0u32;
    for (g, s, i) in order {
        if g != group {
            (group, place, dense, last) = (g, 0, 0, f64::NAN);
        }
        place += 1;
        if s != last {
            dense += 1;
            shared = place;
            last = s;
        }
        let r = match method {
            RankMethod::Competition => shared,
            RankMethod::Dense => dense,
            RankMethod::Ordinal => place,
        };
        if let Some(slot) = out.get_mut(i) {
            *slot = r;
        }
    }
}

/// A grade's interval in `f64`.
#[derive(Debug, Clone, Copy)]
pub(super) struct Band {
    low: Option<(f64, bool)>,
    high: Option<(f64, bool)>,
    percent: bool,
}

impl Band {
    pub(super) fn new(i: &Interval) -> Band {
        Band {
            low: i.low.map(|x| (x.to_f64(), i.low_inclusive)),
            high: i.high.map(|x| (x.to_f64(), i.high_inclusive)),
            percent: i.percent,
        }
    }

    /// Whether the band holds a score (bounds in percent: of `max`).
    pub(super) fn holds(&self, score: f64, max: f64) -> bool {
        let x = if self.percent && max > 0.0 {
            score / max
        } else {
            score
        };
        let above = match self.low {
            None => true,
            Some((lo, true)) => x >= lo,
            Some((lo, false)) => x > lo,
        };
        let below = match self.high {
            None => true,
            Some((hi, true)) => x <= hi,
            Some((hi, false)) => x < hi,
        };
        above && below
    }
}

/// Each unit's summary from the runs' ranks and grades (`n` units a run).
pub(super) fn stats(
    ranks: &[u32],
    grades: &[u8],
    n: usize,
    nominal: &[u32],
    levels: usize,
) -> Vec<Unit> {
    use rayon::prelude::*;
    let runs = ranks.len() / n.max(1);
    (0..n)
        .into_par_iter()
        .map(|u| {
            let mut mine: Vec<u32> = (0..runs)
                .filter_map(|r| ranks.get(r * n + u).copied())
                .collect();
            let rank = nominal.get(u).copied().unwrap_or(0);
            let shift: u64 = mine.iter().map(|r| u64::from(r.abs_diff(rank))).sum();
            mine.sort_unstable();
            let mut counts = vec![0usize; levels];
            for r in 0..runs {
                if let Some(c) = grades
                    .get(r * n + u)
                    .and_then(|g| counts.get_mut(usize::from(*g)))
                {
                    *c += 1;
                }
            }
            Unit {
                rank,
                median: percentile(&mine, 50),
                low: percentile(&mine, 5),
                high: percentile(&mine, 95),
                mean_shift: shift as f64 / runs.max(1) as f64,
                grades: counts
                    .iter()
                    .map(|c| *c as f64 / runs.max(1) as f64)
                    .collect(),
            }
        })
        .collect()
}

/// The nearest-rank percentile `p` of sorted ranks.
fn percentile(sorted: &[u32], p: usize) -> u32 {
    let at = (p * sorted.len()).div_ceil(100).max(1) - 1;
    sorted.get(at).copied().unwrap_or(0)
}
