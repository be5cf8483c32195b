//! Why a unit got its score: every node with its score and maximum, each
//! item's rule with the values it read, why a node did not apply and what
//! its not-applicable rule did with its points, the parts, the vetoes, and
//! the rounding of the final score.

use super::Points;
use super::table::fixed;
use crate::eval::{NodeResult, Status, UnitResult, VetoHit};
use crate::ir::{Expr, InputType, NotApplicable, Policy, Value};
use crate::source::Sources;
use serde::Serialize;
use std::fmt::Write;

#[derive(Debug, Serialize)]
pub struct Explanation {
    pub id: String,
    pub name: String,
    pub kind: String,
    /// The final score before rounding, exactly (a fraction where it has
    /// no finite decimal expansion).
    pub exact: Option<String>,
    /// `None` (and `exact`, `max` too) for a unit a `not_scored` veto
    /// keeps out: no node or part is scored then.
    pub score: Option<Points>,
    pub max: Option<Points>,
    pub grade: Option<String>,
    pub rank: Option<usize>,
    pub nodes: Vec<NodeWhy>,
    pub parts: Vec<String>,
    pub vetoes: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct NodeWhy {
    pub path: String,
    pub depth: usize,
    pub score: Points,
    pub max: Points,
    pub status: Status,
    /// The rule as written (items).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule: Option<String>,
    /// The values the rule or the condition read: `name = value`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub read: Vec<String>,
    /// The arms of `match` and bands of `bands` the rule took, as written.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub taken: Vec<String>,
    /// Why the node did not apply, and what happened to its points.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub why: Option<String>,
    /// A side total: scored and shown, not counted in its parent.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub side: bool,
}

/// Explains unit `u`'s result.
pub fn explain(
    policy: &Policy,
    sources: &Sources,
    plan: &crate::eval::Plan,
    u: usize,
    result: &UnitResult,
) -> Explanation {
    let data = plan.data;
    let r = |x| Points(crate::num::Num::round(x, policy.precision, policy.rounding));
    let unit = data.units.get(u);
    let kind = unit.and_then(|x| policy.kinds.get(x.kind));
    let values = data.values(u);
    let read = |e: &Expr| -> Vec<String> {
        let mut ids = Vec::new();
        e.inputs_read(&policy.lets, &mut ids);
        ids.dedup();
        ids.iter()
            .filter_map(|i| {
                Some((
                    policy.inputs.get(*i)?,
                    values.get(*i).copied().unwrap_or(Value::Absent),
                ))
            })
            .map(|(input, v)| format!("{} = {}", input.name, show(&input.ty, v)))
            .collect()
    };
    let scored = !result.outcome.not_scored;
    let nodes = policy
        .nodes
        .iter()
        .zip(&result.nodes)
        .enumerate()
        .skip(1)
        .filter(|_| scored)
        .map(|(id, (node, res))| {
            let NodeResult { score, max, status } = *res;
            let other_kinds = policy.other_kinds_row(id, unit.map_or(0, |x| x.kind));
            let why = (status == Status::NotApplicable).then(|| {
                if let (true, Some(k)) = (other_kinds, kind) {
                    let k = k.label.as_deref().unwrap_or(&k.name);
                    return format!("not one of the rows for {k} (the group has rows by kind)");
                }
                let reason = match (&node.when, kind) {
                    (Some(w), _)
                        if node.kinds >> unit.map_or(0, |x| x.kind) & 1 == 1
                            || policy.kinds.is_empty() =>
                    {
                        format!("`{}` does not hold", sources.slice(w.span))
                    }
                    (_, Some(k)) => format!("not for {}", k.label.as_deref().unwrap_or(&k.name)),
                    _ => "its parts do not apply".to_string(),
                };
                format!("{reason}; {}", na_effect(node.not_applicable))
            });
            let mut seen = node
                .rule
                .as_ref()
                .map(|rule| read(&rule.expr))
                .unwrap_or_default();
            let minus = node.minus.as_ref().map(|m| &m.0);
            for v in (node.when.iter().chain(minus)).flat_map(&read) {
                if !seen.contains(&v) {
                    seen.push(v);
                }
            }
            NodeWhy {
                path: node.path.clone(),
                depth: node.depth,
                score: r(score),
                max: r(max),
                status,
                rule: node
                    .rule
                    .as_ref()
                    .map(|rule| {
                        let target = node.target.as_ref().map(|t| format!(" (target {})", t.1));
                        let (mode, text) = (rule.mode.keyword(), sources.slice(rule.expr.span));
                        format!("{mode} {text}{}", target.unwrap_or_default())
                    })
                    .or_else(|| minus.map(|m| format!("minus {}", sources.slice(m.span)))),
                read: seen,
                taken: match (&node.rule, status) {
                    (Some(rule), Status::Scored | Status::Missing) => {
                        crate::eval::branches(plan, u, result.outcome.base, &rule.expr)
                            .into_iter()
                            .map(|s| sources.slice(s).to_string())
                            .collect()
                    }
                    _ => Vec::new(),
                },
                why,
                side: node.side,
            }
        })
        .collect();
    let parts = policy
        .parts
        .iter()
        .zip(&result.parts)
        .filter(|_| scored)
        .map(|(part, res)| {
            let items: Vec<String> = part
                .items
                .iter()
                .zip(&res.items)
                .map(|(i, p)| match p {
                    Some(p) if i.rule.uncapped => format!("{} {} (uncapped)", i.name, r(*p).0),
                    Some(p) => format!("{} {}", i.name, r(*p).0),
                    None => format!("{} not applicable", i.name),
                })
                .collect();
            let cap = part.cap.map(|c| format!(", cap {}", c)).unwrap_or_default();
            let open = if res.open {
                ""
            } else {
                " (shut: its gate does not hold)"
            };
            format!(
                "{} {}{cap}{open}: {}",
                part.name,
                r(res.points).0,
                items.join(", ")
            )
        })
        .collect();
    let vetoes = result
        .outcome
        .vetoes
        .iter()
        .map(|hit| match hit {
            VetoHit::Veto(v) => policy.vetoes.get(*v).map_or_else(String::new, |veto| {
                format!(
                    "{}: `{}` holds ({})",
                    veto.name,
                    sources.slice(veto.condition.span),
                    read(&veto.condition).join(", ")
                )
            }),
            VetoHit::FailBelow(n) => {
                let line = policy.nodes.get(*n).and_then(|x| x.fail_below);
                let line = line.map(|l| format!(" ({l})")).unwrap_or_default();
                format!(
                    "{} fell below its fail line{line}",
                    policy.fail_line_name(*n)
                )
            }
        })
        .collect();
    Explanation {
        id: unit.map(|x| x.id.to_string()).unwrap_or_default(),
        name: unit.map(|x| x.name.to_string()).unwrap_or_default(),
        kind: kind.map(|k| k.name.clone()).unwrap_or_default(),
        exact: scored.then(|| exactly(result.outcome.exact)),
        score: scored.then(|| r(result.outcome.score)),
        max: scored.then(|| r(result.outcome.max)),
        grade: result
            .outcome
            .grade
            .and_then(|g| policy.grades.get(g))
            .map(|g| g.name.clone()),
        rank: result.rank,
        nodes,
        parts,
        vetoes,
    }
}

/// An exact value as written: a decimal when it has a finite expansion,
/// else the fraction and its first twelve places (`46493/485 ≈ 95.861855670103`).
fn exactly(x: crate::num::Num) -> String {
    if x.places().is_some() {
        x.to_string()
    } else {
        format!("{x} ≈ {}", x.fixed(12))
    }
}

fn na_effect(rule: NotApplicable) -> &'static str {
    match rule {
        NotApplicable::Rescale { .. } => "left out, and the rest rescaled to full points",
        NotApplicable::Redistribute { proportional: true } => {
            "its points went to its siblings in proportion"
        }
        NotApplicable::Redistribute {
            proportional: false,
        } => "its points went to its siblings in equal shares",
        NotApplicable::FullMarks => "full marks",
        NotApplicable::Zero => "no points, the maximum unchanged",
        NotApplicable::Exclude => "left out: the unit's maximum is lower",
    }
}

/// A cell value as the data file would write it.
fn show(ty: &InputType, v: Value) -> String {
    let choices = |c: &[String], i: usize| c.get(i).cloned().unwrap_or_default();
    match (ty, v) {
        (_, Value::Absent) => "(blank)".into(),
        (_, Value::Bool(b)) => if b { "是" } else { "否" }.into(),
        (InputType::Percent { .. }, Value::Number(n)) => {
            format!("{}%", (n * crate::num::Num::ONE_HUNDRED))
        }
        (_, Value::Number(n)) => n.to_string(),
        (InputType::Choice(c), Value::Choice(i)) => choices(c, usize::from(i)),
        (InputType::Set(c), Value::Set(mask)) => {
            let chosen: Vec<String> = (0..c.len())
                .filter(|i| mask >> i & 1 == 1)
                .map(|i| choices(c, i))
                .collect();
            if chosen.is_empty() {
                "-".into()
            } else {
                chosen.join("、")
            }
        }
        (_, other) => format!("{other:?}"),
    }
}

/// The explanation as text for people.
pub fn text(e: &Explanation, precision: u32) -> String {
    let mut out = format!("{} {} ({})\n", e.id, e.name, e.kind);
    let (Some(score), Some(max), Some(exact)) = (e.score, e.max, &e.exact) else {
        let _ = writeln!(
            out,
            "not scored ({}): a veto keeps it from being scored, ranked and compared; grade {}",
            super::NOT_SCORED,
            e.grade.as_deref().unwrap_or("-"),
        );
        for v in &e.vetoes {
            let _ = writeln!(out, "\nveto {v}");
        }
        return out;
    };
    let _ = writeln!(
        out,
        "score {} of {} (exactly {}), grade {}, rank {}\n",
        fixed(score, precision),
        fixed(max, precision),
        exact,
        e.grade.as_deref().unwrap_or("-"),
        e.rank.map_or("-".into(), |r| r.to_string())
    );
    for n in &e.nodes {
        let indent = "  ".repeat(n.depth.saturating_sub(1));
        let name = n.path.rsplit('/').next().unwrap_or("");
        let _ = write!(
            out,
            "{indent}{name}  {} / {}",
            fixed(n.score, precision),
            fixed(n.max, precision)
        );
        match (&n.why, &n.rule) {
            (Some(why), _) => {
                let _ = write!(out, "  — not applicable: {why}");
            }
            (None, Some(rule)) => {
                let _ = write!(out, "  ← {rule}");
            }
            _ => {}
        }
        if n.side {
            out.push_str("  (side total: not counted in its parent)");
        }
        if n.status == Status::Missing {
            out.push_str("  (from a blank cell filled by a missing rule)");
        }
        if n.status == Status::Reweighted {
            out.push_str("  (left out for a blank cell; its points went to its siblings)");
        }
        out.push('\n');
        if !n.read.is_empty() {
            let _ = writeln!(out, "{indent}    {}", n.read.join(", "));
        }
        for arm in &n.taken {
            let _ = writeln!(out, "{indent}    took {arm}");
        }
    }
    for p in &e.parts {
        let _ = writeln!(out, "\n{p}");
    }
    for v in &e.vetoes {
        let _ = writeln!(out, "\nveto {v}");
    }
    out
}
