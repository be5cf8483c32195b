//! File-driven cases: every `tests/cases/**/*.zb` declares its expected
//! outcome in its first lines; this test asserts it, then snapshots what a
//! user sees (diagnostics, or the results table). See tests/README.md.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use common::{Case, Outcome};
use std::path::Path;

#[test]
fn cases() {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("snapshots");
    settings.set_prepend_module_to_snapshot(false);
    settings.bind(|| {
        insta::glob!("cases/**/*.zb", |path| {
            let case = Case::load(path);
            let shown = run(&case, path);
            insta::assert_snapshot!(shown);
        });
    });
}

fn run(case: &Case, path: &Path) -> String {
    match &case.outcome {
        Outcome::Pass => case.expect_compiles(&[]),
        Outcome::Warnings(codes) => case.expect_compiles(codes),
        Outcome::Errors(codes) => case.expect_errors(codes),
        Outcome::Eval => case.expect_eval(path),
        Outcome::DataError(messages) => case.expect_data_error(path, messages),
        Outcome::UnitError(messages) => case.expect_unit_error(path, messages),
    }
}
