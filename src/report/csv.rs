//! CSV: one row per unit, one column per node of the tree (named by its
//! path), written with a byte-order mark so Excel reads the Chinese.

use super::table::fixed;
use super::{NodeReport, Report};

pub fn to_csv(report: &Report, precision: u32) -> String {
    let mut header: Vec<String> = [
        "id",
        "name",
        "kind",
        "score",
        "max",
        "base",
        "bonus",
        "deductions",
        "grade",
        "rank",
        "rank_in_kind",
        "vetoes",
    ]
    .map(String::from)
    .to_vec();
    let tiers = report.units.iter().any(|u| u.tier.is_some());
    if tiers {
        header.push("tier".into());
    }
    if let Some(first) = report.units.first() {
        paths(&first.tree, "", &mut header);
    }
    let mut rows = vec![header];
    for u in &report.units {
        let mut row = vec![
            u.id.clone(),
            u.name.clone(),
            u.kind.clone(),
            fixed(u.score, precision),
            fixed(u.max, precision),
            fixed(u.base, precision),
            fixed(u.bonus, precision),
            fixed(u.deductions, precision),
            u.grade.clone().unwrap_or_default(),
            u.rank.map(|r| r.to_string()).unwrap_or_default(),
            u.rank_in_kind.map(|r| r.to_string()).unwrap_or_default(),
            u.vetoes
                .iter()
                .map(|v| v.name.as_str())
                .collect::<Vec<_>>()
                .join("、"),
        ];
        if tiers {
            row.push(u.tier.clone().unwrap_or_default());
        }
        scores(&u.tree, precision, &mut row);
        rows.push(row);
    }
    write_rows(rows)
}

/// Rows as CSV text, with a byte-order mark so that Excel reads the Chinese.
pub fn write_rows(rows: impl IntoIterator<Item = Vec<String>>) -> String {
    let mut writer = ::csv::Writer::from_writer(Vec::new());
    for row in rows {
        // Writing to memory cannot fail.
        let _ = writer.write_record(&row);
    }
    let body = writer.into_inner().unwrap_or_default();
    format!("\u{feff}{}", String::from_utf8_lossy(&body))
}

/// The paths of every node below the root, in tree order.
fn paths(node: &NodeReport, prefix: &str, out: &mut Vec<String>) {
    for child in &node.children {
        let path = if prefix.is_empty() {
            child.name.clone()
        } else {
            format!("{prefix}/{}", child.name)
        };
        out.push(path.clone());
        paths(child, &path, out);
    }
}

fn scores(node: &NodeReport, precision: u32, out: &mut Vec<String>) {
    for child in &node.children {
        out.push(fixed(child.score, precision));
        scores(child, precision, out);
    }
}
