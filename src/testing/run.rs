//! Running a test: evaluate its one unit and compare each expectation.

use super::{Check, Test, Written};
use crate::eval::{Status, UnitResult, VetoHit};
use crate::ir::Policy;
use crate::num::Num;
use crate::source::Span;

/// What a test came to.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub name: String,
    pub span: Span,
    pub failures: Vec<Failure>,
    /// The unit's result (`None` when it could not be scored).
    pub result: Option<UnitResult>,
}

impl Outcome {
    pub fn passed(&self) -> bool {
        self.failures.is_empty()
    }
}

/// One expectation that did not hold.
#[derive(Debug, Clone)]
pub struct Failure {
    /// The expectation (or the test, when the unit could not be scored).
    pub span: Span,
    /// What was expected of: `score`, a node's path, a veto's name.
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

pub fn run(policy: &Policy, test: &Test) -> Outcome {
    let evaluation = crate::eval::evaluate(policy, &test.data);
    let mut outcome = Outcome {
        name: test.name.clone(),
        span: test.span,
        failures: Vec::new(),
        result: None,
    };
    let Some(result) = crate::eval::detail(policy, &test.data, &evaluation, 0) else {
        let messages: Vec<String> = evaluation
            .errors
            .iter()
            .map(|e| e.message.clone())
            .collect();
        outcome.failures.push(Failure {
            span: test.span,
            subject: "the unit".into(),
            expected: "to be scored".into(),
            actual: format!("could not be scored: {}", messages.join("; ")),
            rule: None,
            taken: Vec::new(),
            note: None,
        });
        return outcome;
    };
    for e in &test.expects {
        if let Some(mut f) = compare(policy, &result, &e.check) {
            f.span = e.span;
            if let Check::Node(id, _) = e.check
                && let Some(rule) = policy.nodes.get(id).and_then(|n| n.rule.as_ref())
            {
                f.taken =
                    crate::eval::branches(policy, &test.data, 0, result.outcome.base, &rule.expr);
            }
            outcome.failures.push(f);
        }
    }
    outcome.result = Some(result);
    outcome
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
    let scored_only = matches!(check, Check::Score(_) | Check::Node(..) | Check::Part(..));
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
