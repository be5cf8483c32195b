//! The outputs of `zhibiao sensitivity`: a table for people, JSON and CSV
//! for programs. Shares and indices are written at three places, so the
//! same analysis always prints the same bytes.

use crate::data::Dataset;
use crate::ir::Policy;
use crate::sensitivity::{Analysis, Unit, sobol::Indices};
use serde::Serialize;
use std::fmt::Write;

/// The analysis as it is written out: units in published rank order.
#[derive(Serialize)]
pub struct Report<'a> {
    pub policy: &'a str,
    pub seed: u64,
    pub samples: usize,
    pub runs: usize,
    pub mean_shift: f64,
    pub factors: Vec<FactorRow<'a>>,
    pub units: Vec<UnitRow<'a>>,
}

#[derive(Serialize)]
pub struct FactorRow<'a> {
    pub factor: &'a str,
    pub first_order: Option<f64>,
    pub first_order_interval: Option<[f64; 2]>,
    pub total: Option<f64>,
    pub total_interval: Option<[f64; 2]>,
}

#[derive(Serialize)]
pub struct UnitRow<'a> {
    pub unit: &'a str,
    pub name: &'a str,
    pub kind: Option<&'a str>,
    pub rank: u32,
    pub median_rank: u32,
    pub rank_5: u32,
    pub rank_95: u32,
    pub mean_shift: f64,
    /// Each grade's name and the share of runs with it.
    pub grades: Vec<(&'a str, f64)>,
}

/// Rounds to three places (for stable output).
fn three(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

pub fn report<'a>(policy: &'a Policy, data: &'a Dataset, a: &'a Analysis) -> Report<'a> {
    let factors = (a.factors.iter())
        .map(|(name, i)| FactorRow {
            factor: name,
            first_order: i.map(|i| three(i.first)),
            first_order_interval: i
                .map(|i: Indices| [three(i.first_interval.0), three(i.first_interval.1)]),
            total: i.map(|i| three(i.total)),
            total_interval: i
                .map(|i: Indices| [three(i.total_interval.0), three(i.total_interval.1)]),
        })
        .collect();
    let mut units: Vec<(usize, &Unit)> = (a.units.iter().enumerate())
        .filter_map(|(u, x)| Some((u, x.as_ref()?)))
        .collect();
    units.sort_by_key(|(u, x)| (data.kind(*u), x.rank, *u));
    let units = (units.into_iter())
        .filter_map(|(u, x)| {
            let unit = data.units.get(u)?;
            Some(UnitRow {
                unit: unit.id,
                name: unit.name,
                kind: policy.kinds.get(unit.kind).map(|k| k.name.as_str()),
                rank: x.rank,
                median_rank: x.median,
                rank_5: x.low,
                rank_95: x.high,
                mean_shift: three(x.mean_shift),
                grades: (policy.grades.iter().zip(&x.grades))
                    .map(|(g, p)| (g.name.as_str(), three(*p)))
                    .collect(),
            })
        })
        .collect();
    Report {
        policy: &policy.name,
        seed: a.seed,
        samples: a.samples,
        runs: a.runs,
        mean_shift: three(a.mean_shift),
        factors,
        units,
    }
}

pub fn json(r: &Report) -> String {
    serde_json::to_string_pretty(r).unwrap_or_default() + "\n"
}

/// One row per unit.
pub fn csv(r: &Report) -> String {
    let mut w = ::csv::Writer::from_writer(Vec::new());
    let mut head: Vec<String> = [
        "unit",
        "name",
        "kind",
        "rank",
        "median_rank",
        "rank_5",
        "rank_95",
        "mean_shift",
    ]
    .map(String::from)
    .to_vec();
    if let Some(first) = r.units.first() {
        head.extend(first.grades.iter().map(|(g, _)| format!("p_{g}")));
    }
    let _ = w.write_record(&head);
    for u in &r.units {
        let mut row = vec![
            u.unit.to_string(),
            u.name.to_string(),
            u.kind.unwrap_or("").to_string(),
            u.rank.to_string(),
            u.median_rank.to_string(),
            u.rank_5.to_string(),
            u.rank_95.to_string(),
            format!("{:.3}", u.mean_shift),
        ];
        row.extend(u.grades.iter().map(|(_, p)| format!("{p:.3}")));
        let _ = w.write_record(&row);
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

/// The table: how the runs were made, each choice's indices, each unit.
pub fn text(r: &Report) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}: sensitivity of the ranks", r.policy);
    let _ = writeln!(
        out,
        "seed {}, {} base samples, {} runs; mean absolute rank shift {:.3}\n",
        r.seed, r.samples, r.runs, r.mean_shift
    );
    let _ = writeln!(
        out,
        "first-order (95% CI)    total (95% CI)          choice"
    );
    for f in &r.factors {
        let show = |x: Option<f64>, i: Option<[f64; 2]>| match (x, i) {
            (Some(x), Some([lo, hi])) => format!("{x:.3} [{lo:.3}, {hi:.3}]"),
            _ => "—".to_string(),
        };
        let (first, total) = (
            show(f.first_order, f.first_order_interval),
            show(f.total, f.total_interval),
        );
        let _ = writeln!(
            out,
            "{}  {}  {}",
            pad(&first, 22),
            pad(&total, 22),
            f.factor
        );
    }
    if r.factors.iter().any(|f| f.total.is_none()) {
        out.push_str("(—: no rank moved in any run)\n");
    }
    out.push('\n');
    let mut head = format!("{}  rank  median  5%–95%    shift", pad("unit", 28));
    if let Some(u) = r.units.first() {
        for (g, _) in &u.grades {
            let _ = write!(head, "  {}", pad(g, 6));
        }
    }
    let _ = writeln!(out, "{}", head.trim_end());
    for u in &r.units {
        let who = format!("{} {}", u.unit, u.name);
        let mut line = format!(
            "{}  {:>4}  {:>6}  {:>7}  {:>5.2}",
            pad(&who, 28),
            u.rank,
            u.median_rank,
            format!("{}–{}", u.rank_5, u.rank_95),
            u.mean_shift
        );
        for (_, p) in &u.grades {
            let _ = write!(line, "  {}", pad(&format!("{:.0}%", p * 100.0), 6));
        }
        let _ = writeln!(out, "{}", line.trim_end());
    }
    out
}

/// `s` padded with spaces to `width` columns (CJK characters are two).
fn pad(s: &str, width: usize) -> String {
    let w = unicode_width::UnicodeWidthStr::width(s);
    format!("{s}{}", " ".repeat(width.saturating_sub(w)))
}
