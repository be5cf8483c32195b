//! `zhibiao diff OLD NEW [--data FILE] [--format text|markdown|json]`, and
//! the same as a git diff driver (seven arguments).

use super::check::{Loaded, load, split};
use super::eval::Checker;
use super::{OK, output};
use crate::diagnostics::Format;
use crate::diff::{self, Version, impact, render};
use crate::report::Report;
use crate::source::SourceFile;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

/// Exit codes of `diff`, as diff(1): 0 equal, 1 different, 2 trouble.
const SAME: u8 = 0;
const DIFFERENT: u8 = 1;
const TROUBLE: u8 = 2;

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum DiffFormat {
    Text,
    Markdown,
    Json,
}

pub fn run(files: &[PathBuf], data: &[String], format: DiffFormat, diag: Format) -> u8 {
    match files {
        [old, new] => compare(old, new, data, format, diag),
        // git: path old-file old-hex old-mode new-file new-hex new-mode
        [path, old, old_hex, _, new, new_hex, _] => {
            let blobs = (hex(old_hex), hex(new_hex));
            git(path, None, [old, new], blobs, diag);
            OK
        }
        // A rename: then the new path and git's rename information.
        [path, old, old_hex, _, new, new_hex, _, renamed, _] => {
            let blobs = (hex(old_hex), hex(new_hex));
            git(path, Some(renamed), [old, new], blobs, diag);
            OK
        }
        _ => {
            eprintln!(
                "error: diff takes two policies (or the seven arguments git gives a diff driver, nine for a renamed file)"
            );
            TROUBLE
        }
    }
}

fn compare(old: &Path, new: &Path, data: &[String], format: DiffFormat, diag: Format) -> u8 {
    let (Ok(a), Ok(b)) = (load(old, diag), load(new, diag)) else {
        return TROUBLE;
    };
    let d = diff::compare(version(&a), version(&b));
    let color = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let mut out = match format {
        DiffFormat::Text => render::text(&d, color),
        DiffFormat::Markdown => render::markdown(&d),
        DiffFormat::Json => String::new(),
    };
    if format != DiffFormat::Json {
        if output::print(&out) == output::BROKEN_PIPE {
            return output::BROKEN_PIPE;
        }
        out.clear();
    }
    let mut effect = None;
    if !data.is_empty() {
        let label = |p: &Path| format!("for {}: ", p.display());
        let (old_context, new_context) = (label(old), label(new));
        let checker = |loaded: &'_ super::check::Loaded, context| {
            Checker {
                policy: &loaded.policy,
                sources: &loaded.sources,
                diag,
                strict: true,
                scores_only: false,
                context,
            }
            .score_data(data, None)
            .map(|run| run.current)
        };
        let scored = (checker(&a, &old_context), checker(&b, &new_context));
        let (da, ea, db, eb) = match scored {
            (Ok((_, da, ea)), Ok((_, db, eb))) => (da, ea, db, eb),
            (Err(code), _) | (_, Err(code)) => return code,
        };
        let (ra, rb) = (
            Report::new(&a.policy, &da, &ea),
            Report::new(&b.policy, &db, &eb),
        );
        let i = impact::compare(&ra, &rb);
        let precision = b.policy.precision;
        match format {
            DiffFormat::Text => out.push_str(&impact::text(&i, precision)),
            DiffFormat::Markdown => out.push_str(&impact::markdown(&i, precision)),
            DiffFormat::Json => {}
        }
        effect = Some(i);
    }
    if format == DiffFormat::Json {
        let value = serde_json::json!({"policy": d, "impact": effect});
        out = serde_json::to_string_pretty(&value).unwrap_or_default() + "\n";
    }
    if output::print(&out) == output::BROKEN_PIPE {
        return output::BROKEN_PIPE;
    }
    if d.is_empty() { SAME } else { DIFFERENT }
}

fn version(l: &Loaded) -> Version<'_> {
    Version {
        policy: &l.policy,
        syntax: &l.syntax,
        sources: &l.sources,
    }
}

fn hex(arg: &Path) -> String {
    arg.to_string_lossy().into_owned()
}

/// As git's diff driver: `old` and `new` may be temporary copies, so each is
/// read as if it were at `path`, and the policies each extends as they were
/// in the commit it comes from (see `git.rs`). Always exits 0: git treats
/// any other code as a failure.
fn git(
    path: &Path,
    renamed: Option<&Path>,
    files: [&Path; 2],
    blobs: (String, String),
    diag: Format,
) {
    let new_path = renamed.unwrap_or(path);
    let revisions = super::git::revisions(path, new_path, &blobs.0, &blobs.1);
    let _ = output::print(&git_text(path, renamed, files, revisions, diag));
}

/// The diff git shows for a policy file: in domain terms; where one side
/// does not compile, which one, and the textual change.
fn git_text(
    path: &Path,
    renamed: Option<&Path>,
    [old, new]: [&Path; 2],
    (old_at, new_at): (super::git::Revision, super::git::Revision),
    diag: Format,
) -> String {
    let new_path = renamed.unwrap_or(path);
    let mut out = match renamed {
        Some(to) => format!("zhibiao diff {} → {}\n", path.display(), to.display()),
        None => format!("zhibiao diff {}\n", path.display()),
    };
    let mut read = |p: &Path| {
        if p == Path::new("/dev/null") {
            return Some(None);
        }
        match std::fs::read_to_string(p) {
            Ok(text) => Some(Some(text)),
            Err(e) => {
                out.push_str(&format!("cannot read {}: {e}\n", p.display()));
                None
            }
        }
    };
    let (Some(a), Some(b)) = (read(old), read(new)) else {
        return out;
    };
    let (Some(a), Some(b)) = (a, b) else {
        out.push_str("(a new or deleted policy file)\n");
        return out;
    };
    let compiled = |text: &str, at: &Path, rev: &super::git::Revision| {
        let mut read = |p: &Path| match super::git::read_at(rev, p) {
            Some(text) => Ok(text),
            None => crate::derive::read_file(p),
        };
        let source = SourceFile::new(at, text);
        let project = super::check::project(at);
        split(crate::check::compile_in(&source, &project, &mut read))
    };
    let mut compile = |text: &str, at: &Path, side: &str, rev: &super::git::Revision| match compiled(
        text, at, rev,
    ) {
        (_, Ok(loaded)) => Some(loaded),
        (diags, Err(sources)) => {
            let shown = crate::diagnostics::render(&sources, &diags, diag, false);
            out.push_str(&format!("the {side} version does not compile\n{shown}\n"));
            None
        }
    };
    let old_policy = compile(&a, path, "old", &old_at);
    let new_policy = compile(&b, new_path, "new", &new_at);
    match (old_policy, new_policy) {
        (Some(x), Some(y)) => out.push_str(&render::text(
            &diff::compare(version(&x), version(&y)),
            false,
        )),
        _ => {
            let (from, to) = (
                format!("a/{}", path.display()),
                format!("b/{}", new_path.display()),
            );
            let text = similar::TextDiff::from_lines(&a, &b);
            out.push_str(&text.unified_diff().header(&from, &to).to_string());
        }
    }
    out
}
