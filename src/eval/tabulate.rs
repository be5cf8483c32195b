//! Rules that read a single input with few possible values — yes/no, a
//! choice, a set of up to eight choices — are evaluated once for every value
//! (and for a blank cell) when the evaluator is built; for each unit they are
//! one lookup, which gives exactly what evaluating the rule would, errors
//! included.

use super::expr::{Env, EvalError};
use crate::ir::{ExprKind, InputId, InputType, Policy, Rule, Value};
use crate::num::Num;

/// The largest set (in choices) that is tabulated: 2^8 entries.
const SET_CHOICES: usize = 8;

pub struct Tabulated {
    pub input: InputId,
    /// By the value's code (a bool as 0/1, a choice's index, a set's mask),
    /// then one entry for a blank cell: the points, and whether the rule
    /// read the input on the way (so a defaulted cell marks the result).
    entries: Vec<(Result<Num, EvalError>, bool)>,
}

impl Tabulated {
    pub fn lookup(&self, value: Value) -> (Result<Num, EvalError>, bool) {
        let blank = self.entries.len().saturating_sub(1);
        let code = match value {
            Value::Bool(b) => usize::from(b),
            Value::Choice(i) => usize::from(i),
            Value::Set(mask) => usize::try_from(mask).unwrap_or(blank),
            Value::Number(_) | Value::Absent => blank,
        };
        let entry = self.entries.get(code).or(self.entries.get(blank));
        entry
            .copied()
            .unwrap_or((Err(EvalError::Missing(self.input)), true))
    }
}

/// The table of an item's rule, if it reads one input with few values.
/// `score` evaluates the rule in an environment.
pub fn tabulate(
    policy: &Policy,
    rule: &Rule,
    score: impl Fn(&mut Env) -> Result<Num, EvalError>,
) -> Option<Tabulated> {
    let whole_row = |k: &ExprKind| matches!(k, ExprKind::DataShare);
    if rule.expr.reads_peers(&policy.lets)
        || rule.expr.reads_previous(&policy.lets)
        || rule.expr.reads(&policy.lets, &whole_row)
    {
        return None;
    }
    let mut read = Vec::new();
    rule.expr.inputs_read(&policy.lets, &mut read);
    read.dedup();
    let [input] = read.as_slice() else {
        return None;
    };
    let mut domain: Vec<Value> = match &policy.inputs.get(*input)?.ty {
        InputType::Bool => vec![Value::Bool(false), Value::Bool(true)],
        InputType::Choice(c) => (0..c.len())
            .map(|i| Value::Choice(u16::try_from(i).unwrap_or(u16::MAX)))
            .collect(),
        InputType::Set(c) if c.len() <= SET_CHOICES => {
            (0..1u64 << c.len()).map(Value::Set).collect()
        }
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
    })
}
