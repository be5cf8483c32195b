//! The binary, run as a user runs it to write and review policies: `check`,
//! `diff`, `explain`, `fmt`, `test`, completions and the manual page. `show`,
//! `table`, `import` and `template` are in cli_tables.rs, `diff` as git's
//! diff driver in cli_git.rs.

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
use std::process::Command;

const POLICY: &str = "policies/heihe/2023.zb";
const DATA: &str = "examples/heihe/units.csv";
const Y2024: &str = "policies/heihe/2024.zb";
const DATA_2024: &str = "examples/heihe/units-2024.csv";

#[test]
fn diff_exits_0_when_equal_and_1_when_different() {
    let same = zhibiao(&["diff", POLICY, POLICY]);
    assert_eq!(same.status.code(), Some(0), "{}", stderr(&same));
    assert!(stdout(&same).contains("no changes"));
    let different = zhibiao(&["diff", POLICY, Y2024]);
    assert_eq!(different.status.code(), Some(1), "{}", stderr(&different));
    assert!(stdout(&different).contains("~ 项目建设/省建市用/身份认证"));
    assert!(
        !stdout(&different).contains('\x1b'),
        "no colour when not on a terminal"
    );
    let broken = zhibiao(&["diff", POLICY, "tests/cases/check/points_do_not_sum.zb"]);
    assert_eq!(broken.status.code(), Some(2));
}

#[test]
fn diff_with_data_shows_the_impact_on_every_unit() {
    let o = zhibiao(&["diff", POLICY, Y2024, "--data", DATA_2024]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("impact on every unit"));
    assert!(out.contains("20 units;"));
    assert!(out.contains("rank correlation (Spearman)"));
    // The 2023 policy does not read the new column: a warning, not an error.
    assert!(stderr(&o).contains("`数据开放率` is not an input"));
}

#[test]
fn diff_names_the_inputs_the_data_lacks() {
    let o = zhibiao(&["diff", POLICY, Y2024, "--data", DATA]);
    assert_eq!(o.status.code(), Some(3));
    let err = stderr(&o);
    assert!(
        err.contains("for policies/heihe/2024.zb")
            && err.contains("`数据开放率`")
            && err.contains("missing"),
        "{err}"
    );
    assert!(
        stdout(&o).contains("indicator tree"),
        "the policy diff is still shown"
    );
}

#[test]
fn diff_json_and_markdown() {
    let o = zhibiao(&[
        "diff", POLICY, Y2024, "--data", DATA_2024, "--format", "json",
    ]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["policy"]["new"]["version"], "2024");
    assert!(v["policy"]["entries"].as_array().unwrap().len() > 10);
    assert_eq!(v["impact"]["units"].as_array().unwrap().len(), 20);
    assert_eq!(v["impact"]["summary"]["units"], 20);
    let md = stdout(&zhibiao(&["diff", POLICY, Y2024, "--format", "markdown"]));
    assert!(md.starts_with("## 黑河市数字政府建设评估指标体系 2023 → "));
    assert!(
        md.contains("| ~ | 项目建设/省建市用/身份认证 | points | 2 | 3 |"),
        "{md}"
    );
}

/// `zhibiao diff` as git's diff driver for `*.zb`, set up as the README says.

#[test]
fn explain_says_why_a_unit_got_its_score() {
    let o = zhibiao(&["explain", POLICY, "--data", DATA, "--unit", "BM01"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = stdout(&o);
    assert!(
        text.starts_with("BM01 市政务服务局 (部门)\nscore 95.86 of 100.00"),
        "{text}"
    );
    // A rule, and the values it read.
    assert!(
        text.contains("任务规划  5.15 / 5.15  ← score count(规划文件) / 3"),
        "{text}"
    );
    assert!(
        text.contains("规划文件 = 整体规划、工作方案、指导意见"),
        "{text}"
    );
    assert!(text.contains("内容完成率 = 99.4%"), "{text}");
    // The band and the arm taken.
    assert!(
        text.contains("资源完整率 = 91.1%\n        took [80%, 95%) => 0.6\n"),
        "{text}"
    );
    assert!(text.contains("took 培训并考评 => 1\n"), "{text}");
    // Why row 8 does not apply to a department, and where its points went.
    assert!(
        text.contains("标准规范  0.00 / 0.00  — not applicable: not for 市级各部门; left out, and the rest rescaled to full points"),
        "{text}"
    );
    // A veto, with the value that fired it.
    let vetoed = stdout(&zhibiao(&[
        "explain", POLICY, "--data", DATA, "--unit", "HH05",
    ]));
    assert!(
        vetoed.contains("veto 重大网络安全事件: `重大安全事件` holds (重大安全事件 = 是)"),
        "{vetoed}"
    );
    let json = stdout(&zhibiao(&[
        "explain", POLICY, "--data", DATA, "--unit", "BM01", "--format", "json",
    ]));
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["score"], 95.86);
    let row8 = v["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["path"].as_str().unwrap().ends_with("标准规范"))
        .unwrap();
    assert_eq!(row8["status"], "not_applicable");
    let unknown = zhibiao(&["explain", POLICY, "--data", DATA, "--unit", "BM1"]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(
        stderr(&unknown).contains("did you mean"),
        "{}",
        stderr(&unknown)
    );
}

#[test]
fn fmt_checks_rewrites_and_leaves_broken_files_alone() {
    let dir = temp_dir("fmt");
    let messy = std::fs::read_to_string("tests/format/messy.zb").unwrap();
    let nested = dir.join("nested");
    std::fs::create_dir_all(&nested).unwrap();
    let file = nested.join("messy.zb");
    std::fs::write(&file, &messy).unwrap();
    let broken = dir.join("broken.zb");
    let broken_text = "policy p {\n  total   10\n}\nitem a 10 score\n";
    std::fs::write(&broken, broken_text).unwrap();
    let d = dir.to_str().unwrap();

    // --check: a diff, exit 1, nothing written.
    let o = zhibiao(&["fmt", "--check", file.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stdout(&o).contains("-    item #1 达标项 10 score 达标"));
    assert!(stdout(&o).contains("+  item #1 达标项         10 score 达标"));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), messy);

    // A directory: every .zb under it; the broken one is reported and kept.
    let o = zhibiao(&["fmt", d]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("broken.zb: not formatted"));
    assert!(stderr(&o).contains("syntax::unexpected"));
    assert_eq!(std::fs::read_to_string(&broken).unwrap(), broken_text);
    let formatted = std::fs::read_to_string(&file).unwrap();
    assert_ne!(formatted, messy);
    assert!(formatted.contains("  item #1 达标项         10 score 达标\n"));

    // Formatted: --check passes and a second run changes nothing.
    std::fs::remove_file(&broken).unwrap();
    assert_eq!(zhibiao(&["fmt", "--check", d]).status.code(), Some(0));
    assert_eq!(zhibiao(&["fmt", d]).status.code(), Some(0));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), formatted);

    // What .gitignore and .zhibiaoignore leave out is not looked at; a file
    // named on the command line always is.
    let ignored = ["build/out.zb", "fixtures/messy.zb"];
    for name in ignored {
        let path = dir.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &messy).unwrap();
    }
    std::fs::write(dir.join(".gitignore"), "build/\n").unwrap();
    std::fs::write(dir.join(".zhibiaoignore"), "fixtures/\n").unwrap();
    assert_eq!(zhibiao(&["fmt", "--check", d]).status.code(), Some(0));
    let named = dir.join(ignored[1]);
    assert_eq!(
        zhibiao(&["fmt", "--check", named.to_str().unwrap()])
            .status
            .code(),
        Some(1)
    );
}

/// The repository's own policies, examples and benches are formatted; its
/// test fixtures are left out by its `.zhibiaoignore`.
#[test]
fn fmt_check_passes_at_the_repository_root() {
    let o = zhibiao(&["fmt", "--check"]);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
}

#[test]
fn test_runs_the_shipped_tests_and_reports_failures_and_coverage() {
    let o = zhibiao(&["test", "policies"]);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    assert!(stdout(&o).contains("policies/heihe/2023.zb: 9 tests"));
    assert!(stdout(&o).ends_with("9 tests: 9 passed, 0 failed\n"));

    let dir = temp_dir("test");
    std::fs::copy(POLICY, dir.join("2023.zb")).unwrap();
    let tests = std::fs::read_to_string("policies/heihe/2023.test.zb")
        .unwrap()
        .replace("预期 #7 = 1 ", "预期 #7 = 1.5 ");
    std::fs::write(dir.join("2023.test.zb"), tests).unwrap();
    let o = zhibiao(&["test", "--coverage", dir.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let out = stdout(&o);
    assert!(out.contains("  FAIL  仅培训未考评\n"), "{out}");
    assert!(
        out.contains("2023.test.zb:34: 统筹管理/组织保障/人员组织\n"),
        "{out}"
    );
    assert!(out.contains("          expected  1.50\n          actual    1.00\n"));
    assert!(out.contains("          took      仅培训 => 0.5\n"));
    assert!(out.contains("      54 / 54   items scored\n"), "{out}");
    assert!(
        out.contains("2023.zb:119  `未开展 => 0` never taken\n"),
        "{out}"
    );
    assert!(out.ends_with("9 tests: 8 passed, 1 failed\n"));

    // A test file holds tests only.
    std::fs::write(dir.join("2023.test.zb"), "input 多余: bool\n").unwrap();
    let o = zhibiao(&["test", dir.join("2023.zb").to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("a test file holds only tests"));
}

/// A test over a data file beside it (`from "units.csv"`) scores the file's
/// units together, as `eval` does; `--data` runs it over other files; a file
/// outside the project is refused before it is read.
#[test]
fn tests_read_their_units_from_data_files() {
    let policy = "tests/from_data/组内.zb";
    let o = zhibiao(&["test", policy]);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    assert!(stdout(&o).ends_with("1 tests: 1 passed, 0 failed\n"));

    let dir = temp_dir("from-data");
    let other = dir.join("other.csv");
    std::fs::write(
        &other,
        "id,name,完成率,创新\nA,甲,50%,否\nB,乙,80%,否\nE,戊,70%,否\n",
    )
    .unwrap();
    let o = zhibiao(&["test", policy, "--data", other.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let out = stdout(&o);
    assert!(
        out.contains("A: rank\n          expected  1\n          actual    3\n"),
        "{out}"
    );
    assert!(
        out.contains(
            "the unit D\n          expected  to be in the data\n          actual    not there\n"
        ),
        "{out}"
    );

    let project = dir.join("project");
    std::fs::create_dir(&project).unwrap();
    std::fs::copy(policy, project.join("组内.zb")).unwrap();
    let outside = "test \"外部\" from \"../other.csv\" {\n  expect A: rank = 1\n}\n";
    std::fs::write(project.join("组内.test.zb"), outside).unwrap();
    let o = zhibiao(&["test", project.join("组内.zb").to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(3), "{}", stdout(&o));
    assert!(
        stderr(&o).contains("is outside the project folder"),
        "{}",
        stderr(&o)
    );
    assert!(
        stdout(&o).ends_with("0 passed, 1 failed\n"),
        "{}",
        stdout(&o)
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// `explain` takes `--data` as `eval` does: here last period beside this
/// period's two sources, so the rule reading last period is explained.
#[test]
fn explain_takes_data_as_eval_does() {
    let case = |f: &str| format!("tests/cases/periods/raw_previous{f}");
    let last = format!("2023={}", case(".2023.csv"));
    let own = format!("自评={}", case(".自评.csv"));
    let experts = format!("专家={}", case(".专家.csv"));
    let policy = case(".zb");
    let args = [
        "explain", &policy, "--data", &last, "--data", &own, "--data", &experts, "--unit", "A",
    ];
    let o = zhibiao(&args);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = stdout(&o);
    assert!(text.contains("score 9.60 of 10.00"), "{text}");
    assert!(text.contains("took [5, ..] => 4"), "{text}");
}

/// Derived values and peer statistics a rule read, with the unit's values;
/// parts, caps and gates as fields of the JSON.
#[test]
fn explain_shows_lets_statistics_and_parts_as_fields() {
    let (policy, data) = (
        "tests/cases/eval/peer_nested.zb",
        "tests/cases/eval/peer_nested.csv",
    );
    let o = zhibiao(&["explain", policy, "--data", data, "--unit", "B"]);
    let text = stdout(&o);
    // 离差 = |2 − 4| = 2; mean(离差) = 3; rank(x − mean(x)) of B is 3.
    assert!(text.contains("离差 = 2"), "{text}");
    assert!(text.contains("mean(离差) = 3"), "{text}");
    assert!(text.contains("rank(x - mean(x)) = 3"), "{text}");
    assert!(text.contains("x = 2"), "{text}");
    let o = zhibiao(&[
        "explain", POLICY, "--data", DATA, "--unit", "BM01", "--format", "json",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let part = &v["parts"][0];
    for field in ["name", "kind", "points", "sum", "open", "items"] {
        assert!(!part[field].is_null(), "{field}: {part}");
    }
    assert!(
        part["kind"] == "bonus" || part["kind"] == "deduction",
        "{part}"
    );
    assert!(part["items"][0]["name"].is_string(), "{part}");
}

/// `diff --data` takes data as `eval` does: several sources, last period.
#[test]
fn diff_with_data_takes_sources_and_periods() {
    let dir = temp_dir("diff-sources");
    let case = |f: &str| format!("tests/cases/periods/raw_previous{f}");
    let old = case(".zb");
    // The new version weighs 计划 more and 完成 less.
    let text = std::fs::read_to_string(&old).unwrap();
    let text = text
        .replace("item 完成 4 score", "item 完成 3 score")
        .replace("item 计划 2 score", "item 计划 3 score");
    let new = dir.join("new.zb");
    std::fs::write(&new, text).unwrap();
    let (last, own, experts) = (
        format!("2023={}", case(".2023.csv")),
        format!("自评={}", case(".自评.csv")),
        format!("专家={}", case(".专家.csv")),
    );
    let new = new.to_str().unwrap();
    let args = [
        "diff", &old, new, "--data", &last, "--data", &own, "--data", &experts,
    ];
    let o = zhibiao(&args);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("3 units;"), "{out}");
}

/// `check DIR`: every policy under it, and each test file as the tests of
/// its policy.
#[test]
fn check_takes_directories_and_test_files() {
    let o = zhibiao(&["check", "policies"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("policies/heihe/2023.zb: ok"), "{err}");
    assert!(
        err.contains("policies/heihe/2023.test.zb: ok (9 tests of policies/heihe/2023.zb)"),
        "{err}"
    );
    // A test file that names no node is an error of the check.
    let dir = temp_dir("check-dir");
    std::fs::copy(POLICY, dir.join("p.zb")).unwrap();
    let tests = "test \"x\" {\n  given kind = 县区\n  expect 没有这个 = 1\n}\n";
    std::fs::write(dir.join("p.test.zb"), tests).unwrap();
    let o = zhibiao(&["check", dir.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("test::unknown_target"),
        "{}",
        stderr(&o)
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// Shell completions (bash checked by bash itself) and a manual page.
#[test]
fn completions_and_the_manual_page() {
    let o = zhibiao(&["completions", "bash"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let script = stdout(&o);
    assert!(
        script.contains("_zhibiao()") && script.contains("explain"),
        "{script}"
    );
    let dir = temp_dir("completions");
    let path = dir.join("zhibiao.bash");
    std::fs::write(&path, &script).unwrap();
    if let Ok(bash) = Command::new("bash").arg("-n").arg(&path).output() {
        assert!(bash.status.success(), "{}", stderr(&bash));
    }
    for shell in ["zsh", "fish", "elvish", "powershell"] {
        let o = zhibiao(&["completions", shell]);
        assert!(o.status.success() && !o.stdout.is_empty(), "{shell}");
    }
    let man = stdout(&zhibiao(&["man"]));
    assert!(man.contains(".TH zhibiao 1"), "{man}");
    assert!(
        man.contains("explain") && man.contains("SUBCOMMANDS"),
        "{man}"
    );
}
