//! Rounding at the declared precision, in the declared mode, on exact
//! decimals: half-up gives 2.675 → 2.68 and 1.005 → 1.01.

use crate::syntax::ast::Rounding;
use rust_decimal::{Decimal, RoundingStrategy};

pub fn round(x: Decimal, digits: u32, mode: Rounding) -> Decimal {
    let strategy = match mode {
        Rounding::HalfUp => RoundingStrategy::MidpointAwayFromZero,
        Rounding::HalfEven => RoundingStrategy::MidpointNearestEven,
    };
    x.round_dp_with_strategy(digits, strategy)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn r(x: &str, mode: Rounding) -> String {
        round(Decimal::from_str(x).unwrap_or_default(), 2, mode).to_string()
    }

    #[test]
    fn half_up_rounds_midpoints_away_from_zero() {
        assert_eq!(r("2.675", Rounding::HalfUp), "2.68");
        assert_eq!(r("1.005", Rounding::HalfUp), "1.01");
        assert_eq!(r("-1.005", Rounding::HalfUp), "-1.01");
        assert_eq!(r("1.004", Rounding::HalfUp), "1.00");
    }

    #[test]
    fn half_even_rounds_midpoints_to_even() {
        assert_eq!(r("2.675", Rounding::HalfEven), "2.68");
        assert_eq!(r("2.665", Rounding::HalfEven), "2.66");
        assert_eq!(r("1.005", Rounding::HalfEven), "1.00");
        assert_eq!(r("1.0051", Rounding::HalfEven), "1.01");
    }

    #[test]
    fn decimal_sums_are_exact() {
        let sum = Decimal::from_str("0.1").unwrap_or_default()
            + Decimal::from_str("0.2").unwrap_or_default();
        assert_eq!(sum.to_string(), "0.3");
    }
}
