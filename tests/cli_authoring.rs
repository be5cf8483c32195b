//! The binary, run as a user runs it to write and review policies: `check`,
//! `diff` (also as a git diff driver), `show`, `table`, `template`,
//! `import`, `explain`, `fmt` and `test`.

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

#[test]
fn show_and_table_print_the_resolved_policy() {
    let o = zhibiao(&["show", Y2024]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = stdout(&o);
    assert!(text.starts_with("// policies/heihe/2024.zb ← policies/heihe/2023.zb"));
    assert!(text.contains("item #55 公共数据开放 1"));
    assert!(!text.contains("extends"));
    let zh = stdout(&zhibiao(&["show", Y2024, "--keywords", "zh"]));
    assert!(zh.contains("\n指标体系 ") && zh.contains("评分项 #55 公共数据开放 1"));

    let md = stdout(&zhibiao(&["table", POLICY]));
    let lines: Vec<&str> = md.lines().collect();
    assert_eq!(
        lines[0],
        "| 序号 | 类别 | 一级指标 | 二级指标 | 评估内容 | 内容 | 分值 | 关联单位 | 按需 |"
    );
    assert_eq!(lines.len(), 2 + 54, "one row per item of the seed table");
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("| 8 |") && l.contains("| 3 | 各县市区人民政府 |"))
    );
    // With the condition that makes them apply.
    let as_needed = lines
        .iter()
        .skip(2)
        .filter(|l| l.ends_with("| 按需：服务渠道 |"));
    assert_eq!(as_needed.count(), 6, "rows 19–24 are 按需");
    let csv = stdout(&zhibiao(&["table", POLICY, "--format", "csv"]));
    assert!(csv.starts_with("\u{feff}序号,类别,"));
    assert_eq!(csv.lines().count(), 55);
    // Rows without a code get none invented; with sources, the source that
    // collects each row's data.
    let md = stdout(&zhibiao(&["table", "tests/cases/sources/weighted.zb"]));
    let lines: Vec<&str> = md.lines().collect();
    assert!(lines[0].ends_with("| 按需 | 来源 |"), "{md}");
    assert_eq!(
        lines[2], "|  | 甲 | 评分 |  | 6 |  |  | 自评、专家 |",
        "{md}"
    );
    assert_eq!(lines[3], "|  | 甲 | 材料 |  | 2 |  |  | 专家 |", "{md}");
}

/// `zhibiao diff` as git's diff driver for `*.zb`, set up as the README says.

#[test]
fn git_diff_shows_the_domain_diff() {
    let dir = temp_dir("git");
    let git = |args: &[&str]| {
        let o = Command::new("git")
            .args(args)
            .current_dir(&dir)
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .output()
            .unwrap();
        assert!(o.status.success(), "git {args:?}: {}", stderr(&o));
        stdout(&o)
    };
    git(&["init", "-q"]);
    git(&["config", "user.email", "t@example.org"]);
    git(&["config", "user.name", "t"]);
    let driver = format!("{} diff", env!("CARGO_BIN_EXE_zhibiao"));
    git(&["config", "diff.zhibiao.command", &driver]);
    std::fs::write(dir.join(".gitattributes"), "*.zb diff=zhibiao\n").unwrap();
    std::fs::create_dir_all(dir.join("heihe")).unwrap();
    let copy = |from: &str, to: &str| std::fs::copy(from, dir.join(to)).unwrap();
    copy(POLICY, "heihe/2023.zb");
    git(&["add", "."]);
    git(&["commit", "-qm", "2023"]);
    // Next year's policy, first as a copy of 2023's, then changed.
    copy(POLICY, "heihe/2024.zb");
    git(&["add", "."]);
    git(&["commit", "-qm", "copy"]);
    let text = std::fs::read_to_string(POLICY).unwrap();
    // Item #N's points (the word after its name) become `points`.
    let set_points = |text: String, code: &str, points: &str| -> String {
        let lines: Vec<String> = text
            .lines()
            .map(|line| {
                let words: Vec<&str> = line.split_whitespace().collect();
                if words.get(1) == Some(&code) {
                    let old = format!(" {} ", words[3]);
                    line.replacen(&old, &format!(" {points} "), 1)
                } else {
                    line.to_string()
                }
            })
            .collect();
        lines.join("\n") + "\n"
    };
    let text = text.replace("version \"2023\"", "version \"2024\"");
    let text = set_points(text, "#19", "3");
    let text = set_points(text, "#24", "0.5");
    let text = set_points(text, "#23", "2.5");
    std::fs::write(dir.join("heihe/2024.zb"), text).unwrap();
    let out = git(&["diff"]);
    assert!(out.contains("zhibiao diff heihe/2024.zb"), "{out}");
    assert!(out.contains("~ 项目建设/省建市用/身份认证"), "{out}");
    assert!(out.contains("points: 2 → 3"), "{out}");
    assert!(
        !out.contains("@@"),
        "a line diff instead of the domain diff: {out}"
    );
    git(&["commit", "-qam", "2024"]);
    let log = git(&["log", "-p", "-1", "--ext-diff"]);
    assert!(log.contains("points: 2 → 3"), "{log}");
    // A renamed and changed file: git passes nine arguments.
    let text = std::fs::read_to_string(dir.join("heihe/2024.zb")).unwrap();
    git(&["mv", "heihe/2024.zb", "heihe/2024-v1.zb"]);
    let text = set_points(set_points(text, "#19", "4"), "#23", "1.5");
    std::fs::write(dir.join("heihe/2024-v1.zb"), text).unwrap();
    git(&["commit", "-qam", "renamed"]);
    let log = git(&["log", "-p", "-1", "-M", "--ext-diff"]);
    assert!(
        log.contains("zhibiao diff heihe/2024.zb → heihe/2024-v1.zb"),
        "{log}"
    );
    assert!(log.contains("points: 3 → 4"), "{log}");
    // A side that does not compile: which one, and the change in lines.
    let broken = std::fs::read_to_string(dir.join("heihe/2024-v1.zb")).unwrap();
    let broken = broken.replace("version \"2024\"", "version \"2024\" oops");
    std::fs::write(dir.join("heihe/2024-v1.zb"), broken).unwrap();
    let out = git(&["diff"]);
    assert!(out.contains("the new version does not compile"), "{out}");
    assert!(
        out.contains("@@") && out.contains("+  version \"2024\" oops"),
        "{out}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn template_lists_the_columns_a_kind_needs() {
    let dir = temp_dir("template");
    let out = dir.join("部门.csv");
    let o = zhibiao(&[
        "template",
        POLICY,
        "--kind",
        "部门",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let header = std::fs::read_to_string(&out).unwrap();
    let columns: Vec<&str> = header
        .trim_start_matches('\u{feff}')
        .trim()
        .split(',')
        .collect();
    assert_eq!(columns[..3], ["id", "name", "kind"]);
    // Row 8 (标准规范) is for 县区 only; every other input is needed.
    assert!(!columns.contains(&"标准规范"));
    assert!(columns.contains(&"身份认证") && columns.contains(&"服务渠道"));
    let guide = std::fs::read_to_string(dir.join("部门.columns.csv")).unwrap();
    assert!(guide.starts_with("\u{feff}列名,说明,类型,可选值,单位,可否留空"));
    let line = guide.lines().find(|l| l.starts_with("身份认证,")).unwrap();
    assert!(
        line.contains("may be blank where `服务渠道` does not hold"),
        "{line}"
    );
    assert!(
        guide
            .lines()
            .any(|l| l.starts_with("年度计划,") && l.ends_with("must be filled in"))
    );
    // Every kind: the county template has row 8.
    let all = stdout(&zhibiao(&["template", POLICY, "--kind", "县区"]));
    assert!(all.contains("标准规范"));
    let unknown = zhibiao(&["template", POLICY, "--kind", "部"]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(stderr(&unknown).contains("did you mean `部门`?"));
    let _ = std::fs::remove_dir_all(&dir);
}

/// `table` then `import` gives back the tree: the same nodes, points and
/// applicability, with every rule and 按需 condition left `待定`.

#[test]
fn import_turns_the_published_table_into_a_skeleton() {
    let dir = temp_dir("import");
    let table = dir.join("黑河.csv");
    let o = zhibiao(&[
        "table",
        POLICY,
        "--format",
        "csv",
        "-o",
        table.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = zhibiao(&["import", table.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let skeleton = stdout(&o);
    // `check` reports every placeholder, and nothing else.
    let path = dir.join("skeleton.zb");
    std::fs::write(&path, &skeleton).unwrap();
    let check = zhibiao(&["check", path.to_str().unwrap(), "--error-format", "json"]);
    assert_eq!(check.status.code(), Some(1));
    let codes: Vec<String> = stderr(&check)
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap()["code"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(codes.len(), 54 + 6, "54 rules and 6 按需 conditions");
    assert!(codes.iter().all(|c| c == "zhibiao::check::todo"));
    // Filled in, it is the same tree as the policy the table came from.
    let filled = skeleton
        .replace("得分率 待定", "得分率 1")
        .replace("按需 待定", "按需 是");
    let source = zhibiao::source::SourceFile::new("filled.zb", filled);
    let imported = zhibiao::check::compile(&source).result.unwrap().policy;
    let original = zhibiao::check::compile(
        &zhibiao::source::SourceFile::read(std::path::Path::new(POLICY)).unwrap(),
    )
    .result
    .unwrap()
    .policy;
    let shape = |p: &zhibiao::ir::Policy| -> Vec<(String, String, Option<String>, u64)> {
        p.nodes
            .iter()
            .map(|n| {
                (
                    n.path.clone(),
                    n.points.to_string(),
                    n.code.clone(),
                    n.kinds,
                )
            })
            .collect()
    };
    assert_eq!(shape(&imported)[1..], shape(&original)[1..]);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn import_reports_what_does_not_add_up() {
    let o = zhibiao(&["import", "tests/import/bad.csv"]);
    assert_eq!(o.status.code(), Some(3));
    let err = stderr(&o);
    let expected = [
        "row 2, column `类别`: `类别` is blank, and no row above gives it",
        "row 4, column `分值`: found `两分`, expected points (a number)",
        "row 5: the row names no indicator in any level column",
        "row 6: `统筹/规划` is an item (row 3)",
        "row 7: the rows add up to 3, not the 合计 10",
    ];
    for e in expected {
        assert!(err.contains(e), "missing `{e}` in:\n{err}");
    }
    assert!(stdout(&o).is_empty(), "nothing is written");
}

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

/// A template per source, each with only the columns that source collects;
/// filled in, the files evaluate together.
#[test]
fn template_writes_one_file_per_source_and_they_evaluate() {
    let dir = temp_dir("template-sources");
    let policy = "tests/cases/sources/weighted.zb";
    let out = dir.join("收集.csv");
    let o = zhibiao(&["template", policy, "-o", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let header = |source: &str| {
        let text = std::fs::read_to_string(dir.join(format!("收集.{source}.csv"))).unwrap();
        text.trim_start_matches('\u{feff}').trim().to_string()
    };
    // 评分 from both, 材料 from the experts, 计划 (no `from`) from the first.
    assert_eq!(header("自评"), "id,name,评分,计划");
    assert_eq!(header("专家"), "id,name,评分,材料");
    let guide = std::fs::read_to_string(dir.join("收集.columns.csv")).unwrap();
    assert!(guide.contains(",来源\n"), "{guide}");
    assert!(
        guide.contains("评分,") && guide.contains("自评 30%、专家 70%"),
        "{guide}"
    );
    // Filled in as the sources would, then evaluated.
    let fill = |source: &str, rows: &str| {
        let path = dir.join(format!("收集.{source}.csv"));
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(&path, text + rows).unwrap();
        format!("{source}={}", path.display())
    };
    let own = fill("自评", "A,甲,90,是\nB,乙,60,否\n");
    let experts = fill("专家", "A,甲,70,全部\nB,乙,80,部分\n");
    let o = zhibiao(&[
        "eval", policy, "--data", &own, "--data", &experts, "--format", "csv",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).contains("\nA,甲,,8.56,"), "{}", stdout(&o));
    // One source's template on its own; an unknown source; no -o.
    let one = stdout(&zhibiao(&["template", policy, "--source", "专家"]));
    assert!(one.contains("id,name,评分,材料"), "{one}");
    let unknown = zhibiao(&["template", policy, "--source", "专"]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(stderr(&unknown).contains("did you mean `专家`?"));
    let bare = zhibiao(&["template", policy]);
    assert_eq!(bare.status.code(), Some(2));
    assert!(stderr(&bare).contains("--source NAME"), "{}", stderr(&bare));
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
    let path = temp_dir("completions").join("zhibiao.bash");
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
