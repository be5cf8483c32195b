//! Exact numbers: every score is a rational number n/d over 128-bit
//! integers, kept in lowest terms, so thirds, rescaling factors (100/97),
//! redistributed shares and means of peers are exact, and a score is
//! rounded once, at the declared precision, from its exact value.
//!
//! A result whose numerator or denominator in lowest terms would pass
//! 2^127 (about 1.7 × 10^38) is not approximated: it becomes the marker
//! [`Num::TOO_LARGE`], which every later operation keeps, and the evaluator
//! reports it as an error naming the rule that produced it.
//!
//! Irrational results (square roots, logarithms, powers with a fractional
//! exponent: geometric and power means, z-scores) are computed with 28
//! significant digits by rust_decimal's software routines — no floating
//! point, so the same on every machine — and rounded half-even to
//! [`IRRATIONAL_PLACES`] decimal places; from there on arithmetic is exact
//! again, so a tie at the policy's precision is decided on those digits.

mod irrational;
mod wide;

pub use irrational::{geometric_mean, power_mean};

use crate::syntax::ast::Rounding;
use std::cmp::Ordering;
use std::fmt;

/// Decimal places kept of an irrational result.
pub const IRRATIONAL_PLACES: u32 = 18;

/// An exact rational number (see the module documentation).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Num {
    /// Numerator; never `i128::MIN`.
    n: i128,
    /// Denominator: at least 1 and coprime with `n`; 0 only in `TOO_LARGE`.
    d: i128,
}

impl Num {
    pub const ZERO: Num = Num { n: 0, d: 1 };
    pub const ONE: Num = Num { n: 1, d: 1 };
    pub const TWO: Num = Num { n: 2, d: 1 };
    pub const ONE_HUNDRED: Num = Num { n: 100, d: 1 };
    /// A result too large to hold exactly.
    pub const TOO_LARGE: Num = Num { n: 0, d: 0 };

    /// n/d in lowest terms; `TOO_LARGE` when `d` is 0 or a part overflows.
    pub fn ratio(n: i128, d: i128) -> Num {
        if d == 0 || n == i128::MIN || d == i128::MIN {
            return Num::TOO_LARGE;
        }
        let (n, d) = if d < 0 { (-n, -d) } else { (n, d) };
        let g = gcd(n.unsigned_abs(), d.unsigned_abs());
        Num {
            n: div(n, g),
            d: div(d, g),
        }
    }

    /// `mantissa / 10^scale` (`decimal(85, 2)` is 0.85).
    pub fn decimal(mantissa: i128, scale: u32) -> Num {
        match 10i128.checked_pow(scale) {
            Some(p) => Num::ratio(mantissa, p),
            None => Num::TOO_LARGE,
        }
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
        self.d == 1
    }

    pub fn numerator(self) -> i128 {
        self.n
    }

    pub fn denominator(self) -> i128 {
        self.d
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
        let f = self.n.div_euclid(self.d.max(1));
        self.whole(if self.d > 1 { f + 1 } else { f })
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
        let scale = 10u128.checked_pow(digits)?;
        let d = self.d.unsigned_abs();
        let (whole, rest) = (self.n.unsigned_abs() / d, self.n.unsigned_abs() % d);
        let (fraction, remainder) = wide::mul_div(rest, scale, d);
        let mut magnitude = whole.checked_mul(scale)?.checked_add(fraction)?;
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

    /// Whether the value is a decimal fraction (its denominator divides a
    /// power of ten), so it has a finite decimal expansion.
    pub fn is_decimal(self) -> bool {
        let mut d = self.d;
        if d == 0 {
            return false;
        }
        for p in [2, 5] {
            while d % p == 0 {
                d /= p;
            }
        }
        d == 1
    }

    /// How many decimal places the exact value needs (`None`: infinitely many).
    pub fn places(self) -> Option<u32> {
        (0..=38).find(|&p| {
            10i128
                .checked_pow(p)
                .is_some_and(|s| s % self.d.max(1) == 0)
        })
    }

    /// Exactly `digits` decimal places, rounded half-even if the value has
    /// more ("85.50").
    pub fn fixed(self, digits: u32) -> String {
        match self.scaled(digits, Rounding::HalfEven) {
            Some(k) => write_scaled(k, digits),
            None => "?".to_string(),
        }
    }

    /// Parses a decimal number as written in a policy or a data cell
    /// (`-12.50`, `+3`, `.5`, `1.5e-5`); `None` when it is not one or has
    /// more than 36 significant digits.
    pub fn parse(text: &str) -> Option<Num> {
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

/// `k / 10^digits` written out.
fn write_scaled(k: i128, digits: u32) -> String {
    let magnitude = k.unsigned_abs().to_string();
    let digits = digits as usize;
    let padded = format!("{magnitude:0>width$}", width = digits + 1);
    let (int, frac) = padded.split_at(padded.len() - digits);
    let sign = if k < 0 { "-" } else { "" };
    if frac.is_empty() {
        format!("{sign}{int}")
    } else {
        format!("{sign}{int}.{frac}")
    }
}

fn gcd(a: u128, b: u128) -> u128 {
    if let (Ok(a), Ok(b)) = (u64::try_from(a), u64::try_from(b)) {
        return u128::from(gcd64(a, b));
    }
    if a == 0 {
        return b;
    }
    if b == 0 {
        return a;
    }
    let shift = (a | b).trailing_zeros();
    let (mut a, mut b) = (a >> a.trailing_zeros(), b);
    while b != 0 {
        b >>= b.trailing_zeros();
        if a > b {
            std::mem::swap(&mut a, &mut b);
        }
        b -= a;
    }
    a << shift
}

fn gcd64(a: u64, b: u64) -> u64 {
    if a == 0 {
        return b;
    }
    if b == 0 {
        return a;
    }
    let shift = (a | b).trailing_zeros();
    let (mut a, mut b) = (a >> a.trailing_zeros(), b);
    while b != 0 {
        b >>= b.trailing_zeros();
        if a > b {
            std::mem::swap(&mut a, &mut b);
        }
        b -= a;
    }
    a << shift
}

/// `n / g` for a divisor `g` of `n` (64-bit division when both fit).
fn div(n: i128, g: u128) -> i128 {
    if g == 1 {
        return n;
    }
    if let (Ok(m), Ok(h)) = (u64::try_from(n.unsigned_abs()), u64::try_from(g)) {
        let q = i128::from(m / h);
        return if n < 0 { -q } else { q };
    }
    let q = i128::try_from(n.unsigned_abs() / g).unwrap_or(0);
    if n < 0 { -q } else { q }
}

fn checked(n: Option<i128>, d: Option<i128>) -> Num {
    match (n, d) {
        (Some(n), Some(d)) if n != i128::MIN => Num { n, d },
        _ => Num::TOO_LARGE,
    }
}

impl std::ops::Add for Num {
    type Output = Num;
    fn add(self, o: Num) -> Num {
        if self.d == 0 || o.d == 0 {
            return Num::TOO_LARGE;
        }
        if self.d == o.d {
            let Some(n) = self.n.checked_add(o.n) else {
                return Num::TOO_LARGE;
            };
            return if self.d == 1 {
                checked(Some(n), Some(1))
            } else {
                Num::ratio(n, self.d)
            };
        }
        let g = gcd(self.d.unsigned_abs(), o.d.unsigned_abs());
        let (s, t) = (div(self.d, g), div(o.d, g));
        let n = self
            .n
            .checked_mul(t)
            .and_then(|a| o.n.checked_mul(s).and_then(|b| a.checked_add(b)));
        if g == 1 {
            return checked(n, self.d.checked_mul(o.d));
        }
        // Knuth's addition: only a factor of g can be common to n and s·t·g.
        let Some(n) = n else {
            return Num::TOO_LARGE;
        };
        let g2 = gcd(n.unsigned_abs(), g);
        checked(Some(div(n, g2)), s.checked_mul(div(o.d, g2)))
    }
}

impl std::ops::Neg for Num {
    type Output = Num;
    fn neg(self) -> Num {
        Num {
            n: -self.n,
            d: self.d,
        }
    }
}

impl std::ops::Sub for Num {
    type Output = Num;
    fn sub(self, o: Num) -> Num {
        self + -o
    }
}

impl std::ops::Mul for Num {
    type Output = Num;
    fn mul(self, o: Num) -> Num {
        if self.d == 0 || o.d == 0 {
            return Num::TOO_LARGE;
        }
        if self.d == 1 && o.d == 1 {
            return checked(self.n.checked_mul(o.n), Some(1));
        }
        let g1 = gcd(self.n.unsigned_abs(), o.d.unsigned_abs());
        let g2 = gcd(o.n.unsigned_abs(), self.d.unsigned_abs());
        checked(
            div(self.n, g1).checked_mul(div(o.n, g2)),
            div(self.d, g2).checked_mul(div(o.d, g1)),
        )
    }
}

/// Division; a zero divisor gives `TOO_LARGE` (callers that can meet one
/// use [`Num::checked_div`] and say so).
impl std::ops::Div for Num {
    type Output = Num;
    fn div(self, o: Num) -> Num {
        self.checked_div(o).unwrap_or(Num::TOO_LARGE)
    }
}

impl std::ops::AddAssign for Num {
    fn add_assign(&mut self, o: Num) {
        *self = *self + o;
    }
}

impl std::ops::SubAssign for Num {
    fn sub_assign(&mut self, o: Num) {
        *self = *self - o;
    }
}

impl std::ops::MulAssign for Num {
    fn mul_assign(&mut self, o: Num) {
        *self = *self * o;
    }
}

impl std::iter::Sum for Num {
    fn sum<I: Iterator<Item = Num>>(iter: I) -> Num {
        iter.fold(Num::ZERO, |a, b| a + b)
    }
}

impl<'a> std::iter::Sum<&'a Num> for Num {
    fn sum<I: Iterator<Item = &'a Num>>(iter: I) -> Num {
        iter.fold(Num::ZERO, |a, b| a + *b)
    }
}

impl PartialOrd for Num {
    fn partial_cmp(&self, other: &Num) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// By value; `TOO_LARGE` sorts below every number.
impl Ord for Num {
    fn cmp(&self, o: &Num) -> Ordering {
        match (self.d, o.d) {
            (0, 0) => return Ordering::Equal,
            (0, _) => return Ordering::Less,
            (_, 0) => return Ordering::Greater,
            (a, b) if a == b => return self.n.cmp(&o.n),
            _ => {}
        }
        match (self.n.checked_mul(o.d), o.n.checked_mul(self.d)) {
            (Some(a), Some(b)) => a.cmp(&b),
            _ => wide::cmp_products(self.n, o.d, o.n, self.d),
        }
    }
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
        match self.places() {
            Some(p) => f.write_str(&self.fixed(p)),
            None => write!(f, "{}/{}", self.n, self.d),
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
