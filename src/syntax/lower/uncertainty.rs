//! Lowering `uncertainty { ... }`.

use super::header::na_rule;
use super::{Lower, P, kids, kw_is};
use crate::source::Spanned;
use crate::syntax::ast::*;
use crate::syntax::grammar::Rule;

impl Lower<'_> {
    pub(super) fn uncertainty(&mut self, pair: P) -> Uncertainty {
        let mut block = Uncertainty {
            samples: None,
            seed: None,
            factors: Vec::new(),
            span: self.span(&pair),
        };
        for p in kids(pair) {
            let span = self.span(&p);
            let written = p.as_str().get(..span.len()).unwrap_or(p.as_str());
            let text = written.split_whitespace().collect::<Vec<_>>().join(" ");
            let kind = match p.as_rule() {
                Rule::samples => {
                    block.samples = self.count(p);
                    continue;
                }
                Rule::seed => {
                    block.seed = self.count(p);
                    continue;
                }
                Rule::vary_weights => self.vary_weights(p),
                Rule::vary_na => FactorKind::NotApplicable(
                    kids(p)
                        .filter(|r| r.as_rule() == Rule::na_rule)
                        .map(na_rule)
                        .collect(),
                ),
                Rule::vary_aggregate => FactorKind::Aggregate(
                    kids(p)
                        .filter(|r| r.as_rule() == Rule::mean_kind)
                        .map(mean_kind)
                        .collect(),
                ),
                Rule::leave_out => FactorKind::LeaveOut(self.node_refs(p)),
                Rule::vary_normalise => FactorKind::Normalise(
                    kids(p)
                        .filter(|n| n.as_rule() == Rule::name)
                        .map(|n| self.name(n))
                        .collect(),
                ),
                _ => continue,
            };
            block.factors.push(Factor { kind, text, span });
        }
        block
    }

    /// The number after a `samples` or `seed` keyword.
    fn count(&mut self, pair: P) -> Option<Spanned<crate::num::Num>> {
        let n = kids(pair).nth(1)?;
        Some(Spanned::new(self.decimal(&n), self.span(&n)))
    }

    fn vary_weights(&mut self, pair: P) -> FactorKind {
        let span = self.span(&pair);
        let nodes = self.node_refs(pair.clone());
        let mut amount = None;
        let mut dirichlet = false;
        for p in kids(pair) {
            match p.as_rule() {
                Rule::kw_dirichlet => dirichlet = true,
                Rule::percent | Rule::number => {
                    amount = Some(Spanned::new(self.quantity(&p), self.span(&p)));
                }
                _ => {}
            }
        }
        let amount = amount.unwrap_or(Spanned::new(crate::num::Num::ZERO, span));
        if dirichlet {
            FactorKind::Dirichlet(nodes, amount)
        } else {
            FactorKind::Relative(nodes, amount)
        }
    }

    fn node_refs(&mut self, pair: P) -> Vec<NodeRef> {
        kids(pair)
            .filter(|r| r.as_rule() == Rule::node_ref)
            .map(|r| self.node_ref(r))
            .collect()
    }
}

fn mean_kind(pair: P) -> Aggregate {
    match kids(pair).next() {
        Some(p) if kw_is(&p, Rule::kw_geometric) => Aggregate::Geometric,
        Some(p) if kw_is(&p, Rule::kw_harmonic) => Aggregate::Harmonic,
        _ => Aggregate::Arithmetic,
    }
}
