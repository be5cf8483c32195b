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
            out.push(self.symbol(
                &h.name.value,
                "policy",
                SymbolKind::NAMESPACE,
                h.span,
                h.name.span,
                Vec::new(),
            ));
        }
        for input in &file.inputs {
            for name in &input.names {
                let detail = input.description.clone().unwrap_or_default();
                out.push(self.symbol(
                    &name.value,
                    &detail,
                    SymbolKind::VARIABLE,
                    input.span,
                    name.span,
                    Vec::new(),
                ));
            }
        }
        for l in &file.lets {
            out.push(self.symbol(
                &l.name.value,
                "let",
                SymbolKind::VARIABLE,
                l.span,
                l.name.span,
                Vec::new(),
            ));
        }
        out.extend(file.tree.iter().map(|n| self.node_symbol(n)));
        for part in &file.parts {
            let items = part.items.iter().map(|n| self.node_symbol(n)).collect();
            out.push(self.symbol(
                &part.name.value,
                "",
                SymbolKind::STRUCT,
                part.span,
                part.name.span,
                items,
            ));
        }
        for veto in &file.vetoes {
            out.push(self.symbol(
                &veto.name.value,
                "veto",
                SymbolKind::EVENT,
                veto.span,
                veto.name.span,
                Vec::new(),
            ));
        }
        for grades in &file.grades {
            let members = grades
                .grades
                .iter()
                .map(|g| {
                    let span = g.name.span.to(g.interval.span);
                    let detail = print::interval(&g.interval);
                    self.symbol(
                        &g.name.value,
                        &detail,
                        SymbolKind::ENUM_MEMBER,
                        span,
                        g.name.span,
                        Vec::new(),
                    )
                })
                .collect();
            let name = print::kw("grades", self.lang);
            out.push(self.symbol(
                name,
                "",
                SymbolKind::ENUM,
                grades.span,
                grades.span,
                members,
            ));
        }
        for change in &file.changes {
            let name = self
                .text
                .get(change.span.range())
                .and_then(|t| t.lines().next())
                .unwrap_or("change");
            let children = match &change.action {
                ast::ChangeAction::Add(nodes) => {
                    nodes.iter().map(|n| self.node_symbol(n)).collect()
                }
                _ => Vec::new(),
            };
            out.push(self.symbol(
                name,
                "",
                SymbolKind::OPERATOR,
                change.span,
                change.span,
                children,
            ));
        }
        for test in &file.tests {
            out.push(self.symbol(
                &test.name.value,
                "test",
                SymbolKind::METHOD,
                test.span,
                test.name.span,
                Vec::new(),
            ));
        }
        out
    }

    fn node_symbol(&self, node: &ast::Node) -> DocumentSymbol {
        let detail = node.size.map(|s| print::size(s.value)).unwrap_or_default();
        let (kind, children) = match &node.body {
            NodeBody::Group(children) => (
                SymbolKind::MODULE,
                children.iter().map(|n| self.node_symbol(n)).collect(),
            ),
            NodeBody::Item(_) => (SymbolKind::FIELD, Vec::new()),
        };
        self.symbol(
            &node.name.value,
            &detail,
            kind,
            node.span,
            node.name.span,
            children,
        )
    }

    fn symbol(
        &self,
        name: &str,
        detail: &str,
        kind: SymbolKind,
        span: Span,
        selection: Span,
        children: Vec<DocumentSymbol>,
    ) -> DocumentSymbol {
        let lines = self.lines();
        let range = lines.range(span.start as usize, span.end as usize);
        let mut selection_range = lines.range(selection.start as usize, selection.end as usize);
        // The selection must lie inside the range.
        if selection_range.start < range.start || selection_range.end > range.end {
            selection_range = range;
        }
        #[allow(deprecated)]
        DocumentSymbol {
            name: if name.trim().is_empty() {
                String::from("?")
            } else {
                name.to_string()
            },
            detail: (!detail.is_empty()).then(|| detail.to_string()),
            kind,
            tags: None,
            deprecated: None,
            range,
            selection_range,
            children: (!children.is_empty()).then_some(children),
        }
    }
}
