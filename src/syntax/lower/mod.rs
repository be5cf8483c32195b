//! Lowering: pest pairs → syntax tree. One function per grammar rule, named
//! after the rule, in the grammar's order. `offset` is where the parsed slice
//! starts in the file, so every span is a byte range of the whole file.

use super::ast::*;
use super::grammar::Rule;
use crate::diagnostics::Diagnostic;
use crate::num::Num;
use crate::source::{Span, Spanned};
use header::{missing_rule, na_rule};
use pest::iterators::Pair;
use std::str::FromStr;

mod change;
mod expr;
mod header;
mod parts;
mod script;
mod test;
mod uncertainty;

type P<'a> = Pair<'a, Rule>;

pub const BAD_NUMBER: &str = "zhibiao::syntax::bad_number";

/// Bounds on numbers written in a policy, so that no sum or product of
/// points can overflow exact decimal arithmetic.
const LIMIT: i64 = 1_000_000_000_000;
const PLACES: u32 = 12;

struct Lower<'d> {
    offset: usize,
    diagnostics: &'d mut Vec<Diagnostic>,
    comments: &'d [Span],
    /// Expressions being lowered, one inside the other (a guard behind
    /// the lexical count of `depth`, which a name like a keyword can fool).
    nesting: usize,
    too_deep: bool,
}

pub fn declaration(pair: P, offset: usize, file: &mut File, diagnostics: &mut Vec<Diagnostic>) {
    let comments = std::mem::take(&mut file.comments);
    let mut l = Lower {
        offset,
        diagnostics,
        comments: &comments,
        nesting: 0,
        too_deep: false,
    };
    match pair.as_rule() {
        Rule::header => file.header.push(l.header(pair)),
        Rule::input => file.inputs.push(l.input(pair)),
        Rule::let_decl => file.lets.push(l.let_decl(pair)),
        Rule::group | Rule::item => file.tree.push(l.node(pair)),
        Rule::bonus | Rule::deduction => file.parts.push(l.part(pair)),
        Rule::veto => file.vetoes.push(l.veto(pair)),
        Rule::grades => file.grades.push(l.grades(pair)),
        Rule::tiers => file.tiers.push(l.tiers(pair)),
        Rule::funding => file.funding.push(l.funding(pair)),
        Rule::uncertainty => file.uncertainty.push(l.uncertainty(pair)),
        Rule::change_node
        | Rule::remove_node
        | Rule::add_nodes
        | Rule::rename_node
        | Rule::move_node => file.changes.push(l.change(pair)),
        Rule::test => file.tests.push(l.test(pair)),
        Rule::script => file.scripts.push(l.script(pair)),
        _ => {}
    }
    file.comments = comments;
}

/// The inner pairs of a rule, without punctuation.
fn kids(pair: P) -> impl Iterator<Item = P> {
    pair.into_inner().filter(|p| {
        !matches!(
            p.as_rule(),
            Rule::colon
                | Rule::comma
                | Rule::lbrace
                | Rule::rbrace
                | Rule::lparen
                | Rule::rparen
                | Rule::arrow
                | Rule::bar
                | Rule::assign
                | Rule::dots
                | Rule::lbracket
                | Rule::rbracket
        )
    })
}

fn kw_is(pair: &P, expected: Rule) -> bool {
    pair.as_rule() == expected
}

impl Lower<'_> {
    /// The pair's span, without the whitespace and comments pest keeps
    /// after a rule that ends in a repetition.
    fn span(&self, pair: &P) -> Span {
        let start = self.offset + pair.as_span().start();
        let mut text = pair.as_str();
        loop {
            text = text.trim_end();
            let end = start + text.len();
            match self
                .comments
                .iter()
                .find(|c| c.end as usize == end && c.start as usize >= start)
            {
                Some(c) => text = text.get(..c.start as usize - start).unwrap_or(""),
                None => return Span::new(start, end),
            }
        }
    }

    fn name(&self, pair: P) -> Name {
        let span = self.span(&pair);
        let text = pair.as_str();
        let value = if text.starts_with('"') || text.starts_with('“') {
            let mut chars = text.chars();
            chars.next();
            chars.next_back();
            chars.as_str().to_string()
        } else {
            text.to_string()
        };
        Spanned::new(value, span)
    }

    /// A name the grammar guarantees; empty (at `span`) if the pair is absent.
    fn name_or_empty(&self, pair: Option<P>, span: Span) -> Name {
        pair.map_or_else(|| Spanned::new(String::new(), span), |p| self.name(p))
    }

    fn string(&self, pair: P) -> String {
        let text = pair.as_str();
        if let Some(inner) = text.strip_prefix('“').and_then(|t| t.strip_suffix('”')) {
            return inner.to_string();
        }
        let inner = text.get(1..text.len().saturating_sub(1)).unwrap_or("");
        let mut out = String::with_capacity(inner.len());
        let mut chars = inner.chars();
        while let Some(c) = chars.next() {
            if c != '\\' {
                out.push(c);
                continue;
            }
            match chars.next() {
                Some('n') => out.push('\n'),
                Some('t') => out.push('\t'),
                Some(other) => out.push(other),
                None => {}
            }
        }
        out
    }

    /// `lo..hi` as written.
    fn bounds(&mut self, range: P) -> (Num, Num) {
        let bounds: Vec<Num> = kids(range).map(|b| self.decimal(&b)).collect();
        (
            bounds.first().copied().unwrap_or_default(),
            bounds.get(1).copied().unwrap_or_default(),
        )
    }

    fn decimal(&mut self, pair: &P) -> Num {
        let span = self.span(pair);
        self.decimal_text(pair.as_str().trim_end_matches('%'), span)
    }

    fn decimal_text(&mut self, text: &str, span: Span) -> Num {
        match Num::from_str(text) {
            Ok(d) if d.abs() <= Num::from(LIMIT) && d.places().is_some_and(|p| p <= PLACES) => d,
            _ => {
                self.diagnostics.push(
                    Diagnostic::error(BAD_NUMBER, format!("the number `{text}` is out of range"))
                        .label(span, "too large or too precise")
                        .help("numbers in a policy are at most 1,000,000,000,000 with at most 12 decimal places"),
                );
                Num::ZERO
            }
        }
    }

    /// A number or percentage literal as its value (`90%` → 0.9).
    fn quantity(&mut self, pair: &P) -> Num {
        let value = self.decimal(pair);
        if pair.as_str().ends_with('%') {
            value / Num::ONE_HUNDRED
        } else {
            value
        }
    }

    // ── Inputs and derived values ───────────────────────────────────────

    fn input(&mut self, pair: P) -> Input {
        let span = self.span(&pair);
        let mut input = Input {
            names: Vec::new(),
            ty: Spanned::new(InputType::Text, span),
            unit: None,
            when: None,
            missing: None,
            column: None,
            sources: Vec::new(),
            per: None,
            description: None,
            span,
        };
        for p in kids(pair) {
            match p.as_rule() {
                Rule::name => input.names.push(self.name(p)),
                Rule::input_type => input.ty = self.input_type(p),
                Rule::unit_opt => input.unit = kids(p).nth(1).map(|s| self.string(s)),
                Rule::column_opt => input.column = kids(p).nth(1).map(|s| self.string(s)),
                Rule::from_opt => {
                    for share in kids(p).skip(1) {
                        let mut parts = kids(share);
                        let name = self.name_or_empty(parts.next(), span);
                        let weight = parts
                            .next()
                            .map(|w| Spanned::new(self.quantity(&w), self.span(&w)));
                        input.sources.push((name, weight));
                    }
                }
                Rule::when_clause => input.when = kids(p).nth(1).map(|e| self.expr(e)),
                Rule::per_opt => input.per = kids(p).nth(1).map(|n| self.name(n)),
                Rule::missing_setting => {
                    let s = self.span(&p);
                    input.missing = p
                        .into_inner()
                        .nth(1)
                        .map(|r| Spanned::new(missing_rule(r), s));
                }
                Rule::string => input.description = Some(self.string(p)),
                _ => {}
            }
        }
        input
    }

    fn input_type(&mut self, pair: P) -> Spanned<InputType> {
        let span = self.span(&pair);
        let Some(inner) = kids(pair).next() else {
            return Spanned::new(InputType::Text, span);
        };
        let ty = match inner.as_rule() {
            Rule::kw_bool => InputType::Bool,
            Rule::kw_count => InputType::Count,
            Rule::percent_type => InputType::Percent {
                range: kids(inner).nth(1).map(|r| self.bounds(r)),
            },
            Rule::kw_ratio => InputType::Ratio,
            Rule::kw_text => InputType::Text,
            Rule::number_type => InputType::Number {
                range: kids(inner).nth(1).map(|r| self.bounds(r)),
            },
            Rule::set_type => InputType::Set(
                inner
                    .into_inner()
                    .nth(1)
                    .map(|c| self.choices(c))
                    .unwrap_or_default(),
            ),
            _ => InputType::Choice(self.choices(inner)),
        };
        Spanned::new(ty, span)
    }

    fn choices(&self, pair: P) -> Vec<Name> {
        kids(pair).map(|p| self.name(p)).collect()
    }

    fn let_decl(&mut self, pair: P) -> Let {
        let span = self.span(&pair);
        let mut inner = kids(pair).skip(1);
        let name = self.name_or_empty(inner.next(), span);
        let expr = inner
            .next()
            .map(|p| self.expr(p))
            .unwrap_or_else(|| missing_expr(span));
        Let { name, expr, span }
    }

    // ── The indicator tree ──────────────────────────────────────────────

    fn node(&mut self, pair: P) -> Node {
        let span = self.span(&pair);
        let is_group = pair.as_rule() == Rule::group;
        let mut node = Node {
            keyword: Spanned::new(String::new(), span),
            code: None,
            name: Spanned::new(String::new(), span),
            size: None,
            description: None,
            kinds: Vec::new(),
            when: None,
            na: None,
            fail_below: None,
            aggregate: None,
            by_kind: None,
            side: None,
            target: None,
            minus: None,
            weights: None,
            allow: Vec::new(),
            body: NodeBody::Group(Vec::new()),
            span,
            changed: None,
        };
        let mut children = Vec::new();
        let mut head = Modification::default();
        for p in kids(pair) {
            match p.as_rule() {
                Rule::group_kw | Rule::kw_item => {
                    node.keyword = Spanned::new(p.as_str().to_string(), self.span(&p));
                }
                Rule::code => node.code = Some(self.code(&p)),
                Rule::name => node.name = self.name(p),
                Rule::group | Rule::item => children.push(self.node(p)),
                _ => self.head_clause(p, &mut head),
            }
        }
        node.size = head.size;
        node.description = head.description;
        node.kinds = head.kinds.unwrap_or_default();
        node.when = head.when;
        node.na = head.na;
        node.fail_below = head.fail_below;
        node.aggregate = head.aggregate;
        node.by_kind = head.by_kind;
        node.side = head.side;
        node.target = head.target;
        node.minus = head.minus;
        node.weights = head.weights;
        node.allow = head.allow.unwrap_or_default();
        node.body = match (is_group, head.rule) {
            (false, Some(rule)) => NodeBody::Item(rule),
            _ => NodeBody::Group(children),
        };
        node
    }

    fn aggregate(&mut self, pair: P) -> Spanned<Aggregate> {
        let span = self.span(&pair);
        let mut inner = kids(pair).skip(1);
        let how = match inner.next() {
            Some(p) if kw_is(&p, Rule::kw_geometric) => Aggregate::Geometric,
            Some(p) if kw_is(&p, Rule::kw_harmonic) => Aggregate::Harmonic,
            Some(p) if kw_is(&p, Rule::kw_power) => {
                Aggregate::Power(inner.next().map(|n| self.decimal(&n)).unwrap_or_default())
            }
            _ => Aggregate::Arithmetic,
        };
        Spanned::new(how, span)
    }

    fn code(&self, pair: &P) -> Spanned<String> {
        Spanned::new(
            pair.as_str().trim_start_matches('#').to_string(),
            self.span(pair),
        )
    }

    /// A part of a node's head (points, description, clauses, rule), as
    /// written in a node or in a `change`.
    fn head_clause(&mut self, p: P, head: &mut Modification) {
        match p.as_rule() {
            Rule::size => head.size = kids(p).next().map(|s| self.size(s)),
            Rule::string => head.description = Some(self.string(p)),
            Rule::for_clause => {
                head.kinds = Some(kids(p).skip(1).map(|n| self.name(n)).collect());
            }
            Rule::when_clause => head.when = kids(p).nth(1).map(|e| self.expr(e)),
            Rule::na_setting => {
                let s = self.span(&p);
                head.na = kids(p).nth(1).map(|r| Spanned::new(na_rule(r), s));
            }
            Rule::fail_below => head.fail_below = kids(p).nth(1).map(|s| self.size(s)),
            Rule::aggregate => head.aggregate = Some(self.aggregate(p)),
            Rule::by_kind => head.by_kind = Some(self.span(&p)),
            Rule::side_total => head.side = Some(self.span(&p)),
            Rule::target => head.target = kids(p).nth(1).map(|s| self.size(s)),
            Rule::minus => head.minus = kids(p).nth(1).map(|e| self.expr(e)),
            Rule::allow => head.allow = Some(kids(p).skip(1).map(|n| self.name(n)).collect()),
            Rule::weights => {
                let span = self.span(&p);
                let how = match kids(p).nth(1) {
                    Some(k) if kw_is(&k, Rule::kw_equal) => Weights::Equal,
                    _ => Weights::Relative,
                };
                head.weights = Some(Spanned::new(how, span));
            }
            Rule::scoring => head.rule = Some(self.rule(p)),
            _ => {}
        }
    }

    fn size(&mut self, pair: P) -> Spanned<Size> {
        let span = self.span(&pair);
        let size = match pair.as_rule() {
            Rule::percent | Rule::signed_percent => Size::Percent(self.decimal(&pair)),
            Rule::kw_uncapped => Size::Uncapped,
            Rule::fraction => {
                let (n, d) = pair.as_str().split_once('/').unwrap_or(("0", "1"));
                let (n, d) = (self.decimal_text(n, span), self.decimal_text(d, span));
                if d.is_zero() {
                    self.diagnostics.push(
                        Diagnostic::error(BAD_NUMBER, "a fraction of zero parts")
                            .label(span, "divides by zero")
                            .help("write the points as a fraction of whole parts, e.g. `1/3`"),
                    );
                }
                Size::Points(n.checked_div(d).unwrap_or_default())
            }
            Rule::range => {
                let bounds: Vec<Num> = kids(pair).map(|b| self.decimal(&b)).collect();
                match bounds.as_slice() {
                    [lo, hi] => Size::Range(*lo, *hi),
                    _ => Size::Points(Num::ZERO),
                }
            }
            _ => Size::Points(self.decimal(&pair)),
        };
        Spanned::new(size, span)
    }

    fn rule(&mut self, pair: P) -> Rule_ {
        let span = self.span(&pair);
        let mut inner = kids(pair);
        let mode = match inner.next() {
            Some(p) if kw_is(&p, Rule::kw_points) => RuleMode::Points,
            _ => RuleMode::Score,
        };
        let expr = inner
            .next()
            .map(|p| self.expr(p))
            .unwrap_or_else(|| missing_expr(span));
        Rule_ { mode, expr }
    }
}

type Rule_ = super::ast::Rule;

fn open_interval(span: Span) -> Interval {
    Interval {
        low: None,
        low_inclusive: true,
        high: None,
        high_inclusive: true,
        percent: false,
        span,
    }
}

/// Stands in for an expression the grammar guarantees but a pair lacked.
fn missing_expr(span: Span) -> Expr {
    Expr {
        kind: ExprKind::Number(Num::ZERO),
        span,
    }
}
