//! Variance-based sensitivity indices from Saltelli's design: with `f_A`,
//! `f_B` and `f_AB[i]` the output of the runs A, B and A with factor `i`
//! from B, the first-order index is Saltelli's (2010) estimator
//! `mean(f_B · (f_AB[i] − f_A)) / V` and the total index Jansen's (1999)
//! `mean((f_A − f_AB[i])²) / 2V`, V the variance of all of `f_A` and `f_B`.
//! Confidence intervals: the 2.5 % and 97.5 % points of the indices over
//! bootstrap resamples of the base samples.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// The outputs of the runs, base sample by base sample.
#[derive(Debug, Clone, Default)]
pub struct Outputs {
    pub a: Vec<f64>,
    pub b: Vec<f64>,
    /// Per factor, per base sample.
    pub ab: Vec<Vec<f64>>,
}

/// One factor's indices, with their 95 % bootstrap intervals; `None` when
/// the output never varies.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Indices {
    pub first: f64,
    pub first_interval: (f64, f64),
    pub total: f64,
    pub total_interval: (f64, f64),
}

/// Bootstrap resamples for the intervals.
pub const RESAMPLES: usize = 1000;

pub fn indices(out: &Outputs, seed: u64) -> Vec<Option<Indices>> {
    let n = out.a.len();
    let all: Vec<usize> = (0..n).collect();
    let point = estimate(out, &all);
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(u64::MAX);
    let mut draws: Vec<Vec<Option<(f64, f64)>>> = Vec::with_capacity(RESAMPLES);
    let mut pick = vec![0; n];
    for _ in 0..RESAMPLES {
        pick.iter_mut()
            .for_each(|p| *p = rng.random_range(0..n.max(1)));
        draws.push(estimate(out, &pick));
    }
    (point.iter().enumerate())
        .map(|(i, p)| {
            let (first, total) = (*p)?;
            let of = |k: fn(&(f64, f64)) -> f64| {
                let mut xs: Vec<f64> = (draws.iter())
                    .filter_map(|d| d.get(i).copied().flatten())
                    .map(|x| k(&x))
                    .collect();
                xs.sort_by(f64::total_cmp);
                (quantile(&xs, 0.025), quantile(&xs, 0.975))
            };
            Some(Indices {
                first,
                first_interval: of(|x| x.0),
                total,
                total_interval: of(|x| x.1),
            })
        })
        .collect()
}

/// (first-order, total) of every factor over the base samples `rows`.
fn estimate(out: &Outputs, rows: &[usize]) -> Vec<Option<(f64, f64)>> {
    let at = |v: &[f64], j: usize| v.get(j).copied().unwrap_or(0.0);
    let n = rows.len() as f64;
    let mean = rows
        .iter()
        .map(|j| at(&out.a, *j) + at(&out.b, *j))
        .sum::<f64>()
        / (2.0 * n);
    let var = (rows.iter())
        .map(|j| (at(&out.a, *j) - mean).powi(2) + (at(&out.b, *j) - mean).powi(2))
        .sum::<f64>()
        / (2.0 * n);
    (out.ab.iter())
        .map(|ab| {
            if var <= 0.0 || n == 0.0 {
                return None;
            }
            let (mut first, mut total) = (0.0, 0.0);
            for &j in rows {
                let (a, b, x) = (at(&out.a, j), at(&out.b, j), at(ab, j));
                first += b * (x - a);
                total += (a - x).powi(2);
            }
            Some((first / n / var, total / (2.0 * n) / var))
        })
        .collect()
}

/// The `q` quantile of sorted values (linear between the nearest two).
pub fn quantile(sorted: &[f64], q: f64) -> f64 {
    let Some(last) = sorted.len().checked_sub(1) else {
        return f64::NAN;
    };
    let at = q * last as f64;
    let (lo, hi) = (at.floor() as usize, at.ceil() as usize);
    let (x, y) = (
        sorted.get(lo).copied().unwrap_or(0.0),
        sorted.get(hi).copied().unwrap_or(0.0),
    );
    x + (y - x) * (at - lo as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Ishigami's function, whose indices are known: with a = 7, b = 0.1,
    /// S = (0.3139, 0.4424, 0), ST = (0.5576, 0.4424, 0.2437).
    fn ishigami(x: [f64; 3]) -> f64 {
        x[0].sin() + 7.0 * x[1].sin().powi(2) + 0.1 * x[2].powi(4) * x[0].sin()
    }

    #[test]
    fn the_estimators_converge_on_ishigami() {
        let pi = std::f64::consts::PI;
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let mut draw = || -> [f64; 3] { [0, 1, 2].map(|_| rng.random_range(-pi..pi)) };
        let n = 50_000;
        let (a, b): (Vec<[f64; 3]>, Vec<[f64; 3]>) = (0..n).map(|_| (draw(), draw())).unzip();
        let out = Outputs {
            a: a.iter().map(|x| ishigami(*x)).collect(),
            b: b.iter().map(|x| ishigami(*x)).collect(),
            ab: (0..3)
                .map(|i| {
                    (a.iter().zip(&b))
                        .map(|(x, y)| {
                            let mut z = *x;
                            if let (Some(to), Some(from)) = (z.get_mut(i), y.get(i)) {
                                *to = *from;
                            }
                            ishigami(z)
                        })
                        .collect()
                })
                .collect(),
        };
        let got: Vec<Indices> = indices(&out, 3).into_iter().flatten().collect();
        let want = [(0.3139, 0.5576), (0.4424, 0.4424), (0.0, 0.2437)];
        assert_eq!(got.len(), 3);
        for (g, (s, st)) in got.iter().zip(want) {
            assert!((g.first - s).abs() < 0.03, "first-order {} vs {s}", g.first);
            assert!((g.total - st).abs() < 0.03, "total {} vs {st}", g.total);
            assert!(g.first_interval.0 <= g.first && g.first <= g.first_interval.1);
            assert!(g.total_interval.0 <= g.total && g.total <= g.total_interval.1);
            assert!(g.total_interval.1 - g.total_interval.0 < 0.05);
        }
    }

    #[test]
    fn a_constant_output_has_no_indices() {
        let out = Outputs {
            a: vec![1.0; 10],
            b: vec![1.0; 10],
            ab: vec![vec![1.0; 10]],
        };
        assert_eq!(indices(&out, 0), vec![None]);
    }
}
