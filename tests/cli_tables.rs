//! The binary, run as a user runs it to see a policy as a table and back:
//! `show`, `table`, `import`, and the collection `template`.

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
const Y2024: &str = "policies/heihe/2024.zb";

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
    let items = lines.iter().skip(2).filter(|l| !l.starts_with("|  |"));
    assert_eq!(items.count(), 54, "one row per item of the seed table");
    // Each group's row before its rows, with its points.
    assert_eq!(
        lines[2],
        "|  | 统筹管理 |  |  |  |  | 28 | 各县市区人民政府、市级各部门 |  |"
    );
    assert!(lines[3].starts_with("|  | 统筹管理 | 规划设计 |  |  |  | 8 |"));
    // Then the sections the tree does not hold, with caps, gates and
    // what a veto does.
    let tail: Vec<&str> = lines.iter().rev().take(7).rev().copied().collect();
    assert_eq!(
        tail,
        [
            "|  | 加分项 | 创新加分 |  |  | 上限 3 分；条件：base >= 60 | 3 |  |  |",
            "|  | 加分项 | 创新加分 | 国家级试点 |  |  | 2 | 各县市区人民政府、市级各部门 |  |",
            "|  | 加分项 | 创新加分 | 经验推广 |  |  | 2 | 各县市区人民政府、市级各部门 |  |",
            "|  | 扣分项 | 通报扣分 |  |  | 上限 5 分 | 5 |  |  |",
            "|  | 扣分项 | 通报扣分 | 通报批评 |  |  | 5 | 各县市区人民政府、市级各部门 |  |",
            "|  | 否决项 | 重大网络安全事件 |  |  | 重大安全事件：评为不合格 |  |  |  |",
            "|  | 否决项 | 数据造假 |  |  | 数据造假：最高评为合格 |  |  |  |",
        ]
    );
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
    assert_eq!(csv.lines().count(), lines.len() - 1);
    // Rows without a code get none invented; with sources, the source that
    // collects each row's data.
    let md = stdout(&zhibiao(&["table", "tests/cases/sources/weighted.zb"]));
    let lines: Vec<&str> = md.lines().collect();
    assert!(lines[0].ends_with("| 按需 | 来源 |"), "{md}");
    assert_eq!(lines[2], "|  | 甲 |  |  | 10 |  |  |  |", "{md}");
    assert_eq!(
        lines[3], "|  | 甲 | 评分 |  | 6 |  |  | 自评、专家 |",
        "{md}"
    );
    assert_eq!(lines[4], "|  | 甲 | 材料 |  | 2 |  |  | 专家 |", "{md}");
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
    // 54 rules and 6 按需 conditions; 3 bonus and deduction rules, the
    // bonus's gate and 2 veto conditions; grades the table does not give.
    let todo = codes.iter().filter(|c| *c == "zhibiao::check::todo");
    assert_eq!(todo.count(), 54 + 6 + 3 + 1 + 2, "{codes:?}");
    assert_eq!(codes.len(), 66 + 2, "{codes:?}");
    assert!(codes.contains(&"zhibiao::check::no_grades".to_string()));
    // Filled in, it is the same policy as the one the table came from.
    let filled = skeleton
        .replace("得分率 待定", "得分率 1")
        .replace("按需 待定", "按需 是")
        .replace("仅当 待定", "仅当 基础分 >= 60")
        .replace("如果 待定", "如果 否")
        + "等级 { 合格 [60, ..] 不合格 [.., 60) }\n";
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
    let parts = |p: &zhibiao::ir::Policy| -> Vec<String> {
        let item = |i: &zhibiao::ir::PartItem| format!("{} {}", i.name, i.points);
        (p.parts.iter())
            .map(|part| {
                let items: Vec<String> = part.items.iter().map(item).collect();
                format!("{} {:?} {}", part.name, part.cap, items.join(", "))
            })
            .collect()
    };
    assert_eq!(parts(&imported), parts(&original));
    let vetoes = |p: &zhibiao::ir::Policy| -> Vec<String> {
        let actions = p.vetoes.iter().map(|v| match v.action {
            zhibiao::ir::VetoAction::MaxGrade(g) => format!("{} ≤ {}", v.name, p.grades[g].name),
            _ => format!("{} {:?}", v.name, v.action),
        });
        actions.collect()
    };
    assert_eq!(vetoes(&imported), vetoes(&original));
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
        "row 6: `统筹/规划` is already given by row 3; a row cannot repeat",
        "row 7: the rows add up to 3, not the 合计 10",
    ];
    for e in expected {
        assert!(err.contains(e), "missing `{e}` in:\n{err}");
    }
    assert!(stdout(&o).is_empty(), "nothing is written");
    // A group's own row must add up; a section row must name its part.
    let o = zhibiao(&["import", "tests/import/subtotals.csv"]);
    assert_eq!(o.status.code(), Some(3));
    let err = stderr(&o);
    let expected = [
        "row 2: `统筹` has 8 points, but the rows under it add up to 6",
        "row 5, column `分值`: a section row names no part or veto in the next level",
        "row 7, column `分值`: `试点` needs its points",
    ];
    for e in expected {
        assert!(err.contains(e), "missing `{e}` in:\n{err}");
    }
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
