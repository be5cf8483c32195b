//! Rules that read a single input with few possible values — yes/no, a
//! choice, a set of up to eight choices, a count (its common values, below
//! [`COUNTS`]) — are evaluated once for every value (and for a blank cell)
//! when the evaluator is built; for each unit they are one lookup, which
//! gives exactly what evaluating the rule would, errors included.

use super::expr::{Env, EvalError};
use crate::ir::{ExprKind, InputId, InputType, Policy, Rule, Value};
use crate::num::Num;

/// The largest set (in choices) that is tabulated: 2^8 entries.
const SET_CHOICES: usize = 8;
/// Counts below this are tabulated; a larger one is evaluated.
const COUNTS: usize = 16;

pub struct Tabulated {
    pub input: InputId,
    /// By the value's code (a bool as 0/1, a choice's index, a set's mask),
    /// then one entry for a blank cell: the points, and whether the rule
    /// read the input on the way (so a defaulted cell marks the result).
    entries: Vec<(Result<Num, EvalError>, bool)>,
    /// The input is a count (entries for 0 to `COUNTS - 1`).
    counts: bool,
}

impl Tabulated {
    /// The entry of `value`; `None` for a count past the table (the rule
    /// is evaluated then).
    pub fn lookup(&self, value: Value) -> Option<(Result<Num, EvalError>, bool)> {
        let blank = self.entries.len().saturating_sub(1);
        let code = match value {
            Value::Bool(b) => usize::from(b),
            Value::Choice(i) => usize::from(i),
            Value::Set(mask) => usize::try_from(mask).unwrap_or(blank),
            Value::Number(n) if self.counts => n.whole_below(COUNTS)?,
            Value::Number(_) | Value::Absent => blank,
        };
        let entry = self.entries.get(code).or(self.entries.get(blank));
        let missing = (Err(EvalError::Missing(self.input)), true);
        Some(entry.copied().unwrap_or(missing))
    }
}

/// The table of an item's rule, if it reads one input with few values.
/// `score` evaluates the rule in an environment.
pub fn tabulate(
    policy: &Policy,
    rule: &Rule,
    score: impl Fn(&mut Env) -> Result<Num, EvalError>,
) -> Option<Tabulated> {
    // Whether a cell was blank is not in its value (a `missing zero`
    // input's blank reads as 0), nor is the share of a row that has data,
    // a node's score or the base.
    let beyond_value = |k: &ExprKind| {
        matches!(
            k,
            ExprKind::DataShare | ExprKind::IsBlank(_) | ExprKind::NodeScore(_) | ExprKind::Base
        )
    };
    if rule.expr.reads_peers(&policy.lets)
        || rule.expr.reads_previous(&policy.lets)
        || rule.expr.reads(&policy.lets, &beyond_value)
    {
        return None;
    }
    let mut read = Vec::new();
    rule.expr.inputs_read(&policy.lets, &mut read);
    read.dedup();
    let [input] = read.as_slice() else {
        return None;
    };
    let ty = &policy.inputs.get(*input)?.ty;
    let mut domain: Vec<Value> = match ty {
        InputType::Bool => vec![Value::Bool(false), Value::Bool(true)],
        InputType::Choice(c) => (0..c.len())
            .map(|i| Value::Choice(u16::try_from(i).unwrap_or(u16::MAX)))
            .collect(),
        InputType::Set(c) if c.len() <= SET_CHOICES => {
            (0..1u64 << c.len()).map(Value::Set).collect()
        }
        InputType::Count => (0..COUNTS).map(|k| Value::Number(Num::from(k))).collect(),
        _ => return None,
    };
    domain.push(Value::Absent);
    let mut values = vec![Value::Absent; policy.inputs.len()];
    let mut defaulted = vec![false; policy.inputs.len()];
    if let Some(d) = defaulted.get_mut(*input) {
        *d = true;
    }
    let mut lets = vec![None; policy.lets.len()];
    let entries = domain
        .into_iter()
        .map(|v| {
            if let Some(slot) = values.get_mut(*input) {
                *slot = v;
            }
            lets.iter_mut().for_each(|l| *l = None);
            let mut env = Env::plain(policy, &values, &defaulted, &mut lets);
            let points = score(&mut env);
            (points, env.read_default)
        })
        .collect();
    Some(Tabulated {
        input: *input,
        entries,
        counts: matches!(ty, InputType::Count),
    })
}
