//! The report for leaders (`eval --format html`): one self-contained file in
//! Chinese — no script, no network — laid out by a template (minijinja,
//! `report.html`) from the values gathered here, its charts inline SVG drawn
//! here: the summary, the ranking, scores by category per unit (stacked
//! bars), each unit's category rates against its kind's average, a heat map
//! of item rates across units, and the units' N/A items, vetoes, bonuses and
//! deductions. Printable on A4, a page break before each section.

use super::{NOT_APPLICABLE, Results, escape, fixed, veto_report};
use crate::eval::{Record, Status};
use crate::ir::NodeId;
use serde::Serialize;
use std::fmt::Write;
use std::io;

const TEMPLATE: &str = include_str!("report.html");

/// Colours of the categories, in order (then again).
const PALETTE: [&str; 8] = [
    "#2f6db5", "#e08a1e", "#3a9a5b", "#c2413b", "#7d5bb5", "#3aa6b0", "#b5892f", "#8a8a8a",
];

#[derive(Serialize)]
struct Page {
    name: String,
    version: String,
    fingerprint: String,
    units: usize,
    scored: usize,
    mean: String,
    grades: Vec<(String, usize)>,
    categories: Vec<(String, &'static str)>,
    funding: Option<String>,
    ranking: Vec<Ranked>,
    stacked: String,
    profiles: Vec<Profile>,
    items: Vec<String>,
    heat: Vec<HeatRow>,
    notes: Vec<Note>,
    robustness: Option<super::sensitivity::Section>,
}

#[derive(Serialize)]
struct Ranked {
    rank: String,
    id: String,
    name: String,
    kind: String,
    categories: Vec<String>,
    bonus: String,
    deductions: String,
    score: String,
    grade: String,
    funding: String,
    vetoes: String,
}

#[derive(Serialize)]
struct Profile {
    id: String,
    name: String,
    kind: String,
    svg: String,
}

#[derive(Serialize)]
struct HeatRow {
    id: String,
    name: String,
    cells: Vec<(String, String)>,
}

#[derive(Serialize)]
struct Note {
    id: String,
    name: String,
    not_applicable: Vec<String>,
    vetoes: Vec<String>,
    bonus: String,
    deductions: String,
}

/// The report as HTML; `fingerprint` names the policy and data it was made
/// from (a hash of their bytes).
pub fn html(r: &Results, fingerprint: &str) -> io::Result<String> {
    with_robustness(r, fingerprint, None)
}

/// The report with a section on the robustness of the ranks
/// (`zhibiao sensitivity --format html`).
pub fn with_robustness(
    r: &Results,
    fingerprint: &str,
    robustness: Option<super::sensitivity::Section>,
) -> io::Result<String> {
    let mut page = page(r, fingerprint);
    page.robustness = robustness;
    let mut env = minijinja::Environment::new();
    env.add_template("report.html", TEMPLATE)
        .map_err(io::Error::other)?;
    let template = env.get_template("report.html").map_err(io::Error::other)?;
    template.render(&page).map_err(io::Error::other)
}

fn page(r: &Results, fingerprint: &str) -> Page {
    let policy = r.policy;
    let e = r.evaluation;
    let places = e.precision;
    let categories: Vec<NodeId> = policy
        .nodes
        .first()
        .map_or(Vec::new(), |n| n.children.clone());
    let order: Vec<usize> = r.by_rank();
    let scored: Vec<usize> = order
        .iter()
        .copied()
        .filter(|u| e.unit(*u).is_some_and(|s| !s.not_scored))
        .collect();
    let total: i64 = scored
        .iter()
        .filter_map(|u| e.unit(*u))
        .map(|s| s.score)
        .sum();
    let mean = match scored.len() {
        0 => "-".to_string(),
        n => {
            let scale = 10i128.pow(places) * n as i128;
            crate::num::Num::ratio(i128::from(total), scale)
                .round(places, policy.rounding)
                .fixed(places)
        }
    };
    let grades = (policy.grades.iter().enumerate())
        .map(|(g, grade)| {
            (
                grade.name.clone(),
                scored
                    .iter()
                    .filter(|u| e.unit(**u).and_then(|s| s.grade) == Some(g))
                    .count(),
            )
        })
        .collect();
    Page {
        name: policy.name.clone(),
        version: policy.version.clone(),
        fingerprint: fingerprint.to_string(),
        units: r.data.len(),
        scored: scored.len(),
        mean,
        grades,
        categories: (categories.iter().enumerate())
            .filter_map(|(i, c)| Some((policy.nodes.get(*c)?.name.clone(), colour(i))))
            .collect(),
        funding: r.funding_name().map(String::from),
        ranking: order
            .iter()
            .filter_map(|u| ranked(r, *u, &categories))
            .collect(),
        stacked: stacked(r, &scored, &categories),
        profiles: scored
            .iter()
            .filter_map(|u| profile(r, *u, &categories))
            .collect(),
        items: items(r)
            .iter()
            .filter_map(|i| policy.nodes.get(*i))
            .map(|n| n.name.clone())
            .collect(),
        heat: scored.iter().filter_map(|u| heat_row(r, *u)).collect(),
        notes: order.iter().filter_map(|u| note(r, *u)).collect(),
        robustness: None,
    }
}

fn colour(i: usize) -> &'static str {
    PALETTE.get(i % PALETTE.len()).copied().unwrap_or("#888")
}

fn ranked(r: &Results, u: usize, categories: &[NodeId]) -> Option<Ranked> {
    let e = r.evaluation;
    let (s, rec, unit) = (e.unit(u)?, e.record(u)?, r.data.units.get(u)?);
    let shown = |k: i64| fixed(super::Points(e.number(k)), e.precision);
    let dash = || "-".to_string();
    let out = |k: i64| if s.not_scored { dash() } else { shown(k) };
    Some(Ranked {
        rank: s.rank.map_or_else(dash, |x| x.to_string()),
        id: unit.id.into(),
        name: unit.name.into(),
        kind: r.kind(u).into(),
        categories: categories
            .iter()
            .map(|c| node_text(&rec, *c, s.not_scored, &shown))
            .collect(),
        bonus: out(s.bonus),
        deductions: out(s.deductions),
        score: if s.not_scored {
            super::NOT_SCORED.into()
        } else {
            shown(s.score)
        },
        grade: r.grade(s.grade).unwrap_or("-").into(),
        funding: r.funding_text(u),
        vetoes: rec
            .vetoes()
            .map(|v| veto_report(r.policy, v).name)
            .collect::<Vec<_>>()
            .join("、"),
    })
}

fn node_text(rec: &Record, id: NodeId, not_scored: bool, shown: &dyn Fn(i64) -> String) -> String {
    match rec.node(id) {
        _ if not_scored => "-".into(),
        n if n.status == Status::NotApplicable => NOT_APPLICABLE.into(),
        n => shown(n.score),
    }
}

/// A node's rate for a unit (score over its maximum), if it applies.
fn rate(rec: &Record, id: NodeId) -> Option<f64> {
    let n = rec.node(id);
    (n.status != Status::NotApplicable && n.max > 0).then(|| n.score as f64 / n.max as f64)
}

/// One bar per unit, in rank order, a segment per category.
fn stacked(r: &Results, units: &[usize], categories: &[NodeId]) -> String {
    let e = r.evaluation;
    let (label, width, bar, gap) = (150.0, 560.0, 16.0, 6.0);
    let total = r
        .policy
        .total
        .to_string()
        .parse::<f64>()
        .unwrap_or(100.0)
        .max(1.0);
    let height = units.len() as f64 * (bar + gap) + 24.0;
    let mut svg = format!(
        r#"<svg class="chart stacked" xmlns="http://www.w3.org/2000/svg" width="{w}" height="{height}" viewBox="0 0 {w} {height}" role="img" aria-label="各单位分类得分">"#,
        w = label + width + 60.0
    );
    for (i, u) in units.iter().enumerate() {
        let (Some(s), Some(rec), Some(unit)) = (e.unit(*u), e.record(*u), r.data.units.get(*u))
        else {
            continue;
        };
        let y = i as f64 * (bar + gap);
        let _ = write!(
            svg,
            r#"<text x="{}" y="{}" class="label" text-anchor="end">{}</text>"#,
            label - 6.0,
            y + bar - 3.0,
            escape(unit.name)
        );
        let mut x = label;
        for (c, id) in categories.iter().enumerate() {
            let n = rec.node(*id);
            if n.status == Status::NotApplicable || r.policy.nodes.get(*id).is_some_and(|n| n.side)
            {
                continue;
            }
            let w = e.number(n.score).to_string().parse::<f64>().unwrap_or(0.0) / total * width;
            let _ = write!(
                svg,
                r#"<rect x="{x:.1}" y="{y}" width="{w:.1}" height="{bar}" fill="{}"/>"#,
                colour(c)
            );
            x += w;
        }
        let score = fixed(super::Points(e.number(s.score)), e.precision);
        let _ = write!(
            svg,
            r#"<text x="{:.1}" y="{}" class="value">{score}</text>"#,
            x + 4.0,
            y + bar - 3.0
        );
    }
    svg.push_str("</svg>");
    svg
}

/// A unit's rate in each category beside its kind's average rate.
fn profile(r: &Results, u: usize, categories: &[NodeId]) -> Option<Profile> {
    let e = r.evaluation;
    let (rec, unit) = (e.record(u)?, r.data.units.get(u)?);
    let kind = r.data.kind(u);
    let peers: Vec<Record> = (0..r.data.len())
        .filter(|v| r.data.kind(*v) == kind && e.unit(*v).is_some_and(|s| !s.not_scored))
        .filter_map(|v| e.record(v))
        .collect();
    let (label, width, bar) = (110.0, 220.0, 9.0);
    let height = categories.len() as f64 * (2.0 * bar + 8.0) + 4.0;
    let mut svg = format!(
        r#"<svg class="chart profile" xmlns="http://www.w3.org/2000/svg" width="{w}" height="{height}" viewBox="0 0 {w} {height}" role="img" aria-label="{} 分类得分率与同类平均">"#,
        escape(unit.name),
        w = label + width + 50.0
    );
    for (i, id) in categories.iter().enumerate() {
        let name = r.policy.nodes.get(*id).map_or("", |n| n.name.as_str());
        let y = i as f64 * (2.0 * bar + 8.0);
        let _ = write!(
            svg,
            r#"<text x="{}" y="{}" class="label" text-anchor="end">{}</text>"#,
            label - 6.0,
            y + 2.0 * bar - 2.0,
            escape(name)
        );
        let own = rate(&rec, *id);
        let rates: Vec<f64> = peers.iter().filter_map(|p| rate(p, *id)).collect();
        let mean = (!rates.is_empty()).then(|| rates.iter().sum::<f64>() / rates.len() as f64);
        for (j, (value, class)) in [(own, "own"), (mean, "mean")].into_iter().enumerate() {
            let Some(v) = value else { continue };
            let y = y + j as f64 * bar;
            let _ = write!(
                svg,
                r#"<rect class="{class}" x="{label}" y="{y}" width="{:.1}" height="{}"/>"#,
                v * width,
                bar - 1.0
            );
            let _ = write!(
                svg,
                r#"<text x="{:.1}" y="{}" class="value">{:.0}%</text>"#,
                label + v * width + 3.0,
                y + bar - 1.5,
                v * 100.0
            );
        }
    }
    svg.push_str("</svg>");
    Some(Profile {
        id: unit.id.into(),
        name: unit.name.into(),
        kind: r.kind(u).into(),
        svg,
    })
}

/// The items (nodes with a rule) of the tree, in order.
fn items(r: &Results) -> Vec<NodeId> {
    (r.policy.nodes.iter().enumerate())
        .filter(|(_, n)| n.rule.is_some())
        .map(|(i, _)| i)
        .collect()
}

/// A unit's rate on every item, as text and a colour from red (0) to green.
fn heat_row(r: &Results, u: usize) -> Option<HeatRow> {
    let e = r.evaluation;
    let (rec, unit) = (e.record(u)?, r.data.units.get(u)?);
    let cells = items(r)
        .into_iter()
        .map(|id| match rate(&rec, id) {
            Some(v) => (
                format!("{:.0}", v * 100.0),
                format!("hsl({:.0}, 65%, 72%)", v.clamp(0.0, 1.0) * 120.0),
            ),
            None => ("—".to_string(), "#eee".to_string()),
        })
        .collect();
    Some(HeatRow {
        id: unit.id.into(),
        name: unit.name.into(),
        cells,
    })
}

/// What a reader should know about a unit beyond its score.
fn note(r: &Results, u: usize) -> Option<Note> {
    let e = r.evaluation;
    let (s, rec, unit) = (e.unit(u)?, e.record(u)?, r.data.units.get(u)?);
    let not_applicable: Vec<String> = (items(r).into_iter())
        .filter(|id| rec.node(*id).status == Status::NotApplicable)
        .filter_map(|id| r.policy.nodes.get(id).map(|n| n.name.clone()))
        .collect();
    let vetoes: Vec<String> = rec
        .vetoes()
        .map(|v| veto_report(r.policy, v).name)
        .collect();
    let shown = |k: i64| fixed(super::Points(e.number(k)), e.precision);
    let quiet = not_applicable.is_empty() && vetoes.is_empty() && s.bonus == 0 && s.deductions == 0;
    (!quiet).then(|| Note {
        id: unit.id.into(),
        name: unit.name.into(),
        not_applicable,
        vetoes,
        bonus: shown(s.bonus),
        deductions: shown(s.deductions),
    })
}
