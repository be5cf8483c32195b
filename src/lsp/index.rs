//! Every name of a policy and of the policies it extends, where it is
//! declared and where it is used: what go to definition, find references and
//! hover look up. Built from each file's own syntax tree, so names in the
//! parts of a broken file that parse are still found.

use super::nodes::NodeDecl;
use crate::check::{is_node_score, path_of};
use crate::source::Span;
use crate::syntax::ast::{self, Expect, ExprKind, InputType, NodeRef, Pattern, Target, Within};
use std::collections::HashMap;

/// What a name stands for.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Symbol {
    Input(String),
    Let(String),
    /// A node: its index in the analysis' node list.
    Node(usize),
    /// A choice of an input.
    Choice(String, String),
    Kind(String),
    Grade(String),
    Part(String),
    Veto(String),
    Test(String),
    /// A policy file (an `extends` target): its index among the sources.
    File(usize),
}

/// One place a symbol is written.
#[derive(Debug, Clone)]
pub struct Occurrence {
    pub span: Span,
    pub symbol: Symbol,
    /// This is where the symbol is declared.
    pub def: bool,
}

/// Collects the occurrences of syntax trees.
pub struct Collector<'a> {
    nodes: &'a [NodeDecl],
    /// Each node by the span of its name.
    declared: HashMap<Span, usize>,
    /// Inputs of the whole policy, for the columns of test cells.
    inputs: &'a [ast::Input],
    pub out: Vec<Occurrence>,
}

impl<'a> Collector<'a> {
    pub fn new(nodes: &'a [NodeDecl], inputs: &'a [ast::Input]) -> Collector<'a> {
        let declared = nodes
            .iter()
            .enumerate()
            .map(|(i, n)| (n.name_span, i))
            .collect();
        Collector {
            nodes,
            declared,
            inputs,
            out: Vec::new(),
        }
    }

    fn add(&mut self, span: Span, symbol: Symbol, def: bool) {
        self.out.push(Occurrence { span, symbol, def });
    }

    pub fn file(&mut self, file: &ast::File) {
        for header in &file.header {
            for setting in &header.settings {
                if let ast::Setting::Kinds(kinds) = &setting.value {
                    for kind in kinds {
                        self.add(kind.name.span, Symbol::Kind(kind.name.value.clone()), true);
                    }
                }
            }
        }
        for input in &file.inputs {
            for name in &input.names {
                self.add(name.span, Symbol::Input(name.value.clone()), true);
                if let InputType::Choice(choices) | InputType::Set(choices) = &input.ty.value {
                    for choice in choices {
                        let symbol = Symbol::Choice(name.value.clone(), choice.value.clone());
                        self.add(choice.span, symbol, true);
                    }
                }
            }
            if let Some(when) = &input.when {
                self.expr(when);
            }
        }
        for l in &file.lets {
            self.add(l.name.span, Symbol::Let(l.name.value.clone()), true);
            self.expr(&l.expr);
        }
        self.tree(&file.tree);
        for part in &file.parts {
            self.add(part.name.span, Symbol::Part(part.name.value.clone()), true);
            if let Some(gate) = &part.gate {
                self.expr(gate);
            }
            self.tree(&part.items);
        }
        for veto in &file.vetoes {
            self.add(veto.name.span, Symbol::Veto(veto.name.value.clone()), true);
            self.expr(&veto.condition);
            if let ast::VetoAction::MaxGrade(grade) = &veto.action.value {
                self.add(grade.span, Symbol::Grade(grade.value.clone()), false);
            }
        }
        for grade in file.grades.iter().flat_map(|g| &g.grades) {
            self.add(
                grade.name.span,
                Symbol::Grade(grade.name.value.clone()),
                true,
            );
        }
        for change in &file.changes {
            self.change(change);
        }
        for test in &file.tests {
            self.test(test);
        }
    }

    fn tree(&mut self, nodes: &[ast::Node]) {
        for node in nodes {
            self.node(node);
        }
    }

    fn node(&mut self, node: &ast::Node) {
        if let Some(&i) = self.declared.get(&node.name.span) {
            self.add(node.name.span, Symbol::Node(i), true);
            // Its row code (`#19`) stands for it too.
            if let Some(code) = &node.code {
                self.add(code.span, Symbol::Node(i), false);
            }
        }
        self.clauses(&node.kinds, node.when.as_ref());
        if let Some(minus) = &node.minus {
            self.expr(minus);
        }
        match &node.body {
            ast::NodeBody::Group(children) => self.tree(children),
            ast::NodeBody::Item(rule) => self.expr(&rule.expr),
        }
    }

    fn clauses(&mut self, kinds: &[ast::Name], when: Option<&ast::Expr>) {
        for kind in kinds {
            self.add(kind.span, Symbol::Kind(kind.value.clone()), false);
        }
        if let Some(when) = when {
            self.expr(when);
        }
    }

    fn change(&mut self, change: &ast::Change) {
        if let Some(target) = &change.target {
            self.node_ref(target);
        }
        match &change.action {
            ast::ChangeAction::Modify(m) => {
                self.clauses(m.kinds.as_deref().unwrap_or_default(), m.when.as_ref());
                if let Some(minus) = &m.minus {
                    self.expr(minus);
                }
                if let Some(rule) = &m.rule {
                    self.expr(&rule.expr);
                }
            }
            ast::ChangeAction::RemoveInput(name) => {
                self.add(name.span, Symbol::Input(name.value.clone()), false);
            }
            ast::ChangeAction::Add(nodes) => self.tree(nodes),
            ast::ChangeAction::Move(to) => self.node_ref(to),
            ast::ChangeAction::Remove | ast::ChangeAction::Rename(_) => {}
        }
    }

    fn test(&mut self, test: &ast::Test) {
        self.add(test.name.span, Symbol::Test(test.name.value.clone()), true);
        if let Some(base) = &test.extends {
            self.add(base.span, Symbol::Test(base.value.clone()), false);
        }
        let unit_cells = test.units.iter().flat_map(|u| &u.cells);
        for cell in test.cells.iter().chain(unit_cells) {
            let column = &cell.column.value;
            if let Some(input) = self.inputs.iter().find(|i| {
                i.column.as_deref() == Some(column) || i.names.iter().any(|n| &n.value == column)
            }) {
                let name = input.names.iter().find(|n| &n.value == column);
                let name = name.or(input.names.first()).map(|n| n.value.clone());
                if let Some(name) = name {
                    self.add(cell.column.span, Symbol::Input(name), false);
                }
            }
        }
        for expect in &test.expects {
            match &expect.value.expect {
                Expect::Value(Target::Node(node), _) | Expect::NotApplicable(node) => {
                    self.node_ref(node);
                }
                Expect::Veto { name, .. } => {
                    self.add(name.span, Symbol::Veto(name.value.clone()), false);
                }
                Expect::Value(Target::Grade(_), expected) => {
                    if let ast::Expected::Name(grade) = &expected.value {
                        self.add(expected.span, Symbol::Grade(grade.clone()), false);
                    }
                }
                Expect::Value(_, _) => {}
            }
        }
    }

    /// A node named by code or path: every node it may name (a part, for a
    /// test's target, when no node has the name).
    fn node_ref(&mut self, target: &NodeRef) {
        let found = resolve(self.nodes, target);
        if found.is_empty()
            && let NodeRef::Path(names, span) = target
            && let [name] = names.as_slice()
        {
            self.add(*span, Symbol::Part(name.value.clone()), false);
        }
        for i in found {
            self.add(target.span(), Symbol::Node(i), false);
        }
    }

    fn expr(&mut self, e: &ast::Expr) {
        match &e.kind {
            ExprKind::Name(name) => {
                // Inputs and derived values share one namespace.
                self.add(e.span, Symbol::Input(name.clone()), false);
                self.add(e.span, Symbol::Let(name.clone()), false);
            }
            ExprKind::Call(f, args, within) => {
                if is_node_score(&f.value)
                    && let [arg] = args.as_slice()
                    && let Some(path) = path_of(arg)
                {
                    for i in nodes_at(self.nodes, &path) {
                        self.add(arg.span, Symbol::Node(i), false);
                    }
                } else {
                    args.iter().for_each(|a| self.expr(a));
                }
                if let Some(Within::Group(group)) = within {
                    self.add(group.span, Symbol::Input(group.value.clone()), false);
                }
            }
            ExprKind::Unary(_, x) => self.expr(x),
            ExprKind::Binary(_, a, b) => {
                self.expr(a);
                self.expr(b);
            }
            ExprKind::If(c, a, b) => {
                self.expr(c);
                self.expr(a);
                self.expr(b);
            }
            ExprKind::Match(x, arms) => {
                self.expr(x);
                let input = match &x.kind {
                    ExprKind::Name(n) => Some(n.clone()),
                    _ => None,
                };
                for arm in arms {
                    for pattern in &arm.patterns {
                        if let (Pattern::Name(choice), Some(input)) = (pattern, &input) {
                            let symbol = Symbol::Choice(input.clone(), choice.value.clone());
                            self.add(choice.span, symbol, false);
                        }
                    }
                    self.expr(&arm.value);
                }
            }
            ExprKind::Bands(x, bands) => {
                self.expr(x);
                bands.iter().for_each(|b| self.expr(&b.value));
            }
            ExprKind::InTurn(x, values, rest) => {
                self.expr(x);
                values
                    .iter()
                    .chain(rest.as_deref())
                    .for_each(|v| self.expr(v));
            }
            ExprKind::Number(_)
            | ExprKind::Percent(_)
            | ExprKind::Bool(_)
            | ExprKind::Base
            | ExprKind::Todo => {}
        }
    }
}

/// The nodes a reference names: by code, or by (a tail of) the path.
pub fn resolve(nodes: &[NodeDecl], target: &NodeRef) -> Vec<usize> {
    match target {
        NodeRef::Code(code) => nodes
            .iter()
            .enumerate()
            .filter(|(_, n)| n.code.as_deref() == Some(code.value.as_str()))
            .map(|(i, _)| i)
            .collect(),
        NodeRef::Path(names, _) => {
            let path: Vec<String> = names.iter().map(|n| n.value.clone()).collect();
            nodes_at(nodes, &path)
        }
    }
}

fn nodes_at(nodes: &[NodeDecl], path: &[String]) -> Vec<usize> {
    nodes
        .iter()
        .enumerate()
        .filter(|(_, n)| !n.in_part && n.path.ends_with(path))
        .map(|(i, _)| i)
        .collect()
}
