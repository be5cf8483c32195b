//! Every shipped policy compiles cleanly; the 黑河 2023 policy is a faithful
//! transcription of the seed table and scores exactly like the hand-written
//! scorer, on the example data and on generated units.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;
#[path = "common/generate.rs"]
mod generate;
#[path = "common/heihe_by_hand.rs"]
mod heihe_by_hand;

use std::path::Path;
use zhibiao::data::Dataset;
use zhibiao::ir::{NotApplicable, Policy};
use zhibiao::num::Num;
use zhibiao::source::SourceFile;

fn compile(path: &str) -> Policy {
    let source = SourceFile::read(Path::new(path)).unwrap();
    zhibiao::check::compile(&source)
        .result
        .unwrap_or_else(|d| panic!("{path}: {d:?}"))
        .policy
}

#[test]
fn every_shipped_policy_compiles_without_warnings() {
    let files = common::shipped_policies();
    assert!(!files.is_empty());
    for file in files {
        let source = SourceFile::read(&file).unwrap();
        let checked = zhibiao::check::compile(&source)
            .result
            .unwrap_or_else(|d| panic!("{}: {d:?}", file.display()));
        assert!(
            checked.warnings.is_empty(),
            "{}: {:?}",
            file.display(),
            checked.warnings
        );
    }
}

#[test]
fn heihe_2023_is_the_seed_table() {
    let p = compile("policies/heihe/2023.zb");
    let items: Vec<_> = p.nodes.iter().filter(|n| n.rule.is_some()).collect();
    // 54 numbered rows, in order, with the seed's weights.
    let codes: Vec<String> = items.iter().map(|n| n.code.clone().unwrap()).collect();
    let expected: Vec<String> = (1..=54).map(|i| i.to_string()).collect();
    assert_eq!(codes, expected);
    let weights: Vec<u32> = items
        .iter()
        .map(|n| u32::try_from(n.points.numerator()).unwrap())
        .collect();
    #[rustfmt::skip]
    let seed = [5, 3, 3, 2, 1, 2, 2, 3, 1, 3, 3,          // 统筹管理 28
                1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 3, 3, 1,    // 项目建设 20
                3, 2, 2, 2, 2, 2, 1, 1, 2,                // 数据共享开放 17
                1, 1, 1, 1, 1,                            // 安全保障 5
                1, 1, 2, 2, 2, 2, 1, 1, 1, 1, 1, 3, 3, 5, 2, 2]; // 应用成效 30
    assert_eq!(weights, seed);
    assert_eq!(weights.iter().sum::<u32>(), 100);
    let categories: Vec<(&str, u32)> = p.nodes[0]
        .children
        .iter()
        .map(|&c| {
            (
                p.nodes[c].name.as_str(),
                u32::try_from(p.nodes[c].points.numerator()).unwrap(),
            )
        })
        .collect();
    assert_eq!(
        categories,
        [
            ("统筹管理", 28),
            ("项目建设", 20),
            ("数据共享开放", 17),
            ("安全保障", 5),
            ("应用成效", 30)
        ]
    );
    // The six (按需) rows are eligibility; row 8 applies to counties only.
    let when: Vec<&str> = items
        .iter()
        .filter(|n| n.when.is_some())
        .map(|n| n.code.as_deref().unwrap())
        .collect();
    assert_eq!(when, ["19", "20", "21", "22", "23", "24"]);
    let county = p.kind_id("县区").unwrap();
    let county_only: Vec<&str> = items
        .iter()
        .filter(|n| n.kinds != u64::MAX)
        .map(|n| n.code.as_deref().unwrap())
        .collect();
    assert_eq!(county_only, ["8"]);
    assert_eq!(items[7].kinds, 1 << county);
    assert!(
        items
            .iter()
            .all(|n| n.not_applicable == NotApplicable::Rescale { scope: 0 })
    );
}

fn load(p: &Policy) -> Dataset {
    Dataset::load(p, Path::new("examples/heihe/units.csv")).unwrap()
}

/// Evaluates every unit and compares its final score with the hand-written scorer's.
fn assert_scores_by_hand(p: &Policy, data: &Dataset) {
    let evaluation = zhibiao::eval::evaluate(p, data);
    assert!(
        evaluation.errors.is_empty(),
        "{:?}",
        evaluation.errors.first()
    );
    let by_hand = heihe_by_hand::Heihe::new(p);
    let county = p.kind_id("县区").unwrap();
    for u in 0..data.units.len() {
        let want =
            heihe_by_hand::half_up_2(&by_hand.score(&data.values(u), data.kind(u) == county));
        let unit = data.units.get(u).unwrap().id;
        assert_eq!(
            result_score(&evaluation, u).fixed(2),
            want,
            "unit {unit}: {:?}",
            data.values(u)
        );
    }
}

#[test]
fn heihe_2023_scores_the_examples_like_the_hand_written_scorer() {
    let p = compile("policies/heihe/2023.zb");
    let data = load(&p);
    assert_eq!(data.units.len(), 20);
    assert_scores_by_hand(&p, &data);
}

fn result_score(e: &zhibiao::eval::Evaluation, u: usize) -> Num {
    e.score(u).unwrap()
}

#[test]
fn heihe_2023_examples_cover_na_veto_and_bonus() {
    let p = compile("policies/heihe/2023.zb");
    let data = load(&p);
    let e = zhibiao::eval::evaluate(&p, &data);
    let index = |id: &str| data.units.iter().position(|u| u.id == id).unwrap();
    let unit = |id: &str| e.unit(index(id)).unwrap();
    // 市档案馆 has no service channel: rows 19–24 and row 8 do not apply.
    let archive = index("BM11");
    let row19 = p
        .nodes
        .iter()
        .position(|n| n.code.as_deref() == Some("19"))
        .unwrap();
    assert_eq!(
        e.record(archive).unwrap().node(row19).status,
        zhibiao::eval::Status::NotApplicable
    );
    assert_eq!(e.number(unit("BM11").max), Num::ONE_HUNDRED);
    // 逊克县 had a major security incident: vetoed to 0 and 不合格.
    let xunke = unit("HH05");
    assert_eq!(xunke.score, 0);
    assert_eq!(p.grades[xunke.grade.unwrap()].name, "不合格");
    // 爱辉区 earns the capped bonus; 市统计局's grade is capped at 合格.
    assert_eq!(e.number(unit("HH01").bonus), Num::from(3));
    assert_eq!(p.grades[unit("BM12").grade.unwrap()].name, "合格");
}

#[test]
fn generated_csv_reads_back_as_the_same_values() {
    let p = compile("policies/heihe/2023.zb");
    let data = generate::units(&p, 200, 11);
    let csv = generate::to_csv(&p, &data);
    let back = Dataset::from_csv(&p, "generated.csv", csv.as_bytes()).unwrap();
    assert_eq!(back.units, data.units);
    for u in 0..data.len() {
        assert_eq!(back.values(u), data.values(u), "unit {u}");
    }
}

#[test]
fn heihe_2023_scores_generated_units_like_the_hand_written_scorer() {
    let p = compile("policies/heihe/2023.zb");
    assert_scores_by_hand(&p, &generate::units(&p, 3000, 7));
}
