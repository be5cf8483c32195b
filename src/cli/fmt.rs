//! `zhibiao fmt [--check] [PATH...]`: rewrites policy files in canonical
//! layout (whole or not at all), or with `--check` shows what would change.

use super::{IO_ERROR, OK, POLICY_ERROR, output};
use crate::diagnostics::{self, Format};
use crate::source::{SourceFile, Sources};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

pub fn run(paths: &[PathBuf], check: bool, format: Format) -> u8 {
    let (files, code) = gather(paths);
    files
        .iter()
        .map(|f| one(f, check, format))
        .fold(code, u8::max)
}

/// The files PATH... names (every `*.zb` under a directory but what
/// `.gitignore` or `.zhibiaoignore` leaves out; the current directory
/// without PATH), and `IO_ERROR` if a directory cannot be read.
pub fn gather(paths: &[PathBuf]) -> (Vec<PathBuf>, u8) {
    let default = [PathBuf::from(".")];
    let paths = if paths.is_empty() {
        &default[..]
    } else {
        paths
    };
    let mut files = Vec::new();
    let mut code = OK;
    for path in paths {
        match crate::derive::policy_files(path) {
            Ok(found) => files.extend(found),
            Err(e) => {
                eprintln!("error: cannot read {}: {e}", path.display());
                code = IO_ERROR;
            }
        }
    }
    (files, code)
}

fn one(path: &Path, check: bool, format: Format) -> u8 {
    let source = match SourceFile::read(path) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: cannot read {}: {e}", path.display());
            return IO_ERROR;
        }
    };
    let formatted = match crate::syntax::format::format(&source.text) {
        Ok(text) => text,
        Err(diags) => {
            let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
            let sources = Sources::new(source);
            eprint!("{}", diagnostics::render(&sources, &diags, format, color));
            eprintln!("{}: not formatted (it does not parse)", path.display());
            return POLICY_ERROR;
        }
    };
    if formatted == source.text {
        return OK;
    }
    if check {
        let name = path.display().to_string();
        let diff = similar::TextDiff::from_lines(&source.text, &formatted);
        let shown = diff
            .unified_diff()
            .context_radius(2)
            .header(&name, &format!("{name} (formatted)"))
            .to_string();
        return POLICY_ERROR.max(output::print(&shown));
    }
    match output::write_whole(path, formatted.as_bytes()) {
        Ok(()) => {
            eprintln!("formatted {}", path.display());
            OK
        }
        Err(e) => {
            eprintln!("error: cannot write {}: {e}", path.display());
            IO_ERROR
        }
    }
}
