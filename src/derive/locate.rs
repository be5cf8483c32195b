//! Finding the target of a change: a node by code or by (a tail of) its
//! path, a bonus/deduction part or a veto by name.

use super::{AMBIGUOUS_TARGET, UNKNOWN_TARGET};
use crate::diagnostics::{Diagnostic, closest};
use crate::syntax::ast::{File, Name, Node, NodeBody, NodeRef};

/// Where a node is: indices down the tree, or an item of a part.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NodePlace {
    Tree(Vec<usize>),
    PartItem(usize, usize),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place {
    Node(NodePlace),
    Part(usize),
    Veto(usize),
}

struct Entry<'f> {
    place: NodePlace,
    path: Vec<&'f str>,
    code: Option<&'f str>,
}

fn entries(file: &File) -> Vec<Entry<'_>> {
    fn walk<'f>(
        nodes: &'f [Node],
        at: &mut Vec<usize>,
        path: &mut Vec<&'f str>,
        out: &mut Vec<Entry<'f>>,
    ) {
        for (i, node) in nodes.iter().enumerate() {
            at.push(i);
            path.push(&node.name.value);
            out.push(Entry {
                place: NodePlace::Tree(at.clone()),
                path: path.clone(),
                code: node.code.as_ref().map(|c| c.value.as_str()),
            });
            if let NodeBody::Group(children) = &node.body {
                walk(children, at, path, out);
            }
            at.pop();
            path.pop();
        }
    }
    let mut out = Vec::new();
    walk(&file.tree, &mut Vec::new(), &mut Vec::new(), &mut out);
    for (p, part) in file.parts.iter().enumerate() {
        for (i, item) in part.items.iter().enumerate() {
            out.push(Entry {
                place: NodePlace::PartItem(p, i),
                path: vec![&part.name.value, &item.name.value],
                code: item.code.as_ref().map(|c| c.value.as_str()),
            });
        }
    }
    out
}

/// The place a reference names, or a diagnostic saying why none or several.
pub fn find(file: &File, target: &NodeRef) -> Result<Place, Diagnostic> {
    let entries = entries(file);
    let found: Vec<&Entry> = match target {
        NodeRef::Code(code) => entries
            .iter()
            .filter(|e| e.code == Some(code.value.as_str()))
            .collect(),
        NodeRef::Path(names, _) => entries
            .iter()
            .filter(|e| {
                let tail = e.path.get(e.path.len().saturating_sub(names.len())..);
                e.path.len() >= names.len()
                    && tail.is_some_and(|t| t.iter().zip(names).all(|(a, b)| *a == b.value))
            })
            .collect(),
    };
    match (found.as_slice(), target) {
        ([one], _) => Ok(Place::Node(one.place.clone())),
        ([], NodeRef::Path(names, _)) if names.len() == 1 => {
            let name = names.first().map_or("", |n| n.value.as_str());
            if let Some(p) = file.parts.iter().position(|p| p.name.value == name) {
                Ok(Place::Part(p))
            } else if let Some(v) = file.vetoes.iter().position(|v| v.name.value == name) {
                Ok(Place::Veto(v))
            } else {
                Err(unknown(file, &entries, target))
            }
        }
        ([], _) => Err(unknown(file, &entries, target)),
        (many, _) => {
            let paths: Vec<String> = many.iter().map(|e| e.path.join("/")).collect();
            Err(Diagnostic::error(
                AMBIGUOUS_TARGET,
                format!("`{target}` names {} nodes", many.len()),
            )
            .label(target.span(), "which one?")
            .help(format!("write more of the path: {}", paths.join(", "))))
        }
    }
}

fn unknown(file: &File, entries: &[Entry], target: &NodeRef) -> Diagnostic {
    let text = target.to_string();
    let suggestion = match target {
        NodeRef::Code(_) => {
            let codes: Vec<String> = entries
                .iter()
                .filter_map(|e| e.code)
                .map(|c| format!("#{c}"))
                .collect();
            closest(&text, codes.iter().map(String::as_str)).map(str::to_string)
        }
        NodeRef::Path(names, _) => {
            let last = names.last().map_or("", |n| n.value.as_str());
            let mut candidates: Vec<&str> = entries
                .iter()
                .filter_map(|e| e.path.last().copied())
                .collect();
            candidates.extend(file.parts.iter().map(|p| p.name.value.as_str()));
            candidates.extend(file.vetoes.iter().map(|v| v.name.value.as_str()));
            closest(last, candidates.iter().copied()).and_then(|c| {
                entries
                    .iter()
                    .find(|e| e.path.last() == Some(&c))
                    .map_or(Some(c.to_string()), |e| Some(e.path.join("/")))
            })
        }
    };
    let help = match suggestion {
        Some(s) => format!("did you mean `{s}`?"),
        None => "name a node by its code (`#1.2`) or by its path (`项目建设/身份认证`) as it is in the policy this one extends".to_string(),
    };
    Diagnostic::error(
        UNKNOWN_TARGET,
        format!("`{text}` names no node of the policy this one extends"),
    )
    .label(target.span(), "not found")
    .help(help)
}

pub fn node_mut<'f>(file: &'f mut File, place: &NodePlace) -> Option<&'f mut Node> {
    match place {
        NodePlace::Tree(at) => {
            let (last, init) = at.split_last()?;
            let mut list = &mut file.tree;
            for i in init {
                match &mut list.get_mut(*i)?.body {
                    NodeBody::Group(children) => list = children,
                    NodeBody::Item(_) => return None,
                }
            }
            list.get_mut(*last)
        }
        NodePlace::PartItem(p, i) => file.parts.get_mut(*p)?.items.get_mut(*i),
    }
}

/// Takes a node out of the tree or its part.
pub fn take(file: &mut File, place: &NodePlace) -> Option<Node> {
    match place {
        NodePlace::Tree(at) => {
            let (last, init) = at.split_last()?;
            let list = match init {
                [] => &mut file.tree,
                _ => match &mut node_mut(file, &NodePlace::Tree(init.to_vec()))?.body {
                    NodeBody::Group(children) => children,
                    NodeBody::Item(_) => return None,
                },
            };
            (*last < list.len()).then(|| list.remove(*last))
        }
        NodePlace::PartItem(p, i) => {
            let items = &mut file.parts.get_mut(*p)?.items;
            (*i < items.len()).then(|| items.remove(*i))
        }
    }
}

pub fn unknown_input(name: &Name, inputs: &[&str]) -> Diagnostic {
    let help = match closest(&name.value, inputs.iter().copied()) {
        Some(c) => format!("did you mean `{c}`?"),
        None => "name an input declared by the policy this one extends".to_string(),
    };
    Diagnostic::error(
        UNKNOWN_TARGET,
        format!(
            "`{}` names no input of the policy this one extends",
            name.value
        ),
    )
    .label(name.span, "not found")
    .help(help)
}
