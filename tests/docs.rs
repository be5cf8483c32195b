//! The README and the test cases keep up with the code: every diagnostic code
//! is documented and has a case; every keyword alias is in the README's table.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use std::path::Path;

fn read_all(dir: &str, ext: &str) -> String {
    common::files(Path::new(dir), ext)
        .iter()
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect()
}

/// Every `"zhibiao::area::name"` string in the sources.
fn codes() -> Vec<String> {
    let src = read_all("src", "rs");
    let mut codes: Vec<String> = src
        .split('"')
        .filter(|s| s.starts_with("zhibiao::") && s.matches("::").count() == 2 && !s.contains(' '))
        .map(str::to_string)
        .collect();
    codes.sort();
    codes.dedup();
    codes
}

#[test]
fn every_code_is_in_the_readme_and_has_a_case() {
    let readme = std::fs::read_to_string("README.md").unwrap();
    let cases = read_all("tests/cases", "zb");
    let codes = codes();
    assert!(codes.len() > 30);
    for code in codes {
        assert!(
            readme.contains(&format!("| `{code}` |")),
            "README lacks `{code}`"
        );
        let short = code.trim_start_matches("zhibiao::");
        let declared = cases
            .lines()
            .any(|l| l.starts_with("// expect:") && l.split_whitespace().any(|w| w == short));
        assert!(declared, "no case under tests/cases expects `{short}`");
    }
}

#[test]
fn every_keyword_alias_is_in_the_readme_and_the_grammar() {
    let readme = std::fs::read_to_string("README.md").unwrap();
    let grammar = std::fs::read_to_string("grammar/zhibiao.pest").unwrap();
    for (en, zh, _) in zhibiao::syntax::keywords::KEYWORDS {
        assert!(
            readme.contains(&format!("| `{en}` | `{zh}` |")),
            "README lacks `{en}` / `{zh}`"
        );
        assert!(
            grammar.contains(&format!("(\"{en}\" | \"{zh}\")")),
            "grammar lacks `{en}` / `{zh}`"
        );
    }
    let block = grammar
        .split("keyword = @{")
        .nth(1)
        .unwrap()
        .split('}')
        .next()
        .unwrap();
    // The words, quoted: each reserved keyword in both languages.
    let mut in_grammar: Vec<&str> = block.split('"').skip(1).step_by(2).collect();
    let mut reserved: Vec<&str> = zhibiao::syntax::keywords::RESERVED
        .iter()
        .flat_map(|w| {
            let (en, zh, _) = zhibiao::syntax::keywords::KEYWORDS
                .iter()
                .find(|(en, _, _)| en == w)
                .unwrap();
            [*en, *zh]
        })
        .collect();
    in_grammar.sort();
    reserved.sort();
    assert_eq!(
        in_grammar, reserved,
        "the grammar's reserved words and keywords::RESERVED differ"
    );
    for word in zhibiao::syntax::keywords::RESERVED {
        let zh = zhibiao::syntax::keywords::KEYWORDS
            .iter()
            .find(|(en, _, _)| en == word)
            .unwrap()
            .1;
        assert!(
            readme.contains(&format!("| `{word}` | `{zh}` | reserved |")),
            "README does not mark `{word}` reserved"
        );
    }
    for (en, zh, _) in zhibiao::syntax::keywords::FUNCTIONS {
        assert!(
            readme.contains(en) && readme.contains(zh),
            "README lacks function `{en}` / `{zh}`"
        );
    }
}

/// The README's policy examples are written the way `zhibiao fmt` writes them.
#[test]
fn readme_policy_examples_are_formatted() {
    let readme = std::fs::read_to_string("README.md").unwrap();
    let mut blocks = 0;
    for block in readme.split("```zb\n").skip(1) {
        let text = &block[..block.find("```").unwrap()];
        if let Ok(formatted) = zhibiao::syntax::format::format(text) {
            assert_eq!(formatted, text, "run zhibiao fmt on this README example");
            blocks += 1;
        }
    }
    assert!(blocks >= 5, "only {blocks} README examples parse");
}
