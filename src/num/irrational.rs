//! Irrational results: computed with 28 significant digits by rust_decimal's
//! software routines (no floating point, so the same on every machine) and
//! rounded half-even to [`IRRATIONAL_PLACES`] decimal places, once per
//! result, so that arithmetic after them is exact again.

use super::{IRRATIONAL_PLACES, Num, Rounding};
use rust_decimal::{Decimal, MathematicalOps, RoundingStrategy};

impl Num {
    /// The value with as many places as rust_decimal holds (28 significant
    /// digits).
    fn to_decimal(self) -> Option<Decimal> {
        (0..=28).rev().find_map(|places| {
            let k = self.scaled(places, Rounding::HalfEven)?;
            Decimal::try_from_i128_with_scale(k, places).ok()
        })
    }

    fn from_decimal(x: Decimal) -> Num {
        let x = x.round_dp_with_strategy(IRRATIONAL_PLACES, RoundingStrategy::MidpointNearestEven);
        Num::decimal(x.mantissa(), x.scale())
    }

    /// The square root, exact for the square of a fraction; `None` for a
    /// negative number.
    pub fn sqrt(self) -> Option<Num> {
        if self.is_negative() {
            return None;
        }
        if let (Some(n), Some(d)) = (exact_sqrt(self.numerator()), exact_sqrt(self.denominator())) {
            return Some(Num::ratio(n, d));
        }
        self.to_decimal()?.sqrt().map(Num::from_decimal)
    }

    /// `self` to the power `exponent`; exact for a whole exponent (up to 64).
    pub fn pow(self, exponent: Num) -> Option<Num> {
        if exponent.is_integer() && exponent.numerator().unsigned_abs() <= 64 {
            let mut r = Num::ONE;
            for _ in 0..exponent.numerator().unsigned_abs() {
                r *= self;
            }
            return if exponent.is_negative() {
                Num::ONE.checked_div(r)
            } else {
                Some(r)
            };
        }
        let e = exponent.to_decimal()?;
        self.to_decimal()?.checked_powd(e).map(Num::from_decimal)
    }
}

impl Num {
    /// The natural logarithm; `None` unless the number is positive.
    pub fn ln(self) -> Option<Num> {
        if self.is_negative() || self.is_zero() {
            return None;
        }
        if self == Num::ONE {
            return Some(Num::ZERO);
        }
        self.to_decimal()?.checked_ln().map(Num::from_decimal)
    }

    /// The logarithm to base 10, exact for a power of ten; `None` unless
    /// the number is positive.
    pub fn log10(self) -> Option<Num> {
        if self.is_negative() || self.is_zero() {
            return None;
        }
        self.to_decimal()?.checked_log10().map(Num::from_decimal)
    }

    /// e to the power of the number.
    pub fn exp(self) -> Option<Num> {
        if self.is_zero() {
            return Some(Num::ONE);
        }
        self.to_decimal()?.checked_exp().map(Num::from_decimal)
    }
}

/// The weighted geometric mean Π rᵢ^wᵢ of (weight, rate) pairs whose weights
/// add up to 1, rounded once; `None` if a rate is zero or negative.
pub fn geometric_mean(parts: &[(Num, Num)]) -> Option<Num> {
    let mut product = Decimal::ONE;
    for &(w, r) in parts {
        if r <= Num::ZERO {
            return None;
        }
        product = product.checked_mul(r.to_decimal()?.checked_powd(w.to_decimal()?)?)?;
    }
    Some(Num::from_decimal(product))
}

/// The weighted power mean (Σ wᵢ rᵢ^p)^(1/p) of (weight, rate) pairs whose
/// weights add up to 1, rounded once; exact inside the root for a whole `p`.
pub fn power_mean(parts: &[(Num, Num)], p: Num) -> Option<Num> {
    if p.is_integer() && p.numerator().unsigned_abs() <= 64 {
        let mut sum = Num::ZERO;
        for &(w, r) in parts {
            sum += w * r.pow(p)?;
        }
        return sum.pow(Num::ONE / p);
    }
    let e = p.to_decimal()?;
    let mut sum = Decimal::ZERO;
    for &(w, r) in parts {
        if !r.is_zero() {
            sum = sum.checked_add(
                w.to_decimal()?
                    .checked_mul(r.to_decimal()?.checked_powd(e)?)?,
            )?;
        }
    }
    let root = (Num::ONE / p).to_decimal()?;
    sum.checked_powd(root).map(Num::from_decimal)
}

/// The exact square root of a perfect square.
fn exact_sqrt(n: i128) -> Option<i128> {
    let n = u128::try_from(n).ok()?;
    let r = n.isqrt();
    (r * r == n).then(|| i128::try_from(r).ok()).flatten()
}
