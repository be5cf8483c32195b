//! Intervals of bands and grades: each bound says whether it is inclusive;
//! together they must cover their domain with no gap and no overlap.

use super::Checker;
use crate::diagnostics::Diagnostic;
use crate::num::Num;
use crate::syntax::ast::Interval;
use std::cmp::Ordering;

pub const GAP: &str = "zhibiao::check::band_gap";
pub const OVERLAP: &str = "zhibiao::check::band_overlap";
pub const EMPTY: &str = "zhibiao::check::band_empty";

type Domain = (Option<Num>, Option<Num>);

impl Checker {
    /// Reports empty intervals, overlaps, and gaps inside `domain` (an open
    /// end of the domain is not checked).
    pub(super) fn check_intervals(&mut self, intervals: &[Interval], domain: Domain, what: &str) {
        let mut sorted: Vec<&Interval> = Vec::new();
        for iv in intervals {
            if is_empty(iv) {
                self.report(
                    Diagnostic::error(EMPTY, format!("this {what} contains no value"))
                        .label(iv.span, "its lower bound is not below its upper bound")
                        .help("write the lower bound first: `[60, 80)`"),
                );
            } else {
                sorted.push(iv);
            }
        }
        sorted.sort_by(|a, b| cmp_low(a, b));
        for pair in sorted.windows(2) {
            let [a, b] = pair else { continue };
            self.adjacent(a, b, what);
        }
        if let (Some(first), Some(lo)) = (sorted.first(), domain.0) {
            let starts_before = match first.low {
                None => true,
                Some(l) => l < lo || (l == lo && first.low_inclusive),
            };
            if !starts_before {
                let l = first.low.map_or_else(|| "..".into(), show);
                let note = if first.low_inclusive {
                    " (not included)"
                } else {
                    " (included)"
                };
                self.report(gap(
                    what,
                    first,
                    &format!("values from {} up to {l}{note} fall in no {what}", show(lo)),
                ));
            }
        }
        if let (Some(last), Some(hi)) = (sorted.iter().max_by(|a, b| cmp_high(a, b)), domain.1) {
            let ends_after = match last.high {
                None => true,
                Some(h) => h > hi || (h == hi && last.high_inclusive),
            };
            if !ends_after {
                let h = last.high.map_or_else(|| "..".into(), show);
                let from = if last.high_inclusive { "above" } else { "from" };
                self.report(gap(
                    what,
                    last,
                    &format!("values {from} {h} up to {} fall in no {what}", show(hi)),
                ));
            }
        }
    }

    fn adjacent(&mut self, a: &Interval, b: &Interval, what: &str) {
        let (Some(a_high), Some(b_low)) = (a.high, b.low) else {
            if a.high.is_none() || b.low.is_none() {
                self.report(overlap(what, a, b, "both reach the same values"));
            }
            return;
        };
        match a_high.cmp(&b_low) {
            Ordering::Less => self.report(gap(
                what,
                b,
                &format!(
                    "values between {} and {} fall in no {what}",
                    show(a_high),
                    show(b_low)
                ),
            )),
            Ordering::Greater => self.report(overlap(
                what,
                a,
                b,
                &format!(
                    "values from {} to {} fall in both",
                    show(b_low),
                    show(a_high)
                ),
            )),
            Ordering::Equal => match (a.high_inclusive, b.low_inclusive) {
                (true, true) => self.report(overlap(
                    what,
                    a,
                    b,
                    &format!("{} falls in both", show(a_high)),
                )),
                (false, false) => self.report(gap(
                    what,
                    b,
                    &format!("{} falls in no {what}", show(a_high)),
                )),
                _ => {}
            },
        }
    }
}

fn is_empty(iv: &Interval) -> bool {
    match (iv.low, iv.high) {
        (Some(l), Some(h)) => l > h || (l == h && !(iv.low_inclusive && iv.high_inclusive)),
        _ => false,
    }
}

fn cmp_low(a: &Interval, b: &Interval) -> Ordering {
    match (a.low, b.low) {
        (None, None) => Ordering::Equal,
        (None, _) => Ordering::Less,
        (_, None) => Ordering::Greater,
        (Some(x), Some(y)) => x.cmp(&y).then(b.low_inclusive.cmp(&a.low_inclusive)),
    }
}

fn cmp_high(a: &Interval, b: &Interval) -> Ordering {
    match (a.high, b.high) {
        (None, None) => Ordering::Equal,
        (None, _) => Ordering::Greater,
        (_, None) => Ordering::Less,
        (Some(x), Some(y)) => x.cmp(&y).then(a.high_inclusive.cmp(&b.high_inclusive)),
    }
}

fn show(d: Num) -> String {
    d.to_string()
}

fn gap(what: &str, at: &Interval, detail: &str) -> Diagnostic {
    Diagnostic::error(GAP, format!("the {what}s leave a gap: {detail}"))
        .label(at.span, "next to the gap")
        .help("make each bound meet the next one, one side inclusive `[`/`]` and the other exclusive `(`/`)`: `[60, 80)` then `[80, 90)`")
}

fn overlap(what: &str, a: &Interval, b: &Interval, detail: &str) -> Diagnostic {
    Diagnostic::error(OVERLAP, format!("two {what}s overlap: {detail}"))
        .label(b.span, "this one")
        .label(a.span, "overlaps this one")
        .help(
            "where two bounds meet, include the value in one side only: `[60, 80)` and `[80, 90)`",
        )
}
