//! Lowering what follows the tree: bonus and deduction parts, vetoes,
//! grades and tiers, and the intervals of bands and grades.

use super::{Lower, P, kids, kw_is, missing_expr, open_interval};
use crate::num::Num;
use crate::source::Spanned;
use crate::syntax::ast::*;
use crate::syntax::grammar::Rule;

impl Lower<'_> {
    pub(super) fn part(&mut self, pair: P) -> Part {
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

    pub(super) fn veto(&mut self, pair: P) -> Veto {
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
            [kw] if kw_is(kw, Rule::kw_not_scored) => VetoAction::NotScored,
            _ => VetoAction::Fail,
        };
        Spanned::new(action, span)
    }

    // ── Grades ──────────────────────────────────────────────────────────

    pub(super) fn grades(&mut self, pair: P) -> Grades {
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

    pub(super) fn funding(&mut self, pair: P) -> Funding {
        let span = self.span(&pair);
        let mut inner = kids(pair).skip(1);
        let name = self.name_or_empty(inner.next(), span);
        let pool = match inner.next() {
            Some(p) => Spanned::new(self.quantity(&p), self.span(&p)),
            None => Spanned::new(Num::ZERO, span),
        };
        let mut funding = Funding {
            name,
            pool,
            share: None,
            grades: Vec::new(),
            grades_span: None,
            cap: None,
            span,
        };
        for p in inner {
            let at = self.span(&p);
            match p.as_rule() {
                Rule::funding_share => funding.share = kids(p).nth(1).map(|n| self.name(n)),
                Rule::funding_grades => {
                    funding.grades_span = Some(at);
                    for g in kids(p).filter(|g| g.as_rule() == Rule::grade_factor) {
                        let mut parts = kids(g);
                        let grade = self.name_or_empty(parts.next(), at);
                        if let Some(n) = parts.next() {
                            let factor = Spanned::new(self.quantity(&n), self.span(&n));
                            funding.grades.push((grade, factor));
                        }
                    }
                }
                Rule::cap => {
                    funding.cap = kids(p)
                        .nth(1)
                        .map(|n| Spanned::new(self.quantity(&n), self.span(&n)));
                }
                _ => {}
            }
        }
        funding
    }

    pub(super) fn tiers(&mut self, pair: P) -> Tiers {
        let span = self.span(&pair);
        let tiers = pair
            .into_inner()
            .filter(|p| p.as_rule() == Rule::tier)
            .map(|t| {
                let mut inner = kids(t);
                let name = self.name_or_empty(inner.next(), span);
                let kw = inner.next().map(|kw| kw.as_rule());
                let value = inner
                    .next()
                    .map(|p| Spanned::new(self.quantity(&p), self.span(&p)));
                match kw {
                    Some(Rule::kw_top) => Tier {
                        name,
                        top: value,
                        at_least: None,
                    },
                    Some(Rule::kw_at_least) => Tier {
                        name,
                        top: None,
                        at_least: value,
                    },
                    _ => Tier {
                        name,
                        top: None,
                        at_least: None,
                    },
                }
            })
            .collect();
        Tiers { tiers, span }
    }

    /// The percentage after a keyword (`at_most 20%`), as a share (0.2).
    fn share(&mut self, pair: P) -> Option<Spanned<Num>> {
        let p = kids(pair).nth(1)?;
        Some(Spanned::new(self.quantity(&p), self.span(&p)))
    }

    pub(super) fn interval(&mut self, pair: P) -> Interval {
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
