//! Tests written in a policy file: one unit's cells and what is expected.

use super::{Name, NodeRef};
use crate::num::Num;
use crate::source::{Span, Spanned};

/// `test "NAME" [extends "BASE"] { given ... expect ... }`.
#[derive(Debug, Clone)]
pub struct Test {
    pub name: Spanned<String>,
    /// Another test of the same file whose cells this one starts from.
    pub extends: Option<Spanned<String>>,
    pub cells: Vec<Cell>,
    pub expects: Vec<Spanned<Expect>>,
    pub span: Span,
}

/// `COLUMN = VALUE`: one cell of the unit's row; the value is the text a
/// data file would hold (a list is joined with `、`).
#[derive(Debug, Clone)]
pub struct Cell {
    pub column: Name,
    pub value: Spanned<String>,
}

#[derive(Debug, Clone)]
pub enum Expect {
    /// `score = 95.5`, `grade = 优秀`, `NODE = 3`.
    Value(Target, Spanned<Expected>),
    /// `veto NAME` (it fires) or `not veto NAME`.
    Veto { name: Name, fires: bool },
    /// `not_applicable NODE`.
    NotApplicable(NodeRef),
}

#[derive(Debug, Clone)]
pub enum Target {
    Score(Span),
    Grade(Span),
    /// A node, or a bonus or deduction part by its name.
    Node(NodeRef),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expected {
    /// A number and the decimal places it was written with (`95.50`: 2).
    Number(Num, u32),
    Name(String),
}
