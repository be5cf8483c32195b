//! Values and expressions of the compiled policy: ids instead of names,
//! and what an expression reads (inputs, peers, the previous period).

use super::{InputId, Let, LetId, PeerId};
use crate::num::Num;
use crate::source::Span;
use crate::syntax::ast::Interval;

/// A value during evaluation. `Choice` is an index into the input's
/// choices; `Set` a bit mask of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Value {
    Number(Num),
    Bool(bool),
    Choice(u16),
    Set(u64),
    /// The cell was blank (or not collected for this unit).
    Absent,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinaryOp {
    Or,
    And,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    Add,
    Sub,
    Mul,
    Div,
    /// Set membership: the right side is a choice constant.
    Contains,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Func {
    Min,
    Max,
    Clamp,
    Abs,
    Floor,
    Ceil,
    Count,
    Ratio,
    RatioLower,
    Below,
    Above,
    /// Irrational in general: 28 digits, rounded half-even to 12 places.
    Sqrt,
    Pow,
    Ln,
    Log10,
    Exp,
}

#[derive(Debug, Clone)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub enum ExprKind {
    Const(Value),
    Input(InputId),
    Let(LetId),
    Base,
    Neg(Box<Expr>),
    Not(Box<Expr>),
    Binary(BinaryOp, Box<Expr>, Box<Expr>),
    Call(Func, Vec<Expr>),
    /// A script function (its index in the policy's scripts).
    Script(usize, Vec<Expr>),
    If(Box<Expr>, Box<Expr>, Box<Expr>),
    /// Arms of choice indices (or bools as 0/1); `otherwise` is `_`.
    Match {
        on: Box<Expr>,
        arms: Vec<(Vec<Value>, Expr)>,
        otherwise: Option<Box<Expr>>,
        /// Where each arm is written (patterns to value), then `_`'s.
        spans: Vec<Span>,
    },
    Bands(Box<Expr>, Vec<(Interval, Expr)>),
    /// The unit's value of a peer statistic (precomputed).
    Peer(PeerId),
    /// The unit's score of a node (`policy.node_refs[i]`).
    NodeScore(usize),
    /// Whether the unit's cell for an input is blank (`is_blank(x)`), also
    /// where a `missing` rule filled it.
    IsBlank(InputId),
    /// `data_share()`: the share of the inputs the unit needs that have a
    /// cell of their own (not filled by a `missing` rule).
    DataShare,
    /// The expression for the same unit in the previous period.
    Previous(Box<Expr>),
    PreviousScore,
    PreviousRank,
    HasPrevious,
}

impl Expr {
    /// Where every arm of `match` and band of `bands` in the expression is
    /// written (not through derived values).
    pub fn branch_spans(&self, out: &mut Vec<Span>) {
        let mut walk = |e: &Expr| e.branch_spans(out);
        match &self.kind {
            ExprKind::Match {
                on,
                arms,
                otherwise,
                spans,
            } => {
                walk(on);
                arms.iter().for_each(|(_, v)| walk(v));
                otherwise.iter().for_each(|v| walk(v));
                out.extend(spans);
            }
            ExprKind::Bands(on, bands) => {
                walk(on);
                bands.iter().for_each(|(_, v)| walk(v));
                out.extend(
                    bands
                        .iter()
                        .map(|(iv, v)| Span::new(iv.span.start as usize, v.span.end as usize)),
                );
            }
            ExprKind::Neg(x) | ExprKind::Not(x) | ExprKind::Previous(x) => walk(x),
            ExprKind::Binary(_, a, b) => {
                walk(a);
                walk(b);
            }
            ExprKind::Call(_, args) | ExprKind::Script(_, args) => args.iter().for_each(walk),
            ExprKind::If(c, t, f) => [c, t, f].into_iter().for_each(|x| walk(x)),
            _ => {}
        }
    }

    /// Every input the expression reads, directly or through derived values.
    pub fn inputs_read(&self, lets: &[Let], out: &mut Vec<InputId>) {
        let mut read = |e: &Expr| e.inputs_read(lets, out);
        match &self.kind {
            ExprKind::Input(i) | ExprKind::IsBlank(i) => out.push(*i),
            ExprKind::Let(l) => {
                if let Some(def) = lets.get(*l) {
                    def.expr.inputs_read(lets, out);
                }
            }
            // A peer statistic is computed before the unit is scored; the
            // previous period is read from its own data.
            ExprKind::Const(_)
            | ExprKind::Base
            | ExprKind::DataShare
            | ExprKind::Peer(_)
            | ExprKind::NodeScore(_)
            | ExprKind::Previous(_)
            | ExprKind::PreviousScore
            | ExprKind::PreviousRank
            | ExprKind::HasPrevious => {}
            ExprKind::Neg(x) | ExprKind::Not(x) => read(x),
            ExprKind::Binary(_, a, b) => {
                read(a);
                read(b);
            }
            ExprKind::Call(_, args) | ExprKind::Script(_, args) => args.iter().for_each(read),
            ExprKind::If(c, t, f) => [c, t, f].into_iter().for_each(|x| read(x)),
            ExprKind::Match {
                on,
                arms,
                otherwise,
                ..
            } => {
                read(on);
                arms.iter().for_each(|(_, v)| read(v));
                otherwise.iter().for_each(|o| read(o));
            }
            ExprKind::Bands(on, bands) => {
                read(on);
                bands.iter().for_each(|(_, v)| read(v));
            }
        }
    }
}

impl Expr {
    /// Whether the expression reads a peer statistic (directly or through
    /// derived values): then its value depends on other units.
    pub fn reads_peers(&self, lets: &[Let]) -> bool {
        self.reads(lets, &|k| matches!(k, ExprKind::Peer(_)))
    }

    /// Whether the expression reads a node's score (`node_score`).
    pub fn reads_node_scores(&self, lets: &[Let]) -> bool {
        self.reads(lets, &|k| matches!(k, ExprKind::NodeScore(_)))
    }

    /// Whether the expression reads the previous period.
    pub fn reads_previous(&self, lets: &[Let]) -> bool {
        self.reads(lets, &|k| {
            matches!(
                k,
                ExprKind::Previous(_)
                    | ExprKind::PreviousScore
                    | ExprKind::PreviousRank
                    | ExprKind::HasPrevious
            )
        })
    }

    /// Whether any part of the expression, or of a derived value it reads,
    /// is of a kind `found` picks.
    pub fn reads(&self, lets: &[Let], found: &dyn Fn(&ExprKind) -> bool) -> bool {
        if found(&self.kind) {
            return true;
        }
        let r = |e: &Expr| e.reads(lets, found);
        match &self.kind {
            ExprKind::Peer(_)
            | ExprKind::NodeScore(_)
            | ExprKind::IsBlank(_)
            | ExprKind::DataShare
            | ExprKind::PreviousScore
            | ExprKind::PreviousRank
            | ExprKind::HasPrevious => false,
            ExprKind::Previous(x) => r(x),
            ExprKind::Let(l) => lets.get(*l).is_some_and(|d| r(&d.expr)),
            ExprKind::Const(_) | ExprKind::Input(_) | ExprKind::Base => false,
            ExprKind::Neg(x) | ExprKind::Not(x) => r(x),
            ExprKind::Binary(_, a, b) => r(a) || r(b),
            ExprKind::Call(_, args) | ExprKind::Script(_, args) => args.iter().any(r),
            ExprKind::If(c, t, f) => r(c) || r(t) || r(f),
            ExprKind::Match {
                on,
                arms,
                otherwise,
                ..
            } => r(on) || arms.iter().any(|(_, v)| r(v)) || otherwise.as_deref().is_some_and(r),
            ExprKind::Bands(on, bands) => r(on) || bands.iter().any(|(_, v)| r(v)),
        }
    }
}

impl Interval {
    pub fn contains(&self, x: Num) -> bool {
        let above = match self.low {
            None => true,
            Some(lo) if self.low_inclusive => x >= lo,
            Some(lo) => x > lo,
        };
        let below = match self.high {
            None => true,
            Some(hi) if self.high_inclusive => x <= hi,
            Some(hi) => x < hi,
        };
        above && below
    }
}
