//! Bonus and deduction parts, vetoes, and grade bands.

use super::types::Scope;
use super::{Checker, names};
use crate::diagnostics::Diagnostic;
use crate::ir::{self, PartKind, VetoAction};
use crate::num::Num;
use crate::syntax::ast::{self, Size};

pub const NO_GRADES: &str = "zhibiao::check::no_grades";
pub const MIXED_GRADES: &str = "zhibiao::check::mixed_grades";
pub const NOT_SCORED_CONDITION: &str = "zhibiao::check::not_scored_condition";
pub const PART_ITEM_NEEDS_POINTS: &str = "zhibiao::check::part_item_needs_points";

impl Checker {
    pub(super) fn grades(&mut self, grades: &[ast::Grades], total: Num) -> Vec<ir::Grade> {
        let Some(table) = self.single("grade table", "grades", grades, |g| g.span) else {
            return Vec::new();
        };
        let repeats = self.repeated("grade", table.grades.iter().map(|g| &g.name));
        let lowest = table
            .grades
            .iter()
            .enumerate()
            .min_by_key(|(_, g)| g.interval.low.map_or((0, Num::ZERO), |l| (1, l)))
            .map(|(i, _)| i);
        let mut out: Vec<ir::Grade> = Vec::new();
        for (i, (g, repeat)) in table.grades.iter().zip(repeats).enumerate() {
            let quota = self.quota(g, Some(i) == lowest);
            if !repeat {
                out.push(ir::Grade {
                    name: g.name.value.clone(),
                    interval: g.interval,
                    quota,
                });
            }
        }
        let intervals: Vec<ast::Interval> = table.grades.iter().map(|g| g.interval).collect();
        // Bounds in percentages are shares of the unit's own maximum.
        let shares = intervals.iter().filter(|i| i.percent).count();
        let top = if shares == 0 { total } else { Num::ONE };
        if shares > 0 && shares < intervals.len() {
            self.report(
                Diagnostic::error(MIXED_GRADES, "some grades are bounded by points, others by percentages")
                    .label(table.span, "grades of two kinds")
                    .help("bound every grade by points of the score (`[90, ..]`) or every grade by shares of the unit's own maximum (`[90%, ..]`)"),
            );
        } else {
            self.check_intervals(&intervals, (Some(Num::ZERO), Some(top)), "grade");
        }
        // Best grade first, whatever order they were written in.
        out.sort_by(|a, b| match (a.interval.low, b.interval.low) {
            (None, None) => std::cmp::Ordering::Equal,
            (None, _) => std::cmp::Ordering::Greater,
            (_, None) => std::cmp::Ordering::Less,
            (Some(x), Some(y)) => y.cmp(&x),
        });
        out
    }

    pub(super) fn parts(&mut self, parts: &[ast::Part]) -> Vec<ir::Part> {
        let mut out: Vec<ir::Part> = Vec::new();
        self.repeated("part", parts.iter().map(|p| &p.name));
        for part in parts {
            let kind = match part.kind {
                ast::PartKind::Bonus => PartKind::Bonus,
                ast::PartKind::Deduction => PartKind::Deduction,
            };
            let gate = part.gate.as_ref().map(|g| {
                self.condition(
                    g,
                    Scope {
                        base: true,
                        lets_visible: usize::MAX,
                    },
                )
            });
            let items = part
                .items
                .iter()
                .filter_map(|item| self.part_item(item))
                .collect();
            out.push(ir::Part {
                kind,
                name: part.name.value.clone(),
                cap: part.cap.map(|c| c.value),
                gate,
                items,
            });
        }
        out
    }

    fn part_item(&mut self, item: &ast::Node) -> Option<ir::PartItem> {
        let ast::NodeBody::Item(rule) = &item.body else {
            return None;
        };
        self.check_size(item, true);
        self.allow_on(item);
        let points = match item.size.map(|s| s.value) {
            Some(Size::Points(p)) => p,
            Some(Size::Uncapped | Size::Range(..)) => Num::ZERO,
            _ => {
                self.report(
                    Diagnostic::error(PART_ITEM_NEEDS_POINTS, format!("`{}` needs points, not a percentage", item.name.value))
                        .label(item.size.map_or(item.name.span, |s| s.span), "a bonus or deduction item is worth points")
                        .help("write the most it can add or deduct, e.g. `item 创新案例 2 points 1 * 案例数`"),
                );
                Num::ZERO
            }
        };
        let kinds = self.kind_mask(&item.kinds);
        let when = item.when.as_ref().map(|w| self.condition(w, Scope::RULE));
        self.target = Some((None, item.name.value.clone()));
        let rule = self.item_rule(item, rule);
        self.target = None;
        Some(ir::PartItem {
            name: item.name.value.clone(),
            points,
            kinds,
            when,
            rule,
        })
    }

    pub(super) fn vetoes(&mut self, vetoes: &[ast::Veto], grades: &[ir::Grade]) -> Vec<ir::Veto> {
        let mut out = Vec::new();
        self.repeated("veto", vetoes.iter().map(|v| &v.name));
        for veto in vetoes {
            let condition = self.condition(&veto.condition, Scope::RULE);
            let action = match &veto.action.value {
                ast::VetoAction::Fail => VetoAction::Fail,
                ast::VetoAction::NotScored => {
                    self.decided_before_scoring(veto, &condition);
                    VetoAction::NotScored
                }
                ast::VetoAction::Points(p) => VetoAction::Points(*p),
                ast::VetoAction::MaxGrade(g) => match grades.iter().position(|x| x.name == g.value)
                {
                    Some(i) => VetoAction::MaxGrade(i),
                    None => {
                        let d = names::unknown(
                            "grade",
                            &g.value,
                            g.span,
                            grades.iter().map(|x| x.name.as_str()),
                        );
                        self.report(d);
                        VetoAction::Fail
                    }
                },
            };
            if grades.is_empty() && matches!(veto.action.value, ast::VetoAction::Fail) {
                self.report(
                    Diagnostic::error(NO_GRADES, "a veto that fails a unit needs grade bands")
                        .label(veto.action.span, "fails the unit")
                        .help("declare `grades { 优秀 [90, ..] ... 不合格 [.., 60) }`: the last grade is the failing one"),
                );
            }
            out.push(ir::Veto {
                name: veto.name.value.clone(),
                condition,
                action,
            });
        }
        out
    }

    /// A veto that keeps units from being scored decides who is compared
    /// with whom, so it cannot itself read a comparison.
    fn decided_before_scoring(&mut self, veto: &ast::Veto, condition: &ir::Expr) {
        if condition.reads_peers(&self.lets) || condition.reads_node_scores(&self.lets) {
            self.report(
                Diagnostic::error(
                    NOT_SCORED_CONDITION,
                    "a veto that keeps a unit from being scored cannot read a peer statistic or a score",
                )
                .label(veto.condition.span, "compares the unit with others")
                .help("a unit it vetoes takes no part in peer statistics, so its condition must be decided from the unit's own data; use `=> fail` to compare first"),
            );
        }
    }
}
