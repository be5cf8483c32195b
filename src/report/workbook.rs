//! An Excel workbook of the results (rust_xlsxwriter): a sheet per kind of
//! unit (one, 结果, without kinds) in rank order, with the header frozen and
//! scores as numbers at the policy's precision; 得分明细 with every node's
//! score per unit; 指标 with the indicator tree and its points, as the
//! published table has it.

use super::template::Column;
use super::{NOT_APPLICABLE, NOT_SCORED, Results};
use crate::eval::Status;
use crate::ir::{InputType, Policy};
use crate::source::Sources;
use rust_xlsxwriter::{
    DataValidation, DataValidationRule, Format, Note, Workbook, Worksheet, XlsxError,
};
use std::io;

/// The workbook's bytes.
pub fn workbook(r: &Results, sources: &Sources) -> io::Result<Vec<u8>> {
    build(r, sources).map_err(|e| io::Error::other(e.to_string()))
}

/// The published table (`zhibiao table --format xlsx`) as a workbook.
pub fn published(policy: &Policy, sources: &Sources) -> io::Result<Vec<u8>> {
    let build = || -> Result<Vec<u8>, XlsxError> {
        let mut book = Workbook::new();
        let (header, rows) = super::published::table(policy, sources);
        let sheet = book.add_worksheet().set_name("指标")?;
        table(sheet, &header, &rows, &Formats::new(policy.precision))?;
        book.save_to_buffer()
    };
    build().map_err(|e| io::Error::other(e.to_string()))
}

fn build(r: &Results, sources: &Sources) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let formats = Formats::new(r.evaluation.precision);
    let policy = r.policy;
    let order = r.by_rank();
    let not_scored =
        (0..r.data.len()).filter(|u| r.evaluation.unit(*u).is_some_and(|s| s.not_scored));
    let mut units: Vec<usize> = order
        .iter()
        .copied()
        .filter(|u| !r.evaluation.unit(*u).is_some_and(|s| s.not_scored))
        .collect();
    units.extend(not_scored);
    if policy.kinds.is_empty() {
        results(book.add_worksheet().set_name("结果")?, r, &units, &formats)?;
    }
    for (k, kind) in policy.kinds.iter().enumerate() {
        let mine: Vec<usize> = units
            .iter()
            .copied()
            .filter(|u| r.data.kind(*u) == k)
            .collect();
        let name = sheet_name(kind.label.as_deref().unwrap_or(&kind.name));
        results(book.add_worksheet().set_name(&name)?, r, &mine, &formats)?;
    }
    nodes(
        book.add_worksheet().set_name("得分明细")?,
        r,
        &units,
        &formats,
    )?;
    let (header, rows) = super::published::table(policy, sources);
    let sheet = book.add_worksheet().set_name("指标")?;
    table(sheet, &header, &rows, &formats)?;
    book.save_to_buffer()
}

struct Formats {
    header: Format,
    score: Format,
    money: Format,
}

impl Formats {
    fn new(precision: u32) -> Formats {
        let places = match precision {
            0 => "0".to_string(),
            p => format!("0.{}", "0".repeat(p as usize)),
        };
        Formats {
            header: Format::new().set_bold(),
            score: Format::new().set_num_format(places),
            money: Format::new().set_num_format("#,##0.00"),
        }
    }
}

/// A sheet name Excel accepts: at most 31 characters, none of `[]:*?/\`.
fn sheet_name(name: &str) -> String {
    let clean: String = name
        .chars()
        .map(|c| if "[]:*?/\\".contains(c) { '_' } else { c })
        .collect();
    clean.chars().take(31).collect()
}

fn header(sheet: &mut Worksheet, names: &[&str], f: &Formats) -> Result<(), XlsxError> {
    for (c, name) in names.iter().enumerate() {
        sheet.write_string_with_format(0, col(c), *name, &f.header)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    Ok(())
}

fn col(c: usize) -> u16 {
    u16::try_from(c).unwrap_or(u16::MAX)
}

fn row(r: usize) -> u32 {
    u32::try_from(r).unwrap_or(u32::MAX)
}

/// One unit per row: rank, id, name, scores, grade, tier, vetoes.
fn results(
    sheet: &mut Worksheet,
    r: &Results,
    units: &[usize],
    f: &Formats,
) -> Result<(), XlsxError> {
    let tiers = !r.policy.tiers.is_empty();
    let mut names = vec![
        "排名",
        "类内排名",
        "编号",
        "名称",
        "类型",
        "得分",
        "满分",
        "基础分",
        "加分",
        "扣分",
        "等级",
    ];
    if tiers {
        names.push("梯队");
    }
    names.extend(r.funding_name());
    names.push("否决");
    header(sheet, &names, f)?;
    let e = r.evaluation;
    for (i, &u) in units.iter().enumerate() {
        let (Some(s), Some(unit)) = (e.unit(u), r.data.units.get(u)) else {
            continue;
        };
        let at = row(i + 1);
        let mut c = 0;
        let mut next = || {
            c += 1;
            col(c - 1)
        };
        for rank in [s.rank, s.rank_in_kind] {
            let c = next();
            if let Some(rank) = rank {
                sheet.write_number(at, c, rank as f64)?;
            }
        }
        sheet.write_string(at, next(), unit.id)?;
        sheet.write_string(at, next(), unit.name)?;
        sheet.write_string(at, next(), r.kind(u))?;
        if s.not_scored {
            sheet.write_string(at, next(), NOT_SCORED)?;
            (0..4).for_each(|_| _ = next());
        } else {
            for k in [s.score, s.max, s.base, s.bonus, s.deductions] {
                sheet.write_number_with_format(at, next(), number(e, k), &f.score)?;
            }
        }
        sheet.write_string(at, next(), r.grade(s.grade).unwrap_or(""))?;
        if tiers {
            sheet.write_string(at, next(), r.tier(s.tier).unwrap_or(""))?;
        }
        if r.funding_name().is_some() {
            let c = next();
            if let Some(cents) = r.funding(u) {
                sheet.write_number_with_format(at, c, cents as f64 / 100.0, &f.money)?;
            }
        }
        let vetoes: Vec<String> = (e.record(u).into_iter())
            .flat_map(|rec| {
                rec.vetoes()
                    .map(|v| super::veto_report(r.policy, v).name)
                    .collect::<Vec<_>>()
            })
            .collect();
        sheet.write_string(at, next(), vetoes.join("、"))?;
    }
    sheet.autofit();
    Ok(())
}

/// A kept number (9586 at two places) as Excel's number (95.86).
fn number(e: &crate::eval::Evaluation, k: i64) -> f64 {
    e.number(k).to_string().parse().unwrap_or(f64::NAN)
}

/// Every node's score per unit (不适用 where a node does not apply).
fn nodes(
    sheet: &mut Worksheet,
    r: &Results,
    units: &[usize],
    f: &Formats,
) -> Result<(), XlsxError> {
    let policy = r.policy;
    let mut names = vec!["编号", "名称"];
    names.extend(policy.nodes.iter().skip(1).map(|n| n.path.as_str()));
    header(sheet, &names, f)?;
    let e = r.evaluation;
    for (i, &u) in units.iter().enumerate() {
        let (Some(s), Some(rec), Some(unit)) = (e.unit(u), e.record(u), r.data.units.get(u)) else {
            continue;
        };
        let at = row(i + 1);
        sheet.write_string(at, 0, unit.id)?;
        sheet.write_string(at, 1, unit.name)?;
        for (id, node) in policy.nodes.iter().enumerate().skip(1) {
            let c = col(id + 1);
            match rec.node(id) {
                _ if s.not_scored || node.is_heading() => {}
                n if n.status == Status::NotApplicable => {
                    _ = sheet.write_string(at, c, NOT_APPLICABLE)?
                }
                n => _ = sheet.write_number_with_format(at, c, number(e, n.score), &f.score)?,
            }
        }
    }
    Ok(())
}

/// The published table: points as numbers where they are one.
fn table(
    sheet: &mut Worksheet,
    names: &[String],
    rows: &[Vec<String>],
    f: &Formats,
) -> Result<(), XlsxError> {
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    header(sheet, &names, f)?;
    let points = names.iter().position(|n| *n == "分值");
    for (i, cells) in rows.iter().enumerate() {
        for (c, cell) in cells.iter().enumerate() {
            match cell.parse::<f64>() {
                Ok(x) if Some(c) == points => _ = sheet.write_number(row(i + 1), col(c), x)?,
                _ if cell.is_empty() => {}
                _ => _ = sheet.write_string(row(i + 1), col(c), cell)?,
            }
        }
    }
    sheet.autofit();
    Ok(())
}

/// The rows a collection template's checks cover.
const TEMPLATE_ROWS: u32 = 1000;

/// The collection template as a workbook: a sheet per kind (its name and the
/// columns a unit of that kind fills in), each column's description, type
/// and blank rule as a note on its header, and Excel's own checks on its
/// cells (a drop-down list for choices and yes/no, a number range for
/// numbers and percentages, whole numbers for counts); then 填表说明, the
/// guide to every column. Filled in, it is read back as data.
pub fn template(
    policy: &Policy,
    sheets: &[(String, Option<usize>, Vec<Column>)],
    guide: &[Column],
) -> io::Result<Vec<u8>> {
    let build = || -> Result<Vec<u8>, XlsxError> {
        let mut book = Workbook::new();
        let f = Formats::new(policy.precision);
        for (name, kind, columns) in sheets {
            let sheet = book.add_worksheet().set_name(sheet_name(name))?;
            template_sheet(sheet, policy, *kind, columns, &f)?;
        }
        let (header, rows) = super::template::guide_rows(guide);
        table(
            book.add_worksheet().set_name("填表说明")?,
            &header,
            &rows,
            &f,
        )?;
        book.save_to_buffer()
    };
    build().map_err(|e| io::Error::other(e.to_string()))
}

fn template_sheet(
    sheet: &mut Worksheet,
    policy: &Policy,
    kind: Option<usize>,
    columns: &[Column],
    f: &Formats,
) -> Result<(), XlsxError> {
    let c = &policy.unit_columns;
    let own = |mine: &Option<String>, usual: &str| mine.clone().unwrap_or_else(|| usual.into());
    let mut names = vec![own(&c.id, "id"), own(&c.name, "name")];
    if !policy.kinds.is_empty() {
        names.push(own(&c.kind, "kind"));
    }
    let fixed = names.len();
    names.extend(columns.iter().map(|c| c.name.clone()));
    let refs: Vec<&str> = names.iter().map(String::as_str).collect();
    header(sheet, &refs, f)?;
    let kinds: Vec<&str> = match kind.and_then(|k| policy.kinds.get(k)) {
        Some(k) => vec![k.name.as_str()],
        None => policy.kinds.iter().map(|k| k.name.as_str()).collect(),
    };
    if !kinds.is_empty() {
        let list = DataValidation::new().allow_list_strings(&kinds)?;
        sheet.add_data_validation(1, 2, TEMPLATE_ROWS, 2, &list)?;
    }
    let percent = Format::new().set_num_format("0.0%");
    for (i, column) in columns.iter().enumerate() {
        let at = col(fixed + i);
        let note = format!("{}\n{}\n{}", column.description, column.ty, column.blank);
        sheet.insert_note(0, at, &Note::new(note.trim()).set_width(300))?;
        let input = policy.inputs.iter().find(|x| x.column == column.name);
        let ty = input.filter(|x| x.per.is_none()).map(|x| &x.ty);
        let check = match ty {
            Some(InputType::Bool) => Some(DataValidation::new().allow_list_strings(&["是", "否"])?),
            Some(InputType::Choice(choices)) => {
                Some(DataValidation::new().allow_list_strings(choices)?)
            }
            Some(InputType::Count) => Some(
                DataValidation::new()
                    .allow_whole_number(DataValidationRule::GreaterThanOrEqualTo(0)),
            ),
            Some(InputType::Number {
                range: Some((lo, hi)),
            })
            | Some(InputType::Percent {
                range: Some((lo, hi)),
            }) => Some(
                DataValidation::new()
                    .allow_decimal_number(DataValidationRule::Between(to_f64(*lo), to_f64(*hi))),
            ),
            Some(InputType::Percent { range: None }) => Some(
                DataValidation::new().allow_decimal_number(DataValidationRule::Between(0.0, 1.0)),
            ),
            Some(InputType::Number { range: None } | InputType::Ratio) => Some(
                DataValidation::new()
                    .allow_decimal_number(DataValidationRule::Between(f64::MIN, f64::MAX)),
            ),
            _ => None,
        };
        if let Some(check) = check {
            let check = check.set_error_message(column.ty.as_str())?;
            sheet.add_data_validation(1, at, TEMPLATE_ROWS, at, &check)?;
        }
        if matches!(ty, Some(InputType::Percent { .. })) {
            sheet.set_column_format(at, &percent)?;
        }
    }
    sheet.autofit();
    Ok(())
}

fn to_f64(n: crate::num::Num) -> f64 {
    n.to_string().parse().unwrap_or(0.0)
}
