//! Every unit's cells, row by row: a unit's cells lie side by side, so
//! scoring a unit reads one stretch of memory. Each cell is kept in the
//! form of its input's type: a byte per yes/no, two per choice, eight per
//! set, and eight per decimal number (its digits and its places in one
//! word), instead of a 48-byte value per cell.

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
/// kept whole in `Cells::other`.
const OTHER_NUMBER: u64 = 30;
/// The most places a stored decimal has (10^18 fits 64 bits).
const PLACES: u32 = 18;

#[derive(Debug, Clone)]
pub struct Cells {
    /// Per input: where its cell lies in a row.
    slots: Vec<Slot>,
    /// Bytes per row.
    stride: usize,
    bytes: Vec<u8>,
    /// Numbers with no one-word form, by unit and input.
    other: HashMap<(usize, usize), Num>,
}

#[derive(Debug, Clone, Copy)]
struct Slot {
    at: usize,
    form: Form,
}

/// How a cell is stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Form {
    Bool,
    Choice,
    Set,
    Number,
    /// Text is recorded, never scored: nothing is kept.
    Text,
}

impl Form {
    fn of(ty: &InputType) -> Form {
        match ty {
            InputType::Bool => Form::Bool,
            InputType::Choice(_) => Form::Choice,
            InputType::Set(_) => Form::Set,
            InputType::Text => Form::Text,
            _ => Form::Number,
        }
    }

    fn width(self) -> usize {
        match self {
            Form::Bool => 1,
            Form::Choice => 2,
            Form::Set | Form::Number => 8,
            Form::Text => 0,
        }
    }
}

impl Cells {
    /// No rows yet, with a cell for each of `inputs`' types.
    pub fn new<'a>(inputs: impl Iterator<Item = &'a InputType>) -> Cells {
        let mut stride = 0;
        let slots = inputs
            .map(|ty| {
                let form = Form::of(ty);
                let slot = Slot { at: stride, form };
                stride += form.width();
                slot
            })
            .collect();
        Cells {
            slots,
            stride,
            bytes: Vec::new(),
            other: HashMap::new(),
        }
    }

    /// Appends unit `u`'s row (`u` is the number of rows so far), encoded
    /// by [`Row::encode`] for the same types.
    pub fn push(&mut self, u: usize, row: &Row) {
        let start = self.bytes.len();
        self.bytes.extend_from_slice(&row.bytes);
        self.bytes.resize(start + self.stride, 0);
        for &(i, x) in &row.others {
            self.other.insert((u, i), x);
        }
    }

    /// `values`, one per input, as a row to push.
    pub fn row(&self, values: &[Value]) -> Row {
        let mut row = Row::default();
        row.encode_forms(self.slots.iter().map(|s| s.form), values);
        row
    }

    /// Unit `u`'s cell of input `i`.
    pub fn get(&self, u: usize, i: usize) -> Value {
        let Some(slot) = self.slots.get(i) else {
            return Value::Absent;
        };
        let at = u * self.stride + slot.at;
        match slot.form {
            Form::Bool => match self.bytes.get(at) {
                Some(0) => Value::Bool(false),
                Some(1) => Value::Bool(true),
                _ => Value::Absent,
            },
            Form::Choice => match self.word(at).map(u16::from_le_bytes) {
                Some(c) if c != BLANK_CHOICE => Value::Choice(c),
                _ => Value::Absent,
            },
            Form::Set => match self.word(at).map(u64::from_le_bytes) {
                Some(mask) if mask != BLANK_SET => Value::Set(mask),
                _ => Value::Absent,
            },
            Form::Number => match self.word(at).map(u64::from_le_bytes) {
                Some(cell) => self.number(cell, u, i),
                None => Value::Absent,
            },
            Form::Text => Value::Absent,
        }
    }

    /// Replaces a number cell (a blank filled by a `missing mean` rule).
    pub fn set(&mut self, u: usize, i: usize, v: Value) {
        let Some(slot) = self.slots.get(i).filter(|s| s.form == Form::Number) else {
            return;
        };
        let at = u * self.stride + slot.at;
        let cell = number_cell(v).unwrap_or_else(|x| {
            self.other.insert((u, i), x);
            OTHER_NUMBER
        });
        if let Some(slot) = self.bytes.get_mut(at..at + 8) {
            slot.copy_from_slice(&cell.to_le_bytes());
        }
    }

    fn word<const N: usize>(&self, at: usize) -> Option<[u8; N]> {
        self.bytes.get(at..at + N)?.try_into().ok()
    }

    fn number(&self, cell: u64, u: usize, i: usize) -> Value {
        match cell & ((1 << PLACE_BITS) - 1) {
            BLANK_NUMBER => Value::Absent,
            OTHER_NUMBER => self
                .other
                .get(&(u, i))
                .map_or(Value::Absent, |x| Value::Number(*x)),
            places => {
                let digits = (cell as i64) >> PLACE_BITS;
                Value::Number(Num::decimal(i128::from(digits), places as u32))
            }
        }
    }
}

/// One unit's cells in their stored form, ready to be appended.
#[derive(Debug, Default)]
pub struct Row {
    bytes: Vec<u8>,
    /// Numbers with no one-word form, by input.
    others: Vec<(usize, Num)>,
}

impl Row {
    /// Encodes `values`, one per input of `types`; a value of another type
    /// than its input's is kept as blank (the reader never gives one).
    pub fn encode<'a>(&mut self, types: impl Iterator<Item = &'a InputType>, values: &[Value]) {
        self.encode_forms(types.map(Form::of), values);
    }

    fn encode_forms(&mut self, forms: impl Iterator<Item = Form>, values: &[Value]) {
        self.bytes.clear();
        self.others.clear();
        for (i, form) in forms.enumerate() {
            let v = values.get(i).copied().unwrap_or(Value::Absent);
            match form {
                Form::Bool => self.bytes.push(bool_cell(v)),
                Form::Choice => self.bytes.extend_from_slice(&choice_cell(v).to_le_bytes()),
                Form::Set => self.bytes.extend_from_slice(&set_cell(v).to_le_bytes()),
                Form::Number => {
                    let cell = number_cell(v).unwrap_or_else(|x| {
                        self.others.push((i, x));
                        OTHER_NUMBER
                    });
                    self.bytes.extend_from_slice(&cell.to_le_bytes());
                }
                Form::Text => {}
            }
        }
    }
}

fn bool_cell(v: Value) -> u8 {
    match v {
        Value::Bool(b) => u8::from(b),
        _ => BLANK_BOOL,
    }
}

fn choice_cell(v: Value) -> u16 {
    match v {
        Value::Choice(i) if i != BLANK_CHOICE => i,
        _ => BLANK_CHOICE,
    }
}

fn set_cell(v: Value) -> u64 {
    match v {
        Value::Set(mask) if mask != BLANK_SET => mask,
        _ => BLANK_SET,
    }
}

/// A number's word; `Err` with the number when it has none (see
/// [`encode`]).
fn number_cell(v: Value) -> Result<u64, Num> {
    match v {
        Value::Number(x) => encode(x).ok_or(x),
        _ => Ok(BLANK_NUMBER),
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
        let types = [
            InputType::Percent { range: None },
            InputType::Text,
            InputType::Set(vec!["a".into()]),
            InputType::Bool,
            InputType::Choice(vec!["a".into(), "b".into()]),
        ];
        let mut cells = Cells::new(types.iter());
        let numbers = [
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
        let others = [
            (Value::Set(0), Value::Bool(true), Value::Choice(1)),
            (Value::Absent, Value::Absent, Value::Absent),
            (Value::Set(5), Value::Bool(false), Value::Choice(0)),
        ];
        let row = |u: usize| {
            let (set, bool, choice) = others.get(u % others.len()).copied().unwrap_or((
                Value::Absent,
                Value::Absent,
                Value::Absent,
            ));
            let number = numbers.get(u).copied().unwrap_or(Value::Absent);
            [number, Value::Absent, set, bool, choice]
        };
        let mut encoded = Row::default();
        for u in 0..numbers.len() {
            encoded.encode(types.iter(), &row(u));
            cells.push(u, &encoded);
        }
        for u in 0..numbers.len() {
            let back: Vec<Value> = (0..types.len()).map(|i| cells.get(u, i)).collect();
            assert_eq!(back, row(u));
        }
        cells.set(1, 0, Value::Number(Num::ratio(2, 7)));
        assert_eq!(cells.get(1, 0), Value::Number(Num::ratio(2, 7)));
        cells.set(4, 0, Value::Number(Num::decimal(5, 1)));
        assert_eq!(cells.get(4, 0), Value::Number(Num::decimal(5, 1)));
        // No such unit or input.
        assert_eq!(cells.get(numbers.len(), 0), Value::Absent);
        assert_eq!(cells.get(0, types.len()), Value::Absent);
    }
}
