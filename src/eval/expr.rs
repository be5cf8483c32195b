//! Evaluating one expression for one unit: exact decimal arithmetic, no
//! name lookups (ids index the unit's values), no allocation.

pub use super::error::EvalError;
use crate::data::Dataset;
use crate::ir::{BinaryOp, Expr, ExprKind, Func, InputId, Policy, Value};
use crate::num::Num;
use crate::script::Failure;
use crate::source::Span;
use crate::syntax::ast::Interval;

/// A unit's cells: given as slices, or read from a dataset as they are
/// needed (so a unit's evaluation decodes only the cells its rules read).
#[derive(Debug, Clone, Copy)]
pub enum Cells<'a> {
    /// Every input's value, and which a `missing` rule filled.
    Held(&'a [Value], &'a [bool]),
    /// Unit `u` of a dataset.
    Data(&'a Dataset, usize),
}

impl Cells<'_> {
    pub fn value(&self, i: InputId) -> Value {
        match self {
            Cells::Held(values, _) => values.get(i).copied().unwrap_or(Value::Absent),
            Cells::Data(data, u) => data.value(*u, i),
        }
    }

    /// Whether the cell was blank and filled by a `missing` rule.
    pub fn defaulted(&self, i: InputId) -> bool {
        match self {
            Cells::Held(_, defaulted) => defaulted.get(i).copied().unwrap_or(false),
            Cells::Data(data, u) => data.is_defaulted(*u, i),
        }
    }
}

/// The same unit in the previous period.
#[derive(Debug, Clone, Copy)]
pub struct Before<'a> {
    pub cells: Cells<'a>,
    pub score: Option<Num>,
    pub rank: Option<usize>,
}

/// What an expression may read: the unit's values and derived values.
pub struct Env<'a> {
    pub policy: &'a Policy,
    /// This unit's cells.
    pub cells: Cells<'a>,
    /// Derived values computed so far for this unit.
    pub lets: &'a mut [Option<Result<Value, EvalError>>],
    /// Every unit's value of every peer statistic, and this unit.
    pub peers: Option<(&'a super::table::Table, usize)>,
    /// The same unit in the previous period, if it was there.
    pub before: Option<Before<'a>>,
    /// The unit's scores of the nodes peer statistics read (`node_score`);
    /// only while peer statistics are computed.
    pub nodes: &'a [Num],
    pub base: Num,
    /// Set when an expression read a defaulted cell.
    pub read_default: bool,
}

type R = Result<Value, EvalError>;

impl<'a> Env<'a> {
    /// An environment over one unit's values alone: no peer statistics, no
    /// previous period, no node scores, no base score.
    pub fn plain(
        policy: &'a Policy,
        values: &'a [Value],
        defaulted: &'a [bool],
        lets: &'a mut [Option<Result<Value, EvalError>>],
    ) -> Env<'a> {
        Env::over(policy, Cells::Held(values, defaulted), lets)
    }

    /// An environment over one unit's cells alone.
    pub fn over(
        policy: &'a Policy,
        cells: Cells<'a>,
        lets: &'a mut [Option<Result<Value, EvalError>>],
    ) -> Env<'a> {
        Env {
            policy,
            cells,
            lets,
            peers: None,
            before: None,
            nodes: &[],
            base: Num::ZERO,
            read_default: false,
        }
    }
}

impl Env<'_> {
    pub fn eval(&mut self, e: &Expr) -> R {
        match &e.kind {
            ExprKind::Const(v) => Ok(*v),
            ExprKind::Input(i) => self.input(*i),
            ExprKind::Let(l) => self.derived(*l),
            ExprKind::Base => Ok(Value::Number(self.base)),
            ExprKind::Neg(x) => Ok(Value::Number(-self.number(x)?)),
            ExprKind::Not(x) => Ok(Value::Bool(!self.boolean(x)?)),
            ExprKind::Binary(op, a, b) => self.binary(*op, a, b, e.span),
            ExprKind::Call(f, args) => match self.call(*f, args, e.span)? {
                n if n.is_too_large() => Err(EvalError::Overflow(e.span)),
                n => Ok(Value::Number(n)),
            },
            ExprKind::Script(f, args) => self.script(*f, args, e.span),
            ExprKind::If(c, t, f) => {
                if self.boolean(c)? {
                    self.eval(t)
                } else {
                    self.eval(f)
                }
            }
            ExprKind::Match {
                on,
                arms,
                otherwise,
                ..
            } => {
                let v = self.eval(on)?;
                for (values, result) in arms {
                    if values.contains(&v) {
                        return self.eval(result);
                    }
                }
                match otherwise {
                    Some(o) => self.eval(o),
                    None => Err(EvalError::NoBand(e.span)),
                }
            }
            ExprKind::Peer(p) => match self.peers {
                Some((table, u)) => table.get(u, *p),
                None => Err(EvalError::EmptyGroup(e.span)),
            },
            ExprKind::Previous(x) => {
                let b = self.before.ok_or(EvalError::NoPrevious(e.span))?;
                let mut lets = vec![None; self.policy.lets.len()];
                Env::over(self.policy, b.cells, &mut lets).eval(x)
            }
            ExprKind::IsBlank(i) => Ok(Value::Bool(
                self.cells.value(*i) == Value::Absent || self.cells.defaulted(*i),
            )),
            ExprKind::DataShare => Ok(Value::Number(self.data_share())),
            ExprKind::NodeScore(i) => self
                .nodes
                .get(*i)
                .map(|s| Value::Number(*s))
                .ok_or(EvalError::NoNodeScore(e.span)),
            ExprKind::PreviousScore => self
                .before
                .and_then(|b| b.score)
                .map(Value::Number)
                .ok_or(EvalError::NoPrevious(e.span)),
            ExprKind::PreviousRank => self
                .before
                .and_then(|b| b.rank)
                .map(|r| Value::Number(Num::from(r)))
                .ok_or(EvalError::NoPrevious(e.span)),
            ExprKind::HasPrevious => Ok(Value::Bool(self.before.is_some())),
            ExprKind::Bands(on, bands) => {
                let x = self.number(on)?;
                match bands.iter().find(|(iv, _)| iv.contains(x)) {
                    Some((_, result)) => self.eval(result),
                    None => Err(EvalError::NoBand(e.span)),
                }
            }
        }
    }

    /// Where the arms of `match` and the bands of `bands` that `e` takes
    /// for this unit are written, in the order taken; an `if` follows its
    /// branch. Stops where the expression cannot be evaluated.
    pub fn branches(&mut self, e: &Expr, out: &mut Vec<Span>) {
        match &e.kind {
            ExprKind::Match {
                on,
                arms,
                otherwise,
                spans,
            } => {
                self.branches(on, out);
                let Ok(v) = self.eval(on) else { return };
                let taken = arms.iter().position(|(values, _)| values.contains(&v));
                let (arm, value) = match taken {
                    Some(i) => (i, arms.get(i).map(|a| &a.1)),
                    None => (arms.len(), otherwise.as_deref()),
                };
                out.extend(spans.get(arm));
                if let Some(value) = value {
                    self.branches(value, out);
                }
            }
            ExprKind::Bands(on, bands) => {
                self.branches(on, out);
                let Ok(x) = self.number(on) else { return };
                if let Some((iv, value)) = bands.iter().find(|(iv, _)| iv.contains(x)) {
                    out.push(Span::new(iv.span.start as usize, value.span.end as usize));
                    self.branches(value, out);
                }
            }
            ExprKind::If(c, t, f) => {
                self.branches(c, out);
                match self.boolean(c) {
                    Ok(true) => self.branches(t, out),
                    Ok(false) => self.branches(f, out),
                    Err(_) => {}
                }
            }
            ExprKind::Let(l) => {
                if let Some(def) = self.policy.lets.get(*l) {
                    self.branches(&def.expr, out);
                }
            }
            ExprKind::Neg(x) | ExprKind::Not(x) => self.branches(x, out),
            ExprKind::Binary(_, a, b) => {
                self.branches(a, out);
                self.branches(b, out);
            }
            ExprKind::Call(_, args) | ExprKind::Script(_, args) => {
                args.iter().for_each(|a| self.branches(a, out))
            }
            _ => {}
        }
    }

    /// The points of a precomputed `bands` table for `on`'s value.
    pub fn band_points(&mut self, on: &Expr, bands: &[(Interval, Num)]) -> Result<Num, EvalError> {
        let x = self.number(on)?;
        bands
            .iter()
            .find(|(iv, _)| iv.contains(x))
            .map(|(_, p)| *p)
            .ok_or(EvalError::NoBand(on.span))
    }

    fn input(&mut self, i: InputId) -> R {
        if self.cells.defaulted(i) {
            self.read_default = true;
        }
        match self.cells.value(i) {
            Value::Absent => Err(EvalError::Missing(i)),
            v => Ok(v),
        }
    }

    fn derived(&mut self, l: usize) -> R {
        if let Some(Some(done)) = self.lets.get(l) {
            return *done;
        }
        let policy = self.policy;
        let Some(def) = policy.lets.get(l) else {
            return Ok(Value::Absent);
        };
        let result = self.eval(&def.expr);
        if let Some(slot) = self.lets.get_mut(l) {
            *slot = Some(result);
        }
        result
    }

    /// The share of the inputs the unit needs (for its kind) that have a
    /// cell of their own: not blank, not filled by a `missing` rule. Text
    /// inputs do not count, nor a blank input collected `when` a condition
    /// holds (it may rightly be blank). 1 when nothing is needed.
    fn data_share(&self) -> Num {
        let kind = match self.cells {
            Cells::Data(data, u) => data.kind(u),
            Cells::Held(..) => 0,
        };
        let needed = self.policy.needed.get(kind).or(self.policy.needed.first());
        let needs = |i: usize| needed.and_then(|n| n.get(i)) == Some(&true);
        let (mut present, mut counted) = (0usize, 0usize);
        for (i, input) in self.policy.inputs.iter().enumerate() {
            if !needs(i) || input.ty == crate::ir::InputType::Text {
                continue;
            }
            let blank = self.cells.value(i) == Value::Absent || self.cells.defaulted(i);
            if blank && input.when.is_some() {
                continue;
            }
            counted += 1;
            present += usize::from(!blank);
        }
        Num::from(present)
            .checked_div(Num::from(counted))
            .unwrap_or(Num::ONE)
    }

    pub fn number(&mut self, e: &Expr) -> Result<Num, EvalError> {
        match self.eval(e)? {
            Value::Number(n) if n.is_too_large() => Err(EvalError::Overflow(e.span)),
            Value::Number(n) => Ok(n),
            Value::Bool(b) => Ok(if b { Num::ONE } else { Num::ZERO }),
            Value::Set(s) => Ok(Num::from(s.count_ones())),
            _ => Ok(Num::ZERO),
        }
    }

    pub fn boolean(&mut self, e: &Expr) -> Result<bool, EvalError> {
        match self.eval(e)? {
            Value::Bool(b) => Ok(b),
            Value::Number(n) => Ok(!n.is_zero()),
            _ => Ok(false),
        }
    }

    fn binary(&mut self, op: BinaryOp, a: &Expr, b: &Expr, span: Span) -> R {
        let arith = |x: Option<Num>| x.map(Value::Number).ok_or(EvalError::Overflow(span));
        match op {
            BinaryOp::Or => Ok(Value::Bool(self.boolean(a)? || self.boolean(b)?)),
            BinaryOp::And => Ok(Value::Bool(self.boolean(a)? && self.boolean(b)?)),
            BinaryOp::Eq => Ok(Value::Bool(self.eval(a)? == self.eval(b)?)),
            BinaryOp::Ne => Ok(Value::Bool(self.eval(a)? != self.eval(b)?)),
            BinaryOp::Contains => match (self.eval(a)?, self.eval(b)?) {
                (Value::Set(s), Value::Choice(c)) => Ok(Value::Bool(s & (1u64 << (c % 64)) != 0)),
                _ => Ok(Value::Bool(false)),
            },
            BinaryOp::Lt => Ok(Value::Bool(self.number(a)? < self.number(b)?)),
            BinaryOp::Le => Ok(Value::Bool(self.number(a)? <= self.number(b)?)),
            BinaryOp::Gt => Ok(Value::Bool(self.number(a)? > self.number(b)?)),
            BinaryOp::Ge => Ok(Value::Bool(self.number(a)? >= self.number(b)?)),
            BinaryOp::Add => arith(self.number(a)?.checked_add(self.number(b)?)),
            BinaryOp::Sub => arith(self.number(a)?.checked_sub(self.number(b)?)),
            BinaryOp::Mul => arith(self.number(a)?.checked_mul(self.number(b)?)),
            BinaryOp::Div => {
                let (x, y) = (self.number(a)?, self.number(b)?);
                if y.is_zero() {
                    return Err(EvalError::DivisionByZero(span));
                }
                arith(x.checked_div(y))
            }
        }
    }

    /// A script function of the unit's values.
    fn script(&mut self, f: usize, args: &[Expr], span: Span) -> R {
        use crate::script::Value as S;
        let mut values = Vec::with_capacity(args.len());
        for a in args {
            values.push(match self.eval(a)? {
                Value::Number(n) => S::Number(n),
                Value::Bool(b) => S::Bool(b),
                Value::Choice(c) => S::Number(Num::from(c)),
                Value::Set(s) => S::Number(Num::from(s)),
                Value::Absent => S::Blank,
            });
        }
        let failed = |why| EvalError::Script(span, f, why);
        let scripts = self.policy.scripts.as_deref();
        match scripts.ok_or(failed(Failure::Failed))?.call(f, &values) {
            Ok(S::Number(n)) => Ok(Value::Number(n)),
            Ok(S::Bool(b)) => Ok(Value::Bool(b)),
            Ok(S::Blank) => Err(failed(Failure::Returned)),
            Err(why) => Err(failed(why)),
        }
    }

    fn call(&mut self, f: Func, args: &[Expr], span: Span) -> Result<Num, EvalError> {
        let arg = |i: usize, env: &mut Self| match args.get(i) {
            Some(a) => env.number(a),
            None => Ok(Num::ZERO),
        };
        let zero = Num::ZERO;
        Ok(match f {
            Func::Min | Func::Max => {
                let mut best = arg(0, self)?;
                for i in 1..args.len() {
                    let x = arg(i, self)?;
                    best = if f == Func::Min {
                        best.min(x)
                    } else {
                        best.max(x)
                    };
                }
                best
            }
            Func::Clamp => {
                let (x, lo, hi) = (arg(0, self)?, arg(1, self)?, arg(2, self)?);
                x.max(lo).min(hi)
            }
            Func::Abs => arg(0, self)?.abs(),
            Func::Floor => arg(0, self)?.floor(),
            Func::Ceil => arg(0, self)?.ceil(),
            Func::Count => arg(0, self)?,
            Func::Ratio | Func::RatioLower => {
                let (actual, target) = (arg(0, self)?, arg(1, self)?);
                let (num, den) = if f == Func::Ratio {
                    (actual, target)
                } else {
                    (target, actual)
                };
                if den.is_zero() {
                    // Nothing was required (target 0), or nothing happened
                    // where less is better (actual 0): full marks.
                    return Ok(Num::ONE);
                }
                num.checked_div(den)
                    .ok_or(EvalError::Overflow(span))?
                    .min(Num::ONE)
                    .max(zero)
            }
            Func::Below => {
                let (x, t) = (arg(0, self)?, arg(1, self)?);
                t.checked_sub(x).ok_or(EvalError::Overflow(span))?.max(zero)
            }
            Func::Above => {
                let (x, t) = (arg(0, self)?, arg(1, self)?);
                x.checked_sub(t).ok_or(EvalError::Overflow(span))?.max(zero)
            }
            Func::Sqrt => arg(0, self)?.sqrt().ok_or(EvalError::OutOfDomain(span))?,
            Func::Pow => {
                let (x, p) = (arg(0, self)?, arg(1, self)?);
                x.pow(p).ok_or(EvalError::OutOfDomain(span))?
            }
            Func::Ln => arg(0, self)?.ln().ok_or(EvalError::OutOfDomain(span))?,
            Func::Log10 => arg(0, self)?.log10().ok_or(EvalError::OutOfDomain(span))?,
            Func::Exp => arg(0, self)?.exp().ok_or(EvalError::OutOfDomain(span))?,
        })
    }
}
