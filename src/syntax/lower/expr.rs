//! Lowering expressions: the Pratt parser for operators, and the compound
//! forms (`if`, `match`, `bands`, calls).

use super::{Lower, P, kids, kw_is, missing_expr, open_interval};
use crate::source::Span;
use crate::syntax::ast::*;
use crate::syntax::depth;
use crate::syntax::grammar::Rule;
use pest::pratt_parser::{Assoc, Op, PrattParser};
use std::sync::OnceLock;

impl Lower<'_> {
    pub fn expr(&mut self, pair: P) -> Expr {
        let span = self.span(&pair);
        if self.nesting > depth::MOST {
            if !self.too_deep {
                self.too_deep = true;
                self.diagnostics
                    .push(depth::too_deep(span, "this expression"));
            }
            return missing_expr(span);
        }
        self.nesting += 1;
        let e = self.operations(pair, span);
        self.nesting -= 1;
        e
    }

    fn operations(&mut self, pair: P, span: Span) -> Expr {
        let offset = self.offset;
        let pairs = kids(pair);
        let mut too_deep = None;
        let (result, _) = pratt()
            .map_primary(|p| {
                let e = self.primary(p);
                let h = height(&e);
                (e, h)
            })
            .map_prefix(|op, (rhs, h)| {
                let start = offset + op.as_span().start();
                let span = Span::new(start, start).to(rhs.span);
                let op = if op.as_rule() == Rule::neg {
                    UnaryOp::Neg
                } else {
                    UnaryOp::Not
                };
                let kind = ExprKind::Unary(op, Box::new(rhs));
                (Expr { kind, span }, h + 1)
            })
            .map_infix(|(lhs, lh), op, (rhs, rh)| {
                let h = lh.max(rh) + 1;
                if h > depth::MOST {
                    // Stop growing the tree: the whole expression is reported.
                    too_deep.get_or_insert(rhs.span);
                    return (lhs, lh);
                }
                let span = lhs.span.to(rhs.span);
                let kind = ExprKind::Binary(binary_op(op.as_rule()), Box::new(lhs), Box::new(rhs));
                (Expr { kind, span }, h)
            })
            .parse(pairs);
        if let Some(at) = too_deep {
            self.diagnostics
                .push(depth::too_deep(at, "this expression"));
            return missing_expr(span);
        }
        Expr { span, ..result }
    }

    pub(super) fn primary(&mut self, pair: P) -> Expr {
        let span = self.span(&pair);
        let kind = match pair.as_rule() {
            Rule::number => ExprKind::Number(self.quantity(&pair)),
            Rule::percent => ExprKind::Percent(self.quantity(&pair)),
            Rule::boolean => ExprKind::Bool(is_true(&pair)),
            Rule::base => ExprKind::Base,
            Rule::todo => ExprKind::Todo,
            Rule::name => ExprKind::Name(self.name(pair).value),
            Rule::expr => return self.expr(pair),
            Rule::call => {
                let mut inner = kids(pair);
                let Some(callee) = inner.next() else {
                    return missing_expr(span);
                };
                let callee = self.name(callee);
                let mut args = Vec::new();
                let mut within = None;
                for p in inner {
                    if p.as_rule() == Rule::within {
                        within = kids(p).nth(1).map(|g| match g.as_rule() {
                            Rule::kw_same_kind => Within::Kind(self.span(&g)),
                            _ => Within::Group(self.name(g)),
                        });
                    } else {
                        args.push(self.expr(p));
                    }
                }
                ExprKind::Call(callee, args, within)
            }
            Rule::if_expr => {
                let mut parts = pair
                    .into_inner()
                    .filter(|p| p.as_rule() == Rule::expr)
                    .map(|e| self.expr(e));
                let mut next = || Box::new(parts.next().unwrap_or_else(|| missing_expr(span)));
                ExprKind::If(next(), next(), next())
            }
            Rule::match_expr => self.match_expr(pair, span),
            Rule::bands_expr => self.bands_expr(pair, span),
            Rule::in_turn_expr => self.in_turn_expr(pair, span),
            _ => return missing_expr(span),
        };
        Expr { kind, span }
    }

    fn match_expr(&mut self, pair: P, span: Span) -> ExprKind {
        let mut scrutinee = missing_expr(span);
        let mut arms = Vec::new();
        for p in kids(pair) {
            match p.as_rule() {
                Rule::expr => scrutinee = self.expr(p),
                Rule::arm => arms.push(self.arm(p, span)),
                _ => {}
            }
        }
        ExprKind::Match(Box::new(scrutinee), arms)
    }

    fn arm(&mut self, pair: P, span: Span) -> Arm {
        let mut patterns = Vec::new();
        let mut value = missing_expr(span);
        for p in kids(pair) {
            match p.as_rule() {
                Rule::pattern => {
                    let Some(inner) = kids(p).next() else {
                        continue;
                    };
                    let s = self.span(&inner);
                    patterns.push(match inner.as_rule() {
                        Rule::wildcard => Pattern::Wildcard(s),
                        Rule::boolean => Pattern::Bool(is_true(&inner), s),
                        Rule::signed_number => Pattern::Number(self.decimal(&inner), s),
                        _ => Pattern::Name(self.name(inner)),
                    });
                }
                Rule::expr => value = self.expr(p),
                _ => {}
            }
        }
        Arm { patterns, value }
    }

    fn in_turn_expr(&mut self, pair: P, span: Span) -> ExprKind {
        let (mut scrutinee, mut values, mut rest) = (None, Vec::new(), None);
        for p in kids(pair) {
            match p.as_rule() {
                Rule::expr if scrutinee.is_none() => scrutinee = Some(self.expr(p)),
                Rule::expr => values.push(self.expr(p)),
                Rule::in_turn_rest => {
                    rest = kids(p)
                        .find(|e| e.as_rule() == Rule::expr)
                        .map(|e| Box::new(self.expr(e)));
                }
                _ => {}
            }
        }
        let scrutinee = scrutinee.unwrap_or_else(|| missing_expr(span));
        ExprKind::InTurn(Box::new(scrutinee), values, rest)
    }

    fn bands_expr(&mut self, pair: P, span: Span) -> ExprKind {
        let mut scrutinee = missing_expr(span);
        let mut bands = Vec::new();
        for p in kids(pair) {
            match p.as_rule() {
                Rule::expr => scrutinee = self.expr(p),
                Rule::band => {
                    let mut inner = kids(p);
                    let interval = inner
                        .next()
                        .map(|i| self.interval(i))
                        .unwrap_or_else(|| open_interval(span));
                    let value = inner
                        .next()
                        .map(|e| self.expr(e))
                        .unwrap_or_else(|| missing_expr(span));
                    bands.push(Band { interval, value });
                }
                _ => {}
            }
        }
        ExprKind::Bands(Box::new(scrutinee), bands)
    }
}

fn is_true(pair: &P) -> bool {
    pair.clone()
        .into_inner()
        .next()
        .is_some_and(|p| kw_is(&p, Rule::kw_true))
}

fn binary_op(op: Rule) -> BinaryOp {
    match op {
        Rule::or => BinaryOp::Or,
        Rule::and => BinaryOp::And,
        Rule::contains => BinaryOp::Contains,
        Rule::eq => BinaryOp::Eq,
        Rule::ne => BinaryOp::Ne,
        Rule::lt => BinaryOp::Lt,
        Rule::le => BinaryOp::Le,
        Rule::gt => BinaryOp::Gt,
        Rule::ge => BinaryOp::Ge,
        Rule::add => BinaryOp::Add,
        Rule::sub => BinaryOp::Sub,
        Rule::mul => BinaryOp::Mul,
        _ => BinaryOp::Div,
    }
}

fn pratt() -> &'static PrattParser<Rule> {
    static PRATT: OnceLock<PrattParser<Rule>> = OnceLock::new();
    PRATT.get_or_init(|| {
        PrattParser::new()
            .op(Op::infix(Rule::or, Assoc::Left))
            .op(Op::infix(Rule::and, Assoc::Left))
            .op(Op::prefix(Rule::not))
            .op(Op::infix(Rule::eq, Assoc::Left)
                | Op::infix(Rule::ne, Assoc::Left)
                | Op::infix(Rule::lt, Assoc::Left)
                | Op::infix(Rule::le, Assoc::Left)
                | Op::infix(Rule::gt, Assoc::Left)
                | Op::infix(Rule::ge, Assoc::Left))
            .op(Op::infix(Rule::contains, Assoc::Left))
            .op(Op::infix(Rule::add, Assoc::Left) | Op::infix(Rule::sub, Assoc::Left))
            .op(Op::infix(Rule::mul, Assoc::Left) | Op::infix(Rule::div, Assoc::Left))
            .op(Op::prefix(Rule::neg))
    })
}

/// The levels of an expression. Each lowered expression is at most
/// [`depth::MOST`] levels, so this recursion is bounded.
fn height(e: &Expr) -> usize {
    let most = |es: &mut dyn Iterator<Item = &Expr>| es.map(height).max().unwrap_or(0);
    1 + match &e.kind {
        ExprKind::Unary(_, a) => height(a),
        ExprKind::Binary(_, a, b) => height(a).max(height(b)),
        ExprKind::Call(_, args, _) => most(&mut args.iter()),
        ExprKind::If(a, b, c) => most(&mut [a, b, c].into_iter().map(|e| &**e)),
        ExprKind::Match(a, arms) => height(a).max(most(&mut arms.iter().map(|arm| &arm.value))),
        ExprKind::Bands(a, bands) => height(a).max(most(&mut bands.iter().map(|b| &b.value))),
        ExprKind::InTurn(a, values, rest) => height(a)
            .max(most(&mut values.iter()))
            .max(rest.as_deref().map_or(0, height)),
        _ => 0,
    }
}
