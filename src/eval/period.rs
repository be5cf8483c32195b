//! The previous period: the same policy evaluated on last period's data,
//! aligned unit by unit (by id) with the current units, for `previous(x)`,
//! `previous_score()`, `previous_rank()` and `has_previous()`.

use super::Evaluation;
use super::expr::Before;
use crate::data::Dataset;
use crate::ir::Value;
use crate::num::Num;
use std::collections::HashMap;

pub struct Period {
    inputs: usize,
    /// Last period's values, one row per *current* unit.
    values: Vec<Value>,
    defaulted: Vec<bool>,
    present: Vec<bool>,
    scores: Vec<Option<Num>>,
    ranks: Vec<Option<usize>>,
}

impl Period {
    /// Aligns `before` (evaluated as `results`) with the units of `current`.
    pub fn new(current: &Dataset, before: &Dataset, results: &Evaluation) -> Period {
        let index: HashMap<&str, usize> = before
            .units
            .iter()
            .enumerate()
            .map(|(i, u)| (u.id.as_str(), i))
            .collect();
        let inputs = before.inputs;
        let mut p = Period {
            inputs,
            values: Vec::with_capacity(current.units.len() * inputs),
            defaulted: Vec::with_capacity(current.units.len() * inputs),
            present: Vec::with_capacity(current.units.len()),
            scores: Vec::with_capacity(current.units.len()),
            ranks: Vec::with_capacity(current.units.len()),
        };
        for unit in &current.units {
            let at = index.get(unit.id.as_str()).copied();
            match at {
                Some(b) => {
                    p.values.extend_from_slice(before.values(b));
                    p.defaulted.extend_from_slice(before.defaulted(b));
                }
                None => {
                    p.values.extend(std::iter::repeat_n(Value::Absent, inputs));
                    p.defaulted.extend(std::iter::repeat_n(false, inputs));
                }
            }
            let result = at
                .and_then(|b| results.units.get(b))
                .and_then(Option::as_ref);
            p.present.push(at.is_some());
            p.scores.push(result.map(|r| r.score));
            p.ranks.push(result.and_then(|r| r.rank));
        }
        p
    }

    /// Unit `u` (of the current period) as it was, if it was there.
    pub fn unit(&self, u: usize) -> Option<Before<'_>> {
        if !self.present.get(u).copied().unwrap_or(false) {
            return None;
        }
        let row = u * self.inputs..(u + 1) * self.inputs;
        Some(Before {
            values: self.values.get(row.clone()).unwrap_or(&[]),
            defaulted: self.defaulted.get(row).unwrap_or(&[]),
            score: self.scores.get(u).copied().flatten(),
            rank: self.ranks.get(u).copied().flatten(),
        })
    }
}
