//! `zhibiao sensitivity`: how far each unit's rank could move had the
//! method been set otherwise (the policy's `uncertainty` block), and which
//! choices move it most.
//!
//! Runs after `eval`, before `report`. The policy is evaluated once (once
//! per normalisation when that is a choice); each unit's node results are
//! kept below the groups a choice can change (`fixed.rs`), which each run
//! adds up again (`model.rs`). Each run draws the choices (`draw.rs`, Saltelli's design),
//! adds up every unit again in `f64`, ranks the units as the policy ranks
//! them and grades them. Per unit: the rank's median, 5 %–95 % interval,
//! mean absolute shift from the published rank and the chance of each
//! grade over all runs. Per choice: the first-order and total indices of
//! the mean absolute rank shift (`sobol.rs`). Runs are spread over threads
//! by base sample; every number is the same for any number of threads.

mod draw;
mod fixed;
mod model;
pub mod sobol;
mod units;

pub use model::{Model, Run, Setting, Work};
pub use units::Unit;

use crate::data::Dataset;
use crate::eval::{self, Evaluation};
use crate::ir::{Normalisation, Policy, Uncertainty};
use fixed::Fixed;
use rayon::prelude::*;

/// The analysis of one policy over one dataset.
#[derive(Debug, Clone)]
pub struct Analysis {
    pub seed: u64,
    pub samples: usize,
    /// Runs: `samples × (factors + 2)`.
    pub runs: usize,
    /// Each factor's name and indices (`None`: no rank ever moved).
    pub factors: Vec<(String, Option<sobol::Indices>)>,
    /// Per unit in data order; `None` for a unit that is not ranked.
    pub units: Vec<Option<Unit>>,
    /// Mean absolute rank shift over all units and runs.
    pub mean_shift: f64,
}

/// The most memory the runs' ranks and grades may take.
const MOST_BYTES: usize = 16 << 30;

/// Analyses `policy`'s uncertainty over `data`, whose evaluation is
/// `nominal`; `previous` is the period before, for rules that read it.
/// An error if the policy states no uncertainty, or if the runs' ranks
/// would not fit in memory.
pub fn analyse(
    policy: &Policy,
    data: &Dataset,
    previous: Option<(&Dataset, &Evaluation)>,
    nominal: &Evaluation,
    jobs: usize,
) -> Result<Analysis, String> {
    let u = policy
        .uncertainty
        .as_ref()
        .ok_or("the policy states no uncertainty block")?;
    let runs = u.samples.saturating_mul(u.factors.len() + 2);
    let bytes = runs.saturating_mul(data.len()).saturating_mul(5);
    if bytes > MOST_BYTES {
        return Err(format!(
            "{runs} runs over {} units would keep {} GiB of ranks and grades (at most {}); give fewer samples (`--samples`)",
            data.len(),
            bytes >> 30,
            MOST_BYTES >> 30
        ));
    }
    Ok(eval::with_threads(jobs, || {
        let plan = eval::plan(policy, data, previous);
        let model = Model::new(policy, &fixed::varied(u, &plan));
        let ranked = ranked(policy, data, nominal);
        let normalisations = fixed::normalisations(u);
        let fixed: Vec<Vec<Fixed>> = (normalisations.iter())
            .map(|n| fixed::units(policy, *n, data, previous, &model, &ranked.units))
            .collect();
        let runs = Runs {
            policy,
            u,
            model: &model,
            ranked: &ranked,
            normalisations: &normalisations,
            fixed: &fixed,
        };
        runs.all(data.len())
    }))
}

/// Everything a run reads.
struct Runs<'a> {
    policy: &'a Policy,
    u: &'a Uncertainty,
    model: &'a Model,
    ranked: &'a Ranked,
    normalisations: &'a [Option<Normalisation>],
    /// Per normalisation, per ranked unit.
    fixed: &'a [Vec<Fixed>],
}

impl Runs<'_> {
    fn all(&self, units: usize) -> Analysis {
        let (policy, u) = (self.policy, self.u);
        let k = u.factors.len();
        let per = k + 2;
        let n = self.ranked.units.len();
        let mut ranks = vec![0u32; u.samples * per * n];
        let mut grades = vec![0u8; u.samples * per * n];
        // Each base sample's runs in its own rows: A, B, then A with each
        // choice from B.
        let shifts: Vec<Vec<f64>> = (ranks.par_chunks_mut(per * n.max(1)))
            .zip(grades.par_chunks_mut(per * n.max(1)))
            .enumerate()
            .map_init(Scratch::default, |scratch, (j, (ranks, grades))| {
                self.sample(j, scratch, ranks, grades)
            })
            .collect();
        let column = |r: usize| {
            shifts
                .iter()
                .map(|s| s.get(r).copied().unwrap_or(0.0))
                .collect()
        };
        let outputs = sobol::Outputs {
            a: column(0),
            b: column(1),
            ab: (0..k).map(|i| column(i + 2)).collect(),
        };
        let indices = sobol::indices(&outputs, u.seed);
        let runs = u.samples * per;
        let mut out = vec![None; units];
        let stats = units::stats(
            &ranks,
            &grades,
            n,
            &self.ranked.nominal,
            policy.grades.len(),
        );
        for (unit, s) in self.ranked.units.iter().zip(stats) {
            if let Some(slot) = out.get_mut(*unit) {
                *slot = Some(s);
            }
        }
        Analysis {
            seed: u.seed,
            samples: u.samples,
            runs,
            factors: (u.factors.iter().zip(indices))
                .map(|(f, i)| (f.name.clone(), i))
                .collect(),
            units: out,
            mean_shift: shifts.iter().flatten().sum::<f64>() / runs.max(1) as f64,
        }
    }

    /// Base sample `j`'s runs into its rows; each run's mean absolute shift.
    fn sample(
        &self,
        j: usize,
        scratch: &mut Scratch,
        ranks: &mut [u32],
        grades: &mut [u8],
    ) -> Vec<f64> {
        let (policy, u) = (self.policy, self.u);
        let k = u.factors.len();
        let n = self.ranked.units.len();
        let points = self.model.points();
        let a: Vec<draw::Value> = (0..k).map(|i| draw::draw(u, points, j, false, i)).collect();
        let b: Vec<draw::Value> = (0..k).map(|i| draw::draw(u, points, j, true, i)).collect();
        let root = policy
            .nodes
            .first()
            .map(|x| x.aggregate)
            .unwrap_or_default();
        let mut out = Vec::with_capacity(k + 2);
        for r in 0..k + 2 {
            // Run r ≥ 2 is A with choice r − 2 from B.
            let values: Vec<draw::Value> = match r {
                0 => a.clone(),
                1 => b.clone(),
                _ => (a.iter().zip(&b).enumerate())
                    .map(|(i, (x, y))| if i + 2 == r { y.clone() } else { x.clone() })
                    .collect(),
            };
            let setting = draw::setting(u, &values, policy.nodes.len(), root);
            let rows = r * n..(r + 1) * n;
            if let (Some(ranks), Some(grades)) = (ranks.get_mut(rows.clone()), grades.get_mut(rows))
            {
                out.push(self.once(&setting, scratch, ranks, grades));
            }
        }
        out
    }

    /// One run: every ranked unit's score, rank and grade under `setting`
    /// into `ranks` and `grades`; the mean absolute rank shift.
    fn once(
        &self,
        setting: &Setting,
        scratch: &mut Scratch,
        ranks: &mut [u32],
        grades: &mut [u8],
    ) -> f64 {
        let Scratch {
            work,
            scores,
            counts,
        } = scratch;
        let ranked = self.ranked;
        let which = self
            .normalisations
            .iter()
            .position(|n| *n == setting.normalisation)
            .unwrap_or(0);
        let fixed = self.fixed.get(which).map_or(&[][..], |f| &f[..]);
        let run = self.model.prepare(setting);
        scores.clear();
        scores.extend(fixed.iter().map(|f| match f.score {
            Some(s) => s,
            None => (self.model.score(&f.slots, &run, work) + f.extra).max(0.0),
        }));
        units::rank(self.policy.ranking.method, ranked, scores, counts, ranks);
        for ((g, f), s) in grades.iter_mut().zip(fixed).zip(scores.iter()) {
            let grade = ranked.grading.grade(*s);
            *g = match f.floor {
                Some(floor) if grade != u8::MAX => {
                    grade.max(u8::try_from(floor).unwrap_or(u8::MAX))
                }
                _ => grade,
            };
        }
        let shift: u64 = (ranks.iter().zip(&ranked.nominal))
            .map(|(r, n)| u64::from(r.abs_diff(*n)))
            .sum();
        shift as f64 / ranks.len().max(1) as f64
    }
}

/// What a thread reuses from run to run.
#[derive(Default)]
struct Scratch {
    work: Work,
    scores: Vec<f64>,
    counts: units::Counts,
}

/// The units ranked, the group each is ranked in and its published rank.
struct Ranked {
    units: Vec<usize>,
    groups: Vec<usize>,
    nominal: Vec<u32>,
    /// How many groups (kinds) there are.
    group_count: usize,
    /// Rank on the exact score (else on the rounded one), and its places.
    exact: bool,
    scale: f64,
    grading: units::Grading,
}

fn ranked(policy: &Policy, data: &Dataset, nominal: &Evaluation) -> Ranked {
    let by_kind = !policy.kinds.is_empty();
    let mut r = Ranked {
        units: Vec::new(),
        groups: Vec::new(),
        nominal: Vec::new(),
        group_count: policy.kinds.len().max(1),
        exact: policy.ranking.exact,
        scale: 10f64.powi(policy.precision as i32),
        grading: units::Grading::new(policy),
    };
    for unit in 0..data.len() {
        let Some(s) = nominal.unit(unit) else {
            continue;
        };
        let rank = if by_kind { s.rank_in_kind } else { s.rank };
        if let Some(rank) = rank {
            r.units.push(unit);
            r.groups.push(if by_kind { data.kind(unit) } else { 0 });
            r.nominal.push(u32::try_from(rank).unwrap_or(u32::MAX));
        }
    }
    r
}
