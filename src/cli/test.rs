//! `zhibiao test [--coverage] [PATH...]`: runs the tests of policies (their
//! `test` blocks and those of `NAME.test.zb` beside them).

use super::check::{load, print_diagnostics};
use super::{IO_ERROR, POLICY_ERROR, output};
use crate::diagnostics::{Diagnostic, Format};
use crate::source::SourceFile;
use crate::testing;
use std::path::{Path, PathBuf};

pub fn run(paths: &[PathBuf], coverage: bool, format: Format) -> u8 {
    let (policies, mut code) = super::fmt::gather(paths);
    // A test file stands for its policy; each policy once.
    let mut seen = Vec::new();
    for p in policies {
        let policy = testing::policy_of(&p).unwrap_or(p);
        if !seen.contains(&policy) {
            seen.push(policy);
        }
    }
    let (mut passed, mut failed) = (0, 0);
    for policy in &seen {
        let (p, f, c) = one(policy, coverage, format);
        passed += p;
        failed += f;
        code = code.max(c);
    }
    let total = passed + failed;
    code = code.max(output::print(&format!(
        "{total} tests: {passed} passed, {failed} failed\n"
    )));
    if failed > 0 {
        code.max(POLICY_ERROR)
    } else {
        code
    }
}

/// (passed, failed, exit code) of one policy's tests.
fn one(path: &Path, coverage: bool, format: Format) -> (usize, usize, u8) {
    let mut loaded = match load(path, format) {
        Ok(l) => l,
        Err(code) => return (0, 0, code),
    };
    let mut tests = std::mem::take(&mut loaded.tests);
    let beside = path.with_extension("test.zb");
    if beside.exists() {
        let file = match SourceFile::read(&beside) {
            Ok(f) => f,
            Err(e) => {
                eprintln!("error: cannot read {}: {e}", beside.display());
                return (0, 0, IO_ERROR);
            }
        };
        let (mut more, problems) = testing::read_file(&loaded.policy, &mut loaded.sources, file);
        print_diagnostics(&loaded.sources, &problems, format);
        if problems.iter().any(Diagnostic::is_error) {
            return (0, 0, POLICY_ERROR);
        }
        tests.append(&mut more);
    }
    let mut code = output::print(&format!("{}: {} tests\n", path.display(), tests.len()));
    if tests.is_empty() {
        return (0, 0, code);
    }
    let outcomes: Vec<testing::Outcome> = tests
        .iter()
        .map(|t| testing::run(&loaded.policy, t))
        .collect();
    code = code.max(output::print(&testing::outcomes_text(
        &loaded.sources,
        &outcomes,
    )));
    if coverage {
        let c = testing::coverage(&loaded.policy, &outcomes);
        code = code.max(output::print(&testing::coverage_text(&loaded.sources, &c)));
    }
    let failed = outcomes.iter().filter(|o| !o.passed()).count();
    (outcomes.len() - failed, failed, code)
}
