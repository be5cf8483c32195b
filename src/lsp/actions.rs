//! Quick fixes for the checker's diagnostics in a range of the document:
//! take a "did you mean" suggestion, quote a name that holds a keyword or
//! punctuation, give a group's last child the points its children miss, state
//! the header's not-applicable rule.

use super::analysis::Analysis;
use crate::diagnostics::Diagnostic;
use crate::num::Num;
use crate::source::Span;
use lsp_types as lsp;
use std::collections::HashMap;

impl Analysis {
    /// The quick fixes for the diagnostics in `range`.
    pub fn actions(&self, range: lsp::Range) -> Vec<lsp::CodeAction> {
        actions(self, range)
    }
}

fn actions(a: &Analysis, range: lsp::Range) -> Vec<lsp::CodeAction> {
    let lines = a.lines();
    let (from, to) = (lines.offset(range.start), lines.offset(range.end));
    let touches = |s: Span| a.in_document(s) && (s.start as usize) <= to && from <= s.end as usize;
    (a.diagnostics.iter())
        .filter(|d| d.labels.first().is_some_and(|l| touches(l.span)))
        .filter_map(|d| fix(a, d))
        .map(|(title, span, text)| {
            let range = lines.range(span.start as usize, span.end as usize);
            let edit = lsp::TextEdit::new(range, text);
            lsp::CodeAction {
                title,
                kind: Some(lsp::CodeActionKind::QUICKFIX),
                edit: Some(lsp::WorkspaceEdit::new(HashMap::from([(
                    a.uri.clone(),
                    vec![edit],
                )]))),
                is_preferred: Some(true),
                ..lsp::CodeAction::default()
            }
        })
        .collect()
}

/// The fix for one diagnostic: its title, the span to replace and the text.
fn fix(a: &Analysis, d: &Diagnostic) -> Option<(String, Span, String)> {
    let span = d.labels.first()?.span;
    let help = d.help.as_deref().unwrap_or("");
    if let Some(name) = between(help, "did you mean `", "`?") {
        return Some((format!("Change to `{name}`"), span, name.to_string()));
    }
    if let Some(quoted) = between(help, "quote it: \"", "\"") {
        return Some((format!("Quote `{quoted}`"), span, format!("\"{quoted}\"")));
    }
    if let Some(word) = between(help, "quote the name: \"", "\"") {
        // The word around the punctuation the parser stopped at.
        let inside =
            |at: usize| at <= span.start as usize && (span.start as usize) < at + word.len();
        let at = a
            .text
            .match_indices(word)
            .map(|(at, _)| at)
            .find(|at| inside(*at))?;
        return Some((
            format!("Quote `{word}`"),
            Span::new(at, at + word.len()),
            format!("\"{word}\""),
        ));
    }
    if d.code == crate::check::POINTS_DO_NOT_SUM {
        return group_points(a, d, span);
    }
    if d.code == crate::check::NO_NA_RULE {
        return header_rule(a);
    }
    None
}

/// The text between `open` and the next `close` in `text`.
fn between<'t>(text: &'t str, open: &str, close: &str) -> Option<&'t str> {
    let rest = text.get(text.find(open)? + open.len()..)?;
    rest.get(..rest.find(close)?)
}

/// The points a group's children miss (or have too many) given to (or
/// taken from) its last child, so the group adds up as declared.
fn group_points(a: &Analysis, d: &Diagnostic, span: Span) -> Option<(String, Span, String)> {
    let got: Num = between(&d.message, "the children add up to ", ", not")?
        .parse()
        .ok()?;
    let want: Num = between(&d.message, ", not ", " (")?.parse().ok()?;
    let group = a
        .nodes
        .iter()
        .find(|n| n.span == span || n.name_span == span)?;
    let last = (a.nodes.iter())
        .filter(|n| n.path.len() == group.path.len() + 1 && n.path.starts_with(&group.path))
        .filter(|n| n.span.start > group.span.start && n.span.end <= group.span.end)
        .max_by_key(|n| n.span.start)?;
    let size = last.size_span?;
    let points: Num = a.text.get(size.range())?.parse().ok()?;
    let new = points + want - got;
    if new.is_negative() {
        return None;
    }
    let title = format!(
        "Make `{}` {new} points, so that `{}` adds up to {want}",
        last.name, group.name
    );
    Some((title, size, new.to_string()))
}

/// `not_applicable rescale` at the end of the header.
fn header_rule(a: &Analysis) -> Option<(String, Span, String)> {
    let header = a.files.first()?.header.first()?;
    let close = header.span.end.checked_sub(1)?;
    let line_start = a
        .text
        .get(..close as usize)?
        .rfind('\n')
        .map_or(0, |i| i + 1);
    let chinese = a.lang == crate::syntax::print::Keywords::Chinese;
    let rule = if chinese {
        "  不适用 折算\n"
    } else {
        "  not_applicable rescale\n"
    };
    let title = "State the not-applicable rule in the header: rescale".to_string();
    Some((title, Span::new(line_start, line_start), rule.to_string()))
}
