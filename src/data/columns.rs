//! The cells of one input for every unit, stored by the input's type:
//! a byte per yes/no, two per choice, eight per set, and nine per decimal
//! number (its digits and its places), instead of a 48-byte value per cell.

use crate::ir::{InputType, Value};
use crate::num::Num;
use std::collections::HashMap;

const BLANK_BOOL: u8 = 2;
const BLANK_CHOICE: u16 = u16::MAX;
/// No set of choices has every bit: a set has at most 63 choices.
const BLANK_SET: u64 = u64::MAX;
const BLANK_NUMBER: u8 = u8::MAX;
/// A number that is not a decimal with 64-bit digits (a third, a mean):
/// kept whole in `Numbers::other`.
const OTHER_NUMBER: u8 = u8::MAX - 1;
/// The most places a stored decimal has (10^18 fits 64 bits).
const PLACES: u32 = 18;

#[derive(Debug, Clone)]
pub enum Column {
    Bools(Vec<u8>),
    Choices(Vec<u16>),
    Sets(Vec<u64>),
    Numbers(Numbers),
    /// Text is recorded, never scored: nothing is kept.
    Text(usize),
}

#[derive(Debug, Clone, Default)]
pub struct Numbers {
    /// Per cell: the number times 10^places.
    digits: Vec<i64>,
    /// Per cell: its places, or a marker.
    places: Vec<u8>,
    other: HashMap<usize, Num>,
}

impl Column {
    pub fn new(ty: &InputType) -> Column {
        match ty {
            InputType::Bool => Column::Bools(Vec::new()),
            InputType::Choice(_) => Column::Choices(Vec::new()),
            InputType::Set(_) => Column::Sets(Vec::new()),
            InputType::Text => Column::Text(0),
            _ => Column::Numbers(Numbers::default()),
        }
    }

    /// Appends a cell; a value of another type than the column's is kept
    /// as blank (the reader never gives one).
    pub fn push(&mut self, v: Value) {
        match self {
            Column::Bools(c) => c.push(match v {
                Value::Bool(b) => u8::from(b),
                _ => BLANK_BOOL,
            }),
            Column::Choices(c) => c.push(match v {
                Value::Choice(i) if i != BLANK_CHOICE => i,
                _ => BLANK_CHOICE,
            }),
            Column::Sets(c) => c.push(match v {
                Value::Set(mask) if mask != BLANK_SET => mask,
                _ => BLANK_SET,
            }),
            Column::Numbers(n) => n.push(v),
            Column::Text(n) => *n += 1,
        }
    }

    pub fn get(&self, u: usize) -> Value {
        match self {
            Column::Bools(c) => match c.get(u) {
                Some(0) => Value::Bool(false),
                Some(1) => Value::Bool(true),
                _ => Value::Absent,
            },
            Column::Choices(c) => match c.get(u) {
                Some(&i) if i != BLANK_CHOICE => Value::Choice(i),
                _ => Value::Absent,
            },
            Column::Sets(c) => match c.get(u) {
                Some(&mask) if mask != BLANK_SET => Value::Set(mask),
                _ => Value::Absent,
            },
            Column::Numbers(n) => n.get(u),
            Column::Text(_) => Value::Absent,
        }
    }

    /// Replaces a cell (a blank filled by a `missing mean` rule).
    pub fn set(&mut self, u: usize, v: Value) {
        if let Column::Numbers(n) = self
            && let (Some(digits), Some(places), Value::Number(x)) =
                (n.digits.get_mut(u), n.places.get_mut(u), v)
        {
            match encode(x) {
                Some((a, b)) => (*digits, *places) = (a, b),
                None => {
                    *places = OTHER_NUMBER;
                    n.other.insert(u, x);
                }
            }
        }
    }
}

impl Numbers {
    fn push(&mut self, v: Value) {
        let (digits, places) = match v {
            Value::Number(x) => encode(x).unwrap_or_else(|| {
                self.other.insert(self.digits.len(), x);
                (0, OTHER_NUMBER)
            }),
            _ => (0, BLANK_NUMBER),
        };
        self.digits.push(digits);
        self.places.push(places);
    }

    fn get(&self, u: usize) -> Value {
        match (self.digits.get(u), self.places.get(u)) {
            (_, Some(&BLANK_NUMBER) | None) => Value::Absent,
            (_, Some(&OTHER_NUMBER)) => self
                .other
                .get(&u)
                .map_or(Value::Absent, |x| Value::Number(*x)),
            (Some(&k), Some(&p)) => Value::Number(Num::decimal(i128::from(k), u32::from(p))),
            (None, _) => Value::Absent,
        }
    }
}

/// A decimal as its digits and places (`0.853` → `(853, 3)`); `None` for a
/// number with no such form in 64 bits and 18 places.
fn encode(x: Num) -> Option<(i64, u8)> {
    let (k, places) = x.decimal_parts().filter(|(_, p)| *p <= PLACES)?;
    Some((i64::try_from(k).ok()?, u8::try_from(places).ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_of_cell_comes_back() {
        let mut numbers = Column::new(&InputType::Percent { range: None });
        let values = [
            Value::Number(Num::decimal(853, 3)),
            Value::Absent,
            Value::Number(Num::ONE / Num::from(3)),
            Value::Number(Num::from(-7)),
            Value::Number(Num::decimal(i128::from(i64::MAX) * 10 + 1, 1)),
            Value::Number(Num::ratio(1, 1 << 100)),
        ];
        for v in values {
            numbers.push(v);
        }
        for (u, v) in values.iter().enumerate() {
            assert_eq!(numbers.get(u), *v);
        }
        numbers.set(1, Value::Number(Num::ratio(2, 7)));
        assert_eq!(numbers.get(1), Value::Number(Num::ratio(2, 7)));
        let mut sets = Column::new(&InputType::Set(vec!["a".into()]));
        sets.push(Value::Set(0));
        sets.push(Value::Absent);
        assert_eq!((sets.get(0), sets.get(1)), (Value::Set(0), Value::Absent));
        let mut bools = Column::new(&InputType::Bool);
        bools.push(Value::Bool(true));
        bools.push(Value::Absent);
        assert_eq!(
            (bools.get(0), bools.get(1)),
            (Value::Bool(true), Value::Absent)
        );
    }
}
