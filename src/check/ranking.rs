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
        let by_score = table.tiers.iter().any(|t| t.at_least.is_some());
        let mixed = by_score && table.tiers.iter().any(|t| t.top.is_some());
        if mixed {
            self.report(
                Diagnostic::error(BAD_TIERS, "the tiers mix shares of units and scores")
                    .label(table.span, "by rank share and by score")
                    .help("give every tier a share of units (`top 10%`) or every tier a least score (`at_least 0.75`), and end with `rest`"),
            );
        }
        let mut previous: Option<Num> = None;
        let last = table.tiers.len().saturating_sub(1);
        for (i, tier) in table.tiers.iter().enumerate().filter(|_| !mixed) {
            let bound = if by_score { tier.at_least } else { tier.top };
            let problem = match (bound, i == last) {
                (None, true) => None,
                (None, false) => Some((tier.name.span, "`rest` must be the last tier".to_string())),
                (Some(b), true) => Some((
                    b.span,
                    "the last tier must be `rest`, so that every unit has a tier".to_string(),
                )),
                (Some(b), false) => self
                    .tier_bound(b.value, previous, by_score)
                    .map(|why| (b.span, why)),
            };
            previous = bound.map(|b| b.value).or(previous);
            if let Some((span, why)) = problem {
                self.report(
                    Diagnostic::error(BAD_TIERS, format!("the tiers are not in order: {why}"))
                        .label(span, "here")
                        .help("write the tiers best first, each with the share of units it reaches down to (or its least score), and end with `rest`: `第一梯队 top 10%  第二梯队 top 40%  第三梯队 rest`"),
                );
            }
        }
        table
            .tiers
            .iter()
            .map(|t| ir::Tier {
                name: t.name.value.clone(),
                top: t.top.map(|s| s.value),
                at_least: t.at_least.map(|s| s.value),
            })
            .collect()
    }

    /// Why a tier's bound is out of order after `previous`, if it is.
    fn tier_bound(&self, bound: Num, previous: Option<Num>, by_score: bool) -> Option<String> {
        let before = previous.unwrap_or(Num::ZERO);
        if by_score {
            previous
                .filter(|p| bound >= *p)
                .map(|p| format!("each tier's least score must be below the one before it ({p})"))
        } else if bound <= before || bound >= Num::ONE {
            Some(format!(
                "each tier's share must be above the one before it ({}) and below 100%",
                crate::syntax::print::share(before)
            ))
        } else {
            None
        }
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
