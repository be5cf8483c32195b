//! 256-bit products, for the rare comparisons and roundings whose
//! intermediate values pass 128 bits.

use std::cmp::Ordering;

/// `a × b` as (high, low) halves.
fn mul(a: u128, b: u128) -> (u128, u128) {
    const LOW: u128 = u64::MAX as u128;
    let (a1, a0) = (a >> 64, a & LOW);
    let (b1, b0) = (b >> 64, b & LOW);
    let (p00, p01, p10, p11) = (a0 * b0, a0 * b1, a1 * b0, a1 * b1);
    let middle = (p00 >> 64) + (p01 & LOW) + (p10 & LOW);
    let low = (p00 & LOW) | (middle << 64);
    let high = p11 + (p01 >> 64) + (p10 >> 64) + (middle >> 64);
    (high, low)
}

/// `(a × b) / c` and `(a × b) % c`, for `a < c` (so the quotient is below
/// `b`) and `c < 2^127`.
pub fn mul_div(a: u128, b: u128, c: u128) -> (u128, u128) {
    if c == 0 {
        return (0, 0);
    }
    if let Some(p) = a.checked_mul(b) {
        let q = p / c;
        return (q, p - q * c);
    }
    let (high, low) = mul(a, b);
    let (mut q, mut r) = (0u128, 0u128);
    for i in (0..256).rev() {
        let bit = if i >= 128 {
            (high >> (i - 128)) & 1
        } else {
            (low >> i) & 1
        };
        r = (r << 1) | bit;
        q <<= 1;
        if r >= c {
            r -= c;
            q |= 1;
        }
    }
    (q, r)
}

/// Compares `a × b` with `c × d` for positive `b` and `d`.
pub fn cmp_products(a: i128, b: i128, c: i128, d: i128) -> Ordering {
    let sign = |x: i128| x.signum();
    match sign(a).cmp(&sign(c)) {
        Ordering::Equal => {}
        other => return other,
    }
    let left = mul(a.unsigned_abs(), b.unsigned_abs());
    let right = mul(c.unsigned_abs(), d.unsigned_abs());
    if a < 0 {
        right.cmp(&left)
    } else {
        left.cmp(&right)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn products_past_128_bits() {
        let big = u128::MAX >> 2;
        let (q, r) = mul_div(big - 1, big, big);
        assert_eq!((q, r), (big - 1, 0));
        assert_eq!(mul_div(3, 5, 4), (3, 3));
        assert_eq!(cmp_products(i128::MAX, 3, i128::MAX, 2), Ordering::Greater);
        assert_eq!(cmp_products(-i128::MAX, 3, -i128::MAX, 2), Ordering::Less);
        assert_eq!(cmp_products(-1, 3, 1, 2), Ordering::Less);
    }
}
