//! One applicable item's result from its rule: a rate of its points
//! (`score`), or points (`points`), rounded when the policy says `per_item`.

use super::expr::{Env, EvalError};
use super::{NodeResult, Status};
use crate::ir::{Rule, Value};
use crate::num::Num;

/// One applicable item's result.
pub fn score(env: &mut Env, rule: &Rule, points: Num) -> Result<NodeResult, EvalError> {
    env.read_default = false;
    let mut score = match &rule.bands {
        Some((on, bands)) => env.band_points(on, bands)?,
        None => match env.eval(&rule.expr)? {
            // A yes/no `score` rule: full points or none.
            Value::Bool(yes) if yes => points,
            Value::Number(x) => rule.points_for(x, points),
            _ => Num::ZERO,
        },
    };
    let policy = env.policy;
    if policy.round_items {
        score = score.round(policy.precision, policy.rounding);
    }
    let status = if env.read_default {
        Status::Missing
    } else {
        Status::Scored
    };
    Ok(NodeResult {
        score,
        max: points,
        status,
    })
}
