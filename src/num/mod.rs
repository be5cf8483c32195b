//! Exact numbers: every score is a rational number n/d over 128-bit
//! integers, so thirds, rescaling factors (100/97), redistributed shares
//! and means of peers are exact, and a score is rounded once, at the
//! declared precision, from its exact value.
//!
//! A fraction is not reduced after every operation: while both parts stay
//! below 2^63, sums and products are a few integer multiplications (their
//! products cannot overflow 128 bits), and only a part that grows past
//! 2^63 makes the fraction be reduced by its greatest common divisor.
//! Comparisons multiply across. A result whose numerator or denominator in
//! lowest terms would pass 2^127 (about 1.7 × 10^38) is not approximated:
//! it becomes the marker [`Num::TOO_LARGE`], which every later operation
//! keeps, and the evaluator reports it as an error naming the rule that
//! produced it.
//!
//! Irrational results (square roots, logarithms, powers with a fractional
//! exponent: geometric and power means, z-scores) are computed with 28
//! significant digits by rust_decimal's software routines — no floating
//! point, so the same on every machine — and rounded half-even to
//! [`IRRATIONAL_PLACES`] decimal places; from there on arithmetic is exact
//! again, so a tie at the policy's precision is decided on those digits.

mod arith;
mod irrational;
mod places;
mod wide;

pub use arith::Total;
pub use irrational::{geometric_mean, power_mean};
pub use places::Places;

use std::cmp::Ordering;
use std::fmt;

/// 10^k for every k a u128 holds.
#[allow(clippy::indexing_slicing, reason = "k < 39 in the loop")]
const POW10: [u128; 39] = {
    let mut table = [1u128; 39];
    let mut k = 1;
    while k < 39 {
        table[k] = table[k - 1] * 10;
        k += 1;
    }
    table
};

/// The powers of ten in [`POW10`] that fit 64 bits.
#[allow(clippy::indexing_slicing, reason = "k < 19 in the loop")]
const POW10_I64: [i64; 19] = {
    let mut table = [0i64; 19];
    let mut k = 0;
    while k < 19 {
        table[k] = POW10[k] as i64;
        k += 1;
    }
    table
};

/// 10^k, if it fits 64 bits.
#[inline]
pub fn pow10(k: u32) -> Option<i64> {
    POW10_I64.get(k as usize).copied()
}

/// How a value halfway between two results at the precision is rounded.
#[derive(Debug, Clone, PartialEq, Copy, Eq)]
pub enum Rounding {
    /// Away from zero: 2.675 → 2.68 (四舍五入).
    HalfUp,
    /// To the even digit: 2.665 → 2.66 (GB/T 8170, 四舍六入五成双).
    HalfEven,
}

/// Decimal places kept of an irrational result.
pub const IRRATIONAL_PLACES: u32 = 12;

/// An exact rational number (see the module documentation).
#[derive(Clone, Copy)]
pub struct Num {
    /// Numerator; never `i128::MIN`.
    n: i128,
    /// Denominator: at least 1; 0 only in `TOO_LARGE`.
    d: i128,
}

impl Num {
    pub const ZERO: Num = Num { n: 0, d: 1 };
    pub const ONE: Num = Num { n: 1, d: 1 };
    pub const TWO: Num = Num { n: 2, d: 1 };
    pub const ONE_HUNDRED: Num = Num { n: 100, d: 1 };
    pub const HUNDREDTH: Num = Num { n: 1, d: 100 };
    /// A result too large to hold exactly.
    pub const TOO_LARGE: Num = Num { n: 0, d: 0 };

    /// n/d in lowest terms; `TOO_LARGE` when `d` is 0 or a part overflows.
    pub fn ratio(n: i128, d: i128) -> Num {
        if d == 0 || n == i128::MIN || d == i128::MIN {
            return Num::TOO_LARGE;
        }
        let (n, d) = if d < 0 { (-n, -d) } else { (n, d) };
        if d == 1 {
            return Num { n, d };
        }
        let g = arith::gcd(n.unsigned_abs(), d.unsigned_abs());
        Num {
            n: arith::div(n, g),
            d: arith::div(d, g),
        }
    }

    /// n/d for `d ≥ 1`, reduced only when a part passes 2^63.
    fn tidy(n: i128, d: i128) -> Num {
        if arith::small(n) && d < arith::SMALL {
            Num { n, d }
        } else {
            Num::ratio(n, d)
        }
    }

    /// The same number in lowest terms.
    fn reduced(self) -> Num {
        if self.d <= 1 {
            self
        } else {
            Num::ratio(self.n, self.d)
        }
    }

    /// `mantissa / 10^scale` (`decimal(85, 2)` is 0.85).
    pub fn decimal(mantissa: i128, scale: u32) -> Num {
        let p = POW10
            .get(scale as usize)
            .and_then(|p| i128::try_from(*p).ok());
        match p {
            Some(p) if mantissa != i128::MIN => Num::tidy(mantissa, p),
            _ => Num::TOO_LARGE,
        }
    }

    /// Whether `other` is this very fraction (the same numerator and
    /// denominator, not only the same value): a cheap test for caches.
    pub fn same(self, other: Num) -> bool {
        self.n == other.n && self.d == other.d
    }

    pub fn is_too_large(self) -> bool {
        self.d == 0
    }

    pub fn is_zero(self) -> bool {
        self.n == 0 && self.d != 0
    }

    pub fn is_negative(self) -> bool {
        self.n < 0
    }

    pub fn is_integer(self) -> bool {
        self.d == 1 || (self.d != 0 && self.n % self.d == 0)
    }

    /// The number as an index, when it is a whole number from 0 to below
    /// `limit` written over 1 (as counts are read).
    pub fn whole_below(self, limit: usize) -> Option<usize> {
        let k = usize::try_from(self.n).ok().filter(|k| *k < limit);
        k.filter(|_| self.d == 1)
    }

    /// The nearest `f64` (for sampling, never for a score that is shown).
    pub fn to_f64(self) -> f64 {
        self.n as f64 / self.d as f64
    }

    /// The numerator in lowest terms.
    pub fn numerator(self) -> i128 {
        self.reduced().n
    }

    /// The denominator in lowest terms (0 for `TOO_LARGE`).
    pub fn denominator(self) -> i128 {
        self.reduced().d
    }

    /// `self + other`; `None` when the result is too large.
    pub fn checked_add(self, other: Num) -> Option<Num> {
        Some(self + other).filter(|r| !r.is_too_large())
    }

    /// `self - other`; `None` when the result is too large.
    pub fn checked_sub(self, other: Num) -> Option<Num> {
        Some(self - other).filter(|r| !r.is_too_large())
    }

    /// `self × other`; `None` when the result is too large.
    pub fn checked_mul(self, other: Num) -> Option<Num> {
        Some(self * other).filter(|r| !r.is_too_large())
    }

    /// `self / other`; `None` when `other` is zero.
    pub fn checked_div(self, other: Num) -> Option<Num> {
        if other.is_zero() {
            return None;
        }
        Some(self * other.recip())
    }

    fn recip(self) -> Num {
        match self.n.cmp(&0) {
            Ordering::Greater => Num {
                n: self.d,
                d: self.n,
            },
            Ordering::Less => Num {
                n: -self.d,
                d: -self.n,
            },
            Ordering::Equal => Num::TOO_LARGE,
        }
    }

    pub fn abs(self) -> Num {
        Num {
            n: self.n.abs(),
            d: self.d,
        }
    }

    pub fn floor(self) -> Num {
        self.whole(self.n.div_euclid(self.d.max(1)))
    }

    pub fn ceil(self) -> Num {
        let d = self.d.max(1);
        let f = self.n.div_euclid(d);
        self.whole(if self.n.rem_euclid(d) != 0 { f + 1 } else { f })
    }

    fn whole(self, n: i128) -> Num {
        if self.is_too_large() {
            self
        } else {
            Num { n, d: 1 }
        }
    }

    /// The integer `k` such that `k / 10^digits` is `self` rounded at
    /// `digits` places in `mode`; `None` if it does not fit.
    pub fn scaled(self, digits: u32, mode: Rounding) -> Option<i128> {
        if self.is_too_large() {
            return None;
        }
        let scale = *POW10.get(digits as usize)?;
        let d = self.d.unsigned_abs();
        let n = self.n.unsigned_abs();
        if n == 0 {
            return Some(0);
        }
        if d == 1 {
            let k = i128::try_from(n.checked_mul(scale)?).ok()?;
            return Some(if self.n < 0 { -k } else { k });
        }
        // The value times 10^digits, cut to a whole number, and what was cut.
        let (mut magnitude, remainder) = match (u64::try_from(n), u64::try_from(d)) {
            // One 64-bit division when n × scale fits 64 bits.
            (Ok(n), Ok(d)) if scale < 1 << 32 && n < 1 << 31 => {
                let ns = n * scale as u64;
                (u128::from(ns / d), u128::from(ns % d))
            }
            // In 64-bit arithmetic when it cannot overflow: a remainder
            // below 2^32 times a scale below 2^32.
            (Ok(n), Ok(d)) if d < 1 << 32 && scale < 1 << 32 => {
                let f = (n % d) * scale as u64;
                let whole = u128::from(n / d).checked_mul(scale)?;
                (whole.checked_add(u128::from(f / d))?, u128::from(f % d))
            }
            _ => {
                let (f, r) = wide::mul_div(n % d, scale, d);
                ((n / d).checked_mul(scale)?.checked_add(f)?, r)
            }
        };
        // `remainder / d` is what was cut off, in units of the last place.
        let up = match (2 * remainder).cmp(&d) {
            Ordering::Greater => true,
            Ordering::Less => false,
            Ordering::Equal => match mode {
                Rounding::HalfUp => true,
                Rounding::HalfEven => magnitude % 2 == 1,
            },
        };
        if up {
            magnitude = magnitude.checked_add(1)?;
        }
        let k = i128::try_from(magnitude).ok()?;
        Some(if self.n < 0 { -k } else { k })
    }

    /// `self` rounded at `digits` decimal places in `mode`.
    pub fn round(self, digits: u32, mode: Rounding) -> Num {
        match self.scaled(digits, mode) {
            Some(k) => Num::decimal(k, digits),
            None => Num::TOO_LARGE,
        }
    }

    /// How many decimal places the exact value needs (`None`: infinitely many).
    pub fn places(self) -> Option<u32> {
        let d = self.denominator().max(1);
        (0..=38).find(|&p| 10i128.checked_pow(p).is_some_and(|s| s % d == 0))
    }

    /// The value as its digits and decimal places (`0.853` → `(853, 3)`),
    /// when its decimal expansion is finite.
    pub fn decimal_parts(self) -> Option<(i128, u32)> {
        // 10^k is 2^k × 5^k: its trailing zero bits count its places.
        let places = self.d.trailing_zeros();
        if self.d > 0 && POW10.get(places as usize) == Some(&self.d.unsigned_abs()) {
            return Some((self.n, places));
        }
        let places = self.places()?;
        Some((self.scaled(places, Rounding::HalfEven)?, places))
    }

    /// Exactly `digits` decimal places, rounded half-even if the value has
    /// more ("85.50").
    pub fn fixed(self, digits: u32) -> String {
        match self.scaled(digits, Rounding::HalfEven) {
            Some(k) => {
                let (mut out, mut buffer) = (Vec::new(), itoa::Buffer::new());
                let magnitude = buffer.format(k.unsigned_abs()).as_bytes();
                write_fixed(&mut out, k < 0, magnitude, digits);
                String::from_utf8(out).unwrap_or_default()
            }
            None => "?".to_string(),
        }
    }

    /// Parses a decimal number as written in a policy or a data cell
    /// (`-12.50`, `+3`, `.5`, `1.5e-5`); `None` when it is not one or has
    /// more than 36 significant digits.
    pub fn parse(text: &str) -> Option<Num> {
        if let Some(n) = plain_decimal(text.as_bytes()) {
            return Some(n);
        }
        let (mantissa, exponent) = match text.find(['e', 'E']) {
            Some(i) => (text.get(..i)?, text.get(i + 1..)?.parse::<i32>().ok()?),
            None => (text, 0),
        };
        let (negative, digits) = match mantissa.as_bytes().first()? {
            b'-' => (true, mantissa.get(1..)?),
            b'+' => (false, mantissa.get(1..)?),
            _ => (false, mantissa),
        };
        let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
        if int.is_empty() && frac.is_empty() {
            return None;
        }
        let mut m: i128 = 0;
        let mut significant = 0;
        for c in int.bytes().chain(frac.bytes()) {
            if !c.is_ascii_digit() {
                return None;
            }
            if m > 0 || c != b'0' {
                significant += 1;
            }
            if significant > 36 {
                return None;
            }
            m = m * 10 + i128::from(c - b'0');
        }
        let m = if negative { -m } else { m };
        let scale = i32::try_from(frac.len()).ok()? - exponent;
        let n = if scale >= 0 {
            Num::decimal(m, scale.unsigned_abs())
        } else {
            let p = 10i128.checked_pow(scale.unsigned_abs())?;
            Num::ratio(m.checked_mul(p)?, 1)
        };
        (!n.is_too_large()).then_some(n)
    }
}

/// A decimal of at most 18 characters after an optional `-` (`44.91`,
/// `-3`, `.5`), the common cell, read without the general parser's
/// searches (18 digits fit 64 bits); `None` for anything else.
fn plain_decimal(text: &[u8]) -> Option<Num> {
    let (m, places) = plain_digits(text)?;
    Some(Num::decimal(i128::from(m), places))
}

/// A plain decimal's digits and places (`-0.050` → `(-50, 3)`): an
/// optional `-`, at most 18 ASCII digits and one point, nothing else.
pub fn plain_digits(text: &[u8]) -> Option<(i64, u32)> {
    let (negative, digits) = match text.split_first()? {
        (b'-', rest) => (true, rest),
        _ => (false, text),
    };
    if digits.len() > 18 {
        return None;
    }
    let (mut m, mut places) = (0i64, None);
    for (i, &c) in digits.iter().enumerate() {
        match c {
            b'0'..=b'9' => m = m * 10 + i64::from(c - b'0'),
            b'.' if places.is_none() => places = Some(digits.len() - i - 1),
            _ => return None,
        }
    }
    if digits.len() == usize::from(places.is_some()) {
        return None;
    }
    let places = u32::try_from(places.unwrap_or(0)).ok()?;
    Some((if negative { -m } else { m }, places))
}

/// `±magnitude / 10^places` with every place, from the magnitude's decimal
/// digits (`9586`, 2 → `95.86`; `5`, 2 → `0.05`).
pub fn write_fixed(out: &mut Vec<u8>, negative: bool, magnitude: &[u8], places: u32) {
    if negative {
        out.push(b'-');
    }
    let places = places as usize;
    if places == 0 {
        out.extend_from_slice(magnitude);
        return;
    }
    let whole = magnitude.len().saturating_sub(places);
    match magnitude.get(..whole) {
        Some(w) if !w.is_empty() => out.extend_from_slice(w),
        _ => out.push(b'0'),
    }
    out.push(b'.');
    out.extend(std::iter::repeat_n(
        b'0',
        places.saturating_sub(magnitude.len()),
    ));
    out.extend_from_slice(magnitude.get(whole..).unwrap_or_default());
}

impl Default for Num {
    fn default() -> Num {
        Num::ZERO
    }
}

macro_rules! from_int {
    ($($t:ty),*) => {$(
        impl From<$t> for Num {
            fn from(x: $t) -> Num {
                Num::ratio(i128::from(x), 1)
            }
        }
    )*};
}
from_int!(i8, i16, i32, i64, u8, u16, u32, u64);

impl From<usize> for Num {
    fn from(x: usize) -> Num {
        Num::ratio(i128::try_from(x).unwrap_or(i128::MAX), 1)
    }
}

/// The exact value: a decimal when it has a finite expansion (`0.3`,
/// `69.965`), else a fraction (`6791/97`).
impl fmt::Display for Num {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_too_large() {
            return f.write_str("(too large)");
        }
        let r = self.reduced();
        match r.places() {
            Some(p) => f.write_str(&r.fixed(p)),
            None => write!(f, "{}/{}", r.n, r.d),
        }
    }
}

impl fmt::Debug for Num {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl std::str::FromStr for Num {
    type Err = String;
    fn from_str(s: &str) -> Result<Num, String> {
        Num::parse(s).ok_or_else(|| format!("`{s}` is not a number"))
    }
}

#[cfg(test)]
mod tests;
