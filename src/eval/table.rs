//! Every unit's value of every peer statistic, computed before the units
//! are scored (`peers.rs`) and read by their rules.

use super::error::EvalError;
use crate::ir::Value;
use crate::num::Num;
use std::collections::HashMap;

/// Every unit's value of every peer statistic: numbers, with the few
/// errors kept apart.
#[derive(Debug, Default)]
pub struct Table {
    /// Statistics per unit.
    k: usize,
    /// Row `u`: unit `u`'s value of every statistic (`TOO_LARGE` where it
    /// is an error, in `errors`).
    values: Vec<Num>,
    errors: HashMap<usize, EvalError>,
    /// The groups `treat` changed, statistic by statistic.
    pub treated: Vec<super::treat::Treated>,
}

impl Table {
    /// Makes room for `k` statistics of `n` units (keeping what is there
    /// when it is that size already).
    pub(super) fn size(&mut self, n: usize, k: usize) {
        if self.values.len() != n * k {
            *self = Table {
                k,
                values: vec![Num::ZERO; n * k],
                errors: HashMap::new(),
                treated: Vec::new(),
            };
        }
    }

    /// Unit `u`'s value of statistic `p`.
    pub fn get(&self, u: usize, p: usize) -> Result<Value, EvalError> {
        let at = u * self.k + p;
        match self.values.get(at) {
            Some(x) if !x.is_too_large() => Ok(Value::Number(*x)),
            _ => Err(self
                .errors
                .get(&at)
                .copied()
                .unwrap_or(EvalError::EmptyGroup(crate::source::Span::default()))),
        }
    }

    pub(super) fn set(&mut self, u: usize, p: usize, value: Result<Num, EvalError>) {
        let at = u * self.k + p;
        let x = match value {
            Ok(x) if !x.is_too_large() => x,
            Ok(_) => {
                let span = crate::source::Span::default();
                self.errors.insert(at, EvalError::Overflow(span));
                Num::TOO_LARGE
            }
            Err(e) => {
                self.errors.insert(at, e);
                Num::TOO_LARGE
            }
        };
        if let Some(slot) = self.values.get_mut(at) {
            *slot = x;
        }
    }
}
