//! `zhibiao import TABLE.csv [-o FILE]`: a published table → a policy skeleton.

use super::{DATA_ERROR, IO_ERROR, output};
use std::path::Path;

pub fn run(table: &Path, out: Option<&Path>) -> u8 {
    let bytes = match std::fs::read(table) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("error: cannot read {}: {e}", table.display());
            return IO_ERROR;
        }
    };
    let name = table
        .file_stem()
        .map_or_else(String::new, |s| s.to_string_lossy().into_owned());
    match crate::import::import(&table.display().to_string(), &bytes, &name) {
        Ok(text) => output::emit(&text, out),
        Err(errors) => {
            for e in &errors {
                eprintln!("error: {e}");
            }
            eprintln!(
                "no policy was written: {} problems in the table",
                errors.len()
            );
            DATA_ERROR
        }
    }
}
