//! One cell: text → typed value. Full-width digits and signs (as Excel and
//! Chinese input methods produce them) are read as their ASCII forms.

use crate::ir::{InputType, Value};
use crate::num::Num;
use std::str::FromStr;

/// `s` without white space at either end (as `str::trim`), quickly when
/// neither end can be white space: a white-space character starts with an
/// ASCII space or control byte, or with one of the lead bytes 0xC2, 0xE1,
/// 0xE2, 0xE3 (U+0085, U+00A0, U+1680, U+2000–U+205F, U+3000).
pub fn trim(s: &str) -> &str {
    let could_be_space = |lead: u8| lead <= b' ' || matches!(lead, 0xC2 | 0xE1..=0xE3);
    let b = s.as_bytes();
    let last_lead = b.iter().rev().take(4).find(|x| !(0x80..0xC0).contains(*x));
    match (b.first(), last_lead) {
        (Some(&first), Some(&last)) if !could_be_space(first) && !could_be_space(last) => s,
        _ => s.trim(),
    }
}

/// The most significant digits a number cell may have (kept exactly).
const MAX_DIGITS: usize = 36;

/// Parses a trimmed cell. A blank cell is `Value::Absent`; `Err` holds what
/// was expected.
pub fn parse(ty: &InputType, raw: &str) -> Result<Value, String> {
    match plain(ty, raw) {
        Some(n) => Ok(Value::Number(n)),
        None => general(ty, raw),
    }
}

/// [`parse`] for any cell, plain or not.
fn general(ty: &InputType, raw: &str) -> Result<Value, String> {
    if raw.is_empty() {
        return Ok(Value::Absent);
    }
    let fail = || {
        // Digits a number cannot hold exactly: say so, not "not a number".
        let digits = raw.chars().filter(char::is_ascii_digit).count();
        let numeric = raw
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | '-' | '+' | '%'));
        if numeric && digits > MAX_DIGITS {
            format!(
                "{} with at most {MAX_DIGITS} significant digits",
                ty.describe()
            )
        } else {
            ty.describe()
        }
    };
    match ty {
        InputType::Text => Ok(Value::Absent),
        InputType::Bool => boolean(raw).map(Value::Bool).ok_or_else(fail),
        InputType::Number { range } => {
            let n = number(raw).ok_or_else(fail)?;
            match range {
                Some((lo, hi)) if n < *lo || n > *hi => Err(fail()),
                _ => Ok(Value::Number(n)),
            }
        }
        InputType::Count => match number(raw) {
            Some(n) if n >= Num::ZERO && n.is_integer() => Ok(Value::Number(n)),
            _ => Err(fail()),
        },
        InputType::Percent { range } => {
            let (lo, hi) = range.unwrap_or((Num::ZERO, Num::ONE));
            match percent(raw) {
                Some(n) if n >= lo && n <= hi => Ok(Value::Number(n)),
                Some(_) if range.is_none() => Err(format!(
                    "{} (an input whose values may pass 100% declares its range: `percent 0..200`)",
                    ty.describe()
                )),
                _ => Err(fail()),
            }
        }
        InputType::Ratio => {
            let n = if raw.ends_with('%') || raw.ends_with('％') {
                percent(raw)
            } else {
                number(raw)
            };
            match n {
                Some(n) if n >= Num::ZERO && n <= Num::ONE => Ok(Value::Number(n)),
                _ => Err(fail()),
            }
        }
        InputType::Choice(choices) => choices
            .iter()
            .position(|c| c == raw)
            .map(|i| Value::Choice(u16::try_from(i).unwrap_or(u16::MAX)))
            .ok_or_else(fail),
        InputType::Set(choices) => set(choices, raw).map(Value::Set).ok_or_else(fail),
    }
}

/// A cell of plain ASCII digits (an optional `-`, at most one point, and
/// `%` where a percent is read) that is a valid value of a number, count,
/// ratio or percent input with no declared range: read as its digits, and
/// checked against its range as whole numbers, without fractions. `None`
/// leaves the cell to the general reading (which also says what is wrong).
fn plain(ty: &InputType, raw: &str) -> Option<Num> {
    plain_digits(ty, raw).map(|(m, places)| Num::decimal(i128::from(m), places))
}

/// [`plain`]'s number as its digits and places (`85%` → 85 and 2).
pub fn plain_digits(ty: &InputType, raw: &str) -> Option<(i64, u32)> {
    let (digits, percent) = match raw.strip_suffix('%') {
        Some(digits) => (digits, true),
        None => (raw, false),
    };
    let number = || crate::num::plain_digits(digits.as_bytes());
    let pow10 = crate::num::pow10;
    // A count is whole and not negative: 0 ≤ m, and m a multiple of 10^places.
    let whole = |m: i64, places: u32| m >= 0 && pow10(places).is_some_and(|p| m % p == 0);
    // A value from 0 to 1 has 0 ≤ m ≤ 10^places.
    let from_0_to_1 = |(m, places): (i64, u32)| {
        let one = pow10(places)?;
        (0..=one).contains(&m).then_some((m, places))
    };
    let (m, places) = match ty {
        InputType::Number { range: None } if !percent => number()?,
        InputType::Count if !percent => number().filter(|&(m, p)| whole(m, p))?,
        InputType::Percent { range: None } => {
            number().and_then(|(m, p)| from_0_to_1((m, p + 2)))?
        }
        InputType::Ratio if percent => number().and_then(|(m, p)| from_0_to_1((m, p + 2)))?,
        InputType::Ratio => number().and_then(from_0_to_1)?,
        _ => return None,
    };
    Some((m, places))
}

/// `numerator / denominator` as an input of type `ty` (a number, ratio or
/// percent: the checker allows no other); `Err` holds what was expected of
/// `what()` (the cell, divided by ...), which is asked for only then.
pub fn quotient(
    ty: &InputType,
    numerator: Num,
    denominator: Num,
    what: impl Fn() -> String,
) -> Result<Num, String> {
    let Some(q) = numerator.checked_div(denominator) else {
        return Err(format!("{}, by a denominator that is not 0", what()));
    };
    let (lo, hi) = match ty {
        InputType::Number { range: None } => return Ok(q),
        InputType::Number { range: Some(r) } => *r,
        InputType::Percent { range } => range.unwrap_or((Num::ZERO, Num::ONE)),
        _ => (Num::ZERO, Num::ONE),
    };
    if q < lo || q > hi {
        let hint = if hi == Num::ONE {
            " (the numerator at most the denominator, unless the input declares a wider range)"
        } else {
            ""
        };
        return Err(format!("{}, from {lo} to {hi}{hint}", what()));
    }
    Ok(q)
}

/// The value a `missing zero` rule gives a blank cell.
pub fn zero(ty: &InputType) -> Value {
    match ty {
        InputType::Bool => Value::Bool(false),
        InputType::Set(_) => Value::Set(0),
        InputType::Choice(_) | InputType::Text => Value::Absent,
        _ => Value::Number(Num::ZERO),
    }
}

fn boolean(raw: &str) -> Option<bool> {
    match raw {
        "是" | "1" => return Some(true),
        "否" | "0" => return Some(false),
        _ => {}
    }
    match raw.to_lowercase().as_str() {
        "是" | "有" | "true" | "yes" | "y" | "1" | "√" | "✓" => Some(true),
        "否" | "无" | "false" | "no" | "n" | "0" | "×" | "✗" => Some(false),
        _ => None,
    }
}

/// Full-width forms to ASCII; thousands separators dropped.
fn normalise(raw: &str) -> String {
    raw.chars()
        .filter(|c| *c != ',' && *c != '，')
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            '．' => '.',
            '－' => '-',
            '＋' => '+',
            '％' => '%',
            _ => c,
        })
        .collect()
}

pub fn number(raw: &str) -> Option<Num> {
    // Plain ASCII digits need no normalising (no copy).
    if raw
        .bytes()
        .all(|b| b.is_ascii_digit() || b == b'.' || b == b'-')
    {
        return Num::parse(raw);
    }
    let s = normalise(raw);
    let s = s.strip_prefix('+').unwrap_or(&s);
    if s.is_empty() {
        return None;
    }
    match s.split_once(['e', 'E']) {
        Some((mantissa, exponent)) => scientific(mantissa, exponent),
        None => Num::from_str(s).ok(),
    }
}

/// `1.5e-05` as spreadsheets and statistics programs write it, exactly:
/// the mantissa times a power of ten (at most 10^30 either way).
fn scientific(mantissa: &str, exponent: &str) -> Option<Num> {
    let m = Num::from_str(mantissa).ok()?;
    let e: i32 = exponent
        .strip_prefix('+')
        .unwrap_or(exponent)
        .parse()
        .ok()?;
    let k = e.unsigned_abs();
    if k > 30 {
        return None;
    }
    let n = if e >= 0 {
        m * Num::decimal(10i128.checked_pow(k)?, 0)
    } else {
        m * Num::decimal(1, k)
    };
    (!n.is_too_large()).then_some(n)
}

/// `85%` and `85` both mean 0.85.
fn percent(raw: &str) -> Option<Num> {
    let hundredth = |n: Num| n * Num::HUNDREDTH;
    if let Some(digits) = raw.strip_suffix('%')
        && digits
            .bytes()
            .all(|b| b.is_ascii_digit() || b == b'.' || b == b'-')
    {
        return Num::parse(digits).map(hundredth);
    }
    let s = normalise(raw);
    let digits = s.strip_suffix('%').unwrap_or(&s);
    number(digits).map(hundredth)
}

/// Whether every cell of a set of `choices` can be read by [`set_in_order`]
/// as [`parse`] reads it: the choices are distinct, not blank, with no
/// separator or white space in them, and none is a word for the empty set.
pub fn ordered_sets(choices: &[String]) -> bool {
    let plain = |c: &String| {
        !c.is_empty()
            && !c.contains(|x: char| x.is_whitespace() || SEPARATORS.contains(&x))
            && c != "-"
            && c != "无"
    };
    let distinct =
        (choices.iter().enumerate()).all(|(i, c)| !choices.iter().take(i).any(|b| b == c));
    choices.len() < 64 && distinct && choices.iter().all(plain)
}

/// A set cell whose members are written in the order of the `choices`,
/// joined by 、 (`基础设施、安全管理`), as forms and templates write them:
/// its members found in one pass over the choices, with no splitting.
/// `None` for any other cell (left to [`parse`]); only for choices that
/// pass [`ordered_sets`].
pub fn set_in_order(choices: &[String], raw: &str) -> Option<u64> {
    let (mut rest, mut mask) = (raw, 0u64);
    let mut next = choices.iter().enumerate();
    while !rest.is_empty() {
        // The next member is the next choice that is followed by the end
        // of the cell, or by 、 and more.
        rest = loop {
            let (i, choice) = next.next()?;
            let Some(after) = rest.strip_prefix(choice.as_str()) else {
                continue;
            };
            let more = match after.strip_prefix('、') {
                None if after.is_empty() => after,
                Some(more) if !more.is_empty() => more,
                _ => continue,
            };
            mask |= 1u64 << i;
            break more;
        };
    }
    (mask != 0).then_some(mask)
}

const SEPARATORS: [char; 7] = ['、', ',', '，', ';', '；', '|', ' '];

/// Members separated by 、 , ， ; ； | or spaces; `-` or `无` (when it is not
/// itself a choice) is the empty set.
fn set(choices: &[String], raw: &str) -> Option<u64> {
    let empty_word = (raw == "-" || raw == "无") && !choices.iter().any(|c| c == raw);
    if empty_word {
        return Some(0);
    }
    let mut mask = 0u64;
    for member in raw.split(SEPARATORS).map(trim).filter(|m| !m.is_empty()) {
        let i = choices.iter().position(|c| c == member)?;
        if i >= 64 {
            return None;
        }
        mask |= 1 << i;
    }
    Some(mask)
}

#[cfg(test)]
mod tests {
    use super::{InputType, Value, general, number, plain, trim};
    use crate::num::Num;

    #[test]
    fn a_plain_cell_reads_as_the_general_reading_reads_it() {
        let types = [
            InputType::Number { range: None },
            InputType::Count,
            InputType::Percent { range: None },
            InputType::Ratio,
        ];
        let cells = [
            "85",
            "85%",
            "0.85",
            "85.5%",
            "100",
            "100%",
            "100.01",
            "0",
            "-0",
            "-3",
            "1",
            "1.0",
            "5.0",
            "0.999",
            "-0.5%",
            ".5",
            "5.",
            "123456789012345678",
            "0.0000000000000001",
        ];
        let mut taken = 0;
        for ty in &types {
            for cell in cells {
                let Some(n) = plain(ty, cell) else {
                    assert!(
                        !matches!(general(ty, cell), Ok(Value::Number(_))),
                        "{cell:?} as {ty:?} is plain and valid, but left to the general reading"
                    );
                    continue;
                };
                taken += 1;
                // The same value, and the very same fraction (caches key on it).
                let same = matches!(general(ty, cell), Ok(Value::Number(m)) if n.same(m));
                assert!(
                    same,
                    "{cell:?} as {ty:?}: plain {n}, general {:?}",
                    general(ty, cell)
                );
            }
        }
        assert!(taken > 30, "only {taken} cells read plainly");
    }

    #[test]
    fn exponent_notation_is_exact() {
        let n = |s: &str| number(s).map(|x| x.to_string());
        assert_eq!(n("1.5e-05"), Some("0.000015".into()));
        assert_eq!(n("2E3"), Some("2000".into()));
        assert_eq!(n("-3.25e+2"), Some("-325".into()));
        assert_eq!(number("1e-30"), Some(Num::decimal(1, 30)));
        assert_eq!(n("1e31"), None, "past 10^30");
        assert_eq!(n("1e"), None);
        assert_eq!(n("e5"), None);
    }

    #[test]
    fn trim_is_str_trim() {
        for s in [
            "",
            " ",
            "是",
            " 是 ",
            "全部",
            "全部\u{3000}",
            "\u{3000}全部",
            "85%",
            "\t1\n",
            "\u{a0}x",
            "x\u{2003}",
            "一、二",
            "é",
        ] {
            assert_eq!(trim(s), s.trim(), "{s:?}");
        }
    }
}
