//! The binary, run as a user runs it: exit codes, output formats, whole-or-
//! nothing output files, byte-identical reruns.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::process::{Command, Output};

const POLICY: &str = "policies/heihe/2023.zb";
const DATA: &str = "examples/heihe/units.csv";

fn zhibiao(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_zhibiao"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

fn temp_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("zhibiao-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn eval_prints_the_ranked_table() {
    let o = zhibiao(&["eval", POLICY, "--data", DATA]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    insta::assert_snapshot!(stdout(&o));
}

#[test]
fn eval_json_has_the_documented_shape() {
    let o = zhibiao(&["eval", POLICY, "--data", DATA, "--format", "json"]);
    assert_eq!(o.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["policy"]["name"], "黑河市数字政府建设评估指标体系");
    assert_eq!(v["policy"]["version"], "2023");
    assert_eq!(v["policy"]["total"], 100.0);
    let units = v["units"].as_array().unwrap();
    assert_eq!(units.len(), 20);
    let keys = [
        "id",
        "name",
        "kind",
        "score",
        "max",
        "base",
        "bonus",
        "deductions",
        "grade",
        "rank",
        "rank_in_kind",
        "vetoes",
        "tree",
        "parts",
    ];
    for unit in units {
        for key in keys {
            assert!(unit.get(key).is_some(), "unit lacks `{key}`");
        }
        assert_eq!(unit["tree"]["children"].as_array().unwrap().len(), 5);
    }
    // The archive (no service channel) shows rows 19–24 as not applicable.
    let archive = units.iter().find(|u| u["id"] == "BM11").unwrap();
    let row19 = &archive["tree"]["children"][1]["children"][2]["children"][0];
    assert_eq!(row19["code"], "19");
    assert_eq!(row19["status"], "not_applicable");
    assert_eq!(row19["level"], "二级指标"); // the seed lists 身份认证 in the 二级指标 column
    assert_eq!(archive["tree"]["children"][1]["level"], "类别");
    assert!(v["warnings"].as_array().unwrap().is_empty());
    insta::assert_json_snapshot!("first_unit", units[0]);
}

#[test]
fn eval_csv_has_one_column_per_node_and_a_bom() {
    let o = zhibiao(&["eval", POLICY, "--data", DATA, "--format", "csv"]);
    assert_eq!(o.status.code(), Some(0));
    let text = stdout(&o);
    assert!(text.starts_with('\u{feff}'));
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 21);
    let header: Vec<&str> = lines[0].split(',').collect();
    assert!(header.contains(&"统筹管理/规划设计/规划设计/任务规划"));
    // 12 fixed columns, then every node below the root, counted by hand:
    // 统筹管理 20, 项目建设 17, 数据共享开放 12, 安全保障 7, 应用成效 22.
    assert_eq!(header.len(), 12 + 20 + 17 + 12 + 7 + 22);
}

#[test]
fn output_is_byte_identical_across_runs() {
    let a = zhibiao(&["eval", POLICY, "--data", DATA, "--format", "json"]);
    let b = zhibiao(&["eval", POLICY, "--data", DATA, "--format", "json"]);
    assert_eq!(a.stdout, b.stdout);
}

#[test]
fn output_file_is_written_whole() {
    let dir = temp_dir("out");
    let out = dir.join("results.json");
    let o = zhibiao(&[
        "eval",
        POLICY,
        "--data",
        DATA,
        "--format",
        "json",
        "--output",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0));
    let direct = zhibiao(&["eval", POLICY, "--data", DATA, "--format", "json"]);
    assert_eq!(std::fs::read(&out).unwrap(), direct.stdout);
    assert_eq!(
        std::fs::read_dir(&dir).unwrap().count(),
        1,
        "no temporary file is left behind"
    );
}

#[test]
fn bad_data_writes_nothing_and_names_the_cell() {
    let dir = temp_dir("bad");
    let data = dir.join("units.csv");
    let good = std::fs::read_to_string(DATA).unwrap();
    std::fs::write(
        &data,
        good.replacen(
            ",是,是,是,是,是,培训并考评",
            ",是,是,也许,是,是,培训并考评",
            1,
        ),
    )
    .unwrap();
    let out = dir.join("results.json");
    std::fs::write(&out, "previous results").unwrap();
    let o = zhibiao(&[
        "eval",
        POLICY,
        "--data",
        data.to_str().unwrap(),
        "--output",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(3));
    let err = stderr(&o);
    assert!(
        err.contains(
            "row 2, column `统筹机制` (unit HH01): found `也许`, expected yes or no (是/否)"
        ),
        "{err}"
    );
    assert!(err.contains("no results were written"));
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "previous results");
}

#[test]
fn blank_cells_and_json_errors() {
    let dir = temp_dir("blank");
    let data = dir.join("units.csv");
    let good = std::fs::read_to_string(DATA).unwrap();
    // 爱辉区 leaves 年度计划 blank: an error, never a zero.
    std::fs::write(
        &data,
        good.replacen("整体规划、指导意见,是,", "整体规划、指导意见,,", 1),
    )
    .unwrap();
    let path = data.to_str().unwrap();
    let o = zhibiao(&["eval", POLICY, "--data", path]);
    assert_eq!(o.status.code(), Some(3));
    let err = stderr(&o);
    assert!(err.contains("row 2, column `年度计划` (unit HH01): the cell is blank but is needed in `统筹管理/规划设计/规划设计/年度计划`"), "{err}");
    let o = zhibiao(&["eval", POLICY, "--data", path, "--error-format", "json"]);
    assert_eq!(o.status.code(), Some(3));
    let line: serde_json::Value = serde_json::from_str(stderr(&o).lines().next().unwrap()).unwrap();
    assert_eq!(line["severity"], "error");
    assert_eq!(line["unit"], "HH01");
}

#[test]
fn check_exit_codes() {
    assert_eq!(zhibiao(&["check", POLICY]).status.code(), Some(0));
    let broken = zhibiao(&["check", "tests/cases/check/points_do_not_sum.zb"]);
    assert_eq!(broken.status.code(), Some(1));
    assert!(
        !stderr(&broken).contains('\u{1b}'),
        "no colour when NO_COLOR is set"
    );
    let missing = zhibiao(&["check", "no/such/file.zb"]);
    assert_eq!(missing.status.code(), Some(4));
    assert_eq!(zhibiao(&["frobnicate"]).status.code(), Some(2));
}

#[test]
fn check_json_diagnostics_are_one_object_per_line() {
    let o = zhibiao(&[
        "check",
        "--error-format",
        "json",
        "tests/cases/check/unknown_name.zb",
    ]);
    assert_eq!(o.status.code(), Some(1));
    let lines: Vec<serde_json::Value> = stderr(&o)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let unknown = lines
        .iter()
        .find(|d| d["code"] == "zhibiao::check::unknown_name")
        .unwrap();
    assert_eq!(unknown["severity"], "error");
    assert_eq!(unknown["labels"][0]["text"], "完成律");
    assert_eq!(unknown["labels"][0]["line"], 9);
    assert_eq!(unknown["help"], "did you mean `完成率`?");
}
