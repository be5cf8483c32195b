//! `zhibiao check FILE...`

use super::{IO_ERROR, OK, POLICY_ERROR};
use crate::diagnostics::{self, Format};
use crate::source::SourceFile;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

pub fn run(files: &[PathBuf], format: Format) -> u8 {
    files
        .iter()
        .map(|f| check_one(f, format))
        .max()
        .unwrap_or(OK)
}

fn check_one(path: &Path, format: Format) -> u8 {
    let Some(source) = read(path) else {
        return IO_ERROR;
    };
    let (diags, code) = match crate::check::compile(&source) {
        Ok(checked) => (checked.warnings, OK),
        Err(diags) => (diags, POLICY_ERROR),
    };
    print_diagnostics(&source, &diags, format);
    if code == OK && format != Format::Json {
        eprintln!("{}: ok ({} warnings)", source.name(), diags.len());
    }
    code
}

pub fn read(path: &Path) -> Option<SourceFile> {
    match SourceFile::read(path) {
        Ok(s) => Some(s),
        Err(e) => {
            eprintln!("error: cannot read {}: {e}", path.display());
            None
        }
    }
}

pub fn print_diagnostics(source: &SourceFile, diags: &[diagnostics::Diagnostic], format: Format) {
    let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    eprint!("{}", diagnostics::render(source, diags, format, color));
}
