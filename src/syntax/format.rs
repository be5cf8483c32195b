//! The formatter behind `zhibiao fmt`: policy text → the same tokens in one
//! canonical layout.
//!
//! It works on the parse tree's tokens, not on the syntax tree, so that it
//! keeps what the syntax tree forgets: every comment where it was, the
//! author's keywords (English, Chinese or mixed) and the author's line
//! breaks inside long rules. Only the whitespace between tokens changes:
//! declarations, settings, nodes, grades and tiers each start a line,
//! indented two spaces per block; a line that continues a declaration is
//! indented one step more; spaces are single (none inside brackets and
//! before commas); at most one blank line is kept; the points of sibling
//! nodes, the descriptions of consecutive inputs and consecutive trailing
//! comments are aligned (by display width: a Chinese character is two
//! columns). The result depends on nothing else, so formatting twice gives
//! what formatting once gave.

use super::grammar::{Rule, ZbParser};
use crate::diagnostics::Diagnostic;
use pest::Parser;
use pest::iterators::Pair;
use unicode_width::UnicodeWidthStr;

/// The file in canonical layout, or the syntax errors that keep it from
/// being formatted (the text is then left as it was).
pub fn format(text: &str) -> Result<String, Vec<Diagnostic>> {
    // Nesting past the limit is refused before the parser descends into it.
    let parsed = match super::depth::first_too_deep(text, 0) {
        Some(_) => Err(None),
        None => ZbParser::parse(Rule::file, text).map_err(Some),
    };
    let pairs = match parsed {
        Ok(pairs) => pairs,
        Err(error) => {
            let mut found: Vec<Diagnostic> = super::parse(text)
                .1
                .into_iter()
                .filter(Diagnostic::is_error)
                .collect();
            if let (true, Some(error)) = (found.is_empty(), error) {
                found.push(super::errors::from_pest(&error, text, 0));
            }
            return Err(found);
        }
    };
    let mut tokens = Vec::new();
    let mut starts = None;
    for pair in pairs {
        collect(pair, Rule::file, Rule::file, &mut starts, &mut tokens);
    }
    let elements = elements(text, &tokens);
    let mut layout = Layout {
        broken: broken_braces(&elements),
        ..Layout::default()
    };
    for (i, element) in elements.iter().enumerate() {
        match element {
            Element::Token(t, newlines) => layout.token(t, *newlines),
            Element::Comment(text, newlines) => {
                let next = elements
                    .get(i + 1..)
                    .unwrap_or(&[])
                    .iter()
                    .find_map(|e| match e {
                        Element::Token(t, _) => Some(*t),
                        Element::Comment(..) => None,
                    });
                layout.comment(text, *newlines, next);
            }
        }
    }
    Ok(layout.finish())
}

/// A leaf of the parse tree, with what the layout needs to know of its place.
struct Token<'t> {
    text: &'t str,
    start: usize,
    end: usize,
    rule: Rule,
    parent: Rule,
    grand: Rule,
    starts: Option<Start>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Start {
    /// The first token of a declaration, setting, node, grade or tier.
    Member,
    /// The first token of an arm of `match` or a band of `bands`.
    Arm,
}

fn collect<'t>(
    pair: Pair<'t, Rule>,
    parent: Rule,
    grand: Rule,
    starts: &mut Option<Start>,
    out: &mut Vec<Token<'t>>,
) {
    let rule = pair.as_rule();
    if is_member(rule, parent) {
        *starts = Some(Start::Member);
    } else if matches!(rule, Rule::arm | Rule::band) {
        *starts = Some(Start::Arm);
    }
    let span = pair.as_span();
    let mut inner = pair.into_inner().peekable();
    if inner.peek().is_none() {
        if !span.as_str().is_empty() {
            out.push(Token {
                text: span.as_str(),
                start: span.start(),
                end: span.end(),
                rule,
                parent,
                grand,
                starts: starts.take(),
            });
        }
        return;
    }
    for child in inner {
        collect(child, rule, parent, starts, out);
    }
}

/// Rules that start a line of their own.
fn is_member(rule: Rule, parent: Rule) -> bool {
    use Rule::*;
    match rule {
        header | input | let_decl | group | item | bonus | deduction | veto | grades | tiers
        | change_node | remove_node | add_nodes | rename_node | move_node | grade | tier | test
        | script | given | test_unit | expect | funding | funding_share | funding_grades
        | uncertainty | samples | seed | vary_weights | vary_na | vary_aggregate
        | vary_normalise | leave_out => true,
        cap => parent == funding,
        version | total | precision | levels | kinds | na_setting | missing_setting | allow
        | rank | sources | compare | unit_columns => parent == header,
        fail_below => parent == header,
        _ => false,
    }
}

/// Braces that hold declarations (one per line), as opposed to the braces
/// of a `match` or `bands` rule.
fn is_block(parent: Rule) -> bool {
    use Rule::*;
    matches!(
        parent,
        header
            | group
            | bonus
            | deduction
            | grades
            | tiers
            | add_nodes
            | test
            | funding
            | uncertainty
    )
}

enum Element<'t, 'k> {
    /// A token and the number of line breaks before it in the source.
    Token(&'k Token<'t>, usize),
    Comment(&'t str, usize),
}

/// Tokens and comments in source order. Anything else between two tokens
/// (there should be nothing: the grammar names every token) is kept as
/// written, like a `/* */` comment, rather than lost.
fn elements<'t, 'k>(text: &'t str, tokens: &'k [Token<'t>]) -> Vec<Element<'t, 'k>> {
    let mut out = Vec::new();
    let mut at = 0;
    for t in tokens.iter().map(Some).chain([None]) {
        let end = t.map_or(text.len(), |t| t.start);
        let gap = text.get(at..end).unwrap_or("");
        let mut newlines = 0;
        let mut rest = gap;
        while let Some(c) = rest.chars().next() {
            if is_space(c) {
                newlines += usize::from(c == '\n');
                rest = rest.get(c.len_utf8()..).unwrap_or("");
                continue;
            }
            let len = if rest.starts_with("//") {
                rest.find('\n').unwrap_or(rest.len())
            } else if rest.starts_with("/*") {
                rest.find("*/").map_or(rest.len(), |n| n + 2)
            } else {
                rest.find(is_space).unwrap_or(rest.len())
            };
            let (comment, after) = rest.split_at(len);
            out.push(Element::Comment(comment.trim_end(), newlines));
            newlines = 0;
            rest = after;
        }
        if let Some(t) = t {
            out.push(Element::Token(t, newlines));
            at = t.end;
        }
    }
    out
}

fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\u{3000}' | '\r' | '\n')
}

/// Per `match`/`bands` brace, in order: whether its arms go one per line
/// (the author broke a line before an arm or before its closing brace).
fn broken_braces(elements: &[Element]) -> Vec<bool> {
    let mut broken = Vec::new();
    let mut open: Vec<usize> = Vec::new();
    for e in elements {
        let breaks = match e {
            Element::Token(t, newlines) => {
                let brace = !is_block(t.parent);
                if t.rule == Rule::lbrace && brace {
                    open.push(broken.len());
                    broken.push(false);
                    continue;
                }
                let close = t.rule == Rule::rbrace && brace;
                let breaks = *newlines > 0 && (close || t.starts == Some(Start::Arm));
                if close {
                    if breaks && let Some(b) = open.last().and_then(|&i| broken.get_mut(i)) {
                        *b = true;
                    }
                    open.pop();
                    continue;
                }
                breaks
            }
            Element::Comment(text, newlines) => *newlines > 0 || text.starts_with("//"),
        };
        if breaks && let Some(b) = open.last().and_then(|&i| broken.get_mut(i)) {
            *b = true;
        }
    }
    broken
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Align {
    /// The points of the nodes of one block (keyed by the block).
    Points(usize),
    /// An input's description, aligned over consecutive lines.
    Description,
    /// The `=>` of `bands` and `match` arms, over consecutive lines.
    Arrow,
    /// The intervals of grades (keyed by the block).
    Interval(usize),
    /// A trailing comment, aligned over consecutive lines.
    Comment,
}

struct Segment {
    text: String,
    /// Spaces before it on its line.
    gap: usize,
    align: Option<Align>,
}

#[derive(Default)]
struct Line {
    indent: usize,
    segments: Vec<Segment>,
}

#[derive(Default)]
struct Layout {
    lines: Vec<Line>,
    /// Open declaration blocks (their opening brace's position).
    blocks: Vec<usize>,
    /// Per open `match`/`bands` brace: the indentation of its line and
    /// whether its arms go one per line.
    braces: Vec<(usize, bool)>,
    /// See [`broken_braces`]; `braces_seen` counts the braces opened so far.
    broken: Vec<bool>,
    braces_seen: usize,
    /// Indentation of the line the current declaration started on.
    member: usize,
    /// The last token's rule and its parent's.
    last: Option<(Rule, Rule)>,
    /// A line comment ended the current line.
    after_line_comment: bool,
}

impl Layout {
    fn token(&mut self, t: &Token, newlines: usize) {
        let block_open = t.rule == Rule::lbrace && is_block(t.parent);
        let block_close = t.rule == Rule::rbrace && is_block(t.parent);
        let brace_close = t.rule == Rule::rbrace && !block_close;
        let member = t.starts == Some(Start::Member);
        let broken = self.braces.last().is_some_and(|b| b.1);
        if block_close {
            self.blocks.pop();
        }
        let newline = self.lines.is_empty()
            || self.after_line_comment
            || member
            || block_close
            || (broken && (brace_close || t.starts == Some(Start::Arm)))
            || (newlines > 0 && !self.joins(t));
        if newline {
            let indent = if member || block_close {
                2 * self.blocks.len()
            } else if brace_close {
                self.braces.pop().map_or(self.member, |b| b.0)
            } else {
                self.continuation()
            };
            if member {
                self.member = indent;
            }
            let blank = newlines > 1 && !block_close;
            self.start_line(indent, blank);
        } else if brace_close {
            self.braces.pop();
        }
        let gap = usize::from(!self.lines.is_empty() && !self.tight(t));
        let block = self.blocks.last().copied().unwrap_or(0);
        let (align, gap) = match (t.rule, t.parent, t.grand) {
            (_, Rule::size, Rule::group | Rule::item) => (Some(Align::Points(block)), gap),
            (Rule::string, Rule::input, _) => (Some(Align::Description), 2),
            (Rule::arrow, Rule::band | Rule::arm, _) => (Some(Align::Arrow), gap),
            (Rule::lower_bracket, Rule::interval, Rule::grade) => {
                (Some(Align::Interval(block)), gap)
            }
            _ => (None, gap),
        };
        self.push(t.text, gap, align);
        if block_open {
            self.blocks.push(t.start + 1);
        } else if t.rule == Rule::lbrace {
            let indent = self.lines.last().map_or(0, |l| l.indent);
            let broken = self.broken.get(self.braces_seen).copied().unwrap_or(false);
            self.braces.push((indent, broken));
            self.braces_seen += 1;
        }
        self.last = Some((t.rule, t.parent));
        self.after_line_comment = false;
    }

    fn comment(&mut self, text: &str, newlines: usize, next: Option<&Token>) {
        let line_comment = text.starts_with("//");
        if newlines == 0 && !self.lines.is_empty() {
            let align = line_comment.then_some(Align::Comment);
            self.push(text, if line_comment { 2 } else { 1 }, align);
        } else {
            // On a line of its own: indented like the token it precedes.
            let indent = match next {
                Some(t) if t.starts == Some(Start::Member) => 2 * self.blocks.len(),
                Some(t) if t.rule == Rule::rbrace && is_block(t.parent) => 2 * self.blocks.len(),
                _ => self.continuation(),
            };
            let blank = newlines > 1;
            self.start_line(indent, blank);
            self.push(text, 0, None);
        }
        self.after_line_comment = line_comment;
    }

    fn continuation(&self) -> usize {
        self.braces.last().map_or(self.member, |b| b.0) + 2
    }

    fn start_line(&mut self, indent: usize, blank: bool) {
        let after_open =
            matches!(self.last, Some((Rule::lbrace, p)) if is_block(p)) && !self.after_line_comment;
        if blank && !self.lines.is_empty() && !after_open {
            self.lines.push(Line::default());
        }
        self.lines.push(Line {
            indent,
            segments: Vec::new(),
        });
    }

    fn push(&mut self, text: &str, gap: usize, align: Option<Align>) {
        if let Some(line) = self.lines.last_mut() {
            let gap = if line.segments.is_empty() { 0 } else { gap };
            line.segments.push(Segment {
                text: text.to_string(),
                gap,
                align,
            });
        }
    }

    /// Tokens that stay on the line of the token before them.
    fn joins(&self, t: &Token) -> bool {
        use Rule::*;
        let after = matches!(
            self.last,
            Some((neg | lower_bracket | lbracket | slash | dots, _))
        );
        after
            || matches!(
                t.rule,
                comma | colon | rparen | lbrace | upper_bracket | rbracket | dots | slash | arrow
            )
            || (t.rule == lparen && t.parent == call)
    }

    /// Tokens written without a space before them.
    fn tight(&self, t: &Token) -> bool {
        use Rule::*;
        let after = matches!(
            self.last,
            Some((neg | lparen | lower_bracket | lbracket | slash | dots, _))
        );
        after
            || matches!(
                t.rule,
                comma | colon | rparen | upper_bracket | rbracket | dots | slash
            )
            || (t.rule == lparen && t.parent == call)
    }

    fn finish(mut self) -> String {
        align(&mut self.lines, |a| matches!(a, Align::Points(_)), false);
        align(&mut self.lines, |a| matches!(a, Align::Interval(_)), false);
        align(&mut self.lines, |a| a == Align::Description, true);
        align(&mut self.lines, |a| a == Align::Arrow, true);
        align(&mut self.lines, |a| a == Align::Comment, true);
        let mut out = String::new();
        for line in &self.lines {
            if !line.segments.is_empty() {
                out.push_str(&" ".repeat(line.indent));
            }
            for s in &line.segments {
                out.push_str(&" ".repeat(s.gap));
                out.push_str(&s.text);
            }
            out.push('\n');
        }
        out
    }
}

/// Columns wider than this are not aligned with the lines around them.
const WIDEST_ALIGNED: usize = 64;

/// Pads the segments `which` selects so that they start in one column: per
/// key, or (with `runs`) per run of consecutive lines that have one.
fn align(lines: &mut [Line], which: impl Fn(Align) -> bool, runs: bool) {
    let found: Vec<(usize, usize, Align, usize)> = lines
        .iter()
        .enumerate()
        .filter_map(|(l, line)| {
            let mut column = line.indent;
            line.segments.iter().enumerate().find_map(|(s, seg)| {
                column += seg.gap;
                let hit = seg.align.filter(|a| which(*a)).map(|a| (l, s, a, column));
                column += seg.text.width();
                hit
            })
        })
        .collect();
    // (key, last line, entries: line, segment, column)
    type Group = (Align, usize, Vec<(usize, usize, usize)>);
    let mut groups: Vec<Group> = Vec::new();
    for (l, s, key, column) in found {
        let group = if runs {
            groups.last_mut().filter(|g| g.1 + 1 == l)
        } else {
            groups.iter_mut().find(|g| g.0 == key)
        };
        match group {
            Some(g) => {
                g.1 = l;
                g.2.push((l, s, column));
            }
            None => groups.push((key, l, vec![(l, s, column)])),
        }
    }
    for (_, _, group) in groups {
        let target = group
            .iter()
            .map(|e| e.2)
            .filter(|&c| c <= WIDEST_ALIGNED)
            .max()
            .unwrap_or(0);
        for (l, s, column) in group {
            if column < target
                && let Some(seg) = lines.get_mut(l).and_then(|line| line.segments.get_mut(s))
            {
                seg.gap += target - column;
            }
        }
    }
}
