//! Timing and reporting shared by the benchmarks.

use std::time::Instant;

/// Units per second of one run of `f` over `n` units.
pub fn measure_once(n: usize, mut f: impl FnMut()) -> f64 {
    let start = Instant::now();
    f();
    n as f64 / start.elapsed().as_secs_f64()
}

/// One row of the results table (Markdown, as the README shows it).
pub fn row(n: usize, step: &str, rate: f64, hand: f64) {
    println!(
        "| {n} | {step} | {rate:.0} | {:.2}× | {} |",
        hand / rate,
        peak_rss_mib()
    );
}

/// The process's peak resident size, from /proc/self/status.
fn peak_rss_mib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        .map_or(0, |kb| kb / 1024)
}
