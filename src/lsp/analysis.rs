//! One open document, analysed: the checker's diagnostics, and the names,
//! nodes and outline the editor asks about. Computed once per edit; every
//! request reads it.

use super::index::{Collector, Occurrence, Symbol};
use super::nodes::{self, NodeDecl, Subtotal};
use super::text::{self, Lines};
use super::uri;
use crate::check;
use crate::derive::{Project, Reader};
use crate::diagnostics::{Diagnostic, Severity};
use crate::source::{SourceFile, Sources, Span};
use crate::syntax::{self, ast, print::Keywords};
use lsp_types as lsp;
use std::collections::HashSet;
use std::path::{Path, PathBuf};

pub struct Analysis {
    pub uri: lsp::Uri,
    pub text: String,
    line_starts: Vec<usize>,
    pub sources: Sources,
    pub diagnostics: Vec<Diagnostic>,
    /// The policy after `extends` (empty when the chain cannot be read).
    pub resolved: ast::File,
    /// Each file's own syntax tree: the document first, then those it extends.
    pub files: Vec<ast::File>,
    pub nodes: Vec<NodeDecl>,
    /// The top of the tree against the header's total.
    pub top: Option<(Span, Subtotal)>,
    pub occurrences: Vec<Occurrence>,
    pub lang: Keywords,
    /// The functions the policy's scripts define (for hover and completion).
    pub script_functions: Vec<crate::script::Function>,
    /// For a test file (`NAME.test.zb`), the analysis of `NAME.zb`: the
    /// names the tests write are its names.
    pub policy: Option<Box<Analysis>>,
}

impl Analysis {
    /// Checks `text` (the document at `uri`), reading what it extends with `read`.
    pub fn new(uri: lsp::Uri, text: String, read: &mut Reader) -> Analysis {
        Analysis::within(uri, text, None, read)
    }

    /// [`Analysis::new`], the policies it extends confined to `workspace`
    /// when the document lies in it (else to the document's folder).
    pub fn within(
        uri: lsp::Uri,
        text: String,
        workspace: Option<&Project>,
        read: &mut Reader,
    ) -> Analysis {
        let path = uri::path(&uri).unwrap_or_else(|| PathBuf::from(uri.as_str()));
        let project = workspace
            .filter(|p| path.starts_with(p.root()))
            .cloned()
            .unwrap_or_else(|| Project::around(&path));
        let policy_path = crate::testing::policy_of(&path);
        let tests =
            (policy_path.as_ref()).map(|policy| test_file(policy, &path, &text, &project, read));
        let policy = policy_path.and_then(|p| {
            let text = read(&p).ok()?;
            Some(Box::new(Analysis::within(
                uri::from_path(&p)?,
                text,
                workspace,
                read,
            )))
        });
        let source = SourceFile::new(path, text.clone());
        let compiled = check::compile_in(&source, &project, read);
        let diagnostics = match (tests, compiled.result) {
            (Some(found), _) => found,
            (None, Ok(checked)) => checked.warnings,
            (None, Err(found)) => found,
        };
        let files = match compiled.files {
            files if files.is_empty() => vec![compiled.syntax.clone()],
            files => files,
        };
        let lang = language(&text, files.first());
        let header_text = |f: &ast::File| {
            f.header
                .first()
                .map_or("", |h| compiled.sources.slice(h.span))
                .to_string()
        };
        let resolved_tree = nodes::tree(&compiled.syntax, &header_text(&compiled.syntax));
        let mut nodes = resolved_tree.nodes;
        let mut seen: HashSet<Span> = nodes.iter().map(|n| n.name_span).collect();
        for file in &files {
            for node in nodes::tree(file, &header_text(file)).nodes {
                if seen.insert(node.name_span) {
                    nodes.push(node);
                }
            }
        }
        let mut occurrences = match &policy {
            // A test file's names are its policy's.
            Some(p) => {
                let mut collector = Collector::new(&p.nodes, &p.resolved.inputs);
                collector.file(&compiled.syntax);
                collector.out
            }
            None => {
                let mut collector = Collector::new(&nodes, &compiled.syntax.inputs);
                files.iter().for_each(|f| collector.file(f));
                collector.out
            }
        };
        if let Some(extends) = files
            .first()
            .and_then(|f| f.header.first()?.extends.clone())
        {
            occurrences.push(Occurrence {
                span: extends.span,
                symbol: Symbol::File(1),
                def: false,
            });
        }
        Analysis {
            uri,
            line_starts: text::starts(&text),
            text,
            sources: compiled.sources,
            diagnostics,
            resolved: compiled.syntax,
            files,
            nodes,
            top: resolved_tree.top,
            occurrences,
            lang,
            script_functions: compiled.script_functions,
            policy,
        }
    }

    /// Where the names of the document are declared: its policy's analysis
    /// for a test file, else itself.
    pub fn home(&self) -> &Analysis {
        self.policy.as_deref().unwrap_or(self)
    }

    /// This analysis and, for a test file, its policy's: where its names
    /// are written.
    pub fn with_policy(&self) -> impl Iterator<Item = &Analysis> {
        std::iter::once(self).chain(self.policy.as_deref())
    }

    pub fn lines(&self) -> Lines<'_> {
        Lines::with_starts(&self.text, &self.line_starts)
    }

    /// The span lies in the document (not in a file it extends).
    pub fn in_document(&self, span: Span) -> bool {
        (span.end as usize) <= self.text.len()
    }

    /// The symbols written at a byte offset of the document, innermost first.
    pub fn symbols_at(&self, offset: usize) -> Vec<&Symbol> {
        let mut at: Vec<&Occurrence> = self
            .occurrences
            .iter()
            .filter(|o| {
                self.in_document(o.span)
                    && (o.span.range().contains(&offset) || o.span.end as usize == offset)
            })
            .collect();
        at.sort_by_key(|o| o.span.len());
        let mut symbols: Vec<&Symbol> = Vec::new();
        for o in at {
            if !symbols.contains(&&o.symbol) && self.is_declared(&o.symbol) {
                symbols.push(&o.symbol);
            }
        }
        symbols
    }

    fn is_declared(&self, symbol: &Symbol) -> bool {
        matches!(symbol, Symbol::File(_) | Symbol::Node(_))
            || self
                .occurrences
                .iter()
                .any(|o| o.def && &o.symbol == symbol)
            || self.policy.as_ref().is_some_and(|p| p.is_declared(symbol))
    }

    /// Where the symbols at an offset are declared (in the policy, for a
    /// test file's names).
    pub fn definition(&self, offset: usize) -> Vec<lsp::Location> {
        let home = self.home();
        let mut found = Vec::new();
        for symbol in self.symbols_at(offset) {
            match symbol {
                Symbol::File(i) => found.extend(self.file_start(*i)),
                Symbol::Node(i) => {
                    found.extend(home.nodes.get(*i).and_then(|n| home.location(n.name_span)));
                }
                _ => {
                    for a in self.with_policy() {
                        let declared = a
                            .occurrences
                            .iter()
                            .filter(|o| o.def && &o.symbol == symbol);
                        found.extend(declared.filter_map(|o| a.location(o.span)));
                    }
                }
            }
        }
        dedup(found)
    }

    /// Every place the symbols at an offset are written (and, for a test
    /// file, in its policy).
    pub fn references(&self, offset: usize, declaration: bool) -> Vec<lsp::Location> {
        let symbols = self.symbols_at(offset);
        let mut found = Vec::new();
        for a in self.with_policy() {
            let written = (a.occurrences.iter())
                .filter(|o| symbols.contains(&&o.symbol) && (declaration || !o.def));
            found.extend(written.filter_map(|o| a.location(o.span)));
        }
        dedup(found)
    }

    /// The location of a span in whichever file it points into.
    pub fn location(&self, span: Span) -> Option<lsp::Location> {
        if self.in_document(span) {
            let range = self.lines().range(span.start as usize, span.end as usize);
            return Some(lsp::Location::new(self.uri.clone(), range));
        }
        let (file, local) = self.sources.locate(span)?;
        let range = Lines::new(&file.text).range(local.start as usize, local.end as usize);
        Some(lsp::Location::new(uri::from_path(&file.path)?, range))
    }

    fn file_start(&self, index: usize) -> Option<lsp::Location> {
        let (_, file) = self.sources.files().nth(index)?;
        let start = lsp::Position::new(0, 0);
        Some(lsp::Location::new(
            uri::from_path(&file.path)?,
            lsp::Range::new(start, start),
        ))
    }

    /// The checker's diagnostics, placed in the document. A problem in a
    /// file it extends is shown at the `extends`.
    pub fn lsp_diagnostics(&self) -> Vec<lsp::Diagnostic> {
        let extends = self
            .files
            .first()
            .and_then(|f| f.header.first()?.extends.as_ref().map(|e| e.span))
            .unwrap_or_default();
        self.diagnostics
            .iter()
            .map(|d| {
                let primary = d.labels.first();
                let mut message = d.message.clone();
                let span = match primary {
                    Some(label) if self.in_document(label.span) => label.span,
                    Some(label) => {
                        message = format!("{}: {message}", self.sources.place(label.span));
                        extends
                    }
                    None => Span::default(),
                };
                if let Some(label) = primary.filter(|l| !l.message.is_empty()) {
                    message = format!("{message}\n{}", label.message);
                }
                if let Some(help) = &d.help {
                    message = format!("{message}\nhelp: {help}");
                }
                let related = d
                    .labels
                    .iter()
                    .skip(1)
                    .filter_map(|l| {
                        Some(lsp::DiagnosticRelatedInformation {
                            location: self.location(l.span)?,
                            message: l.message.clone(),
                        })
                    })
                    .collect::<Vec<_>>();
                lsp::Diagnostic {
                    range: self.lines().range(span.start as usize, span.end as usize),
                    severity: Some(match d.severity {
                        Severity::Error => lsp::DiagnosticSeverity::ERROR,
                        Severity::Warning => lsp::DiagnosticSeverity::WARNING,
                    }),
                    code: Some(lsp::NumberOrString::String(d.code.to_string())),
                    source: Some(String::from("zhibiao")),
                    message,
                    related_information: (!related.is_empty()).then_some(related),
                    ..lsp::Diagnostic::default()
                }
            })
            .collect()
    }

    /// Each group's subtotal (and the tree's, at the header's total) after
    /// the points written in the document.
    pub fn inlay_hints(&self) -> Vec<lsp::InlayHint> {
        let groups = self
            .nodes
            .iter()
            .filter_map(|n| Some((n.size_span?, n.subtotal?)));
        self.top
            .into_iter()
            .chain(groups)
            .filter(|(span, _)| self.in_document(*span))
            .map(|(span, subtotal)| lsp::InlayHint {
                position: self.lines().position(span.end as usize),
                label: lsp::InlayHintLabel::String(subtotal.label()),
                kind: None,
                text_edits: None,
                tooltip: Some(lsp::InlayHintTooltip::String(String::from(
                    "the points of the children, against the points declared here",
                ))),
                padding_left: Some(true),
                padding_right: None,
                data: None,
            })
            .collect()
    }

    /// The document in canonical layout, as one edit (none if it does not
    /// parse or is formatted already).
    pub fn format(&self) -> Vec<lsp::TextEdit> {
        match syntax::format::format(&self.text) {
            Ok(formatted) if formatted != self.text => vec![lsp::TextEdit::new(
                self.lines().range(0, self.text.len()),
                formatted,
            )],
            _ => Vec::new(),
        }
    }
}

/// The keywords' language of a document: its header's, or Chinese if it
/// has Chinese text.
fn language(text: &str, file: Option<&ast::File>) -> Keywords {
    match file.and_then(|f| f.header.first()) {
        Some(h) => Keywords::of(text.get(h.span.range()).unwrap_or("")),
        None if text.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)) => Keywords::Chinese,
        None => Keywords::English,
    }
}

fn dedup(mut locations: Vec<lsp::Location>) -> Vec<lsp::Location> {
    let mut seen = HashSet::new();
    locations.retain(|l| {
        seen.insert((
            l.uri.as_str().to_string(),
            l.range.start.line,
            l.range.start.character,
            l.range.end.line,
            l.range.end.character,
        ))
    });
    locations
}

/// A test file's diagnostics, as `check` gives them: its tests resolved
/// against its policy (`NAME.zb` beside `NAME.test.zb`), placed in the test
/// file. None while the policy itself does not compile (its own document
/// shows why).
fn test_file(
    policy: &Path,
    test: &Path,
    text: &str,
    project: &Project,
    read: &mut Reader,
) -> Vec<Diagnostic> {
    let Ok(policy_text) = read(policy) else {
        return vec![
            Diagnostic::error(
                crate::derive::MISSING_PARENT,
                format!(
                    "cannot read the policy `{}` these tests are of",
                    policy.display()
                ),
            )
            .label(Span::new(0, 0), "the tests of this policy")
            .help("a test file NAME.test.zb tests the policy NAME.zb beside it"),
        ];
    };
    let compiled = check::compile_in(&SourceFile::new(policy, policy_text), project, read);
    let Ok(checked) = compiled.result else {
        return Vec::new();
    };
    let mut sources = compiled.sources;
    let file = SourceFile::new(test, text.to_string());
    let (_, problems) = crate::testing::read_file(&checked.policy, &mut sources, file);
    let base = sources.files().last().map_or(0, |(b, _)| b);
    // Spans into the test file, now the document; labels elsewhere dropped.
    (problems.into_iter())
        .map(|mut d| {
            d.labels.retain(|l| l.span.start >= base);
            for l in &mut d.labels {
                l.span = Span::new((l.span.start - base) as usize, (l.span.end - base) as usize);
            }
            d
        })
        .collect()
}
