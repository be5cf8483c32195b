//! Sizes in the tree: children's points or weights add up to their group's
//! (for every kind, in a group with rows by kind), and each node's absolute
//! points.

use super::Checker;
use crate::diagnostics::Diagnostic;
use crate::ir::{NodeId, NotApplicable};
use crate::num::Num;
use crate::source::Span;
use crate::syntax::ast::Weights;
use crate::syntax::ast::{self, NodeBody, Size};

pub const POINTS_DO_NOT_SUM: &str = "zhibiao::check::points_do_not_sum";
pub const MIXED_WEIGHTS: &str = "zhibiao::check::mixed_weights";
pub const GROUP_NEEDS_POINTS: &str = "zhibiao::check::group_needs_points";
pub const BAD_BY_KIND: &str = "zhibiao::check::bad_by_kind";
pub const BAD_SIZE: &str = "zhibiao::check::bad_size";

/// What a node passes down to its children.
#[derive(Clone, Copy)]
pub(super) struct Context {
    pub(super) id: NodeId,
    pub(super) depth: usize,
    pub(super) kinds: u64,
    /// The rule in force, if any was stated above.
    pub(super) na: Option<NotApplicable>,
    /// What the children's points must add up to (any one of them).
    pub(super) targets: [Option<Num>; 2],
    pub(super) points: Num,
    pub(super) span: Span,
    /// The change that last changed this node (in a derived policy).
    pub(super) changed: Option<Span>,
    /// Each kind has its own children (`by_kind`).
    pub(super) by_kind: bool,
    /// How the children's sizes read (`weights equal|relative`).
    pub(super) weights: Option<Weights>,
}

impl Checker {
    /// A range of points or `uncapped` only where it means something: a
    /// range on an item of the tree whose rule gives points, from a
    /// negative least to its most; `uncapped` on a bonus or deduction item
    /// whose rule gives points.
    pub(super) fn check_size(&mut self, n: &ast::Node, in_part: bool) {
        let Some(size) = n.size else {
            return;
        };
        let item = matches!(n.body, NodeBody::Item(_));
        let gives_points = matches!(&n.body, NodeBody::Item(r) if r.mode == ast::RuleMode::Points);
        let problem = match size.value {
            Size::Range(..) if in_part => Some((
                "a bonus or deduction item cannot have a range of points",
                "a deduction part takes points away already: give the item its most, e.g. `item 通报 5 points 1 * 通报次数`",
            )),
            Size::Range(..) if !item => Some((
                "a group's points come from its rows",
                "give the range to the items that can take points away, e.g. `item 实行情况 -1..1 points ...`",
            )),
            Size::Range(lo, hi) if !lo.is_negative() || hi.is_negative() => Some((
                "a range of points runs from a negative least to the most",
                "write the least below zero and the most at or above it, e.g. `-1..1` (实行得1分，未实行扣1分)",
            )),
            Size::Range(..) if !gives_points => Some((
                "an item with a range of points needs a `points` rule",
                "a rate cannot be negative: write the rule as points, e.g. `points if 实行 then 1 else -1`",
            )),
            Size::Uncapped if !in_part => Some((
                "only a bonus or deduction item can be uncapped",
                "the points of the tree must add up: give the item its points",
            )),
            Size::Uncapped if !gives_points => Some((
                "an uncapped item needs a `points` rule",
                "a rate of no maximum means nothing: write the points it adds or takes, e.g. `points 1 * 通报次数`",
            )),
            _ => None,
        };
        if let Some((message, help)) = problem {
            self.report(
                Diagnostic::error(BAD_SIZE, message)
                    .label(size.span, "here")
                    .help(help),
            );
        }
    }

    /// Checks that the children's sizes add up; returns the factor from
    /// their declared points to absolute points.
    /// `weights equal`: the children state no points, each has the same
    /// share of the group's; returns that share.
    pub(super) fn equal_weights(&mut self, parent: &Context, children: &[ast::Node]) -> Num {
        self.weights_need_points(parent);
        let counted: Vec<&ast::Node> = counted(children).collect();
        for child in &counted {
            if let Some(size) = child.size {
                self.report(
                    Diagnostic::error(BAD_SIZE, "children weighted equally state no points")
                        .label(size.span, "points of its own")
                        .help("leave the points out (each child gets the same share), or weigh the children by their points: `weights relative`"),
                );
            }
            if matches!(&child.body, NodeBody::Item(r) if r.mode == ast::RuleMode::Points) {
                self.report(
                    Diagnostic::error(BAD_SIZE, "an item weighted equally gives a rate")
                        .label(child.name.span, "has a `points` rule")
                        .help("write its rule with `score` (a rate from 0 to 1 of its share)"),
                );
            }
        }
        let n = Num::from(counted.len());
        parent.points.checked_div(n).unwrap_or(Num::ZERO)
    }

    /// `weights relative`: the children's points are weights, normalised
    /// to the group's points; returns the factor.
    pub(super) fn relative_weights(&mut self, parent: &Context, children: &[ast::Node]) -> Num {
        self.weights_need_points(parent);
        let mut sum = Num::ZERO;
        for child in counted(children) {
            match child.size.map(|s| s.value) {
                Some(Size::Points(p)) => sum += p,
                _ => self.report(
                    Diagnostic::error(BAD_SIZE, format!("`{}` needs a weight", child.name.value))
                        .label(child.size.map_or(child.name.span, |s| s.span), "children weighted relatively state a number")
                        .help("give each child its relative weight, e.g. `item 网络覆盖 1 score ...`; they are normalised to the group's points"),
                ),
            }
        }
        if sum.is_zero() {
            return Num::ONE;
        }
        parent.points.checked_div(sum).unwrap_or(Num::ONE)
    }

    /// The points weighted children share must be stated.
    fn weights_need_points(&mut self, parent: &Context) {
        if parent.targets.iter().all(Option::is_none) {
            self.report(
                Diagnostic::error(GROUP_NEEDS_POINTS, "a group that weighs its children needs its points")
                    .label(parent.span, "the children share its points")
                    .help("write the group's points after its name, e.g. `category 名称 30 weights equal { ... }`"),
            );
        }
    }

    pub(super) fn sizes(&mut self, parent: &Context, children: &[ast::Node]) -> Num {
        // Side totals do not count in their parent.
        let children: Vec<&ast::Node> = counted(children).collect();
        let children = &children[..];
        let percents: Vec<Num> = children
            .iter()
            .filter_map(|c| match c.size.map(|s| s.value) {
                Some(Size::Percent(p)) => Some(p),
                _ => None,
            })
            .collect();
        if !percents.is_empty() && percents.len() < children.len() {
            let span = children.iter().fold(
                children.first().map(|c| c.span).unwrap_or_default(),
                |acc, c| acc.to(c.name.span),
            );
            self.report(
                Diagnostic::error(MIXED_WEIGHTS, "siblings mix percentage weights and points")
                    .label(span, "some children have %, others points")
                    .help("give all children of one node either percentages (adding up to 100%) or points"),
            );
            return Num::ONE;
        }
        if !percents.is_empty() {
            let sum: Num = percents.iter().sum();
            if sum != Num::ONE_HUNDRED && !children.is_empty() {
                self.report(sum_mismatch(
                    parent,
                    children,
                    format!("{}%", sum),
                    "100%",
                    sum - Num::ONE_HUNDRED,
                    "%",
                ));
            }
            return Num::ONE;
        }
        let mut sum = Num::ZERO;
        for child in children {
            match declared_points(child) {
                Some(p) => sum += p,
                None if matches!(child.body, NodeBody::Item(_)) => {
                    self.report(
                        Diagnostic::error(BAD_SIZE, format!("`{}` needs its points", child.name.value))
                            .label(child.name.span, "no points")
                            .help("write its points after its name (`item 名称 5 score ...`), or weigh the group's children equally: `weights equal`"),
                    );
                    return Num::ONE;
                }
                None => {
                    self.report(
                        Diagnostic::error(GROUP_NEEDS_POINTS, format!("`{}` needs its points", child.name.value))
                            .label(child.name.span, "its children have percentage weights")
                            .help("write the group's points after its name, e.g. `category 名称 30 { ... }`"),
                    );
                    return Num::ONE;
                }
            }
        }
        let accepted = parent.targets.iter().flatten().find(|t| **t == sum);
        match (accepted, parent.targets) {
            (Some(_), _) | (None, [None, None]) if !sum.is_zero() => {
                parent.points.checked_div(sum).unwrap_or(Num::ONE)
            }
            (None, [Some(want), _]) if !children.is_empty() => {
                self.report(sum_mismatch(
                    parent,
                    children,
                    sum.to_string(),
                    &want.to_string(),
                    sum - want,
                    " points",
                ));
                Num::ONE
            }
            _ => Num::ONE,
        }
    }

    /// Checks that, for every kind the group applies to, the children for
    /// that kind add up to the group's points; returns the factor from
    /// their declared points to absolute points.
    pub(super) fn sizes_by_kind(&mut self, parent: &Context, children: &[ast::Node]) -> Num {
        let children: Vec<&ast::Node> = counted(children).collect();
        let Some(want) = parent.targets.first().copied().flatten() else {
            self.report(
                Diagnostic::error(BAD_BY_KIND, "a group with rows by kind needs its points")
                    .label(parent.span, "the rows of each kind must add up to them")
                    .help("write the group's points after its name: `category 个性指标 60 by_kind { ... }`"),
            );
            return Num::ONE;
        };
        if self.kinds.is_empty() {
            self.report(
                Diagnostic::error(BAD_BY_KIND, "`by_kind` needs kinds of unit")
                    .label(parent.span, "has rows by kind")
                    .help("declare the kinds in the header: `kinds 水利局, 林业局` (单位类型), and give each row `for 水利局`"),
            );
            return Num::ONE;
        }
        // A child's size in the group's points.
        let size = |c: &ast::Node| match c.size.map(|s| s.value) {
            Some(Size::Percent(p)) => Some(want * p / Num::ONE_HUNDRED),
            _ => declared_points(c),
        };
        let masks: Vec<u64> = children
            .iter()
            .map(|c| self.known_kinds(&c.kinds))
            .collect();
        let kinds: Vec<(usize, String)> = (self.kinds.iter().enumerate())
            .filter(|(k, _)| *k < 64 && parent.kinds >> k & 1 == 1)
            .map(|(k, d)| (k, d.label.clone().unwrap_or_else(|| d.name.clone())))
            .collect();
        for (k, kind) in kinds {
            let rows: Vec<&ast::Node> = (children.iter().zip(&masks))
                .filter(|(_, m)| *m >> k & 1 == 1)
                .map(|(c, _)| *c)
                .collect();
            let sum: Num = rows.iter().filter_map(|c| size(c)).sum();
            if rows.is_empty() {
                self.report(
                    Diagnostic::error(POINTS_DO_NOT_SUM, format!("for {kind}: no row of the group is for it (its rows must come to {want} points)"))
                        .label(parent.span, format!("declares {want}"))
                        .help(format!("give {kind} its rows with `for {kind}`, or leave it out of the group with `for` on the group")),
                );
            } else if sum != want {
                let mut d = sum_mismatch(
                    parent,
                    &rows,
                    sum.to_string(),
                    &want.to_string(),
                    sum - want,
                    " points",
                );
                d.message = format!("for {kind}: {}", d.message);
                self.report(d);
            }
        }
        parent.points.checked_div(want).unwrap_or(Num::ONE)
    }
}

/// `percent`% of `points`.
pub(super) fn share(points: Num, percent: Num) -> Num {
    points
        .checked_mul(percent)
        .map_or(Num::ZERO, |x| x / Num::ONE_HUNDRED)
}

/// A node's points as written, or for a group without them, its children's.
pub(super) fn declared_points(n: &ast::Node) -> Option<Num> {
    match (n.size.map(|s| s.value), &n.body) {
        // Reported where it stands (`check_size`): counts nothing here.
        (Some(Size::Uncapped), _) => Some(Num::ZERO),
        (Some(size), _) => size.most(),
        (None, NodeBody::Group(children)) => counted(children).map(declared_points).sum(),
        (None, NodeBody::Item(_)) => None,
    }
}

/// The children that count in their parent (all but side totals).
pub(super) fn counted(children: &[ast::Node]) -> impl Iterator<Item = &ast::Node> {
    children.iter().filter(|c| c.side.is_none())
}

fn sum_mismatch(
    parent: &Context,
    children: &[&ast::Node],
    got: String,
    want: &str,
    diff: Num,
    unit: &str,
) -> Diagnostic {
    let by = if diff > Num::ZERO {
        format!("{}{unit} too many", diff)
    } else {
        format!("{}{unit} short", (-diff))
    };
    let listing: Vec<String> = children
        .iter()
        .map(|c| match c.size.map(|s| s.value) {
            Some(size) => format!("{} {}", c.name.value, crate::syntax::print::size(size)),
            None => format!(
                "{} {}",
                c.name.value,
                declared_points(c).unwrap_or_default()
            ),
        })
        .collect();
    let mut d = Diagnostic::error(
        POINTS_DO_NOT_SUM,
        format!("the children add up to {got}, not {want} ({by})"),
    )
    .label(parent.span, format!("declares {want}"))
    .help(format!("the children are: {}", listing.join(", ")));
    // In a derived policy, point also at the changes that led here.
    for changed in parent
        .changed
        .iter()
        .chain(children.iter().filter_map(|c| c.changed.as_ref()))
    {
        d = d.label(*changed, "changed here");
    }
    d
}
