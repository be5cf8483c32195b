//! Applying a derived policy to the (resolved) policy it extends.

use super::locate::{self, NodePlace, Place};
use super::{BAD_TARGET, EMPTY_CHANGE};
use crate::diagnostics::Diagnostic;
use crate::syntax::ast::{Change, ChangeAction, File, Modification, Node, NodeBody};

/// `base` with the declarations and changes of `derived` applied.
///
/// The header's settings replace those of the same kind; inputs, derived
/// values, parts and vetoes replace those of the same name (or are added);
/// grades, tiers, funding and uncertainty replace the parent's; new top-level nodes are added; then each
/// change is applied in the order written.
pub fn apply(mut base: File, derived: File, diagnostics: &mut Vec<Diagnostic>) -> File {
    header(&mut base, &derived);
    for input in derived.inputs {
        for name in &input.names {
            for old in &mut base.inputs {
                old.names.retain(|n| n.value != name.value);
            }
        }
        base.inputs.retain(|i| !i.names.is_empty());
        base.inputs.push(input);
    }
    replace_or_add(&mut base.lets, derived.lets, |l| &l.name.value);
    replace_or_add(&mut base.parts, derived.parts, |p| &p.name.value);
    replace_or_add(&mut base.vetoes, derived.vetoes, |v| &v.name.value);
    if !derived.grades.is_empty() {
        base.grades = derived.grades;
    }
    if !derived.tiers.is_empty() {
        base.tiers = derived.tiers;
    }
    if !derived.funding.is_empty() {
        base.funding = derived.funding;
    }
    if !derived.uncertainty.is_empty() {
        base.uncertainty = derived.uncertainty;
    }
    base.tree.extend(derived.tree);
    // A child's script functions join its parent's (one of the same name and
    // arity replaces the parent's, as rhai merges them).
    base.scripts.extend(derived.scripts);
    base.comments.extend(derived.comments);
    // A parent's tests test the parent: only this file's apply.
    base.tests = derived.tests;
    for change in derived.changes {
        if let Err(d) = change_one(&mut base, change) {
            diagnostics.push(d);
        }
    }
    base
}

/// Each of `new` replaces the one of `old` with the same name, in place, or
/// is added at the end.
fn replace_or_add<T>(old: &mut Vec<T>, new: Vec<T>, name: impl Fn(&T) -> &String) {
    for item in new {
        match old.iter_mut().find(|o| name(o) == name(&item)) {
            Some(slot) => *slot = item,
            None => old.push(item),
        }
    }
}

fn header(base: &mut File, derived: &File) {
    let Some(new) = derived.header.first() else {
        return;
    };
    let Some(old) = base.header.first_mut() else {
        base.header.push(new.clone());
        return;
    };
    old.name = new.name.clone();
    old.extends = None;
    old.span = new.span;
    for setting in &new.settings {
        let kind = std::mem::discriminant(&setting.value);
        match old
            .settings
            .iter_mut()
            .find(|s| std::mem::discriminant(&s.value) == kind)
        {
            Some(s) => *s = setting.clone(),
            None => old.settings.push(setting.clone()),
        }
    }
}

fn change_one(file: &mut File, change: Change) -> Result<(), Diagnostic> {
    let target = match &change.target {
        Some(t) => Some(locate::find(file, t)?),
        None => None,
    };
    let bad = |message: &str, help: &str| {
        Diagnostic::error(BAD_TARGET, message.to_string())
            .label(
                change.target.as_ref().map_or(change.span, |t| t.span()),
                "here",
            )
            .help(help.to_string())
    };
    match (change.action, target) {
        (ChangeAction::RemoveInput(name), _) => {
            let before = file.inputs.iter().map(|i| i.names.len()).sum::<usize>();
            for input in &mut file.inputs {
                input.names.retain(|n| n.value != name.value);
            }
            file.inputs.retain(|i| !i.names.is_empty());
            if file.inputs.iter().map(|i| i.names.len()).sum::<usize>() == before {
                let names: Vec<&str> = file
                    .inputs
                    .iter()
                    .flat_map(|i| &i.names)
                    .map(|n| n.value.as_str())
                    .collect();
                return Err(locate::unknown_input(&name, &names));
            }
        }
        (ChangeAction::Modify(m), Some(Place::Node(at))) => {
            if m.is_empty() {
                return Err(Diagnostic::error(EMPTY_CHANGE, "this change changes nothing")
                    .label(change.span, "nothing after the node")
                    .help("give what changes: points, a description, `for`, `when`, `not_applicable`, `fail_below` or a rule, e.g. `change 身份认证 3`"));
            }
            let node = locate::node_mut(file, &at).ok_or_else(|| bad("no such node", ""))?;
            if m.rule.is_some() && matches!(node.body, NodeBody::Group(_)) {
                return Err(bad(
                    "only an item has a rule",
                    "this is a category or an indicator; change the rules of its items",
                ));
            }
            modify(node, *m);
            node.changed = Some(change.span);
        }
        (ChangeAction::Remove, Some(Place::Node(at))) => {
            locate::take(file, &at);
        }
        (ChangeAction::Remove, Some(Place::Part(p))) => {
            file.parts.remove(p);
        }
        (ChangeAction::Remove, Some(Place::Veto(v))) => {
            file.vetoes.remove(v);
        }
        (ChangeAction::Add(nodes), None) => file.tree.extend(nodes),
        (ChangeAction::Add(nodes), Some(Place::Node(at))) => {
            let node = locate::node_mut(file, &at).ok_or_else(|| bad("no such node", ""))?;
            match &mut node.body {
                NodeBody::Group(children) => children.extend(nodes),
                NodeBody::Item(_) => {
                    return Err(bad(
                        "nodes can be added only under a category or an indicator",
                        "this is an item; add the new nodes to its parent",
                    ));
                }
            }
        }
        (ChangeAction::Add(nodes), Some(Place::Part(p))) => {
            if let Some(part) = file.parts.get_mut(p) {
                part.items.extend(nodes);
            }
        }
        (ChangeAction::Rename(name), Some(Place::Node(at))) => {
            let node = locate::node_mut(file, &at).ok_or_else(|| bad("no such node", ""))?;
            node.name = name;
            node.changed = Some(change.span);
        }
        (ChangeAction::Move(to), Some(Place::Node(NodePlace::Tree(from)))) => {
            let Place::Node(NodePlace::Tree(dest)) = locate::find(file, &to)? else {
                return Err(bad(
                    "a node can move only under a category or an indicator of the tree",
                    "",
                ));
            };
            if dest.starts_with(&from) {
                return Err(bad(
                    "a node cannot move under itself",
                    "name a parent outside this node",
                ));
            }
            if !matches!(
                locate::node_mut(file, &NodePlace::Tree(dest)).map(|n| &n.body),
                Some(NodeBody::Group(_))
            ) {
                return Err(bad(
                    "a node can move only under a category or an indicator",
                    "the destination is an item",
                ));
            }
            let Some(mut node) = locate::take(file, &NodePlace::Tree(from)) else {
                return Ok(());
            };
            node.changed = Some(change.span);
            // The destination's place may have shifted: find it again.
            let Ok(Place::Node(dest)) = locate::find(file, &to) else {
                return Ok(());
            };
            if let Some(NodeBody::Group(children)) =
                locate::node_mut(file, &dest).map(|n| &mut n.body)
            {
                children.push(node);
            }
        }
        (ChangeAction::Add(_), _) => {
            return Err(bad(
                "nodes can be added only under a category, an indicator or a part",
                "",
            ));
        }
        _ => {
            return Err(bad(
                "only nodes of the tree (and items of parts) can be changed, renamed or moved",
                "to change a bonus or deduction part or a veto, declare it again with the same name: it replaces the old one",
            ));
        }
    }
    Ok(())
}

fn modify(node: &mut Node, m: Modification) {
    if let Some(size) = m.size {
        node.size = Some(size);
    }
    if let Some(d) = m.description {
        node.description = Some(d);
    }
    if let Some(kinds) = m.kinds {
        node.kinds = kinds;
    }
    if let Some(when) = m.when {
        node.when = Some(when);
    }
    if let Some(na) = m.na {
        node.na = Some(na);
    }
    if let Some(f) = m.fail_below {
        node.fail_below = Some(f);
    }
    if let Some(a) = m.aggregate {
        node.aggregate = Some(a);
    }
    if let Some(b) = m.by_kind {
        node.by_kind = Some(b);
    }
    if let Some(s) = m.side {
        node.side = Some(s);
    }
    if let Some(t) = m.target {
        node.target = Some(t);
    }
    if let Some(minus) = m.minus {
        node.minus = Some(minus);
    }
    if let Some(w) = m.weights {
        node.weights = Some(w);
    }
    if let Some(allow) = m.allow {
        node.allow = allow;
    }
    if let Some(rule) = m.rule {
        node.body = NodeBody::Item(rule);
    }
}
