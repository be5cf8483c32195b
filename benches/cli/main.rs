//! What users run, timed whole: `zhibiao eval` of the 黑河 2023 policy from
//! a CSV of generated units to a results file (read, evaluate, rank, build,
//! write), beside two programs that compute the same results without
//! zhibiao — a hand-written Rust program (`heihe.rs`) and a pandas script
//! (`heihe.py`) — whose outputs are checked byte for byte against zhibiao's
//! on every unit. Each command runs as its own process, the commands in
//! turn, round after round (5 rounds, 3 at a million units), so that a slow
//! spell of the machine falls on all of them alike; the table gives each
//! command's fastest run and its largest peak resident memory.
//!
//!     cargo bench --bench cli                  # 10,000, 100,000 and 1,000,000 units
//!     cargo bench --bench cli -- 50000 200000  # other sizes
//!
//! The generated data lives in target/bench-data (made once per size, by a
//! process of its own) and outputs are compared a line at a time: a command
//! started by this process counts this process's own peak memory in its
//! peak (Linux carries it over through `exec`), so this one stays small.
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
#[allow(dead_code)]
mod process;

use data::{POLICY, dataset, dir, s};
use process::interleaved;

use std::io::{BufRead, BufReader};
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
    if let [flag, n] = args.as_slice()
        && flag == "--generate"
    {
        dataset(n.parse().unwrap());
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
    if !pandas {
        eprintln!(
            "pandas is not installed: the table has no pandas row (`pip install pandas` for it)"
        );
    }
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    println!("| units | command | time (s) | vs hand-written | peak RSS (MiB) |");
    println!("|---:|---|---:|---:|---:|");
    for n in sizes {
        let data = generated(n);
        let out = |name: &str| dir().join(format!("out-{n}-{name}"));
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
        let (hand, one, all) = (out("hand.csv"), out("zhibiao-1.csv"), out("zhibiao.csv"));
        let (json, table) = (out("zhibiao.json"), out("zhibiao.txt"));
        let (py, peers, durable) = (out("pandas.csv"), out("peers.csv"), out("durable.csv"));
        let mut durable_run = zhibiao(POLICY, "csv", cores);
        durable_run.args(["--output", s(&durable)]);
        let mut python = Command::new("python3");
        python.args(["benches/cli/heihe.py", s(&data), s(&py)]);
        let baseline = self_command(&["--baseline", s(&data), s(&hand)]);
        let mut commands: Vec<(String, Command, Option<&Path>)> = vec![
            ("hand-written Rust (1 core)".into(), baseline, None),
            (
                "zhibiao, CSV, 1 core".into(),
                zhibiao(POLICY, "csv", 1),
                Some(&one),
            ),
            (
                format!("zhibiao, CSV, {cores} cores"),
                zhibiao(POLICY, "csv", cores),
                Some(&all),
            ),
            (
                format!("zhibiao, CSV, {cores} cores, `--output` (synced, renamed)"),
                durable_run,
                None,
            ),
            (
                format!("zhibiao, JSON, {cores} cores"),
                zhibiao(POLICY, "json", cores),
                Some(&json),
            ),
            (
                format!("zhibiao, table, {cores} cores"),
                zhibiao(POLICY, "table", cores),
                Some(&table),
            ),
        ];
        if pandas {
            commands.push(("pandas script (1 core)".into(), python, None));
        }
        commands.push((
            format!("zhibiao, CSV, {cores} cores, with peer rules"),
            zhibiao(PEER_POLICY, "csv", cores),
            Some(&peers),
        ));
        let rounds = if n >= 1_000_000 { 3 } else { 5 };
        let (labels, runs): (Vec<String>, Vec<(Command, Option<&Path>)>) =
            commands.into_iter().map(|(l, c, o)| (l, (c, o))).unzip();
        let best = interleaved(rounds, &runs);
        let hand_run = best.first().copied().unwrap_or((Duration::MAX, 0));
        for (label, run) in labels.iter().zip(&best) {
            row(n, label, *run, hand_run);
        }
        same(&one, &hand, "the hand-written program");
        same(&all, &one, "zhibiao on one core");
        same(&durable, &one, "zhibiao on one core");
        if pandas {
            same(&py, &one, "the pandas script");
        }
        for path in [&hand, &one, &all, &durable, &json, &table, &py, &peers] {
            let _ = std::fs::remove_file(path);
        }
    }
}

/// The data of `n` units, generated by another process (see the module
/// documentation).
fn generated(n: usize) -> std::path::PathBuf {
    let made = self_command(&["--generate", &n.to_string()]).status();
    assert!(
        made.is_ok_and(|s| s.success()),
        "generating {n} units failed"
    );
    dataset(n)
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

/// Asserts that two result files are the same, byte for byte, reading a
/// line of each at a time.
fn same(a: &Path, b: &Path, what: &str) {
    let open = |p: &Path| BufReader::new(std::fs::File::open(p).unwrap());
    let (mut x, mut y) = (open(a), open(b));
    let (mut p, mut q) = (Vec::new(), Vec::new());
    for line in 1.. {
        p.clear();
        q.clear();
        let (m, n) = (
            x.read_until(b'\n', &mut p).unwrap(),
            y.read_until(b'\n', &mut q).unwrap(),
        );
        assert!(p == q, "{} differs from {what} at line {line}", a.display());
        if m == 0 && n == 0 {
            return;
        }
    }
}
