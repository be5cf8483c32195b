//! The policy as the published table (附表): one row per item, with 序号, the
//! level columns, the content, the points, 关联单位, 按需 (with its condition)
//! and, with sources, the source that collects its data (负责考核), so
//! reviewers can hold it against the official document.

use crate::ir::{NodeId, Policy};
use crate::source::Sources;

/// Header and rows of the published table; `sources` holds the policy's
/// text, for the conditions of 按需 rows.
pub fn table(policy: &Policy, sources: &Sources) -> (Vec<String>, Vec<Vec<String>>) {
    let depth = policy.nodes.iter().map(|n| n.depth).max().unwrap_or(0);
    let mut levels: Vec<String> = policy.levels.clone();
    for d in levels.len()..depth {
        levels.push(format!("第{}级", d + 1));
    }
    levels.truncate(depth.max(1));
    let mut header = vec!["序号".to_string()];
    header.extend(levels.iter().cloned());
    header.extend(["内容", "分值", "关联单位", "按需"].map(String::from));
    let sourced = !policy.sources.is_empty();
    if sourced {
        header.push("来源".into());
    }
    let targets = policy.nodes.iter().any(|n| n.target.is_some());
    if targets {
        header.push("目标值".into());
    }
    let mut rows = Vec::new();
    for (id, node) in policy.nodes.iter().enumerate() {
        if node.rule.is_none() && !node.is_heading() {
            continue;
        }
        // The row's own code, none invented for a row without one.
        let mut row = vec![node.code.clone().unwrap_or_default()];
        let chain = ancestry(policy, id);
        for level in 0..levels.len() {
            row.push(chain.get(level).map_or(String::new(), |n| {
                policy
                    .nodes
                    .get(*n)
                    .map_or(String::new(), |n| n.name.clone())
            }));
        }
        row.push(node.description.clone().unwrap_or_default());
        // A signed item shows its range: `-1..1`.
        let least = (node.rule.as_ref()).map(|r| r.points_for(r.floor, node.points));
        row.push(match least {
            _ if node.is_heading() => String::new(),
            Some(l) if l.is_negative() => format!("{l}..{}", node.points),
            _ => node.points.to_string(),
        });
        row.push(kinds(policy, node.kinds));
        let condition =
            (chain.iter().rev()).find_map(|n| policy.nodes.get(*n).and_then(|n| n.when.as_ref()));
        row.push(condition.map_or(String::new(), |w| {
            format!("按需：{}", sources.slice(w.span))
        }));
        if sourced {
            row.push(collected_by(policy, id));
        }
        if targets {
            row.push(node.target.as_ref().map_or(String::new(), |t| t.1.clone()));
        }
        rows.push(row);
    }
    (header, rows)
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
