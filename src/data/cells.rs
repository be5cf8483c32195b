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
    shape: Shape,
    bytes: Vec<u8>,
    /// Numbers with no one-word form, by unit and input.
    other: HashMap<(usize, usize), Num>,
}

/// Where each input's cell lies in a row, and in which form.
#[derive(Debug, Clone)]
pub struct Shape {
    /// Per input: where its cell lies in a row.
    slots: Vec<Slot>,
    /// Bytes per row.
    stride: usize,
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

impl Shape {
    /// A cell for each of `inputs`' types.
    pub fn new<'a>(inputs: impl Iterator<Item = &'a InputType>) -> Shape {
        let mut stride = 0;
        let slots = inputs
            .map(|ty| {
                let form = Form::of(ty);
                let slot = Slot { at: stride, form };
                stride += form.width();
                slot
            })
            .collect();
        Shape { slots, stride }
    }

    /// Makes `row` a row of this shape, its cells yet to be put.
    pub fn start(&self, row: &mut Row) {
        row.bytes.resize(self.stride, 0);
        row.others.clear();
    }

    /// Puts `v` in input `i`'s cell of `row` (see [`Shape::start`]); a
    /// value of another type than its input's is kept as blank (the reader
    /// never gives one).
    pub fn put(&self, row: &mut Row, i: usize, v: Value) {
        let Some(slot) = self.slots.get(i) else {
            return;
        };
        let word = match slot.form {
            Form::Bool => u64::from(bool_cell(v)),
            Form::Choice => u64::from(choice_cell(v)),
            Form::Set => set_cell(v),
            Form::Number => number_cell(v).unwrap_or_else(|x| {
                row.others.push((i, x));
                OTHER_NUMBER
            }),
            Form::Text => return,
        };
        row.put(slot, word);
    }

    /// Puts `digits / 10^places` in number input `i`'s cell of `row`;
    /// `false` (and nothing put) when it has no one-word form or the
    /// input's cell is not a number. So for the others below.
    pub fn put_decimal(&self, row: &mut Row, i: usize, digits: i64, places: u32) -> bool {
        decimal_cell(digits, places).is_some_and(|word| self.put_word(row, i, Form::Number, word))
    }

    /// Puts yes or no in bool input `i`'s cell of `row`.
    pub fn put_bool(&self, row: &mut Row, i: usize, b: bool) -> bool {
        self.put_word(row, i, Form::Bool, u64::from(b))
    }

    /// Puts a set of choices (bit `c` for the `c`th) in set input `i`'s
    /// cell of `row`.
    pub fn put_set(&self, row: &mut Row, i: usize, mask: u64) -> bool {
        mask != BLANK_SET && self.put_word(row, i, Form::Set, mask)
    }

    /// Puts the `c`th choice in choice input `i`'s cell of `row`.
    pub fn put_choice(&self, row: &mut Row, i: usize, c: u16) -> bool {
        c != BLANK_CHOICE && self.put_word(row, i, Form::Choice, u64::from(c))
    }

    /// Puts a word in input `i`'s cell of `row` if the cell has `form`.
    fn put_word(&self, row: &mut Row, i: usize, form: Form, word: u64) -> bool {
        match self.slots.get(i) {
            Some(slot) if slot.form == form => {
                row.put(slot, word);
                true
            }
            _ => false,
        }
    }
}

impl Cells {
    /// No rows yet, with a cell for each of `inputs`' types.
    pub fn new<'a>(inputs: impl Iterator<Item = &'a InputType>) -> Cells {
        Cells {
            shape: Shape::new(inputs),
            bytes: Vec::new(),
            other: HashMap::new(),
        }
    }

    /// Appends unit `u`'s row (`u` is the number of rows so far), its
    /// cells put by a [`Shape`] of the same types.
    pub fn push(&mut self, u: usize, row: &Row) {
        let start = self.bytes.len();
        self.bytes.extend_from_slice(&row.bytes);
        self.bytes.resize(start + self.shape.stride, 0);
        for &(i, x) in &row.others {
            self.other.insert((u, i), x);
        }
    }

    /// `values`, one per input, as a row to push.
    pub fn row(&self, values: &[Value]) -> Row {
        let mut row = Row::default();
        self.shape.start(&mut row);
        for i in 0..self.shape.slots.len() {
            let v = values.get(i).copied().unwrap_or(Value::Absent);
            self.shape.put(&mut row, i, v);
        }
        row
    }

    /// Unit `u`'s cell of input `i`.
    pub fn get(&self, u: usize, i: usize) -> Value {
        let Some(slot) = self.shape.slots.get(i) else {
            return Value::Absent;
        };
        let at = u * self.shape.stride + slot.at;
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
        let Some(slot) = self.shape.slots.get(i).filter(|s| s.form == Form::Number) else {
            return;
        };
        let at = u * self.shape.stride + slot.at;
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
#[derive(Debug, Default, PartialEq)]
pub struct Row {
    bytes: Vec<u8>,
    /// Numbers with no one-word form, by input.
    others: Vec<(usize, Num)>,
}

impl Row {
    /// Writes a cell's word: its low bytes, as many as the form is wide.
    fn put(&mut self, slot: &Slot, word: u64) {
        let width = slot.form.width();
        let bytes = word.to_le_bytes();
        if let (Some(cell), Some(word)) = (
            self.bytes.get_mut(slot.at..slot.at + width),
            bytes.get(..width),
        ) {
            cell.copy_from_slice(word);
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
    let (k, places) = x.decimal_parts()?;
    decimal_cell(i64::try_from(k).ok()?, places)
}

/// `digits / 10^places` as one word; `None` past 59 bits or 18 places.
fn decimal_cell(digits: i64, places: u32) -> Option<u64> {
    if places > PLACES {
        return None;
    }
    // The digits must come back from the shift unchanged.
    let cell = ((digits << PLACE_BITS) as u64) | u64::from(places);
    ((cell as i64) >> PLACE_BITS == digits).then_some(cell)
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
        let shape = Shape::new(types.iter());
        let mut encoded = Row::default();
        for u in 0..numbers.len() {
            shape.start(&mut encoded);
            for (i, v) in row(u).into_iter().enumerate() {
                shape.put(&mut encoded, i, v);
            }
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
