//! `zhibiao test [--coverage] [PATH...]`: runs the tests of policies (their
//! `test` blocks and those of `NAME.test.zb` beside them).

use super::check::Loaded;
use super::check::{load, print_diagnostics};
use super::eval::Checker;
use super::{DATA_ERROR, IO_ERROR, POLICY_ERROR, output};
use crate::diagnostics::{Diagnostic, Format};
use crate::source::SourceFile;
use crate::testing;
use std::path::{Path, PathBuf};

pub fn run(paths: &[PathBuf], coverage: bool, data: &[String], format: Format) -> u8 {
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
        let (p, f, c) = one(policy, coverage, data, format);
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
fn one(path: &Path, coverage: bool, data: &[String], format: Format) -> (usize, usize, u8) {
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
    let mut outcomes = Vec::new();
    for test in &tests {
        if test.from.is_empty() {
            outcomes.push(testing::run(&loaded.policy, test));
            continue;
        }
        match over_files(path, &loaded, test, data, format) {
            Ok(outcome) => outcomes.push(outcome),
            Err(c) => code = code.max(c),
        }
    }
    code = code.max(output::print(&testing::outcomes_text(
        &loaded.sources,
        &outcomes,
    )));
    if coverage {
        let c = testing::coverage(&loaded.policy, &outcomes);
        code = code.max(output::print(&testing::coverage_text(&loaded.sources, &c)));
    }
    let failed = outcomes.iter().filter(|o| !o.passed()).count();
    let unread = tests.len() - outcomes.len();
    (outcomes.len() - failed, failed + unread, code)
}

/// Runs a test over data files: `data` if given (as `eval` takes it), else
/// its own files (relative to the file that holds it, inside the project);
/// read and scored as `eval` reads and scores them.
fn over_files(
    policy: &Path,
    loaded: &Loaded,
    test: &testing::Test,
    data: &[String],
    format: Format,
) -> Result<testing::Outcome, u8> {
    let files = match data {
        [] => own_files(policy, loaded, test)?,
        given => given.to_vec(),
    };
    let context = format!("for the test `{}`: ", test.name);
    let checker = Checker {
        policy: &loaded.policy,
        sources: &loaded.sources,
        diag: format,
        strict: false,
        scores_only: false,
        context: &context,
    };
    let run = checker.score_data(&files, None)?;
    let (_, data, evaluation) = &run.current;
    let plan = crate::eval::plan(&loaded.policy, data, run.before());
    Ok(testing::run_over(test, &plan, evaluation))
}

/// The files a test names, each refused unless it is a data file inside the
/// project.
fn own_files(policy: &Path, loaded: &Loaded, test: &testing::Test) -> Result<Vec<String>, u8> {
    let folder = (loaded.sources.locate(test.span))
        .and_then(|(f, _)| f.path.parent().map(Path::to_path_buf))
        .unwrap_or_default();
    let project = super::check::project(policy);
    let mut files = Vec::new();
    for file in &test.from {
        let path = folder.join(&file.value);
        let json = path.extension().is_some_and(|e| e == "json");
        let extension = if json { "json" } else { "csv" };
        if let Some(why) = project.refuses_as(&path, extension, "a data file") {
            let shown = path.display();
            eprintln!("error: the test `{}` cannot read {shown}: {why}", test.name);
            return Err(DATA_ERROR);
        }
        files.push(path.to_string_lossy().into_owned());
    }
    Ok(files)
}
