//! `uncertainty { ... }`: the choices of the method that could have been
//! made otherwise, for `zhibiao sensitivity`.

use super::{Aggregate, NaRule, NodeRef};
use crate::num::Num;
use crate::source::{Span, Spanned};

#[derive(Debug, Clone)]
pub struct Uncertainty {
    /// `samples 1000`: base samples (each factor adds as many runs).
    pub samples: Option<Spanned<Num>>,
    /// `seed 7`.
    pub seed: Option<Spanned<Num>>,
    /// Each uncertain choice, in the order written.
    pub factors: Vec<Factor>,
    pub span: Span,
}

/// One uncertain choice of the method: a factor of the analysis.
#[derive(Debug, Clone)]
pub struct Factor {
    pub kind: FactorKind,
    /// As written, spaces collapsed (to name the factor in the outputs).
    pub text: String,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub enum FactorKind {
    /// `weights A, B ± 20%`: each node's points times a factor drawn
    /// uniformly from [1 − 20%, 1 + 20%].
    Relative(Vec<NodeRef>, Spanned<Num>),
    /// `weights A, B, C dirichlet 50`: the nodes' shares of their points
    /// drawn from a Dirichlet with that concentration around the stated
    /// shares.
    Dirichlet(Vec<NodeRef>, Spanned<Num>),
    /// `not_applicable rescale | zero`: the rule for every node that does
    /// not apply, one of these.
    NotApplicable(Vec<NaRule>),
    /// `aggregate arithmetic | geometric`: how the composite combines its
    /// categories.
    Aggregate(Vec<Aggregate>),
    /// `leave_out A, B`: one of these nodes left out, or none.
    LeaveOut(Vec<NodeRef>),
    /// `normalise minmax | percentile`: the function every `minmax` and
    /// `percentile` of the policy is, one of these (as written).
    Normalise(Vec<super::Name>),
}
