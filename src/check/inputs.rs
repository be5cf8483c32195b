//! Inputs (the data collected from every unit) and derived values (`let`).

use super::types::{Scope, Ty};
use super::{Checker, names};
use crate::diagnostics::Diagnostic;
use crate::ir::{self, InputType, Missing};
use crate::num::Num;
use crate::source::Span;
use crate::syntax::ast::{self, MissingRule};

pub const BAD_RANGE: &str = "zhibiao::check::bad_range";
pub const BAD_MISSING_RULE: &str = "zhibiao::check::bad_missing_rule";
pub const WHEN_UNEVALUABLE: &str = "zhibiao::check::when_unevaluable";
pub const BAD_SOURCE: &str = "zhibiao::check::bad_source";
pub const BAD_DENOMINATOR: &str = "zhibiao::check::bad_denominator";

impl Checker {
    pub(super) fn inputs(&mut self, inputs: &[ast::Input]) {
        // Declare every name first, so a `when` may read any input.
        let mut declared = Vec::new();
        for input in inputs {
            let ty = self.input_type(&input.ty);
            let first_name = input.names.first().map(|n| &n.value);
            for name in &input.names {
                if let Some(&first) = self.input_ids.get(&name.value) {
                    let first_span = self.inputs.get(first).map(|i| i.span).unwrap_or_default();
                    self.report(names::duplicate(
                        "input",
                        &name.value,
                        first_span,
                        name.span,
                    ));
                    continue;
                }
                self.input_ids.insert(name.value.clone(), self.inputs.len());
                declared.push((self.inputs.len(), input));
                let missing = self.missing_rule(input, &ty);
                let sources = self.input_sources(input, &ty, Some(&name.value) == first_name);
                self.inputs.push(ir::Input {
                    name: name.value.clone(),
                    ty: ty.clone(),
                    unit: input.unit.clone(),
                    description: input.description.clone(),
                    when: input.when.as_ref().map(|_| placeholder()),
                    missing,
                    column: input.column.clone().unwrap_or_else(|| name.value.clone()),
                    sources,
                    per: None,
                    span: name.span,
                });
            }
        }
        self.used_inputs = vec![false; self.inputs.len()];
        for (id, input) in declared {
            if let Some(when) = &input.when {
                let condition = self.condition(when, Scope::RULE);
                if let Some(i) = self.inputs.get_mut(id) {
                    i.when = Some(condition);
                }
            }
        }
        // Reading an input in another input's `when` is not a use in scoring.
        self.used_inputs.iter_mut().for_each(|u| *u = false);
        for input in inputs {
            if let Some(per) = &input.per {
                let divided = |i: &&ast::Input| {
                    i.per.is_some() && i.names.iter().any(|n| n.value == per.value)
                };
                let chained = inputs.iter().any(|i| divided(&i));
                self.per(input, per, chained);
            }
        }
    }

    /// `per NAME`: the input's column is divided by another input's value,
    /// a number or count; the quotient is a number, ratio or percent.
    /// (`chained`: the denominator is divided by another itself.)
    fn per(&mut self, input: &ast::Input, per: &ast::Name, chained: bool) {
        let Some(d) = self.input_ids.get(&per.value).copied() else {
            let names = self.inputs.iter().map(|i| i.name.as_str());
            let mut d = names::unknown("input", &per.value, per.span, names);
            d.code = BAD_DENOMINATOR;
            self.report(d);
            return;
        };
        let ids: Vec<usize> = (input.names.iter())
            .filter_map(|n| self.input_ids.get(&n.value).copied())
            .collect();
        let denominator = self.inputs.get(d);
        let fits = denominator.is_some_and(|x| {
            matches!(x.ty, InputType::Number { .. } | InputType::Count) && !ids.contains(&d)
        }) && !chained;
        if !fits {
            self.report(
                Diagnostic::error(BAD_DENOMINATOR, format!("`{}` cannot divide another input", per.value))
                    .label(per.span, "not a number or count input of its own")
                    .help("divide by another input that is a number or a count: `input 办结率: ratio per 受理数 column \"办结数\"`"),
            );
            return;
        }
        let quotient = self
            .inputs
            .get(ids.first().copied().unwrap_or(usize::MAX))
            .map(|i| &i.ty);
        if !matches!(
            quotient,
            Some(InputType::Number { .. } | InputType::Ratio | InputType::Percent { .. })
        ) {
            self.report(
                Diagnostic::error(BAD_DENOMINATOR, "only a number, ratio or percent can be a quotient")
                    .label(input.ty.span, "the type of the quotient")
                    .help("declare the input as `number`, `ratio` or `percent`: its column holds the numerator, a number"),
            );
            return;
        }
        if let Some(u) = self.used_inputs.get_mut(d) {
            *u = true;
        }
        for id in ids {
            if let Some(i) = self.inputs.get_mut(id) {
                i.per = Some(d);
            }
        }
    }

    fn empty_range(&mut self, range: Option<(Num, Num)>, span: Span) {
        if let Some((lo, hi)) = range.filter(|(lo, hi)| lo > hi) {
            self.report(
                Diagnostic::error(BAD_RANGE, format!("the range {lo}..{hi} is empty"))
                    .label(span, "the lower bound is above the upper bound")
                    .help(format!("write it as {hi}..{lo}")),
            );
        }
    }

    fn input_type(&mut self, ty: &crate::source::Spanned<ast::InputType>) -> InputType {
        match &ty.value {
            ast::InputType::Bool => InputType::Bool,
            ast::InputType::Number { range } => {
                self.empty_range(*range, ty.span);
                InputType::Number { range: *range }
            }
            ast::InputType::Count => InputType::Count,
            ast::InputType::Percent { range } => {
                self.empty_range(*range, ty.span);
                let share = |(lo, hi): (Num, Num)| (lo / Num::ONE_HUNDRED, hi / Num::ONE_HUNDRED);
                InputType::Percent {
                    range: range.map(share),
                }
            }
            ast::InputType::Ratio => InputType::Ratio,
            ast::InputType::Text => InputType::Text,
            ast::InputType::Choice(c) => InputType::Choice(self.choice_list(c)),
            ast::InputType::Set(c) => InputType::Set(self.choice_list(c)),
        }
    }

    fn choice_list(&mut self, choices: &[ast::Name]) -> Vec<String> {
        let repeats = self.repeated("choice", choices);
        choices
            .iter()
            .zip(repeats)
            .filter(|(_, r)| !r)
            .map(|(c, _)| c.value.clone())
            .collect()
    }

    /// The sources of an input: each named in the header; several only for
    /// a number, with weights adding up to 100%. Reported once per
    /// declaration (`report`).
    fn input_sources(
        &mut self,
        input: &ast::Input,
        ty: &InputType,
        report: bool,
    ) -> Vec<(usize, Num)> {
        let mut found = Vec::new();
        let mut problems = Vec::new();
        for (name, weight) in &input.sources {
            match self.sources.iter().position(|s| *s == name.value) {
                Some(id) => found.push((id, weight.map_or(Num::ONE, |w| w.value))),
                None if self.sources.is_empty() => problems.push(
                    Diagnostic::error(BAD_SOURCE, format!("`{}` is not a source: the policy declares none", name.value))
                        .label(name.span, "no `sources` in the header")
                        .help("declare the sources in the header: `sources 自评, 专家`, then give one file each: `--data 自评=self.csv --data 专家=expert.csv`"),
                ),
                None => {
                    let mut d = names::unknown("source", &name.value, name.span, self.sources.iter().map(String::as_str));
                    d.code = BAD_SOURCE;
                    problems.push(d);
                }
            }
        }
        let numeric = matches!(
            ty,
            InputType::Number { .. }
                | InputType::Count
                | InputType::Percent { .. }
                | InputType::Ratio
        );
        if found.len() > 1 {
            let total: Num = found.iter().map(|(_, w)| *w).sum();
            let span = input.sources.first().map_or(input.span, |(n, _)| n.span);
            if !numeric {
                problems.push(
                    Diagnostic::error(BAD_SOURCE, "only numbers can be combined from several sources")
                        .label(span, "several sources")
                        .help("give the input one source, or declare one input per source and combine them in a rule"),
                );
            } else if total != Num::ONE || input.sources.iter().any(|(_, w)| w.is_none()) {
                problems.push(
                    Diagnostic::error(
                        BAD_SOURCE,
                        format!(
                            "the weights of the sources add up to {}, not 100%",
                            crate::syntax::print::share(total)
                        ),
                    )
                    .label(span, "weighted sources")
                    .help(
                        "give each source a weight, adding up to 100%: `from 自评 30%, 专家 70%`",
                    ),
                );
            }
        }
        if report {
            problems.into_iter().for_each(|d| self.report(d));
        }
        found
    }

    fn missing_rule(&mut self, input: &ast::Input, ty: &InputType) -> Missing {
        let numeric = matches!(
            ty,
            InputType::Number { .. }
                | InputType::Count
                | InputType::Percent { .. }
                | InputType::Ratio
        );
        let Some(rule) = &input.missing else {
            // The header's rule, where it has a meaning for this input.
            return match self.missing_default {
                MissingRule::Zero if !matches!(ty, InputType::Choice(_) | InputType::Text) => {
                    Missing::Zero
                }
                MissingRule::Mean(k) if numeric => Missing::Mean(k),
                MissingRule::Reweight(f) => Missing::Reweight(f),
                _ => Missing::Error,
            };
        };
        match rule.value {
            MissingRule::Mean(_) if !numeric => {
                self.report(
                    Diagnostic::error(BAD_MISSING_RULE, "`missing mean` needs a numeric input")
                        .label(rule.span, "stated here")
                        .help("a mean is taken of numbers, counts, percentages and ratios; for other inputs use `missing reweight` or leave blanks as errors"),
                );
                Missing::Error
            }
            MissingRule::Mean(k) => Missing::Mean(k),
            MissingRule::Reweight(f) => Missing::Reweight(f),
            MissingRule::Error => Missing::Error,
            MissingRule::Zero if matches!(ty, InputType::Choice(_) | InputType::Text) => {
                self.report(
                    Diagnostic::error(
                        BAD_MISSING_RULE,
                        "`missing zero` has no meaning for a choice or text input",
                    )
                    .label(rule.span, "stated here")
                    .help("add a choice such as `未填报` and score it, or leave blanks as errors"),
                );
                Missing::Error
            }
            MissingRule::Zero => Missing::Zero,
        }
    }

    pub(super) fn lets(&mut self, lets: &[ast::Let]) {
        for l in lets {
            if let Some(&first) = self.let_ids.get(&l.name.value) {
                let first_span = self.let_spans.get(first).copied().unwrap_or_default();
                self.report(names::duplicate(
                    "derived value",
                    &l.name.value,
                    first_span,
                    l.name.span,
                ));
                continue;
            }
            if let Some(&input) = self.input_ids.get(&l.name.value) {
                let first_span = self.inputs.get(input).map(|i| i.span).unwrap_or_default();
                self.report(names::duplicate(
                    "name",
                    &l.name.value,
                    first_span,
                    l.name.span,
                ));
                continue;
            }
            self.let_ids.insert(l.name.value.clone(), self.lets.len());
            self.let_spans.push(l.name.span);
            self.let_types.push(Ty::Error);
            self.lets.push(ir::Let {
                name: l.name.value.clone(),
                expr: placeholder(),
            });
        }
        self.used_lets = vec![false; self.lets.len()];
        for l in lets {
            let Some(&id) = self.let_ids.get(&l.name.value) else {
                continue;
            };
            if self.let_spans.get(id) != Some(&l.name.span) {
                continue;
            }
            let (expr, ty) = self.expr(
                &l.expr,
                Scope {
                    base: false,
                    lets_visible: id,
                },
            );
            if ty == Ty::Text {
                self.report(
                    Diagnostic::error(
                        super::types::TYPE_MISMATCH,
                        "a derived value cannot be text",
                    )
                    .label(l.expr.span, "this is text")
                    .help("text inputs are recorded, not scored"),
                );
            }
            if let Some(slot) = self.lets.get_mut(id) {
                slot.expr = expr;
            }
            if let Some(slot) = self.let_types.get_mut(id) {
                *slot = ty;
            }
        }
    }

    /// A yes/no condition (`when`, `if` of a veto, a gate) that can be
    /// decided for every unit: it may not read an input that is itself only
    /// collected under a condition.
    pub(super) fn condition(&mut self, e: &ast::Expr, scope: Scope) -> ir::Expr {
        let out = self.expect(e, Ty::Bool, scope, "a condition");
        let mut read = Vec::new();
        out.inputs_read(&self.lets, &mut read);
        read.sort_unstable();
        read.dedup();
        for id in read {
            let Some(input) = self.inputs.get(id) else {
                continue;
            };
            if input.when.is_some() {
                let name = input.name.clone();
                self.report(
                    Diagnostic::error(WHEN_UNEVALUABLE, format!("this condition reads `{name}`, which is only collected for some units"))
                        .label(e.span, "cannot be decided for every unit")
                        .label(input.span, "collected only under its own `when`")
                        .help(format!("base the condition on an input collected from every unit, or combine it with the condition under which `{name}` is collected")),
                );
            }
        }
        out
    }
}

fn placeholder() -> ir::Expr {
    ir::Expr {
        kind: ir::ExprKind::Const(ir::Value::Absent),
        span: crate::source::Span::default(),
    }
}
