//! Tiers by rank and grade quotas.

use super::Checker;
use crate::diagnostics::Diagnostic;
use crate::ir;
use crate::num::Num;
use crate::syntax::ast;

pub const BAD_TIERS: &str = "zhibiao::check::bad_tiers";
pub const BAD_QUOTA: &str = "zhibiao::check::bad_quota";

impl Checker {
    pub(super) fn tiers(&mut self, tiers: &[ast::Tiers]) -> Vec<ir::Tier> {
        let Some(table) = self.single("tier table", "tiers", tiers, |t| t.span) else {
            return Vec::new();
        };
        self.repeated("tier", table.tiers.iter().map(|t| &t.name));
        let mut previous = Num::ZERO;
        let last = table.tiers.len().saturating_sub(1);
        for (i, tier) in table.tiers.iter().enumerate() {
            let problem = match (tier.top, i == last) {
                (None, true) => None,
                (None, false) => Some((tier.name.span, "`rest` must be the last tier".to_string())),
                (Some(top), true) => Some((
                    top.span,
                    "the last tier must be `rest`, so that every unit has a tier".to_string(),
                )),
                (Some(top), false) if top.value <= previous || top.value >= Num::ONE => Some((
                    top.span,
                    format!(
                        "each tier's share must be above the one before it ({}) and below 100%",
                        crate::syntax::print::share(previous)
                    ),
                )),
                (Some(top), false) => {
                    previous = top.value;
                    None
                }
            };
            if let Some((span, why)) = problem {
                self.report(
                    Diagnostic::error(BAD_TIERS, format!("the tiers are not in order: {why}"))
                        .label(span, "here")
                        .help("write the tiers best first, each with the share of units it reaches down to, and end with `rest`: `第一梯队 top 10%  第二梯队 top 40%  第三梯队 rest`"),
                );
            }
        }
        table
            .tiers
            .iter()
            .map(|t| ir::Tier {
                name: t.name.value.clone(),
                top: t.top.map(|s| s.value),
            })
            .collect()
    }

    /// A grade's quota: a share in (0, 100%], and not on the last grade
    /// (the units beyond it would have nowhere to go).
    pub(super) fn quota(&mut self, grade: &ast::Grade, is_last: bool) -> Option<Num> {
        let q = grade.quota?;
        let why = if q.value <= Num::ZERO || q.value > Num::ONE {
            Some("a quota is a share of the units, above 0% and at most 100%")
        } else if is_last {
            Some(
                "the lowest grade cannot have a quota: the units beyond it would have no grade to move to",
            )
        } else {
            None
        };
        match why {
            Some(why) => {
                self.report(
                    Diagnostic::error(BAD_QUOTA, format!("the quota of `{}` cannot apply", grade.name.value))
                        .label(q.span, why)
                        .help("e.g. `优秀 [90, ..] at_most 20%`: units beyond the quota, lowest ranked first, move to the next grade"),
                );
                None
            }
            None => Some(q.value),
        }
    }
}
