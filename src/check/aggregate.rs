//! `aggregate geometric | harmonic | power p` on a group: checked here so
//! that a geometric mean cannot meet a zero where the policy itself says one
//! can occur (a yes/no rule, an arm or band worth 0, a child that counts as
//! zero when it does not apply). Other zeros are found per unit.

use super::Checker;
use crate::diagnostics::Diagnostic;
use crate::ir::{InputType, NotApplicable};
use crate::num::Num;
use crate::syntax::ast::{self, Aggregate, BinaryOp, ExprKind, NodeBody, UnaryOp};

pub const BAD_AGGREGATE: &str = "zhibiao::check::bad_aggregate";

impl Checker {
    /// The aggregation of node `n`; `zero_when_na` tells, for each child,
    /// whether it counts as zero when it does not apply.
    pub(super) fn aggregate(
        &mut self,
        n: &ast::Node,
        zero_when_na: &dyn Fn(&ast::Node) -> bool,
    ) -> Aggregate {
        let Some(a) = n.aggregate else {
            return Aggregate::Arithmetic;
        };
        let children = match &n.body {
            NodeBody::Group(children) => children,
            NodeBody::Item(_) => {
                self.report(
                    Diagnostic::error(
                        BAD_AGGREGATE,
                        format!(
                            "`{}` is an item: it has no children to aggregate",
                            n.name.value
                        ),
                    )
                    .label(a.span, "on an item")
                    .help("`aggregate` goes on a category or an indicator"),
                );
                return Aggregate::Arithmetic;
            }
        };
        if let Aggregate::Power(p) = a.value
            && p.is_zero()
        {
            self.report(
                Diagnostic::error(BAD_AGGREGATE, "a power mean of order 0")
                    .label(a.span, "order 0")
                    .help("the power mean of order 0 is the geometric mean: write `aggregate geometric`"),
            );
            return Aggregate::Arithmetic;
        }
        if a.value == Aggregate::Geometric {
            for child in children {
                let why =
                    if zero_when_na(child) && (child.when.is_some() || !child.kinds.is_empty()) {
                        Some("it counts as zero when it does not apply")
                    } else if self.may_score_zero(child) {
                        Some("its rule can give 0")
                    } else {
                        None
                    };
                if let Some(why) = why {
                    self.report(
                        Diagnostic::error(BAD_AGGREGATE, format!("the geometric mean of `{}` can meet a zero in `{}`", n.name.value, child.name.value))
                            .label(child.name.span, why)
                            .label(a.span, "a geometric mean is 0 if any rate is 0")
                            .help("give the item a floor (`score max(0.01, ...)`), a not-applicable rule that leaves it out (rescale, redistribute, exclude), or aggregate arithmetically"),
                    );
                }
            }
        }
        a.value
    }

    /// Whether an item's rule is written so that it can give 0.
    fn may_score_zero(&self, n: &ast::Node) -> bool {
        let NodeBody::Item(rule) = &n.body else {
            return false;
        };
        self.zero_possible(&rule.expr)
    }

    fn zero_possible(&self, e: &ast::Expr) -> bool {
        let zero = |v: &ast::Expr| matches!(v.kind, ExprKind::Number(n) | ExprKind::Percent(n) if n <= Num::ZERO);
        match &e.kind {
            ExprKind::Bool(false) => true,
            ExprKind::Name(name) => self
                .input_ids
                .get(name)
                .and_then(|i| self.inputs.get(*i))
                .is_some_and(|i| i.ty == InputType::Bool),
            ExprKind::Unary(UnaryOp::Not, _) => true,
            ExprKind::Binary(op, _, _) => matches!(
                op,
                BinaryOp::Or
                    | BinaryOp::And
                    | BinaryOp::Contains
                    | BinaryOp::Eq
                    | BinaryOp::Ne
                    | BinaryOp::Lt
                    | BinaryOp::Le
                    | BinaryOp::Gt
                    | BinaryOp::Ge
            ),
            ExprKind::Match(_, arms) => arms
                .iter()
                .any(|a| zero(&a.value) || self.zero_possible(&a.value)),
            ExprKind::Bands(_, bands) => bands
                .iter()
                .any(|b| zero(&b.value) || self.zero_possible(&b.value)),
            ExprKind::InTurn(_, values, rest) => {
                (values.iter().chain(rest.as_deref())).any(|v| zero(v) || self.zero_possible(v))
            }
            ExprKind::If(_, t, f) => {
                zero(t) || zero(f) || self.zero_possible(t) || self.zero_possible(f)
            }
            _ => zero(e),
        }
    }
}

/// Whether a not-applicable rule keeps a child's points as zero.
pub fn counts_as_zero(rule: Option<NotApplicable>) -> bool {
    matches!(rule, None | Some(NotApplicable::Zero))
}
