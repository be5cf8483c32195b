//! Lints: warnings that help authors. Each has a short name, which is also
//! the key that silences it (`allow unused_input` in the header).

use super::Checker;
use crate::diagnostics::Diagnostic;
use crate::ir;

pub const UNUSED_INPUT: &str = "zhibiao::lint::unused_input";
pub const UNUSED_LET: &str = "zhibiao::lint::unused_let";
pub const ZERO_POINTS: &str = "zhibiao::lint::zero_points";

/// (name, what it finds)
pub const LINTS: &[(&str, &str)] = &[
    (
        "unused_input",
        "an input that no rule, condition or derived value reads",
    ),
    ("unused_let", "a derived value that nothing reads"),
    ("zero_points", "a node worth 0 points"),
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
