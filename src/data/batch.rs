//! Rows of a CSV file a batch at a time: read as records by one thread
//! while the batch before is typed against the policy's inputs by all of
//! them (`reading.rs`), and the one before that added to the dataset.

use super::builder::Builder;
use super::cell;
use super::encoding::LineEnds;
use super::reading::{Parsed, Reading};
use rayon::prelude::*;
use std::borrow::Cow;
use std::io::Read;

/// The text read was not UTF-8.
pub(super) struct NotUtf8;

/// Rows read, then parsed in parallel, at a time.
const BATCH: usize = 1024;

/// Where each column the rows are read from is.
pub(super) struct Columns {
    pub(super) id: usize,
    pub(super) name: usize,
    pub(super) kind: Option<usize>,
    pub(super) period: Option<usize>,
    pub(super) inputs: Vec<Option<usize>>,
}

/// A batch of rows: each row's number and record (or why it could not be
/// read), and once parsed, what became of it.
#[derive(Default)]
pub(super) struct Batch {
    pub(super) slots: Vec<(usize, Result<simd_csv::ByteRecord, String>)>,
    parsed: Vec<(Status, Parsed)>,
}

/// A record as text: its bytes checked to be UTF-8 once, as a whole, and
/// each field's ends found on character boundaries (so each field is
/// UTF-8 text on its own, as the csv crate checks field by field).
struct Text<'r> {
    record: &'r simd_csv::ByteRecord,
    text: &'r str,
}

impl<'r> Text<'r> {
    fn new(record: &'r simd_csv::ByteRecord) -> Option<Self> {
        let text = simdutf8::basic::from_utf8(record.as_slice()).ok()?;
        (0..record.len())
            .filter_map(|i| range(record, i))
            .all(|field| text.is_char_boundary(field.start) && text.is_char_boundary(field.end))
            .then_some(Text { record, text })
    }

    fn get(&self, i: usize) -> Option<&'r str> {
        self.text.get(range(self.record, i)?)
    }

    fn fields(&self) -> impl Iterator<Item = &'r str> + '_ {
        (0..self.record.len()).map(|i| self.get(i).unwrap_or(""))
    }
}

/// Where field `i` of `record` lies in its bytes.
fn range(record: &simd_csv::ByteRecord, i: usize) -> Option<std::ops::Range<usize>> {
    let field = record.get(i)?;
    let start = (field.as_ptr() as usize).checked_sub(record.as_slice().as_ptr() as usize)?;
    Some(start..start + field.len())
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Status {
    Unit,
    /// A blank row, or a row of another period.
    Skipped,
    NotUtf8,
}

impl Batch {
    /// Reads up to `BATCH` rows (none at the end of the file).
    pub(super) fn read(
        &mut self,
        reader: &mut simd_csv::Reader<LineEnds<impl Read>>,
        row: &mut usize,
    ) {
        // Reuse the records' buffers.
        let mut spare: Vec<simd_csv::ByteRecord> =
            self.slots.drain(..).filter_map(|(_, r)| r.ok()).collect();
        while self.slots.len() < BATCH {
            let mut record = spare.pop().unwrap_or_default();
            let number = *row;
            *row += 1;
            match reader.read_byte_record(&mut record) {
                Ok(true) => self.slots.push((number, Ok(record))),
                Ok(false) => break,
                Err(e) => {
                    let io = e.is_io_error();
                    self.slots
                        .push((number, Err(format!("cannot read the row: {e}"))));
                    if io {
                        break;
                    }
                }
            }
        }
    }

    pub(super) fn parse(
        &mut self,
        reading: &Reading,
        columns: &Columns,
        period: Option<&str>,
    ) -> Result<(), NotUtf8> {
        self.parsed
            .resize_with(self.slots.len(), || (Status::Skipped, Parsed::default()));
        self.slots
            .par_iter()
            .zip(self.parsed.par_iter_mut())
            .for_each(|((_, record), (status, parsed))| {
                *status = match record.as_ref().map(Text::new) {
                    Ok(Some(text)) => parse_record(reading, columns, period, &text, parsed),
                    Ok(None) => Status::NotUtf8,
                    Err(_) => Status::Skipped,
                };
            });
        if self.parsed.iter().any(|(s, _)| *s == Status::NotUtf8) {
            return Err(NotUtf8);
        }
        Ok(())
    }

    /// Adds the parsed rows, in order.
    pub(super) fn add(&self, b: &mut Builder, columns: &Columns, headers: &[String]) {
        for ((number, record), (status, parsed)) in self.slots.iter().zip(&self.parsed) {
            match record {
                Err(message) => b.error(Some(*number), None, None, message.clone()),
                Ok(record) if *status == Status::NotUtf8 => {
                    not_utf8(b, *number, record, columns, headers);
                }
                Ok(record) if *status == Status::Unit => {
                    let text = |i: usize| {
                        let field = record.get(i).unwrap_or_default();
                        std::str::from_utf8(field).unwrap_or_default()
                    };
                    let kind = columns.kind.map_or("", text);
                    let unit = (text(columns.id), text(columns.name), kind);
                    b.add(*number, unit, parsed);
                }
                Ok(_) => {}
            }
        }
    }
}

/// Types one record's cells into `parsed`.
fn parse_record(
    reading: &Reading,
    columns: &Columns,
    period: Option<&str>,
    record: &Text,
    parsed: &mut Parsed,
) -> Status {
    let blank = record.fields().all(|c| cell::trim(c).is_empty());
    let text = |i: usize| record.get(i).unwrap_or("");
    let other_period = match (period, columns.period) {
        (Some(p), Some(c)) => cell::trim(text(c)) != p,
        _ => false,
    };
    if blank || other_period {
        return Status::Skipped;
    }
    reading.parse(
        |input| {
            let column = columns.inputs.get(input).copied().flatten()?;
            Some(Cow::Borrowed(text(column)))
        },
        parsed,
    );
    Status::Unit
}

/// A row that is not UTF-8 in a UTF-8 file: an error naming its first bad cell.
fn not_utf8(
    b: &mut Builder,
    row: usize,
    record: &simd_csv::ByteRecord,
    columns: &Columns,
    headers: &[String],
) {
    let bad = record.iter().position(|f| std::str::from_utf8(f).is_err());
    let column = bad.and_then(|i| headers.get(i)).map(String::as_str);
    let id = record.get(columns.id).map(String::from_utf8_lossy);
    let message = "the cell is not UTF-8 text (the rest of the file is): retype it, or save the file again as CSV UTF-8".to_string();
    b.error(Some(row), column, id.as_deref(), message);
}

#[cfg(test)]
mod tests {
    use super::Text;
    use simd_csv::ByteRecord;

    #[test]
    fn a_row_is_text_only_when_every_field_is() {
        let row: ByteRecord = ["a1", "黑河", "", "85%"].into_iter().collect();
        let text = Text::new(&row).map(|t| t.fields().collect::<Vec<_>>());
        assert_eq!(text, Some(vec!["a1", "黑河", "", "85%"]));
        // 中 (E4 B8 AD) cut in two by a comma: the row's bytes run together
        // are UTF-8, but neither field is.
        let cut: ByteRecord = [&b"a\xE4"[..], b"\xB8\xAD"].into_iter().collect();
        assert!(Text::new(&cut).is_none());
        let bad: ByteRecord = [&b"a1"[..], b"\xFF"].into_iter().collect();
        assert!(Text::new(&bad).is_none());
    }
}
