//! Arithmetic on [`Num`]: while both parts of both operands are below
//! 2^63, a sum or product is a few 128-bit multiplications that cannot
//! overflow, and the result is reduced only if a part passes 2^63; larger
//! operands are reduced first and combined with checked arithmetic.

use super::{Num, Rounding, wide};
use std::cmp::Ordering;

/// Parts below this (in magnitude) multiply without overflow.
pub(super) const SMALL: i128 = 1 << 63;

pub(super) fn small(x: i128) -> bool {
    x > -SMALL && x < SMALL
}

fn both_small(a: Num, b: Num) -> bool {
    small(a.n) && small(b.n) && a.d < SMALL && b.d < SMALL
}

impl std::ops::Add for Num {
    type Output = Num;
    fn add(self, o: Num) -> Num {
        if self.d == 0 || o.d == 0 {
            return Num::TOO_LARGE;
        }
        if self.d == o.d
            && let Some(n) = self.n.checked_add(o.n)
            && n != i128::MIN
        {
            return Num::tidy(n, self.d);
        }
        if both_small(self, o) {
            if self.d == 1 {
                return Num::tidy(self.n * o.d + o.n, o.d);
            }
            if o.d == 1 {
                return Num::tidy(self.n + o.n * self.d, self.d);
            }
            // Over the least common denominator, so sums of many terms do
            // not grow it.
            let (a, b) = (self.d as u64, o.d as u64);
            let g = gcd64(a, b);
            let (s, t) = if g == 1 {
                (self.d, o.d)
            } else {
                (i128::from(a / g), i128::from(b / g))
            };
            return Num::tidy(self.n * t + o.n * s, s * o.d);
        }
        add_large(self.reduced(), o.reduced())
    }
}

/// Knuth's addition of fractions in lowest terms: only a factor of
/// gcd(b, d) can be common to the new numerator and denominator.
fn add_large(a: Num, b: Num) -> Num {
    let g = gcd(a.d.unsigned_abs(), b.d.unsigned_abs());
    let (s, t) = (div(a.d, g), div(b.d, g));
    let n =
        a.n.checked_mul(t)
            .and_then(|x| b.n.checked_mul(s).and_then(|y| x.checked_add(y)));
    let Some(n) = n.filter(|n| *n != i128::MIN) else {
        return Num::TOO_LARGE;
    };
    let g2 = gcd(n.unsigned_abs(), g);
    match s.checked_mul(div(b.d, g2)) {
        Some(d) => Num::tidy(div(n, g2), d),
        None => Num::TOO_LARGE,
    }
}

impl std::ops::Mul for Num {
    type Output = Num;
    fn mul(self, o: Num) -> Num {
        if self.d == 0 || o.d == 0 {
            return Num::TOO_LARGE;
        }
        // A factor of one (a node nothing rescaled) is the common case.
        if o.n == o.d {
            return self;
        }
        if both_small(self, o) {
            return Num::tidy(self.n * o.n, self.d * o.d);
        }
        let (a, b) = (self.reduced(), o.reduced());
        let g1 = gcd(a.n.unsigned_abs(), b.d.unsigned_abs());
        let g2 = gcd(b.n.unsigned_abs(), a.d.unsigned_abs());
        let n = div(a.n, g1).checked_mul(div(b.n, g2));
        let d = div(a.d, g2).checked_mul(div(b.d, g1));
        match (n, d) {
            (Some(n), Some(d)) if n != i128::MIN => Num::tidy(n, d),
            _ => Num::TOO_LARGE,
        }
    }
}

impl Num {
    /// `(self × factor).scaled(digits, mode)`: while the parts are small,
    /// the product is rounded as it is, not reduced first (its value is
    /// the same).
    pub fn scaled_product(self, factor: Num, digits: u32, mode: Rounding) -> Option<i128> {
        let product = if both_small(self, factor) {
            Num {
                n: self.n * factor.n,
                d: self.d * factor.d,
            }
        } else {
            self * factor
        };
        product.scaled(digits, mode)
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

/// A sum of many numbers: terms over the same denominator (the common
/// case: whole points, halves, thirds, percentages) are added as integers,
/// and the few denominators combined at the end.
#[derive(Clone, Copy, Default)]
pub struct Total {
    /// (denominator, sum of numerators) of the first denominators met,
    /// while both fit 64 bits.
    buckets: [(i64, i64); 4],
    used: usize,
    rest: Option<Num>,
}

impl Total {
    pub fn add(&mut self, x: Num) {
        if let (Ok(d), Ok(n)) = (i64::try_from(x.d), i64::try_from(x.n)) {
            let found = self.buckets.iter_mut().take(self.used).find(|b| b.0 == d);
            if let Some(bucket) = found
                && let Some(sum) = bucket.1.checked_add(n)
            {
                bucket.1 = sum;
                return;
            }
            if let Some(slot) = self.buckets.get_mut(self.used) {
                *slot = (d, n);
                self.used += 1;
                return;
            }
        }
        self.rest = Some(self.rest.map_or(x, |r| r + x));
    }

    pub fn total(&self) -> Num {
        let mut sums = (self.buckets.iter().take(self.used))
            .map(|&(d, n)| Num::tidy(i128::from(n), i128::from(d)));
        let first = self.rest.or_else(|| sums.next()).unwrap_or(Num::ZERO);
        sums.fold(first, |t, x| t + x)
    }
}

impl std::iter::Sum for Num {
    fn sum<I: Iterator<Item = Num>>(iter: I) -> Num {
        let mut t = Total::default();
        iter.for_each(|x| t.add(x));
        t.total()
    }
}

impl<'a> std::iter::Sum<&'a Num> for Num {
    fn sum<I: Iterator<Item = &'a Num>>(iter: I) -> Num {
        iter.copied().sum()
    }
}

impl PartialEq for Num {
    fn eq(&self, o: &Num) -> bool {
        self.cmp(o) == Ordering::Equal
    }
}

impl Eq for Num {}

impl std::hash::Hash for Num {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        let r = self.reduced();
        (r.n, r.d).hash(state);
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
        if both_small(*self, *o) {
            return (self.n * o.d).cmp(&(o.n * self.d));
        }
        match (self.n.checked_mul(o.d), o.n.checked_mul(self.d)) {
            (Some(a), Some(b)) => a.cmp(&b),
            _ => wide::cmp_products(self.n, o.d, o.n, self.d),
        }
    }
}

/// Stein's binary algorithm, for any unsigned width.
macro_rules! binary_gcd {
    ($a:expr, $b:expr) => {{
        let (a, b) = ($a, $b);
        if a == 0 || b == 0 {
            a | b
        } else {
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
    }};
}

pub(super) fn gcd(a: u128, b: u128) -> u128 {
    match (u64::try_from(a), u64::try_from(b)) {
        (Ok(a), Ok(b)) => u128::from(gcd64(a, b)),
        _ => binary_gcd!(a, b),
    }
}

fn gcd64(a: u64, b: u64) -> u64 {
    // One division first: most pairs of denominators that meet are a
    // number and a multiple of it (10 and 10^4), and the others are
    // smaller after it.
    let (low, high) = if a < b { (a, b) } else { (b, a) };
    match high.checked_rem(low) {
        Some(0) => low,
        Some(r) => binary_gcd!(low, r),
        None => high,
    }
}

/// `n / g` for a divisor `g` of `n` (64-bit division when both fit).
pub(super) fn div(n: i128, g: u128) -> i128 {
    if g == 1 {
        return n;
    }
    let q = match (u64::try_from(n.unsigned_abs()), u64::try_from(g)) {
        (Ok(m), Ok(h)) => i128::from(m / h),
        _ => i128::try_from(n.unsigned_abs() / g).unwrap_or(0),
    };
    if n < 0 { -q } else { q }
}

#[cfg(test)]
mod tests {
    use super::{gcd, gcd64};

    fn euclid(mut a: u128, mut b: u128) -> u128 {
        while b != 0 {
            (a, b) = (b, a % b);
        }
        a
    }

    #[test]
    fn divisors_agree_with_euclid() {
        let numbers = [
            0,
            1,
            2,
            3,
            7,
            10,
            97,
            100,
            970,
            10_000,
            84_000_000,
            252_000_000,
            1 << 40,
            (1 << 40) * 3,
            u64::MAX / 3,
            u64::MAX,
        ];
        for a in numbers {
            for b in numbers {
                let expected = euclid(u128::from(a), u128::from(b));
                assert_eq!(u128::from(gcd64(a, b)), expected, "gcd({a}, {b})");
                assert_eq!(
                    gcd(u128::from(a) << 64, u128::from(b) << 64),
                    expected << 64
                );
            }
        }
    }
}
