//! Semantic tokens: each name of the document coloured as what it names —
//! an input, a derived value, a node, a choice, a kind, a level, a grade, a
//! part, a veto, a test — so that a name which is also a keyword (`类别` in
//! `levels`, `等级` as a choice) is coloured as the name it is.

use super::analysis::Analysis;
use super::index::Symbol;
use crate::source::Span;
use crate::syntax::ast::Setting;
use lsp_types::{self as lsp, SemanticTokenModifier as Modifier, SemanticTokenType as Type};
use std::collections::HashSet;

/// The token types, in the legend's order.
const TYPES: [Type; 10] = [
    Type::VARIABLE,
    Type::FUNCTION,
    Type::CLASS,
    Type::ENUM_MEMBER,
    Type::TYPE,
    Type::ENUM,
    Type::STRUCT,
    Type::EVENT,
    Type::METHOD,
    Type::NAMESPACE,
];

pub fn legend() -> lsp::SemanticTokensLegend {
    lsp::SemanticTokensLegend {
        token_types: TYPES.to_vec(),
        token_modifiers: vec![Modifier::DECLARATION],
    }
}

fn kind(symbol: &Symbol) -> u32 {
    match symbol {
        Symbol::Input(_) => 0,
        Symbol::Let(_) => 1,
        Symbol::Node(_) => 2,
        Symbol::Choice(..) => 3,
        Symbol::Kind(_) => 4,
        Symbol::Grade(_) => 5,
        Symbol::Part(_) => 6,
        Symbol::Veto(_) => 7,
        Symbol::Test(_) => 8,
        Symbol::File(_) => 9,
    }
}

/// Type 4 (a type) for a level named in `levels`.
const LEVEL: u32 = 4;

impl Analysis {
    /// The document's names as semantic tokens.
    pub fn tokens(&self) -> lsp::SemanticTokens {
        tokens(self)
    }
}

fn tokens(a: &Analysis) -> lsp::SemanticTokens {
    // (span, type, declaration); names that are both an input and a derived
    // value where written are what is declared.
    let mut found: Vec<(Span, u32, bool)> = Vec::new();
    // What is declared here or, for a test file, in its policy.
    let declared: HashSet<&Symbol> = (a.with_policy().flat_map(|x| &x.occurrences))
        .filter(|o| o.def)
        .map(|o| &o.symbol)
        .collect();
    for o in a.occurrences.iter().filter(|o| a.in_document(o.span)) {
        let ambiguous = matches!(o.symbol, Symbol::Input(_) | Symbol::Let(_));
        if ambiguous && !declared.contains(&o.symbol) {
            continue;
        }
        found.push((o.span, kind(&o.symbol), o.def));
    }
    for n in a.nodes.iter().filter(|n| a.in_document(n.name_span)) {
        found.push((n.name_span, kind(&Symbol::Node(0)), true));
    }
    let header = a.files.first().and_then(|f| f.header.first());
    for setting in header.iter().flat_map(|h| &h.settings) {
        if let Setting::Levels(levels) = &setting.value {
            found.extend(levels.iter().map(|l| (l.span, LEVEL, true)));
        }
    }
    found.sort_by_key(|(s, _, _)| (s.start, s.end));
    found.dedup_by_key(|(s, _, _)| s.start);
    let lines = a.lines();
    let (mut line, mut column) = (0, 0);
    let mut data = Vec::new();
    let mut last_end = 0;
    for (span, token, declaration) in found {
        if (span.start as usize) < last_end {
            continue; // inside the one before (a path's part)
        }
        let range = lines.range(span.start as usize, span.end as usize);
        if range.start.line != range.end.line {
            continue;
        }
        let delta_line = range.start.line - line;
        let delta_start = match delta_line {
            0 => range.start.character - column,
            _ => range.start.character,
        };
        data.push(lsp::SemanticToken {
            delta_line,
            delta_start,
            length: range.end.character - range.start.character,
            token_type: token,
            token_modifiers_bitset: u32::from(declaration),
        });
        (line, column, last_end) = (range.start.line, range.start.character, span.end as usize);
    }
    lsp::SemanticTokens {
        result_id: None,
        data,
    }
}
