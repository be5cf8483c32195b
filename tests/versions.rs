//! Versions of a policy: `extends` chains, `show`, `diff` and its impact,
//! over the shipped policies and their example data.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use std::path::Path;
use zhibiao::data::Dataset;
use zhibiao::diff::{self, Kind, Version, impact};
use zhibiao::report::Report;
use zhibiao::source::SourceFile;
use zhibiao::syntax::print::{self, Keywords};

use common::EXAMPLES;

fn compile_text(path: &str, text: &str) -> zhibiao::Compiled {
    let compiled = zhibiao::check::compile(&SourceFile::new(path, text));
    if let Err(d) = &compiled.result {
        panic!(
            "{path}:\n{}",
            zhibiao::diagnostics::render(
                &compiled.sources,
                d,
                zhibiao::diagnostics::Format::Plain,
                false
            )
        );
    }
    compiled
}

fn compile(path: &str) -> zhibiao::Compiled {
    compile_text(path, &std::fs::read_to_string(path).unwrap())
}

fn version(c: &zhibiao::Compiled) -> Version<'_> {
    Version {
        policy: &c.result.as_ref().unwrap().policy,
        syntax: &c.syntax,
        sources: &c.sources,
    }
}

fn report(c: &zhibiao::Compiled, data: &str) -> Report {
    let policy = &c.result.as_ref().unwrap().policy;
    let data = Dataset::load(policy, Path::new(data)).unwrap();
    let e = zhibiao::eval::evaluate(policy, &data);
    assert!(e.errors.is_empty(), "{:?}", e.errors);
    Report::new(policy, &data, &e)
}

/// The JSON results of the policy over the data.
fn results(c: &zhibiao::Compiled, data: &str) -> String {
    let policy = &c.result.as_ref().unwrap().policy;
    let data = Dataset::load(policy, Path::new(data)).unwrap();
    let e = zhibiao::eval::evaluate(policy, &data);
    assert!(e.errors.is_empty(), "{:?}", e.errors);
    zhibiao::report::Results::new(policy, &data, &e).json()
}

fn show(c: &zhibiao::Compiled) -> String {
    print::file(&c.syntax, Keywords::Chinese)
}

#[test]
fn every_shipped_policy_has_example_data() {
    for file in common::shipped_policies() {
        let shown = file.display().to_string();
        assert!(
            EXAMPLES.iter().any(|(p, _)| *p == shown),
            "{shown} has no example data in EXAMPLES"
        );
    }
}

#[test]
fn show_prints_a_policy_that_means_the_same() {
    for (path, data) in EXAMPLES {
        let original = compile(path);
        let text = show(&original);
        // Put beside the original, so that nothing resolves differently.
        let shown = compile_text(path, &text);
        assert!(
            shown.syntax.header[0].extends.is_none(),
            "{path}: still extends"
        );
        assert_eq!(
            results(&original, data),
            results(&shown, data),
            "{path}: results differ"
        );
        assert_eq!(show(&shown), text, "{path}: show is not idempotent");
        let d = diff::compare(version(&original), version(&shown));
        assert!(d.is_empty(), "{path}: {:?}", d.entries);
        // In English too.
        let english = compile_text(path, &print::file(&original.syntax, Keywords::English));
        assert!(diff::compare(version(&original), version(&english)).is_empty());
    }
}

#[test]
fn formatting_keeps_what_a_policy_means() {
    for (path, data) in EXAMPLES {
        let original = compile(path);
        // A layout fmt did not write itself: show's, in the other language.
        let text = print::file(&original.syntax, Keywords::English);
        let formatted = zhibiao::syntax::format::format(&text).unwrap();
        let again = compile_text(path, &formatted);
        assert!(diff::compare(version(&original), version(&again)).is_empty());
        assert_eq!(
            results(&original, data),
            results(&again, data),
            "{path}: results differ"
        );
    }
}

#[test]
fn heihe_2024_differs_from_2023_as_its_header_says() {
    let (old, new) = (
        compile("policies/heihe/2023.zb"),
        compile("policies/heihe/2024.zb"),
    );
    let d = diff::compare(version(&old), version(&new));
    let find = |subject: &str| {
        d.entries
            .iter()
            .find(|e| e.subject == subject)
            .unwrap_or_else(|| panic!("no entry for {subject}: {:#?}", d.entries))
    };
    let detail = |subject: &str, what: &str| {
        let e = find(subject);
        let x = e.details.iter().find(|x| x.what == what).unwrap();
        (
            x.old.clone().unwrap_or_default(),
            x.new.clone().unwrap_or_default(),
        )
    };
    let pair = |a: &str, b: &str| (a.to_string(), b.to_string());
    assert_eq!(
        detail("项目建设/省建市用/身份认证", "points"),
        pair("2", "3")
    );
    assert_eq!(detail("项目建设/省建市用", "points"), pair("13", "14"));
    assert_eq!(find("项目建设/过程管理/安全制度").kind, Kind::Removed);
    assert_eq!(find("数据共享开放/数据应用/公共数据开放").kind, Kind::Added);
    assert_eq!(detail("数据共享开放", "points"), pair("17", "18"));
    assert_eq!(detail("应用成效", "points"), pair("30", "29"));
    assert_eq!(
        detail("应用成效/政务服务/掌上政务服务", "name"),
        pair("移动政务服务", "掌上政务服务")
    );
    assert_eq!(
        detail("数据共享开放/数据应用/需求响应度", "rule"),
        pair(
            "score ratio(需求响应率, 90%)",
            "score ratio(需求响应率, 95%)"
        )
    );
    assert_eq!(find("优秀").details[0].new.as_deref(), Some("[85, ..]"));
    assert_eq!(find("安全制度").kind, Kind::Removed);
    // Nothing else: every other node is unchanged.
    let nodes = d
        .entries
        .iter()
        .filter(|e| e.section == diff::Section::Node)
        .count();
    assert_eq!(nodes, 12, "{:#?}", d.entries);
    insta::assert_snapshot!(diff::render::text(&d, false));
}

#[test]
fn provenance_names_the_file_and_line_that_last_changed_a_node() {
    let c = compile("policies/heihe/2024.zb");
    let policy = &c.result.as_ref().unwrap().policy;
    let node = |name: &str| policy.nodes.iter().find(|n| n.name == name).unwrap();
    let changed = node("身份认证").changed.unwrap();
    assert_eq!(c.sources.place(changed), "policies/heihe/2024.zb:19");
    assert!(
        c.sources
            .place(node("身份认证").span)
            .starts_with("policies/heihe/2023.zb:")
    );
    assert!(node("任务规划").changed.is_none());
    assert!(
        c.sources
            .place(node("公共数据开放").span)
            .starts_with("policies/heihe/2024.zb:")
    );
}

#[test]
fn impact_compares_each_unit_across_versions() {
    let (old, new) = (
        compile("policies/heihe/2023.zb"),
        compile("policies/heihe/2024.zb"),
    );
    let data = "examples/heihe/units-2024.csv";
    let (a, b) = (report(&old, data), report(&new, data));
    let i = impact::compare(&a, &b);
    assert_eq!(i.units.len(), 20);
    for u in &i.units {
        let before = a.units.iter().find(|x| x.id == u.id).unwrap();
        let after = b.units.iter().find(|x| x.id == u.id).unwrap();
        assert_eq!(
            u.delta.unwrap().0,
            after.score.unwrap().0 - before.score.unwrap().0
        );
        assert_eq!((u.old_rank, u.new_rank), (before.rank, after.rank));
        assert_eq!((&u.old_grade, &u.new_grade), (&before.grade, &after.grade));
    }
    assert!(
        i.units
            .windows(2)
            .all(|w| w[0].delta.unwrap().0.abs() >= w[1].delta.unwrap().0.abs())
    );
    let changed = i
        .units
        .iter()
        .filter(|u| u.old_grade != u.new_grade)
        .count();
    assert_eq!(i.summary.changed_grades, changed);
    assert!(changed > 0, "the lower grade lines must move someone up");
}

#[test]
fn impact_of_the_small_derived_case_matches_the_hand_computation() {
    // tests/cases/derive/changes.zb explains these numbers.
    let old = compile("tests/cases/derive/base.zb");
    let new = compile("tests/cases/derive/changes.zb");
    let data = "tests/cases/derive/changes.csv";
    let i = impact::compare(&report(&old, data), &report(&new, data));
    let unit = |id: &str| i.units.iter().find(|u| u.id == id).unwrap();
    let n = |p: Option<zhibiao::report::Points>| p.unwrap().0.to_string();
    assert_eq!(n(unit("A").old_score), "18.5");
    assert_eq!(n(unit("A").new_score), "18");
    assert_eq!(n(unit("B").old_score), "0", "the veto of the old version");
    assert_eq!(n(unit("B").new_score), "11");
    assert_eq!(n(unit("B").delta), "11");
    assert_eq!(i.units[0].id, "B", "largest change first");
}

fn diff_texts(old: &str, new: &str) -> diff::PolicyDiff {
    let (a, b) = (compile_text("old.zb", old), compile_text("new.zb", new));
    diff::compare(version(&a), version(&b))
}

const HEAD: &str = "policy \"p\" { total 10  precision 2 half_up }\ninput x: bool\ninput y: bool\n";

#[test]
fn renames_and_moves_are_found_without_codes() {
    let old = format!("{HEAD}category 甲 10 {{ item 乙 4 score x\n item 丙 6 score y }}");
    // 乙 renamed 丁 (same place, points and rule); 丙 moved under a new group.
    let new = format!(
        "{HEAD}category 甲 10 {{ item 丁 4 score x\n indicator 戊 6 {{ item 丙 6 score y }} }}"
    );
    let d = diff_texts(&old, &new);
    let detail = |subject: &str, what: &str| {
        let e = d.entries.iter().find(|e| e.subject == subject).unwrap();
        let x = e.details.iter().find(|x| x.what == what).unwrap();
        (x.old.clone().unwrap(), x.new.clone().unwrap())
    };
    assert_eq!(detail("甲/丁", "name"), ("乙".into(), "丁".into()));
    assert_eq!(detail("甲/戊/丙", "moved"), ("甲".into(), "甲/戊".into()));
    let added: Vec<&str> = d
        .entries
        .iter()
        .filter(|e| e.kind == Kind::Added)
        .map(|e| e.subject.as_str())
        .collect();
    assert_eq!(added, ["甲/戊"]);
    assert!(d.entries.iter().all(|e| e.kind != Kind::Removed));
}

#[test]
fn a_change_of_layout_or_keyword_language_is_no_change() {
    let old = format!("{HEAD}category 甲 10 {{ item 乙 10 score x and y }}");
    let new = "指标体系 p {\n  满分 10\n  精度 2 四舍五入\n}\n数据项 x: 是否\n数据项 y: 是否\n类别 甲 10 {\n  评分项 乙 10 得分率 (x 且 y)\n}\n";
    assert!(diff_texts(&old, new).is_empty());
    let stricter = format!("{HEAD}category 甲 10 {{ item 乙 10 score x or y }}");
    let d = diff_texts(&old, &stricter);
    assert_eq!(d.entries.len(), 1);
    assert_eq!(d.entries[0].details[0].new.as_deref(), Some("score x or y"));
}

/// A policy that extends another replaces its grades, tiers and funding
/// with its own (the tiers used to be dropped), and keeps them otherwise.
#[test]
fn a_derived_policy_replaces_tiers_and_funding() {
    let path = "tests/cases/derive/derived_tiers.zb";
    let text = "policy \"派生\" extends \"base.zb\" {\n  version \"2024\"\n}\ntiers {\n  前列 top 50%\n  其余 rest\n}\nfunding 经费池 100 {\n  grades { 好 1, 差 0 }\n}\n";
    let derived = compile_text(path, text);
    let policy = &derived.result.as_ref().unwrap().policy;
    let tiers: Vec<&str> = policy.tiers.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(tiers, ["前列", "其余"]);
    let funding = policy.funding.as_ref().unwrap();
    assert_eq!(
        (funding.name.as_str(), funding.factors.len()),
        ("经费池", 2)
    );
    let base = compile("tests/cases/derive/base.zb");
    let base = &base.result.as_ref().unwrap().policy;
    assert!(base.tiers.is_empty() && base.funding.is_none());
}
