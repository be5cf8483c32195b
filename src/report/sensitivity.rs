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
        let (first, total) = shown(f);
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

/// A choice's first-order and total index with their intervals, or `—`
/// when no rank moved.
fn shown(f: &FactorRow) -> (String, String) {
    let show = |x: Option<f64>, i: Option<[f64; 2]>| match (x, i) {
        (Some(x), Some([lo, hi])) => format!("{x:.3} [{lo:.3}, {hi:.3}]"),
        _ => "—".to_string(),
    };
    (
        show(f.first_order, f.first_order_interval),
        show(f.total, f.total_interval),
    )
}

/// `s` padded with spaces to `width` columns (CJK characters are two).
fn pad(s: &str, width: usize) -> String {
    let w = unicode_width::UnicodeWidthStr::width(s);
    format!("{s}{}", " ".repeat(width.saturating_sub(w)))
}

/// The robustness section of the HTML report: the choices' indices and
/// every unit's run of ranks, as inline SVG.
#[derive(Serialize)]
pub struct Section {
    pub seed: u64,
    pub samples: usize,
    pub runs: usize,
    pub mean_shift: String,
    /// Each choice as written, its first-order and its total index (with
    /// their intervals), as shown.
    pub factors: Vec<(String, String, String)>,
    pub indices: String,
    /// Per kind (or one, unnamed): the chart of its units' rank intervals.
    pub intervals: Vec<(String, String)>,
}

pub fn section(r: &Report) -> Section {
    let mut kinds: Vec<Option<&str>> = r.units.iter().map(|u| u.kind).collect();
    kinds.dedup();
    Section {
        seed: r.seed,
        samples: r.samples,
        runs: r.runs,
        mean_shift: format!("{:.3}", r.mean_shift),
        factors: (r.factors.iter())
            .map(|f| {
                let (first, total) = shown(f);
                (f.factor.to_string(), first, total)
            })
            .collect(),
        indices: indices_chart(&r.factors),
        intervals: (kinds.into_iter())
            .map(|k| {
                let units: Vec<&UnitRow> = r.units.iter().filter(|u| u.kind == k).collect();
                (k.unwrap_or("").to_string(), intervals_chart(&units))
            })
            .collect(),
    }
}

/// Each choice's first-order and total index as bars on [0, 1], with their
/// 95% intervals as whiskers.
fn indices_chart(factors: &[FactorRow]) -> String {
    let (left, width, row) = (300.0, 360.0, 40.0);
    let x = |v: f64| left + width * v.clamp(0.0, 1.0);
    let height = row * factors.len() as f64 + 30.0;
    let mut svg = format!(
        r#"<svg class="chart indices" width="{}" height="{height}" viewBox="0 0 {} {height}" role="img">"#,
        left + width + 60.0,
        left + width + 60.0
    );
    for t in [0.0, 0.25, 0.5, 0.75, 1.0] {
        let _ = write!(
            svg,
            r##"<line x1="{0}" x2="{0}" y1="0" y2="{1}" stroke="#ddd"/><text class="value" x="{0}" y="{2}" text-anchor="middle">{t}</text>"##,
            x(t),
            height - 18.0,
            height - 4.0
        );
    }
    for (i, f) in factors.iter().enumerate() {
        let top = row * i as f64 + 4.0;
        // Long choices are cut (the table beside the chart has them whole).
        let mut name: String = f.factor.chars().take(24).collect();
        if f.factor.chars().count() > 24 {
            name.push('…');
        }
        let _ = write!(
            svg,
            r#"<text class="label" x="{}" y="{}" text-anchor="end">{}</text>"#,
            left - 6.0,
            top + 17.0,
            super::escape(&name)
        );
        let bars = [
            (f.first_order, f.first_order_interval, "#2f6db5", 0.0),
            (f.total, f.total_interval, "#e08a1e", 15.0),
        ];
        for (value, interval, colour, dy) in bars {
            let (Some(v), Some([lo, hi])) = (value, interval) else {
                continue;
            };
            let y = top + dy;
            let _ = write!(
                svg,
                r##"<rect class="index" x="{left}" y="{y}" width="{w:.1}" height="12" fill="{colour}"/><line x1="{lo:.1}" x2="{hi:.1}" y1="{mid}" y2="{mid}" stroke="#333"/><text class="value" x="{tx:.1}" y="{ty}">{v:.2}</text>"##,
                w = x(v) - left,
                lo = x(lo),
                hi = x(hi),
                mid = y + 6.0,
                tx = x(hi.max(v)) + 4.0,
                ty = y + 10.0,
            );
        }
    }
    svg.push_str("</svg>");
    svg
}

/// Per unit, in published rank order: a line from its 5th to its 95th
/// percentile rank, a tick at the median and a dot at the published rank.
fn intervals_chart(units: &[&UnitRow]) -> String {
    let (left, width, row) = (190.0, 420.0, 14.0);
    let last = units
        .iter()
        .map(|u| u.rank_95.max(u.rank))
        .max()
        .unwrap_or(1)
        .max(2);
    let x = |r: u32| left + width * f64::from(r - 1) / f64::from(last - 1);
    let height = row * units.len() as f64 + 24.0;
    let mut svg = format!(
        r#"<svg class="chart intervals" width="{}" height="{height}" viewBox="0 0 {} {height}" role="img">"#,
        left + width + 20.0,
        left + width + 20.0
    );
    for (i, u) in units.iter().enumerate() {
        let y = row * i as f64 + 9.0;
        let (low, high) = (x(u.rank_5), x(u.rank_95).max(x(u.rank_5) + 0.5));
        let (median, published) = (x(u.median_rank), x(u.rank));
        let id = super::escape(u.unit);
        let label = super::escape(&format!("{} {}", u.rank, u.name));
        let _ = write!(
            svg,
            r##"<g data-unit="{id}"><text class="label" x="{tx}" y="{ty}" text-anchor="end">{label}</text><line x1="{low:.1}" x2="{high:.1}" y1="{y}" y2="{y}" stroke="#2f6db5" stroke-width="4" stroke-linecap="round"/><line class="median" x1="{median:.1}" x2="{median:.1}" y1="{t}" y2="{b}" stroke="#fff" stroke-width="2"/><circle cx="{published:.1}" cy="{y}" r="3.5" fill="#c2413b"/></g>"##,
            tx = left - 6.0,
            ty = y + 4.0,
            t = y - 3.0,
            b = y + 3.0,
        );
    }
    let axis = height - 8.0;
    for r in [1, last.div_ceil(2), last] {
        let _ = write!(
            svg,
            r#"<text class="value" x="{:.1}" y="{axis}" text-anchor="middle">第 {r} 名</text>"#,
            x(r)
        );
    }
    svg.push_str("</svg>");
    svg
}
