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
        for node in nodes.iter().skip(1).filter(|n| n.points.is_zero()) {
            self.report(
                Diagnostic::warning(ZERO_POINTS, format!("`{}` is worth 0 points", node.name))
                    .label(node.span, "0 points")
                    .help("give it points or remove it (silence with `allow zero_points`)"),
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
