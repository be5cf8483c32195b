//! Resolving written tests against their policy: cells typed like a data
//! file's, expectations pointing at what they name.

use super::{BAD_CELL, Check, UNKNOWN_BASE, UNKNOWN_INPUT, UNKNOWN_TARGET, WHICH_UNIT, Written};
use crate::data::Dataset;
use crate::diagnostics::Diagnostic;
use crate::ir::{NodeId, Policy};
use crate::source::Span;
use crate::syntax::ast::{self, Expect, Expected, NodeRef, Target};

pub(super) struct Resolver<'p> {
    policy: &'p Policy,
    pub(super) diagnostics: Vec<Diagnostic>,
}

/// One unit of a test: its id and its cells (a later cell for the same
/// column wins).
struct Row<'t> {
    id: &'t str,
    cells: Vec<&'t ast::Cell>,
}

impl Row<'_> {
    fn set<'t>(cells: &mut Vec<&'t ast::Cell>, more: &'t [ast::Cell]) {
        for cell in more {
            cells.retain(|c| c.column.value != cell.column.value);
            cells.push(cell);
        }
    }
}

/// A unit's cells by input, and its kind.
struct Typed<'t> {
    id: String,
    kind: Option<&'t ast::Cell>,
    by_input: Vec<Option<&'t ast::Cell>>,
}

impl<'p> Resolver<'p> {
    pub(super) fn new(policy: &'p Policy) -> Self {
        Resolver {
            policy,
            diagnostics: Vec::new(),
        }
    }

    /// The test and the tests it extends, the first base first.
    pub(super) fn chain<'t>(
        &mut self,
        tests: &'t [ast::Test],
        test: &'t ast::Test,
    ) -> Vec<&'t ast::Test> {
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
        chain.reverse();
        chain
    }

    /// The units of a test: its `given` cells as one unit, or, when it
    /// names units (`unit ID given ...`), each of them with the shared
    /// `given` cells under its own. Extended tests' cells and units come first.
    fn rows<'t>(chain: &[&'t ast::Test]) -> Vec<Row<'t>> {
        let mut shared = Vec::new();
        let mut rows: Vec<Row<'t>> = Vec::new();
        for t in chain {
            Row::set(&mut shared, &t.cells);
            for unit in &t.units {
                match rows.iter_mut().find(|r| r.id == unit.id.value) {
                    Some(row) => Row::set(&mut row.cells, &unit.cells),
                    None => {
                        let mut cells = Vec::new();
                        Row::set(&mut cells, &unit.cells);
                        rows.push(Row {
                            id: &unit.id.value,
                            cells,
                        });
                    }
                }
            }
        }
        if rows.is_empty() {
            return vec![Row {
                id: "",
                cells: shared,
            }];
        }
        for row in &mut rows {
            let own = std::mem::take(&mut row.cells);
            row.cells = shared.clone();
            for cell in own {
                row.cells.retain(|c| c.column.value != cell.column.value);
                row.cells.push(cell);
            }
        }
        rows
    }

    /// The test's dataset; `None` if a cell is wrong.
    pub(super) fn data(&mut self, test: &ast::Test, chain: &[&ast::Test]) -> Option<Dataset> {
        let policy = self.policy;
        let rows = Self::rows(chain);
        let mut ok = true;
        let mut typed: Vec<Typed> = Vec::new();
        for row in &rows {
            let mut kind = None;
            let mut by_input: Vec<Option<&ast::Cell>> = vec![None; policy.inputs.len()];
            for cell in &row.cells {
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
            // A unit alone is named after its test.
            let id = if row.id.is_empty() {
                &test.name.value
            } else {
                row.id
            };
            typed.push(Typed {
                id: id.to_string(),
                kind,
                by_input,
            });
        }
        let units = typed.iter().map(|t| {
            let kind = t.kind.map_or("", |c| c.value.value.as_str());
            let cells = t.by_input.iter().map(|c| c.map(|c| c.value.value.clone()));
            (t.id.clone(), kind.to_string(), cells.collect())
        });
        match Dataset::from_units(policy, "test", units.collect()) {
            Ok(data) if ok => Some(data),
            Ok(_) => None,
            Err(errors) => {
                for e in errors {
                    let row = e.row.and_then(|r| typed.get(r.checked_sub(1)?));
                    self.bad_cell(test, row, e);
                }
                None
            }
        }
    }

    /// A data error in a test's cells, at the cell (of unit `row`) it is about.
    fn bad_cell(&mut self, test: &ast::Test, row: Option<&Typed>, e: crate::data::DataError) {
        let policy = self.policy;
        let cell = match (row, e.column.as_deref()) {
            (Some(row), Some("kind")) => row.kind,
            (Some(row), Some(column)) => policy
                .input_of_column(column)
                .and_then(|i| row.by_input.get(i).copied().flatten()),
            _ => None,
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

    /// A test over data files: its units are known when it runs, so each
    /// expectation names its unit, and the names are kept.
    pub(super) fn over_files(&mut self, test: &ast::Test) -> super::Test {
        let mut named: Vec<String> = Vec::new();
        let mut expects = Vec::new();
        for e in &test.expects {
            let Some(unit) = &e.value.unit else {
                self.diagnostics.push(
                    Diagnostic::error(
                        WHICH_UNIT,
                        format!(
                            "the test `{}` reads its units from data: which one is expected?",
                            test.name.value
                        ),
                    )
                    .label(e.span, "of which unit?")
                    .help("name the unit before the expectation: `expect HH05: rank = 3`"),
                );
                continue;
            };
            let Some(check) = self.expectation(&e.value.expect) else {
                continue;
            };
            let at = named
                .iter()
                .position(|n| *n == unit.value)
                .unwrap_or_else(|| {
                    named.push(unit.value.clone());
                    named.len() - 1
                });
            expects.push(super::Expectation {
                span: e.span,
                unit: at,
                check,
            });
        }
        super::Test {
            name: test.name.value.clone(),
            span: test.name.span,
            data: Dataset::new(self.policy),
            expects,
            from: test.from.clone(),
            named,
        }
    }

    /// The unit an expectation is about: the one it names, or the test's
    /// only unit.
    pub(super) fn unit_of(
        &mut self,
        test: &ast::Test,
        ids: &[&str],
        named: Option<&ast::Name>,
        at: Span,
    ) -> Option<usize> {
        match named {
            Some(n) => match ids.iter().position(|id| *id == n.value) {
                Some(u) => Some(u),
                None => self.unknown(
                    UNKNOWN_TARGET,
                    "unit",
                    &n.value,
                    n.span,
                    ids.iter().copied(),
                ),
            },
            None if ids.len() == 1 => Some(0),
            None => {
                self.diagnostics.push(
                    Diagnostic::error(
                        WHICH_UNIT,
                        format!(
                            "the test `{}` has {} units: which one is expected?",
                            test.name.value,
                            ids.len()
                        ),
                    )
                    .label(at, "of which unit?")
                    .help(format!(
                        "name the unit before the expectation: `expect {}: score = ...`",
                        ids.first().unwrap_or(&"A")
                    )),
                );
                None
            }
        }
    }

    pub(super) fn expectation(&mut self, e: &Expect) -> Option<Check> {
        let policy = self.policy;
        match e {
            Expect::Value(Target::Score(_), v) => Some(Check::Score(self.number(v)?)),
            Expect::Value(Target::Base(_), v) => Some(Check::Base(self.number(v)?)),
            Expect::Value(Target::Bonus(_), v) => Some(Check::Bonus(self.number(v)?)),
            Expect::Value(Target::Deductions(_), v) => Some(Check::Deductions(self.number(v)?)),
            Expect::Value(Target::Rank(_), v) => {
                let n = self.number(v)?.value;
                match usize::try_from(n.numerator()) {
                    Ok(rank) if n.is_integer() && rank >= 1 => Some(Check::Rank(rank)),
                    _ => {
                        self.diagnostics.push(
                            Diagnostic::error(
                                UNKNOWN_TARGET,
                                format!("a rank is a whole number from 1, not {n}"),
                            )
                            .label(v.span, "not a rank")
                            .help("`expect A: rank = 1`"),
                        );
                        None
                    }
                }
            }
            Expect::Value(Target::Grade(_), v) => {
                let grades: Vec<&str> = policy.grades.iter().map(|g| g.name.as_str()).collect();
                self.named("grade", &grades, v).map(Check::Grade)
            }
            Expect::Value(Target::Tier(_), v) => {
                let tiers: Vec<&str> = policy.tiers.iter().map(|t| t.name.as_str()).collect();
                self.named("tier", &tiers, v).map(Check::Tier)
            }
            Expect::Value(Target::Peer(e), v) => {
                let value = self.number(v)?;
                let crate::syntax::ast::ExprKind::Call(f, args, within) = &e.kind else {
                    return None;
                };
                let written = crate::syntax::print::call(f, args, within.as_ref());
                let known = policy.peers.iter().map(|p| p.written.as_str());
                match policy.peers.iter().position(|p| p.written == written) {
                    Some(p) => Some(Check::Peer(p, value)),
                    None => self.unknown(UNKNOWN_TARGET, "peer statistic", &written, e.span, known),
                }
            }
            Expect::Value(Target::Node(r), v) => {
                let value = self.number(v)?;
                if let NodeRef::Path(names, _) = r
                    && let [one] = names.as_slice()
                {
                    if let Some(p) = policy.parts.iter().position(|p| p.name == one.value) {
                        return Some(Check::Part(p, value));
                    }
                    let is_node = crate::ir::nodes_at(&policy.nodes, &[one.value.as_str()]);
                    let l = policy.lets.iter().position(|l| l.name == one.value);
                    if let (Some(l), true) = (l, is_node.is_empty()) {
                        return Some(Check::Let(l, value));
                    }
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

    /// The index of the grade or tier (`what`) among `names` that `v` names
    /// (a number is a name too).
    fn named(
        &mut self,
        what: &str,
        names: &[&str],
        v: &crate::source::Spanned<Expected>,
    ) -> Option<usize> {
        let name = match &v.value {
            Expected::Name(n) => n.clone(),
            Expected::Number(n, places) => n.fixed(*places),
        };
        match names.iter().position(|n| *n == name) {
            Some(i) => Some(i),
            None => self.unknown(UNKNOWN_TARGET, what, &name, v.span, names.iter().copied()),
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
        let d = crate::diagnostics::unknown(code, what, name, span, candidates);
        self.diagnostics.push(d);
        None
    }
}
