//! The provincial index (policies/province-index/index.zb) over 15 cities and
//! two years. The expected scores, ranks and tiers were computed by
//! examples/province-index/compute.py, an independent implementation in
//! Python (exact decimals), not by the evaluator; two of them checked by hand:
//!
//! - C12 富阳市 improved 网办率 from 67.9% to 70.6%: bonus 0.5 × 2.7 = 1.35;
//!   C01 东湖市 from 88.8% to 95.6%: 0.5 × 6.8 = 3.4, capped at 3.
//! - Tiers over 15 cities: top 20% → ranks 1–3, top 60% → ranks 4–9, then the rest.

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
    ("C01", "65.25", 1, "第一梯队"),
    ("C12", "57.29", 2, "第一梯队"),
    ("C02", "53.32", 3, "第一梯队"),
    ("C11", "51.92", 4, "第二梯队"),
    ("C07", "51.09", 5, "第二梯队"),
    ("C03", "50.54", 6, "第二梯队"),
    ("C05", "49.81", 7, "第二梯队"),
    ("C04", "48.99", 8, "第二梯队"),
    ("C08", "47.19", 9, "第二梯队"),
    ("C06", "45.83", 10, "第三梯队"),
    ("C15", "44.37", 11, "第三梯队"),
    ("C10", "43.76", 12, "第三梯队"),
    ("C14", "41.89", 13, "第三梯队"),
    ("C09", "39.45", 14, "第三梯队"),
    ("C13", "39.31", 15, "第三梯队"),
];

fn report() -> Report {
    let source = SourceFile::read(Path::new("policies/province-index/index.zb")).unwrap();
    let policy = zhibiao::check::compile(&source).result.unwrap().policy;
    let load = |year: &str| {
        Dataset::load(
            &policy,
            Path::new(&format!("examples/province-index/{year}.csv")),
        )
        .unwrap()
    };
    let (before, now) = (load("2023"), load("2024"));
    let last = zhibiao::eval::evaluate(&policy, &before);
    assert!(last.errors.is_empty(), "{:?}", last.errors);
    let e = zhibiao::eval::evaluate_after(&policy, &now, Some((&before, &last)));
    assert!(e.errors.is_empty(), "{:?}", e.errors);
    Report::new(&policy, &now, &e)
}

#[test]
fn the_index_matches_an_independent_computation() {
    let r = report();
    assert_eq!(r.units.len(), EXPECTED.len());
    for (id, score, rank, tier) in EXPECTED {
        let u = r.units.iter().find(|u| u.id == *id).unwrap();
        assert_eq!(u.score.unwrap().0.to_string(), *score, "{id} score");
        assert_eq!(u.rank, Some(*rank), "{id} rank");
        assert_eq!(u.tier.as_deref(), Some(*tier), "{id} tier");
    }
}

#[test]
fn the_bonus_reads_last_year() {
    let r = report();
    let bonus = |id: &str| {
        r.units
            .iter()
            .find(|u| u.id == id)
            .unwrap()
            .bonus
            .unwrap()
            .0
            .to_string()
    };
    assert_eq!(bonus("C12"), "1.35");
    assert_eq!(bonus("C01"), "3", "capped");
}
