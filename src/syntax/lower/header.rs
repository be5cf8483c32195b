//! Lowering the header: the policy's name and its settings.

use super::{Lower, P, kids, kw_is};
use crate::num::Num;
use crate::source::{Span, Spanned};
use crate::syntax::ast::*;
use crate::syntax::grammar::Rule;
use std::str::FromStr;

impl Lower<'_> {
    pub(super) fn header(&mut self, pair: P) -> Header {
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
            Rule::compare => match inner.first() {
                Some(p) if kw_is(p, Rule::kw_rounded) => Setting::Compare(Compare::Rounded),
                _ => Setting::Compare(Compare::Exact),
            },
            Rule::unit_columns => Setting::Columns(
                inner
                    .into_iter()
                    .map(|c| {
                        let mut parts = kids(c);
                        let which = self.name_or_empty(parts.next(), span);
                        let header = parts.next().map(|s| self.string(s)).unwrap_or_default();
                        (which, header)
                    })
                    .collect(),
            ),
            Rule::fail_below => match inner.pop() {
                Some(p) => Setting::FailBelow(self.size(p)),
                None => Setting::FailBelow(Spanned::new(Size::Points(Num::ZERO), span)),
            },
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
}

pub(super) fn na_rule(pair: P) -> NaRule {
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

pub(super) fn missing_rule(pair: P) -> MissingRule {
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
