//! Tests in the language: `test` blocks (in a policy or in `NAME.test.zb`
//! beside it) give one unit's cells, or a group of units', and the values
//! expected of them.
//!
//! Runs after `check` (it needs the compiled policy): [`resolve`] turns the
//! written tests into [`Test`]s — each cell typed like a data file's, each
//! expectation pointing at a node, part, veto or grade — with a diagnostic
//! for whatever does not resolve; [`run`] evaluates them; [`coverage`] says
//! what no test exercised.

mod coverage;
mod render;
mod resolve;
mod run;

use resolve::Resolver;

pub use render::{coverage_text, outcomes_text};

pub use coverage::{Coverage, Gap, What, coverage};
pub use run::{Failure, Outcome, run, run_over};

use crate::data::Dataset;
use crate::diagnostics::Diagnostic;
use crate::ir::{NodeId, Policy};
use crate::num::Num;
use crate::source::Span;
use crate::syntax::ast;

pub const UNKNOWN_INPUT: &str = "zhibiao::test::unknown_input";
pub const UNKNOWN_TARGET: &str = "zhibiao::test::unknown_target";
pub const BAD_CELL: &str = "zhibiao::test::bad_cell";
pub const UNKNOWN_BASE: &str = "zhibiao::test::unknown_base";
pub const DUPLICATE: &str = "zhibiao::test::duplicate";
pub const WHICH_UNIT: &str = "zhibiao::test::which_unit";

/// A test, resolved against its policy.
#[derive(Debug, Clone)]
pub struct Test {
    pub name: String,
    /// The test's name where it is written.
    pub span: Span,
    /// The unit the test describes, or its group of units (none yet for a
    /// test over data files).
    pub data: Dataset,
    pub expects: Vec<Expectation>,
    /// `from "units.csv"`: its units are those of these files (read when
    /// it runs), and an expectation's `unit` indexes `named`.
    pub from: Vec<crate::source::Spanned<String>>,
    pub named: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct Expectation {
    pub span: Span,
    /// The unit of `data` it is about.
    pub unit: usize,
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
    /// The rank among the test's units.
    Rank(usize),
    /// Index into the policy's tiers.
    Tier(usize),
    Base(Written),
    /// The bonus and the deductions in all.
    Bonus(Written),
    Deductions(Written),
    Node(NodeId, Written),
    /// A derived value (`let`).
    Let(usize, Written),
    /// A peer statistic (`policy.peers`), as it was for the unit.
    Peer(usize, Written),
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
            Check::Rank(_) => Some("rank".into()),
            Check::Tier(_) => Some("tier".into()),
            Check::Base(_) => Some("base".into()),
            Check::Bonus(_) => Some("bonus".into()),
            Check::Deductions(_) => Some("deductions".into()),
            Check::Let(l, _) => policy.lets.get(*l).map(|l| l.name.clone()),
            Check::Peer(p, _) => policy.peers.get(*p).map(|p| p.written.clone()),
            Check::Node(id, _) | Check::NotApplicable(id) => node(id),
            Check::Part(p, _) => policy.parts.get(*p).map(|p| p.name.clone()),
            Check::Veto(v, _) => policy.vetoes.get(*v).map(|v| format!("veto {}", v.name)),
        }
        .unwrap_or_default()
    }
}

/// The policy `NAME.zb` of a test file `NAME.test.zb` (`None` for a path
/// that is not a test file).
pub fn policy_of(path: &std::path::Path) -> Option<std::path::PathBuf> {
    let name = path.file_name()?.to_str()?;
    let stem = name.strip_suffix(".test.zb")?;
    Some(path.with_file_name(format!("{stem}.zb")))
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
    let mut r = Resolver::new(policy);
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
        if !test.from.is_empty() {
            out.push(r.over_files(test));
            continue;
        }
        let chain = r.chain(tests, test);
        let Some(data) = r.data(test, &chain) else {
            continue;
        };
        let ids: Vec<&str> = data.units.iter().map(|u| u.id).collect();
        let expects = test
            .expects
            .iter()
            .filter_map(|e| {
                let unit = r.unit_of(test, &ids, e.value.unit.as_ref(), e.span)?;
                let check = r.expectation(&e.value.expect)?;
                Some(Expectation {
                    span: e.span,
                    unit,
                    check,
                })
            })
            .collect();
        out.push(Test {
            name: test.name.value.clone(),
            span: test.name.span,
            data,
            expects,
            from: Vec::new(),
            named: Vec::new(),
        });
    }
    // A cell a test inherits is checked with each test that extends it:
    // its problem is said once.
    let mut said = std::collections::HashSet::new();
    let mut diagnostics = r.diagnostics;
    diagnostics
        .retain(|d| said.insert((d.code, d.message.clone(), d.labels.first().map(|l| l.span))));
    (out, diagnostics)
}
