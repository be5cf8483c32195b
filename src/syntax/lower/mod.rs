//! Lowering: pest pairs → syntax tree. One function per grammar rule, named
//! after the rule, in the grammar's order. `offset` is where the parsed slice
//! starts in the file, so every span is a byte range of the whole file.

use super::ast::*;
use super::parser::Rule;
use crate::diagnostics::Diagnostic;
use crate::num::Num;
use crate::source::{Span, Spanned};
use pest::iterators::Pair;
use std::str::FromStr;

mod change;
mod expr;
mod test;

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
}

pub fn declaration(pair: P, offset: usize, file: &mut File, diagnostics: &mut Vec<Diagnostic>) {
    let comments = std::mem::take(&mut file.comments);
    let mut l = Lower {
        offset,
        diagnostics,
        comments: &comments,
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
        Rule::change_node
        | Rule::remove_node
        | Rule::add_nodes
        | Rule::rename_node
        | Rule::move_node => file.changes.push(l.change(pair)),
        Rule::test => file.tests.push(l.test(pair)),
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

    fn decimal(&mut self, pair: &P) -> Num {
        let text = pair.as_str().trim_end_matches('%');
        match Num::from_str(text) {
            Ok(d) if d.abs() <= Num::from(LIMIT) && d.places().is_some_and(|p| p <= PLACES) => d,
            _ => {
                let span = self.span(pair);
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

    // ── Header ──────────────────────────────────────────────────────────

    fn header(&mut self, pair: P) -> Header {
        let span = self.span(&pair);
        let mut inner = kids(pair);
        inner.next(); // keyword
        let name = self.name_or_empty(inner.next(), span);
        let mut extends = None;
        let mut settings = Vec::new();
        for p in inner {
            if p.as_rule() == Rule::extends {
                let path = kids(p).nth(1);
                extends = path.map(|s| Spanned::new(self.string(s.clone()), self.span(&s)));
            } else {
                settings.push(self.setting(p));
            }
        }
        Header {
            name,
            extends,
            settings,
            span,
        }
    }

    fn setting(&mut self, pair: P) -> Spanned<Setting> {
        let span = self.span(&pair);
        let which = pair.as_rule();
        let mut inner: Vec<P> = kids(pair).skip(1).collect();
        let setting = match which {
            Rule::version => {
                Setting::Version(inner.pop().map(|p| self.string(p)).unwrap_or_default())
            }
            Rule::total => {
                Setting::Total(inner.first().map(|p| self.decimal(p)).unwrap_or_default())
            }
            Rule::precision => self.precision(inner),
            Rule::levels => Setting::Levels(inner.into_iter().map(|p| self.name(p)).collect()),
            Rule::kinds => Setting::Kinds(inner.into_iter().map(|p| self.kind(p)).collect()),
            Rule::na_setting => {
                Setting::NotApplicable(inner.pop().map(na_rule).unwrap_or(NaRule::Zero))
            }
            Rule::missing_setting => {
                Setting::Missing(inner.pop().map(missing_rule).unwrap_or(MissingRule::Error))
            }
            Rule::allow => Setting::Allow(inner.into_iter().map(|p| self.name(p)).collect()),
            Rule::sources => Setting::Sources(inner.into_iter().map(|p| self.name(p)).collect()),
            _ => {
                let method = match inner.first().and_then(|m| kids(m.clone()).next()) {
                    Some(m) if kw_is(&m, Rule::kw_dense) => RankMethod::Dense,
                    Some(m) if kw_is(&m, Rule::kw_ordinal) => RankMethod::Ordinal,
                    _ => RankMethod::Competition,
                };
                Setting::Rank {
                    method,
                    exact: inner.len() > 1,
                }
            }
        };
        Spanned::new(setting, span)
    }

    fn precision(&mut self, inner: Vec<P>) -> Setting {
        let mut it = inner.into_iter();
        let digits = it
            .next()
            .map(|p| Spanned::new(self.decimal(&p), self.span(&p)));
        let rounding = match it.next().and_then(|p| kids(p).next()) {
            Some(p) if kw_is(&p, Rule::kw_half_even) => Rounding::HalfEven,
            _ => Rounding::HalfUp,
        };
        Setting::Precision {
            digits: digits.unwrap_or_else(|| Spanned::new(Num::TWO, Span::default())),
            rounding,
            per_item: it.next().is_some(),
        }
    }

    fn kind(&self, pair: P) -> Kind {
        let mut inner = kids(pair);
        let name = self.name_or_empty(inner.next(), Span::default());
        let label = inner.next().map(|p| self.string(p));
        Kind { name, label }
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
            Rule::kw_percent => InputType::Percent,
            Rule::kw_ratio => InputType::Ratio,
            Rule::kw_text => InputType::Text,
            Rule::number_type => {
                let range = kids(inner).nth(1).map(|r| {
                    let bounds: Vec<Num> = kids(r).map(|b| self.decimal(&b)).collect();
                    (
                        bounds.first().copied().unwrap_or_default(),
                        bounds.get(1).copied().unwrap_or_default(),
                    )
                });
                InputType::Number { range }
            }
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
            Rule::scoring => head.rule = Some(self.rule(p)),
            _ => {}
        }
    }

    fn size(&mut self, pair: P) -> Spanned<Size> {
        let span = self.span(&pair);
        let value = self.decimal(&pair);
        let size = if pair.as_rule() == Rule::percent {
            Size::Percent(value)
        } else {
            Size::Points(value)
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

    // ── Parts ───────────────────────────────────────────────────────────

    fn part(&mut self, pair: P) -> Part {
        let span = self.span(&pair);
        let kind = if pair.as_rule() == Rule::bonus {
            PartKind::Bonus
        } else {
            PartKind::Deduction
        };
        let mut part = Part {
            kind,
            name: Spanned::new(String::new(), span),
            cap: None,
            gate: None,
            items: Vec::new(),
            span,
        };
        for p in kids(pair) {
            match p.as_rule() {
                Rule::name => part.name = self.name(p),
                Rule::cap => {
                    part.cap = p
                        .into_inner()
                        .nth(1)
                        .map(|n| Spanned::new(self.decimal(&n), self.span(&n)));
                }
                Rule::gate => part.gate = kids(p).nth(1).map(|e| self.expr(e)),
                Rule::item => part.items.push(self.node(p)),
                _ => {}
            }
        }
        part
    }

    fn veto(&mut self, pair: P) -> Veto {
        let span = self.span(&pair);
        let mut name = Spanned::new(String::new(), span);
        let mut condition = missing_expr(span);
        let mut action = Spanned::new(VetoAction::Fail, span);
        for p in kids(pair) {
            match p.as_rule() {
                Rule::name => name = self.name(p),
                Rule::expr => condition = self.expr(p),
                Rule::veto_action => action = self.veto_action(p),
                _ => {}
            }
        }
        Veto {
            name,
            condition,
            action,
            span,
        }
    }

    fn veto_action(&mut self, pair: P) -> Spanned<VetoAction> {
        let span = self.span(&pair);
        let inner: Vec<P> = kids(pair).collect();
        let action = match inner.as_slice() {
            [kw, value] if kw_is(kw, Rule::kw_points) => VetoAction::Points(self.decimal(value)),
            [_, grade] => VetoAction::MaxGrade(self.name(grade.clone())),
            _ => VetoAction::Fail,
        };
        Spanned::new(action, span)
    }

    // ── Grades ──────────────────────────────────────────────────────────

    fn grades(&mut self, pair: P) -> Grades {
        let span = self.span(&pair);
        let grades = pair
            .into_inner()
            .filter(|p| p.as_rule() == Rule::grade)
            .map(|g| {
                let mut inner = kids(g);
                let name = self.name_or_empty(inner.next(), span);
                let interval = inner
                    .next()
                    .map(|p| self.interval(p))
                    .unwrap_or_else(|| open_interval(span));
                let quota = inner.next().and_then(|q| self.share(q));
                Grade {
                    name,
                    interval,
                    quota,
                }
            })
            .collect();
        Grades { grades, span }
    }

    fn tiers(&mut self, pair: P) -> Tiers {
        let span = self.span(&pair);
        let tiers = pair
            .into_inner()
            .filter(|p| p.as_rule() == Rule::tier)
            .map(|t| {
                let mut inner = kids(t);
                let name = self.name_or_empty(inner.next(), span);
                let top = inner.next().and_then(|kw| match kw.as_rule() {
                    Rule::kw_top => inner
                        .next()
                        .map(|p| Spanned::new(self.quantity(&p), self.span(&p))),
                    _ => None,
                });
                Tier { name, top }
            })
            .collect();
        Tiers { tiers, span }
    }

    /// The percentage after a keyword (`at_most 20%`), as a share (0.2).
    fn share(&mut self, pair: P) -> Option<Spanned<Num>> {
        let p = kids(pair).nth(1)?;
        Some(Spanned::new(self.quantity(&p), self.span(&p)))
    }

    fn interval(&mut self, pair: P) -> Interval {
        let span = self.span(&pair);
        let parts: Vec<P> = kids(pair).collect();
        let mut iv = open_interval(span);
        if let [low_b, low, high, high_b] = parts.as_slice() {
            iv.low_inclusive = low_b.as_str() == "[";
            iv.high_inclusive = high_b.as_str() == "]";
            iv.low = self.bound(low);
            iv.high = self.bound(high);
            iv.percent = [low, high].iter().any(|b| b.as_str().ends_with('%'));
        }
        iv
    }

    fn bound(&mut self, pair: &P) -> Option<Num> {
        let inner = pair.clone().into_inner().next()?;
        match inner.as_rule() {
            Rule::open_bound => None,
            _ => Some(self.quantity(&inner)),
        }
    }
}

type Rule_ = super::ast::Rule;

fn na_rule(pair: P) -> NaRule {
    let Some(inner) = kids(pair).next() else {
        return NaRule::Zero;
    };
    match inner.as_rule() {
        Rule::kw_rescale => NaRule::Rescale,
        Rule::kw_full_marks => NaRule::FullMarks,
        Rule::kw_exclude => NaRule::Exclude,
        Rule::redistribute => NaRule::Redistribute {
            proportional: inner
                .into_inner()
                .nth(1)
                .is_some_and(|p| kw_is(&p, Rule::kw_proportional)),
        },
        _ => NaRule::Zero,
    }
}

fn missing_rule(pair: P) -> MissingRule {
    let mut inner = kids(pair);
    match inner.next() {
        Some(p) if kw_is(&p, Rule::kw_zero) => MissingRule::Zero,
        Some(p) if kw_is(&p, Rule::kw_mean) => MissingRule::Mean(inner.next().is_some()),
        Some(p) if kw_is(&p, Rule::kw_reweight) => {
            // `at_least 60%`: the percentage, as a share.
            let floor = inner.nth(1).and_then(|p| {
                Num::from_str(p.as_str().trim_end_matches('%'))
                    .ok()
                    .and_then(|d| d.checked_div(Num::ONE_HUNDRED))
            });
            MissingRule::Reweight(floor)
        }
        _ => MissingRule::Error,
    }
}

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
