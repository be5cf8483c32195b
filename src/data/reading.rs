//! One row's cells typed against the policy's inputs and put straight into
//! their stored form (`cells.rs`). A plain cell — yes or no, a choice, a
//! number of plain digits, a set written in the order of its choices — is
//! read without a typed value between; any other goes through the general
//! reading (`cell.rs`), which also says what is wrong with a bad one.
//! Reading touches no shared state, so rows can be read in parallel and
//! added in order.

use super::cell;
use super::cells::{Row, Shape};
use crate::ir::{Input, InputId, InputType, Missing, Policy, Value};
use crate::num::Num;
use std::borrow::Cow;

/// What reading a row needs of the policy, worked out once per file.
pub(super) struct Reading<'p> {
    policy: &'p Policy,
    shape: Shape,
    /// Per input: how its cell is read.
    how: Vec<How>,
}

/// How an input's cell is read.
#[derive(Clone, Copy, PartialEq, Eq)]
enum How {
    /// A plain cell straight into its stored form, any other the general way.
    Plain,
    /// A set: its members in the order of its choices, as [`How::Plain`].
    OrderedSet,
    /// The general way, and kept as a typed value too: a quotient reads it
    /// (it has a `per`, or is the denominator of one).
    Kept,
}

/// One row's cells.
#[derive(Debug, Default)]
pub(super) struct Parsed {
    /// The values of the cells read the general way, which those a
    /// quotient reads always are (see [`How::Kept`]).
    values: Vec<Value>,
    /// The cells in their stored form.
    pub row: Row,
    /// Which cells a `missing` rule filled.
    pub filled: Vec<bool>,
    /// Cells that are not what their input expects: the input, the text
    /// found and what was expected.
    pub bad: Vec<(InputId, String, String)>,
    /// Percent inputs whose cell was written without `%`, and its value.
    pub plain: Vec<(InputId, Num)>,
}

/// The type a quotient's column is read as.
const NUMERATOR: InputType = InputType::Number { range: None };

impl<'p> Reading<'p> {
    pub(super) fn new(policy: &'p Policy) -> Self {
        let mut how: Vec<How> = (policy.inputs.iter())
            .map(|input| match &input.ty {
                _ if input.per.is_some() => How::Kept,
                InputType::Set(choices) if cell::ordered_sets(choices) => How::OrderedSet,
                _ => How::Plain,
            })
            .collect();
        for d in policy.inputs.iter().filter_map(|i| i.per) {
            if let Some(h) = how.get_mut(d) {
                *h = How::Kept;
            }
        }
        Reading {
            policy,
            shape: Shape::new(policy.inputs.iter().map(|i| &i.ty)),
            how,
        }
    }

    /// Types one row's cells into `out`; `cell(input)` gives the raw text
    /// of that input's cell (`None` when the column is absent).
    pub(super) fn parse<'c>(&self, cell: impl Fn(usize) -> Option<Cow<'c, str>>, out: &mut Parsed) {
        let n = self.policy.inputs.len();
        out.values.resize(n, Value::Absent);
        out.filled.clear();
        out.filled.resize(n, false);
        out.bad.clear();
        out.plain.clear();
        self.shape.start(&mut out.row);
        for (i, input) in self.policy.inputs.iter().enumerate() {
            let raw = cell(i).unwrap_or_default();
            let raw = cell::trim(&raw);
            let put = match self.how.get(i) {
                Some(How::Plain) => put_plain(&self.shape, &mut out.row, i, &input.ty, raw),
                Some(How::OrderedSet) => {
                    put_ordered_set(&self.shape, &mut out.row, i, &input.ty, raw)
                }
                _ => false,
            };
            if !put {
                self.general(i, input, raw, out);
            }
        }
        self.divide(out);
    }

    /// Reads input `i`'s cell the general way: any cell, blank or bad.
    fn general(&self, i: InputId, input: &Input, raw: &str, out: &mut Parsed) {
        // A quotient's column holds the numerator, a plain number.
        let ty = if input.per.is_some() {
            &NUMERATOR
        } else {
            &input.ty
        };
        let value = match cell::parse(ty, raw) {
            Ok(Value::Absent) if input.missing == Missing::Zero => {
                if let Some(f) = out.filled.get_mut(i) {
                    *f = true;
                }
                cell::zero(&input.ty)
            }
            Ok(v) => v,
            Err(expected) => {
                out.bad.push((i, raw.to_string(), expected));
                Value::Absent
            }
        };
        let percent = matches!(ty, InputType::Percent { .. });
        if let Value::Number(n) = value
            && percent
            && !raw.is_empty()
            && !raw.contains(['%', '％'])
        {
            out.plain.push((i, n));
        }
        if let Some(v) = out.values.get_mut(i) {
            *v = value;
        }
        // A quotient's cell is put once divided.
        if input.per.is_none() {
            self.shape.put(&mut out.row, i, value);
        }
    }

    /// Divides each `per` input's value by its denominator's, checks the
    /// quotient against the input's type and puts it. A blank numerator or
    /// denominator leaves the input blank; a zero denominator is an error
    /// for the cell.
    fn divide(&self, out: &mut Parsed) {
        for (i, input) in self.policy.inputs.iter().enumerate() {
            let Some(d) = input.per else { continue };
            let numerator = out.values.get(i).copied();
            let denominator = out.values.get(d).copied();
            let value = match (numerator, denominator) {
                (Some(Value::Number(n)), Some(Value::Number(den))) => {
                    let name = self.policy.inputs.get(d).map_or("", |x| x.name.as_str());
                    let what = || format!("the cell divided by `{name}`");
                    match cell::quotient(&input.ty, n, den, what) {
                        Ok(q) => Value::Number(q),
                        Err(expected) => {
                            out.bad.push((i, format!("{n} / {den}"), expected));
                            Value::Absent
                        }
                    }
                }
                _ => Value::Absent,
            };
            if let Some(v) = out.values.get_mut(i) {
                *v = value;
            }
            self.shape.put(&mut out.row, i, value);
        }
    }
}

/// Puts a plain cell of input `i` straight into `row`; `false` (and
/// nothing put) for any other.
fn put_plain(shape: &Shape, row: &mut Row, i: InputId, ty: &InputType, raw: &str) -> bool {
    match ty {
        InputType::Bool => match raw {
            "是" | "1" => shape.put_bool(row, i, true),
            "否" | "0" => shape.put_bool(row, i, false),
            _ => false,
        },
        InputType::Choice(choices) => {
            let c = choices.iter().position(|c| c == raw);
            let c = c.and_then(|c| u16::try_from(c).ok());
            !raw.is_empty() && c.is_some_and(|c| shape.put_choice(row, i, c))
        }
        // A percent written without `%` is noted (see `Reading::general`).
        InputType::Percent { .. } if !raw.ends_with('%') => false,
        _ => cell::plain_digits(ty, raw).is_some_and(|(m, p)| shape.put_decimal(row, i, m, p)),
    }
}

/// Puts a set cell written in the order of its choices straight into
/// `row`; `false` (and nothing put) for any other.
fn put_ordered_set(shape: &Shape, row: &mut Row, i: InputId, ty: &InputType, raw: &str) -> bool {
    match ty {
        InputType::Set(choices) => {
            cell::set_in_order(choices, raw).is_some_and(|mask| shape.put_set(row, i, mask))
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `raw` as an input of type `ty` read straight into a row, and read
    /// the general way into another; `None` when it is not read straight.
    fn both_ways(ty: &InputType, raw: &str) -> Option<(Row, Row)> {
        let shape = Shape::new(std::iter::once(ty));
        let mut straight = Row::default();
        shape.start(&mut straight);
        let put = match ty {
            InputType::Set(choices) if cell::ordered_sets(choices) => {
                put_ordered_set(&shape, &mut straight, 0, ty, raw)
            }
            InputType::Set(_) => false,
            _ => put_plain(&shape, &mut straight, 0, ty, raw),
        };
        let mut general = Row::default();
        shape.start(&mut general);
        let value = cell::parse(ty, raw).unwrap_or(Value::Absent);
        shape.put(&mut general, 0, value);
        put.then_some((straight, general))
    }

    #[test]
    fn a_cell_read_straight_is_stored_as_the_general_reading_stores_it() {
        let choices = |c: &[&str]| c.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let levels = choices(&["市级", "市级以上", "县级", "村级"]);
        let types = [
            InputType::Number { range: None },
            InputType::Count,
            InputType::Percent { range: None },
            InputType::Ratio,
            InputType::Bool,
            InputType::Choice(choices(&["全部", "部分", "无"])),
            InputType::Set(levels.clone()),
            InputType::Set(choices(&["a b", "c"])),
        ];
        let cells = [
            "",
            "0",
            "1",
            "-0",
            "85",
            "85%",
            "0.85",
            "85.5%",
            "100%",
            "100.01%",
            "-3",
            "1.0",
            "0.999",
            ".5",
            "5.",
            "-0.5%",
            "123456789012345678",
            "288230376151711743",
            "288230376151711744",
            "-288230376151711744",
            "0.0000000000000001",
            "0.00000000000000001%",
            "是",
            "否",
            "有",
            "yes",
            "全部",
            "部分",
            "无",
            "全部 ",
            "-",
            "市级",
            "市级以上",
            "市级、市级以上",
            "市级以上、县级",
            "县级、市级",
            "市级、",
            "市级、、县级",
            "市级,县级",
            "市级、县级、村级",
            "市级、市级",
            "村级以上",
            "a b",
            "c",
        ];
        let mut straight = 0;
        for ty in &types {
            for raw in cells {
                if let Some((a, b)) = both_ways(ty, raw) {
                    straight += 1;
                    assert_eq!(a, b, "{raw:?} as {ty:?}");
                }
            }
        }
        assert!(straight > 40, "only {straight} cells read straight");
        // Sets written in the order of the choices are read straight.
        let set = InputType::Set(levels);
        for raw in [
            "市级",
            "市级以上",
            "市级、市级以上",
            "市级以上、县级",
            "市级、县级、村级",
        ] {
            assert!(both_ways(&set, raw).is_some(), "{raw}");
        }
    }

    #[test]
    fn sets_are_read_straight_only_when_their_choices_allow_it() {
        let choices = |c: &[&str]| c.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert!(cell::ordered_sets(&choices(&["基础设施", "数据资源"])));
        for bad in [
            &["a", "a"][..],
            &["a b"],
            &["a、b"],
            &["a,b"],
            &[""],
            &["-"],
            &["无"],
            &[" a"],
        ] {
            assert!(!cell::ordered_sets(&choices(bad)), "{bad:?}");
        }
        let many: Vec<String> = (0..64).map(|i| format!("c{i}")).collect();
        assert!(!cell::ordered_sets(&many));
    }
}
