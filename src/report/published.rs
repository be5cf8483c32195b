//! The policy as the published table (附表): a row per group (with its
//! points) and per item, with 序号, the level columns, the content, the
//! points, 关联单位, 按需 (with its condition) and, with sources, the source
//! that collects its data (负责考核); then the sections the tree does not
//! hold — 加分项, 扣分项 and 否决项 — so reviewers can hold it against the
//! official document.

use crate::ir::{NodeId, Part, PartKind, Policy, Veto, VetoAction};
use crate::source::Sources;

/// The first level cell of the rows after the tree.
pub const BONUS: &str = "加分项";
pub const DEDUCTION: &str = "扣分项";
pub const VETO: &str = "否决项";

/// One row, before it is laid out in the table's columns.
#[derive(Default)]
struct Row {
    code: String,
    path: Vec<String>,
    content: String,
    points: String,
    kinds: String,
    condition: String,
    source: String,
    target: String,
}

/// The columns a policy's table has.
struct Columns {
    levels: Vec<String>,
    sourced: bool,
    targets: bool,
}

impl Columns {
    fn of(policy: &Policy) -> Columns {
        let depth = policy.nodes.iter().map(|n| n.depth).max().unwrap_or(0);
        let mut levels: Vec<String> = policy.levels.clone();
        for d in levels.len()..depth {
            levels.push(format!("第{}级", d + 1));
        }
        levels.truncate(depth.max(1));
        Columns {
            levels,
            sourced: !policy.sources.is_empty(),
            targets: policy.nodes.iter().any(|n| n.target.is_some()),
        }
    }

    fn header(&self) -> Vec<String> {
        let mut header = vec!["序号".to_string()];
        header.extend(self.levels.iter().cloned());
        header.extend(["内容", "分值", "关联单位", "按需"].map(String::from));
        if self.sourced {
            header.push("来源".into());
        }
        if self.targets {
            header.push("目标值".into());
        }
        header
    }

    /// The row's cells; a path deeper than the level columns puts the rest
    /// in the last one, joined by `/`.
    fn cells(&self, row: Row) -> Vec<String> {
        let mut cells = vec![row.code];
        let width = self.levels.len();
        let mut path = row.path.into_iter();
        cells.extend(path.by_ref().take(width.saturating_sub(1)));
        let rest: Vec<String> = path.collect();
        cells.push(rest.join("/"));
        cells.resize(1 + width, String::new());
        cells.extend([row.content, row.points, row.kinds, row.condition]);
        if self.sourced {
            cells.push(row.source);
        }
        if self.targets {
            cells.push(row.target);
        }
        cells
    }
}

/// Header and rows of the published table; `sources` holds the policy's
/// text, for the conditions of 按需 rows and of gates and vetoes.
pub fn table(policy: &Policy, sources: &Sources) -> (Vec<String>, Vec<Vec<String>>) {
    let columns = Columns::of(policy);
    let mut rows: Vec<Row> = (1..policy.nodes.len())
        .filter_map(|id| node_row(policy, sources, id))
        .collect();
    for part in &policy.parts {
        rows.extend(part_rows(policy, sources, part));
    }
    rows.extend((policy.vetoes.iter()).map(|v| veto_row(policy, sources, v)));
    let header = columns.header();
    (header, rows.into_iter().map(|r| columns.cells(r)).collect())
}

/// A group's row carries its points, a heading's none; no row gets a code
/// the policy does not give it.
fn node_row(policy: &Policy, sources: &Sources, id: NodeId) -> Option<Row> {
    let node = policy.nodes.get(id)?;
    let chain = ancestry(policy, id);
    // A signed item shows its range: `-1..1`.
    let least = (node.rule.as_ref()).map(|r| r.points_for(r.floor, node.points));
    let points = match least {
        _ if node.is_heading() => String::new(),
        Some(l) if l.is_negative() => format!("{l}..{}", node.points),
        _ => node.points.to_string(),
    };
    let condition =
        (chain.iter().rev()).find_map(|n| policy.nodes.get(*n).and_then(|n| n.when.as_ref()));
    Some(Row {
        code: node.code.clone().unwrap_or_default(),
        path: (chain.iter().filter_map(|n| policy.nodes.get(*n)))
            .map(|n| n.name.clone())
            .collect(),
        content: node.description.clone().unwrap_or_default(),
        points,
        kinds: kinds(policy, node.kinds),
        condition: condition.map_or(String::new(), |w| {
            format!("按需：{}", sources.slice(w.span))
        }),
        source: collected_by(policy, id),
        target: node.target.as_ref().map_or(String::new(), |t| t.1.clone()),
    })
}

/// A bonus or deduction part: its title row (cap and gate), then its items.
fn part_rows(policy: &Policy, sources: &Sources, part: &Part) -> Vec<Row> {
    let section = match part.kind {
        PartKind::Bonus => BONUS,
        PartKind::Deduction => DEDUCTION,
    };
    let mut content = Vec::new();
    if let Some(cap) = part.cap {
        content.push(format!("上限 {cap} 分"));
    }
    if let Some(gate) = &part.gate {
        content.push(format!("条件：{}", sources.slice(gate.span)));
    }
    let title = Row {
        path: vec![section.into(), part.name.clone()],
        content: content.join("；"),
        points: part.cap.map_or(String::new(), |c| c.to_string()),
        ..Row::default()
    };
    let items = part.items.iter().map(|item| Row {
        path: vec![section.into(), part.name.clone(), item.name.clone()],
        points: item.points.to_string(),
        kinds: kinds(policy, item.kinds),
        condition: (item.when.as_ref()).map_or(String::new(), |w| {
            format!("按需：{}", sources.slice(w.span))
        }),
        ..Row::default()
    });
    std::iter::once(title).chain(items).collect()
}

/// A veto: its condition and what it does to the unit.
fn veto_row(policy: &Policy, sources: &Sources, veto: &Veto) -> Row {
    let grade = |g: usize| policy.grades.get(g).map_or("?", |g| g.name.as_str());
    let action = match &veto.action {
        VetoAction::Fail => match policy.grades.len() {
            0 => "不合格".to_string(),
            n => format!("评为{}", grade(n - 1)),
        },
        VetoAction::NotScored => "不参与评分".into(),
        VetoAction::Points(p) => format!("扣 {p} 分"),
        VetoAction::MaxGrade(g) => format!("最高评为{}", grade(*g)),
    };
    Row {
        path: vec![VETO.into(), veto.name.clone()],
        content: format!("{}：{action}", sources.slice(veto.condition.span)),
        ..Row::default()
    }
}

/// The sources that collect the data a row's rule reads (`自评、专家`).
fn collected_by(policy: &Policy, id: NodeId) -> String {
    let mut read = Vec::new();
    if let Some(rule) = policy.nodes.get(id).and_then(|n| n.rule.as_ref()) {
        rule.expr.inputs_read(&policy.lets, &mut read);
    }
    let mut names: Vec<&str> = Vec::new();
    for input in read.iter().filter_map(|i| policy.inputs.get(*i)) {
        let from: Vec<usize> = match input.sources.as_slice() {
            [] => vec![0],
            several => several.iter().map(|(s, _)| *s).collect(),
        };
        for s in from.iter().filter_map(|s| policy.sources.get(*s)) {
            if !names.contains(&s.as_str()) {
                names.push(s);
            }
        }
    }
    names.join("、")
}

/// The nodes from the first level down to `id`.
fn ancestry(policy: &Policy, id: NodeId) -> Vec<NodeId> {
    let mut chain = Vec::new();
    let mut at = Some(id);
    while let Some(n) = at.filter(|n| *n != 0) {
        chain.push(n);
        at = policy.nodes.get(n).and_then(|node| node.parent);
    }
    chain.reverse();
    chain
}

fn kinds(policy: &Policy, mask: u64) -> String {
    let names: Vec<&str> = policy
        .kinds
        .iter()
        .enumerate()
        .filter(|(k, _)| mask & (1 << k) != 0)
        .map(|(_, k)| k.label.as_deref().unwrap_or(&k.name))
        .collect();
    names.join("、")
}

pub fn to_markdown(policy: &Policy, sources: &Sources) -> String {
    let (header, rows) = table(policy, sources);
    let cell = |s: &str| s.replace('|', "\\|").replace('\n', " ");
    let mut out = format!("| {} |\n", header.join(" | "));
    out.push_str(&format!("|{}\n", "---|".repeat(header.len())));
    for row in rows {
        let cells: Vec<String> = row.iter().map(|c| cell(c)).collect();
        out.push_str(&format!("| {} |\n", cells.join(" | ")));
    }
    out
}

pub fn to_csv(policy: &Policy, sources: &Sources) -> String {
    let (header, rows) = table(policy, sources);
    super::csv::write_rows(std::iter::once(header).chain(rows))
}
