//! `zhibiao check FILE...`, and reading a policy for the other commands.

use super::{IO_ERROR, OK, POLICY_ERROR};
use crate::derive::Project;
use crate::diagnostics::{self, Format};
use crate::ir::Policy;
use crate::source::{SourceFile, Sources};
use crate::syntax::ast;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// `--root`: the folder tree policies may extend from (else each policy's own folder).
static ROOT: OnceLock<Project> = OnceLock::new();

pub fn set_root(root: &Path) {
    _ = ROOT.set(Project::at(root));
}

/// The folder tree the files a policy reads must be in: `--root`, or the
/// policy's own folder.
pub fn project(policy: &Path) -> Project {
    ROOT.get()
        .cloned()
        .unwrap_or_else(|| Project::around(policy))
}

/// Compiles a policy, the policies it extends confined to `--root` or its folder.
pub fn compile(source: &SourceFile) -> crate::Compiled {
    let project = project(&source.path);
    crate::check::compile_in(source, &project, &mut crate::derive::read_file)
}

/// Checks each file PATH... names (every `*.zb` under a directory); a
/// test file (`NAME.test.zb`) is checked as the tests of `NAME.zb`.
pub fn run(paths: &[PathBuf], format: Format) -> u8 {
    let (files, code) = super::fmt::gather(paths);
    (files.iter())
        .map(|f| match crate::testing::policy_of(f) {
            Some(policy) => check_tests(f, &policy, format),
            None => check_one(f, format),
        })
        .fold(code, u8::max)
}

/// A test file, resolved against its policy (not run: `zhibiao test` runs it).
fn check_tests(path: &Path, policy: &Path, format: Format) -> u8 {
    let compiled = SourceFile::read(policy).map(|source| split(compile(&source)).1);
    let Ok(Ok(mut loaded)) = compiled else {
        eprintln!(
            "error: {}: its policy {} does not compile (check it first)",
            path.display(),
            policy.display()
        );
        return POLICY_ERROR;
    };
    let file = match SourceFile::read(path) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("error: cannot read {}: {e}", path.display());
            return IO_ERROR;
        }
    };
    let (tests, problems) = crate::testing::read_file(&loaded.policy, &mut loaded.sources, file);
    print_diagnostics(&loaded.sources, &problems, format);
    if problems.iter().any(diagnostics::Diagnostic::is_error) {
        return POLICY_ERROR;
    }
    if format != Format::Json {
        eprintln!(
            "{}: ok ({} tests of {})",
            path.display(),
            tests.len(),
            policy.display()
        );
    }
    OK
}

fn check_one(path: &Path, format: Format) -> u8 {
    match load(path, format) {
        Ok(loaded) => {
            if format != Format::Json {
                eprintln!("{}: ok ({} warnings)", path.display(), loaded.warnings);
            }
            OK
        }
        Err(code) => code,
    }
}

/// A policy that compiled, with the files it was read from.
pub struct Loaded {
    pub policy: Policy,
    pub sources: Sources,
    /// The resolved syntax tree (after `extends`).
    pub syntax: ast::File,
    pub warnings: usize,
    /// The policy file's own `test` blocks.
    pub tests: Vec<crate::testing::Test>,
}

/// Reads and compiles a policy, printing its diagnostics (to stderr);
/// the exit code if it cannot be read or has errors.
pub fn load(path: &Path, format: Format) -> Result<Loaded, u8> {
    let source = SourceFile::read(path).map_err(|e| {
        eprintln!("error: cannot read {}: {e}", path.display());
        IO_ERROR
    })?;
    let (diags, outcome) = split(compile(&source));
    match outcome {
        Ok(loaded) => {
            print_diagnostics(&loaded.sources, &diags, format);
            Ok(loaded)
        }
        Err(sources) => {
            print_diagnostics(&sources, &diags, format);
            Err(POLICY_ERROR)
        }
    }
}

/// A compiled policy's diagnostics, and the policy if it has no error (else
/// the files the diagnostics point into).
pub fn split(compiled: crate::Compiled) -> (Vec<diagnostics::Diagnostic>, Result<Loaded, Sources>) {
    match compiled.result {
        Ok(checked) => {
            let warnings = checked.warnings.len();
            let loaded = Loaded {
                policy: checked.policy,
                sources: compiled.sources,
                syntax: compiled.syntax,
                warnings,
                tests: checked.tests,
            };
            (checked.warnings, Ok(loaded))
        }
        Err(diags) => (diags, Err(compiled.sources)),
    }
}

pub fn print_diagnostics(sources: &Sources, diags: &[diagnostics::Diagnostic], format: Format) {
    let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    eprint!("{}", diagnostics::render(sources, diags, format, color));
}
