//! Document symbols: the document's declarations as an outline, with the
//! indicator tree nested as written.

use super::analysis::Analysis;
use crate::source::Span;
use crate::syntax::ast::{self, NodeBody};
use crate::syntax::print;
use lsp_types::{DocumentSymbol, SymbolKind};

impl Analysis {
    pub fn outline(&self) -> Vec<DocumentSymbol> {
        let Some(file) = self.files.first() else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for h in &file.header {
            out.push(self.symbol(SymbolKind::NAMESPACE, &h.name, h.span));
        }
        for input in &file.inputs {
            for name in &input.names {
                let symbol = self.symbol(SymbolKind::VARIABLE, name, input.span);
                out.push(detailed(symbol, input.description.as_deref().unwrap_or("")));
            }
        }
        for l in &file.lets {
            out.push(self.symbol(SymbolKind::VARIABLE, &l.name, l.span));
        }
        out.extend(file.tree.iter().map(|n| self.node_symbol(n)));
        for part in &file.parts {
            let symbol = self.symbol(SymbolKind::STRUCT, &part.name, part.span);
            out.push(nested(
                symbol,
                part.items.iter().map(|n| self.node_symbol(n)).collect(),
            ));
        }
        for veto in &file.vetoes {
            out.push(self.symbol(SymbolKind::EVENT, &veto.name, veto.span));
        }
        for grades in &file.grades {
            let members = grades.grades.iter().map(|g| {
                let symbol = self.symbol(
                    SymbolKind::ENUM_MEMBER,
                    &g.name,
                    g.name.span.to(g.interval.span),
                );
                detailed(symbol, &print::interval(&g.interval))
            });
            let title = ast::Name::new(print::kw("grades", self.lang).to_string(), grades.span);
            out.push(nested(
                self.symbol(SymbolKind::ENUM, &title, grades.span),
                members.collect(),
            ));
        }
        for change in &file.changes {
            let first_line = self
                .text
                .get(change.span.range())
                .and_then(|t| t.lines().next());
            let title = ast::Name::new(first_line.unwrap_or("change").to_string(), change.span);
            let children = match &change.action {
                ast::ChangeAction::Add(nodes) => {
                    nodes.iter().map(|n| self.node_symbol(n)).collect()
                }
                _ => Vec::new(),
            };
            out.push(nested(
                self.symbol(SymbolKind::OPERATOR, &title, change.span),
                children,
            ));
        }
        for test in &file.tests {
            out.push(self.symbol(SymbolKind::METHOD, &test.name, test.span));
        }
        out
    }

    fn node_symbol(&self, node: &ast::Node) -> DocumentSymbol {
        let (kind, children) = match &node.body {
            NodeBody::Group(children) => (
                SymbolKind::MODULE,
                children.iter().map(|n| self.node_symbol(n)).collect(),
            ),
            NodeBody::Item(_) => (SymbolKind::FIELD, Vec::new()),
        };
        let symbol = self.symbol(kind, &node.name, node.span);
        let points = node.size.map(|s| print::size(s.value)).unwrap_or_default();
        nested(detailed(symbol, &points), children)
    }

    /// A declaration named `name` that spans `span`.
    fn symbol(&self, kind: SymbolKind, name: &ast::Name, span: Span) -> DocumentSymbol {
        let lines = self.lines();
        let range = lines.range(span.start as usize, span.end as usize);
        let mut selection_range = lines.range(name.span.start as usize, name.span.end as usize);
        // The selection must lie inside the range.
        if selection_range.start < range.start || selection_range.end > range.end {
            selection_range = range;
        }
        #[allow(deprecated)]
        DocumentSymbol {
            name: match name.value.trim() {
                "" => String::from("?"),
                _ => name.value.clone(),
            },
            detail: None,
            kind,
            tags: None,
            deprecated: None,
            range,
            selection_range,
            children: None,
        }
    }
}

fn detailed(symbol: DocumentSymbol, detail: &str) -> DocumentSymbol {
    DocumentSymbol {
        detail: (!detail.is_empty()).then(|| detail.to_string()),
        ..symbol
    }
}

fn nested(symbol: DocumentSymbol, children: Vec<DocumentSymbol>) -> DocumentSymbol {
    DocumentSymbol {
        children: (!children.is_empty()).then_some(children),
        ..symbol
    }
}
