//! Where the cursor is, for completion: in an expression, after a node's
//! points (where its rule or a clause comes), at the start of a line in a
//! category (a node or a clause) or in the header (a setting).

use crate::syntax::brackets;
use crate::syntax::keywords;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Context {
    Expression,
    Rule,
    Node,
    Setting,
    Anywhere,
}

/// Keywords after which an expression comes.
const BEFORE_EXPRESSION: &[&str] = &[
    "score", "points", "if", "then", "else", "and", "or", "not", "contains", "when", "only_if",
    "minus", "bands", "match", "in_turn",
];

/// Keywords written inside an expression.
pub(super) const IN_EXPRESSION: &[&str] = &[
    "if", "then", "else", "and", "or", "not", "contains", "match", "bands", "in_turn", "true",
    "false", "base", "todo", "within", "rest",
];

/// A node's clauses: after its name and points, or on lines of their own.
pub(super) const CLAUSE: &[&str] = &[
    "for",
    "when",
    "not_applicable",
    "target",
    "fail_below",
    "aggregate",
    "weights",
    "minus",
    "by_kind",
    "side_total",
    "allow",
];

/// What, besides a clause, follows a node's name and points: its rule.
pub(super) const RULE: &[&str] = &["score", "points"];

/// What, besides a clause, may start a line inside a category or indicator.
pub(super) const NODE: &[&str] = &["category", "indicator", "item"];

/// The header's settings.
pub(super) const SETTING: &[&str] = &[
    "version",
    "total",
    "precision",
    "levels",
    "kinds",
    "not_applicable",
    "missing",
    "allow",
    "rank",
    "sources",
    "compare",
    "column",
];

/// The context of the token being typed: `before` is the text before it,
/// `ahead` the line up to it, `previous` the keyword (in English) just
/// before it, `first` the line's first keyword.
pub(super) fn context(before: &str, ahead: &str, previous: &str, first: Option<&str>) -> Context {
    let operator = ahead.ends_with(['+', '-', '*', '/', '(', ',', '<', '>', '=', '!']);
    if BEFORE_EXPRESSION.contains(&previous) || operator {
        return Context::Expression;
    }
    if ahead.trim().is_empty() {
        return match block(before) {
            Some("policy") => Context::Setting,
            Some("category" | "indicator") => Context::Node,
            _ => Context::Anywhere,
        };
    }
    let node = matches!(first, Some("item" | "category" | "indicator"));
    let last = ahead.split_whitespace().last().unwrap_or("");
    let sized = last.trim_end_matches('%').parse::<f64>().is_ok() || last.ends_with(['"', '”']);
    if node && sized && ahead.split_whitespace().count() >= 3 {
        return Context::Rule;
    }
    Context::Anywhere
}

/// The keyword (in English) of the line that opens the block the text ends
/// in, if it ends in one.
fn block(before: &str) -> Option<&'static str> {
    let mut open = Vec::new();
    for (at, c) in brackets(before) {
        match c {
            '{' => open.push(at),
            '}' => _ = open.pop(),
            _ => {}
        }
    }
    let at = *open.last()?;
    let line = before.get(..at)?.rsplit('\n').next()?;
    line.split_whitespace().next().and_then(keywords::english)
}
