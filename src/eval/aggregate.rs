//! Weighted means of children's rates for `aggregate geometric | harmonic |
//! power p`. Weights are the children's points for the unit (children that
//! dropped out have none); rates are score / points.

use crate::ir::Aggregate;
use rust_decimal::{Decimal, MathematicalOps};

/// The mean rate, or `None` if a geometric mean meets a rate of zero.
pub fn mean(how: Aggregate, children: impl Iterator<Item = (Decimal, Decimal)>) -> Option<Decimal> {
    let parts: Vec<(Decimal, Decimal)> = children.filter(|(_, max)| *max > Decimal::ZERO).collect();
    let total: Decimal = parts.iter().map(|(_, max)| *max).sum();
    if total.is_zero() {
        return Some(Decimal::ZERO);
    }
    // (weight, rate)
    let mut parts = parts
        .iter()
        .map(|(score, max)| (*max / total, (*score / *max).max(Decimal::ZERO)));
    match how {
        Aggregate::Arithmetic => Some(parts.map(|(w, r)| w * r).sum()),
        Aggregate::Geometric => parts.try_fold(Decimal::ONE, |acc, (w, r)| {
            if r.is_zero() {
                return None;
            }
            r.checked_powd(w).map(|x| acc * x)
        }),
        Aggregate::Harmonic => {
            let mut sum = Decimal::ZERO;
            for (w, r) in parts {
                if r.is_zero() {
                    return Some(Decimal::ZERO);
                }
                sum += w / r;
            }
            Some(Decimal::ONE / sum)
        }
        Aggregate::Power(p) => {
            let mut sum = Decimal::ZERO;
            for (w, r) in parts {
                if r.is_zero() && p < Decimal::ZERO {
                    return Some(Decimal::ZERO);
                }
                if !r.is_zero() {
                    sum += w * r.checked_powd(p)?;
                }
            }
            if sum.is_zero() {
                return Some(Decimal::ZERO);
            }
            sum.checked_powd(Decimal::ONE / p)
        }
    }
    .map(|m| m.min(Decimal::ONE))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap_or_default()
    }

    fn rates(rs: &[(&str, &str)]) -> Vec<(Decimal, Decimal)> {
        rs.iter().map(|(s, m)| (d(s), d(m))).collect()
    }

    fn close(a: Option<Decimal>, b: &str) -> bool {
        a.is_some_and(|a| (a - d(b)).abs() < d("0.0000000001"))
    }

    #[test]
    fn means_of_rates_weighted_by_points() {
        // Rates 0.5 (weight 1/4) and 1 (weight 3/4).
        let xs = rates(&[("1", "2"), ("6", "6")]);
        assert!(close(
            mean(Aggregate::Arithmetic, xs.clone().into_iter()),
            "0.875"
        ));
        // 0.5^0.25 = 0.8408964153
        assert!(close(
            mean(Aggregate::Geometric, xs.clone().into_iter()),
            "0.8408964153"
        ));
        // 1 / (0.25/0.5 + 0.75/1) = 0.8
        assert!(close(
            mean(Aggregate::Harmonic, xs.clone().into_iter()),
            "0.8"
        ));
        // (0.25 · 0.25 + 0.75 · 1)^(1/2) = √0.8125 = 0.9013878189
        assert!(close(
            mean(Aggregate::Power(d("2")), xs.into_iter()),
            "0.9013878189"
        ));
    }

    #[test]
    fn a_zero_rate() {
        let xs = rates(&[("0", "2"), ("6", "6")]);
        assert_eq!(mean(Aggregate::Geometric, xs.clone().into_iter()), None);
        assert_eq!(
            mean(Aggregate::Harmonic, xs.into_iter()),
            Some(Decimal::ZERO)
        );
    }
}
