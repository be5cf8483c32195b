//! CSV: UTF-8 with or without a byte-order mark, else GB18030 (which covers
//! GBK, as Excel saves Chinese CSV on Windows).

use super::{Builder, DataError, Dataset, ID, KIND, NAME, PERIOD, find_column};
use crate::ir::Policy;

pub fn read(policy: &Policy, file: &str, bytes: &[u8]) -> Result<Dataset, Vec<DataError>> {
    read_period(policy, file, bytes, None)
}

/// The periods of a file with a period column (`period`, 期间, 年度), in
/// ascending order; `None` if it has no such column.
pub fn periods(bytes: &[u8]) -> Option<Vec<String>> {
    let text = decode(bytes);
    let mut reader = ::csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = reader.headers().ok()?.iter().map(str::to_string).collect();
    let column = find_column(&headers, &PERIOD)?;
    let mut labels: Vec<String> = reader
        .records()
        .filter_map(Result::ok)
        .filter_map(|r| r.get(column).map(|p| p.trim().to_string()))
        .filter(|p| !p.is_empty())
        .collect();
    labels.sort();
    labels.dedup();
    Some(labels)
}

/// Reads the rows of one period (all rows if `period` is `None`); row
/// numbers stay those of the file.
pub fn read_period(
    policy: &Policy,
    file: &str,
    bytes: &[u8],
    period: Option<&str>,
) -> Result<Dataset, Vec<DataError>> {
    let text = decode(bytes);
    let mut reader = ::csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(str::to_string).collect(),
        Err(e) => {
            return Err(vec![DataError::file(
                file,
                format!("cannot read the header row: {e}"),
            )]);
        }
    };
    let mut b = Builder::new(policy, file);
    let (Some(id), Some(name), Some(kind)) = (
        find_column(&headers, &ID),
        find_column(&headers, &NAME),
        find_column(&headers, &KIND),
    ) else {
        let message = "the header row needs the columns `id`, `name` and `kind` (编号, 名称, 类型)"
            .to_string();
        return Err(vec![DataError {
            row: Some(1),
            ..DataError::file(file, message)
        }]);
    };
    b.columns(&headers);
    let columns: Vec<Option<usize>> = policy
        .inputs
        .iter()
        .map(|input| headers.iter().position(|h| h.trim() == input.column))
        .collect();
    for (index, record) in reader.records().enumerate() {
        let row = index + 2;
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                b.error(Some(row), None, None, format!("cannot read the row: {e}"));
                continue;
            }
        };
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let in_period = |p: &str| {
            find_column(&headers, &PERIOD)
                .is_none_or(|c| record.get(c).is_some_and(|x| x.trim() == p))
        };
        if period.is_some_and(|p| !in_period(p)) {
            continue;
        }
        let field = |i: usize| record.get(i).unwrap_or("");
        b.unit(row, field(id), field(name), field(kind), |input| {
            columns
                .get(input)
                .copied()
                .flatten()
                .map(|c| field(c).to_string())
        });
    }
    b.finish()
}

pub(crate) fn decode(bytes: &[u8]) -> String {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_string(),
        Err(_) => gb18030(bytes),
    }
}

fn gb18030(bytes: &[u8]) -> String {
    let (text, _, _) = encoding_rs::GB18030.decode(bytes);
    text.into_owned()
}
