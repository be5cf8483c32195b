//! Tests in the language: `test` blocks (in a policy or in `NAME.test.zb`
//! beside it) give one unit's cells and the values expected of it.
//!
//! Runs after `check` (it needs the compiled policy): [`resolve`] turns the
//! written tests into [`Test`]s — each cell typed like a data file's, each
//! expectation pointing at a node, part, veto or grade — with a diagnostic
//! for whatever does not resolve; [`run`] evaluates them; [`coverage`] says
//! what no test exercised.

mod coverage;
mod render;
mod run;

pub use render::{coverage_text, outcomes_text};

pub use coverage::{Coverage, Gap, What, coverage};
pub use run::{Failure, Outcome, run};

use crate::data::Dataset;
use crate::diagnostics::Diagnostic;
use crate::ir::{NodeId, Policy};
use crate::num::Num;
use crate::source::Span;
use crate::syntax::ast::{self, Expect, Expected, NodeRef, Target};

pub const UNKNOWN_INPUT: &str = "zhibiao::test::unknown_input";
pub const UNKNOWN_TARGET: &str = "zhibiao::test::unknown_target";
pub const BAD_CELL: &str = "zhibiao::test::bad_cell";
pub const UNKNOWN_BASE: &str = "zhibiao::test::unknown_base";
pub const DUPLICATE: &str = "zhibiao::test::duplicate";

/// A test, resolved against its policy.
#[derive(Debug, Clone)]
pub struct Test {
    pub name: String,
    /// The test's name where it is written.
    pub span: Span,
    /// The one unit the test describes.
    pub data: Dataset,
    pub expects: Vec<Expectation>,
}

#[derive(Debug, Clone)]
pub struct Expectation {
    pub span: Span,
    pub check: Check,
}

/// An expected number and the decimal places it was written with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Written {
    pub value: Num,
    pub places: u32,
}

impl std::fmt::Display for Written {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.value.fixed(self.places))
    }
}

/// What a test expects.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Check {
    /// The final score; compared at the policy's precision, or at the
    /// places written if there are more.
    Score(Written),
    Grade(usize),
    Node(NodeId, Written),
    /// A bonus or deduction part's points.
    Part(usize, Written),
    /// A veto fires (`true`) or does not.
    Veto(usize, bool),
    NotApplicable(NodeId),
}

impl Check {
    /// What the check is about, as a failure names it.
    pub fn subject(&self, policy: &Policy) -> String {
        let node = |id: &NodeId| policy.nodes.get(*id).map(|n| n.path.clone());
        match self {
            Check::Score(_) => Some("score".into()),
            Check::Grade(_) => Some("grade".into()),
            Check::Node(id, _) | Check::NotApplicable(id) => node(id),
            Check::Part(p, _) => policy.parts.get(*p).map(|p| p.name.clone()),
            Check::Veto(v, _) => policy.vetoes.get(*v).map(|v| format!("veto {}", v.name)),
        }
        .unwrap_or_default()
    }
}

/// Reads a test file (`NAME.test.zb`: only `test` blocks and comments) into
/// `sources` and resolves its tests against `policy`.
pub fn read_file(
    policy: &Policy,
    sources: &mut crate::source::Sources,
    file: crate::source::SourceFile,
) -> (Vec<Test>, Vec<Diagnostic>) {
    let text = file.text.clone();
    let base = sources.add(file);
    let (syntax, mut problems) = crate::syntax::parse_at(&text, base);
    let others = syntax
        .header
        .iter()
        .map(|h| h.span)
        .chain(syntax.inputs.iter().map(|i| i.span))
        .chain(syntax.lets.iter().map(|l| l.name.span))
        .chain(syntax.tree.iter().map(|n| n.name.span))
        .chain(syntax.parts.iter().map(|p| p.name.span))
        .chain(syntax.vetoes.iter().map(|v| v.span))
        .chain(syntax.grades.iter().map(|g| g.span))
        .chain(syntax.tiers.iter().map(|t| t.span))
        .chain(syntax.changes.iter().map(|c| c.span));
    for span in others {
        problems.push(
            Diagnostic::error(
                crate::syntax::SYNTAX,
                "a test file holds only tests",
            )
            .label(span, "not a test")
            .help("write the policy in NAME.zb and its tests, `test \"...\" { ... }`, in NAME.test.zb"),
        );
    }
    if problems.iter().any(Diagnostic::is_error) {
        return (Vec::new(), problems);
    }
    let (tests, mut more) = resolve(policy, &syntax.tests);
    problems.append(&mut more);
    (tests, problems)
}

/// Resolves the tests of one file against `policy`.
pub fn resolve(policy: &Policy, tests: &[ast::Test]) -> (Vec<Test>, Vec<Diagnostic>) {
    let mut r = Resolver {
        policy,
        diagnostics: Vec::new(),
    };
    let mut out = Vec::new();
    for (i, test) in tests.iter().enumerate() {
        if let Some(first) = tests
            .iter()
            .take(i)
            .find(|t| t.name.value == test.name.value)
        {
            r.diagnostics.push(
                Diagnostic::error(
                    DUPLICATE,
                    format!("two tests are named `{}`", test.name.value),
                )
                .label(test.name.span, "named again here")
                .label(first.name.span, "first here")
                .help("give each test its own name: failures are reported by name"),
            );
            continue;
        }
        let cells = r.cells(tests, test);
        let data = r.data(test, &cells);
        let expects = test
            .expects
            .iter()
            .filter_map(|e| {
                let check = r.expectation(&e.value)?;
                Some(Expectation {
                    span: e.span,
                    check,
                })
            })
            .collect();
        if let Some(data) = data {
            out.push(Test {
                name: test.name.value.clone(),
                span: test.name.span,
                data,
                expects,
            });
        }
    }
    (out, r.diagnostics)
}

struct Resolver<'p> {
    policy: &'p Policy,
    diagnostics: Vec<Diagnostic>,
}

impl Resolver<'_> {
    /// The test's cells, after those of the tests it extends (a later cell
    /// for the same column wins).
    fn cells<'t>(&mut self, tests: &'t [ast::Test], test: &'t ast::Test) -> Vec<&'t ast::Cell> {
        let mut chain = vec![test];
        while let Some(base) = chain.last().and_then(|t| t.extends.as_ref()) {
            let found = tests.iter().find(|t| t.name.value == base.value);
            match found {
                Some(t) if !chain.iter().any(|c| std::ptr::eq(*c, t)) => chain.push(t),
                found => {
                    if found.is_some() {
                        self.diagnostics.push(
                            Diagnostic::error(
                                UNKNOWN_BASE,
                                format!("`{}`: the tests extend each other in a cycle", base.value),
                            )
                            .label(base.span, "extended here")
                            .help("one of them must start from its own cells"),
                        );
                    } else {
                        let names = tests.iter().map(|t| t.name.value.as_str());
                        self.unknown::<()>(UNKNOWN_BASE, "test", &base.value, base.span, names);
                    }
                    break;
                }
            }
        }
        let mut cells: Vec<&ast::Cell> = Vec::new();
        for t in chain.iter().rev() {
            for cell in &t.cells {
                cells.retain(|c| c.column.value != cell.column.value);
                cells.push(cell);
            }
        }
        cells
    }

    /// The one-unit dataset of the cells; `None` if a cell is wrong.
    fn data(&mut self, test: &ast::Test, cells: &[&ast::Cell]) -> Option<Dataset> {
        let policy = self.policy;
        let mut kind = None;
        let mut by_input: Vec<Option<&ast::Cell>> = vec![None; policy.inputs.len()];
        let mut ok = true;
        for cell in cells {
            let column = cell.column.value.as_str();
            if crate::data::KIND.contains(&column) {
                kind = Some(*cell);
                continue;
            }
            let input = policy
                .input_id(column)
                .or_else(|| policy.input_of_column(column));
            match input.and_then(|i| by_input.get_mut(i)) {
                Some(slot) => *slot = Some(cell),
                None => {
                    ok = false;
                    let names = policy.inputs.iter().map(|i| i.name.as_str());
                    self.unknown::<()>(UNKNOWN_INPUT, "input", column, cell.column.span, names);
                }
            }
        }
        let kind_text = kind.map_or("", |c| c.value.value.as_str());
        let result = Dataset::one_unit(policy, "test", &test.name.value, kind_text, |i| {
            by_input
                .get(i)
                .copied()
                .flatten()
                .map(|c| c.value.value.clone())
        });
        match result {
            Ok(data) if ok => Some(data),
            Ok(_) => None,
            Err(errors) => {
                for e in errors {
                    let cell = match e.column.as_deref() {
                        Some("kind") => kind,
                        Some(column) => policy
                            .input_of_column(column)
                            .and_then(|i| by_input.get(i).copied().flatten()),
                        None => None,
                    };
                    let (span, label, help) = match (cell, e.column.as_deref()) {
                        (Some(c), _) => (
                            c.value.span,
                            "this value",
                            "write the value as a data file would hold it",
                        ),
                        (None, Some("kind")) => (
                            test.name.span,
                            "gives no kind",
                            "give the unit's kind: `given 类型 = ...`",
                        ),
                        _ => (
                            test.name.span,
                            "in this test",
                            "write the value as a data file would hold it",
                        ),
                    };
                    self.diagnostics.push(
                        Diagnostic::error(BAD_CELL, e.message)
                            .label(span, label)
                            .help(help),
                    );
                }
                None
            }
        }
    }

    fn expectation(&mut self, e: &Expect) -> Option<Check> {
        let policy = self.policy;
        match e {
            Expect::Value(Target::Score(_), v) => Some(Check::Score(self.number(v)?)),
            Expect::Value(Target::Grade(_), v) => {
                let name = match &v.value {
                    Expected::Name(n) => n.clone(),
                    Expected::Number(n, places) => n.fixed(*places),
                };
                let grades = policy.grades.iter().map(|g| g.name.as_str());
                match policy.grades.iter().position(|g| g.name == name) {
                    Some(g) => Some(Check::Grade(g)),
                    None => self.unknown(UNKNOWN_TARGET, "grade", &name, v.span, grades),
                }
            }
            Expect::Value(Target::Node(r), v) => {
                let value = self.number(v)?;
                if let NodeRef::Path(names, _) = r
                    && let [one] = names.as_slice()
                    && let Some(p) = policy.parts.iter().position(|p| p.name == one.value)
                {
                    return Some(Check::Part(p, value));
                }
                Some(Check::Node(self.node(r)?, value))
            }
            Expect::Veto { name, fires } => {
                let vetoes = policy.vetoes.iter().map(|v| v.name.as_str());
                match policy.vetoes.iter().position(|v| v.name == name.value) {
                    Some(v) => Some(Check::Veto(v, *fires)),
                    None => self.unknown(UNKNOWN_TARGET, "veto", &name.value, name.span, vetoes),
                }
            }
            Expect::NotApplicable(r) => Some(Check::NotApplicable(self.node(r)?)),
        }
    }

    fn number(&mut self, v: &crate::source::Spanned<Expected>) -> Option<Written> {
        match &v.value {
            Expected::Number(value, places) => Some(Written {
                value: *value,
                places: *places,
            }),
            Expected::Name(n) => {
                self.diagnostics.push(
                    Diagnostic::error(UNKNOWN_TARGET, format!("expected a number, found `{n}`"))
                        .label(v.span, "not a number")
                        .help("scores and points are numbers: `预期 总分 = 95.5`"),
                );
                None
            }
        }
    }

    /// The node a code or (a tail of) a path names.
    fn node(&mut self, r: &NodeRef) -> Option<NodeId> {
        let nodes = &self.policy.nodes;
        let (found, written, span): (Vec<NodeId>, String, Span) = match r {
            NodeRef::Code(c) => (
                (1..nodes.len())
                    .filter(|&n| nodes.get(n).and_then(|x| x.code.as_ref()) == Some(&c.value))
                    .collect(),
                format!("#{}", c.value),
                c.span,
            ),
            NodeRef::Path(names, span) => {
                let path: Vec<&str> = names.iter().map(|n| n.value.as_str()).collect();
                (crate::ir::nodes_at(nodes, &path), path.join("/"), *span)
            }
        };
        match found.as_slice() {
            [one] => Some(*one),
            [] => {
                let paths = nodes.iter().skip(1).map(|n| n.name.as_str());
                self.unknown(UNKNOWN_TARGET, "node", &written, span, paths)
            }
            many => {
                let paths: Vec<&str> = many
                    .iter()
                    .filter_map(|&n| nodes.get(n).map(|x| x.path.as_str()))
                    .collect();
                self.diagnostics.push(
                    Diagnostic::error(
                        UNKNOWN_TARGET,
                        format!("`{written}` names {} nodes", many.len()),
                    )
                    .label(span, "ambiguous")
                    .help(format!("write more of the path: {}", paths.join(", "))),
                );
                None
            }
        }
    }

    /// "unknown input/node/... (did you mean ...)", under `code`.
    fn unknown<'a, T>(
        &mut self,
        code: &'static str,
        what: &str,
        name: &str,
        span: Span,
        candidates: impl IntoIterator<Item = &'a str>,
    ) -> Option<T> {
        let mut d = crate::check::unknown(what, name, span, candidates);
        d.code = code;
        self.diagnostics.push(d);
        None
    }
}
