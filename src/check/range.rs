//! The range of values an expression can take, from its inputs' types and
//! its constants: for the lints that find items that can never reach full
//! marks or zero, and bands no value reaches. `None` where it cannot be known
//! (peer statistics, node scores, a choice used as a number).

use crate::ir::{BinaryOp, Expr, ExprKind, Func, Input, InputType, Let, Value};
use crate::num::Num;

/// Closed bounds; `None` is unbounded on that side.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Range {
    pub lo: Option<Num>,
    pub hi: Option<Num>,
}

impl Range {
    fn exactly(x: Num) -> Range {
        Range {
            lo: Some(x),
            hi: Some(x),
        }
    }

    fn between(lo: Num, hi: Num) -> Range {
        Range {
            lo: Some(lo),
            hi: Some(hi),
        }
    }

    fn union(self, other: Range) -> Range {
        Range {
            lo: self.lo.zip(other.lo).map(|(a, b)| a.min(b)),
            hi: self.hi.zip(other.hi).map(|(a, b)| a.max(b)),
        }
    }
}

const YES_NO: Range = Range {
    lo: Some(Num::ZERO),
    hi: Some(Num::ONE),
};

pub fn range(inputs: &[Input], lets: &[Let], e: &Expr) -> Option<Range> {
    let r = |x: &Expr| range(inputs, lets, x);
    Some(match &e.kind {
        ExprKind::Const(Value::Number(n)) => Range::exactly(*n),
        ExprKind::Const(Value::Bool(b)) => Range::exactly(Num::from(u8::from(*b))),
        ExprKind::Const(_) | ExprKind::Base | ExprKind::Peer(_) | ExprKind::NodeScore(_) => {
            return None;
        }
        ExprKind::PreviousScore | ExprKind::PreviousRank => return None,
        // From 0 to 1, like a yes or no.
        ExprKind::HasPrevious | ExprKind::Not(_) | ExprKind::IsBlank(_) | ExprKind::DataShare => {
            YES_NO
        }
        ExprKind::Previous(x) => r(x)?,
        ExprKind::Input(i) => input(inputs.get(*i)?)?,
        ExprKind::Let(l) => r(&lets.get(*l)?.expr)?,
        ExprKind::Neg(x) => {
            let x = r(x)?;
            Range {
                lo: x.hi.map(|h| -h),
                hi: x.lo.map(|l| -l),
            }
        }
        ExprKind::Binary(op, a, b) => match op {
            BinaryOp::Add => {
                let (a, b) = (r(a)?, r(b)?);
                Range {
                    lo: add(a.lo, b.lo),
                    hi: add(a.hi, b.hi),
                }
            }
            BinaryOp::Sub => {
                let (a, b) = (r(a)?, r(b)?);
                Range {
                    lo: add(a.lo, b.hi.map(|h| -h)),
                    hi: add(a.hi, b.lo.map(|l| -l)),
                }
            }
            BinaryOp::Mul => corners(r(a)?, r(b)?, Num::checked_mul)?,
            BinaryOp::Div => {
                let d = r(b)?;
                let zero_inside =
                    d.lo.is_none_or(|l| l <= Num::ZERO) && d.hi.is_none_or(|h| h >= Num::ZERO);
                if zero_inside {
                    return None;
                }
                corners(r(a)?, d, Num::checked_div)?
            }
            _ => YES_NO,
        },
        ExprKind::Call(f, args) => call(*f, args, inputs, lets)?,
        ExprKind::Script(..) => return None,
        ExprKind::If(_, t, f) => r(t)?.union(r(f)?),
        ExprKind::Match {
            arms, otherwise, ..
        } => {
            let mut values = arms.iter().map(|(_, v)| v).chain(otherwise.as_deref());
            let first = r(values.next()?)?;
            values.try_fold(first, |acc, v| Some(acc.union(r(v)?)))?
        }
        ExprKind::Bands(on, bands) => {
            // Only the bands the value can reach.
            let on = r(on);
            let mut values = bands
                .iter()
                .filter(|(iv, _)| on.is_none_or(|on| reaches(iv, on)))
                .map(|(_, v)| v);
            let first = r(values.next()?)?;
            values.try_fold(first, |acc, v| Some(acc.union(r(v)?)))?
        }
    })
}

fn input(i: &Input) -> Option<Range> {
    Some(match &i.ty {
        InputType::Bool | InputType::Percent { range: None } | InputType::Ratio => YES_NO,
        InputType::Percent {
            range: Some((lo, hi)),
        } => Range::between(*lo, *hi),
        InputType::Count => Range {
            lo: Some(Num::ZERO),
            hi: None,
        },
        InputType::Number {
            range: Some((lo, hi)),
        } => Range::between(*lo, *hi),
        InputType::Number { range: None } => Range { lo: None, hi: None },
        InputType::Set(choices) => Range::between(Num::ZERO, Num::from(choices.len())),
        InputType::Choice(_) | InputType::Text => return None,
    })
}

fn call(f: Func, args: &[Expr], inputs: &[Input], lets: &[Let]) -> Option<Range> {
    let arg = |i: usize| range(inputs, lets, args.get(i)?);
    let all = || {
        args.iter()
            .map(|a| range(inputs, lets, a))
            .collect::<Option<Vec<_>>>()
    };
    Some(match f {
        Func::Min => least(&all()?),
        Func::Max => greatest(&all()?),
        Func::Clamp => least(&[greatest(&[arg(0)?, arg(1)?]), arg(2)?]),
        Func::Abs => {
            let x = arg(0)?;
            match (x.lo, x.hi) {
                (Some(l), _) if l >= Num::ZERO => x,
                (_, Some(h)) if h <= Num::ZERO => Range {
                    lo: Some(-h),
                    hi: x.lo.map(|l| -l),
                },
                (l, h) => Range {
                    lo: Some(Num::ZERO),
                    hi: l.zip(h).map(|(l, h)| l.abs().max(h.abs())),
                },
            }
        }
        Func::Floor | Func::Ceil => {
            let x = arg(0)?;
            let round = |d: Num| {
                if f == Func::Floor {
                    d.floor()
                } else {
                    d.ceil()
                }
            };
            Range {
                lo: x.lo.map(round),
                hi: x.hi.map(round),
            }
        }
        Func::Count => arg(0)?,
        // Increasing: the ends map to the ends (an end it is not defined at
        // is open).
        Func::Sqrt | Func::Ln | Func::Log10 | Func::Exp => {
            let x = arg(0)?;
            let g = |d: Num| match f {
                Func::Sqrt => d.sqrt(),
                Func::Ln => d.ln(),
                Func::Log10 => d.log10(),
                _ => d.exp(),
            };
            Range {
                lo: x.lo.and_then(g),
                hi: x.hi.and_then(g),
            }
        }
        Func::Pow => return None,
        Func::Ratio | Func::RatioLower => YES_NO,
        Func::Below | Func::Above => {
            let (x, t) = (arg(0)?, arg(1)?);
            let (a, b) = if f == Func::Below { (t, x) } else { (x, t) };
            let hi = add(a.hi, b.lo.map(|l| -l));
            Range {
                lo: Some(add(a.lo, b.hi.map(|h| -h)).map_or(Num::ZERO, |l| l.max(Num::ZERO))),
                hi: hi.map(|h| h.max(Num::ZERO)),
            }
        }
    })
}

/// The range of the least of several values.
fn least(rs: &[Range]) -> Range {
    Range {
        lo: rs
            .iter()
            .map(|r| r.lo)
            .collect::<Option<Vec<_>>>()
            .and_then(|l| l.into_iter().min()),
        hi: rs.iter().filter_map(|r| r.hi).min(),
    }
}

/// The range of the greatest of several values.
fn greatest(rs: &[Range]) -> Range {
    Range {
        lo: rs.iter().filter_map(|r| r.lo).max(),
        hi: rs
            .iter()
            .map(|r| r.hi)
            .collect::<Option<Vec<_>>>()
            .and_then(|h| h.into_iter().max()),
    }
}

fn add(a: Option<Num>, b: Option<Num>) -> Option<Num> {
    a?.checked_add(b?)
}

/// The range of `op` over two finite ranges (its extremes are at corners).
fn corners(a: Range, b: Range, op: fn(Num, Num) -> Option<Num>) -> Option<Range> {
    let (al, ah, bl, bh) = (a.lo?, a.hi?, b.lo?, b.hi?);
    let values = [op(al, bl)?, op(al, bh)?, op(ah, bl)?, op(ah, bh)?];
    Some(Range {
        lo: values.iter().min().copied(),
        hi: values.iter().max().copied(),
    })
}

/// Whether some value of `on` falls in the interval.
pub fn reaches(iv: &crate::syntax::ast::Interval, on: Range) -> bool {
    let above_low = match (iv.low, on.hi) {
        (Some(l), Some(h)) => h > l || (h == l && iv.low_inclusive),
        _ => true,
    };
    let below_high = match (iv.high, on.lo) {
        (Some(h), Some(l)) => l < h || (l == h && iv.high_inclusive),
        _ => true,
    };
    above_low && below_high
}
