//! The indicator tree: sizes and totals at every level, applicability
//! (`for`), eligibility (`when`), not-applicable rules, and each item's rule.
//! Builds the pre-order arena of [`ir::Node`]s with absolute points.

use super::expr::{Scope, Ty};
use super::header::Settings;
use super::{Checker, names};
use crate::diagnostics::Diagnostic;
use crate::ir::{self, NodeId, NotApplicable, RuleMode};
use crate::num::Num;
use crate::source::Span;
use crate::syntax::ast::{self, NaRule, NodeBody, Size};
use std::collections::HashMap;

pub const POINTS_DO_NOT_SUM: &str = "zhibiao::check::points_do_not_sum";
pub const MIXED_WEIGHTS: &str = "zhibiao::check::mixed_weights";
pub const EMPTY_GROUP: &str = "zhibiao::check::empty_group";
pub const NO_NA_RULE: &str = "zhibiao::check::no_not_applicable_rule";
pub const DUPLICATE_CODE: &str = "zhibiao::check::duplicate_code";
pub const GROUP_NEEDS_POINTS: &str = "zhibiao::check::group_needs_points";
pub const BAD_BY_KIND: &str = "zhibiao::check::bad_by_kind";

/// What a node passes down to its children.
#[derive(Clone, Copy)]
struct Context {
    id: NodeId,
    depth: usize,
    kinds: u64,
    /// The rule in force, if any was stated above.
    na: Option<NotApplicable>,
    /// What the children's points must add up to (any one of them).
    targets: [Option<Num>; 2],
    points: Num,
    span: Span,
    /// The change that last changed this node (in a derived policy).
    changed: Option<Span>,
    /// Each kind has its own children (`by_kind`).
    by_kind: bool,
}

struct Builder {
    nodes: Vec<ir::Node>,
    codes: HashMap<String, Span>,
}

impl Checker {
    pub(super) fn tree(&mut self, file: &ast::File, s: &Settings) -> Vec<ir::Node> {
        let header_span = file.header.first().map(|h| h.name.span).unwrap_or_default();
        let na = s.not_applicable.map(|r| na_rule(r, 0));
        let mut b = Builder {
            nodes: Vec::new(),
            codes: HashMap::new(),
        };
        b.nodes.push(ir::Node {
            name: s.name.clone(),
            code: None,
            path: String::new(),
            description: None,
            depth: 0,
            parent: None,
            children: Vec::new(),
            end: 1,
            points: s.total,
            kinds: u64::MAX,
            when: None,
            not_applicable: na.unwrap_or(NotApplicable::Zero),
            rescale_scope: s.not_applicable == Some(NaRule::Rescale),
            fail_below: None,
            aggregate: ir::Aggregate::Arithmetic,
            by_kind: false,
            rule: None,
            span: header_span,
            changed: None,
        });
        let root = Context {
            id: 0,
            depth: 0,
            kinds: u64::MAX,
            na,
            // Without a header there is no declared total to check against.
            targets: [file.header.first().map(|_| s.total), None],
            points: s.total,
            span: header_span,
            changed: None,
            by_kind: false,
        };
        if file.tree.is_empty() {
            self.report(
                Diagnostic::error(EMPTY_GROUP, "the policy has no indicators")
                    .label(header_span, "this policy")
                    .help("add the tree: `category 名称 30 { item 名称 5 score ... }` (类别 / 指标 / 评分项)"),
            );
        }
        self.children(&mut b, &root, &file.tree);
        let end = b.nodes.len();
        if let Some(r) = b.nodes.first_mut() {
            r.end = end;
        }
        b.nodes
    }

    fn children(&mut self, b: &mut Builder, parent: &Context, children: &[ast::Node]) {
        let factor = if parent.by_kind {
            self.sizes_by_kind(parent, children)
        } else {
            self.sizes(parent, children)
        };
        self.repeated("indicator", children.iter().map(|c| &c.name));
        for child in children {
            let points = match child.size.map(|s| s.value) {
                Some(Size::Percent(p)) => share(parent.points, p),
                Some(Size::Points(p)) => p.checked_mul(factor).unwrap_or_default(),
                None => declared_points(child)
                    .unwrap_or_default()
                    .checked_mul(factor)
                    .unwrap_or_default(),
            };
            self.node(b, parent, child, points, factor);
        }
    }

    /// Checks that the children's sizes add up; returns the factor from
    /// their declared points to absolute points.
    fn sizes(&mut self, parent: &Context, children: &[ast::Node]) -> Num {
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
    fn sizes_by_kind(&mut self, parent: &Context, children: &[ast::Node]) -> Num {
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
                .map(|(c, _)| c)
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
                    &rows.into_iter().cloned().collect::<Vec<_>>(),
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

    fn node(&mut self, b: &mut Builder, parent: &Context, n: &ast::Node, points: Num, factor: Num) {
        let id = b.nodes.len();
        let kinds = parent.kinds & self.kind_mask(&n.kinds);
        let own_na = n.na.map(|r| na_rule(r.value, id));
        // The rule in force for the children ...
        let na = own_na.or(parent.na);
        // ... and for the node itself: a node cannot rescale itself, so when
        // a node that rescales its children does not apply, the rule above
        // it holds.
        let own_rule = match own_na {
            Some(NotApplicable::Rescale { .. }) => parent.na,
            _ => na,
        };
        // In a `by_kind` group, a child for some kinds is simply not a row
        // of the others: only a `when` makes it not apply.
        if own_rule.is_none() && !(parent.by_kind && n.when.is_none()) {
            self.needs_na_rule(n);
        }
        let when = n.when.as_ref().map(|w| self.condition(w, Scope::RULE));
        let path = match b.nodes.get(parent.id) {
            Some(p) if !p.path.is_empty() => format!("{}/{}", p.path, n.name.value),
            _ => n.name.value.clone(),
        };
        if let Some(code) = &n.code
            && let Some(first) = b.codes.insert(code.value.clone(), code.span)
        {
            self.report(
                Diagnostic::error(
                    DUPLICATE_CODE,
                    format!("row code `#{}` is used twice", code.value),
                )
                .label(code.span, "used again here")
                .label(first, "first used here")
                .help(
                    "row numbers and codes identify a row in results and diffs: keep them unique",
                ),
            );
        }
        let fail_below = n.fail_below.map(|f| match f.value {
            Size::Percent(p) => share(points, p),
            Size::Points(p) => p.checked_mul(factor).unwrap_or_default(),
        });
        if let (Some(span), NodeBody::Item(_)) = (n.by_kind, &n.body) {
            self.report(
                Diagnostic::error(BAD_BY_KIND, "an item has no rows to give by kind")
                    .label(span, "on an item")
                    .help("put `by_kind` on the group whose rows differ by kind, and `for KIND` on each row"),
            );
        }
        let rule = match &n.body {
            NodeBody::Item(rule) => Some(self.item_rule(n, rule).with_bands(points)),
            NodeBody::Group(_) => None,
        };
        // A child that states no rule of its own follows `na`, the rule in
        // force here (`rescale` at this node only rescales, it drops the child).
        let zero_when_na = |c: &ast::Node| {
            let own = c.na.map(|r| na_rule(r.value, id));
            super::aggregate::counts_as_zero(own.or(na))
        };
        let aggregate = self.aggregate(n, &zero_when_na);
        b.nodes.push(ir::Node {
            name: n.name.value.clone(),
            code: n.code.as_ref().map(|c| c.value.clone()),
            path,
            description: n.description.clone(),
            depth: parent.depth + 1,
            parent: Some(parent.id),
            children: Vec::new(),
            end: id + 1,
            points,
            kinds,
            when,
            not_applicable: own_rule.unwrap_or(NotApplicable::Zero),
            rescale_scope: matches!(own_na, Some(NotApplicable::Rescale { .. })),
            fail_below,
            aggregate,
            by_kind: n.by_kind.is_some(),
            rule,
            span: n.name.span,
            changed: n.changed,
        });
        if let Some(p) = b.nodes.get_mut(parent.id) {
            p.children.push(id);
        }
        if let NodeBody::Group(children) = &n.body {
            if children.is_empty() {
                self.report(
                    Diagnostic::error(EMPTY_GROUP, format!("`{}` has no items", n.name.value))
                        .label(n.name.span, "empty")
                        .help("add items to it, or make it an `item` with a rule"),
                );
            }
            let targets = match n.size.map(|s| s.value) {
                Some(Size::Points(p)) => [Some(p), None],
                Some(Size::Percent(_)) => [Some(points), Some(Num::ONE_HUNDRED)],
                None => [None, None],
            };
            let cx = Context {
                id,
                depth: parent.depth + 1,
                kinds,
                na,
                targets,
                points,
                span: n.name.span,
                changed: n.changed,
                by_kind: n.by_kind.is_some(),
            };
            self.children(b, &cx, children);
            let end = b.nodes.len();
            if let Some(me) = b.nodes.get_mut(id) {
                me.end = end;
            }
        }
    }

    fn needs_na_rule(&mut self, n: &ast::Node) {
        let clause = n
            .when
            .as_ref()
            .map(|w| w.span)
            .or_else(|| n.kinds.first().map(|k| k.span));
        if let Some(span) = clause {
            self.report(
                Diagnostic::error(NO_NA_RULE, format!("nothing says what happens when `{}` does not apply", n.name.value))
                    .label(span, "may not apply to every unit")
                    .help("state it in the header (`not_applicable rescale`, 不适用 折算) or on this node: rescale, redistribute even|proportional, full_marks, zero, exclude"),
            );
        }
    }

    /// The kinds named, as a mask (all kinds when none is named); unknown
    /// names are left out without a word (see [`Checker::kind_mask`]).
    fn known_kinds(&self, kinds: &[ast::Name]) -> u64 {
        if kinds.is_empty() {
            return u64::MAX;
        }
        kinds
            .iter()
            .filter_map(|k| self.kind_index(&k.value))
            .filter(|i| *i < 64)
            .fold(0, |mask, i| mask | 1 << i)
    }

    fn kind_index(&self, name: &str) -> Option<usize> {
        self.kinds
            .iter()
            .position(|d| d.name == name || d.label.as_deref() == Some(name))
    }

    pub(super) fn kind_mask(&mut self, kinds: &[ast::Name]) -> u64 {
        if kinds.is_empty() {
            return u64::MAX;
        }
        let mut mask = 0u64;
        for k in kinds {
            match self.kind_index(&k.value) {
                Some(i) if i < 64 => mask |= 1 << i,
                _ => {
                    let candidates: Vec<String> =
                        self.kinds.iter().map(|d| d.name.clone()).collect();
                    let d = names::unknown(
                        "kind of unit",
                        &k.value,
                        k.span,
                        candidates.iter().map(String::as_str),
                    );
                    self.report(d);
                }
            }
        }
        mask
    }

    pub(super) fn item_rule(&mut self, n: &ast::Node, rule: &ast::Rule) -> ir::Rule {
        let declared = match n.size.map(|s| s.value) {
            Some(Size::Points(p) | Size::Percent(p)) => p,
            None => Num::ZERO,
        };
        let (mode, want) = match rule.mode {
            ast::RuleMode::Score => (RuleMode::Score, "a `score` rule (a rate from 0 to 1)"),
            ast::RuleMode::Points => (RuleMode::Points, "a `points` rule"),
        };
        let (expr, ty) = self.expr(&rule.expr, Scope::RULE);
        let expr = match ty {
            Ty::Number | Ty::Error => expr,
            // A yes/no: full points or none (the evaluator reads the bool).
            Ty::Bool if mode == RuleMode::Score => expr,
            other => {
                let what = if mode == RuleMode::Score {
                    "a number or yes/no"
                } else {
                    "a number"
                };
                let got = match other {
                    Ty::Bool => "yes/no",
                    Ty::Choice(_) => "a choice",
                    Ty::Set(_) => "a set",
                    _ => "text",
                };
                self.report(
                    Diagnostic::error(super::expr::TYPE_MISMATCH, format!("{want} must give {what}"))
                        .label(rule.expr.span, format!("this is {got}"))
                        .help("map a choice with `match 规划 { 全部 => 1, 部分 => 0.5, 无 => 0 }`; count a set with `count(...)`; a yes/no gives full points with `score`"),
                );
                expr
            }
        };
        ir::Rule {
            mode,
            expr,
            declared,
            bands: None,
        }
    }
}

fn na_rule(rule: NaRule, scope: NodeId) -> NotApplicable {
    match rule {
        NaRule::Rescale => NotApplicable::Rescale { scope },
        NaRule::Redistribute { proportional } => NotApplicable::Redistribute { proportional },
        NaRule::FullMarks => NotApplicable::FullMarks,
        NaRule::Zero => NotApplicable::Zero,
        NaRule::Exclude => NotApplicable::Exclude,
    }
}

/// `percent`% of `points`.
fn share(points: Num, percent: Num) -> Num {
    points
        .checked_mul(percent)
        .map_or(Num::ZERO, |x| x / Num::ONE_HUNDRED)
}

/// A node's points as written, or for a group without them, its children's.
fn declared_points(n: &ast::Node) -> Option<Num> {
    match (n.size.map(|s| s.value), &n.body) {
        (Some(Size::Points(p)), _) => Some(p),
        (Some(Size::Percent(_)), _) => None,
        (None, NodeBody::Group(children)) => children.iter().map(declared_points).sum(),
        (None, NodeBody::Item(_)) => None,
    }
}

fn sum_mismatch(
    parent: &Context,
    children: &[ast::Node],
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
            Some(Size::Points(p)) => format!("{} {}", c.name.value, p),
            Some(Size::Percent(p)) => format!("{} {}%", c.name.value, p),
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
