//! Weighted means of children's rates for `aggregate geometric | harmonic |
//! power p`. Weights are the children's points for the unit (children that
//! dropped out have none); rates are score / points.

use crate::ir::Aggregate;
use crate::num::{self, Num};

/// The mean rate, or `None` if a geometric mean meets a rate of zero.
pub fn mean(how: Aggregate, children: impl Iterator<Item = (Num, Num)>) -> Option<Num> {
    let parts: Vec<(Num, Num)> = children.filter(|(_, max)| *max > Num::ZERO).collect();
    let total: Num = parts.iter().map(|(_, max)| *max).sum();
    if total.is_zero() {
        return Some(Num::ZERO);
    }
    // (weight, rate)
    let parts: Vec<(Num, Num)> = parts
        .iter()
        .map(|(score, max)| (*max / total, (*score / *max).max(Num::ZERO)))
        .collect();
    let zero_rate = parts.iter().any(|(_, r)| r.is_zero());
    match how {
        Aggregate::Arithmetic => Some(parts.iter().map(|(w, r)| *w * *r).sum()),
        Aggregate::Geometric => num::geometric_mean(&parts),
        Aggregate::Harmonic if zero_rate => Some(Num::ZERO),
        Aggregate::Harmonic => Some(Num::ONE / parts.iter().map(|(w, r)| *w / *r).sum()),
        Aggregate::Power(p) if zero_rate && p < Num::ZERO => Some(Num::ZERO),
        Aggregate::Power(p) => {
            let present: Vec<(Num, Num)> =
                parts.into_iter().filter(|(_, r)| !r.is_zero()).collect();
            if present.is_empty() {
                return Some(Num::ZERO);
            }
            num::power_mean(&present, p)
        }
    }
    .map(|m| m.min(Num::ONE))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Num {
        s.parse().unwrap_or_default()
    }

    fn rates(rs: &[(&str, &str)]) -> Vec<(Num, Num)> {
        rs.iter().map(|(s, m)| (d(s), d(m))).collect()
    }

    fn close(a: Option<Num>, b: &str) -> bool {
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
        assert_eq!(mean(Aggregate::Harmonic, xs.into_iter()), Some(Num::ZERO));
    }
}
