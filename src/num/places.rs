//! Rounding at a fixed number of decimal places, quickly where no rounding
//! is needed: a number whose denominator divides 10^places (whole points,
//! halves, fifths, hundredths at two places) is a whole number of last
//! places, found by one multiplication instead of a division.

use super::{Num, Rounding};

/// The largest denominator looked up (every divisor of 100 is below it).
const LOOKED_UP: i128 = 128;

/// Rounding at `digits` places in `mode`.
#[derive(Debug, Clone)]
pub struct Places {
    digits: u32,
    mode: Rounding,
    /// Per denominator up to [`LOOKED_UP`]: 10^digits over it when it
    /// divides 10^digits, else 0.
    cofactors: Vec<i64>,
}

impl Places {
    pub fn new(digits: u32, mode: Rounding) -> Places {
        let scale = 10i64.checked_pow(digits);
        let cofactors = (0..=LOOKED_UP as i64)
            .map(|d| match scale {
                Some(s) if d > 0 && s % d == 0 => s / d,
                _ => 0,
            })
            .collect();
        Places {
            digits,
            mode,
            cofactors,
        }
    }

    /// `x` in last places when its denominator divides 10^digits (no
    /// rounding needed); `None` otherwise, or when it does not fit 64 bits.
    pub fn exact(&self, x: Num) -> Option<i64> {
        if x.d > LOOKED_UP {
            return None;
        }
        let cofactor = *self.cofactors.get(usize::try_from(x.d).ok()?)?;
        if cofactor == 0 {
            return None;
        }
        i64::try_from(x.n).ok()?.checked_mul(cofactor)
    }

    /// `x` rounded, in last places (9586 is 95.86 at two); `None` when it
    /// does not fit 64 bits.
    pub fn fixed(&self, x: Num) -> Option<i64> {
        match self.exact(x) {
            Some(k) => Some(k),
            None => i64::try_from(x.scaled(self.digits, self.mode)?).ok(),
        }
    }

    /// `x × factor`, rounded as [`Places::fixed`] rounds.
    pub fn product(&self, x: Num, factor: Num) -> Option<i64> {
        i64::try_from(x.scaled_product(factor, self.digits, self.mode)?).ok()
    }
}
