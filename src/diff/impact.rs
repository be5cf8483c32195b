//! The impact of a new version on every unit: both versions evaluated on
//! the same units, compared by unit id.

use crate::num::Num;
use crate::report::{NOT_SCORED, Points, Report, UnitReport, aligned, fixed};
use serde::Serialize;
use std::collections::HashMap;
use std::fmt::Write;

#[derive(Debug, Clone, Serialize)]
pub struct Impact {
    /// Largest change first.
    pub units: Vec<UnitImpact>,
    pub summary: Summary,
}

#[derive(Debug, Clone, Serialize)]
pub struct UnitImpact {
    pub id: String,
    pub name: String,
    /// `None`: not scored (a `not_scored` veto).
    pub old_score: Option<Points>,
    pub new_score: Option<Points>,
    /// `None` when either version leaves the unit unscored.
    pub delta: Option<Points>,
    pub old_grade: Option<String>,
    pub new_grade: Option<String>,
    pub old_rank: Option<usize>,
    pub new_rank: Option<usize>,
}

impl UnitImpact {
    /// How far the score moved; a unit that became scored or unscored
    /// moved furthest.
    fn shift(&self) -> Option<Num> {
        match self.delta {
            Some(d) => Some(d.0.abs()),
            None if self.old_score.is_some() != self.new_score.is_some() => None,
            None => Some(Num::ZERO),
        }
    }

    fn rank_move(&self) -> usize {
        match (self.old_rank, self.new_rank) {
            (Some(a), Some(b)) => a.abs_diff(b),
            _ => 0,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    pub units: usize,
    pub changed_scores: usize,
    pub changed_grades: usize,
    /// Spearman's rank correlation of the two versions' scores (ties share
    /// their average rank); absent for fewer than two units or no spread.
    pub rank_correlation: Option<f64>,
    /// Units whose rank moved most, largest first (at most five).
    pub largest_rank_moves: Vec<String>,
}

/// Compares two reports over the same units (matched by id; a unit present
/// in one report only is left out).
pub fn compare(old: &Report, new: &Report) -> Impact {
    let before: HashMap<&str, &UnitReport> = old.units.iter().map(|u| (u.id.as_str(), u)).collect();
    let mut units: Vec<UnitImpact> = new
        .units
        .iter()
        .filter_map(|n| {
            let o = before.get(n.id.as_str())?;
            Some(UnitImpact {
                id: n.id.clone(),
                name: n.name.clone(),
                old_score: o.score,
                new_score: n.score,
                delta: n.score.zip(o.score).map(|(n, o)| Points(n.0 - o.0)),
                old_grade: o.grade.clone(),
                new_grade: n.grade.clone(),
                old_rank: o.rank,
                new_rank: n.rank,
            })
        })
        .collect();
    // Largest shift first (`None`, a change of being scored, first of all).
    let order = |u: &UnitImpact| u.shift().map(std::cmp::Reverse);
    units.sort_by(|a, b| {
        order(a)
            .cmp(&order(b))
            .then(b.rank_move().cmp(&a.rank_move()))
            .then(a.id.cmp(&b.id))
    });
    let mut moves: Vec<&UnitImpact> = units.iter().filter(|u| u.rank_move() > 0).collect();
    moves.sort_by(|a, b| b.rank_move().cmp(&a.rank_move()).then(a.id.cmp(&b.id)));
    let summary = Summary {
        units: units.len(),
        changed_scores: units.iter().filter(|u| u.old_score != u.new_score).count(),
        changed_grades: units.iter().filter(|u| u.old_grade != u.new_grade).count(),
        rank_correlation: spearman(&units),
        largest_rank_moves: moves
            .iter()
            .take(5)
            .map(|u| {
                format!(
                    "{} {}: {} → {}",
                    u.id,
                    u.name,
                    rank(u.old_rank),
                    rank(u.new_rank)
                )
            })
            .collect(),
    };
    Impact { units, summary }
}

fn rank(r: Option<usize>) -> String {
    r.map_or("-".into(), |r| r.to_string())
}

/// Spearman's ρ: the Pearson correlation of the average ranks.
/// Of the units scored by both versions.
fn spearman(units: &[UnitImpact]) -> Option<f64> {
    let both: Vec<(Num, Num)> = (units.iter())
        .filter_map(|u| Some((u.old_score?.0, u.new_score?.0)))
        .collect();
    let a = average_ranks(&both.iter().map(|(o, _)| *o).collect::<Vec<_>>());
    let b = average_ranks(&both.iter().map(|(_, n)| *n).collect::<Vec<_>>());
    let n = a.len() as f64;
    if a.len() < 2 {
        return None;
    }
    let mean = (n + 1.0) / 2.0;
    let (mut cov, mut va, mut vb) = (0.0, 0.0, 0.0);
    for (x, y) in a.iter().zip(&b) {
        cov += (x - mean) * (y - mean);
        va += (x - mean) * (x - mean);
        vb += (y - mean) * (y - mean);
    }
    if va == 0.0 || vb == 0.0 {
        return None;
    }
    let rho = cov / (va * vb).sqrt();
    // Four decimals, so that output is the same on every machine.
    Some((rho * 10_000.0).round() / 10_000.0)
}

/// Rank 1 for the highest score; tied scores share the mean of their ranks.
fn average_ranks(scores: &[Num]) -> Vec<f64> {
    let mut order: Vec<usize> = (0..scores.len()).collect();
    order.sort_by(|a, b| scores.get(*b).cmp(&scores.get(*a)));
    let mut ranks = vec![0.0; scores.len()];
    let mut start = 0;
    while start < order.len() {
        let score = order.get(start).and_then(|i| scores.get(*i));
        let end = (start..order.len())
            .find(|k| order.get(*k).and_then(|i| scores.get(*i)) != score)
            .unwrap_or(order.len());
        let average = (start + 1 + end) as f64 / 2.0;
        for k in start..end {
            if let Some(r) = order.get(k).and_then(|i| ranks.get_mut(*i)) {
                *r = average;
            }
        }
        start = end;
    }
    ranks
}

fn signed(d: Num, precision: u32) -> String {
    if d > Num::ZERO {
        format!("+{}", fixed(Points(d), precision))
    } else {
        fixed(Points(d), precision)
    }
}

/// A score, or 不予评分 for a unit a veto keeps from being scored.
fn score(p: Option<Points>, precision: u32) -> String {
    p.map_or_else(|| NOT_SCORED.into(), |p| fixed(p, precision))
}

fn rows(impact: &Impact, precision: u32) -> Vec<Vec<String>> {
    impact
        .units
        .iter()
        .map(|u| {
            vec![
                u.id.clone(),
                u.name.clone(),
                score(u.old_score, precision),
                score(u.new_score, precision),
                u.delta
                    .map_or_else(|| "-".into(), |d| signed(d.0, precision)),
                u.old_grade.clone().unwrap_or_default(),
                u.new_grade.clone().unwrap_or_default(),
                rank(u.old_rank),
                rank(u.new_rank),
            ]
        })
        .collect()
}

const HEADER: [&str; 9] = [
    "编号",
    "单位",
    "原得分",
    "新得分",
    "变化",
    "原等级",
    "新等级",
    "原排名",
    "新排名",
];

fn summary_lines(s: &Summary) -> Vec<String> {
    let mut lines = vec![
        format!(
            "{} units; {} scores changed; {} grades changed",
            s.units, s.changed_scores, s.changed_grades
        ),
        format!(
            "rank correlation (Spearman) between the versions: {}",
            s.rank_correlation
                .map_or("-".to_string(), |r| format!("{r:.4}"))
        ),
    ];
    if !s.largest_rank_moves.is_empty() {
        lines.push(format!(
            "largest rank moves: {}",
            s.largest_rank_moves.join("; ")
        ));
    }
    lines
}

pub fn text(impact: &Impact, precision: u32) -> String {
    let header: Vec<String> = HEADER.iter().map(|s| s.to_string()).collect();
    let mut out = String::from("\nimpact on every unit\n");
    out.push_str(&aligned(&header, &rows(impact, precision)));
    out.push('\n');
    for line in summary_lines(&impact.summary) {
        let _ = writeln!(out, "{line}");
    }
    out
}

pub fn markdown(impact: &Impact, precision: u32) -> String {
    let mut out = format!(
        "\n### impact on every unit\n\n| {} |\n|{}\n",
        HEADER.join(" | "),
        "---|".repeat(HEADER.len())
    );
    for row in rows(impact, precision) {
        let _ = writeln!(out, "| {} |", row.join(" | "));
    }
    out.push('\n');
    for line in summary_lines(&impact.summary) {
        let _ = writeln!(out, "- {line}");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn units(old: &[i64], new: &[i64]) -> Vec<UnitImpact> {
        old.iter()
            .zip(new)
            .enumerate()
            .map(|(i, (o, n))| UnitImpact {
                id: i.to_string(),
                name: String::new(),
                old_score: Some(Points(Num::from(*o))),
                new_score: Some(Points(Num::from(*n))),
                delta: Some(Points(Num::from(n - o))),
                old_grade: None,
                new_grade: None,
                old_rank: None,
                new_rank: None,
            })
            .collect()
    }

    #[test]
    fn spearman_by_the_textbook_formula() {
        // Ranks 4 3 2 1 against 4 2 3 1: Σd² = 2, ρ = 1 − 6·2 / (4·15) = 0.8.
        assert_eq!(spearman(&units(&[1, 2, 3, 4], &[1, 3, 2, 4])), Some(0.8));
        assert_eq!(spearman(&units(&[1, 2, 3], &[3, 2, 1])), Some(-1.0));
    }

    #[test]
    fn spearman_with_ties_uses_average_ranks() {
        // Average ranks 2.5 2.5 1 against 3 2 1: ρ = 1.5 / √(1.5 · 2) = 0.8660.
        assert_eq!(spearman(&units(&[1, 1, 2], &[1, 2, 3])), Some(0.866));
        assert_eq!(spearman(&units(&[5, 5], &[1, 2])), None, "no spread");
        assert_eq!(spearman(&units(&[5], &[1])), None, "one unit");
    }
}
