//! An independent exact evaluator, for the property test: the meaning of a
//! compiled policy (the IR) worked out the plain way — recursion over the
//! tree, big rationals (num-rational) for every number — sharing no
//! evaluation code or number type with zhibiao. Irrational steps follow the
//! documented rule: the exact value rounded half-even to the most places (at
//! most 28) that rust_decimal holds, the function taken there, the result
//! rounded half-even to 12 places.
//!
//! It covers what the shipped policies use; `missing reweight`, `fail_below`,
//! `node_score`, side totals, `compare`, grades by share, tiers by score,
//! `not_scored` vetoes, `is_blank` and the logarithms and powers are not
//! needed there and are refused.

use num_bigint::BigInt;
use num_rational::BigRational;
use num_traits::{One, Signed, ToPrimitive, Zero};
use rayon::prelude::*;
use rust_decimal::{Decimal, MathematicalOps, RoundingStrategy};
use std::collections::HashMap;
use zhibiao::data::Dataset;
use zhibiao::ir::{
    Aggregate, BinaryOp, Expr, ExprKind, Func, Missing, NotApplicable, PartKind, Peer, PeerGroup,
    Policy, RankMethod, Stat, Value, VetoAction,
};
use zhibiao::num::Num;
use zhibiao::syntax::ast::Rounding;

mod expr;
mod peers;
mod ranking;
mod sums;

use expr::{Env, values};
use peers::Group;
use ranking::rank;
use sums::{Out, contains, mean, points_for, redistribute};

pub type Q = BigRational;

fn q(n: Num) -> Q {
    Q::new(BigInt::from(n.numerator()), BigInt::from(n.denominator()))
}

fn int(n: i64) -> Q {
    Q::from_integer(BigInt::from(n))
}

#[derive(Clone, Debug, PartialEq)]
enum V {
    Num(Q),
    Bool(bool),
    Choice(u16),
    Set(u64),
    Absent,
}

fn v(value: Value) -> V {
    match value {
        Value::Number(n) => V::Num(q(n)),
        Value::Bool(b) => V::Bool(b),
        Value::Choice(c) => V::Choice(c),
        Value::Set(s) => V::Set(s),
        Value::Absent => V::Absent,
    }
}

/// Why a value could not be had; the unit is then not scored.
#[derive(Debug, Clone)]
pub struct Failed;

type R<T> = Result<T, Failed>;

/// `x` rounded at `places` in `mode`.
pub fn round(x: &Q, places: u32, mode: Rounding) -> Q {
    let scale = Q::from_integer(BigInt::from(10).pow(places));
    let scaled = x * &scale;
    let floor = scaled.floor();
    let rest = &scaled - &floor;
    let half = Q::new(BigInt::from(1), BigInt::from(2));
    let up = match rest.cmp(&half) {
        std::cmp::Ordering::Greater => true,
        std::cmp::Ordering::Less => false,
        std::cmp::Ordering::Equal => match mode {
            // Away from zero.
            Rounding::HalfUp => !x.is_negative(),
            Rounding::HalfEven => (floor.to_integer() % BigInt::from(2)) != BigInt::zero(),
        },
    };
    let k = if up { floor + Q::one() } else { floor };
    k / scale
}

fn to_decimal(x: &Q) -> Option<Decimal> {
    (0..=28u32).rev().find_map(|places| {
        let k = (round(x, places, Rounding::HalfEven)
            * Q::from_integer(BigInt::from(10).pow(places)))
        .to_integer()
        .to_i128()?;
        Decimal::try_from_i128_with_scale(k, places).ok()
    })
}

fn from_decimal(d: Decimal) -> Q {
    let d = d.round_dp_with_strategy(12, RoundingStrategy::MidpointNearestEven);
    Q::new(BigInt::from(d.mantissa()), BigInt::from(10).pow(d.scale()))
}

/// Each unit's results, as the report shows them (rounded), or `None`.
#[derive(Debug, Clone, PartialEq)]
pub struct Scored {
    pub score: Q,
    /// The unit's maximum (full marks less what did not apply to it).
    pub max: Q,
    pub base: Q,
    pub bonus: Q,
    pub deductions: Q,
    pub grade: Option<usize>,
    pub rank: Option<usize>,
    pub rank_in_kind: Option<usize>,
    pub tier: Option<usize>,
    exact: Q,
}

/// A unit last period: its values, score and rank.
type Before = (Vec<V>, Q, Option<usize>);

pub struct Reference<'a> {
    policy: &'a Policy,
    data: &'a Dataset,
    peers: Vec<Vec<R<V>>>,
    /// Per unit: last period's values and results, if it was there.
    before: Vec<Option<Before>>,
}

impl<'a> Reference<'a> {
    /// Scores every unit of `data`, after `previous` (last period's data and
    /// its results by this reference), if given.
    pub fn evaluate(
        policy: &'a Policy,
        data: &'a Dataset,
        previous: Option<(&Dataset, &[Option<Scored>])>,
    ) -> Vec<Option<Scored>> {
        assert!(policy.node_refs.is_empty(), "node_score is not covered");
        assert!(
            policy.nodes.iter().all(|n| n.fail_below.is_none()),
            "fail_below is not covered"
        );
        assert!(
            !policy.vetoes_scoring(),
            "not_scored vetoes are not covered"
        );
        assert!(
            policy.nodes.iter().all(|n| !n.side),
            "side totals are not covered"
        );
        assert!(policy.compare.is_none(), "`compare` is not covered");
        assert!(
            policy.tiers.iter().all(|t| t.at_least.is_none()),
            "tiers by score are not covered"
        );
        assert!(
            policy.grades.iter().all(|g| !g.interval.percent),
            "grades by share are not covered"
        );
        assert!(
            policy
                .inputs
                .iter()
                .all(|i| !matches!(i.missing, Missing::Reweight(_))),
            "missing reweight is not covered"
        );
        let index: HashMap<&str, usize> = previous
            .map(|(d, _)| d.units.iter().enumerate().map(|(i, x)| (x.id, i)).collect())
            .unwrap_or_default();
        let before = (0..data.len())
            .map(|u| {
                let (d, results) = previous?;
                let b = *index.get(data.units.get(u)?.id)?;
                let r = results.get(b)?.as_ref()?;
                Some((values(d, b), r.score.clone(), r.rank))
            })
            .collect();
        let mut reference = Reference {
            policy,
            data,
            peers: Vec::new(),
            before,
        };
        reference.peers = policy.peers.par_iter().map(|p| reference.peer(p)).collect();
        let mut scored: Vec<Option<Scored>> = (0..data.len())
            .into_par_iter()
            .map(|u| reference.unit(u).ok())
            .collect();
        rank(policy, data, &mut scored);
        scored
    }

    fn env(&self, u: usize) -> Env<'_> {
        Env {
            policy: self.policy,
            values: values(self.data, u),
            lets: HashMap::new(),
            peers: self
                .peers
                .iter()
                .map(|p| p.get(u).cloned().unwrap_or(Err(Failed)))
                .collect(),
            before: self.before.get(u).cloned().flatten(),
            base: Q::zero(),
        }
    }

    fn unit(&self, u: usize) -> R<Scored> {
        let policy = self.policy;
        let mut env = self.env(u);
        let kind = self.data.kind(u);
        let (base, max) = self.node(&mut env, 0, kind, true)?.counted();
        let (mut bonus, mut deductions) = (Q::zero(), Q::zero());
        env.base = base.clone();
        for part in &policy.parts {
            let open = match &part.gate {
                Some(g) => env.boolean(g)?,
                None => true,
            };
            let mut sum = Q::zero();
            for item in &part.items {
                let applies = policy.kinds.is_empty() || item.kinds >> kind & 1 == 1;
                let applies = applies
                    && match &item.when {
                        Some(w) => env.boolean(w)?,
                        None => true,
                    };
                if applies {
                    let x = env.number(&item.rule.expr)?;
                    sum += points_for(&item.rule, x, &q(item.points));
                }
            }
            let capped = match part.cap {
                Some(c) if q(c) < sum => q(c),
                _ => sum,
            };
            let points = if open { capped } else { Q::zero() };
            match part.kind {
                PartKind::Bonus => bonus += points,
                PartKind::Deduction => deductions += points,
            }
        }
        let raw = (&base + &bonus - &deductions).max(Q::zero());
        let (precision, mode) = (policy.precision, policy.rounding);
        let mut score = round(&raw, precision, mode);
        let mut exact = raw.clone();
        env.base = raw;
        let (mut failed, mut floor) = (false, None::<usize>);
        for veto in &policy.vetoes {
            if !env.boolean(&veto.condition)? {
                continue;
            }
            match &veto.action {
                VetoAction::Fail => {
                    failed = true;
                    score = Q::zero();
                    exact = Q::zero();
                }
                VetoAction::Points(p) => {
                    score = round(&q(*p), precision, mode);
                    exact = q(*p);
                }
                VetoAction::MaxGrade(g) => floor = Some(floor.map_or(*g, |f| f.max(*g))),
                VetoAction::NotScored => unreachable!("asserted in `evaluate`"),
            }
        }
        let mut grade = policy
            .grades
            .iter()
            .position(|g| contains(&g.interval, &score));
        if let (Some(f), Some(g)) = (floor, grade) {
            grade = Some(g.max(f));
        }
        if failed {
            grade = policy.grades.len().checked_sub(1);
        }
        Ok(Scored {
            score,
            max: round(&max, precision, mode),
            base: round(&base, precision, mode),
            bonus: round(&bonus, precision, mode),
            deductions: round(&deductions, precision, mode),
            grade,
            rank: None,
            rank_in_kind: None,
            tier: None,
            exact,
        })
    }

    /// A node's result for the unit, before any factor from above.
    fn node(&self, env: &mut Env, id: usize, kind: usize, parent: bool) -> R<Out> {
        let policy = self.policy;
        let n = &policy.nodes[id];
        let points = q(n.points);
        let mut applies = parent && (policy.kinds.is_empty() || n.kinds >> kind & 1 == 1);
        if applies && let Some(w) = &n.when {
            applies = env.boolean(w)?;
        }
        if !applies {
            // In a group with rows by kind, a row of another kind is no row.
            let by_kind = n.parent.is_some_and(|p| policy.nodes[p].by_kind);
            if by_kind && n.kinds >> kind & 1 == 0 {
                return Ok(Out::Dropped(NotApplicable::Exclude));
            }
            return Ok(Out::not_applicable(points, n.not_applicable));
        }
        if let Some(rule) = &n.rule {
            let mut score = match env.eval(&rule.expr)? {
                V::Bool(true) => points.clone(),
                V::Num(x) => points_for(rule, x, &points),
                _ => Q::zero(),
            };
            if policy.round_items {
                score = round(&score, policy.precision, policy.rounding);
            }
            return Ok(Out::Counts { score, max: points });
        }
        let mut children = Vec::new();
        for &c in &n.children {
            children.push((c, self.node(env, c, kind, true)?));
        }
        if !children
            .iter()
            .any(|(_, o)| matches!(o, Out::Counts { .. }))
        {
            return Ok(Out::not_applicable(points, n.not_applicable));
        }
        redistribute(policy, &mut children);
        let (mut score, mut max) = (Q::zero(), Q::zero());
        for (_, o) in &children {
            let (s, m) = o.counted();
            score += s;
            max += m;
        }
        if n.rescale_scope && max > Q::zero() && max < points {
            score = score * &points / &max;
            max = points;
        }
        if n.aggregate != Aggregate::Arithmetic {
            score = &max * mean(n.aggregate, &children).ok_or(Failed)?;
        }
        if let Some((minus, factor)) = &n.minus {
            let taken = env.number(minus)?.max(Q::zero()) * q(*factor);
            score = (score - taken).max(Q::zero());
        }
        Ok(Out::Counts { score, max })
    }

    /// Every unit's value of a peer statistic.
    fn peer(&self, peer: &Peer) -> Vec<R<V>> {
        let n = self.data.len();
        let args: Vec<R<Q>> = (0..n)
            .map(|u| {
                let mut env = self.env(u);
                env.peers.clear();
                env.before = None;
                env.number(&peer.arg)
            })
            .collect();
        let key = |u: usize| match peer.group {
            PeerGroup::All => 0,
            PeerGroup::Kind => self.data.kind(u) as u64,
            PeerGroup::Input(i) => match self.data.value(u, i) {
                Value::Choice(c) => u64::from(c),
                _ => u64::MAX,
            },
        };
        let mut groups: HashMap<u64, Vec<Q>> = HashMap::new();
        for (u, a) in args.iter().enumerate() {
            if let Ok(x) = a {
                groups.entry(key(u)).or_default().push(x.clone());
            }
        }
        let groups: HashMap<u64, Group> = groups
            .into_iter()
            .map(|(k, g)| (k, Group::new(g)))
            .collect();
        (0..n)
            .map(|u| {
                let group = groups.get(&key(u)).ok_or(Failed)?;
                group.stat(peer.stat, args[u].as_ref().ok()).map(V::Num)
            })
            .collect()
    }
}
