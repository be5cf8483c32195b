//! The indicator tree: sizes and totals at every level, applicability
//! (`for`), eligibility (`when`), not-applicable rules, and each item's rule.
//! Builds the pre-order arena of [`ir::Node`]s with absolute points.

use super::header::Settings;
use super::sizes::BAD_BY_KIND;
use super::sizes::{Context, declared_points, share};
use super::types::{Scope, Ty};
use super::{Checker, names};
use crate::diagnostics::Diagnostic;
use crate::ir::{self, NodeId, NotApplicable, RuleMode};
use crate::num::Num;
use crate::source::Span;
use crate::syntax::ast::{self, NaRule, NodeBody, Size, Weights};
use crate::syntax::print;
use std::collections::HashMap;

pub const EMPTY_GROUP: &str = "zhibiao::check::empty_group";
pub const NO_NA_RULE: &str = "zhibiao::check::no_not_applicable_rule";
pub const DUPLICATE_CODE: &str = "zhibiao::check::duplicate_code";
pub const BAD_MINUS: &str = "zhibiao::check::bad_minus";

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
            fail_below: s.fail_below.map(|f| fail_line(f, Num::ONE)),
            aggregate: ir::Aggregate::Arithmetic,
            by_kind: false,
            side: false,
            target: None,
            minus: None,
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
            weights: None,
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
        let factor = match parent.weights {
            Some(Weights::Equal) => self.equal_weights(parent, children),
            Some(Weights::Relative) => self.relative_weights(parent, children),
            None if parent.by_kind => self.sizes_by_kind(parent, children),
            None => self.sizes(parent, children),
        };
        self.repeated("indicator", children.iter().map(|c| &c.name));
        for child in children {
            // A side total keeps its own scale: it is not part of the sum.
            let factor = if child.side.is_some() {
                Num::ONE
            } else {
                factor
            };
            let equal = parent.weights == Some(Weights::Equal) && child.side.is_none();
            let points = match child.size.map(|s| s.value) {
                _ if equal => factor,
                Some(Size::Percent(p)) => share(parent.points, p),
                Some(Size::Points(p) | Size::Range(_, p)) => {
                    p.checked_mul(factor).unwrap_or_default()
                }
                Some(Size::Uncapped) => Num::ZERO,
                None => declared_points(child)
                    .unwrap_or_default()
                    .checked_mul(factor)
                    .unwrap_or_default(),
            };
            self.node(b, parent, child, points, factor);
        }
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
        let fail_below = n.fail_below.map(|f| fail_line(f.value, factor));
        self.check_size(n, false);
        self.allow_on(n);
        if let (Some(span), NodeBody::Item(_)) = (n.by_kind, &n.body) {
            self.report(
                Diagnostic::error(BAD_BY_KIND, "an item has no rows to give by kind")
                    .label(span, "on an item")
                    .help("put `by_kind` on the group whose rows differ by kind, and `for KIND` on each row"),
            );
        }
        let target = n
            .target
            .map(|t| (target_value(t.value), print::size(t.value)));
        // `target` in the rule reads this row's target value.
        self.target = Some((target.as_ref().map(|t| t.0), n.name.value.clone()));
        let rule = match &n.body {
            NodeBody::Item(rule) => Some(self.item_rule(n, rule).with_bands(points)),
            NodeBody::Group(_) => None,
        };
        self.target = None;
        let minus = n.minus.as_ref().map(|m| self.minus(n, m, points));
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
            side: n.side.is_some(),
            target,
            minus,
            rule,
            span: n.name.span,
            changed: n.changed,
        });
        if let Some(p) = b.nodes.get_mut(parent.id) {
            p.children.push(id);
        }
        if let NodeBody::Group(children) = &n.body {
            // A group without points or rows is a heading, as tables have.
            if children.is_empty() && n.size.is_some() {
                self.report(
                    Diagnostic::error(EMPTY_GROUP, format!("`{}` has no items", n.name.value))
                        .label(n.name.span, "empty")
                        .help("add items to it, or make it an `item` with a rule; a heading with no rows states no points"),
                );
            }
            let targets = match n.size.map(|s| s.value) {
                Some(Size::Percent(_)) => [Some(points), Some(Num::ONE_HUNDRED)],
                Some(size) => [size.most(), None],
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
                weights: n.weights.map(|w| w.value),
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

    /// The lints a node allows, silenced over its text (its rows included).
    pub(super) fn allow_on(&mut self, n: &ast::Node) {
        for lint in self.known_lints(&n.allow) {
            self.allowed_in.push((n.span, lint));
        }
    }

    /// The kinds named, as a mask (all kinds when none is named); unknown
    /// names are left out without a word (see [`Checker::kind_mask`]).
    pub(super) fn known_kinds(&self, kinds: &[ast::Name]) -> u64 {
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
        let (declared, floor) = match n.size.map(|s| s.value) {
            Some(Size::Points(p) | Size::Percent(p)) => (p, Num::ZERO),
            Some(Size::Range(lo, hi)) => (hi, lo.min(Num::ZERO)),
            Some(Size::Uncapped) | None => (Num::ZERO, Num::ZERO),
        };
        let uncapped = matches!(n.size.map(|s| s.value), Some(Size::Uncapped));
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
                let help = if other == Ty::Bool {
                    format!(
                        "a yes/no is not a number of points: write `points if 条件 then {} else 0`, or `score 条件` for full points or none",
                        declared.max(Num::ONE)
                    )
                } else {
                    "map a choice with `match 规划 { 全部 => 1, 部分 => 0.5, 无 => 0 }`; count a set with `count(...)`; a yes/no gives full points with `score`".to_string()
                };
                self.report(
                    Diagnostic::error(
                        super::types::TYPE_MISMATCH,
                        format!("{want} must give {what}"),
                    )
                    .label(rule.expr.span, format!("this is {got}"))
                    .help(help),
                );
                expr
            }
        };
        ir::Rule {
            mode,
            expr,
            declared,
            floor,
            uncapped,
            bands: None,
        }
    }
}

impl Checker {
    /// The deduction on a whole group, and the factor from its declared
    /// points to its points.
    fn minus(&mut self, n: &ast::Node, m: &ast::Expr, points: Num) -> (ir::Expr, Num) {
        if matches!(n.body, NodeBody::Item(_)) {
            self.report(
                Diagnostic::error(BAD_MINUS, "`minus` takes points from a group of rows")
                    .label(m.span, "on an item")
                    .help("an item's own rule says how it loses points: `points 4 - 2 * 违法案例`; `minus` belongs on the group that holds the rows"),
            );
        }
        let expr = self.expect(m, Ty::Number, Scope::RULE, "a deduction (`minus`)");
        let declared = declared_points(n).unwrap_or(points);
        (expr, points.checked_div(declared).unwrap_or(Num::ONE))
    }
}

/// A fail line as written: a share of the node's maximum, or points (times
/// `factor`, from declared to absolute points).
fn fail_line(size: Size, factor: Num) -> ir::FailLine {
    match size {
        Size::Percent(p) => ir::FailLine::Share(p / Num::ONE_HUNDRED),
        other => ir::FailLine::Points(
            (other.most().unwrap_or_default())
                .checked_mul(factor)
                .unwrap_or_default(),
        ),
    }
}

/// A target as a value: `95%` is 0.95.
fn target_value(size: Size) -> Num {
    match size {
        Size::Percent(p) => p / Num::ONE_HUNDRED,
        other => other.most().unwrap_or_default(),
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
