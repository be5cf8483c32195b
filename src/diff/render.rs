//! A policy diff as text (coloured on a terminal), Markdown or JSON.

use super::{Detail, Entry, Kind, PolicyDiff, Section};
use std::fmt::Write;

const SECTIONS: &[(Section, &str)] = &[
    (Section::Header, "header"),
    (Section::Input, "inputs"),
    (Section::Let, "derived values"),
    (Section::Node, "indicator tree"),
    (Section::Part, "bonus and deduction parts"),
    (Section::Veto, "vetoes"),
    (Section::Grade, "grades"),
    (Section::Tier, "tiers"),
];

fn title(d: &PolicyDiff) -> String {
    format!(
        "{} {} → {} {}",
        d.old.name, d.old.version, d.new.name, d.new.version
    )
}

fn mark(kind: Kind) -> &'static str {
    match kind {
        Kind::Added => "+",
        Kind::Removed => "-",
        Kind::Changed => "~",
    }
}

fn change(d: &Detail) -> String {
    let label = if d.what.is_empty() {
        String::new()
    } else {
        format!("{}: ", d.what)
    };
    match (&d.old, &d.new) {
        (Some(o), Some(n)) => format!("{label}{o} → {n}"),
        (Some(o), None) => format!("{label}{o} (removed)"),
        (None, Some(n)) => format!("{label}{n}"),
        (None, None) => label,
    }
}

/// Plain or coloured text, one line per entry and per detail.
pub fn text(d: &PolicyDiff, color: bool) -> String {
    let paint = |kind: Kind, s: &str| {
        if !color {
            return s.to_string();
        }
        let code = match kind {
            Kind::Added => "32",
            Kind::Removed => "31",
            Kind::Changed => "33",
        };
        format!("\x1b[{code}m{s}\x1b[0m")
    };
    let dim = |s: &str| {
        if color {
            format!("\x1b[2m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    };
    let mut out = format!("{}\n", title(d));
    if d.is_empty() {
        out.push_str("no changes\n");
        return out;
    }
    for (section, heading) in SECTIONS {
        let entries: Vec<&Entry> = d.entries.iter().filter(|e| e.section == *section).collect();
        if entries.is_empty() {
            continue;
        }
        let _ = writeln!(out, "\n{heading}");
        for e in entries {
            let indent = "  ".repeat(e.depth + 1);
            let at =
                e.at.as_deref()
                    .map(|a| dim(&format!("  ({a})")))
                    .unwrap_or_default();
            let _ = writeln!(
                out,
                "{indent}{}{at}",
                paint(e.kind, &format!("{} {}", mark(e.kind), e.subject))
            );
            for detail in &e.details {
                let _ = writeln!(out, "{indent}    {}", change(detail));
            }
        }
    }
    out
}

/// Markdown for a review: one table per section.
pub fn markdown(d: &PolicyDiff) -> String {
    let cell = |s: &str| s.replace('|', "\\|");
    let mut out = format!("## {}\n", title(d));
    if d.is_empty() {
        out.push_str("\nNo changes.\n");
        return out;
    }
    for (section, heading) in SECTIONS {
        let entries: Vec<&Entry> = d.entries.iter().filter(|e| e.section == *section).collect();
        if entries.is_empty() {
            continue;
        }
        let _ = writeln!(
            out,
            "\n### {heading}\n\n| | | what | old | new |\n|---|---|---|---|---|"
        );
        for e in entries {
            for (i, detail) in e.details.iter().enumerate() {
                let (m, subject) = if i == 0 {
                    (mark(e.kind), cell(&e.subject))
                } else {
                    ("", String::new())
                };
                let _ = writeln!(
                    out,
                    "| {m} | {subject} | {} | {} | {} |",
                    cell(&detail.what),
                    cell(detail.old.as_deref().unwrap_or("")),
                    cell(detail.new.as_deref().unwrap_or("")),
                );
            }
        }
    }
    out
}

pub fn json(d: &PolicyDiff) -> String {
    serde_json::to_string_pretty(d).unwrap_or_default() + "\n"
}
