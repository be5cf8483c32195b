//! The terminal table: one row per unit in rank order, the top-level
//! categories as columns, aligned by display width (a Chinese character is
//! two columns wide).

use super::{NOT_APPLICABLE, NOT_SCORED, Points, Results, stream};
use crate::eval::Status;
use rayon::prelude::*;
use std::io::{self, Write};
use unicode_width::UnicodeWidthStr;

/// Formats a rounded number with exactly `precision` decimals ("85.50").
pub fn fixed(p: Points, precision: u32) -> String {
    p.0.fixed(precision)
}

/// The ranked table: a title, then one row per unit in rank order, the
/// top-level categories as columns. Column widths are measured over every
/// unit first, then the rows are written.
pub fn write_table<W: Write + ?Sized>(r: &Results, out: &mut W) -> io::Result<()> {
    let policy = r.policy;
    let categories = policy.nodes.first().map_or(&[][..], |n| &n.children[..]);
    let mut header: Vec<String> = ["排名", "编号", "单位", "类型"].map(String::from).to_vec();
    header.extend(
        categories
            .iter()
            .filter_map(|c| policy.nodes.get(*c))
            .map(|n| match n.side {
                true => format!("{}（不计入总分）", n.name),
                false => n.name.clone(),
            }),
    );
    header.extend(["加分", "扣分", "得分", "满分", "等级"].map(String::from));
    let tiers = !policy.tiers.is_empty();
    if tiers {
        header.push("梯队".into());
    }
    header.extend(r.funding_name().map(String::from));
    header.push("否决".into());
    let order = r.by_rank();
    let cells = |u: usize| -> Vec<String> {
        let (Some(s), Some(rec), Some(unit)) = (
            r.evaluation.unit(u),
            r.evaluation.record(u),
            r.data.units.get(u),
        ) else {
            return Vec::new();
        };
        let places = r.evaluation.precision;
        let fixed = |k: i64| {
            let mut b = Vec::new();
            stream::fixed(&mut b, k, places);
            String::from_utf8(b).unwrap_or_default()
        };
        let mut row = vec![
            s.rank.map_or_else(|| "-".into(), |x| x.to_string()),
            printable(unit.id),
            printable(unit.name),
            printable(r.kind(u)),
        ];
        if s.not_scored {
            row.extend(categories.iter().map(|_| "-".to_string()));
            row.extend(["-", "-", NOT_SCORED, "-"].map(String::from));
        } else {
            row.extend(categories.iter().map(|c| match rec.status(*c) {
                Status::NotApplicable => NOT_APPLICABLE.into(),
                _ => fixed(rec.score(*c)),
            }));
            row.extend([s.bonus, s.deductions, s.score, s.max].map(fixed));
        }
        row.push(r.grade(s.grade).unwrap_or("-").to_string());
        if tiers {
            row.push(r.tier(s.tier).unwrap_or("-").to_string());
        }
        if r.funding_name().is_some() {
            row.push(r.funding_text(u));
        }
        let vetoes: Vec<String> = rec
            .vetoes()
            .map(|v| super::veto_report(policy, v).name)
            .collect();
        row.push(vetoes.join("、"));
        row
    };
    let widths = order
        .par_iter()
        .map(|u| cells(*u).iter().map(|c| c.width()).collect::<Vec<_>>())
        .reduce(
            || header.iter().map(|h| h.width()).collect(),
            |a, b| a.iter().zip(&b).map(|(x, y)| *x.max(y)).collect(),
        );
    let period = r.period.map(|p| format!("（{p}）")).unwrap_or_default();
    let title = [
        policy.name.as_str(),
        policy.version.as_str(),
        period.as_str(),
    ];
    let title: Vec<&str> = title.into_iter().filter(|t| !t.is_empty()).collect();
    let mut head = format!("{}\n\n", title.join(" "));
    head.push_str(&line(&widths, &header));
    let rule: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
    head.push_str(&line(&widths, &rule));
    out.write_all(head.as_bytes())?;
    stream::units(
        out,
        order.len(),
        |i| order.get(i).copied().unwrap_or(0),
        |u, b| {
            b.extend_from_slice(line(&widths, &cells(u)).as_bytes());
        },
    )
}

/// Text from the data as a terminal may show it: control characters
/// (escape sequences, line breaks, DEL) and the invisible marks that reorder
/// text are written as `\u{1b}`, never sent to the terminal.
pub fn printable(s: &str) -> String {
    let hidden = |c: char| {
        c.is_control()
            || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
    };
    if !s.chars().any(hidden) {
        return s.to_string();
    }
    s.chars()
        .map(|c| match hidden(c) {
            true => c.escape_unicode().to_string(),
            false => c.to_string(),
        })
        .collect()
}

/// A header and rows, aligned (for tables small enough to hold).
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
    let mut out = line(&widths, header);
    let rule: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
    out.push_str(&line(&widths, &rule));
    for row in rows {
        out.push_str(&line(&widths, row));
    }
    out
}

/// One row: numbers aligned right, text left, two spaces between columns.
fn line(widths: &[usize], cells: &[String]) -> String {
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
    let mut out = text.trim_end().to_string();
    out.push('\n');
    out
}
