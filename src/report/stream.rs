//! Writing many units: rendered in parallel a slice at a time, written in
//! order, so output of any size needs little memory and does not depend on
//! the number of threads; and numbers written straight from the kept whole
//! multiples of the last place.

use rayon::prelude::*;
use std::io::{self, Write};

/// Units rendered by one task.
const SLICE: usize = 512;
/// Slices rendered together; the next batch is rendered while one is
/// written.
const BATCH: usize = 32;

/// Writes `render(unit, buffer)` for the units `at(0) .. at(n - 1)`, in
/// that order.
pub fn units<W: Write + ?Sized>(
    out: &mut W,
    n: usize,
    at: impl Fn(usize) -> usize + Sync,
    render: impl Fn(usize, &mut Vec<u8>) + Sync,
) -> io::Result<()> {
    let starts: Vec<usize> = (0..n).step_by(SLICE).collect();
    let rendered = |batch: &[usize]| -> Vec<Vec<u8>> {
        batch
            .par_iter()
            .map(|&start| {
                let mut buffer = Vec::with_capacity(SLICE * 256);
                for i in start..(start + SLICE).min(n) {
                    render(at(i), &mut buffer);
                }
                buffer
            })
            .collect()
    };
    let mut batches = starts.chunks(BATCH);
    let mut current = batches.next().map(rendered).unwrap_or_default();
    loop {
        let following = batches.next();
        let mut next = None;
        // The output is written on this thread (it need not be `Send`)
        // while the other threads render the next batch.
        let written = rayon::in_place_scope(|scope| {
            if let Some(batch) = following {
                scope.spawn(|_| next = Some(rendered(batch)));
            }
            current.iter().try_for_each(|buffer| out.write_all(buffer))
        });
        written?;
        match next {
            Some(batch) => current = batch,
            None => return Ok(()),
        }
    }
}

/// `k / 10^places` with every place (`9586, 2` → `95.86`, `5, 2` → `0.05`).
pub fn fixed(out: &mut Vec<u8>, k: i64, places: u32) {
    if places == 2 {
        // The common precision: the whole part, then the point and two
        // digits as one small copy.
        let (whole, cents) = (k.unsigned_abs() / 100, k.unsigned_abs() % 100);
        if k < 0 {
            out.push(b'-');
        }
        let (tens, ones) = (b'0' + (cents / 10) as u8, b'0' + (cents % 10) as u8);
        // Most scores are below 100: their digits are written directly.
        match whole {
            0..10 => out.extend_from_slice(&[b'0' + whole as u8, b'.', tens, ones]),
            10..100 => {
                let (a, b) = (b'0' + (whole / 10) as u8, b'0' + (whole % 10) as u8);
                out.extend_from_slice(&[a, b, b'.', tens, ones]);
            }
            _ => {
                out.extend_from_slice(itoa::Buffer::new().format(whole).as_bytes());
                out.extend_from_slice(&[b'.', tens, ones]);
            }
        }
        return;
    }
    let mut digits = itoa::Buffer::new();
    let magnitude = digits.format(k.unsigned_abs()).as_bytes();
    crate::num::write_fixed(out, k < 0, magnitude, places);
}

/// `k / 10^places` without trailing zeros (`9500, 2` → `95`, `9550, 2` → `95.5`).
pub fn number(out: &mut Vec<u8>, k: i64, places: u32) {
    let (mut k, mut places) = (k, places);
    while places > 0 && k % 10 == 0 {
        k /= 10;
        places -= 1;
    }
    // Most numbers have two places, one or none left (`95.86`, `95.5`, `95`).
    match places {
        0 => out.extend_from_slice(itoa::Buffer::new().format(k).as_bytes()),
        1 => {
            if k < 0 {
                out.push(b'-');
            }
            let (whole, tenths) = (k.unsigned_abs() / 10, k.unsigned_abs() % 10);
            out.extend_from_slice(itoa::Buffer::new().format(whole).as_bytes());
            out.extend_from_slice(&[b'.', b'0' + tenths as u8]);
        }
        _ => fixed(out, k, places),
    }
}

/// A JSON string.
pub fn json_string(out: &mut Vec<u8>, s: &str) {
    // Writing to memory cannot fail.
    let _ = serde_json::to_writer(&mut *out, s);
}

/// An optional whole number in JSON (`null` when absent).
pub fn json_count(out: &mut Vec<u8>, n: Option<usize>) {
    match n {
        Some(n) => out.extend_from_slice(itoa::Buffer::new().format(n).as_bytes()),
        None => out.extend_from_slice(b"null"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn show(f: fn(&mut Vec<u8>, i64, u32), k: i64, p: u32) -> String {
        let mut out = Vec::new();
        f(&mut out, k, p);
        String::from_utf8(out).unwrap_or_default()
    }

    #[test]
    fn fixed_and_plain_numbers() {
        assert_eq!(show(fixed, 9586, 2), "95.86");
        assert_eq!(show(fixed, 5, 2), "0.05");
        assert_eq!(show(fixed, -5, 2), "-0.05");
        assert_eq!(show(fixed, 0, 2), "0.00");
        assert_eq!(show(fixed, 10000, 2), "100.00");
        assert_eq!(show(fixed, 42, 0), "42");
        assert_eq!(show(number, 9500, 2), "95");
        assert_eq!(show(number, 9550, 2), "95.5");
        assert_eq!(show(number, -30, 2), "-0.3");
        assert_eq!(show(number, 0, 2), "0");
    }

    #[test]
    fn fixed_and_plain_numbers_write_what_the_exact_number_shows() {
        let extremes = [
            i64::MIN,
            i64::MIN + 1,
            i64::MAX,
            -100,
            -99,
            -1,
            99,
            100,
            101,
            // Around the whole parts written digit by digit (below 100).
            999,
            1000,
            -1000,
            9999,
            10000,
            -10000,
        ];
        for k in (-2000..2000).map(|k| k * 7).chain(extremes) {
            for places in [0, 1, 2, 3] {
                let value = crate::num::Num::decimal(i128::from(k), places);
                assert_eq!(
                    show(fixed, k, places),
                    value.fixed(places),
                    "{k} at {places} places"
                );
                // The same number, without trailing zeros.
                let plain = show(number, k, places);
                assert_eq!(crate::num::Num::parse(&plain), Some(value), "{plain}");
                assert!(!(plain.contains('.') && plain.ends_with('0')), "{plain}");
            }
        }
    }

    #[test]
    fn units_come_out_in_order() {
        let mut out = Vec::new();
        let n = SLICE * BATCH * 2 + 7;
        let written = units(
            &mut out,
            n,
            |i| n - 1 - i,
            |u, b| {
                b.extend_from_slice(u.to_string().as_bytes());
                b.push(b'\n');
            },
        );
        assert!(written.is_ok());
        let text = String::from_utf8(out).unwrap_or_default();
        let got: Vec<usize> = text.lines().filter_map(|l| l.parse().ok()).collect();
        let want: Vec<usize> = (0..n).rev().collect();
        assert_eq!(got, want);
    }
}
