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
    keys: Vec<usize>,
    at: Vec<u32>,
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
    let (low, top) = scores
        .iter()
        .fold((f64::MAX, 0.0f64), |(l, t), s| (l.min(*s), t.max(*s)));
    let least = rounded(low.min(top), ranked.scale);
    let width = rounded(top, ranked.scale) + 1 - least;
    if ranked.exact || width > MOST_SLOTS.max(4 * scores.len()) {
        return sorted(method, ranked, scores, out);
    }
    // Each unit's slot: its group's block, then its rounded score (from
    // the least of the run).
    counts.keys.clear();
    counts.keys.extend(
        (scores.iter().zip(&ranked.groups))
            .map(|(s, g)| g * width + rounded(*s, ranked.scale) - least),
    );
    counts.at.clear();
    counts.at.resize(width * ranked.group_count, 0);
    for k in &counts.keys {
        if let Some(c) = counts.at.get_mut(*k) {
            *c += 1;
        }
    }
    // Per slot, in place: how many of its group score higher (competition,
    // ordinal), or how many distinct higher scores there are (dense).
    for block in counts.at.chunks_mut(width.max(1)) {
        let (mut above, mut distinct) = (0u32, 0u32);
        for c in block.iter_mut().rev() {
            let here = *c;
            *c = if method == RankMethod::Dense {
                distinct
            } else {
                above
            };
            above += here;
            distinct += u32::from(here > 0);
        }
    }
    for (k, o) in counts.keys.iter().zip(out.iter_mut()) {
        let Some(seen) = counts.at.get_mut(*k) else {
            continue;
        };
        *o = *seen + 1;
        if method == RankMethod::Ordinal {
            // Ties in data order: each takes the next place.
            *seen += 1;
        }
    }
}

/// A score (at least 0) at the policy's precision, in its last places.
fn rounded(score: f64, scale: f64) -> usize {
    (score * scale + 0.5) as usize
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

/// Grades scores as the policy does: the score rounded at its precision
/// (unless it compares exact ones) in the first band that holds it, looked
/// up in a table of every rounded score up to twice the total.
pub(super) struct Grading {
    bands: Vec<Band>,
    total: f64,
    scale: f64,
    /// The grade of each rounded score (u8::MAX: none); empty when exact.
    table: Vec<u8>,
}

impl Grading {
    pub(super) fn new(policy: &crate::ir::Policy) -> Grading {
        let bands: Vec<Band> = policy
            .grades
            .iter()
            .map(|g| Band::new(&g.interval))
            .collect();
        let (total, scale) = (policy.total.to_f64(), 10f64.powi(policy.precision as i32));
        let mut grading = Grading {
            bands,
            total,
            scale,
            table: Vec::new(),
        };
        if policy.compare != Some(crate::ir::Compare::Exact) {
            let last = ((2.0 * total * scale) as usize).min(MOST_SLOTS * 16);
            grading.table = (0..=last).map(|k| grading.band(k as f64 / scale)).collect();
        }
        grading
    }

    pub(super) fn grade(&self, score: f64) -> u8 {
        match self.table.get(rounded(score, self.scale)) {
            Some(g) => *g,
            None if self.table.is_empty() => self.band(score),
            None => self.band((score * self.scale).round() / self.scale),
        }
    }

    fn band(&self, score: f64) -> u8 {
        let grade = self.bands.iter().position(|b| b.holds(score, self.total));
        grade.map_or(u8::MAX, |g| u8::try_from(g).unwrap_or(u8::MAX))
    }
}

/// A grade's interval in `f64`.
#[derive(Debug, Clone, Copy)]
struct Band {
    low: Option<(f64, bool)>,
    high: Option<(f64, bool)>,
    percent: bool,
}

impl Band {
    fn new(i: &Interval) -> Band {
        Band {
            low: i.low.map(|x| (x.to_f64(), i.low_inclusive)),
            high: i.high.map(|x| (x.to_f64(), i.high_inclusive)),
            percent: i.percent,
        }
    }

    /// Whether the band holds a score (bounds in percent: of `max`).
    fn holds(&self, score: f64, max: f64) -> bool {
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
    // A block of units at a time, so that each run's row is read in pieces
    // rather than one value per unit.
    (0..n.div_ceil(BLOCK))
        .into_par_iter()
        .flat_map_iter(|b| {
            let units = b * BLOCK..((b + 1) * BLOCK).min(n);
            let rows = |r: usize| {
                let row = r * n + units.start..r * n + units.end;
                (
                    ranks.get(row.clone()).unwrap_or(&[]),
                    grades.get(row).unwrap_or(&[]),
                )
            };
            // Each unit's least and greatest rank, then how often it had
            // each rank between them.
            let mut range = vec![(u32::MAX, 0u32); units.len()];
            for r in 0..runs {
                for (x, rank) in range.iter_mut().zip(rows(r).0) {
                    *x = (x.0.min(*rank), x.1.max(*rank));
                }
            }
            let mut offsets = Vec::with_capacity(units.len() + 1);
            offsets.push(0usize);
            for (least, most) in &range {
                let width = most.saturating_sub(*least) as usize + 1;
                offsets.push(offsets.last().copied().unwrap_or(0) + width);
            }
            let mut seen = vec![0u32; offsets.last().copied().unwrap_or(0)];
            let mut chances = vec![0u32; units.len() * levels];
            for r in 0..runs {
                let (ranks, grades) = rows(r);
                for (i, (rank, grade)) in ranks.iter().zip(grades).enumerate() {
                    let (Some(at), Some((least, _))) = (offsets.get(i), range.get(i)) else {
                        continue;
                    };
                    if let Some(c) = seen.get_mut(at + rank.saturating_sub(*least) as usize) {
                        *c += 1;
                    }
                    // u8::MAX: no grade.
                    let grade = usize::from(*grade);
                    if grade < levels
                        && let Some(c) = chances.get_mut(i * levels + grade)
                    {
                        *c += 1;
                    }
                }
            }
            units.enumerate().map(move |(i, u)| {
                let rank = nominal.get(u).copied().unwrap_or(0);
                let (from, to) = (
                    offsets.get(i).copied().unwrap_or(0),
                    offsets.get(i + 1).copied().unwrap_or(0),
                );
                let least = range.get(i).map_or(0, |r| r.0);
                let seen = seen.get(from..to).unwrap_or(&[]);
                let chances = chances.get(i * levels..(i + 1) * levels).unwrap_or(&[]);
                summary(rank, least, seen, chances, runs)
            })
        })
        .collect()
}

/// Units summarised together.
const BLOCK: usize = 256;

/// One unit's summary from how often it had each rank from `least` on
/// (`seen`) and each grade.
fn summary(rank: u32, least: u32, seen: &[u32], chances: &[u32], runs: usize) -> Unit {
    let runs_f = runs.max(1) as f64;
    let shift: u64 = (seen.iter().enumerate())
        .map(|(r, c)| u64::from(*c) * u64::from((least + r as u32).abs_diff(rank)))
        .sum();
    // The nearest-rank percentile: the least rank reached by p% of the runs.
    let percentile = |p: usize| {
        let want = (p * runs).div_ceil(100).max(1) as u64;
        let mut so_far = 0u64;
        (seen.iter().enumerate())
            .find(|(_, c)| {
                so_far += u64::from(**c);
                so_far >= want
            })
            .map_or(0, |(r, _)| least + r as u32)
    };
    Unit {
        rank,
        median: percentile(50),
        low: percentile(5),
        high: percentile(95),
        mean_shift: shift as f64 / runs_f,
        grades: chances.iter().map(|c| f64::from(*c) / runs_f).collect(),
    }
}
