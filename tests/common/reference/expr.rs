//! Expressions, by recursion, over big rationals.

use super::*;

pub(super) fn values(data: &Dataset, u: usize) -> Vec<V> {
    data.values(u).into_iter().map(v).collect()
}

pub(super) struct Env<'a> {
    pub(super) policy: &'a Policy,
    pub(super) values: Vec<V>,
    pub(super) lets: HashMap<usize, R<V>>,
    pub(super) peers: Vec<R<V>>,
    pub(super) before: Option<Before>,
    pub(super) base: Q,
}

impl Env<'_> {
    pub(super) fn number(&mut self, e: &Expr) -> R<Q> {
        Ok(match self.eval(e)? {
            V::Num(x) => x,
            V::Bool(b) => int(i64::from(b)),
            V::Set(s) => int(i64::from(s.count_ones())),
            _ => Q::zero(),
        })
    }

    pub(super) fn boolean(&mut self, e: &Expr) -> R<bool> {
        Ok(match self.eval(e)? {
            V::Bool(b) => b,
            V::Num(x) => !x.is_zero(),
            _ => false,
        })
    }

    pub(super) fn eval(&mut self, e: &Expr) -> R<V> {
        Ok(match &e.kind {
            ExprKind::Const(c) => v(*c),
            ExprKind::Input(i) => match self.values.get(*i) {
                Some(V::Absent) | None => return Err(Failed),
                Some(x) => x.clone(),
            },
            ExprKind::Let(l) => {
                if let Some(done) = self.lets.get(l) {
                    return done.clone();
                }
                let policy = self.policy;
                let result = self.eval(&policy.lets[*l].expr);
                let copy = result.clone();
                self.lets.insert(*l, result);
                copy?
            }
            ExprKind::Base => V::Num(self.base.clone()),
            ExprKind::Neg(x) => V::Num(-self.number(x)?),
            ExprKind::Not(x) => V::Bool(!self.boolean(x)?),
            ExprKind::Binary(op, a, b) => self.binary(*op, a, b)?,
            ExprKind::Call(f, args) => V::Num(self.call(*f, args)?),
            ExprKind::If(c, t, f) => {
                if self.boolean(c)? {
                    self.eval(t)?
                } else {
                    self.eval(f)?
                }
            }
            ExprKind::Match {
                on,
                arms,
                otherwise,
                ..
            } => {
                let x = self.eval(on)?;
                for (patterns, value) in arms {
                    if patterns.iter().any(|p| v(*p) == x) {
                        return self.eval(value);
                    }
                }
                match otherwise {
                    Some(o) => self.eval(o)?,
                    None => return Err(Failed),
                }
            }
            ExprKind::Bands(on, bands) => {
                let x = self.number(on)?;
                match bands.iter().find(|(iv, _)| contains(iv, &x)) {
                    Some((_, value)) => self.eval(value)?,
                    None => return Err(Failed),
                }
            }
            ExprKind::Peer(p) => self.peers.get(*p).cloned().unwrap_or(Err(Failed))?,
            ExprKind::NodeScore(_) => return Err(Failed),
            ExprKind::IsBlank(_) => panic!("is_blank is not covered: no shipped policy uses it"),
            ExprKind::Script(..) => panic!("scripts are not covered: no shipped policy uses one"),
            ExprKind::DataShare => panic!("data_share is not covered: no shipped policy uses it"),
            ExprKind::Previous(x) => {
                let (values, _, _) = self.before.clone().ok_or(Failed)?;
                let mut then = Env {
                    policy: self.policy,
                    values,
                    lets: HashMap::new(),
                    peers: Vec::new(),
                    before: None,
                    base: Q::zero(),
                };
                then.eval(x)?
            }
            ExprKind::PreviousScore => V::Num(self.before.as_ref().ok_or(Failed)?.1.clone()),
            ExprKind::PreviousRank => {
                V::Num(int(
                    self.before.as_ref().and_then(|b| b.2).ok_or(Failed)? as i64
                ))
            }
            ExprKind::HasPrevious => V::Bool(self.before.is_some()),
        })
    }

    fn binary(&mut self, op: BinaryOp, a: &Expr, b: &Expr) -> R<V> {
        Ok(match op {
            BinaryOp::Or => V::Bool(self.boolean(a)? || self.boolean(b)?),
            BinaryOp::And => V::Bool(self.boolean(a)? && self.boolean(b)?),
            BinaryOp::Eq => V::Bool(self.eval(a)? == self.eval(b)?),
            BinaryOp::Ne => V::Bool(self.eval(a)? != self.eval(b)?),
            BinaryOp::Contains => match (self.eval(a)?, self.eval(b)?) {
                (V::Set(s), V::Choice(c)) => V::Bool(s >> (c % 64) & 1 == 1),
                _ => V::Bool(false),
            },
            BinaryOp::Lt => V::Bool(self.number(a)? < self.number(b)?),
            BinaryOp::Le => V::Bool(self.number(a)? <= self.number(b)?),
            BinaryOp::Gt => V::Bool(self.number(a)? > self.number(b)?),
            BinaryOp::Ge => V::Bool(self.number(a)? >= self.number(b)?),
            BinaryOp::Add => V::Num(self.number(a)? + self.number(b)?),
            BinaryOp::Sub => V::Num(self.number(a)? - self.number(b)?),
            BinaryOp::Mul => V::Num(self.number(a)? * self.number(b)?),
            BinaryOp::Div => {
                let (x, y) = (self.number(a)?, self.number(b)?);
                if y.is_zero() {
                    return Err(Failed);
                }
                V::Num(x / y)
            }
        })
    }

    fn call(&mut self, f: Func, args: &[Expr]) -> R<Q> {
        let mut xs = Vec::new();
        for a in args {
            xs.push(self.number(a)?);
        }
        let x = |i: usize| xs.get(i).cloned().unwrap_or_else(Q::zero);
        Ok(match f {
            Func::Min => xs.iter().min().cloned().unwrap_or_else(Q::zero),
            Func::Max => xs.iter().max().cloned().unwrap_or_else(Q::zero),
            Func::Clamp => x(0).max(x(1)).min(x(2)),
            Func::Abs => x(0).abs(),
            Func::Floor => x(0).floor(),
            Func::Ceil => x(0).ceil(),
            Func::Count => x(0),
            Func::Ratio | Func::RatioLower => {
                let (num, den) = if f == Func::Ratio {
                    (x(0), x(1))
                } else {
                    (x(1), x(0))
                };
                if den.is_zero() {
                    Q::one()
                } else {
                    (num / den).min(Q::one()).max(Q::zero())
                }
            }
            Func::Below => (x(1) - x(0)).max(Q::zero()),
            Func::Above => (x(0) - x(1)).max(Q::zero()),
            Func::Sqrt | Func::Pow | Func::Ln | Func::Log10 | Func::Exp => {
                panic!("{f:?} is not covered: no shipped policy uses it")
            }
        })
    }
}
