//! Matching the nodes of two versions of a tree and saying what changed.
//!
//! Nodes are matched by code, then by full path, then by name alone (the
//! node moved), then by parent, kind, points and rule (the node was
//! renamed). What is left is added or removed.

use super::{Detail, Entry, Kind, Section, Version, details};
use crate::num::Num;
use crate::source::Span;
use crate::syntax::ast::{Node, NodeBody};
use crate::syntax::print::{self, Keywords};
use std::collections::{BTreeMap, HashMap};

/// A node of one version, flattened.
struct View {
    path: Vec<String>,
    code: Option<String>,
    parent: Option<usize>,
    item: bool,
    points: Num,
    rule: String,
    /// Description, applicability, eligibility, N/A rule, fail line, rule.
    fields: BTreeMap<String, String>,
    span: Span,
}

impl View {
    fn name(&self) -> &str {
        self.path.last().map_or("", String::as_str)
    }
}

fn views(v: Version, lang: Keywords) -> Vec<View> {
    fn walk(
        nodes: &[Node],
        parent: Option<usize>,
        path: &mut Vec<String>,
        lang: Keywords,
        out: &mut Vec<View>,
    ) {
        for n in nodes {
            path.push(n.name.value.clone());
            let me = out.len();
            let mut fields = BTreeMap::new();
            let mut put = |k: &str, v: Option<String>| {
                if let Some(v) = v {
                    fields.insert(k.to_string(), v);
                }
            };
            put("description", n.description.clone());
            let kinds: Vec<String> = n.kinds.iter().map(|k| print::name(&k.value)).collect();
            put("for", (!kinds.is_empty()).then(|| kinds.join(", ")));
            put("when", n.when.as_ref().map(|w| print::expr(w, lang)));
            put(
                "not_applicable",
                n.na.map(|r| print::na_rule(r.value, lang)),
            );
            put("fail_below", n.fail_below.map(|f| print::size(f.value)));
            put(
                "aggregate",
                n.aggregate.map(|a| print::aggregate(a.value, lang)),
            );
            put("by_kind", n.by_kind.map(|_| "yes".to_string()));
            put("side_total", n.side.map(|_| "yes".to_string()));
            put("target", n.target.map(|t| print::size(t.value)));
            put("minus", n.minus.as_ref().map(|m| print::expr(m, lang)));
            let allow: Vec<&str> = n.allow.iter().map(|l| l.value.as_str()).collect();
            put("allow", (!allow.is_empty()).then(|| allow.join(", ")));
            put(
                "weights",
                n.weights.map(|w| format!("{:?}", w.value).to_lowercase()),
            );
            let rule = match &n.body {
                NodeBody::Item(r) => print::rule(r, lang),
                NodeBody::Group(_) => String::new(),
            };
            put("rule", (!rule.is_empty()).then(|| rule.clone()));
            out.push(View {
                path: path.clone(),
                code: n.code.as_ref().map(|c| c.value.clone()),
                parent,
                item: matches!(n.body, NodeBody::Item(_)),
                points: Num::ZERO,
                rule,
                fields,
                span: n.changed.unwrap_or(n.name.span),
            });
            if let NodeBody::Group(children) = &n.body {
                walk(children, Some(me), path, lang, out);
            }
            path.pop();
        }
    }
    let mut out = Vec::new();
    walk(&v.syntax.tree, None, &mut Vec::new(), lang, &mut out);
    // The IR holds the tree in the same pre-order, after the root.
    for (view, node) in out.iter_mut().zip(v.policy.nodes.iter().skip(1)) {
        view.points = node.points;
    }
    out
}

pub fn compare(old: Version, new: Version, lang: Keywords) -> Vec<Entry> {
    let a = views(old, lang);
    let b = views(new, lang);
    let pairs = Matching::new(&a, &b).run();
    // (place, entry): a new node's place is its index in the new tree; a
    // removed node follows the new place of the old node before it.
    let mut entries: Vec<(usize, Entry)> = Vec::new();
    let path = |v: &View| v.path.join("/");
    for (j, nv) in b.iter().enumerate() {
        let at = Some(new.sources.place(nv.span));
        let depth = nv.path.len().saturating_sub(1);
        let Some(i) = pairs.old_of(j) else {
            let mut d = vec![points(None, Some(nv.points))];
            if !nv.rule.is_empty() {
                d.push(detail("rule", None, Some(nv.rule.clone())));
            }
            entries.push((
                2 * j + 2,
                Entry {
                    section: Section::Node,
                    kind: Kind::Added,
                    subject: path(nv),
                    depth,
                    details: d,
                    at,
                },
            ));
            continue;
        };
        let Some(ov) = a.get(i) else { continue };
        let mut d = Vec::new();
        if ov.name() != nv.name() {
            d.push(detail(
                "name",
                Some(ov.name().into()),
                Some(nv.name().into()),
            ));
        }
        let old_parent = ov.parent.and_then(|p| pairs.new_of(p));
        if old_parent != nv.parent {
            let parent_path = |views: &[View], p: Option<usize>| {
                p.and_then(|p| views.get(p))
                    .map_or("(top)".to_string(), path)
            };
            d.push(detail(
                "moved",
                Some(parent_path(&a, ov.parent)),
                Some(parent_path(&b, nv.parent)),
            ));
        }
        if ov.code != nv.code {
            d.push(detail("code", ov.code.clone(), nv.code.clone()));
        }
        if ov.points != nv.points {
            d.push(points(Some(ov.points), Some(nv.points)));
        }
        d.extend(details(ov.fields.clone(), nv.fields.clone()));
        if !d.is_empty() {
            entries.push((
                2 * j + 2,
                Entry {
                    section: Section::Node,
                    kind: Kind::Changed,
                    subject: path(nv),
                    depth,
                    details: d,
                    at,
                },
            ));
        }
    }
    for (i, ov) in a.iter().enumerate() {
        if pairs.new_of(i).is_none() {
            let before = (0..i).rev().find_map(|k| pairs.new_of(k));
            let place = before.map_or(1, |j| 2 * j + 3);
            entries.push((
                place,
                Entry {
                    section: Section::Node,
                    kind: Kind::Removed,
                    subject: path(ov),
                    depth: ov.path.len().saturating_sub(1),
                    details: vec![points(Some(ov.points), None)],
                    at: None,
                },
            ));
        }
    }
    entries.sort_by_key(|(place, _)| *place);
    entries.into_iter().map(|(_, e)| e).collect()
}

fn detail(what: &str, old: Option<String>, new: Option<String>) -> Detail {
    Detail {
        what: what.into(),
        old,
        new,
    }
}

fn points(old: Option<Num>, new: Option<Num>) -> Detail {
    detail("points", old.map(print::number), new.map(print::number))
}

struct Matching<'v> {
    a: &'v [View],
    b: &'v [View],
    old_to_new: Vec<Option<usize>>,
    new_to_old: Vec<Option<usize>>,
}

impl<'v> Matching<'v> {
    fn new(a: &'v [View], b: &'v [View]) -> Matching<'v> {
        Matching {
            a,
            b,
            old_to_new: vec![None; a.len()],
            new_to_old: vec![None; b.len()],
        }
    }

    fn old_of(&self, j: usize) -> Option<usize> {
        self.new_to_old.get(j).copied().flatten()
    }

    fn new_of(&self, i: usize) -> Option<usize> {
        self.old_to_new.get(i).copied().flatten()
    }

    fn pair(&mut self, i: usize, j: usize) {
        if let (Some(o), Some(n)) = (self.old_to_new.get_mut(i), self.new_to_old.get_mut(j))
            && o.is_none()
            && n.is_none()
        {
            *o = Some(j);
            *n = Some(i);
        }
    }

    /// Pairs unmatched nodes whose keys are equal and unique on both sides.
    fn by_key<K: std::hash::Hash + Eq>(
        &mut self,
        key: impl Fn(&Matching, &View, bool) -> Option<K>,
    ) {
        let mut old: HashMap<K, Vec<usize>> = HashMap::new();
        for (i, v) in self.a.iter().enumerate() {
            if self.new_of(i).is_none()
                && let Some(k) = key(self, v, false)
            {
                old.entry(k).or_default().push(i);
            }
        }
        let mut new: HashMap<K, Vec<usize>> = HashMap::new();
        for (j, v) in self.b.iter().enumerate() {
            if self.old_of(j).is_none()
                && let Some(k) = key(self, v, true)
            {
                new.entry(k).or_default().push(j);
            }
        }
        let mut found: Vec<(usize, usize)> = Vec::new();
        for (k, is) in &old {
            if let (Some(js), [i]) = (new.get(k), is.as_slice())
                && let [j] = js.as_slice()
            {
                found.push((*i, *j));
            }
        }
        found.sort_unstable();
        for (i, j) in found {
            self.pair(i, j);
        }
    }

    fn run(mut self) -> Self {
        self.by_key(|_, v, _| v.code.clone());
        self.by_key(|_, v, _| Some(v.path.clone()));
        self.by_key(|_, v, _| Some((v.name().to_string(), v.item)));
        // A rename: same (matched) parent, kind, points and rule.
        self.by_key(|m, v, is_new| {
            let parent = if is_new {
                v.parent
            } else {
                v.parent.and_then(|p| m.new_of(p))
            };
            Some((parent, v.item, v.points, v.rule.clone()))
        });
        self
    }
}
