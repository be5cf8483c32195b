//! How the reference adds up a group: what each child comes to for its
//! parent, redistribution, the means of rates, an item's points from its rule.

use super::{Q, from_decimal, q, to_decimal};
use num_bigint::BigInt;
use num_traits::{One, Signed, Zero};
use rust_decimal::{Decimal, MathematicalOps};
use zhibiao::ir::{Aggregate, NotApplicable, Policy, Rule, RuleMode};
use zhibiao::syntax::ast::Interval;

/// What a node comes to for its parent.
#[derive(Clone, Debug)]
pub enum Out {
    /// Takes part in its parent's sum.
    Counts { score: Q, max: Q },
    /// Left out (does not apply, its points gone elsewhere).
    Dropped(NotApplicable),
    /// Does not apply, but keeps its points (full marks) or its maximum (zero).
    Kept { score: Q, max: Q },
}

impl Out {
    pub fn not_applicable(points: Q, rule: NotApplicable) -> Out {
        match rule {
            NotApplicable::FullMarks => Out::Kept {
                score: points.clone(),
                max: points,
            },
            NotApplicable::Zero => Out::Kept {
                score: Q::zero(),
                max: points,
            },
            r => Out::Dropped(r),
        }
    }

    /// Score and maximum as added up.
    pub fn counted(&self) -> (Q, Q) {
        match self {
            Out::Counts { score, max } | Out::Kept { score, max } => (score.clone(), max.clone()),
            Out::Dropped(_) => (Q::zero(), Q::zero()),
        }
    }
}

/// Gives the points of children dropped with `redistribute` to the children
/// that count (even shares, or in proportion to their maxima).
pub fn redistribute(policy: &Policy, children: &mut [(usize, Out)]) {
    let (mut even, mut proportional) = (Q::zero(), Q::zero());
    for (c, o) in children.iter() {
        if let Out::Dropped(NotApplicable::Redistribute { proportional: p }) = o {
            *(if *p { &mut proportional } else { &mut even }) += q(policy.nodes[*c].points);
        }
    }
    if even.is_zero() && proportional.is_zero() {
        return;
    }
    let receivers: Vec<Q> = children
        .iter()
        .filter_map(|(_, o)| match o {
            Out::Counts { max, .. } if max > &Q::zero() => Some(max.clone()),
            _ => None,
        })
        .collect();
    if receivers.is_empty() {
        return;
    }
    let count = Q::from_integer(BigInt::from(receivers.len()));
    let total: Q = receivers.iter().sum();
    for (_, o) in children.iter_mut() {
        if let Out::Counts { score, max } = o
            && *max > Q::zero()
        {
            let share = &even / &count + &proportional * &*max / &total;
            let factor = (&*max + share) / &*max;
            *score = &*score * &factor;
            *max = &*max * &factor;
        }
    }
}

pub fn mean(how: Aggregate, children: &[(usize, Out)]) -> Option<Q> {
    let parts: Vec<(Q, Q)> = children
        .iter()
        .map(|(_, o)| o.counted())
        .filter(|(_, m)| m > &Q::zero())
        .collect();
    let total: Q = parts.iter().map(|(_, m)| m.clone()).sum();
    if total.is_zero() {
        return Some(Q::zero());
    }
    let wr: Vec<(Q, Q)> = parts
        .iter()
        .map(|(s, m)| (m / &total, (s / m).max(Q::zero())))
        .collect();
    let m = match how {
        Aggregate::Geometric => {
            let mut product = Decimal::ONE;
            for (w, r) in &wr {
                if !r.is_positive() {
                    return None;
                }
                product = product.checked_mul(to_decimal(r)?.checked_powd(to_decimal(w)?)?)?;
            }
            from_decimal(product)
        }
        Aggregate::Harmonic => {
            if wr.iter().any(|(_, r)| r.is_zero()) {
                Q::zero()
            } else {
                Q::one() / wr.iter().map(|(w, r)| w / r).sum::<Q>()
            }
        }
        Aggregate::Arithmetic => wr.iter().map(|(w, r)| w * r).sum(),
        Aggregate::Power(_) => panic!("power means are not covered"),
    };
    Some(m.min(Q::one()))
}

pub fn points_for(rule: &Rule, x: Q, points: &Q) -> Q {
    let declared = q(rule.declared);
    match rule.mode {
        RuleMode::Score if !x.is_positive() => Q::zero(),
        RuleMode::Score if x >= Q::one() => points.clone(),
        RuleMode::Score => x * points,
        RuleMode::Points if rule.uncapped => x.max(Q::zero()),
        RuleMode::Points => {
            // Clamped to [floor, declared] (floor 0 unless the item is signed),
            // then in the item's points.
            let x = x.max(q(rule.floor)).min(declared.clone());
            if declared.is_zero() {
                x
            } else {
                x * points / declared
            }
        }
    }
}

pub fn contains(iv: &Interval, x: &Q) -> bool {
    let above = match iv.low {
        None => true,
        Some(lo) if iv.low_inclusive => *x >= q(lo),
        Some(lo) => *x > q(lo),
    };
    let below = match iv.high {
        None => true,
        Some(hi) if iv.high_inclusive => *x <= q(hi),
        Some(hi) => *x < q(hi),
    };
    above && below
}
