//! `zhibiao sensitivity`: how far each unit's rank could move had the
//! method been set otherwise (the policy's `uncertainty` block), and which
//! choices move it most.
//!
//! Runs after `eval`, before `report`. The policy is evaluated once; each
//! unit's node results are kept where a choice can change them
//! (`model.rs`). Each run draws the choices (`draw.rs`, Saltelli's design),
//! adds up every unit again in `f64`, ranks the units as the policy ranks
//! them and grades them. Per unit: the rank's median, 5 %–95 % interval,
//! mean absolute shift from the published rank and the chance of each
//! grade over all runs. Per choice: the first-order and total indices of
//! the mean absolute rank shift (`sobol.rs`). Runs are spread over threads
//! by base sample; every number is the same for any number of threads.

mod draw;
mod model;
pub mod sobol;
mod units;

pub use model::{Model, Run, Setting, Work};
pub use units::Unit;

use crate::data::Dataset;
use crate::eval::VetoHit;
use crate::eval::{self, Evaluation, Evaluator, Plan, Status};
use crate::ir::{FactorKind, Policy, Uncertainty, VetoAction};
use model::Child;
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

/// What does not change from run to run for one unit.
struct Fixed {
    slots: Vec<Child>,
    /// Bonus minus deductions.
    extra: f64,
    /// A veto set the score (to zero, or to given points).
    score: Option<f64>,
    /// The worst grade a veto allows; the last when a veto failed it.
    floor: Option<usize>,
}

/// Analyses `policy`'s uncertainty over `data`, whose evaluation is `nominal`.
/// `previous` is the period before, for rules that read it.
pub fn analyse(
    policy: &Policy,
    data: &Dataset,
    previous: Option<(&Dataset, &Evaluation)>,
    nominal: &Evaluation,
    jobs: usize,
) -> Option<Analysis> {
    let u = policy.uncertainty.as_ref()?;
    Some(eval::with_threads(jobs, || {
        let plan = eval::plan(policy, data, previous);
        run(&plan, u, nominal)
    }))
}

fn run(plan: &Plan, u: &Uncertainty, nominal: &Evaluation) -> Analysis {
    let (policy, data) = (plan.policy, plan.data);
    let model = Model::new(policy, &varied(policy, u, plan, data));
    let ranked = ranked(policy, data, nominal);
    let fixed: Vec<Fixed> = (ranked.units.par_iter())
        .map_init(
            || Evaluator::new(plan),
            |e, &unit| fixed(policy, &model, plan, e, unit),
        )
        .collect();
    let points: Vec<f64> = policy.nodes.iter().map(|n| n.points.to_f64()).collect();
    let k = u.factors.len();
    let per = k + 2;
    let n = ranked.units.len();
    let mut ranks = vec![0u32; u.samples * per * n];
    let mut grades = vec![0u8; u.samples * per * n];
    let shifts: Vec<Vec<f64>> = (ranks.par_chunks_mut(per * n.max(1)))
        .zip(grades.par_chunks_mut(per * n.max(1)))
        .enumerate()
        .map_init(Scratch::default, |work, (j, (ranks, grades))| {
            let a: Vec<draw::Value> = (0..k)
                .map(|i| draw::draw(u, &points, j, false, i))
                .collect();
            let b: Vec<draw::Value> = (0..k).map(|i| draw::draw(u, &points, j, true, i)).collect();
            let mut out = Vec::with_capacity(per);
            for r in 0..per {
                let values: Vec<draw::Value> = match r {
                    0 => a.clone(),
                    1 => b.clone(),
                    _ => (a.iter().enumerate())
                        .map(|(i, v)| {
                            if i + 2 == r {
                                b.get(i).cloned().unwrap_or(v.clone())
                            } else {
                                v.clone()
                            }
                        })
                        .collect(),
                };
                let setting = draw::setting(
                    u,
                    &values,
                    policy.nodes.len(),
                    policy
                        .nodes
                        .first()
                        .map(|n| n.aggregate)
                        .unwrap_or_default(),
                );
                let rows = r * n..(r + 1) * n;
                let (Some(ranks), Some(grades)) =
                    (ranks.get_mut(rows.clone()), grades.get_mut(rows))
                else {
                    continue;
                };
                out.push(once(
                    policy, &model, &fixed, &ranked, &setting, work, ranks, grades,
                ));
            }
            out
        })
        .collect();
    let outputs = sobol::Outputs {
        a: shifts
            .iter()
            .map(|s| s.first().copied().unwrap_or(0.0))
            .collect(),
        b: shifts
            .iter()
            .map(|s| s.get(1).copied().unwrap_or(0.0))
            .collect(),
        ab: (0..k)
            .map(|i| {
                shifts
                    .iter()
                    .map(|s| s.get(i + 2).copied().unwrap_or(0.0))
                    .collect()
            })
            .collect(),
    };
    let indices = sobol::indices(&outputs, u.seed);
    let runs = u.samples * per;
    let mut units = vec![None; data.len()];
    let stats = units::stats(&ranks, &grades, n, &ranked.nominal, policy.grades.len());
    for (unit, s) in ranked.units.iter().zip(stats) {
        if let Some(slot) = units.get_mut(*unit) {
            *slot = Some(s);
        }
    }
    let all = shifts.iter().flatten().sum::<f64>() / runs.max(1) as f64;
    Analysis {
        seed: u.seed,
        samples: u.samples,
        runs,
        factors: (u.factors.iter().zip(indices))
            .map(|(f, i)| (f.name.clone(), i))
            .collect(),
        units,
        mean_shift: all,
    }
}

/// The nodes a choice changes: those varied or left out, and, when the
/// not-applicable rule is varied, those that do not apply to some unit.
fn varied(policy: &Policy, u: &Uncertainty, plan: &Plan, data: &Dataset) -> Vec<bool> {
    let mut out = vec![false; policy.nodes.len()];
    for f in &u.factors {
        match &f.kind {
            FactorKind::Relative { nodes, .. }
            | FactorKind::Dirichlet { nodes, .. }
            | FactorKind::LeaveOut(nodes) => nodes
                .iter()
                .for_each(|n| out.get_mut(*n).into_iter().for_each(|x| *x = true)),
            FactorKind::NotApplicable(_) => {
                let somewhere = (0..data.len())
                    .into_par_iter()
                    .map_init(
                        || Evaluator::new(plan),
                        |e, unit| match e.evaluate(unit) {
                            Ok(_) => (e.nodes().iter())
                                .enumerate()
                                .map(|(id, r)| {
                                    r.status == Status::NotApplicable
                                        && !policy.other_kinds_row(id, data.kind(unit))
                                })
                                .collect(),
                            Err(_) => vec![false; policy.nodes.len()],
                        },
                    )
                    .reduce(
                        || vec![false; policy.nodes.len()],
                        |a, b| a.iter().zip(&b).map(|(x, y)| *x || *y).collect(),
                    );
                out.iter_mut().zip(somewhere).for_each(|(x, y)| *x |= y);
            }
            FactorKind::Aggregate(_) => {}
        }
    }
    out
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
    bands: Vec<units::Band>,
    total: f64,
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
        bands: policy
            .grades
            .iter()
            .map(|g| units::Band::new(&g.interval))
            .collect(),
        total: policy.total.to_f64(),
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

fn fixed(policy: &Policy, model: &Model, plan: &Plan, e: &mut Evaluator, unit: usize) -> Fixed {
    let kind = plan.data.kind(unit);
    let Ok(outcome) = e.evaluate(unit) else {
        return Fixed {
            slots: Vec::new(),
            extra: 0.0,
            score: Some(0.0),
            floor: None,
        };
    };
    let slots = model.slots_of(e.nodes(), |id| policy.other_kinds_row(id, kind));
    let raw = (outcome.base + outcome.bonus - outcome.deductions).max(crate::num::Num::ZERO);
    let mut floor = None;
    for hit in &outcome.vetoes {
        let worst = match hit {
            VetoHit::Veto(v) => match policy.vetoes.get(*v).map(|v| &v.action) {
                Some(VetoAction::MaxGrade(g)) => Some(*g),
                Some(VetoAction::Fail) => policy.grades.len().checked_sub(1),
                _ => None,
            },
            VetoHit::FailBelow(_) => policy.grades.len().checked_sub(1),
        };
        floor = floor.max(worst);
    }
    Fixed {
        slots,
        extra: (outcome.bonus - outcome.deductions).to_f64(),
        score: (outcome.exact != raw).then(|| outcome.exact.to_f64()),
        floor,
    }
}

/// What a thread reuses from run to run.
#[derive(Default)]
struct Scratch {
    work: Work,
    scores: Vec<f64>,
    counts: units::Counts,
}

/// One run: every ranked unit's score, rank and grade under `setting`
/// into `ranks` and `grades`; the mean absolute rank shift.
#[allow(clippy::too_many_arguments)]
fn once(
    policy: &Policy,
    model: &Model,
    fixed: &[Fixed],
    ranked: &Ranked,
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
    let run = model.prepare(setting);
    scores.clear();
    scores.extend(fixed.iter().map(|f| match f.score {
        Some(s) => s,
        None => (model.score(&f.slots, &run, work) + f.extra).max(0.0),
    }));
    units::rank(policy.ranking.method, ranked, scores, counts, ranks);
    for ((g, f), s) in grades.iter_mut().zip(fixed).zip(scores.iter()) {
        let grade = ranked.bands.iter().position(|b| b.holds(*s, ranked.total));
        let grade = grade.map(|g| g.max(f.floor.unwrap_or(0)));
        *g = grade.map_or(u8::MAX, |g| u8::try_from(g).unwrap_or(u8::MAX));
    }
    let shift: u64 = (ranks.iter().zip(&ranked.nominal))
        .map(|(r, n)| u64::from(r.abs_diff(*n)))
        .sum();
    shift as f64 / ranks.len().max(1) as f64
}
