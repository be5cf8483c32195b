//! What users run, timed whole: `zhibiao eval` of the 黑河 2023 policy from
//! a CSV of generated units to a results file (read, evaluate, rank, build,
//! write), beside two programs that compute the same results without
//! zhibiao — a hand-written Rust program (`heihe.rs`) and a pandas script
//! (`heihe.py`) — whose outputs are checked byte for byte against zhibiao's
//! on every unit. Each command runs as its own process; the table gives the
//! fastest of the runs and the process's peak resident memory.
//!
//!     cargo bench --bench cli                  # 10,000, 100,000 and 1,000,000 units
//!     cargo bench --bench cli -- 50000 200000  # other sizes
//!
//! The generated data lives in target/bench-data (made once per size).
//! pandas is used when `python3 -c "import pandas"` works.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

#[path = "../common/data.rs"]
mod data;
mod heihe;
#[path = "../common/process.rs"]
mod process;

use data::{POLICY, dataset, dir, s};
use process::measure;

use std::path::Path;
use std::process::Command;
use std::time::Duration;

const PEER_POLICY: &str = "benches/cli/peers.zb";

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    if let [flag, input, output] = args.as_slice()
        && flag == "--baseline"
    {
        heihe::run(input, output).unwrap();
        return;
    }
    let sizes: Vec<usize> = args
        .iter()
        .filter_map(|a| a.replace('_', "").parse().ok())
        .collect();
    let sizes = if sizes.is_empty() {
        vec![10_000, 100_000, 1_000_000]
    } else {
        sizes
    };
    let pandas = Command::new("python3")
        .args(["-c", "import pandas"])
        .status()
        .is_ok_and(|s| s.success());
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    println!("| units | command | time (s) | vs hand-written | peak RSS (MiB) |");
    println!("|---:|---|---:|---:|---:|");
    for n in sizes {
        let data = dataset(n);
        let out = |name: &str| dir().join(format!("out-{n}-{name}"));
        let hand = out("hand.csv");
        let hand_run = measure(n, &self_command(&["--baseline", s(&data), s(&hand)]), None);
        row(n, "hand-written Rust (1 core)", hand_run, hand_run);
        // `zhibiao eval … > FILE`, as the other two write their file.
        let zhibiao = |policy: &str, format: &str, jobs: usize| {
            let jobs = jobs.to_string();
            let mut c = Command::new(env!("CARGO_BIN_EXE_zhibiao"));
            c.args([
                "eval",
                policy,
                "--root",
                ".",
                "--data",
                s(&data),
                "--format",
                format,
            ]);
            c.args(["--jobs", &jobs]);
            c
        };
        let one = out("zhibiao-1.csv");
        let run = measure(n, &zhibiao(POLICY, "csv", 1), Some(&one));
        row(n, "zhibiao, CSV, 1 core", run, hand_run);
        same(&one, &hand, "the hand-written program");
        let all = out("zhibiao.csv");
        let label = format!("zhibiao, CSV, {cores} cores");
        let run = measure(n, &zhibiao(POLICY, "csv", cores), Some(&all));
        row(n, &label, run, hand_run);
        same(&all, &one, "zhibiao on one core");
        let mut durable = zhibiao(POLICY, "csv", cores);
        durable.args(["--output", s(&out("durable.csv"))]);
        let label = format!("zhibiao, CSV, {cores} cores, `--output` (synced, renamed)");
        row(n, &label, measure(n, &durable, None), hand_run);
        let label = format!("zhibiao, JSON, {cores} cores");
        let run = measure(
            n,
            &zhibiao(POLICY, "json", cores),
            Some(&out("zhibiao.json")),
        );
        row(n, &label, run, hand_run);
        let label = format!("zhibiao, table, {cores} cores");
        let run = measure(
            n,
            &zhibiao(POLICY, "table", cores),
            Some(&out("zhibiao.txt")),
        );
        row(n, &label, run, hand_run);
        if pandas {
            let py = out("pandas.csv");
            let mut c = Command::new("python3");
            c.args(["benches/cli/heihe.py", s(&data), s(&py)]);
            row(n, "pandas script (1 core)", measure(n, &c, None), hand_run);
            same(&py, &one, "the pandas script");
        }
        let label = format!("zhibiao, CSV, {cores} cores, with peer rules");
        let run = measure(
            n,
            &zhibiao(PEER_POLICY, "csv", cores),
            Some(&out("peers.csv")),
        );
        row(n, &label, run, hand_run);
        let written = ["hand.csv", "zhibiao-1.csv", "zhibiao.csv", "durable.csv"];
        let more = ["zhibiao.json", "zhibiao.txt", "pandas.csv", "peers.csv"];
        for name in written.iter().chain(&more) {
            let _ = std::fs::remove_file(out(name));
        }
    }
}

fn self_command(args: &[&str]) -> Command {
    let mut c = Command::new(std::env::current_exe().unwrap());
    c.args(args);
    c
}

fn row(n: usize, what: &str, (time, rss): (Duration, u64), (hand, _): (Duration, u64)) {
    println!(
        "| {n} | {what} | {:.2} | {:.2}× | {} |",
        time.as_secs_f64(),
        time.as_secs_f64() / hand.as_secs_f64(),
        rss / 1024
    );
}

/// Asserts that two result files are the same, byte for byte.
fn same(a: &Path, b: &Path, what: &str) {
    let (x, y) = (std::fs::read(a).unwrap(), std::fs::read(b).unwrap());
    if x != y {
        let (xs, ys) = (String::from_utf8_lossy(&x), String::from_utf8_lossy(&y));
        let line = xs.lines().zip(ys.lines()).position(|(p, q)| p != q);
        panic!("{} differs from {what} at line {line:?}", a.display());
    }
}
