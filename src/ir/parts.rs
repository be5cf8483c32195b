//! What comes after the tree: bonus and deduction parts, vetoes, grades and
//! the funding that follows them.

use super::{Expr, GradeId, InputId, Interval, Rule};
use crate::num::Num;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PartKind {
    Bonus,
    Deduction,
}

#[derive(Debug, Clone)]
pub struct PartItem {
    pub name: String,
    pub points: Num,
    pub kinds: u64,
    pub when: Option<Expr>,
    pub rule: Rule,
}

#[derive(Debug, Clone)]
pub struct Part {
    pub kind: PartKind,
    pub name: String,
    pub cap: Option<Num>,
    /// Bonus only: may read `base`.
    pub gate: Option<Expr>,
    pub items: Vec<PartItem>,
}

#[derive(Debug, Clone)]
pub enum VetoAction {
    Fail,
    /// The unit is not scored: no score, rank or part in peer statistics.
    NotScored,
    Points(Num),
    MaxGrade(GradeId),
}

#[derive(Debug, Clone)]
pub struct Veto {
    pub name: String,
    pub condition: Expr,
    pub action: VetoAction,
}

/// Funding that follows the evaluation: `pool` shared out in proportion to
/// each unit's claim — its `share` input (比例法; 1 without one) times its
/// grade's factor (级差法; 1 without factors) — each unit at most `cap`.
#[derive(Debug, Clone)]
pub struct Funding {
    pub name: String,
    /// In yuan, whole cents.
    pub pool: Num,
    pub share: Option<InputId>,
    /// Per grade, in the order of `grades`; empty: not by grade.
    pub factors: Vec<Num>,
    pub cap: Option<Num>,
}

#[derive(Debug, Clone)]
pub struct Grade {
    pub name: String,
    pub interval: Interval,
    /// At most this share of the ranked units may have the grade.
    pub quota: Option<Num>,
}
