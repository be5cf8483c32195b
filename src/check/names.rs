//! Name tables, and the checker's unknown-name and duplicate-name diagnostics.

use super::Checker;
use crate::diagnostics::Diagnostic;
use crate::source::Span;
use crate::syntax::ast::Name;
use std::collections::HashMap;

pub const UNKNOWN_NAME: &str = "zhibiao::check::unknown_name";
pub const DUPLICATE_NAME: &str = "zhibiao::check::duplicate_name";

/// `unknown <what> `name``, with a suggestion among `candidates`.
pub fn unknown<'a>(
    what: &str,
    name: &str,
    span: Span,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Diagnostic {
    crate::diagnostics::unknown(UNKNOWN_NAME, what, name, span, candidates)
}

pub fn duplicate(what: &str, name: &str, first: Span, again: Span) -> Diagnostic {
    Diagnostic::error(DUPLICATE_NAME, format!("{what} `{name}` is defined twice"))
        .label(again, "defined again here")
        .label(first, "first defined here")
        .help(format!(
            "give each {what} its own name, or remove one of them"
        ))
}

impl Checker {
    /// The one block of a kind a policy may have (`grades`, `tiers`); every
    /// other is reported as a duplicate.
    pub(super) fn single<'t, T>(
        &mut self,
        what: &str,
        keyword: &str,
        blocks: &'t [T],
        span: impl Fn(&T) -> Span,
    ) -> Option<&'t T> {
        let first = blocks.first()?;
        for extra in blocks.iter().skip(1) {
            self.report(duplicate(what, keyword, span(first), span(extra)));
        }
        Some(first)
    }

    /// Reports each name that repeats an earlier one in `names` (siblings,
    /// choices, grades ...); returns which of them are repeats.
    pub(super) fn repeated<'n>(
        &mut self,
        what: &str,
        names: impl IntoIterator<Item = &'n Name>,
    ) -> Vec<bool> {
        let mut firsts: HashMap<&str, Span> = HashMap::new();
        let mut repeats = Vec::new();
        for name in names {
            let first = *firsts.entry(&name.value).or_insert(name.span);
            let repeat = first != name.span;
            if repeat {
                self.report(duplicate(what, &name.value, first, name.span));
            }
            repeats.push(repeat);
        }
        repeats
    }
}
