//! Versions of files as git holds them, for the diff driver: git gives a
//! driver the two blobs of one file but not the commits they belong to, so
//! the commit is found — the one that turned the old blob into the new at
//! that path — and the policies a version extends are read as they were in
//! it (the old side in its parent commit). A side git takes from the
//! working tree reads the working tree; one found nowhere in history (the
//! index) reads the index, else the working tree.

use std::path::{Path, PathBuf};
use std::process::Command;

/// Where a side's parents are read from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Revision {
    WorkingTree,
    /// A commit, or `""` for the index (`git show :PATH`).
    At(String),
}

/// The revisions to read the old and the new side's parents from, for the
/// file at `path` (and `new_path`, renamed; relative to the repository)
/// whose blobs are `old_hex` and `new_hex`.
pub fn revisions(
    path: &Path,
    new_path: &Path,
    old_hex: &str,
    new_hex: &str,
) -> (Revision, Revision) {
    let none = |hex: &str| hex.is_empty() || hex.chars().all(|c| c == '0') || hex == ".";
    if !none(new_hex)
        && let Some(commit) = introducing([path, new_path], old_hex, new_hex)
    {
        return (Revision::At(format!("{commit}^")), Revision::At(commit));
    }
    let old =
        if git(&["rev-parse", &format!("HEAD:{}", path.display())]).as_deref() == Some(old_hex) {
            Revision::At("HEAD".into())
        } else if staged(path).as_deref() == Some(old_hex) {
            Revision::At(String::new())
        } else {
            Revision::WorkingTree
        };
    (old, Revision::WorkingTree)
}

/// The commit whose version of `new_path` is `new_hex` and whose parent's
/// version of `path` is `old_hex`.
fn introducing([path, new_path]: [&Path; 2], old_hex: &str, new_hex: &str) -> Option<String> {
    let (old, new) = (path.display().to_string(), new_path.display().to_string());
    let find = format!("--find-object={new_hex}");
    let log = git(&["log", "--all", "--format=%H", &find, "--", &new])?;
    let blob = |rev: &str, at: &str| git(&["rev-parse", &format!("{rev}:{at}")]);
    (log.lines().map(str::trim))
        .find(|c| {
            blob(c, &new).as_deref() == Some(new_hex)
                && (blob(&format!("{c}^"), &old).as_deref() == Some(old_hex)
                    || old_hex.chars().all(|x| x == '0'))
        })
        .map(String::from)
}

/// The blob of `path` in the index.
fn staged(path: &Path) -> Option<String> {
    let line = git(&["ls-files", "-s", "--", &path.display().to_string()])?;
    line.split_whitespace().nth(1).map(String::from)
}

/// The text of the file at `path` (on disk, as the policy names it) in
/// `revision`; `None` to read the working tree.
pub fn read_at(revision: &Revision, path: &Path) -> Option<String> {
    let Revision::At(rev) = revision else {
        return None;
    };
    let relative = relative(path)?;
    output(&["show", &format!("{rev}:{}", relative.display())])
}

/// `path` relative to the top of the repository.
fn relative(path: &Path) -> Option<PathBuf> {
    let top = PathBuf::from(git(&["rev-parse", "--show-toplevel"])?);
    let absolute = std::fs::canonicalize(path)
        .ok()
        .or_else(|| std::env::current_dir().ok().map(|d| d.join(path)))?;
    let top = std::fs::canonicalize(&top).unwrap_or(top);
    absolute.strip_prefix(&top).ok().map(Path::to_path_buf)
}

/// A git command's standard output, trimmed; `None` if it failed.
fn git(args: &[&str]) -> Option<String> {
    output(args).map(|t| t.trim_end_matches('\n').to_string())
}

/// A git command's standard output as it is; `None` if it failed.
fn output(args: &[&str]) -> Option<String> {
    let out = Command::new("git").args(args).output().ok()?;
    if !out.status.success() {
        return None;
    }
    String::from_utf8(out.stdout).ok()
}
