//! Test outcomes and coverage as text for people.

use super::{Coverage, Outcome, What};
use crate::source::Sources;
use std::fmt::Write;

/// One line per test; under a failed one, each expectation that did not
/// hold: where it is written, expected and actual, and the rule behind it.
pub fn outcomes_text(sources: &Sources, outcomes: &[Outcome]) -> String {
    let mut out = String::new();
    for o in outcomes {
        let mark = if o.passed() { "ok  " } else { "FAIL" };
        let _ = writeln!(out, "  {mark}  {}", o.name);
        for f in &o.failures {
            let _ = writeln!(out, "        {}: {}", sources.place(f.span), f.subject);
            let _ = writeln!(out, "          expected  {}", f.expected);
            let _ = writeln!(out, "          actual    {}", f.actual);
            if let Some((mode, span)) = f.rule {
                let _ = writeln!(
                    out,
                    "          rule      {mode} {}  ({})",
                    sources.slice(span),
                    sources.place(span)
                );
            }
            for span in &f.taken {
                let _ = writeln!(out, "          took      {}", sources.slice(*span));
            }
            if let Some(note) = &f.note {
                let _ = writeln!(out, "          because   {note}");
            }
        }
    }
    out
}

/// Covered / total per kind, then what no test exercised, with where it is.
pub fn coverage_text(sources: &Sources, coverage: &Coverage) -> String {
    let mut out = String::from("  coverage:\n");
    for what in What::ALL {
        let (covered, total) = coverage.count(what);
        if total > 0 {
            let _ = writeln!(out, "    {covered:>4} / {total:<4} {}", what.describe());
        }
    }
    let mut gaps = coverage.gaps().peekable();
    if gaps.peek().is_some() {
        out.push_str("  not exercised by any test:\n");
    }
    for gap in gaps {
        let what = match gap.what {
            What::Item => format!("item {} never scored", gap.subject),
            What::NotApplicable => format!("{} never not applicable", gap.subject),
            What::Branch => format!("`{}` never taken", sources.slice(gap.span)),
            What::PartItem => format!("{} never gave points", gap.subject),
            What::Veto => format!("veto {} never fired", gap.subject),
        };
        let _ = writeln!(out, "    {}  {what}", sources.place(gap.span));
    }
    out
}
