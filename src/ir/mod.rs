//! The compiled policy (IR): what the checker produces and the evaluator runs.
//!
//! Names are resolved to integer ids once; the evaluator never looks a name
//! up. The indicator tree is a flat arena in pre-order, so a node's subtree is
//! the contiguous range `id..node.end`. Node 0 is the root (the whole policy);
//! every point value is absolute (percent weights are resolved here).

use crate::num::{Num, Rounding};
use crate::source::Span;
use crate::syntax::ast::Interval;
pub use crate::syntax::ast::{Aggregate, Compare, RankMethod};

mod expr;
mod parts;
mod tree;
mod uncertainty;

pub use expr::{BinaryOp, Expr, ExprKind, Func, Value};
pub use parts::{Funding, Grade, Part, PartItem, PartKind, Veto, VetoAction};
pub use tree::{FailLine, Node, NotApplicable, Rule, RuleMode, nodes_at};
pub use uncertainty::{Factor, FactorKind, Normalisation, Uncertainty};

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
    /// What gates, fail lines and grades compare. Unset: gates and fail
    /// lines the exact values, grades the rounded final score.
    pub compare: Option<Compare>,
    /// The data's own headers for the unit's id, name and kind.
    pub unit_columns: UnitColumns,
    /// Functions in rhai that rules call (`script`).
    pub scripts: Option<std::sync::Arc<crate::script::Scripts>>,
    /// Funding shared out by the evaluation (运维经费).
    pub funding: Option<Funding>,
    /// What `zhibiao sensitivity` varies (`uncertainty { ... }`).
    pub uncertainty: Option<Uncertainty>,
    /// Per kind (one row when the policy declares none): the inputs its
    /// units need (see [`Policy::inputs_needed`]), for `data_share()`.
    pub needed: Vec<Vec<bool>>,
}

/// The headers of the unit's id, name and kind in the data, where the
/// policy names them (`column id "country-code"`); else `id` (编号),
/// `name` (名称), `kind` (类型).
#[derive(Debug, Clone, Default)]
pub struct UnitColumns {
    pub id: Option<String>,
    pub name: Option<String>,
    pub kind: Option<String>,
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
    /// A tier by score: the least final score in it (the rounded score,
    /// unless the policy says `compare exact`).
    pub at_least: Option<Num>,
}

pub type PeerId = usize;

/// A statistic of an expression over a group of units (`mean(x) within kind`).
#[derive(Debug, Clone)]
pub struct Peer {
    pub stat: Stat,
    /// Reads inputs, derived values and other peer statistics (computed
    /// first: see [`peer_levels`]), never the previous period.
    pub arg: Expr,
    /// The constant second argument: the share `p` of `percentile(x, p)`,
    /// the `k` of `highest(x, k)` and `lowest(x, k)`, the most values
    /// `treat(x, n)` winsorises.
    pub param: Option<Num>,
    pub group: PeerGroup,
    pub span: Span,
    /// As written, the same however it is spelt (`mean(完成率)` for
    /// `平均( 完成率 )`): tests name a statistic by it.
    pub written: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stat {
    Mean,
    Median,
    Lowest,
    Highest,
    Rank,
    Percentile,
    /// `percentile(x, p)`: the value below which the share `p` of the
    /// group lies, interpolated linearly between the closest ranks.
    Quantile,
    MinMax,
    MinMaxLower,
    ZScore,
    GroupSize,
    /// Of the group: population moments, m3 / m2^(3/2).
    Skewness,
    /// Of the group: excess kurtosis, m4 / m2² − 3.
    Kurtosis,
    /// `treat(x, n)`: the unit's value after the group's outliers are
    /// treated (winsorised, at most `n` of them, or ln-transformed).
    Treated,
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
    Number {
        range: Option<(Num, Num)>,
    },
    Count,
    /// The range of a cell's value (0.85 for 85%); without one, 0 to 1.
    Percent {
        range: Option<(Num, Num)>,
    },
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
            InputType::Percent { range: None } => {
                "a percentage from 0 to 100, such as 85 or 85%".into()
            }
            InputType::Percent {
                range: Some((lo, hi)),
            } => format!(
                "a percentage from {} to {}, such as 85 or 85%",
                *lo * Num::ONE_HUNDRED,
                *hi * Num::ONE_HUNDRED
            ),
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
    /// `per`: the input its column's value is divided by (its type is the
    /// quotient's; the column holds a number).
    pub per: Option<InputId>,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct Let {
    pub name: String,
    pub expr: Expr,
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

    /// Every rule and condition of the nodes, parts and vetoes.
    fn rules(&self) -> impl Iterator<Item = &Expr> {
        let nodes = self.nodes.iter().flat_map(|n| {
            let minus = n.minus.as_ref().map(|m| &m.0);
            (n.rule.as_ref().map(|r| &r.expr).into_iter())
                .chain(n.when.as_ref())
                .chain(minus)
        });
        let parts = self.parts.iter().flat_map(|p| {
            let items = p
                .items
                .iter()
                .flat_map(|i| [Some(&i.rule.expr), i.when.as_ref()]);
            p.gate.as_ref().into_iter().chain(items.flatten())
        });
        let vetoes = self.vetoes.iter().map(|v| &v.condition);
        nodes.chain(parts).chain(vetoes)
    }

    /// Whether a rule, condition, part or veto reads a node's score itself
    /// (`node_score`, not in a peer statistic).
    pub fn reads_node_scores(&self) -> bool {
        self.rules().any(|e| e.reads_node_scores(&self.lets))
    }

    /// Whether anything reads the previous period.
    pub fn reads_previous(&self) -> bool {
        let peers = self.peers.iter().map(|p| &p.arg);
        self.rules()
            .chain(peers)
            .any(|e| e.reads_previous(&self.lets))
    }

    /// Whether anything reads last period's score or rank (so last period
    /// must be scored in full, not only read).
    pub fn reads_previous_results(&self) -> bool {
        let results = |k: &ExprKind| matches!(k, ExprKind::PreviousScore | ExprKind::PreviousRank);
        let peers = self.peers.iter().map(|p| &p.arg);
        self.rules()
            .chain(peers)
            .any(|e| e.reads(&self.lets, &results))
    }

    /// Per input, whether `previous(...)` reads it (directly or through a
    /// derived value, or as the denominator of one it reads).
    pub fn read_previously(&self) -> Vec<bool> {
        let found = std::cell::RefCell::new(Vec::new());
        let collect = |k: &ExprKind| {
            if let ExprKind::Previous(x) = k {
                x.inputs_read(&self.lets, &mut found.borrow_mut());
            }
            false
        };
        let peers = self.peers.iter().map(|p| &p.arg);
        let lets = self.lets.iter().map(|l| &l.expr);
        for e in self.rules().chain(peers).chain(lets) {
            e.reads(&self.lets, &collect);
        }
        let read = found.into_inner();
        // A quotient (`per`) is read with its denominator.
        let denominators = read.iter().filter_map(|i| self.inputs.get(*i)?.per);
        let read: Vec<InputId> = denominators.chain(read.iter().copied()).collect();
        (0..self.inputs.len()).map(|i| read.contains(&i)).collect()
    }

    /// Whether node `id` is, for a unit of `kind`, a row of another kind in
    /// a `by_kind` group: simply not one of its rows.
    pub fn other_kinds_row(&self, id: NodeId, kind: KindId) -> bool {
        self.nodes.get(id).is_some_and(|n| {
            let parent = n.parent.and_then(|p| self.nodes.get(p));
            parent.is_some_and(|p| p.by_kind) && n.kinds >> kind & 1 == 0
        })
    }

    /// Whether a veto keeps units from being scored (`=> not_scored`).
    pub fn vetoes_scoring(&self) -> bool {
        self.vetoes
            .iter()
            .any(|v| matches!(v.action, VetoAction::NotScored))
    }

    /// How results name a node's fail line: its path, or 基础分 (the base)
    /// for the whole tree's.
    pub fn fail_line_name(&self, id: NodeId) -> String {
        match self.nodes.get(id) {
            Some(n) if id > 0 => n.path.clone(),
            _ => "基础分".to_string(),
        }
    }

    /// The nodes with a `fail_below` line, in order.
    pub fn fail_lines(&self) -> Vec<NodeId> {
        (self.nodes.iter().enumerate())
            .filter(|(_, n)| n.fail_below.is_some())
            .map(|(id, _)| id)
            .collect()
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
            exprs.extend(node.minus.as_ref().map(|m| &m.0));
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

/// Per peer statistic: its level (0 when its argument reads no other
/// statistic, else one more than the highest level it reads, so a level is
/// computed after those below it) and whether it reads node scores, itself
/// or through the statistics it reads. The checker admits no cycle (a
/// statistic is made after those in its argument); should one appear, its
/// levels stop growing after as many passes as there are statistics.
pub fn peer_levels(peers: &[Peer], lets: &[Let]) -> Vec<(usize, bool)> {
    let reads: Vec<(Vec<PeerId>, bool)> = peers
        .iter()
        .map(|p| {
            // Never "found", so every part is visited.
            let found = std::cell::RefCell::new((Vec::new(), false));
            p.arg.reads(lets, &|k| {
                let mut found = found.borrow_mut();
                match k {
                    ExprKind::Peer(q) => found.0.push(*q),
                    ExprKind::NodeScore(_) => found.1 = true,
                    _ => {}
                }
                false
            });
            found.into_inner()
        })
        .collect();
    let mut levels: Vec<(usize, bool)> = reads.iter().map(|(_, n)| (0, *n)).collect();
    for _ in 0..peers.len() {
        let mut changed = false;
        for (p, (read, _)) in reads.iter().enumerate() {
            let (mut level, mut nodes) = levels.get(p).copied().unwrap_or_default();
            for q in read {
                let (l, n) = levels.get(*q).copied().unwrap_or_default();
                level = level.max(l + 1);
                nodes |= n;
            }
            if let Some(slot) = levels.get_mut(p)
                && *slot != (level, nodes)
            {
                *slot = (level, nodes);
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    levels
}
