//! Data: reading every unit's values (CSV, JSON), typed against the policy's
//! inputs. Runs after `check` (it needs the compiled inputs) and before
//! `eval`. A bad cell is an error naming file, row, column, unit, what was
//! found and what was expected; a blank cell is kept as blank, never zero,
//! unless the input says `missing zero`.
//!
//! Cells are kept row by row, each in the form of its input's type
//! (`cells.rs`; a plain cell is read straight into it: `reading.rs`), and
//! units' ids and names in one buffer (`units.rs`), so a million units fit
//! in a few hundred megabytes.

mod builder;
mod cell;
mod cells;
pub(crate) mod csv;
pub(crate) mod encoding;
mod json;
mod reading;
pub mod sources;
mod units;
pub mod workbook;

pub use units::{Unit, Units};

use crate::ir::{KindId, Policy, Value};
use builder::Builder;
use cells::Cells;
pub(crate) use cells::Row;
use std::fmt;
use std::path::Path;

/// All units' values, one cell per input.
#[derive(Debug, Clone)]
pub struct Dataset {
    pub units: Units,
    pub inputs: usize,
    cells: Cells,
    /// Cells that were blank and filled by a `missing zero` or `missing
    /// mean` rule, unit by unit; `None` while there are none.
    defaulted: Option<Vec<bool>>,
    pub warnings: Vec<String>,
    /// Columns that name no input and were ignored.
    pub ignored: Vec<String>,
}

impl Dataset {
    /// No units yet, with a column for every input of `policy`.
    pub fn new(policy: &Policy) -> Dataset {
        Dataset {
            units: Units::default(),
            inputs: policy.inputs.len(),
            cells: Cells::new(policy.inputs.iter().map(|i| &i.ty)),
            defaulted: None,
            warnings: Vec::new(),
            ignored: Vec::new(),
        }
    }

    /// How many units there are.
    pub fn len(&self) -> usize {
        self.units.len()
    }

    pub fn is_empty(&self) -> bool {
        self.units.is_empty()
    }

    /// Adds a unit with its value of every input (and which were filled
    /// by a `missing` rule).
    pub fn push(&mut self, unit: Unit, values: &[Value], defaulted: Option<&[bool]>) {
        let row = self.cells.row(values);
        self.push_row(unit, &row, defaulted);
    }

    /// [`Dataset::push`] with the values encoded (see [`Row::encode`]).
    pub(crate) fn push_row(&mut self, unit: Unit, values: &Row, defaulted: Option<&[bool]>) {
        let u = self.len();
        self.units.push(unit.id, unit.name, unit.kind, unit.row);
        self.cells.push(u, values);
        if defaulted.is_some_and(|d| d.contains(&true)) && self.defaulted.is_none() {
            self.defaulted = Some(vec![false; u * self.inputs]);
        }
        if let Some(flags) = &mut self.defaulted {
            let row = (0..self.inputs).map(|i| defaulted.and_then(|d| d.get(i)).copied());
            flags.extend(row.map(|d| d.unwrap_or(false)));
        }
    }

    /// Replaces a blank cell with the value a `missing` rule gives it.
    fn fill(&mut self, u: usize, i: usize, value: Value) {
        self.cells.set(u, i, value);
        let cells = self.len() * self.inputs;
        let flags = self.defaulted.get_or_insert_with(|| vec![false; cells]);
        if let Some(d) = flags.get_mut(u * self.inputs + i) {
            *d = true;
        }
    }

    /// Unit `u`'s value of input `i`.
    pub fn value(&self, u: usize, i: usize) -> Value {
        self.cells.get(u, i)
    }

    /// Whether unit `u`'s cell of input `i` was filled by a `missing` rule.
    pub fn is_defaulted(&self, u: usize, i: usize) -> bool {
        self.defaulted
            .as_ref()
            .and_then(|d| d.get(u * self.inputs + i))
            .copied()
            .unwrap_or(false)
    }

    /// Unit `u`'s values, one per input.
    pub fn values(&self, u: usize) -> Vec<Value> {
        (0..self.inputs).map(|i| self.cells.get(u, i)).collect()
    }

    /// The kind of unit `u`.
    pub fn kind(&self, u: usize) -> KindId {
        self.units.kind(u)
    }

    /// Reads a CSV, JSON or workbook file (by extension; CSV otherwise).
    pub fn load(policy: &Policy, path: &Path) -> Result<Dataset, Vec<DataError>> {
        if workbook::is_workbook(path) {
            return workbook::read(policy, path);
        }
        let file = path.display().to_string();
        let is_json = path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("json"));
        if is_json {
            let bytes = std::fs::read(path).map_err(|e| vec![cannot_read(&file, &e)])?;
            json::read(policy, &file, &bytes)
        } else {
            csv::read_file(policy, path, None)
        }
    }

    /// The periods of a CSV file with a period column (`period`, 期间, 年度),
    /// in ascending order; `None` without one.
    pub fn periods(path: &Path) -> Option<Vec<String>> {
        csv::periods(path)
    }

    /// Reads the rows of one period of a CSV file with a period column.
    pub fn load_period(
        policy: &Policy,
        path: &Path,
        period: &str,
    ) -> Result<Dataset, Vec<DataError>> {
        csv::read_file(policy, path, Some(period))
    }

    /// Last period's data where rules read it only through `previous(x)`:
    /// the columns of the inputs `previous` reads are read and checked as
    /// usual (and those of their denominators); every other column may be
    /// absent, and is not read. The
    /// period's rows in a file with a period column, if `period` is given.
    pub fn load_previous(
        policy: &Policy,
        path: &Path,
        period: Option<&str>,
    ) -> Result<Dataset, Vec<DataError>> {
        let read = policy.read_previously();
        let mut view = policy.clone();
        for (input, read) in view.inputs.iter_mut().zip(read) {
            if !read {
                input.ty = crate::ir::InputType::Text;
                input.missing = crate::ir::Missing::Reweight(None);
                input.when = None;
                input.per = None;
            }
        }
        match period {
            Some(p) => csv::read_file(&view, path, Some(p)),
            None => Dataset::load(&view, path),
        }
    }

    /// Units given cell by cell (a test's): per unit its id (also its
    /// name), its kind and each input's raw cell (`None`: blank), checked
    /// like a data file's rows (row 1 is the first unit).
    pub fn from_units(
        policy: &Policy,
        file: &str,
        units: Vec<(String, String, Vec<Option<String>>)>,
    ) -> Result<Dataset, Vec<DataError>> {
        let mut b = Builder::new(policy, file);
        let columns: Vec<String> = policy.inputs.iter().map(|i| i.column.clone()).collect();
        b.columns(&columns);
        for (row, (id, kind, cells)) in units.iter().enumerate() {
            b.unit(row + 1, (id, id, kind), |i| {
                cells.get(i).cloned().flatten().map(std::borrow::Cow::Owned)
            });
        }
        b.finish()
    }

    /// Reads CSV text (the file name is used in messages).
    pub fn from_csv(policy: &Policy, file: &str, bytes: &[u8]) -> Result<Dataset, Vec<DataError>> {
        csv::read(policy, file, bytes)
    }

    /// Reads JSON text (the file name is used in messages).
    pub fn from_json(policy: &Policy, file: &str, bytes: &[u8]) -> Result<Dataset, Vec<DataError>> {
        json::read(policy, file, bytes)
    }
}

/// A problem in the data, located as precisely as the file allows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataError {
    pub file: String,
    pub row: Option<usize>,
    pub column: Option<String>,
    pub unit: Option<String>,
    pub message: String,
}

impl DataError {
    /// The file could not be read at all (missing, a folder, no permission).
    pub fn is_unreadable(&self) -> bool {
        self.row.is_none() && self.message.starts_with(CANNOT_READ)
    }

    pub fn file(file: &str, message: impl Into<String>) -> DataError {
        DataError {
            file: file.to_string(),
            row: None,
            column: None,
            unit: None,
            message: message.into(),
        }
    }
}

/// How a file that could not be read at all is reported.
const CANNOT_READ: &str = "cannot read the file: ";

fn cannot_read(file: &str, e: &std::io::Error) -> DataError {
    DataError::file(file, format!("{CANNOT_READ}{e}"))
}

impl fmt::Display for DataError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(row) = self.row {
            write!(f, ", row {row}")?;
        }
        if let Some(column) = &self.column {
            write!(f, ", column `{column}`")?;
        }
        if let Some(unit) = &self.unit {
            write!(f, " (unit {unit})")?;
        }
        write!(f, ": {}", self.message)
    }
}

/// The columns every file has, with their Chinese names.
const ID: [&str; 3] = ["id", "编号", "单位编号"];
const NAME: [&str; 3] = ["name", "名称", "单位名称"];
pub(crate) const KIND: [&str; 3] = ["kind", "类型", "单位类型"];
const PERIOD: [&str; 3] = ["period", "期间", "年度"];

fn find_column(headers: &[String], names: &[&str]) -> Option<usize> {
    headers.iter().position(|h| names.contains(&h.trim()))
}

/// The names a file may give the unit's id, name and kind: the policy's
/// own (`column id "country-code"`), else the usual ones.
fn unit_names(policy: &Policy) -> [Vec<&str>; 3] {
    let c = &policy.unit_columns;
    [
        names(&c.id, &ID),
        names(&c.name, &NAME),
        names(&c.kind, &KIND),
    ]
}

fn names<'a>(mine: &'a Option<String>, usual: &[&'static str]) -> Vec<&'a str> {
    match mine {
        Some(m) => vec![m.as_str()],
        None => usual.to_vec(),
    }
}

/// How a file's header row says what the unit's id, name and kind are.
fn describe_unit_columns(policy: &Policy) -> String {
    let [id, name, kind] = unit_names(policy).map(|n| format!("`{}`", n.join("`/`")));
    if policy.kinds.is_empty() {
        format!("the header row needs the column {id} (and {name}, or the id is the name)")
    } else {
        format!(
            "the header row needs the columns {id} and {kind} (and {name}, or the id is the name)"
        )
    }
}
