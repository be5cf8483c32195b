//! Checking: syntax tree → compiled policy ([`ir::Policy`]) and diagnostics.
//!
//! Runs after `syntax`, before `eval`. Each pass reports every problem it
//! finds; a policy with any error is not compiled, so an unchecked policy can
//! never be evaluated. Warnings (lints) are kept apart and can be silenced
//! with `allow` in the header.

mod aggregate;
mod arms;
mod calls;
mod expr;
mod funding;
mod header;
mod inputs;
mod intervals;
mod lints;
mod names;
pub(crate) use peers::{is_node_score, path_of};
pub(crate) use sizes::POINTS_DO_NOT_SUM;
pub(crate) use tree::NO_NA_RULE;
mod parts;
mod peers;
mod periods;
mod range;
mod ranking;
mod sizes;
mod tree;
mod types;
mod uncertainty;

use crate::derive;
use crate::diagnostics::{self, Diagnostic};
use crate::ir::{self, Policy};
use crate::source::{SourceFile, Sources, Span};
use crate::syntax::ast;
use std::collections::HashMap;
use types::Ty;

/// A policy that passed every check, and the warnings it raised.
#[derive(Debug, Clone)]
pub struct Checked {
    pub policy: Policy,
    pub warnings: Vec<Diagnostic>,
    /// The `test` blocks of the policy's own file.
    pub tests: Vec<crate::testing::Test>,
}

/// A policy read with everything it extends, and the outcome of checking it.
#[derive(Debug, Clone)]
pub struct Compiled {
    /// Every file read (the policy first); diagnostics point into these.
    pub sources: Sources,
    /// The resolved syntax tree (after `extends`).
    pub syntax: ast::File,
    /// Each file's own syntax tree, in the order of `sources`; empty when
    /// the policy extends nothing (its own tree is `syntax`).
    pub files: Vec<ast::File>,
    /// The functions the policy's scripts define (known even when the
    /// policy has errors elsewhere, for the editor).
    pub script_functions: Vec<crate::script::Function>,
    /// `Err` holds every diagnostic (errors and warnings, sorted by position).
    pub result: Result<Checked, Vec<Diagnostic>>,
}

/// Reads, resolves and checks a policy; the policies it extends are read
/// from the file system, relative to its path.
pub fn compile(source: &SourceFile) -> Compiled {
    compile_with(source, &mut derive::read_file)
}

/// [`compile`], reading the policies it extends with `read`.
pub fn compile_with(source: &SourceFile, read: &mut derive::Reader) -> Compiled {
    compile_in(source, &derive::Project::around(&source.path), read)
}

/// [`compile_with`], the policies it extends confined to `project`.
pub fn compile_in(
    source: &SourceFile,
    project: &derive::Project,
    read: &mut derive::Reader,
) -> Compiled {
    let resolved = derive::resolve_in(source.clone(), project, read);
    let mut found = resolved.diagnostics;
    let mut policy = None;
    if !resolved.broken {
        let (checked, mut more) = check(&resolved.file);
        if !found.is_empty() {
            // Declarations that did not parse, or changes that did not
            // apply, leave names and points undefined: keep only what does
            // not depend on them.
            more.retain(|d| !CASCADES.contains(&d.code));
        }
        found.append(&mut more);
        if found.iter().any(Diagnostic::is_error) {
            // Judging rules is for a policy that is otherwise right.
            found.retain(|d| !lints::JUDGEMENTS.contains(&d.code));
        }
        policy = Some(checked);
    }
    let mut tests = Vec::new();
    if let Some(policy) = &policy
        && !found.iter().any(Diagnostic::is_error)
    {
        let (resolved, mut problems) = crate::testing::resolve(policy, &resolved.file.tests);
        tests = resolved;
        found.append(&mut problems);
    }
    diagnostics::sort(&mut found);
    let script_functions = (policy.as_ref())
        .and_then(|p| p.scripts.as_deref())
        .map(|s| s.functions.clone())
        .unwrap_or_default();
    let result = match policy {
        Some(policy) if !found.iter().any(Diagnostic::is_error) => Ok(Checked {
            policy,
            warnings: found,
            tests,
        }),
        _ => Err(found),
    };
    Compiled {
        sources: resolved.sources,
        syntax: resolved.file,
        files: resolved.files,
        script_functions,
        result,
    }
}

/// Diagnostics that may follow from a declaration the parser had to skip.
const CASCADES: &[&str] = &[
    names::UNKNOWN_NAME,
    sizes::POINTS_DO_NOT_SUM,
    tree::EMPTY_GROUP,
    parts::NO_GRADES,
    intervals::GAP,
    header::MISSING_HEADER,
    header::MISSING_SETTING,
    lints::UNUSED_INPUT,
    lints::UNUSED_LET,
    lints::ZERO_POINTS,
];

/// Checks a syntax tree: the policy as far as it could be built, and every
/// diagnostic found (the policy may be evaluated only if none is an error).
fn check(file: &ast::File) -> (Policy, Vec<Diagnostic>) {
    let mut checker = Checker::default();
    let settings = checker.header(file);
    checker.kinds(&settings);
    checker.missing_default = settings.missing;
    checker.repeated("source", settings.sources.iter());
    checker.sources = settings.sources.iter().map(|n| n.value.clone()).collect();
    checker.scripts(&file.scripts);
    checker.inputs(&file.inputs);
    checker.lets(&file.lets);
    let nodes = checker.tree(file, &settings);
    let grades = checker.grades(&file.grades, settings.total);
    let parts = checker.parts(&file.parts);
    let vetoes = checker.vetoes(&file.vetoes, &grades);
    let funding = checker.funding(&file.funding, &grades);
    let uncertainty = checker.uncertainty(&file.uncertainty, &nodes);
    let node_refs = checker.node_refs(&nodes);
    checker.lints(&nodes);
    checker.tree_lints(file);
    let mut policy = Policy {
        name: settings.name,
        version: settings.version,
        total: settings.total,
        precision: settings.precision,
        rounding: settings.rounding,
        round_items: settings.round_items,
        levels: settings.levels,
        kinds: std::mem::take(&mut checker.kinds),
        inputs: std::mem::take(&mut checker.inputs),
        lets: std::mem::take(&mut checker.lets),
        nodes,
        parts,
        vetoes,
        grades,
        peers: std::mem::take(&mut checker.peers),
        sources: std::mem::take(&mut checker.sources),
        node_refs,
        ranking: settings.ranking,
        tiers: checker.tiers(&file.tiers),
        funding,
        uncertainty,
        compare: settings.compare,
        unit_columns: settings.unit_columns.clone(),
        scripts: checker.scripts.take(),
        needed: Vec::new(),
    };
    policy.needed = (0..policy.kinds.len().max(1))
        .map(|k| policy.inputs_needed(Some(k)))
        .collect();
    let diagnostics = checker.finish(&settings.allow);
    (policy, diagnostics)
}

#[derive(Default)]
pub(crate) struct Checker {
    diagnostics: Vec<Diagnostic>,
    inputs: Vec<ir::Input>,
    input_ids: HashMap<String, ir::InputId>,
    used_inputs: Vec<bool>,
    lets: Vec<ir::Let>,
    let_ids: HashMap<String, ir::LetId>,
    let_types: Vec<Ty>,
    let_spans: Vec<Span>,
    used_lets: Vec<bool>,
    kinds: Vec<ir::Kind>,
    kind_spans: Vec<Span>,
    peers: Vec<ir::Peer>,
    /// The header's rule for blank cells (inputs may state their own).
    missing_default: ast::MissingRule,
    /// The sources the header declares.
    sources: Vec<String>,
    /// While the argument of a peer statistic is checked.
    in_peer: bool,
    /// Paths named by `node_score`, resolved after the tree.
    node_paths: Vec<(Vec<String>, Span)>,
    /// While a row's rule is checked: its target value, if it has one,
    /// and its name (`target` reads it).
    target: Option<(Option<crate::num::Num>, String)>,
    /// Lints a node allows, over its text (its rows included).
    allowed_in: Vec<(Span, String)>,
    /// The policy's script functions, compiled.
    scripts: Option<std::sync::Arc<crate::script::Scripts>>,
    /// A script did not compile: a call of an unknown function may be one of its.
    scripts_broken: bool,
}

impl Checker {
    fn report(&mut self, d: Diagnostic) {
        self.diagnostics.push(d);
    }

    fn input_name(&self, id: ir::InputId) -> &str {
        self.inputs.get(id).map_or("?", |i| i.name.as_str())
    }

    /// The diagnostics, without the warnings the policy allows, in the
    /// header or on the node they are about.
    fn finish(self, allowed: &[String]) -> Vec<Diagnostic> {
        let on_node = |d: &Diagnostic| {
            let at = d.labels.first().map(|l| l.span);
            (self.allowed_in.iter()).any(|(region, lint)| {
                lint == d.lint_name()
                    && at.is_some_and(|s| region.start <= s.start && s.end <= region.end)
            })
        };
        let keep: Vec<bool> = (self.diagnostics.iter())
            .map(|d| d.is_error() || !(allowed.iter().any(|a| a == d.lint_name()) || on_node(d)))
            .collect();
        (self.diagnostics.into_iter().zip(keep))
            .filter_map(|(d, keep)| keep.then_some(d))
            .collect()
    }
}
