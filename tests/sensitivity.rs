//! `zhibiao sensitivity`: the fast re-adding of scores agrees with the
//! evaluation, the estimators find what a constructed case makes them
//! find, and the command's outputs are reproducible.
//!
//! Expected outcome: every test passes.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;
#[path = "common/run.rs"]
mod run;

use common::EXAMPLES;
use run::{stderr, stdout, temp_dir, zhibiao};
use std::path::Path;
use zhibiao::data::Dataset;
use zhibiao::eval::{self, Evaluator};
use zhibiao::sensitivity::{self, Model, Setting, Work};
use zhibiao::source::SourceFile;

fn compile(path: &str, text: &str) -> zhibiao::ir::Policy {
    let compiled = zhibiao::check::compile(&SourceFile::new(path, text));
    match compiled.result {
        Ok(c) => c.policy,
        Err(d) => panic!("{path}: {d:?}"),
    }
}

/// With every weight as stated and the policy's own rules, adding up again
/// gives every unit's exact score (to f64), whichever nodes are added up
/// again: none, or all of them.
#[test]
fn the_nominal_setting_gives_every_score_of_every_shipped_policy() {
    for (path, data) in EXAMPLES {
        let policy = compile(path, &std::fs::read_to_string(path).unwrap());
        let data = Dataset::load(&policy, Path::new(data)).unwrap();
        let plan = eval::plan(&policy, &data, None);
        for all in [false, true] {
            let model = Model::new(&policy, &vec![all; policy.nodes.len()]);
            let (run, mut work) = (model.prepare(&Setting::nominal(&policy)), Work::default());
            let mut e = Evaluator::new(&plan);
            let mut checked = 0;
            for u in 0..data.len() {
                let Ok(outcome) = e.evaluate(u) else { continue };
                if outcome.not_scored {
                    continue;
                }
                let kind = data.kind(u);
                let slots = model.slots_of(e.nodes(), |id| policy.other_kinds_row(id, kind));
                let base = model.score(&slots, &run, &mut work);
                let want = outcome.base.to_f64();
                assert!(
                    (base - want).abs() < 1e-9 * want.abs().max(1.0),
                    "{path}, unit {}, all nodes again: {all}: {base} vs {want}",
                    data.units.get(u).map_or("?", |x| x.id)
                );
                checked += 1;
            }
            assert!(checked > 0, "{path}: no unit scored");
        }
    }
}

/// Three items: 甲 and 乙 differ between units, 丙 is the same for all.
/// Varying 丙's weight cannot change any rank (every unit's score moves
/// alike); varying 甲 and 乙 can. So 丙's indices are exactly 0, and the
/// weights of 甲 and 乙, the only choice that matters, explain everything.
/// (Ranked on the exact score: on the rounded one, 丙's weight could make or
/// break a tie at the hundredth.)
const THREE: &str = r#"
policy "三项" {
  total 100
  precision 2 half_up
  rank competition exact
}
input a, b, c: percent
item 甲 40  score a
item 乙 40  score b
item 丙 20  score c
uncertainty {
  samples 2000
  seed 11
  weights 甲, 乙 ± 50%
  weights 丙 ± 50%
}
"#;

fn three_data(units: usize) -> String {
    let mut csv = String::from("id,name,a,b,c\n");
    for i in 0..units {
        let (a, b) = ((i * 37) % 100, (i * 61 + 17) % 100);
        csv.push_str(&format!("U{i:02},单位{i},{a}%,{b}%,50%\n"));
    }
    csv
}

#[test]
fn a_weight_that_cannot_change_a_rank_has_no_effect() {
    let policy = compile("three.zb", THREE);
    let dir = temp_dir("sensitivity");
    let file = dir.join("three.csv");
    std::fs::write(&file, three_data(30)).unwrap();
    let data = Dataset::load(&policy, &file).unwrap();
    let nominal = eval::evaluate(&policy, &data);
    let a = sensitivity::analyse(&policy, &data, None, &nominal, 0).unwrap();
    assert_eq!(a.runs, 2000 * 4);
    let both = a.factors[0].1.expect("甲 and 乙 move ranks");
    let alone = a.factors[1].1.expect("the output varies");
    assert_eq!((alone.first, alone.total), (0.0, 0.0));
    assert!((both.first - 1.0).abs() < 0.1, "first-order {}", both.first);
    assert!((both.total - 1.0).abs() < 0.1, "total {}", both.total);
    assert!(both.first_interval.0 < 1.0 && both.first_interval.1 > 0.9);
    assert!(a.mean_shift > 0.0);
    // Ranks stay within the 30 units, and the published one is inside
    // every unit's run of ranks unless it never moved.
    for unit in a.units.iter().flatten() {
        assert!(1 <= unit.low && unit.low <= unit.median && unit.median <= unit.high);
        assert!(unit.high <= 30);
    }
}

/// Runs whose ranks would not fit in memory are refused before any is made.
#[test]
fn too_many_runs_are_refused() {
    let text = THREE.replace("samples 2000", "samples 10000000");
    let policy = compile("three.zb", &text);
    let dir = temp_dir("sensitivity-many");
    let file = dir.join("three.csv");
    std::fs::write(&file, three_data(100)).unwrap();
    let data = Dataset::load(&policy, &file).unwrap();
    let nominal = eval::evaluate(&policy, &data);
    let refused = sensitivity::analyse(&policy, &data, None, &nominal, 0).unwrap_err();
    assert!(refused.contains("give fewer samples"), "{refused}");
}

const FLAGSHIP: [&str; 4] = [
    "sensitivity",
    "policies/heihe/2023-sensitivity.zb",
    "--data",
    "examples/heihe/units.csv",
];

#[test]
fn the_same_analysis_for_any_number_of_threads() {
    let run = |jobs: &str| {
        let mut args = FLAGSHIP.to_vec();
        args.extend(["--format", "json", "--jobs", jobs]);
        let out = zhibiao(&args);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        stdout(&out)
    };
    let one = run("1");
    assert_eq!(one, run("2"));
    assert_eq!(one, run("3"));
    let json: serde_json::Value = serde_json::from_str(&one).unwrap();
    assert_eq!(json["seed"], 2023);
    assert_eq!(json["runs"], 1000 * 6);
    assert_eq!(json["factors"].as_array().unwrap().len(), 4);
    // Every unit of the data, with the rank `eval` gives it.
    let eval = stdout(&zhibiao(&[
        "eval",
        FLAGSHIP[1],
        "--data",
        FLAGSHIP[3],
        "--format",
        "json",
    ]));
    let eval: serde_json::Value = serde_json::from_str(&eval).unwrap();
    let units = json["units"].as_array().unwrap();
    assert_eq!(units.len(), eval["units"].as_array().unwrap().len());
    for u in units {
        let published = eval["units"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["id"] == u["unit"])
            .unwrap();
        assert_eq!(u["rank"], published["rank_in_kind"], "{}", u["unit"]);
        let p: f64 = u["grades"]
            .as_array()
            .unwrap()
            .iter()
            .map(|g| g[1].as_f64().unwrap())
            .sum();
        assert!(
            (p - 1.0).abs() < 0.01,
            "{}: grade chances add up to {p}",
            u["unit"]
        );
    }
}

#[test]
fn csv_and_table_name_every_unit() {
    let mut args = FLAGSHIP.to_vec();
    args.extend(["--format", "csv"]);
    let out = zhibiao(&args);
    assert!(out.status.success());
    let csv = stdout(&out);
    let mut lines = csv.lines();
    assert_eq!(
        lines.next().unwrap(),
        "unit,name,kind,rank,median_rank,rank_5,rank_95,mean_shift,p_优秀,p_良好,p_合格,p_不合格"
    );
    assert_eq!(lines.count(), 20);
    let said = stderr(&out);
    assert!(said.contains("seed 2023, 1000 base samples"), "{said}");
    let table = stdout(&zhibiao(&FLAGSHIP));
    assert!(table.contains("HH01 爱辉区"), "{table}");
    assert!(table.contains("剔除 安全保障"), "{table}");
}

/// `--samples` and `--seed` stand for the block's; the same seed gives the
/// same analysis, another seed another.
#[test]
fn samples_and_seed_from_the_command_line() {
    let run = |seed: &str| {
        let mut args = FLAGSHIP.to_vec();
        args.extend(["--format", "json", "--samples", "50", "--seed", seed]);
        let out = zhibiao(&args);
        assert!(out.status.success(), "{}", stderr(&out));
        assert!(stderr(&out).contains(&format!("seed {seed}, 50 base samples")));
        serde_json::from_str::<serde_json::Value>(&stdout(&out)).unwrap()
    };
    let (a, b) = (run("1"), run("2"));
    assert_eq!(a["runs"], 50 * 6);
    assert_eq!(a, run("1"));
    assert_ne!(a["factors"], b["factors"]);
    let mut args = FLAGSHIP.to_vec();
    args.extend(["--samples", "0"]);
    assert_eq!(zhibiao(&args).status.code(), Some(2));
}

#[test]
fn a_policy_without_uncertainty_is_refused() {
    let out = zhibiao(&[
        "sensitivity",
        "policies/heihe/2023.zb",
        "--data",
        "examples/heihe/units.csv",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("no uncertainty block"));
}

/// `normalise minmax | percentile` over the province's index (two years:
/// its progress bonus reads the year before). Each run scores with one or
/// the other, so a city's runs of ranks span exactly the two ranks it has
/// under the policy as written and under the policy rewritten by hand with
/// `percentile` for `minmax` (and `percentile(-x)` for `minmax_lower(x)`).
#[test]
fn a_normalisation_chosen_between_two_gives_the_ranks_of_either() {
    let path = "policies/province-index/index.zb";
    let text = std::fs::read_to_string(path).unwrap();
    let varied = format!(
        "{text}\nuncertainty {{\n  samples 200\n  seed 3\n  normalise minmax | percentile\n}}\n"
    );
    let rewritten = text
        .replace("minmax_lower(", "percentile(-")
        .replace("minmax(", "percentile(");
    assert_ne!(rewritten, text);
    let load = |policy: &zhibiao::ir::Policy, year: &str| {
        let file = format!("examples/province-index/{year}.csv");
        Dataset::load(policy, Path::new(&file)).unwrap()
    };
    let ranks = |text: &str| {
        let policy = compile(path, text);
        let (before, now) = (load(&policy, "2023"), load(&policy, "2024"));
        let last = eval::evaluate(&policy, &before);
        let e = eval::evaluate_after(&policy, &now, Some((&before, &last)));
        assert!(e.errors.is_empty(), "{:?}", e.errors);
        let ranks: Vec<Option<u32>> = (0..now.len())
            .map(|u| e.unit(u).unwrap().rank.map(|r| r as u32))
            .collect();
        let analysis = sensitivity::analyse(&policy, &now, Some((&before, &last)), &e, 0);
        (ranks, analysis)
    };
    let (written, analysis) = ranks(&varied);
    let (percentile, _) = ranks(&rewritten);
    let analysis = analysis.unwrap();
    assert_eq!(analysis.runs, 200 * 3);
    let mut moved = 0;
    for ((unit, a), b) in analysis.units.iter().zip(&written).zip(&percentile) {
        let (Some(unit), Some(a), Some(b)) = (unit, a, b) else {
            assert!(
                unit.is_none() && a.is_none(),
                "{unit:?}: ranked in one, not the other"
            );
            continue;
        };
        assert_eq!(unit.rank, *a);
        assert_eq!((unit.low, unit.high), (*a.min(b), *a.max(b)), "{unit:?}");
        assert!(unit.median == *a || unit.median == *b);
        moved += usize::from(a != b);
    }
    assert!(moved > 0, "the two normalisations rank every city alike");
}

/// An uncertainty block printed (in either language) reads back as the
/// same choices.
#[test]
fn every_form_of_uncertainty_prints_and_reads_back() {
    use zhibiao::syntax::print::{self, Keywords};
    let path = "tests/cases/check/uncertainty.zb";
    let text = std::fs::read_to_string(path).unwrap();
    let policy = compile(path, &text);
    let stated = policy.uncertainty.clone().unwrap();
    assert_eq!(
        (stated.samples, stated.seed, stated.factors.len()),
        (50, 9, 6)
    );
    for lang in [Keywords::English, Keywords::Chinese] {
        let printed = print::file(&zhibiao::syntax::parse(&text).0, lang);
        let again = compile(path, &printed).uncertainty.unwrap();
        let kinds = |u: &zhibiao::ir::Uncertainty| -> Vec<zhibiao::ir::FactorKind> {
            u.factors.iter().map(|f| f.kind.clone()).collect()
        };
        assert_eq!(kinds(&again), kinds(&stated), "{printed}");
    }
}
