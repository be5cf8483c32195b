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
