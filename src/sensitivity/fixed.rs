//! What stays the same from run to run: each unit's results below the
//! groups a choice changes, its bonus and deductions, its vetoes; once per
//! normalisation when that is varied.

use super::model::{Child, Model};
use crate::data::Dataset;
use crate::eval::{self, Evaluation, Evaluator, Plan, Status, VetoHit};
use crate::ir::{Expr, ExprKind, FactorKind, Normalisation, Policy, Stat, Uncertainty, VetoAction};
use crate::num::Num;
use rayon::prelude::*;

/// One unit's part of every run.
pub(super) struct Fixed {
    pub slots: Vec<Child>,
    /// Bonus minus deductions.
    pub extra: f64,
    /// A veto set the score (to zero, or to given points).
    pub score: Option<f64>,
    /// The worst grade a veto allows; the last when a veto failed it.
    pub floor: Option<usize>,
}

/// The normalisations the runs choose among (`[None]`, the policy's own,
/// when that is not varied).
pub(super) fn normalisations(u: &Uncertainty) -> Vec<Option<Normalisation>> {
    let varied = u.factors.iter().find_map(|f| match &f.kind {
        FactorKind::Normalise(xs) => Some(xs.iter().map(|x| Some(*x)).collect()),
        _ => None,
    });
    varied.unwrap_or_else(|| vec![None])
}

/// Each of `units` as `policy` scores it with every `minmax` and
/// `percentile` made `to`.
pub(super) fn units(
    policy: &Policy,
    to: Option<Normalisation>,
    data: &Dataset,
    previous: Option<(&Dataset, &Evaluation)>,
    model: &Model,
    units: &[usize],
) -> Vec<Fixed> {
    let normalised = to.map(|to| normalised(policy, to));
    let policy = normalised.as_ref().unwrap_or(policy);
    let plan = eval::plan(policy, data, previous);
    (units.par_iter())
        .map_init(
            || Evaluator::new(&plan),
            |e, &unit| fixed(policy, model, &plan, e, unit),
        )
        .collect()
}

/// The policy with every normalisation onto [0, 1] made `to`:
/// `minmax_lower(x)` is `percentile(−x)` as a percentile.
fn normalised(policy: &Policy, to: Normalisation) -> Policy {
    let mut p = policy.clone();
    for peer in &mut p.peers {
        match (peer.stat, to) {
            (Stat::MinMax, Normalisation::Percentile) => peer.stat = Stat::Percentile,
            (Stat::MinMaxLower, Normalisation::Percentile) => {
                peer.stat = Stat::Percentile;
                let span = peer.arg.span;
                let arg = std::mem::replace(
                    &mut peer.arg,
                    Expr {
                        kind: ExprKind::Base,
                        span,
                    },
                );
                peer.arg = Expr {
                    kind: ExprKind::Neg(Box::new(arg)),
                    span,
                };
            }
            (Stat::Percentile, Normalisation::MinMax) if peer.param.is_none() => {
                peer.stat = Stat::MinMax;
            }
            _ => {}
        }
    }
    p
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
    let raw = (outcome.base + outcome.bonus - outcome.deductions).max(Num::ZERO);
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

/// The nodes a choice changes: those varied or left out, and, when the
/// not-applicable rule is varied, those that do not apply to some unit.
pub(super) fn varied(u: &Uncertainty, plan: &Plan) -> Vec<bool> {
    let (policy, data) = (plan.policy, plan.data);
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
                            Ok(_) => (e.nodes().iter().enumerate())
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
            FactorKind::Aggregate(_) | FactorKind::Normalise(_) => {}
        }
    }
    out
}
