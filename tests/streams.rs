//! Many units through the binary as users run it: the same bytes for any
//! number of threads, a reader that goes away early, and a progress bar on
//! a terminal only.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

#[path = "common/generate.rs"]
mod generate;

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use tempfile::TempDir;

const POLICY: &str = "policies/heihe/2023.zb";
/// The same policy with rules that compare units with each other.
const PEERS: &str = "benches/cli/peers.zb";

fn zhibiao() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_zhibiao"));
    c.env("NO_COLOR", "1");
    c
}

/// `n` generated 黑河 units in a CSV file of their own, in a directory
/// removed when the returned guard is dropped.
fn generated(name: &str, n: usize) -> (TempDir, PathBuf) {
    let dir = tempfile::Builder::new()
        .prefix(&format!("zhibiao-streams-{name}-"))
        .tempdir()
        .unwrap();
    let source = zhibiao::source::SourceFile::read(Path::new(POLICY)).unwrap();
    let policy = zhibiao::check::compile(&source).result.unwrap().policy;
    let data = generate::units(&policy, n, 5);
    let path = dir.path().join("units.csv");
    std::fs::write(&path, generate::to_csv(&policy, &data)).unwrap();
    (dir, path)
}

#[test]
fn output_is_the_same_for_any_number_of_threads() {
    // More units than one batch of reading (4096), one task of scoring (256)
    // and one slice of writing (512).
    let (_dir, data) = generated("jobs", 9_000);
    for policy in [POLICY, PEERS] {
        for format in ["csv", "json", "table"] {
            let run = |jobs: &str| {
                let o = zhibiao()
                    .args([
                        "eval",
                        policy,
                        "--root",
                        ".",
                        "--data",
                        data.to_str().unwrap(),
                    ])
                    .args(["--format", format, "--jobs", jobs])
                    .output()
                    .unwrap();
                assert_eq!(
                    o.status.code(),
                    Some(0),
                    "{}",
                    String::from_utf8_lossy(&o.stderr)
                );
                o.stdout
            };
            let one = run("1");
            assert!(
                one.len() > 9_000 * 50,
                "{policy} {format}: {} bytes",
                one.len()
            );
            for jobs in ["2", "3", "8"] {
                assert!(
                    run(jobs) == one,
                    "{policy} {format}: --jobs {jobs} differs from --jobs 1"
                );
            }
        }
    }
}

#[test]
fn a_closed_pipe_ends_quietly() {
    let (_dir, data) = generated("pipe", 20_000);
    for format in ["csv", "json", "table"] {
        // As `zhibiao eval … | head -c 100`: the reader goes away early.
        let mut child = zhibiao()
            .args([
                "eval",
                POLICY,
                "--data",
                data.to_str().unwrap(),
                "--format",
                format,
            ])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut first = [0u8; 100];
        child.stdout.take().unwrap().read_exact(&mut first).unwrap();
        let mut stderr = String::new();
        child
            .stderr
            .take()
            .unwrap()
            .read_to_string(&mut stderr)
            .unwrap();
        let status = child.wait().unwrap();
        // The status a shell gives a process ended by SIGPIPE: 128 + 13.
        assert_eq!(status.code(), Some(141), "{format}: {stderr}");
        assert!(stderr.is_empty(), "{format}: {stderr}");
    }
}

#[test]
fn no_progress_bar_in_a_pipe_or_a_file() {
    let (_dir, data) = generated("quiet", 60_000);
    let o = zhibiao()
        .args([
            "eval",
            POLICY,
            "--data",
            data.to_str().unwrap(),
            "--format",
            "csv",
        ])
        .env_remove("CI")
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0));
    assert!(
        o.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
}

#[test]
fn a_progress_bar_on_a_terminal() {
    // `script` runs the command on a pseudo-terminal and records what it
    // shows; the run takes longer than the moment after which a bar appears.
    let (_dir, data) = generated("terminal", 150_000);
    let out = data.with_file_name("results.csv");
    let command = format!(
        "{} eval {POLICY} --data {} --format csv --output {}",
        env!("CARGO_BIN_EXE_zhibiao"),
        data.display(),
        out.display()
    );
    let o = Command::new("script")
        .args(["-qec", &command, "/dev/null"])
        .env_remove("CI")
        .stdin(Stdio::null())
        .output()
        .expect("`script` (util-linux) runs a command on a terminal");
    let shown = String::from_utf8_lossy(&o.stdout);
    assert_eq!(o.status.code(), Some(0), "{shown}");
    assert!(
        ["reading", "scoring", "writing"]
            .iter()
            .any(|w| shown.contains(w)),
        "no progress bar on the terminal: {shown:?}"
    );
    assert!(out.exists());
}

/// Rows are read, typed and added to the dataset in batches that overlap;
/// problems in the first and the last batch are all reported, in row
/// order, whatever the number of threads, and nothing is written.
#[test]
fn bad_cells_in_several_batches_are_reported_in_row_order() {
    let (_dir, path) = generated("bad-batches", 9_000);
    let text = std::fs::read_to_string(&path).unwrap();
    let header = text.lines().next().unwrap();
    let column = header.split(',').position(|h| h == "统筹机制").unwrap();
    let bad_rows = [3, 4_200, 8_999];
    let lines: Vec<String> = text
        .lines()
        .enumerate()
        .map(|(i, line)| {
            // Line i is row i + 1.
            if !bad_rows.contains(&(i + 1)) {
                return line.to_string();
            }
            let mut cells: Vec<&str> = line.split(',').collect();
            cells[column] = "也许";
            cells.join(",")
        })
        .collect();
    std::fs::write(&path, lines.join("\n") + "\n").unwrap();
    for jobs in ["1", "2"] {
        let out = zhibiao()
            .args([
                "eval",
                POLICY,
                "--data",
                path.to_str().unwrap(),
                "--jobs",
                jobs,
            ])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(3), "--jobs {jobs}");
        assert!(
            out.stdout.is_empty(),
            "--jobs {jobs}: something was written"
        );
        let stderr = String::from_utf8(out.stderr).unwrap();
        let reported: Vec<usize> = stderr
            .lines()
            .filter_map(|l| l.split(", row ").nth(1))
            .filter_map(|rest| rest.split(',').next()?.parse().ok())
            .collect();
        assert_eq!(reported, bad_rows, "--jobs {jobs}:\n{stderr}");
    }
}
