//! The syntax tree of one policy file. Every name and expression keeps its
//! span; comments are kept beside the tree (`File::comments`) for the
//! formatter and the language server. Nothing here is resolved or checked.

use crate::num::Num;
use crate::source::{Span, Spanned};

pub type Name = Spanned<String>;

mod change;
mod test;
mod uncertainty;

pub use change::{Change, ChangeAction, Modification, NodeRef};
pub use test::{Cell, Expect, Expectation, Expected, Target, Test, TestUnit};
pub use uncertainty::{Factor, FactorKind, Uncertainty};

#[derive(Debug, Clone, Default)]
pub struct File {
    pub header: Vec<Header>,
    pub inputs: Vec<Input>,
    pub lets: Vec<Let>,
    /// Top-level nodes of the indicator tree, in order.
    pub tree: Vec<Node>,
    pub parts: Vec<Part>,
    pub vetoes: Vec<Veto>,
    pub grades: Vec<Grades>,
    pub tiers: Vec<Tiers>,
    pub funding: Vec<Funding>,
    pub uncertainty: Vec<Uncertainty>,
    /// Changes to the policy this one extends, in the order written.
    pub changes: Vec<Change>,
    /// Tests written in this file (never inherited through `extends`).
    pub tests: Vec<Test>,
    /// Functions in rhai (`script { ... }`, `script "f.rhai"`).
    pub scripts: Vec<Script>,
    pub comments: Vec<Span>,
}

/// `script { CODE }` or `script "FILE.rhai"`.
#[derive(Debug, Clone)]
pub struct Script {
    /// The file named, relative to the policy's folder.
    pub path: Option<Spanned<String>>,
    /// The rhai code (a file's is read when the policy is resolved).
    pub code: String,
    /// Where the code starts (in the policy, or in the file once read).
    pub base: u32,
    pub span: Span,
}

/// `policy NAME { ... }`.
#[derive(Debug, Clone)]
pub struct Header {
    pub name: Name,
    /// `extends "2023.zb"`: the path as written, relative to this file.
    pub extends: Option<Spanned<String>>,
    pub settings: Vec<Spanned<Setting>>,
    pub span: Span,
}

pub use crate::num::Rounding;

#[derive(Debug, Clone)]
pub enum Setting {
    Version(String),
    Total(Num),
    Precision {
        digits: Spanned<Num>,
        rounding: Rounding,
        per_item: bool,
    },
    Levels(Vec<Name>),
    Kinds(Vec<Kind>),
    NotApplicable(NaRule),
    Missing(MissingRule),
    Allow(Vec<Name>),
    Sources(Vec<Name>),
    Rank {
        method: RankMethod,
        /// Rank on the exact score rather than the rounded one.
        exact: bool,
    },
    /// What gates, fail lines and grades compare.
    Compare(Compare),
    /// The whole tree's fail line.
    FailBelow(Spanned<Size>),
    /// The data's headers for the unit's id, name and kind (`column id
    /// "country-code"`).
    Columns(Vec<(Name, String)>),
}

/// What gates (`only_if base ...`), fail lines and grades compare.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compare {
    /// The exact values.
    Exact,
    /// The values rounded at the policy's precision, as the outputs show them.
    Rounded,
}

/// How tied scores are ranked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RankMethod {
    /// 1224: ties share the best rank, the next rank skips.
    #[default]
    Competition,
    /// 1223: ties share the best rank, the next rank follows.
    Dense,
    /// 1234: ties are ranked in the order of the data.
    Ordinal,
}

#[derive(Debug, Clone)]
pub struct Kind {
    pub name: Name,
    pub label: Option<String>,
}

/// What happens to a not-applicable node.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NaRule {
    /// Leave it out and rescale the scored part back to full points.
    Rescale,
    /// Give its points to the applicable siblings.
    Redistribute {
        proportional: bool,
    },
    FullMarks,
    Zero,
    /// Leave it out: the unit's maximum is lower.
    Exclude,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum MissingRule {
    #[default]
    Error,
    Zero,
    /// Fill a blank with the mean of the units that have a value (of the
    /// same kind, with `true`).
    Mean(bool),
    /// Leave out an item that reads a blank, giving its points to its
    /// siblings in proportion; optionally, at least this share of the
    /// group's points must have data.
    Reweight(Option<Num>),
}

#[derive(Debug, Clone)]
pub struct Input {
    pub names: Vec<Name>,
    pub ty: Spanned<InputType>,
    pub unit: Option<String>,
    pub when: Option<Expr>,
    pub missing: Option<Spanned<MissingRule>>,
    /// `column "score"`: the data column, when not named like the input.
    pub column: Option<String>,
    /// `from 自评 30%, 专家 70%`: the sources and their weights.
    pub sources: Vec<(Name, Option<Spanned<Num>>)>,
    /// `per 受理数`: the input the column's value is divided by.
    pub per: Option<Name>,
    pub description: Option<String>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum InputType {
    Bool,
    Number {
        range: Option<(Num, Num)>,
    },
    Count,
    /// A range in percentage points (`-50..200`); without one, 0 to 100.
    Percent {
        range: Option<(Num, Num)>,
    },
    Ratio,
    Text,
    Choice(Vec<Name>),
    Set(Vec<Name>),
}

#[derive(Debug, Clone)]
pub struct Let {
    pub name: Name,
    pub expr: Expr,
    pub span: Span,
}

/// How a group combines its children's rates, each weighted by its points.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Aggregate {
    /// Points add up (the weighted arithmetic mean of the rates).
    #[default]
    Arithmetic,
    Geometric,
    Harmonic,
    /// The weighted power mean of order p (p ≠ 0).
    Power(Num),
}

/// How a group's children's sizes read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Weights {
    /// Every child the same share of the group's points (they state none).
    Equal,
    /// The children's points are relative weights, normalised to the
    /// group's points (each indicator weight 1 within its pillar).
    Relative,
}

/// Points of a node: absolute points, or a percentage of the parent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Size {
    Points(Num),
    Percent(Num),
    /// `-1..1`: an item whose points range from a negative least to a most.
    Range(Num, Num),
    /// `uncapped`: a bonus or deduction item with no maximum.
    Uncapped,
}

impl Size {
    /// The most points it stands for, as written (`None` for a weight or
    /// `uncapped`).
    pub fn most(self) -> Option<Num> {
        match self {
            Size::Points(p) | Size::Range(_, p) => Some(p),
            Size::Percent(_) | Size::Uncapped => None,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Node {
    /// The keyword as written (`category`, `指标`, `item` ...).
    pub keyword: Spanned<String>,
    pub code: Option<Spanned<String>>,
    pub name: Name,
    pub size: Option<Spanned<Size>>,
    pub description: Option<String>,
    pub kinds: Vec<Name>,
    pub when: Option<Expr>,
    pub na: Option<Spanned<NaRule>>,
    pub fail_below: Option<Spanned<Size>>,
    pub aggregate: Option<Spanned<Aggregate>>,
    /// `by_kind`: each kind of unit has its own rows under this group.
    pub by_kind: Option<Span>,
    /// `side_total`: scored and shown, not counted in its parent.
    pub side: Option<Span>,
    /// `target 95%`: the row's target value (a percentage, or a number).
    pub target: Option<Spanned<Size>>,
    /// `minus 2 * 违法案例`: points taken from the whole group (扣完为止).
    pub minus: Option<Expr>,
    /// `weights equal` or `weights relative`: how the children's sizes read.
    pub weights: Option<Spanned<Weights>>,
    /// `allow never_zero`: lints silenced on this node and under it.
    pub allow: Vec<Name>,
    pub body: NodeBody,
    pub span: Span,
    /// The last change (`change`, `rename`, `move`) made to this node by a
    /// policy extending the one that declared it.
    pub changed: Option<Span>,
}

#[derive(Debug, Clone)]
pub enum NodeBody {
    Group(Vec<Node>),
    Item(Rule),
}

#[derive(Debug, Clone)]
pub struct Rule {
    pub mode: RuleMode,
    pub expr: Expr,
}

/// `score` yields a rate in [0, 1] of the item's points; `points` yields
/// points, clamped to [0, the item's points].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuleMode {
    Score,
    Points,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PartKind {
    Bonus,
    Deduction,
}

#[derive(Debug, Clone)]
pub struct Part {
    pub kind: PartKind,
    pub name: Name,
    pub cap: Option<Spanned<Num>>,
    pub gate: Option<Expr>,
    pub items: Vec<Node>,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct Veto {
    pub name: Name,
    pub condition: Expr,
    pub action: Spanned<VetoAction>,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub enum VetoAction {
    Fail,
    /// 单项否决: the unit gets no score and takes no rank nor part in peer
    /// statistics; it has the failing grade.
    NotScored,
    Points(Num),
    MaxGrade(Name),
}

#[derive(Debug, Clone)]
pub struct Grades {
    pub grades: Vec<Grade>,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct Grade {
    pub name: Name,
    pub interval: Interval,
    /// `at_most 20%`: the largest share of units that may have this grade.
    pub quota: Option<Spanned<Num>>,
}

/// `funding 运维经费 1200000 { share 建设投资  grades { 优秀 1.5, 良好 1 }  cap 300000 }`.
#[derive(Debug, Clone)]
pub struct Funding {
    pub name: Name,
    pub pool: Spanned<Num>,
    pub share: Option<Name>,
    /// Each grade's multiplier (级差法), where given.
    pub grades: Vec<(Name, Spanned<Num>)>,
    pub grades_span: Option<Span>,
    pub cap: Option<Spanned<Num>>,
    pub span: Span,
}

/// `tiers { 第一梯队 top 10%  第二梯队 top 40%  第三梯队 rest }`.
#[derive(Debug, Clone)]
pub struct Tiers {
    pub tiers: Vec<Tier>,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct Tier {
    pub name: Name,
    /// The share of units (by rank) in this tier and those above it; `None`
    /// for `rest` (or a tier by score).
    pub top: Option<Spanned<Num>>,
    /// `at_least 0.75`: the least final score of the tier.
    pub at_least: Option<Spanned<Num>>,
}

/// An interval with explicit inclusive (`[`, `]`) or exclusive (`(`, `)`)
/// bounds; `None` is an open end (`..`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Interval {
    pub low: Option<Num>,
    pub low_inclusive: bool,
    pub high: Option<Num>,
    pub high_inclusive: bool,
    /// The bounds were written as percentages (`[90%, ..]`).
    pub percent: bool,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnaryOp {
    Neg,
    Not,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinaryOp {
    Or,
    And,
    Contains,
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
}

#[derive(Debug, Clone)]
pub enum ExprKind {
    Number(Num),
    /// A percentage as written (`90%`), holding its value (0.9).
    Percent(Num),
    Bool(bool),
    Name(String),
    Base,
    /// `todo`: still to be written.
    Todo,
    Unary(UnaryOp, Box<Expr>),
    Binary(BinaryOp, Box<Expr>, Box<Expr>),
    /// A function call; `within` is the peer group of a peer statistic.
    Call(Name, Vec<Expr>, Option<Within>),
    If(Box<Expr>, Box<Expr>, Box<Expr>),
    Match(Box<Expr>, Vec<Arm>),
    Bands(Box<Expr>, Vec<Band>),
    /// `in_turn x { 60, 57, 54, rest => 40 }`: the first value for 1, the
    /// second for 2 ..., `rest` after the list.
    InTurn(Box<Expr>, Vec<Expr>, Option<Box<Expr>>),
}

/// `within kind` or `within INPUT`.
#[derive(Debug, Clone)]
pub enum Within {
    Kind(Span),
    Group(Name),
}

#[derive(Debug, Clone)]
pub struct Arm {
    pub patterns: Vec<Pattern>,
    pub value: Expr,
}

#[derive(Debug, Clone)]
pub enum Pattern {
    Wildcard(Span),
    Bool(bool, Span),
    Number(Num, Span),
    Name(Name),
}

#[derive(Debug, Clone)]
pub struct Band {
    pub interval: Interval,
    pub value: Expr,
}
