//! Reading the previous period: `previous(x)`, `previous_score()`,
//! `previous_rank()`, `has_previous()`.

use super::Checker;
use super::calls::wrong_arity;
use super::types::{Scope, Ty};
use crate::diagnostics::Diagnostic;
use crate::ir::{self, ExprKind};
use crate::source::Span;
use crate::syntax::ast;
use crate::syntax::keywords::function_english;

pub const BAD_PREVIOUS: &str = "zhibiao::check::bad_previous";

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Reads {
    Value,
    Score,
    Rank,
    Presence,
}

pub fn reads(name: &str) -> Option<Reads> {
    Some(match function_english(name)? {
        "previous" => Reads::Value,
        "previous_score" => Reads::Score,
        "previous_rank" => Reads::Rank,
        "has_previous" => Reads::Presence,
        _ => return None,
    })
}

impl Checker {
    pub(super) fn previous(
        &mut self,
        reads: Reads,
        f: &ast::Name,
        args: &[ast::Expr],
        span: Span,
        scope: Scope,
    ) -> (ir::Expr, Ty) {
        let wanted = usize::from(reads == Reads::Value);
        if args.len() != wanted {
            self.report(wrong_arity(f, &wanted.to_string(), args.len(), span));
        }
        let node = |kind| ir::Expr { kind, span };
        match reads {
            Reads::Score => (node(ExprKind::PreviousScore), Ty::Number),
            Reads::Rank => (node(ExprKind::PreviousRank), Ty::Number),
            Reads::Presence => (node(ExprKind::HasPrevious), Ty::Bool),
            Reads::Value => {
                let Some(arg) = args.first() else {
                    return (node(ExprKind::Const(ir::Value::Absent)), Ty::Error);
                };
                let scope = Scope {
                    base: false,
                    ..scope
                };
                let (x, ty) = self.expr(arg, scope);
                if x.reads_previous(&self.lets) || x.reads_peers(&self.lets) {
                    self.report(
                        Diagnostic::error(BAD_PREVIOUS, format!("`{}` reads the previous period or other units already", f.value))
                            .label(x.span, "only this unit's own inputs and derived values can be read from the previous period")
                            .help("write `previous(完成率) - 完成率`, not `previous(previous(完成率))`; peer statistics and previous scores are of the current period"),
                    );
                }
                (node(ExprKind::Previous(Box::new(x))), ty)
            }
        }
    }
}
