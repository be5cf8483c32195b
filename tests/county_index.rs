//! The county index (policies/county-index/index.zb): screening, an input
//! divided by another, outlier treatment, min-max normalisation and missing
//! data re-weighted, in one policy. The expected scores, ranks and tiers were
//! computed by examples/county-index/compute.py, an independent
//! implementation in Python (exact fractions), not by the evaluator; checked
//! by hand:
//!
//! - X19 万荣县 has 3 of its 6 inputs (50% < 80%): screened out, not ranked.
//! - 开放数据集 of the 19 others has two outliers (640, 310): skewness 3.9 and
//!   kurtosis 14 are outside, so 640 and then 310 are winsorised to 83, the
//!   next value in; then the group is within bounds.
//! - X07 高台县 has no 网办率: 数据开放 takes the 40 points of 数字服务.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::Path;
use zhibiao::data::Dataset;
use zhibiao::report::Report;
use zhibiao::source::SourceFile;

/// (id, score, rank, tier), from compute.py.
const EXPECTED: &[(&str, &str, usize, &str)] = &[
    ("X10", "72.32", 1, "领先"),
    ("X08", "62.21", 2, "领先"),
    ("X16", "60.57", 3, "领先"),
    ("X17", "58.74", 4, "领先"),
    ("X11", "54.59", 5, "追赶"),
    ("X14", "53.27", 6, "追赶"),
    ("X05", "52.59", 7, "追赶"),
    ("X02", "52.12", 8, "追赶"),
    ("X13", "50.74", 9, "追赶"),
    ("X04", "47.12", 10, "追赶"),
    ("X01", "46.59", 11, "追赶"),
    ("X06", "42.70", 12, "追赶"),
    ("X18", "42.20", 13, "追赶"),
    ("X09", "39.63", 14, "追赶"),
    ("X15", "34.51", 15, "起步"),
    ("X12", "33.55", 16, "起步"),
    ("X07", "33.10", 17, "起步"),
    ("X03", "32.98", 18, "起步"),
    ("X20", "32.77", 19, "起步"),
];

fn evaluated() -> (zhibiao::ir::Policy, Dataset, zhibiao::eval::Evaluation) {
    let source = SourceFile::read(Path::new("policies/county-index/index.zb")).unwrap();
    let policy = zhibiao::check::compile(&source).result.unwrap().policy;
    let data = Dataset::load(&policy, Path::new("examples/county-index/units.csv")).unwrap();
    let e = zhibiao::eval::evaluate(&policy, &data);
    assert!(e.errors.is_empty(), "{:?}", e.errors);
    (policy, data, e)
}

#[test]
fn the_index_matches_an_independent_computation() {
    let (policy, data, e) = evaluated();
    let report = Report::new(&policy, &data, &e);
    for (id, score, rank, tier) in EXPECTED {
        let unit = report.units.iter().find(|u| u.id == *id).unwrap();
        let got = unit.score.as_ref().map(|s| s.0);
        assert_eq!(got, zhibiao::num::Num::parse(score), "{id}: score");
        assert_eq!(unit.rank, Some(*rank), "{id}: rank");
        assert_eq!(unit.tier.as_deref(), Some(*tier), "{id}: tier");
    }
    assert_eq!(report.units.len(), EXPECTED.len() + 1);
}

#[test]
fn a_unit_with_too_little_data_is_screened_out_with_its_reason() {
    let (policy, data, e) = evaluated();
    let report = Report::new(&policy, &data, &e);
    let x19 = report.units.iter().find(|u| u.id == "X19").unwrap();
    assert!(x19.score.is_none() && x19.rank.is_none());
    let reasons: Vec<&str> = x19.vetoes.iter().map(|v| v.name.as_str()).collect();
    assert_eq!(reasons, ["数据不足"]);
}

#[test]
fn the_outliers_treated_are_reported() {
    let (policy, data, e) = evaluated();
    let [treated] = e.treated.as_slice() else {
        panic!("{:?}", e.treated);
    };
    let ids: Vec<&str> = treated
        .units
        .iter()
        .map(|u| data.units.get(*u).unwrap().id)
        .collect();
    assert_eq!(ids, ["X05", "X10"]);
    let cap = zhibiao::num::Num::from(83);
    let want = zhibiao::eval::treat::Treatment::Winsorised {
        low: zhibiao::num::Num::from(21),
        high: cap,
    };
    assert_eq!(treated.treatment, want);
    assert_eq!(
        policy.peers[treated.peer].param,
        Some(zhibiao::num::Num::from(5))
    );
}
