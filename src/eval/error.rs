//! Why an expression, a node or a statistic has no value for a unit.

use crate::ir::InputId;
use crate::source::Span;

/// Why an expression has no value for a unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EvalError {
    /// The unit's cell for this input is blank.
    Missing(InputId),
    DivisionByZero(Span),
    /// The value fell in none of the bands.
    NoBand(Span),
    Overflow(Span),
    /// A peer statistic over a group in which no unit has a value.
    EmptyGroup(Span),
    /// `highest(x, k)` or `lowest(x, k)` of a group with fewer than `k` values.
    FewInGroup(Span),
    /// The unit was not evaluated in the previous period.
    NoPrevious(Span),
    /// A geometric mean met a rate of zero.
    ZeroInMean(Span),
    /// Too few of a group's items have data (`missing reweight at_least`).
    TooLittleData(Span),
    /// `node_score` of a node the unit could not be scored on.
    NoNodeScore(Span),
    /// `sqrt`, `pow`, `ln`, `log10` or `exp` of a number it is not defined
    /// for (or whose result is too large).
    OutOfDomain(Span),
    /// A script function (by index) failed or broke a bound of the sandbox.
    Script(Span, usize, crate::script::Failure),
}

impl EvalError {
    /// Where in the policy it happened (`None`: not at one rule).
    pub fn span(self) -> Option<Span> {
        match self {
            EvalError::Missing(_) => None,
            EvalError::DivisionByZero(s)
            | EvalError::NoBand(s)
            | EvalError::Overflow(s)
            | EvalError::EmptyGroup(s)
            | EvalError::FewInGroup(s)
            | EvalError::NoPrevious(s)
            | EvalError::ZeroInMean(s)
            | EvalError::TooLittleData(s)
            | EvalError::NoNodeScore(s)
            | EvalError::OutOfDomain(s)
            | EvalError::Script(s, ..) => Some(s).filter(|s| *s != Span::default()),
        }
    }
}
