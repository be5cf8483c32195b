use super::*;

fn n(s: &str) -> Num {
    Num::parse(s).unwrap_or(Num::TOO_LARGE)
}

fn third() -> Num {
    Num::ONE / Num::from(3)
}

#[test]
fn sums_and_products_are_exact() {
    assert_eq!((n("0.1") + n("0.2")).to_string(), "0.3");
    assert_eq!(n("2.675") * third() * Num::from(3), n("2.675"));
    assert_eq!((third() + third() + third()), Num::ONE);
    assert_eq!((Num::from(100) / Num::from(97)).to_string(), "100/97");
}

#[test]
fn ties_round_in_the_declared_mode() {
    let up = |s: Num| s.round(2, Rounding::HalfUp).to_string();
    let even = |s: Num| s.round(2, Rounding::HalfEven).to_string();
    assert_eq!(up(n("2.675")), "2.68");
    assert_eq!(up(n("1.005")), "1.01");
    assert_eq!(up(n("-1.005")), "-1.01");
    assert_eq!(up(n("1.004")), "1");
    assert_eq!(even(n("2.665")), "2.66");
    assert_eq!(even(n("2.675")), "2.68");
    assert_eq!(even(n("1.0051")), "1.01");
    // 13993/200 reached through thirds and a rescale factor.
    let score = Num::from(13993) / Num::from(3) * Num::from(3) / Num::from(200);
    assert_eq!(up(score), "69.97");
    let rescaled = Num::from(6786605) / Num::from(97) * Num::from(97) / Num::from(100000);
    assert_eq!(up(rescaled), "67.87");
}

#[test]
fn a_product_is_rounded_as_its_reduced_value_is() {
    let big = Num::ratio(i128::from(i64::MAX), 3);
    let values = [
        n("2.675"),
        n("-1.005"),
        n("69.965"),
        third(),
        Num::from(100) / Num::from(97),
        big,
        Num::ratio(1, 1 << 100),
        Num::ZERO,
        Num::TOO_LARGE,
    ];
    for a in values {
        for b in values {
            for mode in [Rounding::HalfUp, Rounding::HalfEven] {
                let want = (a * b).scaled(2, mode);
                assert_eq!(a.scaled_product(b, 2, mode), want, "{a} × {b}");
            }
        }
    }
    // 0.5 × 5.35 = 2.675 exactly: a tie, whatever the unreduced form.
    let tie = n("0.5").scaled_product(n("5.35"), 2, Rounding::HalfUp);
    assert_eq!(tie, Some(268));
}

#[test]
fn fixed_shows_every_place() {
    assert_eq!(n("85.5").fixed(2), "85.50");
    assert_eq!(n("-0.05").fixed(1), "0.0");
    assert_eq!(n("-0.06").fixed(1), "-0.1");
    assert_eq!(n("0.05").fixed(0), "0");
    assert_eq!(Num::ZERO.fixed(2), "0.00");
    assert_eq!(third().fixed(4), "0.3333");
}

#[test]
fn parsing() {
    assert_eq!(n("-12.50"), Num::ratio(-25, 2));
    assert_eq!(n(".5"), Num::ratio(1, 2));
    assert_eq!(n("+3"), Num::from(3));
    assert_eq!(n("1.5e-5"), Num::ratio(15, 1_000_000));
    assert_eq!(n("2E3"), Num::from(2000));
    for bad in ["", "-", ".", "1.2.3", "1e", "abc", "1 2", "--1"] {
        assert_eq!(Num::parse(bad), None, "{bad}");
    }
    assert_eq!(Num::parse(&"9".repeat(37)), None);
    assert!(Num::parse(&"9".repeat(36)).is_some());
    assert_eq!(Num::parse("1e99999999999"), None);
}

#[test]
fn a_plain_decimal_reads_as_the_general_parser_reads_it() {
    let cases = [
        ("44.91", 4491, 100),
        ("-3", -3, 1),
        ("5.", 5, 1),
        ("-0.050", -1, 20),
        ("999999999999999999", 999_999_999_999_999_999, 1),
        ("0.0000000000000001", 1, 10_000_000_000_000_000),
    ];
    for (text, num, den) in cases {
        assert_eq!(
            plain_decimal(text.as_bytes()),
            Some(Num::ratio(num, den)),
            "{text}"
        );
    }
    // Left to the general parser: a sign of +, an exponent, 19 digits.
    for other in [
        "+3",
        "1e5",
        "1234567890123456789",
        "1.2.3",
        "-",
        ".",
        "-.",
        "1-",
    ] {
        assert_eq!(plain_decimal(other.as_bytes()), None, "{other}");
    }
    assert_eq!(
        n("1234567890123456789"),
        Num::from(1_234_567_890_123_456_789_u64)
    );
}

#[test]
fn comparisons_past_128_bits() {
    let big = Num::ratio(i128::MAX - 1, i128::MAX);
    let bigger = Num::ratio(i128::MAX - 2, i128::MAX - 1);
    assert!(big > bigger);
    assert!(-big < -bigger);
    assert!(Num::TOO_LARGE < -big);
    let r = Num::ratio(i128::MAX / 3, i128::MAX - 10);
    assert_eq!(r.round(2, Rounding::HalfUp).to_string(), "0.33");
}

#[test]
fn overflow_is_kept_not_wrapped() {
    let big = Num::from(i64::MAX) * Num::from(i64::MAX);
    assert!(!big.is_too_large());
    let over = big * Num::from(i64::MAX) * Num::from(i64::MAX);
    assert!(over.is_too_large());
    assert!((over + Num::ONE).is_too_large());
    assert!((over * Num::ZERO).is_too_large());
    assert_eq!(Num::ONE.checked_div(Num::ZERO), None);
    let tiny = Num::ratio(1, i128::MAX) * Num::ratio(1, 3);
    assert!(tiny.is_too_large());
    assert_eq!(over.scaled(2, Rounding::HalfUp), None);
}

#[test]
fn floor_ceil_abs() {
    assert_eq!(n("-2.5").floor(), Num::from(-3));
    assert_eq!(n("-2.5").ceil(), Num::from(-2));
    assert_eq!(n("2.5").floor(), Num::from(2));
    assert_eq!(n("2.5").ceil(), Num::from(3));
    assert_eq!(n("2").ceil(), Num::from(2));
    assert_eq!(n("-2.5").abs(), n("2.5"));
}

#[test]
fn display_is_exact() {
    assert_eq!(n("69.965").to_string(), "69.965");
    assert_eq!((Num::from(6791) / Num::from(97)).to_string(), "6791/97");
    assert_eq!(Num::from(-3).to_string(), "-3");
    assert_eq!(n("0.000001").to_string(), "0.000001");
}

#[test]
fn irrational_results_keep_twelve_places() {
    let root = Num::TWO.sqrt().unwrap_or_default();
    assert_eq!(root.to_string(), "1.414213562373");
    assert_eq!(Num::from(16).sqrt(), Some(Num::from(4)));
    assert_eq!(Num::from(-1).sqrt(), None);
    assert_eq!(Num::TWO.pow(Num::from(-2)), Some(Num::ratio(1, 4)));
    let cube = Num::TWO.pow(third()).unwrap_or_default();
    assert_eq!(cube.to_string(), "1.259921049895");
}

#[test]
fn logarithms_and_exponentials_keep_twelve_places() {
    // ln 2 = 0.693147180559945…, e = 2.718281828459045…, log10 2 = 0.301029995663981…
    assert_eq!(
        Num::TWO.ln().map(|x| x.to_string()),
        Some("0.69314718056".into())
    );
    assert_eq!(
        Num::ONE.exp().map(|x| x.to_string()),
        Some("2.718281828459".into())
    );
    assert_eq!(
        Num::TWO.log10().map(|x| x.to_string()),
        Some("0.301029995664".into())
    );
    assert_eq!(
        Num::from(1000).log10(),
        Some(Num::from(3)),
        "a power of ten, exactly"
    );
    assert_eq!(Num::ONE.ln(), Some(Num::ZERO));
    assert_eq!(Num::ZERO.exp(), Some(Num::ONE));
    assert_eq!(Num::ZERO.ln(), None);
    assert_eq!(Num::from(-1).log10(), None);
    assert_eq!(Num::from(1000).exp(), None, "past what a decimal holds");
}

#[test]
fn a_factor_of_one_keeps_the_number_and_too_large_stays_too_large() {
    let x = n("2.675");
    // An unreduced one, as a rescale factor can be.
    let one = Num { n: 97, d: 97 };
    assert!((x * one).same(x));
    assert!((x * Num::ONE).same(x));
    assert!((Num::TOO_LARGE * Num::ONE).is_too_large());
    assert!((x * Num::TOO_LARGE).is_too_large());
    assert!((Num::ONE * Num::TOO_LARGE).is_too_large());
    assert_eq!(third() * Num::ratio(3, 1), Num::ONE);
}

#[test]
fn a_total_is_the_sum_added_term_by_term() {
    // Numerators near 2^63 and past it, more denominators than a total
    // keeps apart, negatives, and one part past 64 bits.
    let near = i128::from(i64::MAX);
    let terms = [
        n("1.5"),
        third(),
        Num::ratio(2, 7),
        Num::ratio(near, 1),
        Num::ratio(near, 1),
        Num::ratio(5, 11),
        Num::ratio(-1, 3),
        Num::ratio(i128::from(i64::MIN), 7),
        Num::ratio(1, 1 << 70),
        n("-2.25"),
        n("0.5"),
        Num::ratio(4, 7),
    ];
    for k in 0..=terms.len() {
        let some = terms.get(..k).unwrap_or_default();
        let added = some.iter().fold(Num::ZERO, |t, x| t + *x);
        let total: Num = some.iter().sum();
        assert_eq!(total, added, "{k} terms");
    }
    let mut total = Total::default();
    total.add(Num::ONE);
    total.add(Num::TOO_LARGE);
    total.add(third());
    assert!(total.total().is_too_large());
}

#[test]
fn places_round_as_scaled_does_and_skip_the_division_only_when_exact() {
    let numerators = (-300..300).step_by(7).chain([
        i128::from(i64::MAX),
        i128::from(i64::MIN) + 1,
        i128::from(i64::MAX) * 1000,
    ]);
    let numerators: Vec<i128> = numerators.collect();
    for digits in 0..5 {
        for mode in [Rounding::HalfUp, Rounding::HalfEven] {
            let places = Places::new(digits, mode);
            let scale = 10i128.pow(digits);
            for d in 1..140 {
                for &n in &numerators {
                    // Unreduced, as sums and products leave fractions.
                    let x = Num { n, d };
                    let want = x.scaled(digits, mode).and_then(|k| i64::try_from(k).ok());
                    assert_eq!(places.fixed(x), want, "{n}/{d} at {digits}");
                    match places.exact(x) {
                        Some(k) => assert!(scale % d == 0 && Some(k) == want, "{n}/{d}"),
                        None => assert!(scale % d != 0 || want.is_none(), "{n}/{d}"),
                    }
                }
            }
            assert_eq!(places.fixed(Num::TOO_LARGE), None);
            assert_eq!(places.exact(Num::TOO_LARGE), None);
        }
    }
}
