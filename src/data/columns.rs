//! The cells of one input for every unit, stored by the input's type:
//! a byte per yes/no, two per choice, eight per set, and eight per decimal
//! number (its digits and its places in one word, so a unit's cell is one
//! read), instead of a 48-byte value per cell.

use crate::ir::{InputType, Value};
use crate::num::Num;
use std::collections::HashMap;

const BLANK_BOOL: u8 = 2;
const BLANK_CHOICE: u16 = u16::MAX;
/// No set of choices has every bit: a set has at most 63 choices.
const BLANK_SET: u64 = u64::MAX;
/// A number cell is its digits shifted left by [`PLACE_BITS`], or'd with
/// its places (at most [`PLACES`]) or a marker.
const PLACE_BITS: u32 = 5;
const BLANK_NUMBER: u64 = 31;
/// A number that is not a decimal with 59-bit digits (a third, a mean):
/// kept whole in `Numbers::other`.
const OTHER_NUMBER: u64 = 30;
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
    /// Per cell: the number times 10^places, and its places (or a marker).
    cells: Vec<u64>,
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
            && let (Some(cell), Value::Number(x)) = (n.cells.get_mut(u), v)
        {
            *cell = encode(x).unwrap_or_else(|| {
                n.other.insert(u, x);
                OTHER_NUMBER
            });
        }
    }
}

impl Numbers {
    fn push(&mut self, v: Value) {
        let cell = match v {
            Value::Number(x) => encode(x).unwrap_or_else(|| {
                self.other.insert(self.cells.len(), x);
                OTHER_NUMBER
            }),
            _ => BLANK_NUMBER,
        };
        self.cells.push(cell);
    }

    fn get(&self, u: usize) -> Value {
        match self.cells.get(u).map(|c| (c & ((1 << PLACE_BITS) - 1), c)) {
            None | Some((BLANK_NUMBER, _)) => Value::Absent,
            Some((OTHER_NUMBER, _)) => self
                .other
                .get(&u)
                .map_or(Value::Absent, |x| Value::Number(*x)),
            Some((places, &cell)) => {
                let digits = (cell as i64) >> PLACE_BITS;
                Value::Number(Num::decimal(i128::from(digits), places as u32))
            }
        }
    }
}

/// A decimal as one word (`0.853` → 853 and 3 places); `None` for a number
/// with no such form in 59 bits and 18 places.
fn encode(x: Num) -> Option<u64> {
    let (k, places) = x.decimal_parts().filter(|(_, p)| *p <= PLACES)?;
    let k = i64::try_from(k).ok()?;
    // The digits must come back from the shift unchanged.
    let cell = ((k << PLACE_BITS) as u64) | u64::from(places);
    ((cell as i64) >> PLACE_BITS == k).then_some(cell)
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
            // The largest and smallest digits a word keeps, and one past.
            Value::Number(Num::decimal((1 << 58) - 1, 18)),
            Value::Number(Num::decimal(-(1 << 58), 2)),
            Value::Number(Num::decimal(1 << 58, 0)),
            Value::Number(Num::decimal(-(1 << 58) - 1, 0)),
            Value::Number(Num::decimal(-5, 3)),
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
