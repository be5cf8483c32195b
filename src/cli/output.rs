//! Where results go. A file is written whole or not at all: the output
//! goes to a temporary file beside the target, which is renamed over it
//! only when everything was written. Standard output is written as a
//! stream; when the reader goes away (`zhibiao eval ... | head`) the
//! program stops quietly with the status a shell gives a process ended by
//! SIGPIPE.

use std::io::{self, BufWriter, Write};
use std::path::Path;

/// The exit status after standard output was closed: 128 + SIGPIPE (13).
pub const BROKEN_PIPE: u8 = 141;

pub fn write_whole(path: &Path, bytes: &[u8]) -> io::Result<()> {
    write_file(path, &mut |w| w.write_all(bytes))
}

/// Writes what `write` produces to `path`, whole or not at all.
fn write_file(
    path: &Path,
    write: &mut dyn FnMut(&mut dyn Write) -> io::Result<()>,
) -> io::Result<()> {
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
        let mut file = BufWriter::with_capacity(1 << 20, std::fs::File::create(&temp)?);
        write(&mut file)?;
        let file = file.into_inner().map_err(|e| e.into_error())?;
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
    emit_with(path, |w| w.write_all(text.as_bytes()))
}

/// Writes what `write` produces to `path` (whole or not at all) or to
/// standard output; the exit status.
pub fn emit_with(path: Option<&Path>, write: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> u8 {
    let mut write = Some(write);
    let mut once = |w: &mut dyn Write| match write.take() {
        Some(f) => f(w),
        None => Ok(()),
    };
    match path {
        Some(path) => match write_file(path, &mut once) {
            Ok(()) => super::OK,
            Err(e) => {
                eprintln!("error: cannot write {}: {e}", path.display());
                super::IO_ERROR
            }
        },
        None => {
            let mut out = BufWriter::with_capacity(1 << 16, io::stdout().lock());
            let written = once(&mut out).and_then(|()| out.flush());
            status(written)
        }
    }
}

/// Prints `text` on standard output; the exit status (see [`emit_with`]).
pub fn print(text: &str) -> u8 {
    emit(text, None)
}

fn status(written: io::Result<()>) -> u8 {
    match written {
        Ok(()) => super::OK,
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => BROKEN_PIPE,
        Err(e) => {
            eprintln!("error: cannot write the output: {e}");
            super::IO_ERROR
        }
    }
}
