//! What no test exercised: items never scored, conditional nodes never
//! found not applicable, arms and bands never taken, bonus and deduction
//! items that never gave points, vetoes that never fired.

use super::Outcome;
use crate::eval::{Status, VetoHit};
use crate::ir::Policy;
use crate::source::Span;
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum What {
    /// An item no test scored.
    Item,
    /// A node with `for` or `when` that no test found not applicable.
    NotApplicable,
    /// An arm of `match` or a band of `bands` no test took.
    Branch,
    /// A bonus or deduction item that gave no test any points.
    PartItem,
    Veto,
}

impl What {
    pub const ALL: [What; 5] = [
        What::Item,
        What::NotApplicable,
        What::Branch,
        What::PartItem,
        What::Veto,
    ];

    pub fn describe(self) -> &'static str {
        match self {
            What::Item => "items scored",
            What::NotApplicable => "not-applicable paths",
            What::Branch => "arms and bands taken",
            What::PartItem => "bonus and deduction items giving points",
            What::Veto => "vetoes fired",
        }
    }
}

/// Something that could be exercised, and whether a test did.
#[derive(Debug, Clone, Serialize)]
pub struct Gap {
    pub what: What,
    /// A node's path, a part item or veto's name (empty for a branch).
    pub subject: String,
    #[serde(skip)]
    pub span: Span,
    pub covered: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct Coverage {
    /// Everything that could be exercised, covered or not, in policy order.
    pub points: Vec<Gap>,
}

impl Coverage {
    /// (covered, total) of one kind.
    pub fn count(&self, what: What) -> (usize, usize) {
        let of = self.points.iter().filter(|g| g.what == what);
        (of.clone().filter(|g| g.covered).count(), of.count())
    }

    pub fn gaps(&self) -> impl Iterator<Item = &Gap> {
        self.points.iter().filter(|g| !g.covered)
    }
}

/// The coverage of `policy` by the outcomes of its tests.
pub fn coverage(policy: &Policy, outcomes: &[Outcome]) -> Coverage {
    // Every scored unit of every test.
    let scored: Vec<&crate::eval::UnitResult> = (outcomes.iter())
        .flat_map(|o| o.results.iter().flatten())
        .collect();
    let mut points = Vec::new();
    let mut point = |what, subject: &str, span, covered| {
        points.push(Gap {
            what,
            subject: subject.to_string(),
            span,
            covered,
        });
    };
    let taken: Vec<Span> = outcomes
        .iter()
        .flat_map(|o| o.taken.iter().copied())
        .collect();
    let mut branches = Vec::new();
    for (id, node) in policy.nodes.iter().enumerate() {
        let status = |id: usize| {
            scored
                .iter()
                .filter_map(move |r| r.nodes.get(id).map(|n: &crate::eval::NodeResult| n.status))
        };
        if let Some(rule) = &node.rule {
            let ever = status(id).any(|s| s != Status::NotApplicable);
            point(What::Item, &node.path, node.span, ever);
            rule.expr.branch_spans(&mut branches);
        }
        let parent_kinds = node
            .parent
            .and_then(|p| policy.nodes.get(p))
            .map_or(u64::MAX, |p| p.kinds);
        let conditional =
            node.when.is_some() || (!policy.kinds.is_empty() && node.kinds != parent_kinds);
        if conditional {
            let ever = status(id).any(|s| s == Status::NotApplicable);
            point(What::NotApplicable, &node.path, node.span, ever);
        }
    }
    for l in &policy.lets {
        l.expr.branch_spans(&mut branches);
    }
    for (p, part) in policy.parts.iter().enumerate() {
        for (i, item) in part.items.iter().enumerate() {
            item.rule.expr.branch_spans(&mut branches);
            let ever = scored.iter().any(|r| {
                r.parts
                    .get(p)
                    .and_then(|x| x.items.get(i).copied().flatten())
                    .is_some_and(|points| !points.is_zero())
            });
            let name = format!("{}/{}", part.name, item.name);
            point(What::PartItem, &name, item.rule.expr.span, ever);
        }
    }
    branches.sort();
    branches.dedup();
    for span in branches {
        point(What::Branch, "", span, taken.contains(&span));
    }
    for (v, veto) in policy.vetoes.iter().enumerate() {
        let ever = scored
            .iter()
            .any(|r| r.outcome.vetoes.contains(&VetoHit::Veto(v)));
        point(What::Veto, &veto.name, veto.condition.span, ever);
    }
    Coverage { points }
}
