//! No input makes the parser or the checker panic: every shipped policy and
//! every case, cut at every character boundary, and with each line removed.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use common::Lcg;

use std::path::{Path, PathBuf};
use zhibiao::source::SourceFile;

fn all_policies() -> Vec<(PathBuf, String)> {
    let mut paths = common::files(Path::new("policies"), "zb");
    paths.extend(common::files(Path::new("tests/cases"), "zb"));
    paths
        .into_iter()
        .map(|p| {
            let text = std::fs::read_to_string(&p).unwrap();
            (p, text)
        })
        .collect()
}

/// Compiles `text` as if it were the file at `path` (so that `extends`
/// finds its parent).
fn compile(path: &Path, text: &str) {
    let _ = zhibiao::check::compile(&SourceFile::new(path, text));
}

/// Every prefix, as an author types it: checked, and asked everything an
/// editor asks, at the cursor and at positions past the end. The files are
/// shared between two threads.
#[test]
fn every_prefix_compiles_and_answers_the_editor() {
    let policies = all_policies();
    let (even, odd): (Vec<_>, Vec<_>) = policies.iter().enumerate().partition(|(i, _)| i % 2 == 0);
    std::thread::scope(|scope| {
        for share in [even, odd] {
            scope.spawn(move || {
                for (_, (path, text)) in share {
                    for (i, _) in text.char_indices() {
                        let result = std::panic::catch_unwind(|| editor(path, &text[..i]));
                        assert!(
                            result.is_ok(),
                            "{} cut at byte {i} panicked",
                            path.display()
                        );
                    }
                }
            });
        }
    });
}

/// Every position of every whole policy and case: hover, definition,
/// references and completion answer without panicking, and every location
/// they give lies inside its file.
#[test]
fn every_position_answers_the_editor() {
    for (path, text) in all_policies() {
        let path = std::env::current_dir().unwrap().join(path);
        let uri = zhibiao::lsp::uri::from_path(&path).unwrap();
        let analysis =
            zhibiao::lsp::Analysis::new(uri, text.clone(), &mut zhibiao::derive::read_file);
        let _ = analysis.format();
        let _ = (analysis.folding(), analysis.links(), analysis.tokens());
        let whole = lsp_types::Range::new(
            lsp_types::Position::new(0, 0),
            analysis.lines().position(text.len()),
        );
        let _ = analysis.actions(whole);
        for (i, _) in text.char_indices() {
            let _ = analysis.hover(i);
            let _ = analysis.prepare_rename(i);
            let _ = analysis.complete(i);
            let _ = analysis.signature(i);
            for location in analysis
                .definition(i)
                .into_iter()
                .chain(analysis.references(i, true))
            {
                assert!(
                    location.range.start <= location.range.end,
                    "{}:{i}",
                    path.display()
                );
            }
        }
    }
}

/// What an editor asks of a document, at its end (where the author types).
fn editor(path: &Path, text: &str) {
    let path = std::env::current_dir().unwrap().join(path);
    let uri = zhibiao::lsp::uri::from_path(&path).unwrap();
    let analysis =
        zhibiao::lsp::Analysis::new(uri, text.to_string(), &mut zhibiao::derive::read_file);
    let end = analysis.lines().position(text.len());
    // Past the end of the last line, and lines past the end of the text.
    for position in [
        lsp_types::Position::new(end.line, end.character + 7),
        lsp_types::Position::new(end.line + 3, 0),
    ] {
        assert_eq!(analysis.lines().offset(position), text.len());
    }
    let _ = analysis.hover(text.len());
    let _ = analysis.definition(text.len());
    let _ = analysis.references(text.len(), true);
    let _ = analysis.complete(text.len());
    let _ = analysis.lsp_diagnostics();
    let _ = analysis.outline();
    let _ = analysis.inlay_hints();
    let _ = analysis.tokens();
}

#[test]
fn every_line_removed_compiles_or_reports() {
    for (path, text) in all_policies() {
        let lines: Vec<&str> = text.lines().collect();
        for skip in 0..lines.len() {
            let cut: Vec<&str> = lines
                .iter()
                .enumerate()
                .filter(|(i, _)| *i != skip)
                .map(|(_, l)| *l)
                .collect();
            let result = std::panic::catch_unwind(|| compile(&path, &cut.join("\n")));
            assert!(
                result.is_ok(),
                "{} without line {} panicked",
                path.display(),
                skip + 1
            );
        }
    }
}

/// How many mutants to try: `ZHIBIAO_FUZZ_ROUNDS` overrides the default for a
/// longer search (`ZHIBIAO_FUZZ_ROUNDS=20000 cargo test --release --test robustness`).
fn rounds(default: usize) -> usize {
    std::env::var("ZHIBIAO_FUZZ_ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(default)
}

const TOKENS: &[&str] = &[
    "{",
    "}",
    "(",
    ")",
    "[",
    "]",
    ",",
    ":",
    "|",
    "=>",
    "..",
    "%",
    "#",
    "\"",
    "“",
    "//",
    "/*",
    "-",
    "*",
    "/",
    "item",
    "category",
    "when",
    "for",
    "score",
    "points",
    "match",
    "bands",
    "if",
    "then",
    "else",
    "base",
    "not_applicable",
    "redistribute",
    "even",
    "bonus",
    "veto",
    "grades",
    "input",
    "let",
    "extends",
    "change",
    "remove",
    "add to",
    "rename",
    "move",
    " within kind",
    " within 片区",
    "mean(",
    "rank(",
    "zscore(",
    "0",
    "1e9",
    "99999999999999999999999999999999",
    "评分项",
    "按需",
    "适用",
    "甲",
    "名称",
    "\n",
    " ",
    "0.000000000000000000000000001",
];

/// Mutates `text` at a random char boundary.
fn mutate(text: &str, rng: &mut Lcg) -> String {
    let bounds: Vec<usize> = text
        .char_indices()
        .map(|(i, _)| i)
        .chain([text.len()])
        .collect();
    let at = bounds[rng.next(bounds.len())];
    let to = bounds
        [(bounds.iter().position(|b| *b == at).unwrap() + rng.next(40)).min(bounds.len() - 1)];
    match rng.next(3) {
        0 => format!("{}{}", &text[..at], &text[to..]),
        1 => format!(
            "{}{}{}",
            &text[..at],
            TOKENS[rng.next(TOKENS.len())],
            &text[at..]
        ),
        _ => format!("{}{}{}", &text[..to], &text[at..to], &text[to..]),
    }
}

#[test]
fn mutated_policies_never_panic_in_check_or_eval() {
    let data_bytes = std::fs::read("examples/heihe/units.csv").unwrap();
    let mut rng = Lcg(2023);
    for (path, text) in all_policies() {
        for _ in 0..rounds(150) {
            let mut mutant = text.clone();
            for _ in 0..1 + rng.next(3) {
                mutant = mutate(&mutant, &mut rng);
            }
            let result =
                std::panic::catch_unwind(|| check_and_evaluate(&path, &mutant, &data_bytes));
            assert!(
                result.is_ok(),
                "{} mutated panicked:\n{mutant}",
                path.display()
            );
        }
    }
}

/// Formats a policy (twice, the same) if it parses; compiles it and, if it
/// compiles and the data fits, evaluates it and renders every report format.
fn check_and_evaluate(path: &Path, text: &str, data: &[u8]) {
    if let Ok(formatted) = zhibiao::syntax::format::format(text) {
        assert_eq!(
            zhibiao::syntax::format::format(&formatted).ok(),
            Some(formatted)
        );
    }
    let Ok(checked) = zhibiao::check::compile(&SourceFile::new(path, text)).result else {
        return;
    };
    let Ok(data) = zhibiao::data::Dataset::from_csv(&checked.policy, "units.csv", data) else {
        return;
    };
    let e = zhibiao::eval::evaluate(&checked.policy, &data);
    let _ = zhibiao::report::Report::new(&checked.policy, &data, &e);
    let results = zhibiao::report::Results::new(&checked.policy, &data, &e);
    let _ = (results.json(), results.table(), results.csv());
}

#[test]
fn random_data_never_panics_the_readers() {
    let source = SourceFile::read(Path::new("policies/heihe/2023.zb")).unwrap();
    let policy = zhibiao::check::compile(&source).result.unwrap().policy;
    let good = std::fs::read_to_string("examples/heihe/units.csv").unwrap();
    let mut rng = Lcg(7);
    for _ in 0..rounds(300) {
        let mutant = mutate(&mutate(&good, &mut rng), &mut rng);
        // The policy holds a script engine, which is not unwind-safe; a
        // panic here fails the test whatever state it leaves.
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            if let Ok(data) = zhibiao::data::Dataset::from_csv(&policy, "u.csv", mutant.as_bytes())
            {
                let _ = zhibiao::eval::evaluate(&policy, &data);
            }
            let _ = zhibiao::data::Dataset::from_json(&policy, "u.json", mutant.as_bytes());
            let bytes: Vec<u8> = mutant.bytes().map(|b| b ^ (rng_byte(b))).collect();
            let _ = zhibiao::data::Dataset::from_csv(&policy, "u.csv", &bytes);
        }));
        assert!(result.is_ok(), "data mutant panicked:\n{mutant}");
    }
}

fn rng_byte(b: u8) -> u8 {
    if b.is_multiple_of(17) { 0x80 } else { 0 }
}
