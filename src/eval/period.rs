//! The previous period: the same policy evaluated on last period's data,
//! aligned unit by unit (by id) with the current units, for `previous(x)`,
//! `previous_score()`, `previous_rank()` and `has_previous()`.

use super::Evaluation;
use crate::data::Dataset;
use crate::num::Num;
use std::collections::HashMap;

pub struct Period<'a> {
    pub data: &'a Dataset,
    results: &'a Evaluation,
    /// Per current unit: its row in last period's data, if it was there.
    rows: Vec<Option<usize>>,
}

impl<'a> Period<'a> {
    /// Aligns `before` (evaluated as `results`) with the units of `current`.
    pub fn new(current: &Dataset, before: &'a Dataset, results: &'a Evaluation) -> Period<'a> {
        let index: HashMap<&str, usize> = before
            .units
            .iter()
            .enumerate()
            .map(|(i, u)| (u.id, i))
            .collect();
        let rows = current
            .units
            .iter()
            .map(|u| index.get(u.id).copied())
            .collect();
        Period {
            data: before,
            results,
            rows,
        }
    }

    /// Unit `u`'s row in last period's data, if it was there.
    pub fn row(&self, u: usize) -> Option<usize> {
        self.rows.get(u).copied().flatten()
    }

    /// Unit `u`'s final score last period, if it was scored.
    pub fn score(&self, u: usize) -> Option<Num> {
        self.results.score(self.row(u)?)
    }

    /// Unit `u`'s rank last period, if it was ranked.
    pub fn rank(&self, u: usize) -> Option<usize> {
        self.results.unit(self.row(u)?)?.rank
    }
}
