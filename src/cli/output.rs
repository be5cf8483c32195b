//! Writing an output file whole or not at all: the text goes to a temporary
//! file beside the target, which is then renamed over it.

use std::io::Write;
use std::path::Path;

pub fn write_whole(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = (|| {
        let mut file = std::fs::File::create(&temp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        std::fs::rename(&temp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    result
}

/// Writes `text` to `path` (whole or not at all) or to standard output.
pub fn emit(text: &str, path: Option<&Path>) -> u8 {
    match path {
        Some(path) => match write_whole(path, text.as_bytes()) {
            Ok(()) => super::OK,
            Err(e) => {
                eprintln!("error: cannot write {}: {e}", path.display());
                super::IO_ERROR
            }
        },
        None => {
            print!("{text}");
            super::OK
        }
    }
}
