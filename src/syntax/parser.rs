//! The pest parser, driven one declaration at a time so that one syntax error
//! does not hide the others: after an error, parsing resumes at the next line
//! that starts (in column 1) with a declaration keyword.

use super::ast::File;
use super::grammar::{Rule, ZbParser};
use super::{comments, depth, errors, lower};
use crate::diagnostics::Diagnostic;
use crate::source::Span;
use pest::Parser;

/// Parses a policy file. Returns what could be read and every syntax error.
pub fn parse(text: &str) -> (File, Vec<Diagnostic>) {
    parse_at(text, 0)
}

/// Parses a policy file whose spans start at `base` in a
/// [`Sources`](crate::source::Sources) address space.
pub fn parse_at(text: &str, base: u32) -> (File, Vec<Diagnostic>) {
    let shift = |s: Span| Span {
        start: s.start + base,
        end: s.end + base,
    };
    let mut file = File {
        comments: comments::collect(text).into_iter().map(shift).collect(),
        ..File::default()
    };
    let mut diagnostics = Vec::new();
    let mut offset = 0;
    let mut deep = depth::first_too_deep(text, 0);
    let mut failed = 0;
    while offset < text.len() {
        if let Some(d) = deep.filter(|d| d.declaration <= offset) {
            let width = text
                .get(d.at..)
                .and_then(|t| t.chars().next())
                .map_or(1, char::len_utf8);
            let at = shift(Span::new(d.at, d.at + width));
            diagnostics.push(depth::too_deep(at, "this declaration"));
            offset = d.end;
            deep = depth::first_too_deep(text, offset);
            continue;
        }
        // Parse no further than the declaration that nests too deeply.
        let end = deep.map_or(text.len(), |d| d.declaration);
        let rest = text.get(offset..end).unwrap_or("");
        if only_trivia(rest) {
            match deep {
                Some(d) => offset = d.declaration,
                None => break,
            }
            continue;
        }
        match ZbParser::parse(Rule::declaration_at, rest) {
            Ok(mut pairs) => {
                let Some(decl) = pairs.next().and_then(|p| p.into_inner().next()) else {
                    break;
                };
                let end = decl.as_span().end();
                lower::declaration(decl, base as usize + offset, &mut file, &mut diagnostics);
                offset += end.max(1);
            }
            Err(error) => {
                let mut d = errors::from_pest(&error, text, offset);
                d.labels.iter_mut().for_each(|l| l.span = shift(l.span));
                diagnostics.push(d);
                failed += 1;
                if failed == MOST_ERRORS {
                    // Each attempt may read far ahead: stop before reading
                    // a broken file becomes quadratic.
                    let stop = resume_point(text, offset).unwrap_or(text.len());
                    diagnostics.push(errors::too_many(shift(Span::new(stop, stop)), MOST_ERRORS));
                    break;
                }
                match resume_point(text, offset) {
                    Some(next) => offset = next,
                    None => break,
                }
            }
        }
    }
    (file, diagnostics)
}

/// Syntax errors read before the rest of a file is given up.
const MOST_ERRORS: usize = 100;

/// The start of the first line after the one holding `offset` (skipping
/// leading trivia) that begins with a declaration keyword in column 1.
fn resume_point(text: &str, offset: usize) -> Option<usize> {
    let start = offset + first_token(text.get(offset..)?);
    let mut pos = start + text.get(start..)?.find('\n')? + 1;
    while pos < text.len() {
        let line = text.get(pos..)?;
        if starts_declaration(line) {
            return Some(pos);
        }
        pos += line.find('\n')? + 1;
    }
    None
}

/// Whether `text` holds nothing but whitespace and comments (checked
/// here, not by the parser: a failed parse costs time in the length of
/// the rest of the file, which made reading a large file quadratic).
fn only_trivia(text: &str) -> bool {
    let mut rest = text;
    loop {
        rest = rest.trim_start_matches([' ', '\t', '\n', '\r', '\u{3000}', '\u{feff}']);
        if rest.is_empty() {
            return true;
        }
        if let Some(after) = rest.strip_prefix("//") {
            rest = after
                .find('\n')
                .map_or("", |n| after.get(n..).unwrap_or(""));
        } else if let Some(after) = rest.strip_prefix("/*") {
            match after.find("*/") {
                Some(end) => rest = after.get(end + 2..).unwrap_or(""),
                None => return false,
            }
        } else {
            return false;
        }
    }
}

fn first_token(text: &str) -> usize {
    let mut rest = text;
    loop {
        let trimmed = rest.trim_start();
        if let Some(after) = trimmed.strip_prefix("//") {
            rest = after.find('\n').map_or("", |n| &after[n..]);
        } else {
            return text.len() - trimmed.len();
        }
    }
}

fn starts_declaration(line: &str) -> bool {
    super::keywords::DECLARATIONS.iter().any(|kw| {
        line.strip_prefix(kw)
            .and_then(|after| after.chars().next())
            .is_some_and(|c| c.is_whitespace() || c == '"' || c == '#')
    })
}
