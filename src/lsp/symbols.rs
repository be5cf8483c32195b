//! Workspace symbols: the names declared in the open documents and the
//! workspace's policies — nodes (by their path), inputs, derived values,
//! kinds, grades, parts, vetoes and tests — that match what was typed.

use super::analysis::Analysis;
use super::index::Symbol;
use lsp_types::{self as lsp, SymbolKind};

/// The symbols declared in `a`'s own text whose name or path contains
/// `query` (case-insensitive; every one for an empty query).
#[allow(deprecated, reason = "SymbolInformation::deprecated must be given")]
pub fn declared(a: &Analysis, query: &str) -> Vec<lsp::SymbolInformation> {
    let query = query.to_lowercase();
    let matches = |name: &str| query.is_empty() || name.to_lowercase().contains(&query);
    let mut out = Vec::new();
    let mut push = |name: String, kind: SymbolKind, span, container: Option<String>| {
        if let Some(location) = a.location(span) {
            out.push(lsp::SymbolInformation {
                name,
                kind,
                tags: None,
                deprecated: None,
                location,
                container_name: container,
            });
        }
    };
    for n in a.nodes.iter().filter(|n| a.in_document(n.name_span)) {
        let path = n.path.join("/");
        if matches(&path) {
            let kind = if n.group {
                SymbolKind::MODULE
            } else {
                SymbolKind::FIELD
            };
            let parent = n
                .path
                .len()
                .checked_sub(1)
                .and_then(|k| n.path.get(..k))
                .map(|p| p.join("/"));
            push(
                n.name.clone(),
                kind,
                n.name_span,
                parent.filter(|p| !p.is_empty()),
            );
        }
    }
    for o in a
        .occurrences
        .iter()
        .filter(|o| o.def && a.in_document(o.span))
    {
        let (name, kind) = match &o.symbol {
            Symbol::Input(n) => (n, SymbolKind::VARIABLE),
            Symbol::Let(n) => (n, SymbolKind::FUNCTION),
            Symbol::Kind(n) => (n, SymbolKind::CLASS),
            Symbol::Grade(n) => (n, SymbolKind::ENUM_MEMBER),
            Symbol::Part(n) => (n, SymbolKind::STRUCT),
            Symbol::Veto(n) => (n, SymbolKind::EVENT),
            Symbol::Test(n) => (n, SymbolKind::METHOD),
            Symbol::Choice(..) | Symbol::Node(_) | Symbol::File(_) => continue,
        };
        if matches(name) {
            push(name.clone(), kind, o.span, None);
        }
    }
    out
}
