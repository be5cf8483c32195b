//! The kinds of keyword, and how each editor's highlighting must colour
//! them: shared by the TextMate and Vim checks (`tests/editors.rs`) and the
//! tree-sitter checks (`tests/tree_sitter.rs`).

use zhibiao::syntax::keywords::KEYWORDS;

/// How one editor colours a kind of word.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Colour {
    /// The TextMate scope (VS Code).
    pub textmate: &'static str,
    /// The Vim highlight group.
    pub vim: &'static str,
    /// The tree-sitter capture (Neovim, Helix, Zed).
    pub tree_sitter: &'static str,
}

/// The kinds of word, by their English spelling. Every other keyword is
/// [`OTHER`].
const KINDS: &[(&[&str], Colour)] = &[
    (
        &[
            "policy",
            "input",
            "let",
            "category",
            "indicator",
            "item",
            "bonus",
            "deduction",
            "veto",
            "grades",
            "tiers",
            "funding",
            "uncertainty",
            "test",
            "change",
            "remove",
            "add",
            "rename",
            "move",
            "extends",
            "script",
        ],
        Colour {
            textmate: "keyword.declaration.zhibiao",
            vim: "zbDeclaration",
            tree_sitter: "keyword",
        },
    ),
    (
        &["if", "then", "else", "match", "bands", "for", "when"],
        Colour {
            textmate: "keyword.control.zhibiao",
            vim: "zbControl",
            tree_sitter: "keyword.conditional",
        },
    ),
    (
        &["and", "or", "not", "contains"],
        Colour {
            textmate: "keyword.operator.word.zhibiao",
            vim: "zbOperator",
            tree_sitter: "keyword.operator",
        },
    ),
    (
        &["true", "false"],
        Colour {
            textmate: "constant.language.zhibiao",
            vim: "zbConstant",
            tree_sitter: "boolean",
        },
    ),
    (
        &["bool", "number", "count", "percent", "ratio", "text", "set"],
        Colour {
            textmate: "storage.type.zhibiao",
            vim: "zbType",
            tree_sitter: "type.builtin",
        },
    ),
];

/// Every keyword not in [`KINDS`]: settings, rules' words, clauses.
const OTHER: Colour = Colour {
    textmate: "keyword.other.zhibiao",
    vim: "zbKeyword",
    tree_sitter: "keyword.modifier",
};

/// Every spelling once, with the colour of its first entry in the alias
/// table (`梯队` is both `tiers` and `tier`, and a declaration).
pub fn words() -> Vec<(&'static str, Colour)> {
    let mut out: Vec<(&str, Colour)> = Vec::new();
    for (en, zh, _) in KEYWORDS {
        let colour = KINDS
            .iter()
            .find(|(words, _)| words.contains(en))
            .map_or(OTHER, |(_, colour)| *colour);
        for word in [*en, *zh] {
            if !out.iter().any(|(w, _)| *w == word) {
                out.push((word, colour));
            }
        }
    }
    out
}
