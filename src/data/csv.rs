//! CSV: UTF-8 with or without a byte-order mark, else GB18030 (which covers
//! GBK, as Excel saves Chinese CSV on Windows). A file is read as a stream,
//! one row at a time, so its text is never held whole: as UTF-8 first, and
//! from the start again through a GB18030 decoder if a row is not UTF-8.
//! Rows are read and typed a batch at a time (`batch.rs`).

use super::batch::{Batch, Columns, NotUtf8};
use super::builder::Builder;
use super::encoding::{LineEnds, Source, decode, open};
use super::reading::Reading;
use super::{
    DataError, Dataset, PERIOD, cannot_read, describe_unit_columns, find_column, unit_names,
};
use crate::ir::Policy;
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
    let mut reader = simd_csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(LineEnds::new(input));
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
