//! Warnings about the data that do not stop a run: cells filled where
//! their input is not collected, counts above the counts they are divided by.

use super::expr;
use crate::data::Dataset;
use crate::ir::{BinaryOp, ExprKind, InputId, InputType, Policy, Value};
use rayon::prelude::*;

/// Every warning about the data that scoring found: [`uncollected`] and
/// [`above_denominator`].
pub fn data_warnings(policy: &Policy, data: &Dataset) -> Vec<String> {
    let mut out = uncollected(policy, data);
    out.extend(above_denominator(policy, data));
    out
}

/// Warnings for cells filled where their input is not collected: an input
/// collected `when` a condition holds, filled for units where it does not
/// (the cells are never read). One warning per input, with the rows.
pub fn uncollected(policy: &Policy, data: &Dataset) -> Vec<String> {
    let when: Vec<(usize, &crate::ir::Expr)> = (policy.inputs.iter().enumerate())
        .filter_map(|(i, input)| Some((i, input.when.as_ref()?)))
        .collect();
    if when.is_empty() {
        return Vec::new();
    }
    // (input, row) of every stray cell, in the order of the units.
    let stray: Vec<(usize, usize)> = (0..data.len())
        .into_par_iter()
        .map_init(
            || vec![None; policy.lets.len()],
            |lets, u| {
                let mut found = Vec::new();
                // The unit's derived values hold for all its conditions.
                lets.iter_mut().for_each(|l| *l = None);
                let mut env = expr::Env::over(policy, expr::Cells::Data(data, u), lets);
                for &(i, condition) in &when {
                    if data.value(u, i) == Value::Absent || data.is_defaulted(u, i) {
                        continue;
                    }
                    if matches!(env.boolean(condition), Ok(false)) {
                        found.extend(data.units.get(u).map(|x| (i, x.row)));
                    }
                }
                found
            },
        )
        .flatten()
        .collect();
    let mut out = Vec::new();
    for &(i, _) in &when {
        let rows: Vec<usize> = stray
            .iter()
            .filter(|(j, _)| *j == i)
            .map(|(_, r)| *r)
            .collect();
        let Some(input) = policy.inputs.get(i).filter(|_| !rows.is_empty()) else {
            continue;
        };
        let shown: Vec<String> = rows.iter().take(10).map(|r| r.to_string()).collect();
        let more = if rows.len() > 10 { " …" } else { "" };
        let rows_word = if rows.len() == 1 { "row" } else { "rows" };
        out.push(format!(
            "`{}` is collected only where its `when` condition holds, but {} {rows_word} fill it where it does not (not read): {}{more}",
            input.name,
            rows.len(),
            shown.join(", ")
        ));
    }
    out
}

/// Warnings for a count above the count a rule divides it by
/// (`办结数 / 受理数` where 办结数 > 受理数: a share above 100%, most often a
/// data entry error). One warning per pair, with the rows.
pub fn above_denominator(policy: &Policy, data: &Dataset) -> Vec<String> {
    let pairs = std::cell::RefCell::new(Vec::<(InputId, InputId)>::new());
    let count = |i: InputId| {
        policy
            .inputs
            .get(i)
            .is_some_and(|x| x.ty == InputType::Count)
    };
    let find = |k: &ExprKind| {
        if let ExprKind::Binary(BinaryOp::Div, a, b) = k
            && let (ExprKind::Input(x), ExprKind::Input(y)) = (&a.kind, &b.kind)
            && count(*x)
            && count(*y)
            && !pairs.borrow().contains(&(*x, *y))
        {
            pairs.borrow_mut().push((*x, *y));
        }
        false
    };
    let rules = (policy.nodes.iter()).filter_map(|n| n.rule.as_ref().map(|r| &r.expr));
    let items = (policy.parts.iter()).flat_map(|p| p.items.iter().map(|i| &i.rule.expr));
    let lets = policy.lets.iter().map(|l| &l.expr);
    for e in rules.chain(items).chain(lets) {
        e.reads(&[], &find);
    }
    let mut out = Vec::new();
    for (a, b) in pairs.into_inner() {
        let above = |u: usize| match (data.value(u, a), data.value(u, b)) {
            (Value::Number(x), Value::Number(y)) => x > y,
            _ => false,
        };
        let rows: Vec<usize> = (0..data.len())
            .into_par_iter()
            .filter(|u| above(*u))
            .filter_map(|u| Some(data.units.get(u)?.row))
            .collect();
        let (Some(x), Some(y)) = (policy.inputs.get(a), policy.inputs.get(b)) else {
            continue;
        };
        if rows.is_empty() {
            continue;
        }
        let more = if rows.len() > 10 { " …" } else { "" };
        out.push(format!(
            "`{}` is above `{}`, which a rule divides it by, in {} rows (a share above 100%): {}{more}",
            x.name,
            y.name,
            rows.len(),
            rows.iter().take(10).map(usize::to_string).collect::<Vec<_>>().join(", ")
        ));
    }
    out
}
