//! Tests written in a policy file: one unit's cells (or several units') and
//! what is expected.

use super::{Name, NodeRef};
use crate::num::Num;
use crate::source::{Span, Spanned};

/// `test "NAME" [extends "BASE"] { given ... expect ... }`.
#[derive(Debug, Clone)]
pub struct Test {
    pub name: Spanned<String>,
    /// Another test of the same file whose cells this one starts from.
    pub extends: Option<Spanned<String>>,
    /// `from "units.csv"`: the data files its units come from, as written
    /// (relative to the file holding the test).
    pub from: Vec<Spanned<String>>,
    /// `given` cells: the one unit's, or those every unit shares.
    pub cells: Vec<Cell>,
    /// `unit ID given ...`: the units of a group, each with its own cells.
    pub units: Vec<TestUnit>,
    pub expects: Vec<Spanned<Expectation>>,
    pub span: Span,
}

/// `unit ID given COLUMN = VALUE, ...`: one unit of a test's group.
#[derive(Debug, Clone)]
pub struct TestUnit {
    pub id: Name,
    pub cells: Vec<Cell>,
}

/// `COLUMN = VALUE`: one cell of the unit's row; the value is the text a
/// data file would hold (a list is joined with `、`).
#[derive(Debug, Clone)]
pub struct Cell {
    pub column: Name,
    pub value: Spanned<String>,
}

/// `expect [UNIT:] ...`: an expectation of one unit (the test's only one
/// when `unit` is `None`).
#[derive(Debug, Clone)]
pub struct Expectation {
    pub unit: Option<Name>,
    pub expect: Expect,
}

#[derive(Debug, Clone)]
pub enum Expect {
    /// `score = 95.5`, `grade = 优秀`, `rank = 1`, `NODE = 3`.
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
    Rank(Span),
    Tier(Span),
    /// The base score, the bonus and the deductions in all.
    Base(Span),
    Bonus(Span),
    Deductions(Span),
    /// A node, a bonus or deduction part by its name, or a derived value
    /// (`let`).
    Node(NodeRef),
    /// A peer statistic, written as a rule of the policy writes it.
    Peer(super::Expr),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expected {
    /// A number and the decimal places it was written with (`95.50`: 2).
    Number(Num, u32),
    Name(String),
}
