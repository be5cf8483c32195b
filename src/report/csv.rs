//! CSV: one row per unit, one column per node of the tree (named by its
//! path), written with a byte-order mark so Excel reads the Chinese. A node
//! that does not apply to the unit reads 不适用; a unit a `not_scored` veto
//! keeps out reads 不予评分 for its score, and its other numbers are blank.

use super::{NOT_APPLICABLE, NOT_SCORED, Results, stream};
use crate::eval::{Status, VetoHit};
use std::borrow::Cow;
use std::collections::HashMap;
use std::io::{self, Write};

const BOM: &[u8] = "\u{feff}".as_bytes();

pub fn write_csv<W: Write + ?Sized>(r: &Results, out: &mut W) -> io::Result<()> {
    let policy = r.policy;
    let tiers = !policy.tiers.is_empty();
    let mut header: Vec<&str> = vec![
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
    ];
    if tiers {
        header.push("tier");
    }
    header.extend(r.funding_name());
    header.extend(policy.nodes.iter().skip(1).map(|n| n.path.as_str()));
    out.write_all(BOM)?;
    out.write_all(&record(header.iter().copied()))?;
    let e = r.evaluation;
    let places = e.precision;
    let headings: Vec<bool> = policy.nodes.iter().map(|n| n.is_heading()).collect();
    // Each veto's and fail line's name, once, not per unit.
    let names: HashMap<VetoHit, String> = (0..policy.vetoes.len())
        .map(VetoHit::Veto)
        .chain(policy.fail_lines().into_iter().map(VetoHit::FailBelow))
        .map(|hit| (hit, super::veto_report(policy, hit).name))
        .collect();
    stream::units(
        out,
        r.data.len(),
        |i| i,
        |u, buffer| {
            let (Some(s), Some(rec), Some(unit)) = (e.unit(u), e.record(u), r.data.units.get(u))
            else {
                return;
            };
            let mut row = Row::new(buffer);
            row.text(unit.id);
            row.text(unit.name);
            row.text(r.kind(u));
            if s.not_scored {
                row.text(NOT_SCORED);
                (0..4).for_each(|_| row.text(""));
            } else {
                for x in [s.score, s.max, s.base, s.bonus, s.deductions] {
                    row.fixed(x, places);
                }
            }
            row.text(r.grade(s.grade).unwrap_or(""));
            row.count(s.rank);
            row.count(s.rank_in_kind);
            // No allocation for a unit without vetoes: most units.
            let hits: Vec<&str> = (rec.vetoes().filter_map(|v| names.get(&v)))
                .map(String::as_str)
                .collect();
            row.text(&hits.join("、"));
            if tiers {
                row.text(r.tier(s.tier).unwrap_or(""));
            }
            if r.funding_name().is_some() {
                match r.funding(u) {
                    Some(cents) => row.fixed(cents, 2),
                    None => row.text(""),
                }
            }
            for (id, heading) in headings.iter().enumerate().skip(1) {
                match rec.status(id) {
                    _ if s.not_scored || *heading => row.plain(""),
                    Status::NotApplicable => row.plain(NOT_APPLICABLE),
                    _ => row.fixed(rec.score(id), places),
                }
            }
            row.end();
        },
    )
}

/// One CSV record being written: fields quoted only where they need it.
struct Row<'a> {
    out: &'a mut Vec<u8>,
    first: bool,
}

impl<'a> Row<'a> {
    fn new(out: &'a mut Vec<u8>) -> Self {
        Row { out, first: true }
    }

    fn comma(&mut self) {
        if !self.first {
            self.out.push(b',');
        }
        self.first = false;
    }

    fn text(&mut self, s: &str) {
        self.comma();
        field(self.out, neutralised(s).as_bytes());
    }

    /// A field known to need neither quotes nor neutralising.
    fn plain(&mut self, s: &str) {
        self.comma();
        self.out.extend_from_slice(s.as_bytes());
    }

    fn fixed(&mut self, k: i64, places: u32) {
        self.comma();
        stream::fixed(self.out, k, places);
    }

    fn count(&mut self, n: Option<usize>) {
        self.comma();
        if let Some(n) = n {
            self.out
                .extend_from_slice(itoa::Buffer::new().format(n).as_bytes());
        }
    }

    fn end(self) {
        self.out.push(b'\n');
    }
}

/// A text field that a spreadsheet would run as a formula (it starts with
/// `=`, `+`, `-`, `@`, a tab or a carriage return, and is not a number)
/// gets a leading `'`, as spreadsheet-safety guidance (OWASP's "CSV
/// injection") says: Excel then shows it as the text it is.
fn neutralised(s: &str) -> Cow<'_, str> {
    let risky = s.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if risky && !is_number(s) {
        Cow::Owned(format!("'{s}"))
    } else {
        Cow::Borrowed(s)
    }
}

/// A plain decimal (`-2`, `+1.5`): a value, never a formula.
fn is_number(s: &str) -> bool {
    let digits = s.strip_prefix(['-', '+']).unwrap_or(s);
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, "0"));
    !whole.is_empty()
        && !fraction.is_empty()
        && whole
            .bytes()
            .chain(fraction.bytes())
            .all(|b| b.is_ascii_digit())
}

/// A field as CSV writes it: in quotes, with quotes doubled, when it holds
/// a comma, a quote or a line break (as the csv crate does).
fn field(out: &mut Vec<u8>, s: &[u8]) {
    if s.iter().any(|b| matches!(b, b',' | b'"' | b'\n' | b'\r')) {
        out.push(b'"');
        for &b in s {
            if b == b'"' {
                out.push(b'"');
            }
            out.push(b);
        }
        out.push(b'"');
    } else {
        out.extend_from_slice(s);
    }
}

fn record<'a>(fields: impl Iterator<Item = &'a str>) -> Vec<u8> {
    let mut out = Vec::new();
    for (i, f) in fields.enumerate() {
        if i > 0 {
            out.push(b',');
        }
        field(&mut out, neutralised(f).as_bytes());
    }
    out.push(b'\n');
    out
}

/// Rows as CSV text, with a byte-order mark so that Excel reads the Chinese.
pub fn write_rows(rows: impl IntoIterator<Item = Vec<String>>) -> String {
    let mut writer = ::csv::Writer::from_writer(Vec::new());
    for row in rows {
        // Writing to memory cannot fail.
        let _ = writer.write_record(row.iter().map(|f| neutralised(f).into_owned()));
    }
    let body = writer.into_inner().unwrap_or_default();
    format!("\u{feff}{}", String::from_utf8_lossy(&body))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_quoted_like_the_csv_crate_quotes_them() {
        let fields = ["plain", "a,b", "say \"hi\"", "two\nlines", "", "编号"];
        let mine = record(fields.iter().copied());
        let mut theirs = ::csv::Writer::from_writer(Vec::new());
        let _ = theirs.write_record(fields);
        assert_eq!(Some(mine), theirs.into_inner().ok());
    }

    #[test]
    fn the_words_written_as_they_are_need_no_quotes_and_run_nothing() {
        for word in [NOT_APPLICABLE, ""] {
            assert_eq!(neutralised(word), word);
            assert_eq!(record([word].into_iter()), format!("{word}\n").into_bytes());
        }
    }

    #[test]
    fn text_a_spreadsheet_would_run_is_neutralised_and_numbers_are_not() {
        for (cell, written) in [
            ("=1+1", "'=1+1"),
            ("+SUM(A1)", "'+SUM(A1)"),
            ("-cmd|' /C calc'!A0", "'-cmd|' /C calc'!A0"),
            ("@SUM(1)", "'@SUM(1)"),
            ("\tx", "'\tx"),
            ("\rx", "'\rx"),
            ("-2", "-2"),
            ("-1.50", "-1.50"),
            ("+3", "+3"),
            ("-", "'-"),
            ("a=b", "a=b"),
        ] {
            assert_eq!(neutralised(cell), written, "{cell:?}");
        }
    }
}
