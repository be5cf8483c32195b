//! The indicator tree's nodes: points, applicability, not-applicable
//! rules, fail lines, and each item's rule and how its value becomes points.

use super::{Aggregate, Expr, ExprKind, NodeId, Value};
use crate::num::Num;
use crate::source::Span;
use crate::syntax::ast::Interval;

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
    /// The least points as declared: below zero for a signed item (`-1..1`).
    pub floor: Num,
    /// A bonus or deduction item with no maximum (`uncapped`).
    pub uncapped: bool,
    /// The item's points for each band, worked out once when the rule is
    /// `bands` with constant values: the value it bands, and the table.
    pub bands: Option<(Expr, Vec<(Interval, Num)>)>,
}

impl Rule {
    /// The item's points from the rule's value: a rate clamped to [0, 1] of
    /// `points`, or points clamped to [floor, declared] (at least 0 when
    /// uncapped) and scaled to `points`.
    pub fn points_for(&self, x: Num, points: Num) -> Num {
        match self.mode {
            RuleMode::Score if x.is_negative() || x.is_zero() => Num::ZERO,
            RuleMode::Score if x >= Num::ONE => points,
            RuleMode::Score => x * points,
            RuleMode::Points if self.uncapped => x.max(Num::ZERO),
            RuleMode::Points if x < self.floor => self.scaled(self.floor, points),
            RuleMode::Points if self.declared.is_zero() && !x.is_negative() => Num::ZERO,
            RuleMode::Points => self.scaled(x.min(self.declared), points),
        }
    }

    /// Declared points `x` in the item's points.
    fn scaled(&self, x: Num, points: Num) -> Num {
        if self.declared == points || self.declared.is_zero() {
            x
        } else {
            x * points / self.declared
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
    pub fail_below: Option<FailLine>,
    /// How a group combines its children's rates.
    pub aggregate: Aggregate,
    /// Each kind of unit has its own children here (`by_kind`): a child
    /// not for the unit's kind is simply not one of its rows.
    pub by_kind: bool,
    /// A side total: scored and shown, read by other rules, but not
    /// counted in its parent.
    pub side: bool,
    /// The row's target value (目标值) and how it is written (`95%`).
    pub target: Option<(Num, String)>,
    /// Points taken from the whole group (`minus`), in its declared points,
    /// and the factor from those to its absolute points.
    pub minus: Option<(Expr, Num)>,
    /// `Some` for an item (a leaf with a rule).
    pub rule: Option<Rule>,
    /// The node's name where it was declared (in any file of the chain).
    pub span: Span,
    /// The change that last changed it, in a policy extending that one.
    pub changed: Option<Span>,
}

/// A node's fail line (`fail_below`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailLine {
    /// Below these points (in points of the whole policy).
    Points(Num),
    /// Below this share of the node's maximum for the unit (`60%`), which
    /// rescaling does not change.
    Share(Num),
}

impl FailLine {
    /// Whether a node scoring `score` of `max` is below the line.
    pub fn fails(self, score: Num, max: Num) -> bool {
        match self {
            FailLine::Points(p) => score < p,
            FailLine::Share(s) => !max.is_zero() && score < s * max,
        }
    }
}

impl std::fmt::Display for FailLine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FailLine::Points(p) => write!(f, "{p}"),
            FailLine::Share(s) => write!(f, "{}%", *s * Num::ONE_HUNDRED),
        }
    }
}

impl Node {
    /// A heading as tables have one: a group with no points and no rows.
    pub fn is_heading(&self) -> bool {
        self.rule.is_none() && self.children.is_empty()
    }
}
