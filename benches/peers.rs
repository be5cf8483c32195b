//! Peer-relative rules at scale: a policy whose every item compares a unit
//! with others (the leader of its kind, its rank in its kind, the mean of all,
//! min-max within a region, a z-score), against a hand-written Rust function
//! that computes the same group statistics and scores over the same rows.
//!
//!     cargo bench --bench peers                # N = 1,000,000
//!     cargo bench --bench peers -- 10000       # other sizes
//!
//! Both sides compute the statistics from scratch in every run; the first
//! run checks that they agree on every unit's score.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

#[path = "common/mod.rs"]
mod common;
#[path = "../tests/common/generate.rs"]
#[allow(dead_code)]
mod generate;

use common::{measure_once, row};
use rust_decimal::{Decimal, MathematicalOps};
use std::collections::HashMap;
use std::hint::black_box;
use zhibiao::data::Dataset;
use zhibiao::eval::Evaluator;
use zhibiao::ir::{Policy, Value};

const POLICY: &str = r#"
policy "同类比较" {
  total 30
  precision 2 half_up
  kinds 县区, 部门
}
input 完成率: percent
input 访问量: count
input 片区: 东 | 西 | 南 | 北
category 比较 30 {
  item 与领先 6 score 完成率 / highest(完成率) within kind
  item 排名 6 points bands rank(完成率) within kind { [.., 2) => 6, [2, 3) => 4, [3, ..] => 2 }
  item 高于平均 6 score if 完成率 >= mean(完成率) then 1 else 0.5
  item 区内 6 score minmax(访问量) within 片区
  item 标准分 6 score clamp(0.5 + zscore(访问量) / 4, 0, 1)
}
"#;

fn main() {
    let sizes: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.replace('_', "").parse().ok())
        .collect();
    let sizes = if sizes.is_empty() {
        vec![1_000_000]
    } else {
        sizes
    };
    let source = zhibiao::source::SourceFile::new("peers.zb", POLICY);
    let policy = zhibiao::check::compile(&source).result.unwrap().policy;
    println!("| N | step | units/s | ratio to hand-written | peak RSS MiB |");
    println!("|---:|---|---:|---:|---:|");
    for n in sizes {
        run(&policy, n);
    }
}

fn run(policy: &Policy, n: usize) {
    let data = generate::units(policy, n, 7);
    let by_hand = by_hand(policy, &data);
    let evaluated = evaluator(policy, &data);
    assert_eq!(
        by_hand, evaluated,
        "the evaluator and the hand-written function disagree"
    );
    let (mut hand, mut eval) = (0.0f64, 0.0f64);
    for _ in 0..3 {
        hand = hand.max(measure_once(n, || {
            black_box(by_hand_sum(policy, &data));
        }));
        eval = eval.max(measure_once(n, || {
            drop(black_box(evaluator(policy, &data)))
        }));
    }
    row(n, "hand-written (statistics + scores)", hand, hand);
    row(n, "evaluator (prepare + streaming)", eval, hand);
}

fn evaluator(policy: &Policy, data: &Dataset) -> Vec<Decimal> {
    let mut e = Evaluator::new(policy);
    e.prepare(data);
    (0..data.units.len())
        .map(|u| e.score(data, u).unwrap())
        .collect()
}

fn by_hand_sum(policy: &Policy, data: &Dataset) -> Decimal {
    by_hand(policy, data).iter().sum()
}

fn number(v: &Value) -> Decimal {
    match v {
        Value::Number(d) => *d,
        _ => Decimal::ZERO,
    }
}

/// The same scores, written out by hand.
fn by_hand(policy: &Policy, data: &Dataset) -> Vec<Decimal> {
    let id = |name: &str| policy.inputs.iter().position(|i| i.name == name).unwrap();
    let (rate, visits, region) = (id("完成率"), id("访问量"), id("片区"));
    let n = data.units.len();
    let rates: Vec<Decimal> = (0..n).map(|u| number(&data.values(u)[rate])).collect();
    let counts: Vec<Decimal> = (0..n).map(|u| number(&data.values(u)[visits])).collect();
    let regions: Vec<u16> = (0..n)
        .map(|u| match data.values(u)[region] {
            Value::Choice(c) => c,
            _ => u16::MAX,
        })
        .collect();
    // Per kind: the leader and the sorted rates (for ranks).
    let mut by_kind: HashMap<usize, Vec<Decimal>> = HashMap::new();
    for (unit, rate) in data.units.iter().zip(&rates) {
        by_kind.entry(unit.kind).or_default().push(*rate);
    }
    by_kind.values_mut().for_each(|v| v.sort_unstable());
    let mean_rate = rates.iter().sum::<Decimal>() / Decimal::from(n);
    // Per region: lowest and highest visits.
    let mut range: HashMap<u16, (Decimal, Decimal)> = HashMap::new();
    for (region, count) in regions.iter().zip(&counts) {
        let e = range.entry(*region).or_insert((*count, *count));
        e.0 = e.0.min(*count);
        e.1 = e.1.max(*count);
    }
    let mean_visits = counts.iter().sum::<Decimal>() / Decimal::from(n);
    let variance = counts
        .iter()
        .map(|x| (x - mean_visits) * (x - mean_visits))
        .sum::<Decimal>()
        / Decimal::from(n);
    let sd = variance.sqrt().unwrap();
    let six = Decimal::from(6);
    let rate_of = |x: Decimal| x.clamp(Decimal::ZERO, Decimal::ONE) * six;
    (0..n)
        .map(|u| {
            let kind = &by_kind[&data.units[u].kind];
            let leader = *kind.last().unwrap();
            let lead = if leader.is_zero() {
                Decimal::ZERO
            } else {
                rate_of(rates[u] / leader)
            };
            let above = kind.len() - kind.partition_point(|v| *v <= rates[u]);
            let rank_points = match above + 1 {
                1 => six,
                2 => Decimal::from(4),
                _ => Decimal::TWO,
            };
            let mean = if rates[u] >= mean_rate {
                six
            } else {
                Decimal::from(3)
            };
            let (lo, hi) = range[&regions[u]];
            let minmax = if hi == lo {
                six
            } else {
                rate_of((counts[u] - lo) / (hi - lo))
            };
            let z = if sd.is_zero() {
                Decimal::ZERO
            } else {
                (counts[u] - mean_visits) / sd
            };
            let zscore = rate_of(Decimal::new(5, 1) + z / Decimal::from(4));
            let total = lead + rank_points + mean + minmax + zscore;
            zhibiao::eval::round(total, 2, zhibiao::syntax::ast::Rounding::HalfUp)
        })
        .collect()
}
