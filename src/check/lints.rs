//! Lints: warnings that help authors. Each has a short name, which is also
//! the key that silences it (`allow unused_input` in the header).

use super::Checker;
use crate::diagnostics::Diagnostic;
use crate::ir;
use crate::syntax::ast;

pub const UNUSED_INPUT: &str = "zhibiao::lint::unused_input";
pub const UNUSED_LET: &str = "zhibiao::lint::unused_let";
pub const ZERO_POINTS: &str = "zhibiao::lint::zero_points";
pub const WHEN_ALWAYS_TRUE: &str = "zhibiao::lint::when_always_true";
pub const NEVER_FULL_MARKS: &str = "zhibiao::lint::never_full_marks";
pub const NEVER_ZERO: &str = "zhibiao::lint::never_zero";
pub const UNREACHABLE_BAND: &str = "zhibiao::lint::unreachable_band";
pub const DUPLICATE_RULE: &str = "zhibiao::lint::duplicate_rule";

/// Lints about what rules can give (and nodes left without points): held
/// back while the policy has errors, which they would only repeat.
pub const JUDGEMENTS: &[&str] = &[
    ZERO_POINTS,
    NEVER_FULL_MARKS,
    NEVER_ZERO,
    UNREACHABLE_BAND,
    DUPLICATE_RULE,
];

/// (name, what it finds)
pub const LINTS: &[(&str, &str)] = &[
    (
        "unused_input",
        "an input that no rule, condition or derived value reads",
    ),
    ("unused_let", "a derived value that nothing reads"),
    ("zero_points", "a node worth 0 points"),
    (
        "when_always_true",
        "a `when` that always holds, so the item is never 按需",
    ),
    (
        "never_full_marks",
        "an item whose rule gives less than its points for every value its inputs can take",
    ),
    (
        "never_zero",
        "an item whose rule gives some points for every value its inputs can take",
    ),
    (
        "unreachable_band",
        "a band of `bands` that no value of what it bands can fall in",
    ),
    (
        "duplicate_rule",
        "two items with the same rule for the same units, so one fact is scored twice",
    ),
];

impl Checker {
    pub(super) fn lints(&mut self, nodes: &[ir::Node]) {
        let unused: Vec<(String, crate::source::Span)> = self
            .inputs
            .iter()
            .zip(&self.used_inputs)
            // Text inputs are recorded for people, never scored.
            .filter(|(i, used)| !**used && i.ty != ir::InputType::Text)
            .map(|(i, _)| (i.name.clone(), i.span))
            .collect();
        for (name, span) in unused {
            self.report(
                Diagnostic::warning(UNUSED_INPUT, format!("input `{name}` is never used"))
                    .label(span, "declared here")
                    .help("use it in a rule, or remove it so the data template does not ask for it (silence with `allow unused_input`)"),
            );
        }
        let unused: Vec<(String, crate::source::Span)> = self
            .lets
            .iter()
            .zip(&self.used_lets)
            .zip(&self.let_spans)
            .filter(|((_, used), _)| !**used)
            .map(|((l, _), span)| (l.name.clone(), *span))
            .collect();
        for (name, span) in unused {
            self.report(
                Diagnostic::warning(UNUSED_LET, format!("derived value `{name}` is never used"))
                    .label(span, "declared here")
                    .help("use it in a rule or remove it (silence with `allow unused_let`)"),
            );
        }
        for node in (nodes.iter().skip(1)).filter(|n| n.points.is_zero() && !n.is_heading()) {
            self.report(
                Diagnostic::warning(ZERO_POINTS, format!("`{}` is worth 0 points", node.name))
                    .label(node.span, "0 points")
                    .help("give it points or remove it (silence with `allow zero_points`)"),
            );
        }
        for node in nodes.iter().skip(1).filter(|n| !n.points.is_zero()) {
            if let Some(rule) = &node.rule {
                self.reach(node, rule);
            }
        }
    }

    /// `never_full_marks` and `never_zero`: the points the rule can give,
    /// from the range of its expression over its inputs' types.
    fn reach(&mut self, node: &ir::Node, rule: &ir::Rule) {
        let Some(r) = super::range::range(&self.inputs, &self.lets, &rule.expr) else {
            return;
        };
        let full = match rule.mode {
            ir::RuleMode::Score => crate::num::Num::ONE,
            ir::RuleMode::Points => rule.declared,
        };
        let points = |x| rule.points_for(x, node.points);
        if let Some(hi) = r.hi.filter(|h| *h < full) {
            self.report(
                Diagnostic::warning(
                    NEVER_FULL_MARKS,
                    format!(
                        "`{}` can never reach full marks: at most {} of its {} points",
                        node.name,
                        points(hi),
                        node.points
                    ),
                )
                .label(rule.expr.span, "never gives full points")
                .help("check the rule's values against the item's points (silence with `allow never_full_marks`)"),
            );
        }
        if let Some(lo) = r.lo.filter(|l| !l.is_negative() && !l.is_zero()) {
            self.report(
                Diagnostic::warning(
                    NEVER_ZERO,
                    format!(
                        "`{}` never scores zero: at least {} of its {} points",
                        node.name,
                        points(lo),
                        node.points
                    ),
                )
                .label(rule.expr.span, "always gives some points")
                .help("a unit that did nothing still scores; if that is meant, say so (silence with `allow never_zero`)"),
            );
        }
    }

    /// `unreachable_band`: bands outside every value of what they band.
    pub(super) fn unreachable_bands(&mut self, on: &ir::Expr, bands: &[ast::Band]) {
        let Some(r) = super::range::range(&self.inputs, &self.lets, on) else {
            return;
        };
        for band in bands
            .iter()
            .filter(|b| !super::range::reaches(&b.interval, r))
        {
            // In the band's own terms: percentages if it is written in them.
            let show = |b: Option<crate::num::Num>| match b {
                None => "..".to_string(),
                Some(d) if band.interval.percent => crate::syntax::print::share(d),
                Some(d) => d.to_string(),
            };
            self.report(
                Diagnostic::warning(UNREACHABLE_BAND, "no value can fall in this band")
                    .label(
                        band.interval.span,
                        format!(
                            "the value is always within [{}, {}]",
                            show(r.lo),
                            show(r.hi)
                        ),
                    )
                    .help(
                        "remove the band or fix its bounds (silence with `allow unreachable_band`)",
                    ),
            );
        }
    }
}

impl Checker {
    /// Lints read from the syntax tree: constant conditions.
    pub(super) fn tree_lints(&mut self, file: &ast::File) {
        fn walk<'f>(nodes: &'f [ast::Node], out: &mut Vec<&'f ast::Node>) {
            for n in nodes {
                out.push(n);
                if let ast::NodeBody::Group(children) = &n.body {
                    walk(children, out);
                }
            }
        }
        let mut nodes = Vec::new();
        walk(&file.tree, &mut nodes);
        self.duplicate_rules(&nodes);
        for n in nodes {
            if let Some(w) = &n.when
                && matches!(w.kind, ast::ExprKind::Bool(true))
            {
                self.report(
                    Diagnostic::warning(WHEN_ALWAYS_TRUE, format!("`{}` always applies: its `when` always holds", n.name.value))
                        .label(w.span, "always true")
                        .help("state the condition it depends on, or remove the `when` (silence with `allow when_always_true`)"),
                );
            }
        }
    }
}

impl Checker {
    /// `duplicate_rule`: items with the same rule (as printed, so layout and
    /// keyword language do not matter) that apply to the same units.
    fn duplicate_rules(&mut self, nodes: &[&ast::Node]) {
        use crate::syntax::print::{self, Keywords};
        let mut seen: std::collections::HashMap<String, &ast::Node> = Default::default();
        for n in nodes {
            let ast::NodeBody::Item(rule) = &n.body else {
                continue;
            };
            let zero = matches!(n.size.map(|s| s.value), Some(ast::Size::Points(p)) if p.is_zero());
            if zero {
                continue;
            }
            let kinds: Vec<&str> = n.kinds.iter().map(|k| k.value.as_str()).collect();
            let when = n.when.as_ref().map(|w| print::expr(w, Keywords::English));
            let key = format!(
                "{} | {kinds:?} | {when:?}",
                print::rule(rule, Keywords::English)
            );
            match seen.get(&key) {
                Some(first) => {
                    let (name, first_name) = (n.name.value.clone(), first.name.clone());
                    self.report(
                        Diagnostic::warning(DUPLICATE_RULE, format!("`{name}` has the same rule as `{}`", first_name.value))
                            .label(rule.expr.span, "the same rule")
                            .label(first_name.span, "as this item's")
                            .help("each item should score its own fact; if both are meant, silence with `allow duplicate_rule`"),
                    );
                }
                None => _ = seen.insert(key, n),
            }
        }
    }
}
