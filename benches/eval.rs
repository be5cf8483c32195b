//! Evaluation throughput on the 黑河 2023 policy, against a hand-written Rust
//! function computing the same scores over the same in-memory rows (the
//! practical limit).
//!
//!     cargo bench --bench eval                 # N = 10,000 and 1,000,000
//!     cargo bench --bench eval -- 50000        # other sizes
//!
//! For each N it reports units per second (the best of several runs; the
//! hand-written function and the streaming evaluator are run alternately) for:
//! the hand-written function;
//! the evaluator streaming units (`Evaluator::score`, no results kept); the
//! whole `evaluate` (every node's result kept, graded and ranked); and CSV
//! parsing plus `evaluate`. Memory is the process's peak resident size after
//! each step, from /proc/self/status.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

#[path = "common/mod.rs"]
mod common;
#[path = "../tests/common/generate.rs"]
mod generate;
#[path = "../tests/common/heihe_by_hand.rs"]
mod heihe_by_hand;

use common::{measure_once, row};
use rust_decimal::Decimal;
use std::hint::black_box;
use std::path::Path;
use zhibiao::data::Dataset;
use zhibiao::eval::Evaluator;

fn main() {
    let sizes: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.replace('_', "").parse().ok())
        .collect();
    let sizes = if sizes.is_empty() {
        vec![10_000, 1_000_000]
    } else {
        sizes
    };
    let source = zhibiao::source::SourceFile::read(Path::new("policies/heihe/2023.zb")).unwrap();
    let policy = zhibiao::check::compile(&source).result.unwrap().policy;
    println!("| N | step | units/s | ratio to hand-written | peak RSS MiB |");
    println!("|---:|---|---:|---:|---:|");
    for n in sizes {
        run(&policy, n);
    }
}

fn run(policy: &zhibiao::ir::Policy, n: usize) {
    let data = generate::units(policy, n, 42);
    let county = policy.kind_id("县区").unwrap();
    let by_hand = heihe_by_hand::Heihe::new(policy);

    // The two are timed alternately, so both see the same machine.
    let mut evaluator = Evaluator::new(policy);
    let (mut hand, mut stream) = (0.0f64, 0.0f64);
    for _ in 0..if n > 100_000 { 3 } else { 9 } {
        hand = hand.max(measure_once(n, || {
            let mut sum = Decimal::ZERO;
            for u in 0..n {
                sum += by_hand.score(data.values(u), data.units[u].kind == county);
            }
            black_box(sum);
        }));
        stream = stream.max(measure_once(n, || {
            let mut sum = Decimal::ZERO;
            for u in 0..n {
                sum += evaluator.score(&data, u).unwrap();
            }
            black_box(sum);
        }));
    }
    row(n, "hand-written function", hand, hand);
    row(n, "evaluator, streaming", stream, hand);

    let whole = measure(n, || {
        black_box(zhibiao::eval::evaluate(policy, &data));
    });
    row(n, "evaluate (all results, ranks)", whole, hand);

    let csv = generate::to_csv(policy, &data);
    drop(data);
    let parsed = measure(n, || {
        let data = Dataset::from_csv(policy, "generated.csv", csv.as_bytes()).unwrap();
        black_box(zhibiao::eval::evaluate(policy, &data));
    });
    row(n, "CSV parsing + evaluate", parsed, hand);
}

/// Units per second of the best of a few runs (5, or 3 above 100,000 units).
fn measure(n: usize, mut f: impl FnMut()) -> f64 {
    let runs = if n > 100_000 { 3 } else { 5 };
    (0..runs)
        .map(|_| measure_once(n, &mut f))
        .fold(0.0, f64::max)
}
