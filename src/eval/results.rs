//! Every unit's results as the outputs need them, and no more: numbers
//! rounded once at the policy's precision and kept as whole multiples of
//! its last place, the nodes' and parts' results of a unit in one
//! fixed-size record of a single flat buffer (laid out by `layout.rs`),
//! and a small summary per unit for ranking. No string is kept per unit;
//! renderers read straight from here.

use super::layout::{Layout, NOT_APPLICABLE, put};
use super::{NodeResult, Outcome, PartResult, Status, VetoHit};
use crate::ir::{GradeId, NodeId, Policy};
use crate::num::{Num, Places};

/// What ranking and the summary columns need of a unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Summary {
    /// The final score, in last places of the precision (9586 is 95.86).
    pub score: i64,
    pub max: i64,
    pub base: i64,
    pub bonus: i64,
    pub deductions: i64,
    /// The final score before rounding (for `rank ... exact`).
    pub exact: Num,
    pub grade: Option<GradeId>,
    pub rank: Option<usize>,
    pub rank_in_kind: Option<usize>,
    /// Index into the policy's tiers.
    pub tier: Option<usize>,
    /// False for a unit that could not be scored.
    pub scored: bool,
    /// A `not_scored` veto keeps the unit out: it has no score and no rank.
    pub not_scored: bool,
}

impl Summary {
    pub const UNSCORED: Summary = Summary {
        score: 0,
        max: 0,
        base: 0,
        bonus: 0,
        deductions: 0,
        exact: Num::ZERO,
        grade: None,
        rank: None,
        rank_in_kind: None,
        tier: None,
        scored: false,
        not_scored: false,
    };
}

/// One node's result for a unit, as rounded for the outputs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rounded {
    pub score: i64,
    pub max: i64,
    pub status: Status,
}

/// The rounding of one unit's results into its summary and record; one
/// per thread.
pub struct Writer<'a> {
    layout: &'a Layout,
    places: Places,
    /// Per node: the last few scores rounded (an item takes one of a few
    /// values), so most are not divided again.
    memos: Vec<Memo>,
    /// Per node: its full points (the maximum of most nodes) rounded, and
    /// times the last few factors met.
    full: Vec<Full>,
}

/// A node's full points rounded, and the last few factors other than one
/// they were multiplied by, each with the product rounded.
#[derive(Clone, Copy)]
struct Full {
    points: Num,
    rounded: Option<i64>,
    factors: [(Num, Option<i64>); 4],
    next: usize,
}

/// The last few numbers rounded, by their exact representation. A memo
/// that has missed many times in a row is not looked in again: its node's
/// values seldom repeat (a rate read from a cell, say).
#[derive(Clone, Copy, Default)]
struct Memo {
    entries: [(Num, i64); 4],
    next: usize,
    misses: u32,
}

/// Misses in a row after which a memo is given up.
const GIVE_UP: u32 = 32;

impl Memo {
    fn get(&self, x: Num) -> Option<i64> {
        self.entries
            .iter()
            .find(|(k, _)| k.same(x))
            .map(|(_, v)| *v)
    }

    fn put(&mut self, x: Num, rounded: i64) {
        if let Some(slot) = self.entries.get_mut(self.next % 4) {
            *slot = (x, rounded);
        }
        self.next += 1;
    }
}

impl<'a> Writer<'a> {
    pub fn new(policy: &Policy, layout: &'a Layout) -> Self {
        let places = Places::new(policy.precision, policy.rounding);
        Writer {
            layout,
            memos: vec![Memo::default(); policy.nodes.len()],
            full: (policy.nodes.iter())
                .map(|n| {
                    let rounded = places.fixed(n.points);
                    Full {
                        points: n.points,
                        rounded,
                        factors: [(Num::ONE, rounded); 4],
                        next: 0,
                    }
                })
                .collect(),
            places,
        }
    }

    fn fixed(&self, x: Num) -> Option<i64> {
        self.places.fixed(x)
    }

    /// Node `id`'s score, rounded: a number that needs no rounding at
    /// once, others through the node's memo.
    fn score(&mut self, id: NodeId, x: Num) -> Option<i64> {
        if let Some(k) = self.places.exact(x) {
            return Some(k);
        }
        let places = &self.places;
        let Some(memo) = self.memos.get_mut(id) else {
            return places.fixed(x);
        };
        if memo.misses >= GIVE_UP {
            return places.fixed(x);
        }
        if let Some(rounded) = memo.get(x) {
            memo.misses = 0;
            return Some(rounded);
        }
        memo.misses += 1;
        let fresh = places.fixed(x)?;
        memo.put(x, fresh);
        Some(fresh)
    }

    /// Node `id`'s maximum times `factor`, rounded: a maximum that is the
    /// node's full points is rounded again only for a factor not met lately.
    fn max(&mut self, id: NodeId, max: Num, factor: Option<Num>) -> Option<i64> {
        let places = &self.places;
        let Some(factor) = factor else {
            return match self.full.get(id) {
                Some(full) if max.same(full.points) => full.rounded,
                _ => places.fixed(max),
            };
        };
        match self.full.get_mut(id) {
            Some(full) if max.same(full.points) => {
                if let Some((_, rounded)) = full.factors.iter().find(|(f, _)| f.same(factor)) {
                    return *rounded;
                }
                let rounded = places.product(full.points, factor);
                if let Some(slot) = full.factors.get_mut(full.next % 4) {
                    *slot = (factor, rounded);
                }
                full.next += 1;
                rounded
            }
            _ => places.product(max, factor),
        }
    }

    /// Writes the nodes' scores, maxima and statuses into their regions of
    /// `record`; `None` when a number does not fit.
    fn nodes(
        &mut self,
        nodes: &[NodeResult],
        factors: Option<&[Num]>,
        record: &mut [u8],
    ) -> Option<()> {
        let w = self.layout.width;
        let (scores, maxima, statuses) = self.layout.node_regions(record)?;
        statuses.fill(0);
        let mut maxima = maxima.chunks_exact_mut(w);
        for (id, (r, score)) in nodes.iter().zip(scores.chunks_exact_mut(w)).enumerate() {
            // The factor, unless it is one.
            let factor = (factors.and_then(|f| f.get(id)).copied()).filter(|f| !f.same(Num::ONE));
            let s = match (r.score, factor) {
                // Full marks are the maximum; none are none.
                (x, _) if x.same(r.max) => self.max(id, r.max, factor)?,
                (x, _) if x.is_zero() => 0,
                // The memo is for scores as they are; a rescaled one is
                // rounded afresh.
                (x, None) => self.score(id, x)?,
                (x, Some(factor)) => self.places.product(x, factor)?,
            };
            put(score, s).then_some(())?;
            // The maximum is kept only when the outputs read it.
            if let Some(max) = maxima.next() {
                put(max, self.max(id, r.max, factor)?).then_some(())?;
            }
            *statuses.get_mut(id / 4)? |= (r.status as u8) << (2 * (id % 4));
        }
        Some(())
    }

    /// Fills `record` and returns the summary; `None` when a number does
    /// not fit (the caller reports the unit).
    /// `nodes` are the node results before their `factors` (see
    /// [`super::Evaluator::factors`]).
    pub fn write(
        &mut self,
        (nodes, factors): (&[NodeResult], Option<&[Num]>),
        parts: &[PartResult],
        result: &Outcome,
        record: &mut [u8],
    ) -> Option<Summary> {
        let l = self.layout;
        self.nodes(nodes, factors, record)?;
        for (p, part) in parts.iter().enumerate() {
            l.put(record, l.part_points(p), self.fixed(part.points)?)
                .then_some(())?;
            *record.get_mut(l.part_open(p))? = u8::from(part.open);
            for (i, item) in part.items.iter().enumerate() {
                let x = match item {
                    Some(x) => self.fixed(*x)?,
                    None => NOT_APPLICABLE,
                };
                l.put(record, l.item(p, i), x).then_some(())?;
            }
        }
        let flags = l.flags();
        record.get_mut(flags..)?.fill(0);
        for hit in &result.vetoes {
            let bit = match hit {
                VetoHit::Veto(v) => *v,
                VetoHit::FailBelow(n) => l.vetoes + l.thresholds.iter().position(|t| t == n)?,
            };
            *record.get_mut(flags + bit / 8)? |= 1 << (bit % 8);
        }
        Some(Summary {
            score: self.fixed(result.score)?,
            max: self.fixed(result.max)?,
            base: self.fixed(result.base)?,
            bonus: self.fixed(result.bonus)?,
            deductions: self.fixed(result.deductions)?,
            exact: result.exact,
            grade: result.grade,
            rank: None,
            rank_in_kind: None,
            tier: None,
            scored: true,
            not_scored: result.not_scored,
        })
    }
}

/// Reading one unit's record.
#[derive(Clone, Copy)]
pub struct Record<'a> {
    layout: &'a Layout,
    bytes: &'a [u8],
}

impl Record<'_> {
    /// A node's result: only from a layout that keeps maxima.
    pub fn node(&self, id: NodeId) -> Rounded {
        debug_assert!(self.layout.has_maxima(), "a node's maximum is not kept");
        Rounded {
            score: self.score(id),
            max: self.layout.get(self.bytes, self.layout.node_max(id)),
            status: self.status(id),
        }
    }

    /// A node's score (as [`Record::node`] has it).
    pub fn score(&self, id: NodeId) -> i64 {
        self.layout.get(self.bytes, self.layout.node_score(id))
    }

    /// A node's status (as [`Record::node`] has it).
    pub fn status(&self, id: NodeId) -> Status {
        let (at, shift) = self.layout.node_status(id);
        match self.bytes.get(at).map(|b| b >> shift & 3) {
            Some(1) => Status::NotApplicable,
            Some(2) => Status::Missing,
            Some(3) => Status::Reweighted,
            _ => Status::Scored,
        }
    }

    pub fn part_points(&self, p: usize) -> i64 {
        self.layout.get(self.bytes, self.layout.part_points(p))
    }

    pub fn part_open(&self, p: usize) -> bool {
        self.bytes.get(self.layout.part_open(p)) == Some(&1)
    }

    /// An item's points; `None` when it did not apply.
    pub fn item(&self, p: usize, i: usize) -> Option<i64> {
        Some(self.layout.get(self.bytes, self.layout.item(p, i))).filter(|x| *x != NOT_APPLICABLE)
    }

    /// The vetoes that fired and the thresholds the unit fell below, in
    /// the policy's order.
    pub fn vetoes(&self) -> impl Iterator<Item = VetoHit> + '_ {
        let l = self.layout;
        let flags = l.flags();
        let set = move |bit: usize| {
            self.bytes
                .get(flags + bit / 8)
                .is_some_and(|b| b >> (bit % 8) & 1 == 1)
        };
        let vetoes = (0..l.vetoes).filter(move |v| set(*v)).map(VetoHit::Veto);
        let thresholds = l
            .thresholds
            .iter()
            .enumerate()
            .filter(move |(i, _)| set(l.vetoes + i))
            .map(|(_, n)| VetoHit::FailBelow(*n));
        vetoes.chain(thresholds)
    }
}

/// Every unit's results (see the module documentation).
#[derive(Debug, Clone)]
pub struct Evaluation {
    pub layout: Layout,
    /// Decimal places of every number kept.
    pub precision: u32,
    /// One per unit of the dataset, in its order.
    pub units: Vec<Summary>,
    records: Vec<u8>,
    pub errors: Vec<super::UnitError>,
    /// The groups whose values `treat` changed.
    pub treated: Vec<super::treat::Treated>,
    /// Each unit's funding, when the policy shares one out.
    pub funding: Option<super::funding::Funded>,
}

impl Evaluation {
    pub(super) fn new(
        layout: Layout,
        precision: u32,
        units: Vec<Summary>,
        records: Vec<u8>,
    ) -> Self {
        Evaluation {
            layout,
            precision,
            units,
            records,
            errors: Vec::new(),
            treated: Vec::new(),
            funding: None,
        }
    }

    /// Unit `u`'s summary, if it was scored.
    pub fn unit(&self, u: usize) -> Option<&Summary> {
        self.units.get(u).filter(|s| s.scored)
    }

    /// Unit `u`'s record of node and part results, if it was scored.
    pub fn record(&self, u: usize) -> Option<Record<'_>> {
        self.unit(u)?;
        let size = self.layout.size();
        Some(Record {
            layout: &self.layout,
            bytes: self.records.get(u * size..(u + 1) * size)?,
        })
    }

    /// A kept number as a value (9586 at two places is 95.86).
    pub fn number(&self, fixed: i64) -> Num {
        Num::decimal(i128::from(fixed), self.precision)
    }

    /// Unit `u`'s final score, if it was scored (a `not_scored` veto
    /// leaves it none).
    pub fn score(&self, u: usize) -> Option<Num> {
        (self.unit(u).filter(|s| !s.not_scored)).map(|s| self.number(s.score))
    }
}
