//! Rename: every place a name is written — in the document, the policies it
//! extends, and the other analyses given (the open documents and the
//! workspace's policies that extend it, its test files). A name is the same
//! name in two analyses when it is declared at the same place.

use super::analysis::Analysis;
use super::index::{Collector, Symbol};
use super::text::Lines;
use crate::source::Span;
use crate::syntax::{self, print};
use lsp_types as lsp;
use std::collections::{BTreeMap, HashMap, HashSet};

impl Analysis {
    /// The name at `offset` as written (its range in the document) and as
    /// it reads, if it can be renamed.
    pub fn prepare_rename(&self, offset: usize) -> Option<(lsp::Range, String)> {
        prepare(self, offset)
    }
}

fn prepare(a: &Analysis, offset: usize) -> Option<(lsp::Range, String)> {
    let symbol = a.symbols_at(offset).into_iter().find(|s| renamable(s))?;
    let old = name_of(a, symbol)?;
    let span = (a.occurrences.iter())
        .filter(|o| &o.symbol == symbol && a.in_document(o.span))
        .filter(|o| o.span.range().contains(&offset) || o.span.end as usize == offset)
        .find_map(|o| name_in(a.sources.slice(o.span), o.span, &old))?;
    Some((a.lines().range(span.start as usize, span.end as usize), old))
}

/// A test file (`NAME.test.zb`): where it is and its text.
pub struct TestFile {
    pub uri: lsp::Uri,
    pub text: String,
}

/// The edits that rename the name at `offset` of `origin` to `new`;
/// `tests` gives the test file of a policy analysed, if it has one.
#[allow(
    clippy::mutable_key_type,
    reason = "the protocol's WorkspaceEdit is keyed by Uri"
)]
pub fn rename(
    origin: &Analysis,
    offset: usize,
    new: &str,
    others: &[&Analysis],
    tests: &dyn Fn(&Analysis) -> Option<TestFile>,
) -> Result<lsp::WorkspaceEdit, String> {
    if new.trim().is_empty() || new.contains(['"', '\n', '\r']) || new != new.trim() {
        return Err(format!(
            "`{new}` cannot be a name: give one without quotes, line breaks or spaces around it"
        ));
    }
    let symbol = (origin.symbols_at(offset).into_iter())
        .find(|s| renamable(s))
        .ok_or("no name to rename here")?;
    let old = name_of(origin, symbol).ok_or("no name to rename here")?;
    let declared: Vec<lsp::Location> = declarations(origin, symbol);
    let written = print::name(new);
    let mut edits: BTreeMap<String, (lsp::Uri, Vec<lsp::TextEdit>)> = BTreeMap::new();
    let mut add = |location: lsp::Location| {
        let entry = (edits.entry(location.uri.as_str().to_string()))
            .or_insert_with(|| (location.uri.clone(), Vec::new()));
        if !entry.1.iter().any(|e| e.range == location.range) {
            entry
                .1
                .push(lsp::TextEdit::new(location.range, written.clone()));
        }
    };
    for a in std::iter::once(origin).chain(others.iter().copied()) {
        let same = same_symbols(a, &declared);
        if same.is_empty() {
            continue;
        }
        for o in a.occurrences.iter().filter(|o| same.contains(&o.symbol)) {
            let span = name_in(a.sources.slice(o.span), o.span, &old);
            add_all(&mut add, span.and_then(|s| a.location(s)));
        }
        // Its tests name its inputs, nodes, grades and vetoes as it has them.
        if let Some(test) = tests(a) {
            let mut collector = Collector::new(&a.nodes, &a.resolved.inputs);
            collector.file(&syntax::parse(&test.text).0);
            let lines = Lines::new(&test.text);
            for o in collector.out.iter().filter(|o| same.contains(&o.symbol)) {
                let text = test.text.get(o.span.range()).unwrap_or("");
                let span = name_in(text, o.span, &old);
                let range = span.map(|s| lines.range(s.start as usize, s.end as usize));
                add_all(
                    &mut add,
                    range.map(|r| lsp::Location::new(test.uri.clone(), r)),
                );
            }
        }
    }
    let changes: HashMap<lsp::Uri, Vec<lsp::TextEdit>> = (edits.into_values())
        .map(|(uri, mut list)| {
            list.sort_by_key(|e| (e.range.start.line, e.range.start.character));
            (uri, list)
        })
        .collect();
    Ok(lsp::WorkspaceEdit::new(changes))
}

fn add_all(add: &mut impl FnMut(lsp::Location), location: Option<lsp::Location>) {
    if let Some(l) = location {
        add(l);
    }
}

/// Names a rename changes: not files.
fn renamable(s: &Symbol) -> bool {
    !matches!(s, Symbol::File(_))
}

/// The name a symbol has, as it reads.
fn name_of(a: &Analysis, s: &Symbol) -> Option<String> {
    Some(match s {
        Symbol::Node(i) => a.home().nodes.get(*i)?.name.clone(),
        Symbol::Input(n)
        | Symbol::Let(n)
        | Symbol::Choice(_, n)
        | Symbol::Kind(n)
        | Symbol::Grade(n)
        | Symbol::Part(n)
        | Symbol::Veto(n)
        | Symbol::Test(n) => n.clone(),
        Symbol::File(_) => return None,
    })
}

/// Where a symbol is declared (for a test file's names, in its policy).
fn declarations(a: &Analysis, s: &Symbol) -> Vec<lsp::Location> {
    let home = a.home();
    let mut out: Vec<lsp::Location> = Vec::new();
    for x in a.with_policy() {
        let declared = x.occurrences.iter().filter(|o| o.def && &o.symbol == s);
        out.extend(declared.filter_map(|o| x.location(o.span)));
    }
    if let Symbol::Node(i) = s {
        out.extend(home.nodes.get(*i).and_then(|n| home.location(n.name_span)));
    }
    out
}

/// The symbols of `a` declared at one of `declared`.
fn same_symbols(a: &Analysis, declared: &[lsp::Location]) -> Vec<Symbol> {
    // Each symbol once: its declarations are looked up once.
    let mut seen = HashSet::new();
    (a.occurrences.iter().map(|o| &o.symbol))
        .filter(|s| seen.insert(*s))
        .filter(|s| declarations(a, s).iter().any(|d| declared.contains(d)))
        .cloned()
        .collect()
}

/// The span of the name `old` in an occurrence (at `span`, reading
/// `text`): the last time it is written there (a path ends with it), with
/// its quotes if it is quoted.
fn name_in(text: &str, span: Span, old: &str) -> Option<Span> {
    let at = text.rfind(old)?;
    let (mut start, mut end) = (at, at + old.len());
    if text.get(..start).is_some_and(|b| b.ends_with('"'))
        && text.get(end..).is_some_and(|e| e.starts_with('"'))
    {
        start -= 1;
        end += 1;
    }
    let (start, end) = (u32::try_from(start).ok()?, u32::try_from(end).ok()?);
    Some(Span::new(
        (span.start + start) as usize,
        (span.start + end) as usize,
    ))
}
