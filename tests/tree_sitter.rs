//! The tree-sitter grammar (`editors/tree-sitter-zhibiao`) cannot drift from
//! the language:
//!
//! - its keyword table is the alias table (`syntax::keywords`), and its
//!   highlight query colours every keyword and built-in function;
//! - every rule of the pest grammar has its counterpart in `grammar.js`
//!   (by name, or as the table below says), so a new rule fails here until
//!   the tree-sitter grammar has it;
//! - with the tree-sitter CLI (`.ci/run` installs it and sets
//!   `ZHIBIAO_REQUIRE_TREE_SITTER`): the committed parser is what
//!   `grammar.js` generates, the corpus and highlight tests pass, and every
//!   shipped policy, example, case and README example that the compiler
//!   parses, tree-sitter parses without an ERROR or MISSING node.
//!
//! How editors use it (Helix, Zed, Neovim) is `tests/tree_sitter_editors.rs`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

#[path = "common/keywords.rs"]
mod keywords;
#[path = "common/run.rs"]
#[allow(dead_code)]
mod run;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;
use zhibiao::syntax::keywords::{FUNCTIONS, KEYWORDS};

const DIR: &str = "editors/tree-sitter-zhibiao";

fn read(name: &str) -> String {
    std::fs::read_to_string(Path::new(DIR).join(name)).unwrap()
}

/// The `KEYWORDS` table of grammar.js: `  key: ['english', '中文'],`.
fn grammar_keywords() -> BTreeSet<(String, String)> {
    let grammar = read("grammar.js");
    let table = grammar
        .split("const KEYWORDS = {")
        .nth(1)
        .unwrap()
        .split("};")
        .next()
        .unwrap();
    table
        .lines()
        .filter_map(|line| {
            let quoted: Vec<&str> = line.split('\'').skip(1).step_by(2).collect();
            (quoted.len() == 2).then(|| (quoted[0].to_string(), quoted[1].to_string()))
        })
        .collect()
}

#[test]
fn the_grammar_spells_every_keyword_as_the_alias_table() {
    let table: BTreeSet<(String, String)> = KEYWORDS
        .iter()
        .map(|(en, zh, _)| (en.to_string(), zh.to_string()))
        .collect();
    assert_eq!(grammar_keywords(), table);
}

/// The capture each keyword gets in highlights.scm: the lists are
/// `[ "word" "词" … ] @capture`.
fn keyword_captures(highlights: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for list in highlights.split("\n[").skip(1) {
        let Some((words, rest)) = list.split_once("] @") else {
            continue;
        };
        let capture = rest.split_whitespace().next().unwrap();
        for word in words.split('"').skip(1).step_by(2) {
            out.push((word.to_string(), capture.to_string()));
        }
    }
    out
}

#[test]
fn the_highlights_colour_every_keyword_and_function() {
    let highlights = read("queries/highlights.scm");
    let captures = keyword_captures(&highlights);
    for (word, colour) in keywords::words() {
        let got: Vec<&str> = captures
            .iter()
            .filter(|(w, _)| w == word)
            .map(|(_, c)| c.as_str())
            .collect();
        assert_eq!(got, [colour.tree_sitter], "the capture of `{word}`");
    }
    for predicate in ["#any-of? @function.builtin", "#not-any-of? @function.call"] {
        let list = highlights
            .split(predicate)
            .nth(1)
            .unwrap()
            .split(')')
            .next()
            .unwrap();
        let listed: BTreeSet<&str> = list.split('"').skip(1).step_by(2).collect();
        let functions: BTreeSet<&str> = FUNCTIONS
            .iter()
            .flat_map(|(en, zh, _)| [*en, *zh])
            .collect();
        assert_eq!(listed, functions, "the functions of `{predicate}`");
    }
}

/// Pest rules whose tree-sitter counterpart has another name, or none of its
/// own (an empty name: a token written in place, or a rule tree-sitter does
/// not need). Every other pest rule has a rule of the same name.
const COUNTERPARTS: &[(&str, &str)] = &[
    ("WHITESPACE", ""), // `extras`
    ("COMMENT", "comment"),
    ("ident_char", "identifier"),
    ("bare_name", "identifier"),
    ("word", "identifier"),
    ("name", "_name"),
    ("label", "_name"),
    ("quoted_name", "_name"), // a string, aliased
    ("keyword", ""),          // keyword extraction: a keyword only where it may stand
    ("file", "source_file"),
    ("declaration_at", ""), // the compiler's error recovery
    ("declaration", "_declaration"),
    ("script_code", "_script_part"),
    ("script_skip", "_script_part"),
    ("setting", "_setting"),
    ("rounding", "precision"),
    ("na_setting", "not_applicable"),
    ("redistribute", "na_rule"),
    ("missing_setting", "missing"),
    ("rank_method", "rank"),
    ("lint_name", "allow"), // an identifier, aliased
    ("number_type", "input_type"),
    ("percent_type", "input_type"),
    ("set_type", "input_type"),
    ("signed_number", "_signed_number"),
    ("signed_percent", "_signed_percent"),
    ("input_opt", "_input_option"),
    ("per_opt", "per_option"),
    ("column_opt", "column_option"),
    ("from_opt", "from_option"),
    ("unit_opt", "unit_option"),
    ("let_decl", "let_declaration"),
    ("node", "body"),
    ("group", "category"),
    ("group_kw", "category"),
    ("size", "_size"),
    ("clause", "_clause"),
    ("lower_bracket", "interval"),
    ("upper_bracket", "interval"),
    ("bound", "_bound"),
    ("open_bound", "_bound"), // `..`, aliased
    ("plus_minus", "vary_weights"),
    ("vary_na", "vary_not_applicable"),
    ("change", "_declaration"),
    ("change_node", "change"),
    ("remove_node", "remove"),
    ("removed_input", "remove"),
    ("add_nodes", "add"),
    ("rename_node", "rename"),
    ("move_node", "move"),
    ("slash", "path"),
    ("cell_value", "cell"),
    ("lbracket", "list"),
    ("rbracket", "list"),
    ("expect_na", "expect_not_applicable"),
    ("expr", "_expression"),
    ("primary", "_expression"),
    ("keyword_led", "_expression"),
    ("constant", "_expression"),
    ("prefix", "unary"),
    ("neg", "unary"),
    ("not", "unary"),
    ("infix", "binary"),
    ("infix_start", "binary"),
    ("or", "binary"),
    ("and", "binary"),
    ("contains", "binary"),
    ("eq", "binary"),
    ("ne", "binary"),
    ("le", "binary"),
    ("ge", "binary"),
    ("lt", "binary"),
    ("gt", "binary"),
    ("add", "binary"),
    ("sub", "binary"),
    ("mul", "binary"),
    ("div", "binary"),
    ("if_expr", "if_expression"),
    ("match_expr", "match_expression"),
    ("bands_expr", "bands_expression"),
    ("in_turn_expr", "in_turn_expression"),
    ("pattern", "_pattern"),
    ("wildcard", "_pattern"), // `_`, aliased
    // Punctuation is written in place.
    ("colon", ""),
    ("comma", ""),
    ("lbrace", ""),
    ("rbrace", ""),
    ("lparen", ""),
    ("rparen", ""),
    ("arrow", ""),
    ("bar", ""),
    ("assign", ""),
    ("dots", ""),
];

/// The names of the pest grammar's rules, keywords (`kw_`) aside: those are
/// the alias table, checked above.
fn pest_rules() -> Vec<String> {
    let pest = std::fs::read_to_string("grammar/zhibiao.pest").unwrap();
    pest.lines()
        .filter_map(|line| {
            let (name, rest) = line.split_once('=')?;
            let name = name.trim();
            let is_rule = !name.is_empty()
                && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                && rest
                    .trim_start()
                    .trim_start_matches(['_', '@', '$'])
                    .starts_with('{');
            (is_rule && !name.starts_with("kw_")).then(|| name.to_string())
        })
        .collect()
}

#[test]
fn every_pest_rule_has_its_tree_sitter_rule() {
    let grammar = read("grammar.js");
    let rules = pest_rules();
    assert!(rules.len() > 100, "read {} pest rules", rules.len());
    for rule in &rules {
        let counterpart = COUNTERPARTS
            .iter()
            .find(|(pest, _)| pest == rule)
            .map_or(rule.as_str(), |(_, ts)| ts);
        if counterpart.is_empty() {
            continue;
        }
        let defined = [
            format!("\n    {counterpart}: $ =>"),
            format!("\n    {counterpart}: _ =>"),
        ];
        assert!(
            defined.iter().any(|d| grammar.contains(d.as_str())),
            "the pest rule `{rule}` has no tree-sitter rule `{counterpart}` in {DIR}/grammar.js \
             (add it, or say in COUNTERPARTS which rule stands for it)"
        );
    }
    for (pest, _) in COUNTERPARTS {
        assert!(
            rules.iter().any(|r| r == pest),
            "`{pest}` is no longer a pest rule"
        );
    }
}

/// The tree-sitter CLI, where it is installed.
fn cli() -> Option<PathBuf> {
    let found = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|dir| dir.join("tree-sitter"))
            .find(|path| path.is_file())
    });
    if found.is_none() {
        assert!(
            std::env::var_os("ZHIBIAO_REQUIRE_TREE_SITTER").is_none(),
            "the tree-sitter CLI is required but not on PATH"
        );
        eprintln!("tree-sitter CLI not found: the tree-sitter parser checks are skipped");
    }
    found
}

fn run(cli: &Path, dir: &Path, args: &[&str]) -> String {
    let output = Command::new(cli)
        .current_dir(dir)
        .args(args)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        output.status.success(),
        "tree-sitter {args:?} failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    stdout
}

/// Every `.zb` file under `dir` that the compiler's parser accepts: the
/// cases that expect a syntax error are left out.
fn valid_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            valid_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "zb") {
            let text = std::fs::read_to_string(&path).unwrap();
            let header = text
                .lines()
                .take_while(|l| l.trim_start().starts_with("//"));
            if !header
                .into_iter()
                .any(|l| l.contains("expect: error syntax::"))
            {
                out.push(path);
            }
        }
    }
}

/// The README's policy examples that the compiler parses, each in a file.
fn readme_examples(dir: &Path) -> Vec<PathBuf> {
    let readme = std::fs::read_to_string("README.md").unwrap();
    let mut out = Vec::new();
    for (i, block) in readme.split("```zb\n").skip(1).enumerate() {
        let text = &block[..block.find("```").unwrap()];
        if zhibiao::syntax::format::format(text).is_ok() {
            let path = dir.join(format!("readme-{i}.zb"));
            std::fs::write(&path, text).unwrap();
            out.push(path);
        }
    }
    out
}

/// One test, so that the CLI builds the parser once and not concurrently.
#[test]
fn the_tree_sitter_cli_parses_every_policy_and_case() {
    let Some(cli) = cli() else {
        return;
    };
    let root = std::env::current_dir().unwrap();
    let grammar = root.join(DIR);
    let scratch = run::temp_dir("tree-sitter");

    // The committed parser is what grammar.js generates.
    let generated = scratch.join("src");
    let out = generated.to_str().unwrap();
    run(&cli, &grammar, &["generate", "--abi", "14", "-o", out]);
    for file in ["parser.c", "grammar.json", "node-types.json"] {
        assert!(
            std::fs::read(generated.join(file)).unwrap()
                == read(&format!("src/{file}")).into_bytes(),
            "{DIR}/src/{file} is not what grammar.js generates: run `tree-sitter generate --abi 14` in {DIR}"
        );
    }

    // The corpus (test/corpus) and highlight (test/highlight) tests.
    run(&cli, &grammar, &["test"]);

    // Helix's and Zed's queries name only what the grammar has.
    let policy = root.join("policies/heihe/2023.zb");
    for query in [
        "editors/helix/queries/zhibiao/highlights.scm",
        "editors/helix/queries/zhibiao/indents.scm",
        "editors/zed/languages/zhibiao/brackets.scm",
        "editors/zed/languages/zhibiao/indents.scm",
        "editors/zed/languages/zhibiao/outline.scm",
    ] {
        let query = root.join(query);
        let (query, policy) = (query.to_str().unwrap(), policy.to_str().unwrap());
        run(&cli, &grammar, &["query", "-p", ".", query, policy]);
    }

    // Every valid file parses without an error.
    let mut files = Vec::new();
    for dir in ["policies", "examples", "benches", "tests"] {
        valid_files(&root.join(dir), &mut files);
    }
    files.push(root.join("editors/vscode/test/sample.zb.txt"));
    files.extend(readme_examples(&scratch));
    assert!(files.len() > 200, "found only {} files", files.len());
    let list = scratch.join("files.txt");
    let paths: Vec<&str> = files.iter().map(|p| p.to_str().unwrap()).collect();
    std::fs::write(&list, paths.join("\n")).unwrap();
    let grammar_path = grammar.to_str().unwrap();
    let list_path = list.to_str().unwrap();
    let trees = run(
        &cli,
        &root,
        &["parse", "-p", grammar_path, "--paths", list_path],
    );
    assert_eq!(trees.matches("(source_file").count(), files.len());
    for (path, tree) in paths.iter().zip(trees.split("(source_file").skip(1)) {
        assert!(
            !tree.contains("(ERROR") && !tree.contains("(MISSING"),
            "tree-sitter cannot parse {path}:\n{tree}"
        );
    }
}
