//! No input makes the parser or the checker panic: every shipped policy and
//! every case, cut at every character boundary, and with each line removed.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use std::path::{Path, PathBuf};
use zhibiao::source::SourceFile;

fn all_policies() -> Vec<(PathBuf, String)> {
    let mut paths = common::files(Path::new("policies"), "zb");
    paths.extend(common::files(Path::new("tests/cases"), "zb"));
    paths
        .into_iter()
        .map(|p| {
            let text = std::fs::read_to_string(&p).unwrap();
            (p, text)
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
