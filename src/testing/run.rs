//! Running a test: score its units and compare each expectation.

use super::{Check, Test, Written};
use crate::eval::{Evaluation, Plan, Status, UnitResult, VetoHit};
use crate::ir::Policy;
use crate::num::Num;
use crate::source::Span;

/// What a test came to.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub name: String,
    pub span: Span,
    pub failures: Vec<Failure>,
    /// Each unit's result (`None` for one that could not be scored).
    pub results: Vec<Option<UnitResult>>,
    /// Per unit, where the arms and bands its rules took are written
    /// (for coverage).
    pub taken: Vec<Span>,
}

impl Outcome {
    pub fn passed(&self) -> bool {
        self.failures.is_empty()
    }

    /// The result of a test of one unit.
    pub fn result(&self) -> Option<&UnitResult> {
        self.results.first().and_then(Option::as_ref)
    }
}

/// One expectation that did not hold.
#[derive(Debug, Clone)]
pub struct Failure {
    /// The expectation (or the test, when the unit could not be scored).
    pub span: Span,
    /// What was expected of: `score`, a node's path, a veto's name (after
    /// the unit's id, in a test of several units).
    pub subject: String,
    pub expected: String,
    pub actual: String,
    /// The rule that produced the value (`score`/`points` and where its
    /// expression is), for a node with one.
    pub rule: Option<(&'static str, Span)>,
    /// The arms and bands the rule took.
    pub taken: Vec<Span>,
    /// More on how the value came about.
    pub note: Option<String>,
}

/// Scores the test's units together (so peer rules, ranks and tiers see
/// the whole group) and compares each expectation.
pub fn run(policy: &Policy, test: &Test) -> Outcome {
    if !test.from.is_empty() {
        let why = "its units are read from data: `zhibiao test` reads them (see `run_over`)";
        return Outcome {
            name: test.name.clone(),
            span: test.span,
            failures: vec![failure("the test".into(), "units".into(), why.into())],
            results: Vec::new(),
            taken: Vec::new(),
        };
    }
    let evaluation = crate::eval::evaluate(policy, &test.data);
    let plan = crate::eval::plan(policy, &test.data, None);
    let units: Vec<usize> = (0..test.data.len()).collect();
    outcome(test, &plan, &evaluation, &units)
}

/// Runs a test over data files (`from`) on the units read from them, as
/// `eval` scored them: `plan` and `evaluation` are theirs. A unit the test
/// names that is not in the data fails the test.
pub fn run_over(test: &Test, plan: &Plan, evaluation: &Evaluation) -> Outcome {
    let ids = || plan.data.units.iter().map(|u| u.id);
    let found: Vec<Option<usize>> = (test.named.iter())
        .map(|n| ids().position(|id| id == n))
        .collect();
    let units: Vec<usize> = found.iter().map(|u| u.unwrap_or(usize::MAX)).collect();
    let mut outcome = outcome(test, plan, evaluation, &units);
    for (name, _) in test.named.iter().zip(&found).filter(|(_, u)| u.is_none()) {
        let hint = crate::diagnostics::closest(name, ids())
            .map(|c| format!("; did you mean `{c}`?"))
            .unwrap_or_default();
        outcome.failures.push(Failure {
            span: test.span,
            ..failure(
                format!("the unit {name}"),
                "to be in the data".into(),
                format!("not there{hint}"),
            )
        });
    }
    outcome
}

/// Compares each expectation of `test`, whose units are `units` (an
/// expectation's `unit` indexes it) of the data `plan` scored.
fn outcome(test: &Test, plan: &Plan, evaluation: &Evaluation, units: &[usize]) -> Outcome {
    let (policy, data) = (plan.policy, plan.data);
    let results: Vec<Option<UnitResult>> = (0..data.len())
        .map(|u| crate::eval::detail(plan, evaluation, u))
        .collect();
    let several = units.len() > 1;
    let id = |u: usize| data.units.get(u).map_or("", |x| x.id);
    let mut outcome = Outcome {
        name: test.name.clone(),
        span: test.span,
        failures: Vec::new(),
        taken: taken(policy, plan, &results),
        results: Vec::new(),
    };
    for &u in units {
        if !matches!(results.get(u), Some(None)) {
            continue;
        }
        let messages = (evaluation.errors.iter())
            .filter(|e| e.unit == u)
            .map(|e| e.message.clone());
        outcome.failures.push(Failure {
            span: test.span,
            subject: if several {
                format!("the unit {}", id(u))
            } else {
                "the unit".into()
            },
            actual: format!(
                "could not be scored: {}",
                messages.collect::<Vec<_>>().join("; ")
            ),
            ..failure(String::new(), "to be scored".into(), String::new())
        });
    }
    for e in &test.expects {
        let Some(&u) = units.get(e.unit) else {
            continue;
        };
        let Some(Some(result)) = results.get(u) else {
            continue;
        };
        let failed = match e.check {
            Check::Let(l, want) => {
                let got = crate::eval::let_value(plan, u, l);
                value(policy, &e.check, want, got.ok())
            }
            Check::Peer(p, want) => {
                let got = crate::eval::peer_value(plan, u, p);
                value(policy, &e.check, want, got.ok())
            }
            _ => compare(policy, result, &e.check),
        };
        if let Some(mut f) = failed {
            f.span = e.span;
            if several || !test.from.is_empty() {
                f.subject = format!("{}: {}", id(u), f.subject);
            }
            if let Check::Node(id, _) = e.check
                && let Some(rule) = policy.nodes.get(id).and_then(|n| n.rule.as_ref())
            {
                f.taken = crate::eval::branches(plan, u, result.outcome.base, &rule.expr);
            }
            outcome.failures.push(f);
        }
    }
    outcome.results = results;
    outcome
}

/// Where the arms and bands that the rules of every scored unit took are
/// written: of the nodes that applied and the bonus and deduction items
/// that counted.
fn taken(policy: &Policy, plan: &Plan, results: &[Option<UnitResult>]) -> Vec<Span> {
    let mut taken = Vec::new();
    for (u, result) in results.iter().enumerate() {
        let Some(result) = result else { continue };
        let base = result.outcome.base;
        for (node, r) in policy.nodes.iter().zip(&result.nodes) {
            if let (Some(rule), true) = (&node.rule, r.status != Status::NotApplicable) {
                taken.extend(crate::eval::branches(plan, u, base, &rule.expr));
            }
        }
        for (part, r) in policy.parts.iter().zip(&result.parts) {
            for (item, p) in part.items.iter().zip(&r.items) {
                if p.is_some() {
                    taken.extend(crate::eval::branches(plan, u, base, &item.rule.expr));
                }
            }
        }
    }
    taken
}

/// Whether `actual` agrees with `expected` at the places `expected` was
/// written with (at least the policy's precision); if not, a failure
/// showing both at those places.
fn agree(policy: &Policy, subject: &str, expected: Written, actual: Num) -> Option<Failure> {
    let places = policy.precision.max(expected.places);
    let shown = actual.round(places, policy.rounding);
    (shown != expected.value).then(|| {
        let (want, got) = (expected.value.fixed(places), shown.fixed(places));
        failure(subject.to_string(), want, got)
    })
}

/// A derived value or peer statistic against what was expected of it.
fn value(policy: &Policy, check: &Check, want: Written, got: Option<Num>) -> Option<Failure> {
    let subject = check.subject(policy);
    match got {
        Some(got) => agree(policy, &subject, want, got),
        None => Some(failure(subject, want.to_string(), "no value".into())),
    }
}

fn failure(subject: String, expected: String, actual: String) -> Failure {
    Failure {
        span: Span::default(),
        subject,
        expected,
        actual,
        rule: None,
        taken: Vec::new(),
        note: None,
    }
}

fn compare(policy: &Policy, result: &UnitResult, check: &Check) -> Option<Failure> {
    let scored_only = matches!(
        check,
        Check::Score(_)
            | Check::Base(_)
            | Check::Bonus(_)
            | Check::Deductions(_)
            | Check::Rank(_)
            | Check::Node(..)
            | Check::Part(..)
    );
    if result.outcome.not_scored && scored_only {
        return Some(Failure {
            note: Some("a `not_scored` veto keeps the unit from being scored".into()),
            ..failure(check.subject(policy), "a score".into(), "not scored".into())
        });
    }
    match *check {
        Check::Score(want) => {
            let got = if want.places <= policy.precision {
                result.outcome.score
            } else {
                result.outcome.exact
            };
            let vetoes: Vec<String> = result
                .outcome
                .vetoes
                .iter()
                .filter_map(|v| match v {
                    VetoHit::Veto(v) => policy.vetoes.get(*v).map(|v| v.name.clone()),
                    VetoHit::FailBelow(n) => policy
                        .nodes
                        .get(*n)
                        .map(|_| format!("{} below its fail line", policy.fail_line_name(*n))),
                })
                .collect();
            let mut note = format!(
                "the tree {} + bonus {} - deductions {}",
                result.outcome.base, result.outcome.bonus, result.outcome.deductions
            );
            if !vetoes.is_empty() {
                note.push_str(&format!("; vetoed: {}", vetoes.join(", ")));
            }
            agree(policy, "score", want, got).map(|f| Failure {
                note: Some(note),
                ..f
            })
        }
        Check::Grade(g) => {
            let name = |g: Option<usize>| {
                g.and_then(|g| policy.grades.get(g))
                    .map_or("no grade".to_string(), |g| g.name.clone())
            };
            (result.outcome.grade != Some(g)).then(|| Failure {
                note: Some(format!("score {}", result.outcome.score)),
                ..failure("grade".into(), name(Some(g)), name(result.outcome.grade))
            })
        }
        Check::Base(want) => agree(policy, "base", want, result.outcome.base),
        Check::Bonus(want) => agree(policy, "bonus", want, result.outcome.bonus),
        Check::Deductions(want) => agree(policy, "deductions", want, result.outcome.deductions),
        Check::Rank(want) => {
            let shown = |r: Option<usize>| r.map_or("no rank".into(), |r| r.to_string());
            (result.rank != Some(want)).then(|| Failure {
                note: Some(format!("score {}", result.outcome.score)),
                ..failure("rank".into(), want.to_string(), shown(result.rank))
            })
        }
        Check::Tier(t) => {
            let name = |t: Option<usize>| {
                t.and_then(|t| policy.tiers.get(t))
                    .map_or("no tier".to_string(), |t| t.name.clone())
            };
            (result.tier != Some(t)).then(|| Failure {
                note: Some(format!(
                    "score {}, rank {:?}",
                    result.outcome.score, result.rank
                )),
                ..failure("tier".into(), name(Some(t)), name(result.tier))
            })
        }
        // Worked out with the plan, in `run`.
        Check::Let(..) | Check::Peer(..) => None,
        Check::Node(id, want) => {
            let node = policy.nodes.get(id)?;
            let got = result.nodes.get(id)?;
            let rule = node.rule.as_ref().map(|r| (r.mode.keyword(), r.expr.span));
            if got.status == Status::NotApplicable {
                return Some(Failure {
                    rule,
                    ..failure(node.path.clone(), want.to_string(), "not applicable".into())
                });
            }
            agree(policy, &node.path, want, got.score).map(|f| Failure {
                rule,
                note: node
                    .rule
                    .is_none()
                    .then(|| format!("the sum of its children, of {} points", got.max)),
                ..f
            })
        }
        Check::Part(p, want) => {
            let part = policy.parts.get(p)?;
            let got = result.parts.get(p)?;
            agree(policy, &part.name, want, got.points)
        }
        Check::Veto(v, fires) => {
            let veto = policy.vetoes.get(v)?;
            let fired = result.outcome.vetoes.contains(&VetoHit::Veto(v));
            let say = |f: bool| if f { "fires" } else { "does not fire" }.to_string();
            (fired != fires).then(|| Failure {
                rule: Some(("if", veto.condition.span)),
                ..failure(format!("veto {}", veto.name), say(fires), say(fired))
            })
        }
        Check::NotApplicable(id) => {
            let node = policy.nodes.get(id)?;
            let status = result.nodes.get(id)?.status;
            (status != Status::NotApplicable).then(|| Failure {
                note: node
                    .when
                    .as_ref()
                    .map(|_| "its `when` condition held".to_string()),
                ..failure(node.path.clone(), "not applicable".into(), "applies".into())
            })
        }
    }
}
