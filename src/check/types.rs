//! What the expression checker and the checkers of calls, peer statistics
//! and periods share: an expression's type, where it stands, and the code
//! of a type mismatch, which all of them report.

use crate::ir::{self, ExprKind};
use crate::source::Span;

pub const TYPE_MISMATCH: &str = "zhibiao::check::type_mismatch";

/// The type of an expression. `Error` follows an earlier diagnostic and
/// matches anything, so one mistake is reported once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ty {
    Number,
    Bool,
    Choice(ir::InputId),
    Set(ir::InputId),
    Text,
    Error,
}

/// Where an expression stands: may it read `base`, and which derived values
/// are visible (those declared before it).
#[derive(Debug, Clone, Copy)]
pub struct Scope {
    pub base: bool,
    pub lets_visible: usize,
}

impl Scope {
    pub const RULE: Scope = Scope {
        base: false,
        lets_visible: usize::MAX,
    };
}

pub(super) fn node(kind: ExprKind, span: Span) -> ir::Expr {
    ir::Expr { kind, span }
}
