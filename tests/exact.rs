//! Every shipped policy scores ≥ 100,000 generated units exactly as an
//! independent exact evaluator (`common/reference/`: recursion over the
//! tree with big rationals) does: the rounded score, maximum, base, bonus
//! and deductions, grade, ranks and tier of every unit, and the same units not
//! scored. `ZHIBIAO_EXACT_UNITS` sets another number of units.
//!
//! Policies that read the previous period are scored after a generated
//! previous period of the same units.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    dead_code
)]

#[path = "common/generate.rs"]
mod generate;
#[path = "common/reference/mod.rs"]
mod reference;

use num_bigint::BigInt;
use reference::{Q, Reference};
use std::path::{Path, PathBuf};
use zhibiao::data::Dataset;
use zhibiao::eval::Evaluation;
use zhibiao::ir::Policy;
use zhibiao::source::SourceFile;

fn units() -> usize {
    std::env::var("ZHIBIAO_EXACT_UNITS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(100_000)
}

/// Policies the reference below does not cover, each checked otherwise.
const NOT_COVERED: &[(&str, &str)] = &[(
    "policies/county-index/index.zb",
    "screening, `per`, `treat` and `missing reweight`: tests/county_index.rs checks it against an independent computation (examples/county-index/compute.py)",
)];

fn shipped() -> Vec<PathBuf> {
    let mut found = Vec::new();
    for dir in std::fs::read_dir("policies").unwrap() {
        for f in std::fs::read_dir(dir.unwrap().path()).unwrap() {
            let p = f.unwrap().path();
            let name = p.to_string_lossy().to_string();
            let covered = !NOT_COVERED.iter().any(|(n, _)| Path::new(n) == p);
            if name.ends_with(".zb") && !name.ends_with(".test.zb") && covered {
                found.push(p);
            }
        }
    }
    found.sort();
    found
}

fn compile(path: &Path) -> Policy {
    let source = SourceFile::read(path).unwrap();
    zhibiao::check::compile(&source).result.unwrap().policy
}

fn q(n: zhibiao::num::Num) -> Q {
    Q::new(BigInt::from(n.numerator()), BigInt::from(n.denominator()))
}

/// Asserts that zhibiao and the reference agree on every unit.
fn agree(
    path: &Path,
    policy: &Policy,
    data: &Dataset,
    e: &Evaluation,
    r: &[Option<reference::Scored>],
) {
    let mut scored = 0;
    for (u, want) in r.iter().enumerate() {
        let got = e.unit(u);
        let id = data.units.get(u).unwrap().id;
        let (Some(got), Some(want)) = (got, want) else {
            assert_eq!(
                got.is_some(),
                want.is_some(),
                "{}: unit {id}: scored?",
                path.display()
            );
            continue;
        };
        scored += 1;
        let n = |k: i64| q(e.number(k));
        let shown = (
            n(got.score),
            n(got.max),
            n(got.base),
            n(got.bonus),
            n(got.deductions),
        );
        let expected = (
            want.score.clone(),
            want.max.clone(),
            want.base.clone(),
            want.bonus.clone(),
            want.deductions.clone(),
        );
        assert_eq!(shown, expected, "{}: unit {id}", path.display());
        assert_eq!(
            got.grade,
            want.grade,
            "{}: unit {id}: grade",
            path.display()
        );
        assert_eq!(got.rank, want.rank, "{}: unit {id}: rank", path.display());
        assert_eq!(
            got.rank_in_kind,
            want.rank_in_kind,
            "{}: unit {id}",
            path.display()
        );
        assert_eq!(got.tier, want.tier, "{}: unit {id}: tier", path.display());
    }
    // Nearly every generated unit is scored, so the comparison means something.
    assert!(
        scored * 10 >= r.len() * 9,
        "{}: only {scored} units scored",
        path.display()
    );
    let _ = policy;
}

#[test]
fn every_shipped_policy_scores_generated_units_exactly() {
    let n = units();
    let policies = shipped();
    assert!(policies.len() >= 7, "{policies:?}");
    for path in policies {
        let policy = compile(&path);
        let data = generate::units(&policy, n, 2026);
        let reads_previous = policy
            .nodes
            .iter()
            .filter_map(|x| x.rule.as_ref().map(|r| &r.expr))
            .chain(
                policy
                    .parts
                    .iter()
                    .flat_map(|p| p.items.iter().map(|i| &i.rule.expr)),
            )
            .any(|e| e.reads_previous(&policy.lets))
            || policy.parts.iter().flat_map(|p| &p.items).any(|i| {
                i.when
                    .as_ref()
                    .is_some_and(|w| w.reads_previous(&policy.lets))
            });
        if reads_previous {
            let before = generate::units(&policy, n, 2025);
            let (eb, rb) = (
                zhibiao::eval::evaluate(&policy, &before),
                Reference::evaluate(&policy, &before, None),
            );
            agree(&path, &policy, &before, &eb, &rb);
            let e = zhibiao::eval::evaluate_after(&policy, &data, Some((&before, &eb)));
            let r = Reference::evaluate(&policy, &data, Some((&before, &rb)));
            agree(&path, &policy, &data, &e, &r);
        } else {
            let e = zhibiao::eval::evaluate(&policy, &data);
            agree(
                &path,
                &policy,
                &data,
                &e,
                &Reference::evaluate(&policy, &data, None),
            );
        }
    }
}

/// The records kept when the outputs read only node scores (CSV, the
/// table) hold every unit's summary, node scores and statuses as the full
/// records do, in fewer bytes.
#[test]
fn records_without_maxima_keep_the_same_scores() {
    for path in shipped() {
        let policy = compile(&path);
        let data = generate::units(&policy, 3_000, 7);
        let run = |scores_only| {
            let options = zhibiao::eval::Options {
                scores_only,
                ..Default::default()
            };
            zhibiao::eval::evaluate_with(&policy, &data, None, options)
        };
        let (full, lean) = (run(false), run(true));
        let shown = path.display();
        assert!(full.layout.has_maxima() && !lean.layout.has_maxima());
        assert!(lean.layout.size() < full.layout.size(), "{shown}");
        assert_eq!(full.units, lean.units, "{shown}");
        let mut compared = 0;
        for u in 0..data.len() {
            let (Some(f), Some(l)) = (full.record(u), lean.record(u)) else {
                assert_eq!(full.record(u).is_some(), lean.record(u).is_some());
                continue;
            };
            for id in 0..policy.nodes.len() {
                assert_eq!(f.score(id), l.score(id), "{shown}: unit {u}, node {id}");
                assert_eq!(f.status(id), l.status(id), "{shown}: unit {u}, node {id}");
            }
            for (p, part) in policy.parts.iter().enumerate() {
                assert_eq!(f.part_points(p), l.part_points(p), "{shown}: unit {u}");
                for i in 0..part.items.len() {
                    assert_eq!(f.item(p, i), l.item(p, i), "{shown}: unit {u}");
                }
            }
            assert!(l.vetoes().eq(f.vetoes()), "{shown}: unit {u}");
            compared += 1;
        }
        assert!(compared * 2 >= data.len(), "{shown}: {compared} units");
    }
}
