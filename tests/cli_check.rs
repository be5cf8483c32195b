//! `zhibiao check` as a user runs it: its exit codes, and its diagnostics
//! as JSON lines and as plain lines.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    dead_code
)]

#[path = "common/run.rs"]
mod run;

use run::{stderr, zhibiao};

const POLICY: &str = "policies/heihe/2023.zb";

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

/// `--error-format plain`: a line per problem and per label, as compilers
/// write them, with no frame of any kind; the help after.
#[test]
fn check_plain_diagnostics_are_lines() {
    let case = "tests/cases/check/unknown_name.zb";
    let o = zhibiao(&["check", "--error-format", "plain", case]);
    assert_eq!(o.status.code(), Some(1));
    let text = stderr(&o);
    let lines: Vec<&str> = text.lines().collect();
    let at = lines
        .iter()
        .position(|l| {
            l.contains(
                "error[zhibiao::check::unknown_name]: unknown input or derived value `完成律`",
            )
        })
        .unwrap();
    let column = std::fs::read_to_string(case)
        .unwrap()
        .lines()
        .nth(8)
        .unwrap()
        .chars()
        .position(|c| c == '完')
        .unwrap()
        + 1;
    assert!(
        lines[at].starts_with(&format!("{case}:9:{column}: ")),
        "{}",
        lines[at]
    );
    assert_eq!(
        lines[at + 1],
        format!("{case}:9:{column}: note: not declared")
    );
    assert_eq!(lines[at + 2], "  help: did you mean `完成率`?");
    for frame in ["╭", "│", "─", ",-", "`-", "|"] {
        assert!(!text.contains(frame), "{frame} in {text}");
    }
}
