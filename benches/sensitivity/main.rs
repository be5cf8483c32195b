//! `zhibiao sensitivity` timed whole, as users run it: 10,000 runs over
//! 3,000 generated units of 黑河 2023, beside (a) re-running the full
//! evaluation once per run and (b) the same analysis written with numpy
//! (`ranks.py`, vectorised), whose per-unit rank summaries are checked
//! against zhibiao's within Monte Carlo error (the two draw with different
//! generators). Each command is its own process; the table gives the
//! fastest of three runs and the largest peak resident memory.
//!
//!     cargo bench --bench sensitivity           # 3,000 units
//!     cargo bench --bench sensitivity -- 140000 # other sizes (numpy up to 20,000)

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

#[path = "../common/data.rs"]
mod data;
#[path = "../common/process.rs"]
#[allow(dead_code)]
mod process;

use data::{POLICY, dataset, dir, s};
use process::measure;
use std::collections::HashMap;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

const WEIGHTS: &str = "benches/sensitivity/weights.zb";
const EVERY: &str = "benches/sensitivity/every.zb";
/// Base samples and choices of `weights.zb`: 2,500 × (2 + 2) runs.
const SAMPLES: usize = 2500;
const RUNS: usize = 10_000;

fn main() {
    let sizes: Vec<usize> = (std::env::args().skip(1))
        .filter_map(|a| a.replace('_', "").parse().ok())
        .collect();
    let sizes = if sizes.is_empty() { vec![3000] } else { sizes };
    let numpy = Command::new("python3")
        .args(["-c", "import numpy"])
        .status()
        .is_ok_and(|s| s.success());
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    println!("| units | runs | command | time (s) | vs zhibiao | peak RSS (MiB) |");
    println!("|---:|---:|---|---:|---:|---:|");
    for n in sizes {
        let data = dataset(n);
        let out = |name: &str| dir().join(format!("sensitivity-{n}-{name}"));
        let zhibiao = |policy: &str, jobs: usize| {
            let mut c = Command::new(env!("CARGO_BIN_EXE_zhibiao"));
            c.args(["sensitivity", policy, "--root", ".", "--data", s(&data)]);
            c.args(["--format", "csv", "--jobs", &jobs.to_string()]);
            c
        };
        let ours = out("zhibiao.csv");
        let best = measure(n, &zhibiao(WEIGHTS, cores), Some(&ours));
        let label = format!("zhibiao sensitivity, {cores} cores");
        row(n, &label, best, best);
        let one = out("zhibiao-1.csv");
        row(
            n,
            "zhibiao sensitivity, 1 core",
            measure(n, &zhibiao(WEIGHTS, 1), Some(&one)),
            best,
        );
        assert_eq!(std::fs::read(&one).unwrap(), std::fs::read(&ours).unwrap());
        let label = format!("zhibiao, every kind of choice (N/A rule, mean too), {cores} cores");
        row(n, &label, measure(n, &zhibiao(EVERY, cores), None), best);
        let mut more = zhibiao(WEIGHTS, cores);
        more.args(["--samples", "10000"]);
        let label = format!("zhibiao, 10,000 base samples (40,000 runs), {cores} cores");
        row_of(n, 40_000, &label, measure(n, &more, None), best);
        rerun(n, &data, best);
        // numpy holds every run's scores at once: 10,000 × units × 8 bytes, several times over.
        if numpy && n <= 20_000 {
            let evaluation = out("eval.json");
            let mut eval = Command::new(env!("CARGO_BIN_EXE_zhibiao"));
            eval.args(["eval", POLICY, "--data", s(&data), "--format", "json"]);
            eval.args(["--output", s(&evaluation)]);
            assert!(eval.status().unwrap().success());
            let theirs = out("numpy.csv");
            let mut c = Command::new("python3");
            c.args(["benches/sensitivity/ranks.py", s(&evaluation)]);
            c.args([&SAMPLES.to_string(), "7", "90,80,60", s(&theirs)]);
            row(n, "numpy, vectorised (1 core)", measure(n, &c, None), best);
            agree(&ours, &theirs);
        }
    }
}

/// (a) The full evaluation of the units (in the process, without reading
/// or writing), timed over a few runs and counted once per run.
fn rerun(n: usize, data: &Path, best: (Duration, u64)) {
    let policy = data::compile(POLICY);
    let data = zhibiao::data::Dataset::load(&policy, data).unwrap();
    let tries = 20;
    let start = Instant::now();
    for _ in 0..tries {
        let e = zhibiao::eval::evaluate(&policy, &data);
        assert!(e.errors.is_empty());
    }
    let each = start.elapsed() / tries;
    let label = format!(
        "re-running the evaluation per run ({} ms each, × {RUNS})",
        each.as_millis()
    );
    row(n, &label, (each * RUNS as u32, 0), best);
}

/// zhibiao's and numpy's per-unit summaries agree within Monte Carlo
/// error: the median ranks within 2 or a tenth of the 5–95% interval for
/// 99% of units, and the mean shifts within 5% overall.
fn agree(ours: &Path, theirs: &Path) {
    let read = |p: &Path, cols: [usize; 5]| -> HashMap<String, [f64; 4]> {
        let text = std::fs::read_to_string(p).unwrap();
        (text.lines().skip(1))
            .map(|l| {
                let f: Vec<&str> = l.split(',').collect();
                let x = |i: usize| f[cols[i]].parse::<f64>().unwrap();
                (f[cols[0]].to_string(), [x(1), x(2), x(3), x(4)])
            })
            .collect()
    };
    // (unit, median, 5%, 95%, shift) columns of each.
    let ours = read(ours, [0, 4, 5, 6, 7]);
    let theirs = read(theirs, [0, 2, 3, 4, 5]);
    assert_eq!(ours.len(), theirs.len());
    let close = (ours.iter())
        .filter(|(u, a)| {
            let b = theirs[*u];
            (a[0] - b[0]).abs() <= 2f64.max(0.1 * (a[2] - a[1]))
        })
        .count();
    assert!(
        close * 100 >= ours.len() * 99,
        "{close} of {} medians agree",
        ours.len()
    );
    let shift = |m: &HashMap<String, [f64; 4]>| m.values().map(|v| v[3]).sum::<f64>();
    let (a, b) = (shift(&ours), shift(&theirs));
    assert!((a - b).abs() <= 0.05 * a, "mean shifts {a} and {b}");
}

fn row(n: usize, what: &str, run: (Duration, u64), ours: (Duration, u64)) {
    row_of(n, RUNS, what, run, ours);
}

fn row_of(
    n: usize,
    runs: usize,
    what: &str,
    (time, rss): (Duration, u64),
    (ours, _): (Duration, u64),
) {
    let memory = if rss == 0 {
        "—".to_string()
    } else {
        (rss / 1024).to_string()
    };
    println!(
        "| {n} | {runs} | {what} | {:.2} | {:.1}× | {memory} |",
        time.as_secs_f64(),
        time.as_secs_f64() / ours.as_secs_f64(),
    );
}
