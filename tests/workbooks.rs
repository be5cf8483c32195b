//! Excel in and out: data read from workbooks as an evaluator's Excel holds
//! it (a title row above the header, percentages stored as fractions,
//! booleans, numbers as numbers), errors that name the sheet and the cell,
//! and the results written as a workbook and read back with calamine.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    dead_code
)]

#[path = "common/run.rs"]
mod run;

use calamine::{Data, Reader};
use run::{stderr, stdout, temp_dir, zhibiao};
use rust_xlsxwriter::{Format, Workbook};
use std::path::Path;

const POLICY: &str = "policies/heihe/2023.zb";
const DATA: &str = "examples/heihe/units.csv";

/// The example data as a workbook typed as Excel types it: a title row, then
/// the header; `96.3%` as the number 0.963 formatted as a percentage, `是`
/// as TRUE, counts as numbers, the rest as text.
fn heihe_workbook(path: &Path, edit: impl Fn(&str, &str, &str) -> Option<Cell>) {
    let text = std::fs::read_to_string(DATA).unwrap();
    let mut rows = text.lines().map(|l| l.split(',').collect::<Vec<_>>());
    let header = rows.next().unwrap();
    let mut book = Workbook::new();
    let sheet = book.add_worksheet().set_name("填报").unwrap();
    let percent = Format::new().set_num_format("0.0%");
    sheet
        .write_string(0, 0, "黑河市数字政府建设评估 数据填报表")
        .unwrap();
    for (c, h) in header.iter().enumerate() {
        sheet.write_string(1, c as u16, *h).unwrap();
    }
    for (r, row) in rows.enumerate() {
        let r = r as u32 + 2;
        for (c, cell) in row.iter().enumerate() {
            let c16 = c as u16;
            let typed = edit(row[0], header[c], cell).unwrap_or_else(|| typed(cell));
            match typed {
                Cell::Percent(x) => {
                    _ = sheet.write_number_with_format(r, c16, x, &percent).unwrap()
                }
                Cell::Number(x) => _ = sheet.write_number(r, c16, x).unwrap(),
                Cell::Bool(b) => _ = sheet.write_boolean(r, c16, b).unwrap(),
                Cell::Text(t) => _ = sheet.write_string(r, c16, t).unwrap(),
                Cell::Formula(f, result) => {
                    let formula = rust_xlsxwriter::Formula::new(f).set_result(result);
                    sheet.write_formula(r, c16, formula).unwrap();
                }
                Cell::Date => {
                    let date = rust_xlsxwriter::ExcelDateTime::from_ymd(2023, 10, 28).unwrap();
                    let f = Format::new().set_num_format("yyyy-mm-dd");
                    sheet.write_datetime_with_format(r, c16, &date, &f).unwrap();
                }
                Cell::Blank => {}
            }
        }
    }
    book.save(path).unwrap();
}

enum Cell {
    Percent(f64),
    Number(f64),
    Bool(bool),
    Text(String),
    Formula(String, String),
    Date,
    Blank,
}

fn typed(cell: &str) -> Cell {
    if let Some(p) = cell.strip_suffix('%') {
        return Cell::Percent(p.parse::<f64>().unwrap() / 100.0);
    }
    match cell {
        "是" => Cell::Bool(true),
        "否" => Cell::Bool(false),
        "" => Cell::Blank,
        _ => match cell.parse::<f64>() {
            Ok(x) => Cell::Number(x),
            Err(_) => Cell::Text(cell.into()),
        },
    }
}

fn eval_csv(data: &str, extra: &[&str]) -> std::process::Output {
    let mut args = vec!["eval", POLICY, "--data", data, "--format", "csv"];
    args.extend(extra);
    zhibiao(&args)
}

#[test]
fn a_workbook_as_excel_holds_it_scores_as_its_csv() {
    let dir = temp_dir("workbook-in");
    let book = dir.join("units.xlsx");
    heihe_workbook(&book, |_, _, _| None);
    let from_csv = eval_csv(DATA, &[]);
    let from_book = eval_csv(book.to_str().unwrap(), &[]);
    assert_eq!(from_book.status.code(), Some(0), "{}", stderr(&from_book));
    assert_eq!(stdout(&from_book), stdout(&from_csv));
    // Named, and misnamed, sheets.
    let named = eval_csv(book.to_str().unwrap(), &["--sheet", "填报"]);
    assert_eq!(stdout(&named), stdout(&from_csv));
    let wrong = eval_csv(book.to_str().unwrap(), &["--sheet", "填表"]);
    assert_eq!(wrong.status.code(), Some(3));
    assert!(
        stderr(&wrong).contains("no sheet `填表`: it has 填报"),
        "{}",
        stderr(&wrong)
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn bad_cells_are_named_by_sheet_and_cell() {
    let dir = temp_dir("workbook-bad");
    let book = dir.join("units.xlsx");
    // HH01's 内容完成率 (column P) a formula error, HH02's 需求偏离项数 (Q)
    // a date, HH03's 领导小组 (F) a word that is not a boolean.
    heihe_workbook(&book, |unit, column, _| match (unit, column) {
        ("HH01", "内容完成率") => Some(Cell::Formula("=1/0".into(), "#DIV/0!".into())),
        ("HH02", "需求偏离项数") => Some(Cell::Date),
        ("HH03", "领导小组") => Some(Cell::Text("也许".into())),
        _ => None,
    });
    let o = eval_csv(book.to_str().unwrap(), &[]);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    let err = stderr(&o);
    for expected in [
        "units.xlsx, 填报!P3, column `内容完成率` (unit HH01): the cell holds the formula error #DIV/0!",
        "units.xlsx, 填报!Q4, column `需求偏离项数` (unit HH02): the cell holds a date",
        "units.xlsx, 填报!F5, column `领导小组` (unit HH03): found `也许`",
    ] {
        assert!(err.contains(expected), "missing `{expected}` in:\n{err}");
    }
    // Merged data cells: each unit needs its own.
    let small = dir.join("merged.xlsx");
    let mut merged = Workbook::new();
    let sheet = merged.add_worksheet();
    for (c, h) in ["id", "name", "完成率", "创新"].iter().enumerate() {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    for (r, (id, rate)) in [("A", 1.0), ("B", 0.8), ("C", 0.6)].iter().enumerate() {
        sheet.write_string(r as u32 + 1, 0, *id).unwrap();
        sheet.write_number(r as u32 + 1, 2, *rate).unwrap();
    }
    sheet.merge_range(1, 3, 2, 3, "是", &Format::new()).unwrap();
    sheet.write_boolean(3, 3, false).unwrap();
    merged.save(&small).unwrap();
    let o = zhibiao(&[
        "eval",
        "tests/from_data/组内.zb",
        "--data",
        small.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("merged.xlsx, Sheet1!D2:D3: a merged cell in the data"),
        "{}",
        stderr(&o)
    );
    // A header that lacks an input's column: named with the sheet.
    let lacking = dir.join("lacking.xlsx");
    let mut short = Workbook::new();
    let sheet = short.add_worksheet().set_name("县区").unwrap();
    for (c, h) in ["id", "name", "完成率"].iter().enumerate() {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    sheet.write_string(1, 0, "A").unwrap();
    sheet.write_number(1, 2, 0.9).unwrap();
    short.save(&lacking).unwrap();
    let o = zhibiao(&[
        "eval",
        "tests/from_data/组内.zb",
        "--data",
        lacking.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(3));
    assert!(
        stderr(&o).contains(
            "lacking.xlsx, column `创新`: the column `创新` (yes or no (是/否)) is missing"
        ),
        "{}",
        stderr(&o)
    );
    // A corrupt workbook is named, with nothing else read.
    std::fs::write(&book, b"PK\x03\x04 not really a workbook").unwrap();
    let o = eval_csv(book.to_str().unwrap(), &[]);
    assert_eq!(o.status.code(), Some(3));
    assert!(
        stderr(&o).contains("cannot read the workbook"),
        "{}",
        stderr(&o)
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn results_are_written_as_a_workbook() {
    let dir = temp_dir("workbook-out");
    let out = dir.join("results.xlsx");
    let o = zhibiao(&[
        "eval",
        POLICY,
        "--data",
        DATA,
        "--format",
        "xlsx",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let mut book = calamine::open_workbook_auto(&out).unwrap();
    assert_eq!(
        book.sheet_names(),
        ["各县市区人民政府", "市级各部门", "得分明细", "指标"]
    );
    // Each kind's units in rank order, scores as numbers, as the CSV has them.
    let csv = stdout(&eval_csv(DATA, &[]));
    let score_of = |id: &str| -> f64 {
        let line = csv
            .lines()
            .find(|l| l.starts_with(&format!("{id},")))
            .unwrap();
        line.split(',').nth(3).unwrap().parse().unwrap()
    };
    let counties = book.worksheet_range("各县市区人民政府").unwrap();
    let header: Vec<String> = counties
        .rows()
        .next()
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect();
    assert_eq!(
        &header[..6],
        ["排名", "类内排名", "编号", "名称", "类型", "得分"]
    );
    let mut last = None;
    for row in counties.rows().skip(1) {
        let (Data::String(id), Data::Float(score)) = (&row[2], &row[5]) else {
            panic!("{row:?}");
        };
        assert_eq!(*score, score_of(id), "{id}");
        if let (Data::Float(rank), Some(last)) = (&row[1], last) {
            assert!(*rank > last);
        }
        last = match &row[1] {
            Data::Float(r) => Some(*r),
            _ => last,
        };
    }
    assert!(counties.height() > 2);
    // Every node's score; the tree with its points.
    let nodes = book.worksheet_range("得分明细").unwrap();
    assert_eq!(nodes.width(), 2 + count_nodes());
    let tree = book.worksheet_range("指标").unwrap();
    let first: Vec<String> = tree
        .rows()
        .nth(1)
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect();
    assert_eq!(first[1], "统筹管理");
    assert!(tree.rows().any(|r| r[0] == Data::String("54".into())));
    // The published table as a workbook: the rows `table --format csv` prints.
    let table = dir.join("table.xlsx");
    let o = zhibiao(&[
        "table",
        POLICY,
        "--format",
        "xlsx",
        "-o",
        table.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let csv_rows = stdout(&zhibiao(&["table", POLICY, "--format", "csv"]))
        .lines()
        .count();
    let mut published = calamine::open_workbook_auto(&table).unwrap();
    let sheet = published.worksheet_range("指标").unwrap();
    assert_eq!(sheet.height(), csv_rows);
    assert_eq!(
        sheet.rows().nth(1).unwrap()[6],
        Data::Float(28.0),
        "统筹管理's points"
    );
    // A workbook needs a file to go to.
    let o = zhibiao(&["eval", POLICY, "--data", DATA, "--format", "xlsx"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("give `--output FILE.xlsx`"));
    let _ = std::fs::remove_dir_all(&dir);
}

fn count_nodes() -> usize {
    let source = zhibiao::source::SourceFile::read(Path::new(POLICY)).unwrap();
    zhibiao::check::compile(&source)
        .result
        .unwrap()
        .policy
        .nodes
        .len()
        - 1
}

/// The collection template as a workbook: a sheet per kind with the columns
/// that kind fills in, each header's note and Excel's checks; filled in
/// (here: rewritten with the example data under the same headers, as a
/// user filling the sheets would leave them), it reads back and scores as
/// the CSV does.
#[test]
fn the_template_workbook_filled_in_evaluates() {
    let dir = temp_dir("workbook-template");
    let template = dir.join("收集.xlsx");
    let o = zhibiao(&["template", POLICY, "-o", template.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let nowhere = zhibiao(&["template", POLICY, "--format", "xlsx"]);
    assert_eq!(nowhere.status.code(), Some(2), "a workbook needs a file");
    let mut book = calamine::open_workbook_auto(&template).unwrap();
    assert_eq!(
        book.sheet_names(),
        ["各县市区人民政府", "市级各部门", "填表说明"]
    );
    let headers = |book: &mut calamine::Sheets<_>, sheet: &str| -> Vec<String> {
        let range = book.worksheet_range(sheet).unwrap();
        range
            .rows()
            .next()
            .unwrap()
            .iter()
            .map(|c| c.to_string())
            .collect()
    };
    let counties = headers(&mut book, "各县市区人民政府");
    let departments = headers(&mut book, "市级各部门");
    assert_eq!(&counties[..3], ["id", "name", "kind"]);
    // Row 8 (标准规范) is for counties only.
    assert!(counties.contains(&"标准规范".to_string()));
    assert!(!departments.contains(&"标准规范".to_string()));
    let guide = headers(&mut book, "填表说明");
    assert_eq!(&guide[..3], ["列名", "说明", "类型"]);
    // Excel's checks and the notes are in the sheet's XML.
    let xml = unzip(&template, "xl/worksheets/sheet1.xml");
    assert!(xml.contains("<dataValidation type=\"list\""), "{xml}");
    assert!(
        xml.contains("&quot;是,否&quot;") || xml.contains("\"是,否\""),
        "{xml}"
    );
    assert!(xml.contains("type=\"decimal\""), "{xml}");
    assert!(unzip(&template, "xl/comments1.xml").contains("按合同完成系统内容建设的比例"));

    // Filled in: each kind's units on its sheet, under its headers.
    let text = std::fs::read_to_string(DATA).unwrap();
    let mut lines = text.lines().map(|l| l.split(',').collect::<Vec<_>>());
    let header = lines.next().unwrap();
    let units: Vec<Vec<&str>> = lines.collect();
    let mut filled = Workbook::new();
    let percent = Format::new().set_num_format("0.0%");
    for (sheet_name, columns, kind) in [
        ("各县市区人民政府", &counties, "县区"),
        ("市级各部门", &departments, "部门"),
    ] {
        let sheet = filled.add_worksheet().set_name(sheet_name).unwrap();
        for (c, h) in columns.iter().enumerate() {
            sheet.write_string(0, c as u16, h).unwrap();
        }
        let mine = units.iter().filter(|u| u[2] == kind);
        for (r, unit) in mine.enumerate() {
            for (c, h) in columns.iter().enumerate() {
                let cell = unit[header.iter().position(|x| x == h).unwrap()];
                let (r, c) = (r as u32 + 1, c as u16);
                match typed(cell) {
                    Cell::Percent(x) => {
                        _ = sheet.write_number_with_format(r, c, x, &percent).unwrap()
                    }
                    Cell::Number(x) => _ = sheet.write_number(r, c, x).unwrap(),
                    Cell::Bool(b) => _ = sheet.write_boolean(r, c, b).unwrap(),
                    Cell::Text(t) => _ = sheet.write_string(r, c, t).unwrap(),
                    _ => {}
                }
            }
        }
    }
    let path = dir.join("已填.xlsx");
    filled.save(&path).unwrap();
    let from_book = eval_csv(path.to_str().unwrap(), &[]);
    assert_eq!(from_book.status.code(), Some(0), "{}", stderr(&from_book));
    assert_eq!(stdout(&from_book), stdout(&eval_csv(DATA, &[])));
    let _ = std::fs::remove_dir_all(&dir);
}

/// One file of a workbook (a zip archive), as text.
fn unzip(book: &Path, name: &str) -> String {
    let o = std::process::Command::new("python3")
        .args(["-c", "import sys,zipfile; sys.stdout.write(zipfile.ZipFile(sys.argv[1]).read(sys.argv[2]).decode())"])
        .arg(book)
        .arg(name)
        .output()
        .unwrap();
    String::from_utf8(o.stdout).unwrap()
}

/// A header over two rows, as Chinese tables are drawn: 编号 and 名称
/// merged down over both, 考核指标 merged across the two columns whose names
/// are below it. The data starts under the band and scores as the CSV does.
#[test]
fn a_header_over_two_rows_with_merged_cells() {
    let dir = temp_dir("workbook-header");
    let path = dir.join("two-rows.xlsx");
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    let plain = Format::new();
    sheet.write_string(0, 0, "2024 年度考核数据").unwrap();
    sheet.merge_range(1, 0, 2, 0, "id", &plain).unwrap();
    sheet.merge_range(1, 1, 2, 1, "name", &plain).unwrap();
    sheet.merge_range(1, 2, 1, 3, "考核指标", &plain).unwrap();
    sheet.write_string(2, 2, "完成率").unwrap();
    sheet.write_string(2, 3, "创新").unwrap();
    let percent = Format::new().set_num_format("0%");
    let units = [
        ("A", "甲单位", 1.0, true),
        ("B", "乙单位", 0.8, false),
        ("C", "丙单位", 0.6, false),
        ("D", "丁单位", 0.9, false),
    ];
    for (r, (id, name, rate, new)) in units.iter().enumerate() {
        let r = r as u32 + 3;
        sheet.write_string(r, 0, *id).unwrap();
        sheet.write_string(r, 1, *name).unwrap();
        sheet
            .write_number_with_format(r, 2, *rate, &percent)
            .unwrap();
        sheet.write_boolean(r, 3, *new).unwrap();
    }
    book.save(&path).unwrap();
    let policy = "tests/from_data/组内.zb";
    let eval = |data: &str| zhibiao(&["eval", policy, "--data", data, "--format", "csv"]);
    let from_book = eval(path.to_str().unwrap());
    assert_eq!(from_book.status.code(), Some(0), "{}", stderr(&from_book));
    assert_eq!(
        stdout(&from_book),
        stdout(&eval("tests/from_data/units.csv"))
    );
    let _ = std::fs::remove_dir_all(&dir);
}
