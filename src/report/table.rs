//! The terminal table: one row per unit in rank order, the top-level
//! categories as columns, aligned by display width (a Chinese character is
//! two columns wide).

use super::{Points, Report};
use unicode_width::UnicodeWidthStr;

/// Formats a rounded number with exactly `precision` decimals ("85.50").
pub fn fixed(p: Points, precision: u32) -> String {
    p.0.fixed(precision)
}

pub fn to_table(report: &Report, precision: u32) -> String {
    let mut header: Vec<String> = ["排名", "编号", "单位", "类型"].map(String::from).to_vec();
    let categories: Vec<String> = report
        .units
        .first()
        .map(|u| u.tree.children.iter().map(|c| c.name.clone()).collect())
        .unwrap_or_default();
    header.extend(categories.iter().cloned());
    header.extend(["加分", "扣分", "得分", "满分", "等级"].map(String::from));
    let tiers = report.units.iter().any(|u| u.tier.is_some());
    if tiers {
        header.push("梯队".into());
    }
    header.push("否决".into());
    let mut order: Vec<&super::UnitReport> = report.units.iter().collect();
    order.sort_by_key(|u| u.rank.unwrap_or(usize::MAX));
    let rows: Vec<Vec<String>> = order
        .iter()
        .map(|u| {
            let mut row = vec![
                u.rank.map_or_else(|| "-".into(), |r| r.to_string()),
                u.id.clone(),
                u.name.clone(),
                u.kind.clone(),
            ];
            row.extend(u.tree.children.iter().map(|c| fixed(c.score, precision)));
            row.extend([
                fixed(u.bonus, precision),
                fixed(u.deductions, precision),
                fixed(u.score, precision),
                fixed(u.max, precision),
                u.grade.clone().unwrap_or_else(|| "-".into()),
            ]);
            if tiers {
                row.push(u.tier.clone().unwrap_or_else(|| "-".into()));
            }
            row.extend([u
                .vetoes
                .iter()
                .map(|v| v.name.as_str())
                .collect::<Vec<_>>()
                .join("、")]);
            row
        })
        .collect();
    let period = report
        .period
        .as_ref()
        .map(|p| format!("（{p}）"))
        .unwrap_or_default();
    let title = [
        report.policy.name.as_str(),
        report.policy.version.as_str(),
        period.as_str(),
    ];
    let mut out = title
        .iter()
        .filter(|t| !t.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(" ");
    out.push_str("\n\n");
    out.push_str(&render(&header, &rows));
    out
}

/// Aligns columns: text to the left, numbers to the right.
pub fn render(header: &[String], rows: &[Vec<String>]) -> String {
    let widths: Vec<usize> = (0..header.len())
        .map(|c| {
            std::iter::once(header.get(c))
                .chain(rows.iter().map(|r| r.get(c)))
                .flatten()
                .map(|s| s.width())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    let line = |cells: &[String], out: &mut String| {
        let mut text = String::new();
        for (c, cell) in cells.iter().enumerate() {
            let width = widths.get(c).copied().unwrap_or(0);
            let pad = " ".repeat(width.saturating_sub(cell.width()));
            let numeric = !cell.is_empty()
                && cell
                    .chars()
                    .all(|ch| ch.is_ascii_digit() || ch == '.' || ch == '-');
            if c > 0 {
                text.push_str("  ");
            }
            if numeric {
                text.push_str(&pad);
                text.push_str(cell);
            } else {
                text.push_str(cell);
                text.push_str(&pad);
            }
        }
        out.push_str(text.trim_end());
        out.push('\n');
    };
    line(header, &mut out);
    let rule: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
    line(&rule, &mut out);
    for row in rows {
        line(row, &mut out);
    }
    out
}
