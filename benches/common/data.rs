//! Generated 黑河 units for the benchmarks, made once per size in
//! `target/bench-data` (shared by the benchmarks).

#[path = "../../tests/common/generate.rs"]
mod generate;

use std::path::{Path, PathBuf};

pub const POLICY: &str = "policies/heihe/2023.zb";

/// Where the benchmarks keep their data and outputs.
pub fn dir() -> PathBuf {
    let d = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench-data");
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// `n` generated 黑河 units as the CSV an evaluator would collect.
pub fn dataset(n: usize) -> PathBuf {
    let path = dir().join(format!("heihe-{n}.csv"));
    if !path.exists() {
        let policy = compile(POLICY);
        let data = generate::units(&policy, n, 42);
        std::fs::write(&path, generate::to_csv(&policy, &data)).unwrap();
    }
    path
}

pub fn compile(path: &str) -> zhibiao::ir::Policy {
    let source = zhibiao::source::SourceFile::read(Path::new(path)).unwrap();
    zhibiao::check::compile(&source).result.unwrap().policy
}

/// A path as a command's argument.
pub fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}
