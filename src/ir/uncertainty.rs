//! The uncertain choices of the method (`uncertainty { ... }`), resolved:
//! what `zhibiao sensitivity` varies.

use super::{Aggregate, NodeId, NotApplicable};
use crate::num::Num;

#[derive(Debug, Clone, PartialEq)]
pub struct Uncertainty {
    /// Base samples: the analysis runs `samples × (factors + 2)` times.
    pub samples: usize,
    pub seed: u64,
    pub factors: Vec<Factor>,
}

/// One uncertain choice: a factor of the analysis.
#[derive(Debug, Clone, PartialEq)]
pub struct Factor {
    /// The choice as written (`weights 统筹管理, 数据资源 ± 20%`), to name it
    /// in the outputs.
    pub name: String,
    pub kind: FactorKind,
}

#[derive(Debug, Clone, PartialEq)]
pub enum FactorKind {
    /// Each node's points times an independent draw from [1 − spread, 1 + spread].
    Relative { nodes: Vec<NodeId>, spread: Num },
    /// The nodes' shares of their points together drawn from a Dirichlet
    /// whose mean is the stated shares.
    Dirichlet {
        nodes: Vec<NodeId>,
        concentration: Num,
    },
    /// The rule for every node that does not apply: one of these.
    NotApplicable(Vec<NotApplicable>),
    /// How the composite (the root) combines its categories: one of these.
    Aggregate(Vec<Aggregate>),
    /// One of these nodes left out (its points to nobody; its group
    /// rescaled), or none.
    LeaveOut(Vec<NodeId>),
    /// What every `minmax` (and `minmax_lower`) and `percentile` of the
    /// policy is: one of these.
    Normalise(Vec<Normalisation>),
}

/// The normalisations onto [0, 1] that can stand for one another.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Normalisation {
    /// `minmax(x)`: (x − lowest) / (highest − lowest).
    MinMax,
    /// `percentile(x)`: the share of the others it is above.
    Percentile,
}
