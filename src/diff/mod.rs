//! Comparing two versions of a policy in the domain's terms: nodes matched
//! by code, then by path, then by name (a move) or by place and rule (a
//! rename); points, rules, applicability and eligibility as old → new text;
//! header, inputs, derived values, parts, vetoes and grades by name. The
//! impact of the changes on every unit is in [`impact`].
//!
//! Runs on two checked policies (the IR for absolute points) and their
//! resolved syntax trees (for the text of rules), after `check`.

pub mod impact;
mod nodes;
pub mod render;

use crate::ir::Policy;
use crate::source::Sources;
use crate::syntax::ast::{self, Setting};
use crate::syntax::print::{self, Keywords};
use serde::Serialize;
use std::collections::BTreeMap;

/// One version of a policy, as compiled.
#[derive(Clone, Copy)]
pub struct Version<'a> {
    pub policy: &'a Policy,
    pub syntax: &'a ast::File,
    pub sources: &'a Sources,
}

#[derive(Debug, Clone, Serialize)]
pub struct PolicyDiff {
    pub old: Title,
    pub new: Title,
    pub entries: Vec<Entry>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Title {
    pub name: String,
    pub version: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Section {
    Header,
    Input,
    Let,
    Node,
    Part,
    Veto,
    Grade,
    Tier,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Added,
    Removed,
    Changed,
}

/// One thing that was added, removed or changed.
#[derive(Debug, Clone, Serialize)]
pub struct Entry {
    pub section: Section,
    pub kind: Kind,
    /// A node's path (in the new version, or the old one if removed), or a name.
    pub subject: String,
    /// Depth in the tree (nodes), for indenting.
    pub depth: usize,
    pub details: Vec<Detail>,
    /// Where the new version defines or last changed it (`file:line`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub at: Option<String>,
}

/// What changed: old → new (absent on the side where it does not exist).
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Detail {
    pub what: String,
    pub old: Option<String>,
    pub new: Option<String>,
}

impl PolicyDiff {
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

/// Compares two versions.
pub fn compare(old: Version, new: Version) -> PolicyDiff {
    let lang = keywords(new);
    let mut entries = Vec::new();
    entries.extend(header(old.syntax, new.syntax, lang));
    entries.extend(by_name(
        Section::Input,
        inputs(old.syntax, lang),
        inputs(new.syntax, lang),
    ));
    let lets = |f: &ast::File| -> Named {
        f.lets
            .iter()
            .map(|l| (l.name.value.clone(), print::expr(&l.expr, lang)))
            .collect()
    };
    entries.extend(by_name(Section::Let, lets(old.syntax), lets(new.syntax)));
    entries.extend(nodes::compare(old, new, lang));
    entries.extend(parts(old.syntax, new.syntax, lang));
    let vetoes = |f: &ast::File| -> Named {
        f.vetoes
            .iter()
            .map(|v| (v.name.value.clone(), print::veto(v, lang)))
            .collect()
    };
    entries.extend(by_name(
        Section::Veto,
        vetoes(old.syntax),
        vetoes(new.syntax),
    ));
    let grades = |f: &ast::File| -> Named {
        f.grades
            .iter()
            .flat_map(|g| &g.grades)
            .map(|g| (g.name.value.clone(), print::interval(&g.interval)))
            .collect()
    };
    entries.extend(by_name(
        Section::Grade,
        grades(old.syntax),
        grades(new.syntax),
    ));
    PolicyDiff {
        old: title(old.policy),
        new: title(new.policy),
        entries,
    }
}

fn title(p: &Policy) -> Title {
    Title {
        name: p.name.clone(),
        version: p.version.clone(),
    }
}

/// The keyword language of a version (as its header is written).
pub fn keywords(v: Version) -> Keywords {
    let header = v.syntax.header.first().map(|h| h.span);
    Keywords::of(header.map_or("", |s| v.sources.slice(s)))
}

fn header(old: &ast::File, new: &ast::File, lang: Keywords) -> Vec<Entry> {
    let settings = |f: &ast::File| -> BTreeMap<String, String> {
        let mut map = BTreeMap::new();
        if let Some(h) = f.header.first() {
            map.insert("name".to_string(), print::name(&h.name.value));
            for s in &h.settings {
                let text = print::setting(&s.value, lang);
                // The value only: the key says which setting it is.
                let value = text.split_once(' ').map_or(text.as_str(), |(_, v)| v);
                map.insert(setting_name(&s.value).to_string(), value.to_string());
            }
        }
        map
    };
    let details = details(settings(old), settings(new));
    if details.is_empty() {
        return Vec::new();
    }
    vec![Entry {
        section: Section::Header,
        kind: Kind::Changed,
        subject: new
            .header
            .first()
            .map_or(String::new(), |h| h.name.value.clone()),
        depth: 0,
        details,
        at: None,
    }]
}

fn setting_name(s: &Setting) -> &'static str {
    match s {
        Setting::Version(_) => "version",
        Setting::Total(_) => "total",
        Setting::Precision { .. } => "precision",
        Setting::Levels(_) => "levels",
        Setting::Kinds(_) => "kinds",
        Setting::NotApplicable(_) => "not_applicable",
        Setting::Missing(_) => "missing",
        Setting::Allow(_) => "allow",
        Setting::Rank { .. } => "rank",
        Setting::Sources(_) => "sources",
        Setting::Compare(_) => "compare",
        Setting::FailBelow(_) => "fail_below",
        Setting::Columns(_) => "column",
    }
}

/// Names and their text, in the order declared.
type Named = Vec<(String, String)>;

/// Each input by name, as its declaration reads.
fn inputs(f: &ast::File, lang: Keywords) -> Named {
    let mut named = Vec::new();
    for i in &f.inputs {
        for n in &i.names {
            let one = ast::Input {
                names: vec![n.clone()],
                ..i.clone()
            };
            named.push((n.value.clone(), print::input(&one, lang)));
        }
    }
    named
}

fn parts(old: &ast::File, new: &ast::File, lang: Keywords) -> Vec<Entry> {
    let view = |f: &ast::File| -> BTreeMap<String, BTreeMap<String, String>> {
        f.parts
            .iter()
            .map(|p| {
                let mut fields = BTreeMap::new();
                fields.insert(String::new(), print::part_head(p, lang));
                for item in &p.items {
                    fields.insert(item.name.value.clone(), print::node_head(item, lang));
                }
                (p.name.value.clone(), fields)
            })
            .collect()
    };
    let (old, new) = (view(old), view(new));
    let mut entries = Vec::new();
    for (name, fields) in &new {
        match old.get(name) {
            None => entries.push(entry(
                Section::Part,
                Kind::Added,
                name,
                details(BTreeMap::new(), fields.clone()),
            )),
            Some(before) => {
                let d = details(before.clone(), fields.clone());
                if !d.is_empty() {
                    entries.push(entry(Section::Part, Kind::Changed, name, d));
                }
            }
        }
    }
    for (name, fields) in &old {
        if !new.contains_key(name) {
            entries.push(entry(
                Section::Part,
                Kind::Removed,
                name,
                details(fields.clone(), BTreeMap::new()),
            ));
        }
    }
    entries
}

/// Entries for things compared by name, each one line of text: in the
/// new version's order, then what was removed.
fn by_name(section: Section, old: Named, new: Named) -> Vec<Entry> {
    let find =
        |list: &Named, name: &str| list.iter().find(|(n, _)| n == name).map(|(_, t)| t.clone());
    let mut entries = Vec::new();
    for (name, text) in &new {
        let (kind, old_text) = match find(&old, name) {
            None => (Kind::Added, None),
            Some(o) if o != *text => (Kind::Changed, Some(o)),
            Some(_) => continue,
        };
        let detail = Detail {
            what: String::new(),
            old: old_text,
            new: Some(text.clone()),
        };
        entries.push(entry(section, kind, name, vec![detail]));
    }
    for (name, text) in &old {
        if find(&new, name).is_none() {
            let detail = Detail {
                what: String::new(),
                old: Some(text.clone()),
                new: None,
            };
            entries.push(entry(section, Kind::Removed, name, vec![detail]));
        }
    }
    entries
}

fn entry(section: Section, kind: Kind, subject: &str, details: Vec<Detail>) -> Entry {
    Entry {
        section,
        kind,
        subject: subject.to_string(),
        depth: 0,
        details,
        at: None,
    }
}

/// The fields that differ between two maps of field → text.
fn details(old: BTreeMap<String, String>, new: BTreeMap<String, String>) -> Vec<Detail> {
    let mut keys: Vec<&String> = old.keys().chain(new.keys()).collect();
    keys.sort();
    keys.dedup();
    keys.into_iter()
        .filter(|k| old.get(*k) != new.get(*k))
        .map(|k| Detail {
            what: k.clone(),
            old: old.get(k).cloned(),
            new: new.get(k).cloned(),
        })
        .collect()
}
