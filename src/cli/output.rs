//! Where results go. A file is written whole or not at all: the output
//! goes to a temporary file beside the target, which is renamed over it
//! only when everything was written. A device, a pipe or a socket
//! (`--output /dev/null`) is written to as it is, never replaced: renaming
//! a file over `/dev/null` would take the device away from every program
//! on the machine (as root it can). Standard output is written as a
//! stream; when the reader goes away (`zhibiao eval ... | head`) the
//! program stops quietly with the status a shell gives a process ended by
//! SIGPIPE.

use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

/// The exit status after standard output was closed: 128 + SIGPIPE (13).
pub const BROKEN_PIPE: u8 = 141;

pub fn write_whole(path: &Path, bytes: &[u8]) -> io::Result<()> {
    write_file(path, &mut |w| w.write_all(bytes))
}

/// Writes what `write` produces to `path`, whole or not at all. Through a
/// symbolic link the file it leads to is replaced (the link stays); a file
/// replaced keeps its permissions; temporaries that a killed run left
/// beside it are removed. A device, pipe or socket is written to in place.
fn write_file(
    path: &Path,
    write: &mut dyn FnMut(&mut dyn Write) -> io::Result<()>,
) -> io::Result<()> {
    if std::fs::metadata(path).is_ok_and(|m| !m.is_file() && !m.is_dir()) {
        let device = std::fs::OpenOptions::new().write(true).open(path)?;
        let mut out = BufWriter::with_capacity(1 << 16, device);
        write(&mut out)?;
        return out.flush();
    }
    let path = &followed(path);
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    remove_stale(dir, &name);
    let temp = dir.join(temporary(&name, std::process::id()));
    let result = (|| {
        let mut file = BufWriter::with_capacity(1 << 20, std::fs::File::create(&temp)?);
        write(&mut file)?;
        let file = file.into_inner().map_err(|e| e.into_error())?;
        if let Ok(old) = std::fs::metadata(path) {
            file.set_permissions(old.permissions())?;
        }
        file.sync_all()?;
        std::fs::rename(&temp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    result
}

/// The name of a run's temporary file for `name`.
fn temporary(name: &str, pid: u32) -> String {
    format!(".{name}.{pid}.tmp")
}

/// The file a path leads to, through any symbolic links (the path itself
/// if it does not exist yet).
fn followed(path: &Path) -> PathBuf {
    let mut path = path.to_path_buf();
    for _ in 0..40 {
        let Ok(target) = std::fs::read_link(&path) else {
            break;
        };
        path = path.parent().unwrap_or(Path::new("")).join(target);
    }
    path
}

/// Removes this program's temporaries for `name` whose run has ended (a
/// run killed while writing leaves its temporary behind).
fn remove_stale(dir: &Path, name: &str) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let prefix = format!(".{name}.");
    for entry in entries.flatten() {
        let file = entry.file_name().to_string_lossy().into_owned();
        let pid = file
            .strip_prefix(&prefix)
            .and_then(|rest| rest.strip_suffix(".tmp"))
            .and_then(|pid| pid.parse::<u32>().ok());
        if let Some(pid) = pid
            && pid != std::process::id()
            && file == temporary(name, pid)
            && !running(pid)
        {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// Whether a process is running (Linux: `/proc`; elsewhere assumed).
fn running(pid: u32) -> bool {
    let proc = Path::new("/proc");
    !proc.join("self").exists() || proc.join(pid.to_string()).exists()
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
