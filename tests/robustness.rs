//! No input makes the parser or the checker panic: every shipped policy and
//! every case, cut at every character boundary, and with each line removed.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::{Path, PathBuf};
use zhibiao::source::SourceFile;

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files(&path, out);
        } else if path.extension().is_some_and(|e| e == "zb") {
            out.push(path);
        }
    }
}

fn all_policies() -> Vec<(PathBuf, String)> {
    let mut paths = Vec::new();
    files(Path::new("policies"), &mut paths);
    files(Path::new("tests/cases"), &mut paths);
    paths
        .into_iter()
        .map(|p| {
            let t = std::fs::read_to_string(&p).unwrap();
            (p, t)
        })
        .collect()
}

fn compile(text: &str) {
    let _ = zhibiao::check::compile(&SourceFile::new("cut.zb", text));
}

#[test]
fn every_prefix_compiles_or_reports() {
    for (path, text) in all_policies() {
        for (i, _) in text.char_indices() {
            let result = std::panic::catch_unwind(|| compile(&text[..i]));
            assert!(
                result.is_ok(),
                "{} cut at byte {i} panicked",
                path.display()
            );
        }
    }
}

#[test]
fn every_line_removed_compiles_or_reports() {
    for (path, text) in all_policies() {
        let lines: Vec<&str> = text.lines().collect();
        for skip in 0..lines.len() {
            let cut: Vec<&str> = lines
                .iter()
                .enumerate()
                .filter(|(i, _)| *i != skip)
                .map(|(_, l)| *l)
                .collect();
            let result = std::panic::catch_unwind(|| compile(&cut.join("\n")));
            assert!(
                result.is_ok(),
                "{} without line {} panicked",
                path.display(),
                skip + 1
            );
        }
    }
}
