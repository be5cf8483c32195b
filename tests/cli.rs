//! The binary, run as a user runs it to evaluate: exit codes, output
//! formats, whole-or-nothing output files, byte-identical reruns, bad data,
//! periods and sources. (Authoring commands: `cli_authoring.rs`; `check`'s exit
//! codes and diagnostic formats: `cli_check.rs`.)

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    dead_code
)]

#[path = "common/run.rs"]
mod run;

use run::{stderr, stdout, temp_dir, zhibiao};

const POLICY: &str = "policies/heihe/2023.zb";
const DATA: &str = "examples/heihe/units.csv";

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
    let text = stdout(&o);
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v["policy"]["name"], "黑河市数字政府建设评估指标体系");
    assert_eq!(v["policy"]["version"], "2023");
    assert_eq!(v["policy"]["total"], 100);
    assert_eq!(v["policy"]["precision"], 2);
    // The tree once: the root, then every node in pre-order.
    let nodes = v["policy"]["nodes"].as_array().unwrap();
    assert_eq!(nodes.len(), 1 + 20 + 17 + 12 + 7 + 22);
    assert_eq!(nodes[0]["path"], "");
    assert_eq!(nodes[1]["path"], "统筹管理");
    assert_eq!(nodes[1]["level"], "类别");
    assert_eq!(nodes[1]["points"], 28);
    let row19 = nodes.iter().position(|n| n["code"] == "19").unwrap();
    assert_eq!(nodes[row19]["path"], "项目建设/省建市用/身份认证");
    assert_eq!(nodes[row19]["level"], "二级指标"); // the seed lists 身份认证 in the 二级指标 column
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
        "nodes",
        "parts",
    ];
    for unit in units {
        for key in keys {
            assert!(unit.get(key).is_some(), "unit lacks `{key}`");
        }
        assert_eq!(unit["nodes"].as_array().unwrap().len(), nodes.len());
        assert_eq!(unit["nodes"][0][0], unit["base"]);
    }
    // The archive (no service channel) shows rows 19–24 as not applicable.
    let archive = units.iter().find(|u| u["id"] == "BM11").unwrap();
    assert_eq!(
        archive["nodes"][row19],
        serde_json::json!([0, 0, "not_applicable"])
    );
    assert!(v["warnings"].as_array().unwrap().is_empty());
    // One unit per line.
    assert_eq!(
        text.lines().filter(|l| l.starts_with("{\"id\":")).count(),
        20
    );
    // As serde_json writes it (numbers keep their digits exactly).
    let first = serde_json::to_string_pretty(&units[0]).unwrap();
    insta::assert_snapshot!("first_unit", first);
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
fn output_to_a_pipe_is_written_in_place() {
    use std::os::unix::fs::{FileTypeExt, OpenOptionsExt};
    // A named pipe stands for `/dev/null` and the like: a file that is not
    // a regular file is written to, never renamed over (as root, renaming
    // over /dev/null would replace the device with a file).
    let dir = temp_dir("fifo");
    let fifo = dir.join("results.csv");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    assert!(made.unwrap().success());
    // Opened to read before the run (without waiting for a writer); the
    // results, a few KiB, fit the pipe's buffer.
    let mut reader = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(&fifo)
        .unwrap();
    let args = ["eval", POLICY, "--data", DATA, "--format", "csv"];
    let o = zhibiao(&[&args[..], &["--output", fifo.to_str().unwrap()]].concat());
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let mut read = Vec::new();
    std::io::Read::read_to_end(&mut reader, &mut read).unwrap();
    let expected = zhibiao(&args).stdout;
    assert!(
        read == expected,
        "{} bytes read, {} written to standard output",
        read.len(),
        expected.len()
    );
    let kind = std::fs::symlink_metadata(&fifo).unwrap().file_type();
    assert!(kind.is_fifo(), "the pipe is still a pipe");
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 1, "no temporary");
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
fn eval_over_periods_reads_the_previous_one() {
    let case = "tests/cases/eval/periods.zb";
    let before = "2023=tests/cases/eval/periods.previous.csv";
    let now = "2024=tests/cases/eval/periods.csv";
    let o = zhibiao(&[
        "eval", case, "--data", before, "--data", now, "--format", "json",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["period"], "2024");
    let score = |v: &serde_json::Value, id: &str| {
        v["units"]
            .as_array()
            .unwrap()
            .iter()
            .find(|u| u["id"] == id)
            .unwrap()["score"]
            .clone()
    };
    // The numbers of the case, computed by hand there.
    assert_eq!(score(&v, "A"), 19);
    assert_eq!(score(&v, "B"), 14.8);
    let earlier = zhibiao(&[
        "eval", case, "--data", before, "--data", now, "--period", "2023", "--format", "json",
    ]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&earlier)).unwrap();
    assert_eq!(
        (v["period"].clone(), score(&v, "A")),
        ("2023".into(), 18.into())
    );
    let unknown = zhibiao(&["eval", case, "--data", before, "--period", "2019"]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(stderr(&unknown).contains("no data for period `2019`"));
    let table = stdout(&zhibiao(&["eval", case, "--data", before, "--data", now]));
    assert!(table.starts_with("同比 （2024）"), "{table}");
    // The same periods in one file, with a period column.
    let column = "tests/cases/eval/periods.by-column.csv";
    let one = zhibiao(&["eval", case, "--data", column]);
    assert_eq!(one.status.code(), Some(0), "{}", stderr(&one));
    assert_eq!(stdout(&one), table);
}

#[test]
fn eval_joins_several_sources() {
    let case = "tests/cases/sources/weighted.zb";
    let own = "自评=tests/cases/sources/weighted.自评.csv";
    let experts = "专家=tests/cases/sources/weighted.专家.csv";
    let o = zhibiao(&[
        "eval", case, "--data", own, "--data", experts, "--format", "json",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["units"][0]["id"], "A");
    assert_eq!(v["units"][0]["score"], 8.56);
    // A source without its file, and a file for no source.
    let o = zhibiao(&["eval", case, "--data", own, "--data", "评审=x.csv"]);
    assert_eq!(o.status.code(), Some(3));
    let err = stderr(&o);
    assert!(err.contains("no data for the source `专家`"), "{err}");
    assert!(
        err.contains("`评审` is not a source of the policy"),
        "{err}"
    );
    let o = zhibiao(&[
        "eval",
        case,
        "--data",
        "tests/cases/sources/weighted.自评.csv",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("give each as --data SOURCE=FILE"));
}

/// Composition as a user runs it: score the two systems, then combine their
/// results files. The results must be the files tests/cases/sources/
/// composite.zb is checked against.

#[test]
fn composition_reads_the_results_of_other_policies() {
    let dir = temp_dir("compose");
    let case = |f: &str| format!("tests/cases/sources/{f}");
    for (policy, data, source) in [("website", "website", "网站"), ("media", "media", "新媒体")]
    {
        let out = dir.join(format!("{source}.csv"));
        let o = zhibiao(&[
            "eval",
            &case(&format!("{policy}.zb")),
            "--data",
            &case(&format!("{data}.csv")),
            "--format",
            "csv",
            "-o",
            out.to_str().unwrap(),
        ]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let committed = std::fs::read(case(&format!("composite.{source}.csv"))).unwrap();
        assert_eq!(
            std::fs::read(&out).unwrap(),
            committed,
            "{source} results changed"
        );
    }
    let web = format!("网站={}", dir.join("网站.csv").display());
    let media = format!("新媒体={}", dir.join("新媒体.csv").display());
    let o = zhibiao(&[
        "eval",
        &case("composite.zb"),
        "--data",
        &web,
        "--data",
        &media,
        "--format",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(
        (
            v["units"][0]["score"].clone(),
            v["units"][1]["score"].clone()
        ),
        (6.96.into(), 4.24.into())
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_workbook_given_as_csv_says_so() {
    let dir = temp_dir("workbook");
    // A workbook renamed .csv: the first bytes of a zip archive, as every
    // .xlsx file starts.
    let path = dir.join("units.csv");
    std::fs::write(&path, b"PK\x03\x04\x14\x00\x06\x00rest of the workbook").unwrap();
    let o = zhibiao(&["eval", POLICY, "--data", path.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("is a spreadsheet workbook"), "{err}");
    assert!(
        err.contains("give it with its own extension (.xlsx"),
        "{err}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_cell_filled_where_its_input_is_not_collected_is_a_warning() {
    let dir = temp_dir("uncollected");
    let policy = dir.join("p.zb");
    std::fs::write(
        &policy,
        "policy \"按需\" {\n  total 10\n  precision 2 half_up\n  not_applicable rescale\n}\n\
         input 有渠道: bool\ninput 认证: bool when 有渠道\ninput 其他: bool\n\
         category 甲 10 {\n  item 认证 5 when 有渠道 score 认证\n  item 其他 5 score 其他\n}\n",
    )
    .unwrap();
    let data = dir.join("d.csv");
    // Rows 3 and 4 fill 认证 though 有渠道 is 否: those cells are never read.
    std::fs::write(
        &data,
        "id,name,kind,有渠道,认证,其他\nA,甲,,是,是,是\nB,乙,,否,是,是\nC,丙,,否,否,否\nD,丁,,否,,是\n",
    )
    .unwrap();
    let o = zhibiao(&[
        "eval",
        policy.to_str().unwrap(),
        "--data",
        data.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains("`认证` is collected only where its `when` condition holds, but 2 rows fill it where it does not (not read): 3, 4"),
        "{err}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn treat_says_which_values_it_changed() {
    let (policy, data) = (
        "tests/cases/eval/peer_treat.zb",
        "tests/cases/eval/peer_treat.csv",
    );
    let o = zhibiao(&["eval", policy, "--data", data]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let notes: Vec<String> = stderr(&o)
        .lines()
        .filter(|l| l.starts_with("note:"))
        .map(String::from)
        .collect();
    // Once per statistic, though `treat(y, 0)` is written twice.
    assert_eq!(notes.len(), 2, "{notes:?}");
    assert!(notes[0].contains("`treat(x)`") && notes[0].contains("winsorised to [1, 9]"));
    assert!(notes[0].ends_with("values changed: 1 (J)"), "{}", notes[0]);
    assert!(notes[1].contains("`treat(y, 0)`") && notes[1].contains("ln-transformed"));
    assert!(
        notes[1].contains("values changed: 10 (A, B"),
        "{}",
        notes[1]
    );
}

/// Last period beside this period's sources; last period read only through
/// `previous(x)`, so its file needs only that input (tests/cases/periods/).
#[test]
fn eval_reads_last_period_beside_this_periods_sources() {
    let case = |f: &str| format!("tests/cases/periods/raw_previous{f}");
    let policy = case(".zb");
    let (last, own, experts) = (
        format!("2023={}", case(".2023.csv")),
        format!("自评={}", case(".自评.csv")),
        format!("专家={}", case(".专家.csv")),
    );
    let o = zhibiao(&[
        "eval", &policy, "--data", &last, "--data", &own, "--data", &experts, "--format", "csv",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    let score = |id: &str| {
        let row = out
            .lines()
            .find(|l| l.starts_with(&format!("{id},")))
            .unwrap();
        row.split(',').nth(3).unwrap().to_string()
    };
    // A: 90% now, 80% last period (+10 points: 4); B: 86% after 90% (0);
    // C is new (full marks).
    assert_eq!(
        (score("A"), score("B"), score("C")),
        ("9.60".into(), "3.44".into(), "8.32".into())
    );
    // Without last period, every unit is new.
    let o = zhibiao(&["eval", &policy, "--data", &own, "--data", &experts]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    // Last period's file lacks the input `previous` reads: its error names it.
    let dir = temp_dir("raw-previous");
    let bad = dir.join("2023.csv");
    std::fs::write(&bad, "id,name,kind,计划\nA,甲,,是\n").unwrap();
    let bad = format!("2023={}", bad.display());
    let o = zhibiao(&[
        "eval", &policy, "--data", &bad, "--data", &own, "--data", &experts,
    ]);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert!(stderr(&o).contains("the column `完成率`"), "{}", stderr(&o));
}

/// Periods without sources: last period read only through `previous(x)`.
#[test]
fn last_period_needs_only_what_previous_reads() {
    let dir = temp_dir("raw-previous-periods");
    let policy = std::fs::read_to_string("tests/cases/periods/raw_previous.zb").unwrap();
    let policy = policy
        .replace("  sources 自评, 专家\n", "")
        .replace(" from 自评 40%, 专家 60%", "")
        .replace(" from 自评", "");
    let path = dir.join("p.zb");
    std::fs::write(&path, policy).unwrap();
    let now = dir.join("2024.csv");
    std::fs::write(
        &now,
        "id,name,kind,完成率,计划\nA,甲,,90%,是\nB,乙,,86%,否\n",
    )
    .unwrap();
    let last = "2023=tests/cases/periods/raw_previous.2023.csv";
    let now = format!("2024={}", now.display());
    let p = path.to_str().unwrap();
    let o = zhibiao(&["eval", p, "--data", last, "--data", &now, "--format", "csv"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("\nA,甲,,9.60,"), "{out}");
    assert!(out.contains("\nB,乙,,3.44,"), "{out}");
}
