//! `zhibiao fmt`: formatting twice gives what formatting once gave, only
//! whitespace changes (so keywords, names and comments stay as written), the
//! syntax tree is the same, and the layout does not depend on the spaces the
//! author typed — over every policy and case in the repository and over
//! layouts and comments generated from them. Results on the example data:
//! see `versions.rs`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use common::Lcg;
use std::path::{Path, PathBuf};
use zhibiao::syntax::format::format;
use zhibiao::syntax::print::{self, Keywords};

/// Every policy and case that parses.
fn parsable() -> Vec<(PathBuf, String)> {
    let mut paths = common::files(Path::new("policies"), "zb");
    paths.extend(common::files(Path::new("tests/cases"), "zb"));
    paths.extend(common::files(Path::new("tests/format"), "zb"));
    let all: Vec<(PathBuf, String)> = paths
        .into_iter()
        .map(|p| {
            let text = std::fs::read_to_string(&p).unwrap();
            (p, text)
        })
        .filter(|(_, text)| format(text).is_ok())
        .collect();
    assert!(all.len() > 100, "only {} files parse", all.len());
    all
}

/// Those whose spaces can all be changed: a script is rhai, kept as written.
fn without_scripts() -> Vec<(PathBuf, String)> {
    let all = parsable();
    all.into_iter()
        .filter(|(_, text)| zhibiao::syntax::parse(text).0.scripts.is_empty())
        .collect()
}

fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\u{3000}' | '\r' | '\n')
}

fn without_spaces(text: &str) -> String {
    text.chars().filter(|c| !is_space(*c)).collect()
}

/// The syntax tree, printed canonically (layout and comments dropped).
fn tree(text: &str) -> String {
    print::file(&zhibiao::syntax::parse(text).0, Keywords::English)
}

fn comments(text: &str) -> Vec<String> {
    let file = zhibiao::syntax::parse(text).0;
    file.comments
        .iter()
        .map(|s| text[s.range()].trim_end().to_string())
        .collect()
}

/// What must hold between a text and its formatted form.
fn assert_formats(name: &str, text: &str) -> String {
    let once = format(text).unwrap_or_else(|d| panic!("{name}: {d:?}\n{text}"));
    assert_eq!(
        without_spaces(&once),
        without_spaces(text),
        "{name}: more than whitespace changed"
    );
    assert_eq!(tree(&once), tree(text), "{name}: the syntax tree changed");
    assert_eq!(comments(&once), comments(text), "{name}: comments changed");
    let twice = format(&once).unwrap();
    assert_eq!(twice, once, "{name}: formatting is not idempotent");
    assert!(once.ends_with('\n') && !once.ends_with("\n\n"), "{name}");
    assert!(
        once.lines().all(|l| l == l.trim_end()),
        "{name}: trailing spaces"
    );
    once
}

#[test]
fn every_file_formats_idempotently_changing_only_whitespace() {
    for (path, text) in parsable() {
        assert_formats(&path.display().to_string(), &text);
    }
}

#[test]
fn shipped_policies_are_formatted() {
    for path in common::files(Path::new("policies"), "zb") {
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(
            format(&text).unwrap(),
            text,
            "{}: run `zhibiao fmt policies`",
            path.display()
        );
    }
}

/// Each run of spaces between tokens (outside strings and comments), as
/// byte ranges.
fn space_runs(text: &str) -> Vec<(usize, usize)> {
    let mut runs = Vec::new();
    let mut chars = text.char_indices().peekable();
    let mut start = None;
    while let Some((i, c)) = chars.next() {
        if is_space(c) {
            start.get_or_insert(i);
            continue;
        }
        if let Some(s) = start.take() {
            runs.push((s, i));
        }
        let rest = &text[i..];
        let skip_to = |end: Option<usize>| end.map_or(text.len(), |e| i + e);
        let end = if rest.starts_with("//") {
            skip_to(rest.find('\n'))
        } else if rest.starts_with("/*") {
            skip_to(rest.find("*/").map(|e| e + 2))
        } else if c == '"' {
            let mut escaped = false;
            let close = rest[1..].char_indices().find(|&(_, d)| {
                let done = d == '"' && !escaped;
                escaped = d == '\\' && !escaped;
                done
            });
            skip_to(close.map(|(e, _)| e + 2))
        } else if c == '“' {
            skip_to(rest.find('”').map(|e| e + '”'.len_utf8()))
        } else {
            continue;
        };
        while chars.peek().is_some_and(|(j, _)| *j < end) {
            chars.next();
        }
    }
    if let Some(s) = start {
        runs.push((s, text.len()));
    }
    runs
}

/// `text` with each run of spaces replaced by what `replace` makes of it.
fn relayout(text: &str, mut replace: impl FnMut(&str) -> String) -> String {
    let mut out = String::new();
    let mut at = 0;
    for (s, e) in space_runs(text) {
        out.push_str(&text[at..s]);
        out.push_str(&replace(&text[s..e]));
        at = e;
    }
    out.push_str(&text[at..]);
    out
}

const SPACES: [&str; 4] = [" ", "  ", "\t", "\u{3000}"];

#[test]
fn the_layout_does_not_depend_on_the_spaces_typed() {
    let mut rng = Lcg(5);
    for (path, text) in without_scripts() {
        let canonical = format(&text).unwrap();
        for _ in 0..3 {
            let messy = relayout(&text, |run| {
                let newlines = run.matches('\n').count();
                let mut out = SPACES[rng.next(4)].repeat(1 + rng.next(3));
                for _ in 0..newlines {
                    out.push('\n');
                    out.push_str(&SPACES[rng.next(4)].repeat(rng.next(6)));
                }
                out
            });
            assert_eq!(
                format(&messy).unwrap(),
                canonical,
                "{}: spaces changed the layout of\n{messy}",
                path.display()
            );
        }
    }
}

#[test]
fn generated_line_breaks_and_comments_are_kept() {
    let mut rng = Lcg(17);
    for (path, text) in without_scripts() {
        let name = path.display().to_string();
        for _ in 0..3 {
            let mut added = 0;
            let messy = relayout(&text, |run| match rng.next(12) {
                0 => format!("{run}\n"),
                1 => {
                    added += 1;
                    format!("{run} // 注{added}\n")
                }
                2 => {
                    added += 1;
                    format!("{run}/* 注{added} */ ")
                }
                _ => run.to_string(),
            });
            let once = assert_formats(&name, &messy);
            for n in 1..=added {
                assert!(once.contains(&format!("注{n} ")) || once.contains(&format!("注{n}\n")));
            }
        }
    }
}

#[test]
fn a_file_that_does_not_parse_is_not_formatted() {
    let errors = format("policy p {\n  total 10\n}\nitem a 10 score\n").unwrap_err();
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].code, "zhibiao::syntax::unexpected");
}

#[test]
fn a_messy_file_is_laid_out_canonically() {
    let text = std::fs::read_to_string("tests/format/messy.zb").unwrap();
    insta::assert_snapshot!(assert_formats("messy.zb", &text));
}
