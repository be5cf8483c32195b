//! Calls of the built-in functions (`min`, `ratio`, `below` ...): the name,
//! the number of arguments and their types.

use super::Checker;
use super::names;
use super::types::{Scope, TYPE_MISMATCH, Ty, node};
use crate::diagnostics::Diagnostic;
use crate::ir::{self, ExprKind, Func, Value};
use crate::source::Span;
use crate::syntax::ast;
use crate::syntax::keywords::{FUNCTIONS, function_english};

pub const WRONG_ARITY: &str = "zhibiao::check::wrong_arity";
pub const UNKNOWN_FUNCTION: &str = "zhibiao::check::unknown_function";

impl Checker {
    pub(super) fn call(
        &mut self,
        f: &ast::Name,
        args: &[ast::Expr],
        span: Span,
        scope: Scope,
    ) -> (ir::Expr, Ty) {
        let Some((func, arity)) = function(&f.value) else {
            if let Some(call) = self.script_call(f, args, span, scope) {
                return call;
            }
            if self.scripts_broken {
                // It may be defined in the script that did not compile.
                args.iter().for_each(|a| drop(self.expr(a, scope)));
                return (node(ExprKind::Const(Value::Absent), span), Ty::Error);
            }
            let scripts = self
                .scripts
                .as_deref()
                .map_or(&[][..], |s| &s.functions[..]);
            let names = FUNCTIONS.iter().flat_map(|(en, zh, _)| [*en, *zh]);
            let names = names.chain(scripts.iter().map(|f| f.name.as_str()));
            let mut d = names::unknown("function", &f.value, f.span, names);
            d.code = UNKNOWN_FUNCTION;
            self.report(d);
            args.iter().for_each(|a| drop(self.expr(a, scope)));
            return (node(ExprKind::Const(Value::Absent), span), Ty::Error);
        };
        let ok = match arity {
            Arity::Exactly(n) => args.len() == n,
            Arity::AtLeast(n) => args.len() >= n,
        };
        if !ok {
            let wanted = match arity {
                Arity::Exactly(n) => format!("{n}"),
                Arity::AtLeast(n) => format!("at least {n}"),
            };
            self.report(wrong_arity(f, &wanted, args.len(), span));
        }
        let want = if func == Func::Count {
            Ty::Set(usize::MAX)
        } else {
            Ty::Number
        };
        let args = args
            .iter()
            .map(|a| {
                let (x, ty) = self.expr(a, scope);
                let fits =
                    matches!((want, ty), (Ty::Set(_), Ty::Set(_)) | (_, Ty::Error)) || ty == want;
                if !fits {
                    self.require(ty, want, a.span, &format!("an argument of `{}`", f.value));
                }
                x
            })
            .collect();
        (node(ExprKind::Call(func, args), span), Ty::Number)
    }
}

impl Checker {
    /// `is_blank(INPUT)`: whether the unit's cell for the input is blank.
    pub(super) fn is_blank(
        &mut self,
        f: &ast::Name,
        args: &[ast::Expr],
        span: Span,
    ) -> (ir::Expr, Ty) {
        let input = match args {
            [a] => match &a.kind {
                ast::ExprKind::Name(n) => self.input_ids.get(n).copied(),
                _ => None,
            },
            _ => {
                self.report(wrong_arity(f, "1", args.len(), span));
                return (node(ExprKind::Const(Value::Absent), span), Ty::Error);
            }
        };
        let Some(id) = input else {
            self.report(
                Diagnostic::error(
                    TYPE_MISMATCH,
                    format!("`{}` tests a cell of an input", f.value),
                )
                .label(span, "not an input")
                .help("name the input whose cell may be blank: `is_blank(访问量)`"),
            );
            return (node(ExprKind::Const(Value::Absent), span), Ty::Error);
        };
        if let Some(u) = self.used_inputs.get_mut(id) {
            *u = true;
        }
        (node(ExprKind::IsBlank(id), span), Ty::Bool)
    }
}

enum Arity {
    Exactly(usize),
    AtLeast(usize),
}

fn function(name: &str) -> Option<(Func, Arity)> {
    Some(match function_english(name)? {
        "min" => (Func::Min, Arity::AtLeast(2)),
        "max" => (Func::Max, Arity::AtLeast(2)),
        "clamp" => (Func::Clamp, Arity::Exactly(3)),
        "abs" => (Func::Abs, Arity::Exactly(1)),
        "floor" => (Func::Floor, Arity::Exactly(1)),
        "ceil" => (Func::Ceil, Arity::Exactly(1)),
        "count" => (Func::Count, Arity::Exactly(1)),
        "ratio" => (Func::Ratio, Arity::Exactly(2)),
        "ratio_lower" => (Func::RatioLower, Arity::Exactly(2)),
        "below" => (Func::Below, Arity::Exactly(2)),
        "above" => (Func::Above, Arity::Exactly(2)),
        "sqrt" => (Func::Sqrt, Arity::Exactly(1)),
        "pow" => (Func::Pow, Arity::Exactly(2)),
        "ln" => (Func::Ln, Arity::Exactly(1)),
        "log10" => (Func::Log10, Arity::Exactly(1)),
        "exp" => (Func::Exp, Arity::Exactly(1)),
        _ => return None,
    })
}

/// `f` called with `got` arguments where it takes `wanted`.
pub(super) fn wrong_arity(f: &ast::Name, wanted: &str, got: usize, span: Span) -> Diagnostic {
    Diagnostic::error(
        WRONG_ARITY,
        format!("`{}` takes {wanted} arguments, not {got}", f.value),
    )
    .label(span, "called here")
    .help(function_help(&f.value))
}

pub(super) fn function_help(name: &str) -> String {
    FUNCTIONS
        .iter()
        .find(|(en, zh, _)| *en == name || *zh == name)
        .map_or_else(String::new, |(_, _, doc)| (*doc).to_string())
}

impl Checker {
    /// Compiles the policy's scripts; a script function may not take the
    /// name of a built-in one.
    pub(super) fn scripts(&mut self, scripts: &[ast::Script]) {
        let (compiled, problems) = crate::script::compile(scripts);
        self.scripts_broken = !problems.is_empty();
        problems.into_iter().for_each(|d| self.report(d));
        let Some(compiled) = compiled else {
            return;
        };
        for f in &compiled.functions {
            if function(&f.name).is_some() {
                let at = scripts
                    .iter()
                    .find_map(|s| {
                        let at = s.code.find(&format!("fn {}", f.name))?;
                        Some(Span::new(s.base as usize + at, s.base as usize + at + 2))
                    })
                    .unwrap_or_default();
                self.report(
                    Diagnostic::error(
                        crate::script::SCRIPT_ERROR,
                        format!(
                            "the script function `{}` has the name of a built-in function",
                            f.name
                        ),
                    )
                    .label(at, "defined here")
                    .help("give it a name of its own"),
                );
            }
        }
        self.scripts = Some(std::sync::Arc::new(compiled));
    }

    /// A call of a script function: numbers and yes/no values in, a number out.
    fn script_call(
        &mut self,
        f: &ast::Name,
        args: &[ast::Expr],
        span: Span,
        scope: Scope,
    ) -> Option<(ir::Expr, Ty)> {
        let scripts = self.scripts.clone()?;
        let defined: Vec<usize> = (scripts.functions.iter())
            .filter(|s| s.name == f.value)
            .map(|s| s.params.len())
            .collect();
        if defined.is_empty() {
            return None;
        }
        let Some(index) = scripts.find(&f.value, args.len()) else {
            let wanted: Vec<String> = defined.iter().map(usize::to_string).collect();
            self.report(wrong_arity(f, &wanted.join(" or "), args.len(), span));
            args.iter().for_each(|a| drop(self.expr(a, scope)));
            return Some((node(ExprKind::Const(Value::Absent), span), Ty::Error));
        };
        let args = args
            .iter()
            .map(|a| {
                let (x, ty) = self.expr(a, scope);
                if !matches!(ty, Ty::Number | Ty::Bool | Ty::Error) {
                    self.require(
                        ty,
                        Ty::Number,
                        a.span,
                        &format!("an argument of `{}`", f.value),
                    );
                }
                x
            })
            .collect();
        Some((node(ExprKind::Script(index, args), span), Ty::Number))
    }
}
