//! CSV: UTF-8 with or without a byte-order mark, else GB18030 (which covers
//! GBK, as Excel saves Chinese CSV on Windows). A file is read as a stream,
//! one row at a time, so its text is never held whole: as UTF-8 first, and
//! from the start again through a GB18030 decoder if a row is not UTF-8.

use super::builder::Builder;
use super::cell;
use super::encoding::{Source, decode, open};
use super::reading::{Parsed, Reading};
use super::{
    DataError, Dataset, PERIOD, cannot_read, describe_unit_columns, find_column, unit_names,
};
use crate::ir::Policy;
use rayon::prelude::*;
use std::borrow::Cow;
use std::fs::File;
use std::io::{self, Read};
use std::path::Path;

/// Reads CSV text held in memory.
pub fn read(policy: &Policy, file: &str, bytes: &[u8]) -> Result<Dataset, Vec<DataError>> {
    if is_workbook(bytes) {
        return not_a_workbook(file);
    }
    let text = decode(bytes);
    rows(policy, file, text.as_bytes(), None, false).unwrap_or_else(|NotUtf8| not_text(file))
}

/// The text read was not UTF-8.
struct NotUtf8;

/// A workbook saved by a spreadsheet program (.xlsx and .ods are zip
/// archives, .xls a compound document), by its first bytes.
fn is_workbook(head: &[u8]) -> bool {
    head.starts_with(b"PK\x03\x04") || head.starts_with(&[0xD0, 0xCF, 0x11, 0xE0])
}

fn not_a_workbook(file: &str) -> Result<Dataset, Vec<DataError>> {
    Err(vec![DataError::file(
        file,
        "the file is a spreadsheet workbook, not CSV: give it with its own extension (.xlsx, .xls or .ods) and it is read as a workbook, or save it from Excel as \"CSV UTF-8\" (另存为 → CSV UTF-8)",
    )])
}

fn not_text(file: &str) -> Result<Dataset, Vec<DataError>> {
    Err(vec![DataError::file(
        file,
        "the file is neither UTF-8 nor GB18030 text",
    )])
}

/// Reads a CSV file (only the rows of `period`, if given; row numbers
/// stay those of the file).
pub fn read_file(
    policy: &Policy,
    path: &Path,
    period: Option<&str>,
) -> Result<Dataset, Vec<DataError>> {
    let file = path.display().to_string();
    let mut head = [0u8; 4];
    let read = File::open(path).and_then(|mut f| f.read(&mut head));
    if read.is_ok_and(|n| head.get(..n).is_some_and(is_workbook)) {
        return not_a_workbook(&file);
    }
    let cannot = |e: io::Error| vec![cannot_read(&file, &e)];
    let utf8 = open(path, false).map_err(cannot)?;
    match rows(policy, &file, utf8, period, false) {
        Ok(done) => done,
        Err(NotUtf8) => {
            // A UTF-8 file with a few bad bytes: those rows are errors.
            // Otherwise the file is GB18030 (GBK) through and through.
            let utf8 = open(path, false)
                .and_then(Source::mostly_utf8)
                .map_err(cannot)?;
            let text = open(path, !utf8).map_err(cannot)?;
            rows(policy, &file, text, period, utf8).unwrap_or_else(|NotUtf8| not_text(&file))
        }
    }
}

/// The units of a file as (id, row, name), from its id and name columns
/// alone: what a check across files needs when the file's cells have
/// errors. `None` if the file cannot be read that far.
pub fn unit_ids(policy: &Policy, path: &Path) -> Option<Vec<(String, usize, String)>> {
    let (headers, mut reader) = a_few_columns(path)?;
    let [ids, names, _] = unit_names(policy);
    let id = find_column(&headers, &ids)?;
    let name = find_column(&headers, &names).unwrap_or(id);
    let mut out = Vec::new();
    let mut record = ::csv::StringRecord::new();
    let mut row = 1;
    while reader.read_record(&mut record).unwrap_or(false) {
        row += 1;
        let cell = |i: usize| record.get(i).map_or("", str::trim).to_string();
        if !cell(id).is_empty() {
            out.push((cell(id), row, cell(name)));
        }
    }
    Some(out)
}

/// The periods of a file with a period column (`period`, 期间, 年度), in
/// ascending order; `None` if it has no such column.
pub fn periods(path: &Path) -> Option<Vec<String>> {
    if text_headers(path).is_some_and(|h| find_column(&h, &PERIOD).is_none()) {
        return None;
    }
    let (headers, mut reader) = a_few_columns(path)?;
    let column = find_column(&headers, &PERIOD)?;
    let mut labels: Vec<String> = Vec::new();
    let mut record = ::csv::StringRecord::new();
    while reader.read_record(&mut record).unwrap_or(false) {
        if let Some(p) = record.get(column).map(str::trim)
            && !p.is_empty()
            && !labels.iter().any(|l| l == p)
        {
            labels.push(p.to_string());
        }
    }
    labels.sort();
    Some(labels)
}

/// A file's header row when it is UTF-8 text, read without reading on. A
/// header that is UTF-8 and names no period column names none in GB18030
/// either (GBK's Chinese is almost never valid UTF-8, and ASCII is the same
/// in both), so most files are known to have no period column from their
/// first line.
fn text_headers(path: &Path) -> Option<Vec<String>> {
    let mut reader = ::csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(open(path, false).ok()?);
    let headers = reader.byte_headers().ok()?;
    headers
        .iter()
        .map(|h| std::str::from_utf8(h).ok().map(str::to_string))
        .collect()
}

/// A file's header row, and a reader of its records, for reading a few of
/// its columns (in whichever encoding the file is).
fn a_few_columns(path: &Path) -> Option<(Vec<String>, ::csv::Reader<Source>)> {
    let utf8 = open(path, false).ok()?.mostly_utf8().ok()?;
    let mut reader = ::csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(open(path, !utf8).ok()?);
    let headers: Vec<String> = reader.headers().ok()?.iter().map(str::to_string).collect();
    Some((headers, reader))
}

/// Rows read, then parsed in parallel, at a time.
const BATCH: usize = 1024;

/// Where each column the rows are read from is.
struct Columns {
    id: usize,
    name: usize,
    kind: Option<usize>,
    period: Option<usize>,
    inputs: Vec<Option<usize>>,
}

/// The dataset of the rows (or every problem in them); `NotUtf8` when the
/// text turns out not to be UTF-8. While one batch of rows is parsed (by
/// every thread of the pool), the next one is read.
fn rows(
    policy: &Policy,
    file: &str,
    input: impl Read + Send,
    period: Option<&str>,
    bad_bytes_are_errors: bool,
) -> Result<Result<Dataset, Vec<DataError>>, NotUtf8> {
    let mut reader = ::csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(input);
    let headers: Vec<String> = match reader.byte_headers() {
        Ok(h) => match h.iter().position(|c| std::str::from_utf8(c).is_err()) {
            Some(column) if bad_bytes_are_errors => {
                let message = format!(
                    "header {} is not UTF-8 text (the rest of the file is): retype it, or save the file again as CSV UTF-8",
                    column + 1
                );
                let error = DataError::file(file, message);
                return Ok(Err(vec![DataError {
                    row: Some(1),
                    ..error
                }]));
            }
            Some(_) => return Err(NotUtf8),
            None => h
                .iter()
                .map(|c| String::from_utf8_lossy(c).into_owned())
                .collect(),
        },
        Err(e) => {
            return Ok(Err(vec![DataError::file(
                file,
                format!("cannot read the header row: {e}"),
            )]));
        }
    };
    let mut b = Builder::new(policy, file);
    let reading = Reading::new(policy);
    let [ids, names, kinds] = unit_names(policy);
    let (id, name, kind) = (
        find_column(&headers, &ids),
        find_column(&headers, &names),
        find_column(&headers, &kinds),
    );
    // Without kinds in the policy, no kind column is needed; without a
    // name column, the id is the name.
    let (Some(id), true) = (id, kind.is_some() || policy.kinds.is_empty()) else {
        let message = describe_unit_columns(policy);
        return Ok(Err(vec![DataError {
            row: Some(1),
            ..DataError::file(file, message)
        }]));
    };
    let name = name.unwrap_or(id);
    b.columns(&headers);
    let columns = Columns {
        id,
        name,
        kind,
        period: find_column(&headers, &PERIOD),
        inputs: policy
            .inputs
            .iter()
            .map(|input| headers.iter().position(|h| h.trim() == input.column))
            .collect(),
    };
    // Three batches in flight: the one before is added to the dataset
    // while this one is parsed and the next one read.
    let (mut before, mut current, mut next) =
        (Batch::default(), Batch::default(), Batch::default());
    let mut row = 2;
    current.read(&mut reader, &mut row);
    while !current.slots.is_empty() || !before.slots.is_empty() {
        let ((), (parsed, ())) = rayon::join(
            || before.add(&mut b, &columns, &headers),
            || {
                rayon::join(
                    || current.parse(&reading, &columns, period),
                    || next.read(&mut reader, &mut row),
                )
            },
        );
        if !bad_bytes_are_errors {
            parsed?;
        }
        // The batch just added is read into next (its buffers reused).
        std::mem::swap(&mut before, &mut current);
        std::mem::swap(&mut current, &mut next);
    }
    Ok(b.finish())
}

/// A batch of rows: each row's number and record (or why it could not be
/// read), and once parsed, what became of it.
#[derive(Default)]
struct Batch {
    slots: Vec<(usize, Result<::csv::ByteRecord, String>)>,
    parsed: Vec<(Status, Parsed)>,
}

/// A record as text: its bytes checked to be UTF-8 once, as a whole, and
/// each field's ends found on character boundaries (so each field is
/// UTF-8 text on its own, as the csv crate checks field by field).
struct Text<'r> {
    record: &'r ::csv::ByteRecord,
    text: &'r str,
}

impl<'r> Text<'r> {
    fn new(record: &'r ::csv::ByteRecord) -> Option<Self> {
        let text = simdutf8::basic::from_utf8(record.as_slice()).ok()?;
        (0..record.len())
            .filter_map(|i| record.range(i))
            .all(|field| text.is_char_boundary(field.end))
            .then_some(Text { record, text })
    }

    fn get(&self, i: usize) -> Option<&'r str> {
        self.text.get(self.record.range(i)?)
    }

    fn fields(&self) -> impl Iterator<Item = &'r str> + '_ {
        (0..self.record.len()).map(|i| self.get(i).unwrap_or(""))
    }
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
    fn read(&mut self, reader: &mut ::csv::Reader<impl Read>, row: &mut usize) {
        // Reuse the records' buffers.
        let mut spare: Vec<::csv::ByteRecord> =
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

    fn parse(
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
    fn add(&self, b: &mut Builder, columns: &Columns, headers: &[String]) {
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
    record: &::csv::ByteRecord,
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
    use ::csv::ByteRecord;

    #[test]
    fn a_row_is_text_only_when_every_field_is() {
        let row = ByteRecord::from(vec!["a1", "黑河", "", "85%"]);
        let text = Text::new(&row).map(|t| t.fields().collect::<Vec<_>>());
        assert_eq!(text, Some(vec!["a1", "黑河", "", "85%"]));
        // 中 (E4 B8 AD) cut in two by a comma: the row's bytes run together
        // are UTF-8, but neither field is.
        let cut: Vec<&[u8]> = vec![b"a\xE4", b"\xB8\xAD"];
        assert!(Text::new(&ByteRecord::from(cut)).is_none());
        let bad: Vec<&[u8]> = vec![b"a1", b"\xFF"];
        assert!(Text::new(&ByteRecord::from(bad)).is_none());
    }

    /// The records of CSV text, as the reader of data files reads them.
    fn records(text: &[u8]) -> Vec<Vec<String>> {
        let mut reader = ::csv::ReaderBuilder::new()
            .flexible(true)
            .has_headers(false)
            .from_reader(text);
        let mut out = Vec::new();
        let mut record = ByteRecord::new();
        while reader.read_byte_record(&mut record).unwrap_or(false) {
            let fields = record
                .iter()
                .map(|f| String::from_utf8_lossy(f).into_owned());
            out.push(fields.collect());
        }
        out
    }

    #[test]
    fn lines_end_at_lf_cr_lf_or_a_lone_cr() {
        let expected = vec![vec!["id", "得分"], vec!["a", "1"], vec!["b", "2"]];
        for text in [
            &b"id,\xE5\xBE\x97\xE5\x88\x86\na,1\nb,2\n"[..],
            b"id,\xE5\xBE\x97\xE5\x88\x86\r\na,1\r\nb,2\r\n",
            // Excel for the Mac's old CSV.
            b"id,\xE5\xBE\x97\xE5\x88\x86\ra,1\rb,2\r",
            // Blank lines are no rows.
            b"id,\xE5\xBE\x97\xE5\x88\x86\n\na,1\r\n\r\nb,2",
        ] {
            assert_eq!(records(text), expected, "{text:?}");
        }
        // A CR inside a quoted cell stays.
        let quoted = records(b"id,note\r\na,\"x\ry\"\r\n");
        assert_eq!(
            quoted.get(1),
            Some(&vec!["a".to_string(), "x\ry".to_string()])
        );
        // Quotes are undone, and doubled quotes are one.
        let quotes = records(b"a,\"b,c\",\"d\"\"e\"\n");
        assert_eq!(quotes, vec![vec!["a", "b,c", "d\"e"]]);
    }
}
