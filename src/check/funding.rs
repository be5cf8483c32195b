//! Funding that follows the evaluation (运维经费): the pool, the input it is
//! shared in proportion to, each grade's multiplier and the cap.

use super::{Checker, names};
use crate::diagnostics::Diagnostic;
use crate::ir::{self, InputType};
use crate::num::Num;
use crate::source::Span;
use crate::syntax::ast;

pub const BAD_FUNDING: &str = "zhibiao::check::bad_funding";

fn bad(message: impl Into<String>, span: Span, label: &str, help: &str) -> Diagnostic {
    Diagnostic::error(BAD_FUNDING, message)
        .label(span, label.to_string())
        .help(help.to_string())
}

/// Whether an amount is whole cents.
fn in_cents(n: Num) -> bool {
    (n * Num::ONE_HUNDRED).is_integer()
}

impl Checker {
    pub(super) fn funding(
        &mut self,
        blocks: &[ast::Funding],
        grades: &[ir::Grade],
    ) -> Option<ir::Funding> {
        let f = self.single("funding", "funding", blocks, |f| f.span)?;
        for (amount, what) in [(Some(f.pool), "the pool"), (f.cap, "the cap")] {
            let Some(amount) = amount else { continue };
            if amount.value <= Num::ZERO || !in_cents(amount.value) {
                self.report(bad(
                    format!("{what} must be an amount above zero, in whole cents"),
                    amount.span,
                    "not an amount",
                    "write it in yuan with at most two decimals: `funding 运维经费 1200000 { ... }`",
                ));
            }
        }
        let share = f.share.as_ref().and_then(|name| self.funding_share(name));
        let factors = self.funding_grades(f, grades);
        Some(ir::Funding {
            name: f.name.value.clone(),
            pool: f.pool.value,
            share,
            factors,
            cap: f.cap.map(|c| c.value),
        })
    }

    /// The input funding is shared in proportion to: a number or a count.
    fn funding_share(&mut self, name: &ast::Name) -> Option<ir::InputId> {
        let Some(id) = self.input_ids.get(&name.value).copied() else {
            let known: Vec<&str> = self.inputs.iter().map(|i| i.name.as_str()).collect();
            self.report(names::unknown("input", &name.value, name.span, known));
            return None;
        };
        if let Some(used) = self.used_inputs.get_mut(id) {
            *used = true;
        }
        let ty = self.inputs.get(id).map(|i| &i.ty);
        if !matches!(ty, Some(InputType::Number { .. } | InputType::Count)) {
            self.report(bad(
                format!("funding is shared in proportion to `{}`, which is not a number", name.value),
                name.span,
                "not a number or a count",
                "share in proportion to an amount, such as the build budget: `share 建设投资` with `input 建设投资: number`",
            ));
            return None;
        }
        Some(id)
    }

    /// Each grade's multiplier, in the order of the grades; empty when the
    /// funding is not by grade.
    fn funding_grades(&mut self, f: &ast::Funding, grades: &[ir::Grade]) -> Vec<Num> {
        let Some(span) = f.grades_span else {
            return Vec::new();
        };
        if grades.is_empty() {
            self.report(bad("funding by grade, but the policy has no grades", span, "by grade", "declare the grades (`grades { 优秀 [90, ..] ... }`), or share the funding without them"));
            return Vec::new();
        }
        self.repeated("grade", f.grades.iter().map(|(g, _)| g));
        let mut factors = vec![None; grades.len()];
        for (grade, factor) in &f.grades {
            match grades.iter().position(|g| g.name == grade.value) {
                Some(g) => {
                    if let Some(slot) = factors.get_mut(g) {
                        *slot = Some(factor.value);
                    }
                }
                None => self.report(names::unknown(
                    "grade",
                    &grade.value,
                    grade.span,
                    grades.iter().map(|g| g.name.as_str()),
                )),
            }
        }
        let missing: Vec<&str> = (grades.iter().zip(&factors))
            .filter(|(_, f)| f.is_none())
            .map(|(g, _)| g.name.as_str())
            .collect();
        if !missing.is_empty() {
            self.report(bad(
                format!("no multiplier for the grade {}", missing.join(", ")),
                span,
                "every grade needs one",
                "give every grade its multiplier, 0 for a grade that gets nothing: `grades { 优秀 1.5, 良好 1.2, 合格 1, 不合格 0 }`",
            ));
        }
        factors
            .into_iter()
            .map(|f| f.unwrap_or(Num::ZERO))
            .collect()
    }
}
