//! The compound rule forms: `match` over a choice or yes/no (every value
//! covered once) and `bands` (intervals checked for gaps and overlaps).

use super::Checker;
use super::types::{Scope, Ty, node};
use crate::diagnostics::Diagnostic;
use crate::ir::{self, ExprKind, InputType, Value};
use crate::num::Num;
use crate::source::Span;
use crate::syntax::ast::{self, Pattern};

pub const NOT_EXHAUSTIVE: &str = "zhibiao::check::match_not_exhaustive";
pub const DUPLICATE_ARM: &str = "zhibiao::check::duplicate_arm";

impl Checker {
    pub(super) fn match_expr(
        &mut self,
        on: &ast::Expr,
        arms: &[ast::Arm],
        span: Span,
        scope: Scope,
    ) -> (ir::Expr, Ty) {
        let (scrutinee, ty) = self.expr(on, scope);
        let options: Vec<String> = match ty {
            Ty::Choice(of) => self.choices(of).to_vec(),
            Ty::Bool => vec!["true".into(), "false".into()],
            // Numbers cannot all be listed: `_` covers the others.
            Ty::Number => vec!["_".into()],
            Ty::Error => Vec::new(),
            other => {
                self.require(
                    other,
                    Ty::Choice(usize::MAX),
                    on.span,
                    "the value of `match`",
                );
                Vec::new()
            }
        };
        let mut covered = vec![false; options.len()];
        let mut out_arms = Vec::new();
        let mut otherwise = None;
        let mut spans = Vec::new();
        let mut otherwise_span = None;
        let mut result = Ty::Error;
        let mut unknown = false;
        let mut numbers: Vec<Num> = Vec::new();
        for arm in arms {
            let value = self.arm_value(
                &arm.value,
                scope,
                &mut result,
                "every arm of `match` (like the first)",
            );
            let mut values = Vec::new();
            let start = arm.patterns.first().map_or(arm.value.span, |p| match p {
                Pattern::Wildcard(s) | Pattern::Bool(_, s) | Pattern::Number(_, s) => *s,
                Pattern::Name(n) => n.span,
            });
            let arm_span = Span::new(start.start as usize, arm.value.span.end as usize);
            for pattern in &arm.patterns {
                match pattern {
                    Pattern::Wildcard(_) => {
                        otherwise = Some(Box::new(value.clone()));
                        otherwise_span = Some(arm_span);
                    }
                    Pattern::Bool(b, s) => self.bool_pattern(*b, *s, ty, &mut covered, &mut values),
                    Pattern::Number(n, s) => {
                        self.number_pattern(*n, *s, ty, &mut numbers, &mut values)
                    }
                    Pattern::Name(n) => {
                        unknown |= !self.name_pattern(n, ty, &mut covered, &mut values)
                    }
                }
            }
            if !values.is_empty() {
                spans.push(arm_span);
                out_arms.push((values, value));
            }
        }
        let missing: Vec<&str> = options
            .iter()
            .zip(&covered)
            .filter(|(_, c)| !**c)
            .map(|(o, _)| o.as_str())
            .collect();
        if otherwise.is_none() && ty == Ty::Number {
            self.report(
                Diagnostic::error(
                    NOT_EXHAUSTIVE,
                    "`match` on a number does not say what the other numbers get",
                )
                .label(span, "only the numbers listed have an arm")
                .help("add a last arm `_ => 0` (or what the others get)"),
            );
        } else if otherwise.is_none() && !missing.is_empty() && ty != Ty::Error && !unknown {
            self.report(
                Diagnostic::error(
                    NOT_EXHAUSTIVE,
                    format!("`match` does not cover {}", quote_list(&missing)),
                )
                .label(span, "some values have no arm")
                .help(format!(
                    "add an arm for {} or a `_ => ...` arm",
                    quote_list(&missing)
                )),
            );
        }
        spans.extend(otherwise_span);
        let kind = ExprKind::Match {
            on: Box::new(scrutinee),
            arms: out_arms,
            otherwise,
            spans,
        };
        (node(kind, span), result)
    }

    fn number_pattern(
        &mut self,
        n: Num,
        span: Span,
        ty: Ty,
        seen: &mut Vec<Num>,
        values: &mut Vec<Value>,
    ) {
        if ty != Ty::Number && ty != Ty::Error {
            self.require(Ty::Number, ty, span, "a pattern");
            return;
        }
        if seen.contains(&n) {
            self.report(
                Diagnostic::error(DUPLICATE_ARM, format!("`{n}` has two arms"))
                    .label(span, "already matched above")
                    .help("each value may appear in one arm only"),
            );
        }
        seen.push(n);
        values.push(Value::Number(n));
    }

    /// `in_turn x { a, b, c, rest => d }`: bands of single whole numbers
    /// from 1, then `rest` from the next one on.
    pub(super) fn in_turn(
        &mut self,
        on: &ast::Expr,
        values: &[ast::Expr],
        rest: Option<&ast::Expr>,
        span: Span,
        scope: Scope,
    ) -> (ir::Expr, Ty) {
        let scrutinee = self.expect(on, Ty::Number, scope, "the value of `in_turn`");
        let mut result = Ty::Error;
        let what = "every value of `in_turn` (like the first)";
        let mut bands = Vec::new();
        for (place, v) in (1i64..).zip(values) {
            let value = self.arm_value(v, scope, &mut result, what);
            let at = Some(Num::from(place));
            bands.push((point_interval(at, at, v.span), value));
        }
        match rest {
            Some(r) => {
                let value = self.arm_value(r, scope, &mut result, what);
                let after = Some(Num::from(values.len()) + Num::ONE);
                bands.push((point_interval(after, None, r.span), value));
            }
            None => self.report(
                Diagnostic::error(
                    NOT_EXHAUSTIVE,
                    "`in_turn` does not say what the places after its list get",
                )
                .label(span, format!("{} values, then nothing", values.len()))
                .help("end the list with `rest => 0` (其余 => 0), or what the rest get"),
            ),
        }
        (
            node(ExprKind::Bands(Box::new(scrutinee), bands), span),
            result,
        )
    }

    fn bool_pattern(
        &mut self,
        b: bool,
        span: Span,
        ty: Ty,
        covered: &mut [bool],
        values: &mut Vec<Value>,
    ) {
        if ty != Ty::Bool && ty != Ty::Error {
            self.require(Ty::Bool, ty, span, "a pattern");
            return;
        }
        let index = usize::from(!b);
        self.mark_covered(covered, index, span, if b { "true" } else { "false" });
        values.push(Value::Bool(b));
    }

    /// An arm's value: the first arm sets the type, the others must have it.
    fn arm_value(&mut self, e: &ast::Expr, scope: Scope, result: &mut Ty, what: &str) -> ir::Expr {
        let (value, ty) = self.expr(e, scope);
        if *result == Ty::Error {
            *result = ty;
        } else {
            self.require(ty, *result, e.span, what);
        }
        value
    }

    /// False when the pattern names no choice (already reported).
    fn name_pattern(
        &mut self,
        n: &ast::Name,
        ty: Ty,
        covered: &mut [bool],
        values: &mut Vec<Value>,
    ) -> bool {
        let Ty::Choice(of) = ty else {
            if ty != Ty::Error {
                self.require(Ty::Choice(usize::MAX), ty, n.span, "a pattern");
            }
            return false;
        };
        match self.choice_index(of, &n.value, n.span) {
            Some(v @ Value::Choice(i)) => {
                self.mark_covered(covered, usize::from(i), n.span, &n.value);
                values.push(v);
                true
            }
            _ => false,
        }
    }

    fn mark_covered(&mut self, covered: &mut [bool], index: usize, span: Span, name: &str) {
        match covered.get_mut(index) {
            Some(c) if *c => self.report(
                Diagnostic::error(DUPLICATE_ARM, format!("`{name}` has two arms"))
                    .label(span, "already matched above")
                    .help("each value may appear in one arm only"),
            ),
            Some(c) => *c = true,
            None => {}
        }
    }

    pub(super) fn bands(
        &mut self,
        on: &ast::Expr,
        bands: &[ast::Band],
        span: Span,
        scope: Scope,
    ) -> (ir::Expr, Ty) {
        let scrutinee = self.expect(on, Ty::Number, scope, "the value of `bands`");
        self.unreachable_bands(&scrutinee, bands);
        let domain = self.domain_of(on);
        let intervals: Vec<ast::Interval> = bands.iter().map(|b| b.interval).collect();
        self.check_intervals(&intervals, domain, "band");
        let mut result = Ty::Error;
        let mut out = Vec::new();
        for band in bands {
            let value = self.arm_value(
                &band.value,
                scope,
                &mut result,
                "every band's value (like the first)",
            );
            out.push((band.interval, value));
        }
        (
            node(ExprKind::Bands(Box::new(scrutinee), out), span),
            result,
        )
    }

    /// The values an expression can take, where its input type says so.
    fn domain_of(&self, e: &ast::Expr) -> (Option<Num>, Option<Num>) {
        let ast::ExprKind::Name(name) = &e.kind else {
            return (None, None);
        };
        match self
            .input_ids
            .get(name)
            .and_then(|&i| self.inputs.get(i))
            .map(|i| &i.ty)
        {
            Some(InputType::Percent { range: None } | InputType::Ratio) => {
                (Some(Num::ZERO), Some(Num::ONE))
            }
            Some(InputType::Percent {
                range: Some((lo, hi)),
            }) => (Some(*lo), Some(*hi)),
            Some(InputType::Count) => (Some(Num::ZERO), None),
            Some(InputType::Number {
                range: Some((lo, hi)),
            }) => (Some(*lo), Some(*hi)),
            _ => (None, None),
        }
    }
}

/// `[low, high]`, or `[low, ..]` without a high end.
fn point_interval(low: Option<Num>, high: Option<Num>, span: Span) -> ast::Interval {
    ast::Interval {
        low,
        low_inclusive: true,
        high,
        high_inclusive: high.is_some(),
        percent: false,
        span,
    }
}

fn quote_list(items: &[&str]) -> String {
    items
        .iter()
        .map(|i| format!("`{i}`"))
        .collect::<Vec<_>>()
        .join(", ")
}
