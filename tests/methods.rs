//! Published methods as every output shows them, run as a user runs the
//! binary: a unit a veto keeps from being scored, nodes that do not apply,
//! per-department parts. The numbers themselves are asserted by the cases
//! under `tests/cases/eval/` (worked by hand there); here, what each output
//! format makes of them.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    dead_code
)]

#[path = "common/run.rs"]
mod run;

use run::{stderr, stdout, zhibiao};

const VETO: &str = "tests/cases/eval/veto_not_scored.zb";
const VETO_DATA: &str = "tests/cases/eval/veto_not_scored.csv";

fn eval(policy: &str, data: &str, format: &str) -> String {
    let o = zhibiao(&["eval", policy, "--data", data, "--format", format]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    stdout(&o)
}

#[test]
fn a_unit_not_scored_is_shown_for_what_it_is_in_csv() {
    let csv = eval(VETO, VETO_DATA, "csv");
    let row = csv.lines().find(|l| l.starts_with("D,")).unwrap();
    // score 不予评分; max, base, bonus, deductions blank; the failing grade;
    // no rank; the veto named; no node scores.
    assert_eq!(row, "D,丁,,不予评分,,,,,不合格,,,关停,,,");
}

#[test]
fn a_unit_not_scored_has_null_scores_in_json() {
    let json = eval(VETO, VETO_DATA, "json");
    let doc: serde_json::Value = serde_json::from_str(&json).unwrap();
    let d = doc["units"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["id"] == "D")
        .unwrap();
    for key in ["score", "max", "base", "bonus", "deductions", "rank"] {
        assert!(d[key].is_null(), "{key}: {}", d[key]);
    }
    assert_eq!(d["not_scored"], true);
    assert_eq!(d["grade"], "不合格");
    assert_eq!(d["vetoes"][0]["name"], "关停");
    let a = doc["units"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["id"] == "A")
        .unwrap();
    assert!(a.get("not_scored").is_none());
}

#[test]
fn explain_says_which_veto_kept_a_unit_out() {
    let o = zhibiao(&["explain", VETO, "--data", VETO_DATA, "--unit", "D"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = stdout(&o);
    assert!(text.contains("not scored (不予评分)"), "{text}");
    assert!(
        text.contains("veto 关停: `关停` holds (关停 = 是)"),
        "{text}"
    );
}

#[test]
fn diff_shows_a_unit_that_a_new_version_stops_scoring() {
    let dir = run::temp_dir("methods-diff");
    let old = dir.join("old.zb");
    let text = std::fs::read_to_string(VETO).unwrap();
    std::fs::write(&old, text.replace("=> not_scored", "=> fail")).unwrap();
    let o = zhibiao(&["diff", old.to_str().unwrap(), VETO, "--data", VETO_DATA]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let text = stdout(&o);
    // Under `fail` D scored 0 and ranked last; now it is not scored, and B
    // gains 20 from the mean that no longer counts D.
    let row = |id: &str| {
        let line = text.lines().find(|l| l.starts_with(id)).unwrap();
        line.split_whitespace().collect::<Vec<_>>()
    };
    assert_eq!(
        row("D"),
        [
            "D",
            "丁",
            "0.00",
            "不予评分",
            "-",
            "不合格",
            "不合格",
            "4",
            "-"
        ]
    );
    assert_eq!(
        row("B"),
        [
            "B", "乙", "62.00", "82.00", "+20.00", "合格", "合格", "2", "2"
        ]
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

const DEPARTMENTS: &str = "policies/departments/2024.zb";
const DEPARTMENTS_DATA: &str = "examples/departments/units.csv";

#[test]
fn departments_are_scored_on_their_own_rows_and_ranked_together() {
    let csv = eval(DEPARTMENTS, DEPARTMENTS_DATA, "csv");
    let lines: Vec<&str> = csv.lines().collect();
    let header: Vec<&str> = lines[0].split(',').collect();
    let row = |id: &str| -> Vec<&str> {
        lines
            .iter()
            .find(|l| l.starts_with(&format!("{id},")))
            .unwrap()
            .split(',')
            .collect()
    };
    let cell = |id: &str, column: &str| {
        let at = header.iter().position(|h| *h == column).unwrap();
        row(id)[at].to_string()
    };
    // 市水利局 by hand: 共性 8 + 0.96 × 12 + 8 + 4 + 4 + 4 = 39.52;
    // 个性 防汛 20 + 河湖长制 部分 0.6 × 20 = 12 + 投资 0.88 × 20 = 17.6 → 49.6;
    // bonus 省级表彰 1 → 90.12.
    assert_eq!(cell("SL", "共性指标"), "39.52");
    assert_eq!(cell("SL", "个性指标"), "49.60");
    assert_eq!(cell("SL", "score"), "90.12");
    assert_eq!(
        cell("SL", "max"),
        "100.00",
        "its rows are worth the part's 60"
    );
    // Another department's rows are no rows of its own.
    assert_eq!(cell("SL", "个性指标/林草"), "不适用");
    assert_eq!(cell("SL", "个性指标/林草/国土绿化"), "不适用");
    // 市林业和草原局: 林草 0.95 × 25 = 23.75 + (20 − 10 × 1) + 15 = 48.75.
    assert_eq!(cell("LC", "个性指标/林草"), "48.75");
    // 市教育局 did not share its data: 数据共享 −2 on the row, not a deduction.
    assert_eq!(cell("JY", "共性指标/依法行政与政务公开/数据共享"), "-2.00");
    assert_eq!(cell("JY", "deductions"), "2.00", "督查通报 2, nothing more");
    // One ranking across departments: 交通 92.41, 水利 90.12, 教育 88.96, ...
    let ranks: Vec<String> = ["JT", "SL", "JY", "LC", "WJ"]
        .iter()
        .map(|id| cell(id, "rank"))
        .collect();
    assert_eq!(ranks, ["1", "2", "3", "4", "5"]);
    // 优秀 at most 30% of 5 units: one; 水利局's 90.12 moves to 良好.
    assert_eq!(cell("JT", "grade"), "优秀");
    assert_eq!(cell("SL", "grade"), "良好");
}

#[test]
fn the_template_of_a_department_asks_for_its_own_rows_only() {
    let o = zhibiao(&["template", DEPARTMENTS, "--kind", "林业和草原局"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let header = stdout(&o);
    let columns: Vec<&str> = header
        .trim_start_matches('\u{feff}')
        .trim()
        .split(',')
        .collect();
    for own in ["党建考核", "造林完成率", "森林火灾", "林长制", "督查通报"] {
        assert!(columns.contains(&own), "{own} in {columns:?}");
    }
    for other in ["防汛预案", "路网完好率", "家庭医生签约率"] {
        assert!(!columns.contains(&other), "{other} in {columns:?}");
    }
}

#[test]
fn the_published_table_names_the_department_of_each_row() {
    let o = zhibiao(&["table", DEPARTMENTS, "--format", "csv"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = stdout(&o);
    let row = |code: &str| {
        text.lines()
            .find(|l| l.starts_with(&format!("{code},")))
            .unwrap()
            .to_string()
    };
    let every = "水利局、林业和草原局、交通运输局、教育局、卫生健康委";
    assert!(row("1").contains(&format!(",8,{every},")), "{}", row("1"));
    assert!(row("10").contains(",25,林业和草原局,"), "{}", row("10"));
    assert!(row("19").contains(",25,卫生健康委,"), "{}", row("19"));
}

const TARGETS: &str = "tests/cases/eval/target_values.zb";

#[test]
fn target_values_are_in_the_table_and_the_template() {
    let o = zhibiao(&["table", TARGETS, "--format", "csv"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let table = stdout(&o);
    let lines: Vec<&str> = table.lines().collect();
    assert!(lines[0].ends_with(",目标值"), "{}", lines[0]);
    assert!(lines[2].ends_with(",95%"), "{}", lines[2]);
    assert!(lines[3].ends_with(",4"), "{}", lines[3]);
    let dir = run::temp_dir("methods-template");
    let out = dir.join("t.csv");
    let o = zhibiao(&["template", TARGETS, "-o", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let guide = std::fs::read_to_string(dir.join("t.columns.csv")).unwrap();
    assert!(guide.contains(",目标值\n"), "{guide}");
    assert!(
        guide.contains("完成率,") && guide.contains(",95%（任务完成）\n"),
        "{guide}"
    );
    assert!(guide.contains(",4（投诉控制）\n"), "{guide}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn explain_shows_the_target_a_rule_read() {
    let o = zhibiao(&[
        "explain",
        TARGETS,
        "--data",
        "tests/cases/eval/target_values.csv",
        "--unit",
        "C",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = stdout(&o);
    assert!(
        text.contains("任务完成  6.00 / 10.00  ← score ratio(完成率, target) (target 95%)"),
        "{text}"
    );
}

#[test]
fn the_published_table_shows_a_signed_row_with_its_range_and_headings() {
    let o = zhibiao(&["table", "tests/cases/eval/signed_items.zb"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = stdout(&o);
    // Rows without a code: none invented.
    assert!(text.contains("|  | 管理 | 实行 |  | -1..1 |"), "{text}");
    assert!(text.contains("|  | 管理 | 安全 |  | -3..2 |"), "{text}");
    let o = zhibiao(&["table", "tests/cases/eval/tables_as_published.zb"]);
    let text = stdout(&o);
    assert!(
        text.contains("| 二.4 | 基础设施 | 网络 | 评价 |  | 2 |"),
        "{text}"
    );
    assert!(
        text.contains("| 二 | 说明 |  |  |  |  |"),
        "a heading: {text}"
    );
}

#[test]
fn diff_names_a_changed_target_and_a_new_side_total() {
    let dir = run::temp_dir("methods-diff-target");
    let new = dir.join("new.zb");
    let text = std::fs::read_to_string(TARGETS).unwrap();
    let text = text
        .replace("target 95%", "target 90%")
        .replace("目标值 4 score", "目标值 4 side_total score")
        .replace("total 20", "total 10")
        .replace("category 考评 20", "category 考评 10");
    std::fs::write(&new, text).unwrap();
    let data = "tests/cases/eval/target_values.csv";
    let o = zhibiao(&["diff", TARGETS, new.to_str().unwrap(), "--data", data]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("target: 95% → 90%"), "{out}");
    assert!(out.contains("side_total: yes"), "{out}");
    // B: 76% / 90% of 10, the side total no longer counted: 8.44.
    let b: Vec<&str> = out
        .lines()
        .find(|l| l.starts_with("B "))
        .unwrap()
        .split_whitespace()
        .collect();
    assert_eq!(b[..5], ["B", "乙", "16.00", "8.44", "-7.56"]);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn json_marks_side_totals_and_target_values_in_the_policy() {
    let side = eval(
        "tests/cases/eval/side_total.zb",
        "tests/cases/eval/side_total.csv",
        "json",
    );
    let doc: serde_json::Value = serde_json::from_str(&side).unwrap();
    let nodes = doc["policy"]["nodes"].as_array().unwrap();
    let node = |path: &str| nodes.iter().find(|n| n["path"] == path).unwrap().clone();
    assert_eq!(node("数字化水平")["side_total"], true);
    assert!(node("排名").get("side_total").is_none());
    let targets = eval(TARGETS, "tests/cases/eval/target_values.csv", "json");
    let doc: serde_json::Value = serde_json::from_str(&targets).unwrap();
    let nodes = doc["policy"]["nodes"].as_array().unwrap();
    let target = |path: &str| nodes.iter().find(|n| n["path"] == path).unwrap()["target"].clone();
    assert_eq!(target("考评/任务完成"), "95%");
    assert_eq!(target("考评/投诉控制"), "4");
}

#[test]
fn the_template_uses_the_data_sets_own_unit_columns() {
    let o = zhibiao(&["template", "tests/cases/data/unit_columns.zb"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let header = stdout(&o);
    let header = header.trim_start_matches('\u{feff}').trim();
    // No kind column: the policy has no kinds.
    assert_eq!(header, "country-code,country,egov");
}

#[test]
fn explain_says_a_row_of_another_department_is_not_one_of_its_rows() {
    let o = zhibiao(&[
        "explain",
        DEPARTMENTS,
        "--data",
        DEPARTMENTS_DATA,
        "--unit",
        "SL",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = stdout(&o);
    assert!(
        text.contains("林草  0.00 / 0.00  — not applicable: not one of the rows for 水利局"),
        "{text}"
    );
}
