//! Funding shared out by the evaluation (运维经费, seed 001): the pool goes
//! to the scored units in proportion to their claims — the `share` input
//! (比例法) times the grade's factor (级差法) — exactly, as fractions. A unit
//! whose part is above the cap gets the cap, and the rest of the pool is
//! shared again among the others, until no part is above it. Then each part
//! is rounded down to the cent, and the cents left over (as many as the
//! parts' fractions of a cent add up to) go one each to the parts with the
//! largest fraction of a cent, ties to the better rank, then to the unit
//! first in the data: the parts add up to the pool exactly. Only when every
//! unit with a claim is at the cap is some of the pool left, and said.

use super::Summary;
use crate::data::Dataset;
use crate::ir::{Funding, Policy, Value};
use crate::num::Num;

/// The funding of every unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Funded {
    /// Per unit, in cents; `None` for a unit that was not scored.
    pub cents: Vec<Option<i64>>,
    /// The cents of the pool no unit could take (every one at the cap).
    pub left: i64,
}

pub fn allocate(policy: &Policy, data: &Dataset, units: &[Summary]) -> Option<Funded> {
    let f = policy.funding.as_ref()?;
    let scored = |s: &Summary| s.scored && !s.not_scored;
    let claims: Vec<Num> = (units.iter().enumerate())
        .map(|(u, s)| {
            if scored(s) {
                claim(f, data, u, s)
            } else {
                Num::ZERO
            }
        })
        .collect();
    let parts = capped(f, &claims);
    let pool = whole(in_cents(f.pool));
    let mut floors: Vec<i64> = parts.iter().map(|p| whole(in_cents(*p).floor())).collect();
    let given: i64 = floors.iter().sum();
    // Whole cents by construction: the pool, or caps where every part is at one.
    let spent = whole(in_cents(parts.iter().copied().sum()).round(0, crate::num::Rounding::HalfUp));
    // Largest fraction of a cent first; then the better rank, then the data.
    let mut order: Vec<usize> = (0..parts.len())
        .filter(|u| claims.get(*u).is_some_and(|c| !c.is_zero()))
        .collect();
    // The part of a cent below each part's cents (0 ≤ x < 1).
    let fraction = |u: usize| {
        parts
            .get(u)
            .map_or(Num::ZERO, |p| in_cents(*p) - in_cents(*p).floor())
    };
    let rank = |u: usize| units.get(u).and_then(|s| s.rank).unwrap_or(usize::MAX);
    order.sort_by(|a, b| {
        fraction(*b)
            .cmp(&fraction(*a))
            .then(rank(*a).cmp(&rank(*b)))
            .then(a.cmp(b))
    });
    for u in order
        .into_iter()
        .take(usize::try_from(spent - given).unwrap_or(0))
    {
        if let Some(c) = floors.get_mut(u) {
            *c += 1;
        }
    }
    let cents = (units.iter().zip(floors))
        .map(|(s, c)| scored(s).then_some(c))
        .collect();
    Some(Funded {
        cents,
        left: pool - spent,
    })
}

/// A unit's claim: its share input (1 without one) times its grade's factor
/// (1 without factors).
fn claim(f: &Funding, data: &Dataset, u: usize, s: &Summary) -> Num {
    let share = match f.share.map(|i| data.value(u, i)) {
        None => Num::ONE,
        Some(Value::Number(n)) if !n.is_negative() => n,
        Some(_) => Num::ZERO,
    };
    let factor = match f.factors.as_slice() {
        [] => Num::ONE,
        factors => s
            .grade
            .and_then(|g| factors.get(g))
            .copied()
            .unwrap_or(Num::ZERO),
    };
    share * factor
}

/// Each unit's exact part: in proportion to its claim, none above the cap.
fn capped(f: &Funding, claims: &[Num]) -> Vec<Num> {
    let mut parts: Vec<Option<Num>> = claims
        .iter()
        .map(|c| c.is_zero().then_some(Num::ZERO))
        .collect();
    loop {
        let fixed: Num = parts.iter().flatten().copied().sum();
        let left = f.pool - fixed;
        let open = || claims.iter().zip(&parts).filter(|(_, p)| p.is_none());
        let total: Num = open().map(|(c, _)| *c).sum();
        if total.is_zero() {
            break;
        }
        let share = |c: Num| left * c / total;
        let over = |c: Num| f.cap.is_some_and(|cap| share(c) > cap);
        let any_over = open().any(|(c, _)| over(*c));
        for (c, p) in claims
            .iter()
            .zip(parts.iter_mut())
            .filter(|(_, p)| p.is_none())
        {
            match (any_over, f.cap) {
                (true, Some(cap)) if share(*c) > cap => *p = Some(cap),
                (true, _) => {}
                (false, _) => *p = Some(share(*c)),
            }
        }
        if !any_over {
            break;
        }
    }
    parts.into_iter().map(|p| p.unwrap_or(Num::ZERO)).collect()
}

fn in_cents(yuan: Num) -> Num {
    yuan * Num::ONE_HUNDRED
}

/// A whole number as an `i64`.
fn whole(n: Num) -> i64 {
    i64::try_from(n.numerator()).unwrap_or(i64::MAX)
}
