//! Expressions: name resolution, types, and lowering to IR expressions.

use super::Checker;
use super::names;
use super::types::{Scope, TYPE_MISMATCH, Ty, node};
use crate::diagnostics::Diagnostic;
use crate::ir::{self, BinaryOp, ExprKind, InputType, Value};
use crate::num::Num;
use crate::source::Span;
use crate::syntax::ast;
use crate::syntax::keywords::function_english;

pub const TODO: &str = "zhibiao::check::todo";
pub const BASE_OUTSIDE_GATE: &str = "zhibiao::check::base_outside_gate";
pub const USED_BEFORE_DEFINED: &str = "zhibiao::check::used_before_defined";
pub const NO_TARGET: &str = "zhibiao::check::no_target";
pub const DIVISION_BY_ZERO: &str = "zhibiao::check::division_by_zero";

fn describe(checker: &Checker, ty: Ty) -> String {
    match ty {
        Ty::Number => "a number".into(),
        Ty::Bool => "yes/no".into(),
        Ty::Choice(usize::MAX) => "a choice".into(),
        Ty::Set(usize::MAX) => "a set".into(),
        Ty::Choice(i) => format!("a choice of `{}`", checker.input_name(i)),
        Ty::Set(i) => format!("a set of `{}`", checker.input_name(i)),
        Ty::Text => "text".into(),
        Ty::Error => "anything".into(),
    }
}

impl Checker {
    pub fn input_type_of(&self, id: ir::InputId) -> Ty {
        match self.inputs.get(id).map(|i| &i.ty) {
            Some(InputType::Bool) => Ty::Bool,
            Some(InputType::Choice(_)) => Ty::Choice(id),
            Some(InputType::Set(_)) => Ty::Set(id),
            Some(InputType::Text) => Ty::Text,
            Some(_) => Ty::Number,
            None => Ty::Error,
        }
    }

    /// Checks `e` and requires type `want`.
    pub fn expect(&mut self, e: &ast::Expr, want: Ty, scope: Scope, what: &str) -> ir::Expr {
        let (out, ty) = self.expr(e, scope);
        self.require(ty, want, e.span, what);
        out
    }

    pub(super) fn require(&mut self, got: Ty, want: Ty, span: Span, what: &str) {
        let fits =
            got == want || got == Ty::Error || want == Ty::Error || self.same_choices(got, want);
        if !fits {
            let d = Diagnostic::error(
                TYPE_MISMATCH,
                format!("{what} must be {}", describe(self, want)),
            )
            .label(span, format!("this is {}", describe(self, got)))
            .help(type_help(got, want));
            self.report(d);
        }
    }

    /// Two choice inputs with the same choices compare like one type.
    fn same_choices(&self, a: Ty, b: Ty) -> bool {
        match (a, b) {
            (Ty::Choice(x), Ty::Choice(y)) => self.choices(x) == self.choices(y),
            _ => false,
        }
    }

    pub fn choices(&self, id: ir::InputId) -> &[String] {
        match self.inputs.get(id).map(|i| &i.ty) {
            Some(InputType::Choice(c) | InputType::Set(c)) => c,
            _ => &[],
        }
    }

    pub fn expr(&mut self, e: &ast::Expr, scope: Scope) -> (ir::Expr, Ty) {
        use ast::ExprKind as K;
        match &e.kind {
            K::Number(n) | K::Percent(n) => {
                (node(ExprKind::Const(Value::Number(*n)), e.span), Ty::Number)
            }
            K::Bool(b) => (node(ExprKind::Const(Value::Bool(*b)), e.span), Ty::Bool),
            K::Base => self.base(e.span, scope),
            K::Todo => {
                self.report(
                    Diagnostic::error(TODO, "this is still to be written")
                        .label(e.span, "todo")
                        .help("write the rule (e.g. `score 年度计划`, `score match 规划 { 全部 => 1, 部分 => 0.5, 无 => 0 }`) or the condition in place of `todo`"),
                );
                (node(ExprKind::Const(Value::Absent), e.span), Ty::Error)
            }
            K::Name(name) => self.name(name, e.span, scope),
            K::Unary(ast::UnaryOp::Neg, x) => {
                let x = self.expect(x, Ty::Number, scope, "the operand of `-`");
                (node(ExprKind::Neg(Box::new(x)), e.span), Ty::Number)
            }
            K::Unary(ast::UnaryOp::Not, x) => {
                let x = self.expect(x, Ty::Bool, scope, "the operand of `not`");
                (node(ExprKind::Not(Box::new(x)), e.span), Ty::Bool)
            }
            K::Binary(op, a, b) => self.binary(*op, a, b, e.span, scope),
            K::Call(f, args, within) => {
                if let Some(stat) = super::peers::stat(&f.value) {
                    return self.peer(stat, f, args, within.as_ref(), e.span, scope);
                }
                if super::peers::is_node_score(&f.value) {
                    return self.node_score(args, e.span);
                }
                if let Some(reads) = super::periods::reads(&f.value) {
                    if let Some(w) = within {
                        self.stray_within(f, w);
                    }
                    return self.previous(reads, f, args, e.span, scope);
                }
                if let Some(w) = within {
                    self.stray_within(f, w);
                }
                if function_english(&f.value) == Some("is_blank") {
                    return self.is_blank(f, args, e.span);
                }
                if function_english(&f.value) == Some("data_share") {
                    if !args.is_empty() {
                        self.report(super::calls::wrong_arity(f, "0", args.len(), e.span));
                    }
                    return (node(ExprKind::DataShare, e.span), Ty::Number);
                }
                self.call(f, args, e.span, scope)
            }
            K::If(c, t, f) => {
                let c = self.expect(c, Ty::Bool, scope, "the condition of `if`");
                let (t, ty) = self.expr(t, scope);
                let f = self.expect(f, ty, scope, "the `else` branch (like the `then` branch)");
                (
                    node(ExprKind::If(Box::new(c), Box::new(t), Box::new(f)), e.span),
                    ty,
                )
            }
            K::Match(on, arms) => self.match_expr(on, arms, e.span, scope),
            K::Bands(on, bands) => self.bands(on, bands, e.span, scope),
            K::InTurn(on, values, rest) => self.in_turn(on, values, rest.as_deref(), e.span, scope),
        }
    }

    fn base(&mut self, span: Span, scope: Scope) -> (ir::Expr, Ty) {
        if !scope.base {
            self.report(
                Diagnostic::error(BASE_OUTSIDE_GATE, "`base` is only known in the gate of a bonus part")
                    .label(span, "used here")
                    .help("use `base` in `only_if` of a bonus part, e.g. `bonus 创新 cap 5 only_if base >= 80 { ... }`"),
            );
            return (
                node(ExprKind::Const(Value::Number(Num::ZERO)), span),
                Ty::Error,
            );
        }
        (node(ExprKind::Base, span), Ty::Number)
    }

    fn name(&mut self, name: &str, span: Span, scope: Scope) -> (ir::Expr, Ty) {
        if let Some(id) = self.input_ids.get(name).copied() {
            if let Some(u) = self.used_inputs.get_mut(id) {
                *u = true;
            }
            let ty = self.input_type_of(id);
            return (node(ExprKind::Input(id), span), ty);
        }
        if let Some(id) = self.let_ids.get(name).copied() {
            if id >= scope.lets_visible {
                self.report(
                    Diagnostic::error(USED_BEFORE_DEFINED, format!("`{name}` is used before it is defined"))
                        .label(span, "used here")
                        .help("a derived value may only use inputs and the derived values declared above it"),
                );
                // Not a reference: a derived value read before it is defined
                // (or by itself) would make the compiled lets a cycle.
                return (node(ExprKind::Const(Value::Absent), span), Ty::Error);
            }
            if let Some(u) = self.used_lets.get_mut(id) {
                *u = true;
            }
            let ty = self.let_types.get(id).copied().unwrap_or(Ty::Error);
            return (node(ExprKind::Let(id), span), ty);
        }
        if crate::syntax::keywords::english(name) == Some("target") {
            return self.target_value(span);
        }
        // In the order declared, so the help is the same from run to run.
        let inputs = self.inputs.iter().map(|i| i.name.as_str());
        let lets = self.lets.iter().map(|l| l.name.as_str());
        let d = names::unknown("input or derived value", name, span, inputs.chain(lets));
        self.report(d);
        (node(ExprKind::Const(Value::Absent), span), Ty::Error)
    }

    /// `target` in a row's rule: the row's target value.
    fn target_value(&mut self, span: Span) -> (ir::Expr, Ty) {
        let (message, help) = match &self.target {
            Some((Some(t), _)) => {
                return (node(ExprKind::Const(Value::Number(*t)), span), Ty::Number);
            }
            Some((None, row)) => (
                format!("`{row}` has no target value"),
                format!(
                    "state it on the row: `item {row} 10 target 95% score ratio(完成率, target)`"
                ),
            ),
            None => (
                "`target` is read only in a row's rule".to_string(),
                "a row states its target (`target 95%`, 目标值) and its rule reads it as `target`"
                    .to_string(),
            ),
        };
        self.report(
            Diagnostic::error(NO_TARGET, message)
                .label(span, "reads the target value")
                .help(help),
        );
        (node(ExprKind::Const(Value::Absent), span), Ty::Error)
    }

    /// A bare name that is neither an input nor a derived value: in a
    /// comparison with a choice, it names one of the choices.
    fn is_free_name(&self, e: &ast::Expr) -> Option<String> {
        let ast::ExprKind::Name(name) = &e.kind else {
            return None;
        };
        let bound = self.input_ids.contains_key(name) || self.let_ids.contains_key(name);
        (!bound).then(|| name.clone())
    }

    pub(super) fn choice_index(
        &mut self,
        of: ir::InputId,
        name: &str,
        span: Span,
    ) -> Option<Value> {
        let choices = self.choices(of).to_vec();
        match choices.iter().position(|c| c == name) {
            Some(i) => Some(Value::Choice(u16::try_from(i).unwrap_or(u16::MAX))),
            None => {
                let what = format!("choice of `{}`", self.input_name(of));
                let d = names::unknown(&what, name, span, choices.iter().map(String::as_str));
                self.report(d);
                None
            }
        }
    }

    fn binary(
        &mut self,
        op: ast::BinaryOp,
        a: &ast::Expr,
        b: &ast::Expr,
        span: Span,
        scope: Scope,
    ) -> (ir::Expr, Ty) {
        use ast::BinaryOp as B;
        let (ir_op, operand, result) = match op {
            B::Or => (BinaryOp::Or, Ty::Bool, Ty::Bool),
            B::And => (BinaryOp::And, Ty::Bool, Ty::Bool),
            B::Add => (BinaryOp::Add, Ty::Number, Ty::Number),
            B::Sub => (BinaryOp::Sub, Ty::Number, Ty::Number),
            B::Mul => (BinaryOp::Mul, Ty::Number, Ty::Number),
            B::Div => (BinaryOp::Div, Ty::Number, Ty::Number),
            B::Lt => (BinaryOp::Lt, Ty::Number, Ty::Bool),
            B::Le => (BinaryOp::Le, Ty::Number, Ty::Bool),
            B::Gt => (BinaryOp::Gt, Ty::Number, Ty::Bool),
            B::Ge => (BinaryOp::Ge, Ty::Number, Ty::Bool),
            B::Eq | B::Ne => return self.equality(op == B::Eq, a, b, span, scope),
            B::Contains => return self.contains(a, b, span, scope),
        };
        let word = op_word(op);
        let a = self.expect(a, operand, scope, &format!("the left side of `{word}`"));
        let b = self.expect(b, operand, scope, &format!("the right side of `{word}`"));
        if op == B::Div && is_zero(&b) {
            self.report(
                Diagnostic::error(DIVISION_BY_ZERO, "this divides by zero")
                    .label(b.span, "always 0")
                    .help("divide by a value that is not zero (a constant divisor is worked out when the policy is checked)"),
            );
        }
        (
            node(ExprKind::Binary(ir_op, Box::new(a), Box::new(b)), span),
            result,
        )
    }

    fn equality(
        &mut self,
        eq: bool,
        a: &ast::Expr,
        b: &ast::Expr,
        span: Span,
        scope: Scope,
    ) -> (ir::Expr, Ty) {
        let op = if eq { BinaryOp::Eq } else { BinaryOp::Ne };
        let (left, lty) = self.expr(a, scope);
        let right = match (lty, self.is_free_name(b)) {
            (Ty::Choice(of), Some(name)) => {
                let value = self
                    .choice_index(of, &name, b.span)
                    .unwrap_or(Value::Absent);
                node(ExprKind::Const(value), b.span)
            }
            (Ty::Text | Ty::Set(_), _) => {
                self.require(lty, Ty::Number, a.span, "a compared value");
                self.expr(b, scope).0
            }
            _ => self.expect(
                b,
                lty,
                scope,
                "the right side of a comparison (like the left)",
            ),
        };
        (
            node(ExprKind::Binary(op, Box::new(left), Box::new(right)), span),
            Ty::Bool,
        )
    }

    fn contains(
        &mut self,
        a: &ast::Expr,
        b: &ast::Expr,
        span: Span,
        scope: Scope,
    ) -> (ir::Expr, Ty) {
        let (set, ty) = self.expr(a, scope);
        let member = match ty {
            Ty::Set(of) => match &b.kind {
                ast::ExprKind::Name(name) => self.choice_index(of, name, b.span),
                _ => {
                    self.require(
                        Ty::Number,
                        Ty::Choice(of),
                        b.span,
                        "the right side of `contains`",
                    );
                    None
                }
            },
            Ty::Error => None,
            other => {
                self.require(
                    other,
                    Ty::Set(usize::MAX),
                    a.span,
                    "the left side of `contains`",
                );
                None
            }
        };
        let member = node(ExprKind::Const(member.unwrap_or(Value::Absent)), b.span);
        (
            node(
                ExprKind::Binary(BinaryOp::Contains, Box::new(set), Box::new(member)),
                span,
            ),
            Ty::Bool,
        )
    }
}

fn op_word(op: ast::BinaryOp) -> &'static str {
    use ast::BinaryOp as B;
    match op {
        B::Or => "or",
        B::And => "and",
        B::Contains => "contains",
        B::Eq => "==",
        B::Ne => "!=",
        B::Lt => "<",
        B::Le => "<=",
        B::Gt => ">",
        B::Ge => ">=",
        B::Add => "+",
        B::Sub => "-",
        B::Mul => "*",
        B::Div => "/",
    }
}

fn type_help(got: Ty, want: Ty) -> &'static str {
    match want {
        Ty::Number if got == Ty::Bool => {
            "a yes/no is not a number: give it one with `if 建立台帐 then 2 else 0`"
        }
        Ty::Bool => "a condition is a yes/no input or a comparison such as `完成率 >= 90%`",
        Ty::Number => {
            "numbers come from number, count, percent and ratio inputs; compare a choice with `==`, or map it with `match`"
        }
        Ty::Choice(_) => {
            "map a choice with `match`, or compare it with `==` against one of its values"
        }
        Ty::Set(_) => "`count(...)` and `contains` work on a set input (`set A | B`)",
        Ty::Text | Ty::Error => "text inputs are recorded, not scored",
    }
}

/// A divisor that is zero whatever the data: constants that come to 0.
fn is_zero(divisor: &ir::Expr) -> bool {
    let zero = Some(Num::ZERO);
    super::range::range(&[], &[], divisor).is_some_and(|r| r.lo == zero && r.hi == zero)
}
