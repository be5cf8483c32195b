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
    /// then one for a blank cell: the index of its entry. A rule has few
    /// distinct results, so the table stays a few cache lines.
    codes: Vec<u16>,
    /// The distinct entries: the points, and whether the rule read the
    /// input on the way (so a defaulted cell marks the result).
    entries: Vec<Entry>,
    /// The input is a count (entries for 0 to `COUNTS - 1`).
    counts: bool,
}

/// A rule's result for one value: its points (or error), and whether it
/// read the input.
type Entry = (Result<Num, EvalError>, bool);

/// The same entry, to the representation of its points.
fn same(a: Entry, b: Entry) -> bool {
    let points = match (a.0, b.0) {
        (Ok(x), Ok(y)) => x.same(y),
        (x, y) => x.is_err() && x == y,
    };
    points && a.1 == b.1
}

impl Tabulated {
    /// The entry of `value`; `None` for a count past the table (the rule
    /// is evaluated then).
    pub fn lookup(&self, value: Value) -> Option<Entry> {
        let blank = self.codes.len().saturating_sub(1);
        let code = match value {
            Value::Bool(b) => usize::from(b),
            Value::Choice(i) => usize::from(i),
            Value::Set(mask) => usize::try_from(mask).unwrap_or(blank),
            Value::Number(n) if self.counts => n.whole_below(COUNTS)?,
            Value::Number(_) | Value::Absent => blank,
        };
        let index = self.codes.get(code).or(self.codes.get(blank));
        let entry = index.and_then(|i| self.entries.get(usize::from(*i)));
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
    let (mut codes, mut entries) = (Vec::new(), Vec::<Entry>::new());
    for v in domain {
        if let Some(slot) = values.get_mut(*input) {
            *slot = v;
        }
        lets.iter_mut().for_each(|l| *l = None);
        let mut env = Env::plain(policy, &values, &defaulted, &mut lets);
        let entry = (score(&mut env), env.read_default);
        let index = match entries.iter().position(|e| same(*e, entry)) {
            Some(i) => i,
            None => {
                entries.push(entry);
                entries.len() - 1
            }
        };
        codes.push(u16::try_from(index).ok()?);
    }
    Some(Tabulated {
        input: *input,
        codes,
        entries,
        counts: matches!(ty, InputType::Count),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::item;
    use crate::source::SourceFile;

    /// The table of the one item of a policy with one set input.
    fn table(rule: &str) -> Option<Tabulated> {
        let text = format!(
            "policy \"p\" {{\n  total 2\n  precision 2 half_up\n}}\n\ninput 层级: set 市级 | 县级 | 乡镇级 | 村级 | 社区 | 街道 | 园区\n\nitem a 2\n  {rule}\n"
        );
        let compiled = crate::check::compile(&SourceFile::new("p.zb", text))
            .result
            .ok()?;
        let policy = &compiled.policy;
        let node = policy.nodes.iter().find(|n| n.rule.is_some())?;
        let rule = node.rule.as_ref()?;
        tabulate(policy, rule, |env| {
            item::score(env, rule, node.points).map(|r| r.score)
        })
    }

    #[test]
    fn a_table_keeps_each_distinct_result_once() {
        let table = table("score 层级 contains 市级");
        // 2^7 sets and a blank cell, with three results among them: full
        // points, none, and the blank's.
        assert_eq!(
            table.as_ref().map(|t| (t.codes.len(), t.entries.len())),
            Some((129, 3))
        );
        let points = |mask: u64| {
            let (points, _) = table.as_ref()?.lookup(Value::Set(mask))?;
            points.ok()
        };
        assert_eq!(points(0b1), Some(Num::from(2)));
        assert_eq!(points(0b101_0101), Some(Num::from(2)));
        assert_eq!(points(0b110), Some(Num::ZERO));
        assert_eq!(points(0), Some(Num::ZERO));
        let blank = table.as_ref().and_then(|t| t.lookup(Value::Absent));
        assert_eq!(blank, Some((Err(EvalError::Missing(0)), true)));
    }
}
