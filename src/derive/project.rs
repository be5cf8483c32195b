//! Which files a policy may extend (and which scripts it may read):
//! policy files (`.zb`) and scripts (`.rhai`) inside the
//! project's folder tree — by default the folder of the policy being
//! checked, or a root given on the command line. A path outside it
//! (`/etc/passwd`, `../../x.zb`, a link that leads out) is refused before
//! anything is read, so no error echoes a file that is not a policy.

use std::path::{Path, PathBuf};

pub const BAD_PARENT: &str = "zhibiao::derive::bad_parent";

/// The folder tree the policies of one check may be read from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Project {
    /// Canonical, for comparing.
    root: PathBuf,
    /// As given, for messages.
    shown: PathBuf,
}

impl Project {
    /// The folder tree of the policy at `policy`.
    pub fn around(policy: &Path) -> Project {
        let folder = policy.parent().filter(|p| !p.as_os_str().is_empty());
        Project::at(folder.unwrap_or(Path::new(".")))
    }

    /// The folder tree under `root`.
    pub fn at(root: &Path) -> Project {
        Project {
            root: std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf()),
            shown: root.to_path_buf(),
        }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Why the policy at `path` may not be extended, if it may not.
    pub fn refuses(&self, path: &Path) -> Option<String> {
        self.refuses_as(path, "zb", "a policy file")
    }

    /// Why the file at `path` may not be read as `what` (with extension
    /// `extension`), if it may not.
    pub fn refuses_as(&self, path: &Path, extension: &str, what: &str) -> Option<String> {
        if path.extension().is_none_or(|e| e != extension) {
            return Some(format!("it is not {what} (`.{extension}`)"));
        }
        // A file that does not exist is reported by the reader.
        let real = std::fs::canonicalize(path).ok()?;
        if real.extension().is_none_or(|e| e != extension) {
            return Some(format!(
                "it leads to a file that is not {what} (`.{extension}`)"
            ));
        }
        (!real.starts_with(&self.root)).then(|| {
            format!(
                "it is outside the project folder `{}`",
                self.shown.display()
            )
        })
    }
}

/// The file beside `.gitignore` that keeps files out of `fmt`, `check` and
/// the language server's search without keeping them out of git: fixtures
/// that are meant to be badly laid out or broken, say. Same syntax.
pub const IGNORE_FILE: &str = ".zhibiaoignore";

/// `path` if it is a file, else every `*.zb` file under it, in name order —
/// leaving out what `.gitignore`, `.ignore` and `.zhibiaoignore` files
/// (and git's own excludes) leave out, hidden files and `target/`.
pub fn policy_files(path: &Path) -> std::io::Result<Vec<PathBuf>> {
    if !path.is_dir() {
        return Ok(vec![path.to_path_buf()]);
    }
    let mut out = Vec::new();
    let walk = ignore::WalkBuilder::new(path)
        .add_custom_ignore_filename(IGNORE_FILE)
        .require_git(false)
        .filter_entry(|e| e.file_name() != "target")
        .sort_by_file_name(|a, b| a.cmp(b))
        .build();
    for entry in walk {
        let entry = entry.map_err(std::io::Error::other)?;
        let file = entry.file_type().is_some_and(|t| t.is_file());
        if file && entry.path().extension().is_some_and(|e| e == "zb") {
            out.push(entry.into_path());
        }
    }
    Ok(out)
}
