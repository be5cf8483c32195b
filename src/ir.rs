//! The compiled policy (IR): what the checker produces and the evaluator runs.
//!
//! Names are resolved to integer ids once; the evaluator never looks a name
//! up. The indicator tree is a flat arena in pre-order, so a node's subtree is
//! the contiguous range `id..node.end`. Node 0 is the root (the whole policy);
//! every point value is absolute (percent weights are resolved here).

use crate::num::Num;
use crate::source::Span;
pub use crate::syntax::ast::{Aggregate, RankMethod};
use crate::syntax::ast::{Interval, Rounding};

pub type NodeId = usize;
pub type InputId = usize;
pub type LetId = usize;
pub type KindId = usize;
pub type GradeId = usize;

#[derive(Debug, Clone)]
pub struct Policy {
    pub name: String,
    pub version: String,
    pub total: Num,
    pub precision: u32,
    pub rounding: Rounding,
    /// Round each item's score before adding it up.
    pub round_items: bool,
    pub levels: Vec<String>,
    pub kinds: Vec<Kind>,
    pub inputs: Vec<Input>,
    /// Derived values in evaluation order (each reads only earlier ones).
    pub lets: Vec<Let>,
    /// The indicator tree in pre-order; `nodes[0]` is the root.
    pub nodes: Vec<Node>,
    pub parts: Vec<Part>,
    pub vetoes: Vec<Veto>,
    /// Best grade first; the last is the failing grade.
    pub grades: Vec<Grade>,
    /// Peer statistics, computed once per group before units are scored.
    pub peers: Vec<Peer>,
    pub ranking: Ranking,
    /// The sources of the data, one file each (none: one file).
    pub sources: Vec<String>,
    /// Nodes whose scores peer statistics read (`node_score`).
    pub node_refs: Vec<NodeId>,
    /// Best tier first; the last is `rest`.
    pub tiers: Vec<Tier>,
}

#[derive(Debug, Clone, Copy, Default)]
pub struct Ranking {
    pub method: RankMethod,
    /// On the exact final score instead of the rounded one.
    pub exact: bool,
}

#[derive(Debug, Clone)]
pub struct Tier {
    pub name: String,
    /// The share of ranked units in this tier and the ones above; `None`: the rest.
    pub top: Option<Num>,
}

pub type PeerId = usize;

/// A statistic of an expression over a group of units (`mean(x) within kind`).
#[derive(Debug, Clone)]
pub struct Peer {
    pub stat: Stat,
    /// Reads inputs and derived values, never another peer statistic.
    pub arg: Expr,
    pub group: PeerGroup,
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stat {
    Mean,
    Median,
    Lowest,
    Highest,
    Rank,
    Percentile,
    MinMax,
    MinMaxLower,
    ZScore,
    GroupSize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PeerGroup {
    All,
    Kind,
    /// Units with the same value of this choice input.
    Input(InputId),
}

#[derive(Debug, Clone)]
pub struct Kind {
    pub name: String,
    pub label: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum InputType {
    Bool,
    Number { range: Option<(Num, Num)> },
    Count,
    Percent,
    Ratio,
    Text,
    Choice(Vec<String>),
    Set(Vec<String>),
}

impl InputType {
    /// How the type is described to the person filling in the data.
    pub fn describe(&self) -> String {
        match self {
            InputType::Bool => "yes or no (是/否)".into(),
            InputType::Number {
                range: Some((lo, hi)),
            } => format!("a number from {lo} to {hi}"),
            InputType::Number { range: None } => "a number".into(),
            InputType::Count => "a whole number ≥ 0".into(),
            InputType::Percent => "a percentage such as 85 or 85%".into(),
            InputType::Ratio => "a ratio from 0 to 1 (or a percentage such as 85%)".into(),
            InputType::Text => "text".into(),
            InputType::Choice(c) => format!("one of {}", c.join(" | ")),
            InputType::Set(c) => format!("any of {} (separated by 、 or ,)", c.join(" | ")),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Missing {
    Error,
    Zero,
    /// Blanks are filled with the mean of the units that have a value (of
    /// the same kind, with `true`).
    Mean(bool),
    /// An item that reads a blank is left out; its points go to its
    /// siblings (at least this share of their group's points must have data).
    Reweight(Option<Num>),
}

#[derive(Debug, Clone)]
pub struct Input {
    pub name: String,
    pub ty: InputType,
    pub unit: Option<String>,
    pub description: Option<String>,
    /// Collected only where this holds.
    pub when: Option<Expr>,
    pub missing: Missing,
    /// The data column it is read from.
    pub column: String,
    /// The sources it comes from and their weights (empty: the first source).
    pub sources: Vec<(usize, Num)>,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct Let {
    pub name: String,
    pub expr: Expr,
}

/// Where the points of a not-applicable node go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotApplicable {
    /// Left out; the scope node's score is rescaled to its full points.
    Rescale {
        scope: NodeId,
    },
    Redistribute {
        proportional: bool,
    },
    FullMarks,
    Zero,
    Exclude,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuleMode {
    Score,
    Points,
}

/// The nodes (the root excluded) named by (a tail of) their path.
pub fn nodes_at<S: AsRef<str>>(nodes: &[Node], path: &[S]) -> Vec<NodeId> {
    nodes
        .iter()
        .enumerate()
        .skip(1)
        .filter(|(_, n)| {
            let full: Vec<&str> = n.path.split('/').collect();
            full.len() >= path.len()
                && full
                    .iter()
                    .rev()
                    .zip(path.iter().rev())
                    .all(|(a, b)| *a == b.as_ref())
        })
        .map(|(i, _)| i)
        .collect()
}

impl RuleMode {
    /// The keyword that introduces the rule (in English).
    pub fn keyword(self) -> &'static str {
        match self {
            RuleMode::Score => "score",
            RuleMode::Points => "points",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Rule {
    pub mode: RuleMode,
    pub expr: Expr,
    /// Points as declared (the scale of a `points` rule).
    pub declared: Num,
    /// The item's points for each band, worked out once when the rule is
    /// `bands` with constant values: the value it bands, and the table.
    pub bands: Option<(Expr, Vec<(Interval, Num)>)>,
}

impl Rule {
    /// The item's points from the rule's value: a rate clamped to [0, 1] of
    /// `points`, or points clamped to [0, declared] and scaled to `points`.
    pub fn points_for(&self, x: Num, points: Num) -> Num {
        match self.mode {
            RuleMode::Score if x.is_negative() || x.is_zero() => Num::ZERO,
            RuleMode::Score if x >= Num::ONE => points,
            RuleMode::Score => x * points,
            RuleMode::Points if x.is_negative() || self.declared.is_zero() => Num::ZERO,
            RuleMode::Points if self.declared == points => x.min(points),
            RuleMode::Points => x.min(self.declared) * points / self.declared,
        }
    }

    /// Precomputes the points of a `bands` rule with constant values.
    pub fn with_bands(mut self, points: Num) -> Rule {
        if let ExprKind::Bands(on, bands) = &self.expr.kind {
            let constants: Option<Vec<(Interval, Num)>> = bands
                .iter()
                .map(|(iv, v)| match v.kind {
                    ExprKind::Const(Value::Number(n)) => Some((*iv, self.points_for(n, points))),
                    _ => None,
                })
                .collect();
            self.bands = constants.map(|table| ((**on).clone(), table));
        }
        self
    }
}

#[derive(Debug, Clone)]
pub struct Node {
    pub name: String,
    pub code: Option<String>,
    /// Names from the root, joined by `/`.
    pub path: String,
    pub description: Option<String>,
    pub depth: usize,
    pub parent: Option<NodeId>,
    pub children: Vec<NodeId>,
    /// End (exclusive) of this node's subtree in the arena.
    pub end: NodeId,
    /// Full marks, absolute.
    pub points: Num,
    /// Bit k set: applies to kind k (ancestors' restrictions included).
    pub kinds: u64,
    pub when: Option<Expr>,
    pub not_applicable: NotApplicable,
    /// This node rescales its scored children back to its full points.
    pub rescale_scope: bool,
    pub fail_below: Option<Num>,
    /// How a group combines its children's rates.
    pub aggregate: Aggregate,
    /// `Some` for an item (a leaf with a rule).
    pub rule: Option<Rule>,
    /// The node's name where it was declared (in any file of the chain).
    pub span: Span,
    /// The change that last changed it, in a policy extending that one.
    pub changed: Option<Span>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PartKind {
    Bonus,
    Deduction,
}

#[derive(Debug, Clone)]
pub struct PartItem {
    pub name: String,
    pub points: Num,
    pub kinds: u64,
    pub when: Option<Expr>,
    pub rule: Rule,
}

#[derive(Debug, Clone)]
pub struct Part {
    pub kind: PartKind,
    pub name: String,
    pub cap: Option<Num>,
    /// Bonus only: may read `base`.
    pub gate: Option<Expr>,
    pub items: Vec<PartItem>,
}

#[derive(Debug, Clone)]
pub enum VetoAction {
    Fail,
    Points(Num),
    MaxGrade(GradeId),
}

#[derive(Debug, Clone)]
pub struct Veto {
    pub name: String,
    pub condition: Expr,
    pub action: VetoAction,
}

#[derive(Debug, Clone)]
pub struct Grade {
    pub name: String,
    pub interval: Interval,
    /// At most this share of the ranked units may have the grade.
    pub quota: Option<Num>,
}

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
    /// The unit's score of a node (`policy.node_refs[i]`); only in the
    /// argument of a peer statistic.
    NodeScore(usize),
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
            ExprKind::Call(_, args) => args.iter().for_each(walk),
            ExprKind::If(c, t, f) => [c, t, f].into_iter().for_each(|x| walk(x)),
            _ => {}
        }
    }

    /// Every input the expression reads, directly or through derived values.
    pub fn inputs_read(&self, lets: &[Let], out: &mut Vec<InputId>) {
        let mut read = |e: &Expr| e.inputs_read(lets, out);
        match &self.kind {
            ExprKind::Input(i) => out.push(*i),
            ExprKind::Let(l) => {
                if let Some(def) = lets.get(*l) {
                    def.expr.inputs_read(lets, out);
                }
            }
            // A peer statistic is computed before the unit is scored; the
            // previous period is read from its own data.
            ExprKind::Const(_)
            | ExprKind::Base
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
            ExprKind::Call(_, args) => args.iter().for_each(read),
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
            | ExprKind::PreviousScore
            | ExprKind::PreviousRank
            | ExprKind::HasPrevious => false,
            ExprKind::Previous(x) => r(x),
            ExprKind::Let(l) => lets.get(*l).is_some_and(|d| r(&d.expr)),
            ExprKind::Const(_) | ExprKind::Input(_) | ExprKind::Base => false,
            ExprKind::Neg(x) | ExprKind::Not(x) => r(x),
            ExprKind::Binary(_, a, b) => r(a) || r(b),
            ExprKind::Call(_, args) => args.iter().any(r),
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

impl Policy {
    pub fn kind_id(&self, name: &str) -> Option<KindId> {
        self.kinds
            .iter()
            .position(|k| k.name == name || k.label.as_deref() == Some(name))
    }

    pub fn input_id(&self, name: &str) -> Option<InputId> {
        self.inputs.iter().position(|i| i.name == name)
    }

    /// Per input, whether a unit of `kind` needs it (every input without a
    /// kind): read by a rule or condition of a node that applies to the
    /// kind, by a part, a veto or a peer statistic, or deciding whether such
    /// an input is collected. Text inputs are always asked for.
    pub fn inputs_needed(&self, kind: Option<KindId>) -> Vec<bool> {
        let Some(k) = kind.filter(|_| !self.kinds.is_empty()) else {
            return vec![true; self.inputs.len()];
        };
        let applies = |mask: u64| mask >> k & 1 == 1;
        let mut exprs: Vec<&Expr> = Vec::new();
        for node in self.nodes.iter().filter(|n| applies(n.kinds)) {
            exprs.extend(node.rule.as_ref().map(|r| &r.expr));
            exprs.extend(node.when.as_ref());
        }
        for part in &self.parts {
            exprs.extend(part.gate.as_ref());
            for item in part.items.iter().filter(|i| applies(i.kinds)) {
                exprs.push(&item.rule.expr);
                exprs.extend(item.when.as_ref());
            }
        }
        exprs.extend(self.vetoes.iter().map(|v| &v.condition));
        // Peer statistics are computed over every unit.
        exprs.extend(self.peers.iter().map(|p| &p.arg));
        let mut read = Vec::new();
        for e in exprs {
            e.inputs_read(&self.lets, &mut read);
        }
        let mut i = 0;
        while let Some(&id) = read.get(i) {
            if let Some(when) = self.inputs.get(id).and_then(|x| x.when.as_ref()) {
                when.inputs_read(&self.lets, &mut read);
            }
            i += 1;
        }
        self.inputs
            .iter()
            .enumerate()
            .map(|(id, input)| input.ty == InputType::Text || read.contains(&id))
            .collect()
    }

    /// The input read from a data column.
    pub fn input_of_column(&self, column: &str) -> Option<InputId> {
        self.inputs.iter().position(|i| i.column == column)
    }
}
