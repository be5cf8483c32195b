//! Why a unit got its score: every node with its score and maximum, each
//! item's rule with the values it read, why a node did not apply and what
//! its not-applicable rule did with its points, the parts, the vetoes, and
//! the rounding of the final score.

use super::Points;
use super::table::fixed;
use crate::eval::{NodeResult, Status, UnitResult, VetoHit};
use crate::ir::{Expr, ExprKind, InputType, NotApplicable, Policy, Value};
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
    pub parts: Vec<PartWhy>,
    pub vetoes: Vec<VetoWhy>,
}

/// A bonus or deduction part: its items, its cap and its gate.
#[derive(Debug, Serialize)]
pub struct PartWhy {
    pub name: String,
    /// `bonus` or `deduction`.
    pub kind: &'static str,
    /// Added or taken, after the cap (0 when the gate kept it shut).
    pub points: Points,
    /// The items' points before the cap.
    pub sum: Points,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cap: Option<Points>,
    /// The gate as written (`only_if ...`), and whether it held.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gate: Option<String>,
    pub open: bool,
    pub items: Vec<PartItemWhy>,
}

#[derive(Debug, Serialize)]
pub struct PartItemWhy {
    pub name: String,
    /// `None`: the item does not apply to the unit.
    pub points: Option<Points>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub uncapped: bool,
}

/// A veto that fired, or a fail line the unit fell below.
#[derive(Debug, Serialize)]
pub struct VetoWhy {
    /// `veto` or `fail_line`.
    pub kind: &'static str,
    pub name: String,
    /// The condition as written, or the fail line.
    pub condition: String,
    /// The values the condition read: `name = value`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub read: Vec<String>,
    pub effect: String,
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
        // The inputs it reads, and those of the statistics it reads: the
        // unit's own values of them.
        let mut ids = Vec::new();
        e.inputs_read(&policy.lets, &mut ids);
        let peers = peers_read(policy, e);
        for p in peers.iter().filter_map(|p| policy.peers.get(*p)) {
            p.arg.inputs_read(&policy.lets, &mut ids);
        }
        let mut seen = Vec::new();
        ids.retain(|i| {
            let first = !seen.contains(i);
            seen.push(*i);
            first
        });
        ids.iter()
            .filter_map(|i| {
                Some((
                    policy.inputs.get(*i)?,
                    values.get(*i).copied().unwrap_or(Value::Absent),
                ))
            })
            .map(|(input, v)| format!("{} = {}", input.name, show(&input.ty, v)))
            .chain(derived(plan, sources, u, e, &peers))
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
    let parts = (policy.parts.iter().zip(&result.parts))
        .filter(|_| scored)
        .map(|(part, res)| PartWhy {
            name: part.name.clone(),
            kind: match part.kind {
                crate::ir::PartKind::Bonus => "bonus",
                crate::ir::PartKind::Deduction => "deduction",
            },
            points: r(res.points),
            sum: r(res.items.iter().flatten().sum()),
            cap: part.cap.map(r),
            gate: part
                .gate
                .as_ref()
                .map(|g| sources.slice(g.span).to_string()),
            open: res.open,
            items: (part.items.iter().zip(&res.items))
                .map(|(i, p)| PartItemWhy {
                    name: i.name.clone(),
                    points: p.map(r),
                    uncapped: i.rule.uncapped,
                })
                .collect(),
        })
        .collect();
    let vetoes = (result.outcome.vetoes.iter())
        .map(|hit| {
            let effect = super::veto_report(policy, *hit).effect;
            match hit {
                VetoHit::Veto(v) => {
                    let veto = policy.vetoes.get(*v);
                    VetoWhy {
                        kind: "veto",
                        name: veto.map(|v| v.name.clone()).unwrap_or_default(),
                        condition: veto.map_or("", |v| sources.slice(v.condition.span)).into(),
                        read: veto.map(|v| read(&v.condition)).unwrap_or_default(),
                        effect,
                    }
                }
                VetoHit::FailBelow(n) => {
                    let line = policy.nodes.get(*n).and_then(|x| x.fail_below);
                    VetoWhy {
                        kind: "fail_line",
                        name: policy.fail_line_name(*n),
                        condition: line
                            .map(|l| format!("below its fail line ({l})"))
                            .unwrap_or_default(),
                        read: Vec::new(),
                        effect,
                    }
                }
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

/// The peer statistics an expression reads, and those their arguments
/// read, each once, outer first.
fn peers_read(policy: &Policy, e: &Expr) -> Vec<usize> {
    let found = std::cell::RefCell::new(Vec::new());
    let collect = |k: &ExprKind| {
        if let ExprKind::Peer(p) = k
            && !found.borrow().contains(p)
        {
            found.borrow_mut().push(*p);
        }
        false
    };
    e.reads(&policy.lets, &collect);
    let mut at = 0;
    // Statistics are made after those in their arguments: this ends.
    loop {
        let next = found.borrow().get(at).copied();
        let Some(peer) = next.map(|p| policy.peers.get(p)) else {
            break;
        };
        if let Some(peer) = peer {
            peer.arg.reads(&policy.lets, &collect);
        }
        at += 1;
    }
    found.into_inner()
}

/// The derived values (`let`) an expression reads and the peer statistics
/// `peers` (those it reads), with the unit's values: `相对 = 0.75`,
/// `mean(完成率) = 0.8`.
fn derived(
    plan: &crate::eval::Plan,
    sources: &Sources,
    u: usize,
    e: &Expr,
    peers: &[usize],
) -> Vec<String> {
    let policy = plan.policy;
    let lets = std::cell::RefCell::new(Vec::new());
    e.reads(&policy.lets, &|k| {
        if let ExprKind::Let(l) = k
            && !lets.borrow().contains(l)
        {
            lets.borrow_mut().push(*l);
        }
        false
    });
    let value = |x: Result<crate::num::Num, crate::eval::EvalError>| {
        x.map_or("(no value)".to_string(), exactly)
    };
    let lets = (lets.into_inner().into_iter()).filter_map(|l| {
        let name = &policy.lets.get(l)?.name;
        Some(format!(
            "{name} = {}",
            value(crate::eval::let_value(plan, u, l))
        ))
    });
    let peers = peers.iter().filter_map(|&p| {
        let text = sources.slice(policy.peers.get(p)?.span);
        Some(format!(
            "{text} = {}",
            value(crate::eval::peer_value(plan, u, p))
        ))
    });
    lets.chain(peers).collect()
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
        (_, Value::Number(n)) => exactly(n),
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
        vetoes_text(&mut out, &e.vetoes);
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
        let items: Vec<String> = (p.items.iter())
            .map(|i| match i.points {
                Some(x) if i.uncapped => format!("{} {} (uncapped)", i.name, x.0),
                Some(x) => format!("{} {}", i.name, x.0),
                None => format!("{} not applicable", i.name),
            })
            .collect();
        let cap = p.cap.map(|c| format!(", cap {}", c.0)).unwrap_or_default();
        let open = if p.open {
            ""
        } else {
            " (shut: its gate does not hold)"
        };
        let _ = writeln!(
            out,
            "\n{} {}{cap}{open}: {}",
            p.name,
            p.points.0,
            items.join(", ")
        );
    }
    vetoes_text(&mut out, &e.vetoes);
    out
}

fn vetoes_text(out: &mut String, vetoes: &[VetoWhy]) {
    for v in vetoes {
        if v.kind == "fail_line" {
            let _ = writeln!(out, "\nveto {} fell {}", v.name, v.condition);
            continue;
        }
        let read = if v.read.is_empty() {
            String::new()
        } else {
            format!(" ({})", v.read.join(", "))
        };
        let _ = writeln!(out, "\nveto {}: `{}` holds{read}", v.name, v.condition);
    }
}
