//! Workbooks (.xlsx, .xlsm, .xls, .ods), read with calamine: every sheet
//! whose header row names the unit's id column (a collection template has
//! one per kind; a sheet of notes has none), or only the one `--sheet`
//! names. The header row is the first such row, so title rows above it are
//! skipped; blank rows are skipped. Cells are read as their values, not as the text Excel shows: a
//! number in a percent column is a fraction, as Excel stores 85% (0.85); a
//! boolean is 是 or 否; a formula error (`#DIV/0!`, `#N/A`) is an error for
//! its cell, never a blank or a zero, and so is a date. Every error names the
//! workbook, the sheet and the cell (`units.xlsx, Sheet1!C17`).

use super::builder::Builder;
use super::{DataError, Dataset, describe_unit_columns, find_column, unit_names};
use crate::ir::{InputType, Policy};
use crate::num::Num;
use calamine::{Data, Dimensions, Range, Reader, Sheets};
use std::borrow::Cow;
use std::path::Path;
use std::str::FromStr;
use std::sync::OnceLock;

/// `--sheet NAME`: the sheet data is read from (else each workbook's first).
static SHEET: OnceLock<String> = OnceLock::new();

pub fn set_sheet(name: &str) {
    _ = SHEET.set(name.to_string());
}

/// The extensions read as workbooks.
pub fn is_workbook(path: &Path) -> bool {
    let extension = path.extension().and_then(|e| e.to_str()).unwrap_or("");
    ["xlsx", "xlsm", "xls", "ods"].contains(&extension.to_ascii_lowercase().as_str())
}

/// How far down a header row is looked for, below title rows.
const HEADER_WITHIN: usize = 30;

pub fn read(policy: &Policy, path: &Path) -> Result<Dataset, Vec<DataError>> {
    let book = path.display().to_string();
    let mut sheets = calamine::open_workbook_auto(path).map_err(|e| {
        vec![DataError::file(
            &book,
            format!("cannot read the workbook (corrupt, protected by a password, or not a workbook): {e}"),
        )]
    })?;
    let names = sheets.sheet_names();
    let wanted: Vec<String> = match SHEET.get() {
        Some(wanted) if names.contains(wanted) => vec![wanted.clone()],
        Some(wanted) => {
            let hint = crate::diagnostics::closest(wanted, names.iter().map(String::as_str))
                .map(|c| format!("; did you mean `{c}`?"))
                .unwrap_or_default();
            let message = format!("no sheet `{wanted}`: it has {}{hint}", names.join(", "));
            return Err(vec![DataError::file(&book, message)]);
        }
        None => names,
    };
    let mut tables = Vec::new();
    for name in &wanted {
        let range = (sheets.worksheet_range(name)).map_err(|e| {
            vec![DataError::file(
                &book,
                format!("cannot read the sheet `{name}`: {e}"),
            )]
        })?;
        let merged = merged_cells(&mut sheets, name);
        if let Some(table) = Table::find(policy, name, range, merged) {
            tables.push(table);
        }
    }
    if tables.is_empty() {
        let place = match wanted.as_slice() {
            [one] => format!("{book}, sheet {one}"),
            _ => book.clone(),
        };
        let message = format!(
            "{} (looked for in the first {HEADER_WITHIN} rows of each sheet)",
            describe_unit_columns(policy)
        );
        return Err(vec![DataError::file(&place, message)]);
    }
    Units {
        policy,
        book: &book,
        tables: &tables,
    }
    .read()
}

/// The merged regions of a sheet, where the format records them.
fn merged_cells(
    sheets: &mut Sheets<std::io::BufReader<std::fs::File>>,
    sheet: &str,
) -> Vec<Dimensions> {
    match sheets {
        Sheets::Xlsx(x) => x.worksheet_merge_cells(sheet).and_then(Result::ok),
        Sheets::Xls(x) => x.worksheet_merge_cells(sheet),
        _ => None,
    }
    .unwrap_or_default()
}

/// A sheet with a header row naming the unit's id column.
struct Table {
    name: String,
    range: Range<Data>,
    merged: Vec<Dimensions>,
    /// The header row's index in the range, and its cells.
    header_at: usize,
    headers: Vec<String>,
}

impl Table {
    fn find(
        policy: &Policy,
        name: &str,
        range: Range<Data>,
        merged: Vec<Dimensions>,
    ) -> Option<Table> {
        let [ids, _, _] = unit_names(policy);
        let first = range.rows().take(HEADER_WITHIN).position(|row| {
            let headers: Vec<String> = row.iter().map(text).collect();
            find_column(&headers, &ids).is_some()
        })?;
        let (header_at, headers) = header_band(&range, &merged, first);
        Some(Table {
            name: name.to_string(),
            range,
            merged,
            header_at,
            headers,
        })
    }

    /// A range row's number as Excel numbers it (from 1).
    fn sheet_row(&self, at: usize) -> usize {
        self.range.start().map_or(0, |s| s.0 as usize) + at + 1
    }

    /// A cell's address (`C17`).
    fn cell(&self, column: usize, row: usize) -> String {
        let left = self.range.start().map_or(0, |s| s.1 as usize);
        format!("{}{row}", letters(left + column))
    }
}

/// A header row with the cells merged down from it (`编号` over two rows,
/// `完成情况` over the two columns whose names are below it): the header is
/// the band of rows those merges cover, and each column's name is the lowest
/// name in the band. The index of the band's last row, and the names.
fn header_band(range: &Range<Data>, merged: &[Dimensions], first: usize) -> (usize, Vec<String>) {
    let (top, left) = range.start().unwrap_or((0, 0));
    let row = top + first as u32;
    let last = (merged.iter())
        .filter(|d| d.start.0 <= row && row <= d.end.0)
        .map(|d| d.end.0)
        .max()
        .unwrap_or(row);
    let width = range.width() as u32;
    let cell = |r: u32, c: u32| {
        let at = merged
            .iter()
            .find(|d| d.contains(r, c))
            .map_or((r, c), |d| d.start);
        range.get_value(at).map(text).unwrap_or_default()
    };
    let names = (left..left + width)
        .map(|c| {
            let band = (row..=last).rev().map(|r| cell(r, c));
            band.into_iter()
                .find(|n| !n.trim().is_empty())
                .unwrap_or_default()
        })
        .collect();
    (first + (last - row) as usize, names)
}

/// The units of every table of a workbook, read as one file: its columns
/// are those of all its tables, so a template with a sheet per kind reads
/// back whole.
struct Units<'a> {
    policy: &'a Policy,
    book: &'a str,
    tables: &'a [Table],
}

impl Units<'_> {
    fn read(&self) -> Result<Dataset, Vec<DataError>> {
        let mut all: Vec<String> = Vec::new();
        for h in self.tables.iter().flat_map(|t| &t.headers) {
            if !h.trim().is_empty() && !all.contains(h) {
                all.push(h.clone());
            }
        }
        let mut b = Builder::new(self.policy, self.book);
        b.columns(&all);
        // Where each row the builder numbers comes from: row n is `places[n - 2]`
        // (row 1 is the header).
        let mut places: Vec<(usize, usize)> = Vec::new();
        for (t, table) in self.tables.iter().enumerate() {
            self.rows(&mut b, t, table, &mut places);
        }
        let merged: Vec<DataError> = self
            .tables
            .iter()
            .flat_map(|t| self.merged_data(t))
            .collect();
        let mut errors = match b.finish() {
            Ok(data) if merged.is_empty() => return Ok(data),
            Ok(_) => Vec::new(),
            Err(errors) => errors,
        };
        for e in &mut errors {
            self.locate(e, &places);
        }
        errors.extend(merged);
        Err(errors)
    }

    fn rows(&self, b: &mut Builder, t: usize, table: &Table, places: &mut Vec<(usize, usize)>) {
        let [ids, names, kinds] = unit_names(self.policy);
        let column = |names: &[&str]| find_column(&table.headers, names);
        let (id, name, kind) = (column(&ids), column(&names), column(&kinds));
        let inputs: Vec<(Option<usize>, bool)> = (self.policy.inputs.iter())
            .map(|i| {
                let percent = matches!(i.ty, InputType::Percent { .. }) && i.per.is_none();
                (find_column(&table.headers, &[i.column.as_str()]), percent)
            })
            .collect();
        for (at, row) in table.range.rows().enumerate().skip(table.header_at + 1) {
            if row.iter().all(|c| text(c).trim().is_empty()) {
                continue;
            }
            places.push((t, table.sheet_row(at)));
            let number = places.len() + 1;
            let cell = |c: Option<usize>| c.and_then(|c| row.get(c)).map(text).unwrap_or_default();
            let unit_id = cell(id);
            for (c, value) in row.iter().enumerate() {
                if let Some(message) = unreadable(value) {
                    let header = table.headers.get(c).map(String::as_str);
                    b.error(Some(number), header, Some(&unit_id), message);
                }
            }
            let unit_name = Some(cell(name))
                .filter(|n| !n.is_empty())
                .unwrap_or_else(|| unit_id.clone());
            b.unit(number, (&unit_id, &unit_name, &cell(kind)), |input| {
                let (c, percent) = inputs.get(input).copied()?;
                let value = row.get(c?)?;
                Some(Cow::Owned(if percent {
                    percent_text(value)
                } else {
                    text(value)
                }))
            });
        }
    }

    /// Merged cells below the header: each unit needs cells of its own.
    fn merged_data(&self, table: &Table) -> Vec<DataError> {
        let header_row = table.sheet_row(table.header_at);
        let cell = |(row, column): (u32, u32)| format!("{}{}", letters(column as usize), row + 1);
        (table.merged.iter())
            .filter(|d| d.end.0 as usize + 1 > header_row)
            .map(|d| {
                let place = format!("{}, {}!{}:{}", self.book, table.name, cell(d.start), cell(d.end));
                DataError::file(&place, "a merged cell in the data: each unit needs cells of its own; unmerge it and fill every cell")
            })
            .collect()
    }

    /// Puts the sheet and the cell in an error's place: `units.xlsx,
    /// Sheet1!C17`.
    fn locate(&self, e: &mut DataError, places: &[(usize, usize)]) {
        if e.file != self.book {
            return;
        }
        let first = self.tables.first().map(|t| (0, t.sheet_row(t.header_at)));
        let place = match e.row {
            Some(1) => first,
            Some(n) => n.checked_sub(2).and_then(|i| places.get(i)).copied(),
            None => None,
        };
        let Some((table, row)) = place.and_then(|(t, row)| Some((self.tables.get(t)?, row))) else {
            return;
        };
        let column = (e.column.as_ref())
            .and_then(|c| table.headers.iter().position(|h| h.trim() == c.trim()));
        let cell = column.map_or_else(|| format!("row {row}"), |c| table.cell(c, row));
        e.file = format!("{}, {}!{cell}", self.book, table.name);
        e.row = None;
    }
}

/// Why a cell cannot be read as data at all, if it cannot.
fn unreadable(value: &Data) -> Option<String> {
    match value {
        Data::Error(e) => Some(format!(
            "the cell holds the formula error {e}: correct the formula (an error is never read as blank or zero)"
        )),
        Data::DateTime(_) | Data::DateTimeIso(_) | Data::DurationIso(_) => {
            Some("the cell holds a date or time, and no input of this policy is one".into())
        }
        _ => None,
    }
}

/// A cell as the text a CSV file would hold.
fn text(value: &Data) -> String {
    match value {
        Data::Empty | Data::Error(_) | Data::DateTime(_) => String::new(),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        // The shortest text that reads back as the same binary number.
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => if *b { "是" } else { "否" }.into(),
    }
}

/// A cell of a percent column: a number is a fraction, as Excel stores a
/// percentage (0.85 shows as 85%); text is read as written.
fn percent_text(value: &Data) -> String {
    let number = match value {
        Data::Int(i) => Num::from_str(&i.to_string()).ok(),
        Data::Float(f) => Num::from_str(&f.to_string()).ok(),
        _ => None,
    };
    match number {
        Some(n) => format!("{}%", n * Num::from(100)),
        None => text(value),
    }
}

/// A column's letters as Excel writes them: 0 → A, 26 → AA.
fn letters(mut column: usize) -> String {
    let mut out = Vec::new();
    loop {
        out.push(char::from(b'A' + (column % 26) as u8));
        if column < 26 {
            break;
        }
        column = column / 26 - 1;
    }
    out.iter().rev().collect()
}

#[cfg(test)]
mod tests {
    use super::letters;

    #[test]
    fn columns_are_lettered_as_excel_does() {
        assert_eq!(letters(0), "A");
        assert_eq!(letters(25), "Z");
        assert_eq!(letters(26), "AA");
        assert_eq!(letters(701), "ZZ");
        assert_eq!(letters(702), "AAA");
    }
}
