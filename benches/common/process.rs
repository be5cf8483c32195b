//! Timing a whole process as a user runs it: wall time, and peak resident
//! memory from `wait4` (shared by the benchmarks).

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

/// The fastest of a few runs, and the largest peak resident size (KiB);
/// standard output into `stdout` if given.
pub fn measure(n: usize, command: &Command, stdout: Option<&Path>) -> (Duration, u64) {
    measure_expecting(n, command, stdout, 0)
}

/// [`measure`], for a command that should exit with `expect`.
pub fn measure_expecting(
    n: usize,
    command: &Command,
    stdout: Option<&Path>,
    expect: i32,
) -> (Duration, u64) {
    let runs = if n >= 1_000_000 { 2 } else { 3 };
    let mut best = (Duration::MAX, 0);
    for _ in 0..runs {
        let (time, rss) = run_expecting(command, stdout, expect);
        best = (best.0.min(time), best.1.max(rss));
    }
    best
}

/// Runs each command `rounds` times, one after another in every round, so
/// that a slow spell of a shared machine falls on all of them alike; per
/// command, the fastest run and the largest peak resident size (KiB).
/// `stdout`: where each command's standard output goes, if anywhere.
pub fn interleaved(rounds: usize, commands: &[(Command, Option<&Path>)]) -> Vec<(Duration, u64)> {
    let mut best = vec![(Duration::MAX, 0); commands.len()];
    for _ in 0..rounds {
        for ((command, stdout), best) in commands.iter().zip(&mut best) {
            let (time, rss) = run_expecting(command, *stdout, 0);
            *best = (best.0.min(time), best.1.max(rss));
        }
    }
    best
}

/// Runs a command to its end: wall time and peak resident size (KiB).
fn run_expecting(command: &Command, stdout: Option<&Path>, expect: i32) -> (Duration, u64) {
    let mut c = Command::new(command.get_program());
    c.args(command.get_args());
    c.stderr(std::process::Stdio::null());
    match stdout {
        Some(path) => c.stdout(std::fs::File::create(path).unwrap()),
        None => c.stdout(std::process::Stdio::null()),
    };
    let start = Instant::now();
    #[allow(clippy::zombie_processes, reason = "waited for with wait4 below")]
    let child = c.spawn().unwrap();
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: `usage` is plain data the kernel fills in; `pid` is our child,
    // waited for here instead of through `Child::wait`.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let waited = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    let time = start.elapsed();
    let code = libc::WEXITSTATUS(status);
    assert!(
        waited == pid && libc::WIFEXITED(status) && code == expect,
        "{command:?} exited with {status}, not {expect}"
    );
    (time, u64::try_from(usage.ru_maxrss).unwrap_or(0))
}
