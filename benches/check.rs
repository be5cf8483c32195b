//! `zhibiao check` of large and hostile policies, timed whole: 100,000
//! items, 100,000 inputs (each a warning: never used), a sum of 100,000
//! terms and 100,000 nested parentheses (each refused as too deep), beside
//! the 黑河 policy as published. Checking is linear in the size of the
//! policy and in the number of diagnostics.
//!
//!     cargo bench --bench check

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

#[path = "common/process.rs"]
#[allow(dead_code)]
mod process;

use std::path::PathBuf;
use std::process::Command;

const HEADER: &str = "policy \"大\" {\n  total 100000\n  precision 2 half_up\n}\n";

fn policies() -> Vec<(&'static str, String, i32)> {
    let items: String = (0..100_000)
        .map(|i| format!("  item 项{i} 1 points min(1, 甲 / {})\n", i + 1))
        .collect();
    let inputs: String = (0..100_000)
        .map(|i| format!("input 数{i}: count\n"))
        .collect();
    let one = "category 类 100000 {\n  item 项 100000 points min(100000, 甲)\n}\n";
    let rule = |r: String| {
        format!("{HEADER}input 甲: count\ncategory 类 100000 {{\n  item 项 100000 points {r}\n}}\n")
    };
    vec![
        (
            "100,000 items",
            format!("{HEADER}input 甲: count\ncategory 类 100000 {{\n{items}}}\n"),
            0,
        ),
        (
            "100,000 inputs (100,000 warnings)",
            format!("{HEADER}input 甲: count\n{inputs}{one}"),
            0,
        ),
        (
            "a sum of 100,000 terms",
            rule(vec!["甲"; 100_000].join(" + ")),
            1,
        ),
        (
            "100,000 nested parentheses",
            rule(format!("{}甲{}", "(".repeat(100_000), ")".repeat(100_000))),
            1,
        ),
    ]
}

fn main() {
    let dir = PathBuf::from("target/bench-data");
    std::fs::create_dir_all(&dir).unwrap();
    println!("| policy | size (MB) | time (s) | peak RSS (MiB) |");
    println!("|---|---:|---:|---:|");
    let heihe = (
        "黑河 2023 (published)",
        PathBuf::from("policies/heihe/2023.zb"),
        0,
    );
    let generated = policies()
        .into_iter()
        .enumerate()
        .map(|(i, (what, text, code))| {
            let path = dir.join(format!("check-{i}.zb"));
            std::fs::write(&path, text).unwrap();
            (what, path, code)
        });
    for (what, path, code) in std::iter::once(heihe).chain(generated) {
        let mut c = Command::new(env!("CARGO_BIN_EXE_zhibiao"));
        c.args(["check", "--error-format", "json", path.to_str().unwrap()]);
        let best = process::measure_expecting(1, &c, None, code);
        let size = std::fs::metadata(&path).unwrap().len() as f64 / 1e6;
        println!(
            "| {what} | {size:.1} | {:.2} | {} |",
            best.0.as_secs_f64(),
            best.1 / 1024
        );
    }
}
