//! Expressions on one line, with the fewest parentheses that read back
//! to the same tree.

use super::*;

impl Printer {
    pub(super) fn expr(&self, e: &Expr) -> String {
        self.operand(e, 0)
    }

    /// `e`, in parentheses if it binds looser than `min`.
    fn operand(&self, e: &Expr, min: u8) -> String {
        let text = match &e.kind {
            ExprKind::Number(n) => number(*n),
            ExprKind::Percent(n) => format!("{}%", number(*n * Num::ONE_HUNDRED)),
            ExprKind::Bool(b) => self.kw(if *b { "true" } else { "false" }).into(),
            ExprKind::Name(n) => name(n),
            ExprKind::Base => self.kw("base").into(),
            ExprKind::Todo => self.kw("todo").into(),
            ExprKind::Unary(UnaryOp::Neg, x) => format!("-{}", self.operand(x, NEG)),
            ExprKind::Unary(UnaryOp::Not, x) => {
                format!("{} {}", self.kw("not"), self.operand(x, NOT))
            }
            ExprKind::Binary(op, l, r) => {
                let p = precedence(*op);
                format!(
                    "{} {} {}",
                    self.operand(l, p),
                    self.op(*op),
                    self.operand(r, p + 1)
                )
            }
            ExprKind::Call(f, args, within) => {
                let args: Vec<String> = args.iter().map(|a| self.expr(a)).collect();
                let group = match within {
                    None => String::new(),
                    Some(Within::Kind(_)) => format!(" {} {}", self.kw("within"), self.kw("kind")),
                    Some(Within::Group(g)) => format!(" {} {}", self.kw("within"), name(&g.value)),
                };
                format!("{}({}){group}", f.value, args.join(", "))
            }
            ExprKind::If(c, t, f) => format!(
                "{} {} {} {} {} {}",
                self.kw("if"),
                self.expr(c),
                self.kw("then"),
                self.expr(t),
                self.kw("else"),
                self.expr(f)
            ),
            ExprKind::Match(x, arms) => {
                let arms: Vec<String> = arms
                    .iter()
                    .map(|a| {
                        let pats: Vec<String> =
                            a.patterns.iter().map(|p| self.pattern(p)).collect();
                        format!("{} => {}", pats.join(" | "), self.expr(&a.value))
                    })
                    .collect();
                format!(
                    "{} {} {{ {} }}",
                    self.kw("match"),
                    self.operand(x, PRIMARY),
                    arms.join(", ")
                )
            }
            ExprKind::InTurn(x, values, rest) => {
                let mut items: Vec<String> = values.iter().map(|v| self.expr(v)).collect();
                if let Some(r) = rest {
                    items.push(format!("{} => {}", self.kw("rest"), self.expr(r)));
                }
                format!(
                    "{} {} {{ {} }}",
                    self.kw("in_turn"),
                    self.operand(x, PRIMARY),
                    items.join(", ")
                )
            }
            ExprKind::Bands(x, bands) => {
                let bands: Vec<String> = bands
                    .iter()
                    .map(|b| format!("{} => {}", interval(&b.interval), self.expr(&b.value)))
                    .collect();
                format!(
                    "{} {} {{ {} }}",
                    self.kw("bands"),
                    self.operand(x, PRIMARY),
                    bands.join(", ")
                )
            }
        };
        if binding(e) < min {
            format!("({text})")
        } else {
            text
        }
    }

    fn pattern(&self, p: &Pattern) -> String {
        match p {
            Pattern::Wildcard(_) => "_".into(),
            Pattern::Bool(b, _) => self.kw(if *b { "true" } else { "false" }).into(),
            Pattern::Number(n, _) => number(*n),
            Pattern::Name(n) => name(&n.value),
        }
    }

    fn op(&self, op: BinaryOp) -> &'static str {
        match op {
            BinaryOp::Or => self.kw("or"),
            BinaryOp::And => self.kw("and"),
            BinaryOp::Contains => self.kw("contains"),
            BinaryOp::Eq => "==",
            BinaryOp::Ne => "!=",
            BinaryOp::Lt => "<",
            BinaryOp::Le => "<=",
            BinaryOp::Gt => ">",
            BinaryOp::Ge => ">=",
            BinaryOp::Add => "+",
            BinaryOp::Sub => "-",
            BinaryOp::Mul => "*",
            BinaryOp::Div => "/",
        }
    }
}

// Binding strength, as in the grammar's Pratt table (src/syntax/lower/expr.rs).
const NOT: u8 = 3;
const NEG: u8 = 8;
const PRIMARY: u8 = 9;

fn precedence(op: BinaryOp) -> u8 {
    match op {
        BinaryOp::Or => 1,
        BinaryOp::And => 2,
        BinaryOp::Eq | BinaryOp::Ne | BinaryOp::Lt | BinaryOp::Le | BinaryOp::Gt | BinaryOp::Ge => {
            4
        }
        BinaryOp::Contains => 5,
        BinaryOp::Add | BinaryOp::Sub => 6,
        BinaryOp::Mul | BinaryOp::Div => 7,
    }
}

fn binding(e: &Expr) -> u8 {
    match &e.kind {
        ExprKind::Binary(op, _, _) => precedence(*op),
        ExprKind::Unary(UnaryOp::Not, _) => NOT,
        ExprKind::Unary(UnaryOp::Neg, _) => NEG,
        // `if` reads to the end of the expression: parenthesise it anywhere
        // but at the top.
        ExprKind::If(..) => 0,
        ExprKind::Number(n) if n.is_negative() => NEG,
        _ => PRIMARY,
    }
}
