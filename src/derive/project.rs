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
