//! Derivation: a policy that `extends` another states only its changes.
//! This phase reads the chain of policies (national template → province →
//! city → year), applies each one's declarations and changes to the one it
//! extends, and gives one syntax tree to the checker.
//!
//! Runs after `syntax`, before `check`. Every file of the chain is kept in
//! one [`Sources`], so a diagnostic may point into any of them; each node
//! keeps the span that declared it and the span of its last change.

mod apply;
mod locate;
mod project;

pub use project::{BAD_PARENT, IGNORE_FILE, Project, policy_files};

use crate::diagnostics::Diagnostic;
use crate::source::{SourceFile, Sources, Span};
use crate::syntax::{self, ast};
use std::path::{Path, PathBuf};

pub const MISSING_PARENT: &str = "zhibiao::derive::missing_parent";
pub const CYCLE: &str = "zhibiao::derive::cycle";
pub const UNKNOWN_TARGET: &str = "zhibiao::derive::unknown_target";
pub const AMBIGUOUS_TARGET: &str = "zhibiao::derive::ambiguous_target";
pub const BAD_TARGET: &str = "zhibiao::derive::bad_target";
pub const EMPTY_CHANGE: &str = "zhibiao::derive::empty_change";
pub const NOTHING_TO_CHANGE: &str = "zhibiao::derive::nothing_to_change";
pub const BAD_SCRIPT: &str = "zhibiao::derive::bad_script";

/// How the files a policy extends are read (the file system, or an
/// editor's unsaved buffers).
pub type Reader<'r> = dyn FnMut(&Path) -> std::io::Result<String> + 'r;

/// A policy with everything it extends applied.
#[derive(Debug, Clone)]
pub struct Resolved {
    pub sources: Sources,
    pub file: ast::File,
    /// Each file's own syntax tree, in the order of `sources` (for the
    /// language server, which shows every file as written); empty when the
    /// policy extends nothing, its own tree being `file`.
    pub files: Vec<ast::File>,
    /// Syntax errors of every file, and problems with `extends` or changes.
    pub diagnostics: Vec<Diagnostic>,
    /// A file of the chain could not be read, or the chain is a cycle: the
    /// policy is incomplete and should not be checked further.
    pub broken: bool,
}

/// Reads and resolves a policy and the chain of policies it extends, from
/// the policy's own folder tree.
pub fn resolve(main: SourceFile, read: &mut Reader) -> Resolved {
    let project = Project::around(&main.path);
    resolve_in(main, &project, read)
}

/// [`resolve`], reading the policies it extends from `project`.
pub fn resolve_in(main: SourceFile, project: &Project, read: &mut Reader) -> Resolved {
    let (file, diagnostics) = syntax::parse(&main.text);
    let path = main.path.clone();
    let extends = file.header.first().is_some_and(|h| h.extends.is_some());
    let mut r = Resolver {
        project,
        sources: Sources::new(main),
        files: if extends {
            vec![file.clone()]
        } else {
            Vec::new()
        },
        diagnostics,
        broken: false,
        read,
    };
    let mut chain = vec![Link {
        identity: identity(&path),
        shown: path.clone(),
        extends: None,
    }];
    let mut file = r.extend(file, &path, &mut chain);
    if !r.broken {
        r.read_scripts(&mut file.scripts);
    }
    Resolved {
        sources: r.sources,
        file,
        files: r.files,
        diagnostics: r.diagnostics,
        broken: r.broken,
    }
}

/// A policy in the chain being read, and where it says `extends`.
struct Link {
    identity: PathBuf,
    shown: PathBuf,
    extends: Option<Span>,
}

struct Resolver<'r, 'x> {
    project: &'r Project,
    sources: Sources,
    files: Vec<ast::File>,
    diagnostics: Vec<Diagnostic>,
    broken: bool,
    read: &'r mut Reader<'x>,
}

impl Resolver<'_, '_> {
    /// `file` (read from `path`) with the policy it extends applied under it.
    fn extend(&mut self, file: ast::File, path: &Path, chain: &mut Vec<Link>) -> ast::File {
        let Some(extends) = file.header.first().and_then(|h| h.extends.clone()) else {
            if let Some(change) = file.changes.first() {
                self.diagnostics.push(
                    Diagnostic::error(NOTHING_TO_CHANGE, "a change in a policy that extends nothing")
                        .label(change.span, "changes nothing")
                        .help("name the policy this one changes in the header: `policy 名称 extends \"2023.zb\" { ... }`"),
                );
            }
            return file;
        };
        let parent_path = path.parent().unwrap_or(Path::new("")).join(&extends.value);
        let key = identity(&parent_path);
        if let Some(link) = chain.last_mut() {
            link.extends = Some(extends.span);
        }
        if let Some(at) = chain.iter().position(|l| l.identity == key) {
            let cycle = chain.get(at..).unwrap_or_default();
            let names: Vec<String> = cycle
                .iter()
                .chain(cycle.first())
                .map(|l| l.shown.display().to_string())
                .collect();
            let mut d = Diagnostic::error(CYCLE, "the policies extend each other in a cycle").help(
                format!(
                    "the chain is {}; one of them must not extend another",
                    names.join(" → ")
                ),
            );
            for link in cycle {
                if let Some(span) = link.extends {
                    d = d.label(span, "part of the cycle");
                }
            }
            return self.fail(d);
        }
        if let Some(why) = self.project.refuses(&parent_path) {
            return self.fail(
                Diagnostic::error(
                    BAD_PARENT,
                    format!("cannot extend `{}`: {why}", parent_path.display()),
                )
                    .label(extends.span, "the policy this one extends")
                    .help("a policy extends another policy file of its project; give `--root FOLDER` for a project wider than this file's folder"),
            );
        }
        let text = match (self.read)(&parent_path) {
            Ok(text) => text,
            Err(e) => {
                return self.fail(
                    Diagnostic::error(
                        MISSING_PARENT,
                        format!("cannot read `{}`: {e}", parent_path.display()),
                    )
                    .label(extends.span, "the policy this one extends")
                    .help("the path is relative to this file's folder"),
                );
            }
        };
        let base = self
            .sources
            .add(SourceFile::new(parent_path.clone(), text.clone()));
        let (parent, mut errors) = syntax::parse_at(&text, base);
        self.diagnostics.append(&mut errors);
        self.files.push(parent.clone());
        chain.push(Link {
            identity: key,
            shown: parent_path.clone(),
            extends: None,
        });
        let parent = self.extend(parent, &parent_path, chain);
        chain.pop();
        if self.broken {
            return parent;
        }
        apply::apply(parent, file, &mut self.diagnostics)
    }

    /// Reads the scripts named by path (`script "f.rhai"`), relative to
    /// the policy that names them, into the sources.
    fn read_scripts(&mut self, scripts: &mut [ast::Script]) {
        for script in scripts {
            let Some(named) = &script.path else {
                continue;
            };
            let folder = (self.sources.locate(named.span))
                .and_then(|(f, _)| f.path.parent().map(Path::to_path_buf))
                .unwrap_or_default();
            let path = folder.join(&named.value);
            let refused = self.project.refuses_as(&path, "rhai", "a script file");
            let read = match refused {
                Some(why) => Err(why),
                None => (self.read)(&path).map_err(|e| e.to_string()),
            };
            match read {
                Ok(code) => {
                    script.base = self.sources.add(SourceFile::new(path, code.clone()));
                    script.code = code;
                    self.files.push(ast::File::default());
                }
                Err(why) => self.diagnostics.push(
                    Diagnostic::error(BAD_SCRIPT, format!("cannot read the script `{}`: {why}", path.display()))
                        .label(named.span, "the script")
                        .help("a script is a `.rhai` file of the policy's project, its path relative to the policy's folder"),
                ),
            }
        }
    }

    fn fail(&mut self, d: Diagnostic) -> ast::File {
        self.diagnostics.push(d);
        self.broken = true;
        ast::File::default()
    }
}

/// A path as the same file is always named (for cycle detection).
fn identity(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
}

/// Reads a policy from the file system ([`crate::source::read_text`]).
pub fn read_file(path: &Path) -> std::io::Result<String> {
    crate::source::read_text(path)
}
