//! `uncertainty { ... }`: the nodes it varies exist and are varied once,
//! the amounts keep every weight positive, the counts are whole.

use super::{Checker, names};
use crate::diagnostics::Diagnostic;
use crate::ir::{self, FactorKind, NodeId, Normalisation, NotApplicable};
use crate::num::Num;
use crate::source::{Span, Spanned};
use crate::syntax::ast::{self, NaRule, NodeRef};

pub const BAD_UNCERTAINTY: &str = "zhibiao::check::bad_uncertainty";

/// Base samples when the block does not say.
pub const DEFAULT_SAMPLES: usize = 1000;

fn bad(message: impl Into<String>, span: Span, label: &str, help: &str) -> Diagnostic {
    Diagnostic::error(BAD_UNCERTAINTY, message)
        .label(span, label.to_string())
        .help(help.to_string())
}

impl Checker {
    pub(super) fn uncertainty(
        &mut self,
        blocks: &[ast::Uncertainty],
        nodes: &[ir::Node],
    ) -> Option<ir::Uncertainty> {
        let u = self.single("uncertainty block", "uncertainty", blocks, |u| u.span)?;
        let samples = self
            .whole(u.samples, "samples", 1)
            .unwrap_or(DEFAULT_SAMPLES as u64);
        let seed = self.whole(u.seed, "seed", 0).unwrap_or(0);
        if u.factors.is_empty() {
            self.report(bad(
                "the uncertainty block varies nothing",
                u.span,
                "no uncertain choice",
                "state what could have been chosen otherwise: `weights 统筹管理, 数据资源 ± 20%`, `not_applicable rescale | zero`, `leave_out 统筹管理, 数据资源`",
            ));
        }
        self.choices_once(&u.factors);
        let mut varied: Vec<Option<Span>> = vec![None; nodes.len()];
        let factors = (u.factors.iter())
            .map(|f| ir::Factor {
                name: f.text.clone(),
                kind: self.factor(f, nodes, &mut varied),
            })
            .collect();
        Some(ir::Uncertainty {
            samples: usize::try_from(samples).unwrap_or(DEFAULT_SAMPLES),
            seed,
            factors,
        })
    }

    /// The not-applicable rule, the aggregation and the normalisation are
    /// each one choice: stated once.
    fn choices_once(&mut self, factors: &[ast::Factor]) {
        let which = |f: &ast::Factor| match f.kind {
            ast::FactorKind::NotApplicable(_) => Some("not_applicable"),
            ast::FactorKind::Aggregate(_) => Some("aggregate"),
            ast::FactorKind::Normalise(_) => Some("normalise"),
            _ => None,
        };
        let mut first: Vec<(&str, Span)> = Vec::new();
        for f in factors {
            let Some(word) = which(f) else { continue };
            match first.iter().find(|(w, _)| *w == word) {
                Some((_, at)) => self.report(
                    bad(
                        format!("`{word}` is varied twice"),
                        f.span,
                        "again here",
                        "list every alternative on one line: `not_applicable rescale | zero | full_marks`",
                    )
                    .label(*at, "first here"),
                ),
                None => first.push((word, f.span)),
            }
        }
    }

    /// A whole number of at least `least` (`samples`, `seed`).
    fn whole(&mut self, n: Option<Spanned<Num>>, what: &str, least: u64) -> Option<u64> {
        let n = n?;
        let value = n
            .value
            .is_integer()
            .then(|| u64::try_from(n.value.numerator()).ok());
        match value.flatten().filter(|v| *v >= least && *v <= 10_000_000) {
            Some(v) => Some(v),
            None => {
                self.report(bad(
                    format!("`{what}` must be a whole number from {least} to 10000000"),
                    n.span,
                    "not a count",
                    "write a whole number, such as `samples 1000` or `seed 7`",
                ));
                None
            }
        }
    }

    fn factor(
        &mut self,
        f: &ast::Factor,
        nodes: &[ir::Node],
        varied: &mut [Option<Span>],
    ) -> FactorKind {
        match &f.kind {
            ast::FactorKind::Relative(refs, spread) => {
                if spread.value <= Num::ZERO || spread.value >= Num::ONE {
                    self.report(bad(
                        "a weight varied by this much could be zero or negative",
                        spread.span,
                        "not between 0% and 100%",
                        "vary weights by a relative amount above 0% and below 100%: `weights 统筹管理 ± 20%`",
                    ));
                }
                let nodes = self.varied_nodes(refs, nodes, varied);
                FactorKind::Relative {
                    nodes,
                    spread: spread.value,
                }
            }
            ast::FactorKind::Dirichlet(refs, concentration) => {
                if concentration.value <= Num::ZERO {
                    self.report(bad(
                        "a Dirichlet's concentration must be above zero",
                        concentration.span,
                        "not above zero",
                        "the larger it is, the closer the draws stay to the stated weights: `weights 统筹管理, 数据资源 dirichlet 50`",
                    ));
                }
                if refs.len() < 2 {
                    self.report(bad(
                        "a Dirichlet shares points among at least two nodes",
                        f.span,
                        "one node",
                        "name the siblings whose shares are drawn together, or vary this one by `± 20%`",
                    ));
                }
                let nodes = self.varied_nodes(refs, nodes, varied);
                FactorKind::Dirichlet {
                    nodes,
                    concentration: concentration.value,
                }
            }
            ast::FactorKind::NotApplicable(rules) => {
                FactorKind::NotApplicable(self.na_choices(rules, f.span))
            }
            ast::FactorKind::Aggregate(means) => FactorKind::Aggregate(means.clone()),
            ast::FactorKind::Normalise(names) => {
                FactorKind::Normalise(self.normalisations(names, f.span))
            }
            ast::FactorKind::LeaveOut(refs) => {
                // A node may both have its weight varied and be left out.
                let mut once = vec![None; nodes.len()];
                let nodes = self.varied_nodes(refs, nodes, &mut once);
                FactorKind::LeaveOut(nodes)
            }
        }
    }

    /// The normalisations named, when the policy normalises with one.
    fn normalisations(&mut self, names: &[ast::Name], span: Span) -> Vec<Normalisation> {
        let normalises = self.peers.iter().any(|p| {
            matches!(
                p.stat,
                ir::Stat::MinMax | ir::Stat::MinMaxLower | ir::Stat::Percentile
            )
        });
        if !normalises {
            self.report(bad(
                "the policy normalises nothing with `minmax` or `percentile`",
                span,
                "no normalisation to vary",
                "vary the normalisation of a policy whose rules read minmax(x), minmax_lower(x) or percentile(x)",
            ));
        }
        let mut out = Vec::new();
        for n in names {
            match crate::syntax::keywords::function_english(&n.value) {
                Some("minmax") => out.push(Normalisation::MinMax),
                Some("percentile") => out.push(Normalisation::Percentile),
                _ => self.report(bad(
                    format!("`{}` is not a normalisation that can be varied", n.value),
                    n.span,
                    "not minmax or percentile",
                    "choose between minmax (极差标准化) and percentile (百分位), the normalisations onto 0 to 1",
                )),
            }
        }
        out
    }

    fn na_choices(&mut self, rules: &[NaRule], span: Span) -> Vec<NotApplicable> {
        let mut out = Vec::new();
        for rule in rules {
            out.push(match rule {
                NaRule::Rescale => NotApplicable::Rescale { scope: 0 },
                NaRule::FullMarks => NotApplicable::FullMarks,
                NaRule::Zero => NotApplicable::Zero,
                NaRule::Exclude => NotApplicable::Exclude,
                NaRule::Redistribute { .. } => {
                    self.report(bad(
                        "`redistribute` cannot be an alternative here",
                        span,
                        "not among the alternatives",
                        "choose among rescale, full_marks, zero and exclude; rescaling gives a group's points to its applicable nodes in proportion, as redistribute proportional does",
                    ));
                    continue;
                }
            });
        }
        out
    }

    /// The nodes named, each varied by one factor only.
    fn varied_nodes(
        &mut self,
        refs: &[NodeRef],
        nodes: &[ir::Node],
        varied: &mut [Option<Span>],
    ) -> Vec<NodeId> {
        let mut out = Vec::new();
        for r in refs {
            let Some(id) = self.node_named(r, nodes) else {
                continue;
            };
            match varied.get_mut(id) {
                Some(Some(first)) => self.report(
                    bad(
                        format!(
                            "`{}` is varied twice",
                            nodes.get(id).map_or("", |n| n.path.as_str())
                        ),
                        r.span(),
                        "varied again here",
                        "vary each node by one choice only; put it on one line",
                    )
                    .label(*first, "first varied here"),
                ),
                Some(slot) => {
                    *slot = Some(r.span());
                    out.push(id);
                }
                None => {}
            }
        }
        out
    }

    fn node_named(&mut self, r: &NodeRef, nodes: &[ir::Node]) -> Option<NodeId> {
        let (found, text) = match r {
            NodeRef::Code(code) => (
                (nodes.iter().enumerate())
                    .filter(|(_, n)| n.code.as_deref() == Some(code.value.as_str()))
                    .map(|(i, _)| i)
                    .collect(),
                format!("#{}", code.value),
            ),
            NodeRef::Path(path, _) => {
                let names: Vec<&str> = path.iter().map(|n| n.value.as_str()).collect();
                let text = names.join("/");
                // The whole path wins over tails that end the same way.
                let mut found = ir::nodes_at(nodes, &names);
                if let Some(whole) = found
                    .iter()
                    .find(|i| nodes.get(**i).is_some_and(|n| n.path == text))
                {
                    found = vec![*whole];
                }
                (found, text)
            }
        };
        match found.as_slice() {
            [one] => Some(*one),
            [] => {
                let known = nodes.iter().skip(1).map(|n| n.name.as_str());
                self.report(names::unknown("node", &text, r.span(), known));
                None
            }
            many => {
                let listing: Vec<&str> = (many.iter())
                    .filter_map(|i| nodes.get(*i))
                    .map(|n| n.path.as_str())
                    .collect();
                self.report(bad(
                    format!("`{text}` names {} nodes", many.len()),
                    r.span(),
                    "which one?",
                    &format!("write more of the path: {}", listing.join(", ")),
                ));
                None
            }
        }
    }
}
