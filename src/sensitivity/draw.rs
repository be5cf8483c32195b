//! The runs of the analysis (Saltelli's design): for each base sample `j`,
//! two independent draws `A_j` and `B_j` of every factor, and for each
//! factor `i` the run `A_j` with factor `i` taken from `B_j`. Each factor's
//! draw comes from its own ChaCha8 stream, numbered by (sample, matrix,
//! factor), so a run is the same whichever thread makes it and in whatever
//! order.

use super::model::Setting;
use crate::ir::{Aggregate, Factor, FactorKind, Uncertainty};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, Gamma};

/// One factor's value in a run.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// Weight factors, one per node of the factor.
    Weights(Vec<f64>),
    /// The index of the alternative chosen (for `leave_out`, 0 is none and
    /// `k` the k-th node).
    Choice(usize),
}

/// Draws factor `i`'s value for base sample `j` from matrix A (`b` false)
/// or B.
pub fn draw(u: &Uncertainty, points: &[f64], j: usize, b: bool, i: usize) -> Value {
    let mut rng = ChaCha8Rng::seed_from_u64(u.seed);
    let stream = (j as u64) << 17 | (i as u64) << 1 | u64::from(b);
    rng.set_stream(stream);
    let Some(f) = u.factors.get(i) else {
        return Value::Choice(0);
    };
    match &f.kind {
        FactorKind::Relative { nodes, spread } => {
            let spread = spread.to_f64();
            Value::Weights(
                (nodes.iter())
                    .map(|_| 1.0 + spread * (2.0 * rng.random::<f64>() - 1.0))
                    .collect(),
            )
        }
        FactorKind::Dirichlet {
            nodes,
            concentration,
        } => Value::Weights(dirichlet(&mut rng, nodes, points, concentration.to_f64())),
        FactorKind::NotApplicable(xs) => Value::Choice(rng.random_range(0..xs.len().max(1))),
        FactorKind::Aggregate(xs) => Value::Choice(rng.random_range(0..xs.len().max(1))),
        FactorKind::LeaveOut(xs) => Value::Choice(rng.random_range(0..=xs.len())),
        FactorKind::Normalise(xs) => Value::Choice(rng.random_range(0..xs.len().max(1))),
    }
}

/// Weight factors whose shares of the nodes' points follow a Dirichlet
/// with mean the stated shares and the given concentration: a factor is
/// the drawn share over the stated one.
fn dirichlet(
    rng: &mut ChaCha8Rng,
    nodes: &[usize],
    points: &[f64],
    concentration: f64,
) -> Vec<f64> {
    let stated: Vec<f64> = (nodes.iter())
        .map(|n| points.get(*n).copied().unwrap_or(0.0))
        .collect();
    let total: f64 = stated.iter().sum();
    if total <= 0.0 {
        return vec![1.0; nodes.len()];
    }
    let gammas: Vec<f64> = (stated.iter())
        .map(|p| match Gamma::new(concentration * p / total, 1.0) {
            Ok(g) if *p > 0.0 => g.sample(rng),
            _ => 0.0,
        })
        .collect();
    let sum: f64 = gammas.iter().sum();
    (gammas.iter().zip(&stated))
        .map(|(g, p)| match sum > 0.0 && *p > 0.0 {
            true => (g / sum) / (p / total),
            false => 1.0,
        })
        .collect()
}

/// The setting a run's factor values make.
pub fn setting(u: &Uncertainty, values: &[Value], nodes: usize, base: Aggregate) -> Setting {
    let mut setting = Setting {
        factors: vec![1.0; nodes],
        not_applicable: None,
        aggregate: base,
        normalisation: None,
    };
    for (f, v) in u.factors.iter().zip(values) {
        apply(f, v, &mut setting);
    }
    setting
}

fn apply(f: &Factor, v: &Value, s: &mut Setting) {
    match (&f.kind, v) {
        (
            FactorKind::Relative { nodes, .. } | FactorKind::Dirichlet { nodes, .. },
            Value::Weights(ws),
        ) => {
            for (n, w) in nodes.iter().zip(ws) {
                if let Some(x) = s.factors.get_mut(*n) {
                    *x *= w;
                }
            }
        }
        (FactorKind::NotApplicable(xs), Value::Choice(c)) => s.not_applicable = xs.get(*c).copied(),
        (FactorKind::Aggregate(xs), Value::Choice(c)) => {
            s.aggregate = xs.get(*c).copied().unwrap_or_default();
        }
        (FactorKind::Normalise(xs), Value::Choice(c)) => s.normalisation = xs.get(*c).copied(),
        (FactorKind::LeaveOut(xs), Value::Choice(c)) => {
            if let Some(n) = c.checked_sub(1).and_then(|k| xs.get(k))
                && let Some(x) = s.factors.get_mut(*n)
            {
                *x = 0.0;
            }
        }
        _ => {}
    }
}
