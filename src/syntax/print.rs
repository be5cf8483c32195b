//! Printing a syntax tree as policy text, in one canonical layout and with
//! English or Chinese keywords. `zhibiao show` prints a resolved policy with
//! it; `diff` shows rules and conditions with it, so that a change of layout
//! is never reported as a change of rule. Comments are not printed.

use super::ast::*;
use super::keywords::KEYWORDS;
use super::parser::{Rule, ZbParser};
use crate::num::Num;
use pest::Parser;
use std::fmt::Write;

/// Which spelling of the keywords to print.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Keywords {
    English,
    Chinese,
}

impl Keywords {
    /// The spelling a file uses, judged by its header keyword.
    pub fn of(header_text: &str) -> Keywords {
        if header_text.starts_with("policy") {
            Keywords::English
        } else {
            Keywords::Chinese
        }
    }
}

/// A keyword (given in either language) in the chosen language.
pub fn kw(word: &str, lang: Keywords) -> &str {
    KEYWORDS
        .iter()
        .find(|(en, zh, _)| *en == word || *zh == word)
        .map_or(word, |(en, zh, _)| match lang {
            Keywords::English => en,
            Keywords::Chinese => zh,
        })
}

/// The whole file.
pub fn file(f: &File, lang: Keywords) -> String {
    let mut p = Printer {
        lang,
        out: String::new(),
    };
    for h in &f.header {
        p.header(h);
    }
    for i in &f.inputs {
        p.input(i);
    }
    for l in &f.lets {
        let _ = writeln!(
            p.out,
            "{} {} = {}",
            p.kw("let"),
            name(&l.name.value),
            p.expr(&l.expr)
        );
    }
    for n in &f.tree {
        p.node(n, 0);
    }
    for part in &f.parts {
        p.part(part);
    }
    for v in &f.vetoes {
        let _ = writeln!(p.out, "{}", veto(v, lang));
    }
    for g in &f.grades {
        p.grades(g);
    }
    for t in &f.tiers {
        p.tiers(t);
    }
    p.out
}

/// An expression on one line.
pub fn expr(e: &Expr, lang: Keywords) -> String {
    Printer {
        lang,
        out: String::new(),
    }
    .expr(e)
}

/// What a node's head says after its name: points, description, clauses
/// and (for an item) its rule — as one line.
pub fn node_head(n: &Node, lang: Keywords) -> String {
    let p = Printer {
        lang,
        out: String::new(),
    };
    let mut line = String::new();
    p.head(n, &mut line);
    if let NodeBody::Item(rule) = &n.body {
        let _ = write!(line, " {}", p.rule(rule));
    }
    line.trim_start().to_string()
}

/// A node's rule: `score EXPR` or `points EXPR`.
pub fn rule(r: &Rule_, lang: Keywords) -> String {
    Printer {
        lang,
        out: String::new(),
    }
    .rule(r)
}

pub fn veto(v: &Veto, lang: Keywords) -> String {
    let p = Printer {
        lang,
        out: String::new(),
    };
    let action = match &v.action.value {
        VetoAction::Fail => p.kw("fail").to_string(),
        VetoAction::Points(n) => format!("{} {}", p.kw("points"), number(*n)),
        VetoAction::MaxGrade(g) => format!("{} {}", p.kw("max_grade"), name(&g.value)),
    };
    format!(
        "{} {} {} {} => {action}",
        p.kw("veto"),
        name(&v.name.value),
        p.kw("if"),
        p.expr(&v.condition)
    )
}

/// A header setting on one line.
pub fn setting(s: &Setting, lang: Keywords) -> String {
    Printer {
        lang,
        out: String::new(),
    }
    .setting(s)
}

/// An input declaration on one line.
pub fn input(i: &Input, lang: Keywords) -> String {
    let mut p = Printer {
        lang,
        out: String::new(),
    };
    p.input(i);
    p.out.trim_end().to_string()
}

/// A bonus or deduction part's first line, without its items.
pub fn part_head(part: &Part, lang: Keywords) -> String {
    let mut p = Printer {
        lang,
        out: String::new(),
    };
    p.part(&Part {
        items: Vec::new(),
        ..part.clone()
    });
    p.out
        .lines()
        .next()
        .unwrap_or("")
        .trim_end_matches(" {")
        .to_string()
}

pub fn interval(iv: &Interval) -> String {
    let bound = |b: Option<Num>| match b {
        None => "..".to_string(),
        Some(b) if iv.percent => format!("{}%", number(b * Num::ONE_HUNDRED)),
        Some(b) => number(b),
    };
    format!(
        "{}{}, {}{}",
        if iv.low_inclusive { "[" } else { "(" },
        bound(iv.low),
        bound(iv.high),
        if iv.high_inclusive { "]" } else { ")" }
    )
}

/// A share written as a percentage (0.2 → `20%`).
pub fn share(d: Num) -> String {
    format!("{}%", number(d * Num::ONE_HUNDRED))
}

/// A grade as written after its name: interval and quota.
pub fn grade(g: &Grade, lang: Keywords) -> String {
    Printer {
        lang,
        out: String::new(),
    }
    .grade(g)
}

/// A tier as written after its name.
pub fn tier(t: &Tier, lang: Keywords) -> String {
    Printer {
        lang,
        out: String::new(),
    }
    .tier(t)
}

pub fn size(s: Size) -> String {
    match s {
        Size::Points(p) => number(p),
        Size::Percent(p) => format!("{}%", number(p)),
    }
}

pub fn na_rule(rule: NaRule, lang: Keywords) -> String {
    let k = |w| kw(w, lang).to_string();
    match rule {
        NaRule::Rescale => k("rescale"),
        NaRule::Redistribute { proportional } => format!(
            "{} {}",
            k("redistribute"),
            k(if proportional { "proportional" } else { "even" })
        ),
        NaRule::FullMarks => k("full_marks"),
        NaRule::Zero => k("zero"),
        NaRule::Exclude => k("exclude"),
    }
}

pub fn aggregate(a: Aggregate, lang: Keywords) -> String {
    let k = |w| kw(w, lang).to_string();
    match a {
        Aggregate::Arithmetic => k("arithmetic"),
        Aggregate::Geometric => k("geometric"),
        Aggregate::Harmonic => k("harmonic"),
        Aggregate::Power(p) => format!("{} {}", k("power"), number(p)),
    }
}

pub fn number(d: Num) -> String {
    d.to_string()
}

/// A name as written in a policy: bare when the grammar reads it back as
/// a name, else quoted.
pub fn name(n: &str) -> String {
    let bare = ZbParser::parse(Rule::name, n)
        .ok()
        .and_then(|mut pairs| pairs.next())
        .is_some_and(|p| {
            p.as_str() == n && p.into_inner().next().map(|i| i.as_rule()) == Some(Rule::bare_name)
        });
    if bare {
        n.to_string()
    } else if n.contains('"') {
        format!("“{n}”")
    } else {
        format!("\"{n}\"")
    }
}

fn string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

type Rule_ = super::ast::Rule;

struct Printer {
    lang: Keywords,
    out: String,
}

impl Printer {
    fn kw(&self, word: &str) -> &'static str {
        KEYWORDS
            .iter()
            .find(|(en, _, _)| *en == word)
            .map_or("?", |(en, zh, _)| match self.lang {
                Keywords::English => en,
                Keywords::Chinese => zh,
            })
    }

    fn header(&mut self, h: &Header) {
        let mut line = format!("{} {}", self.kw("policy"), name(&h.name.value));
        if let Some(e) = &h.extends {
            let _ = write!(line, " {} {}", self.kw("extends"), string(&e.value));
        }
        let _ = writeln!(self.out, "{line} {{");
        for s in &h.settings {
            let text = self.setting(&s.value);
            let _ = writeln!(self.out, "  {text}");
        }
        self.out.push_str("}\n");
    }

    fn setting(&self, s: &Setting) -> String {
        let names = |ns: &[Name]| {
            ns.iter()
                .map(|n| name(&n.value))
                .collect::<Vec<_>>()
                .join(", ")
        };
        match s {
            Setting::Version(v) => format!("{} {}", self.kw("version"), string(v)),
            Setting::Total(t) => format!("{} {}", self.kw("total"), number(*t)),
            Setting::Precision {
                digits,
                rounding,
                per_item,
            } => {
                let mode = match rounding {
                    Rounding::HalfUp => self.kw("half_up"),
                    Rounding::HalfEven => self.kw("half_even"),
                };
                let per = if *per_item {
                    format!(" {}", self.kw("per_item"))
                } else {
                    String::new()
                };
                format!(
                    "{} {} {mode}{per}",
                    self.kw("precision"),
                    number(digits.value)
                )
            }
            Setting::Levels(ls) => format!("{} {}", self.kw("levels"), names(ls)),
            Setting::Kinds(ks) => {
                let list: Vec<String> = ks
                    .iter()
                    .map(|k| match &k.label {
                        Some(l) => format!("{} {}", name(&k.name.value), string(l)),
                        None => name(&k.name.value),
                    })
                    .collect();
                format!("{} {}", self.kw("kinds"), list.join(", "))
            }
            Setting::NotApplicable(r) => {
                format!("{} {}", self.kw("not_applicable"), na_rule(*r, self.lang))
            }
            Setting::Missing(m) => format!("{} {}", self.kw("missing"), self.missing(*m)),
            Setting::Allow(ls) => format!("{} {}", self.kw("allow"), names(ls)),
            Setting::Sources(ls) => format!("{} {}", self.kw("sources"), names(ls)),
            Setting::Rank { method, exact } => {
                let method = match method {
                    RankMethod::Competition => self.kw("competition"),
                    RankMethod::Dense => self.kw("dense"),
                    RankMethod::Ordinal => self.kw("ordinal"),
                };
                let exact = if *exact {
                    format!(" {}", self.kw("exact"))
                } else {
                    String::new()
                };
                format!("{} {method}{exact}", self.kw("rank"))
            }
        }
    }

    fn missing(&self, m: MissingRule) -> String {
        match m {
            MissingRule::Error => self.kw("error").to_string(),
            MissingRule::Zero => self.kw("zero").to_string(),
            MissingRule::Mean(false) => self.kw("mean").to_string(),
            MissingRule::Mean(true) => format!(
                "{} {} {}",
                self.kw("mean"),
                self.kw("within"),
                self.kw("kind")
            ),
            MissingRule::Reweight(None) => self.kw("reweight").to_string(),
            MissingRule::Reweight(Some(f)) => format!(
                "{} {} {}",
                self.kw("reweight"),
                self.kw("at_least"),
                share(f)
            ),
        }
    }

    fn input(&mut self, i: &Input) {
        let names: Vec<String> = i.names.iter().map(|n| name(&n.value)).collect();
        let mut line = format!(
            "{} {}: {}",
            self.kw("input"),
            names.join(", "),
            self.input_type(&i.ty.value)
        );
        if let Some(u) = &i.unit {
            let _ = write!(line, " {} {}", self.kw("unit"), string(u));
        }
        if let Some(c) = &i.column {
            let _ = write!(line, " {} {}", self.kw("column"), string(c));
        }
        if !i.sources.is_empty() {
            let shares: Vec<String> = i
                .sources
                .iter()
                .map(|(n, w)| match w {
                    Some(w) => format!("{} {}", name(&n.value), share(w.value)),
                    None => name(&n.value),
                })
                .collect();
            let _ = write!(line, " {} {}", self.kw("from"), shares.join(", "));
        }
        if let Some(w) = &i.when {
            let _ = write!(line, " {} {}", self.kw("when"), self.expr(w));
        }
        if let Some(m) = &i.missing {
            let _ = write!(line, " {} {}", self.kw("missing"), self.missing(m.value));
        }
        if let Some(d) = &i.description {
            let _ = write!(line, " {}", string(d));
        }
        let _ = writeln!(self.out, "{line}");
    }

    fn input_type(&self, t: &InputType) -> String {
        let choices = |cs: &[Name]| {
            cs.iter()
                .map(|c| name(&c.value))
                .collect::<Vec<_>>()
                .join(" | ")
        };
        match t {
            InputType::Bool => self.kw("bool").into(),
            InputType::Number { range: None } => self.kw("number").into(),
            InputType::Number {
                range: Some((lo, hi)),
            } => {
                format!("{} {}..{}", self.kw("number"), number(*lo), number(*hi))
            }
            InputType::Count => self.kw("count").into(),
            InputType::Percent => self.kw("percent").into(),
            InputType::Ratio => self.kw("ratio").into(),
            InputType::Text => self.kw("text").into(),
            InputType::Choice(cs) => choices(cs),
            InputType::Set(cs) => format!("{} {}", self.kw("set"), choices(cs)),
        }
    }

    /// Code, name, points, description and clauses of a node (after its keyword).
    fn head(&self, n: &Node, line: &mut String) {
        if let Some(c) = &n.code {
            let _ = write!(line, " #{}", c.value);
        }
        let _ = write!(line, " {}", name(&n.name.value));
        if let Some(s) = n.size {
            let _ = write!(line, " {}", size(s.value));
        }
        if let Some(d) = &n.description {
            let _ = write!(line, " {}", string(d));
        }
        if !n.kinds.is_empty() {
            let kinds: Vec<String> = n.kinds.iter().map(|k| name(&k.value)).collect();
            let _ = write!(line, " {} {}", self.kw("for"), kinds.join(", "));
        }
        if let Some(w) = &n.when {
            let _ = write!(line, " {} {}", self.kw("when"), self.expr(w));
        }
        if let Some(na) = n.na {
            let _ = write!(
                line,
                " {} {}",
                self.kw("not_applicable"),
                na_rule(na.value, self.lang)
            );
        }
        if let Some(f) = n.fail_below {
            let _ = write!(line, " {} {}", self.kw("fail_below"), size(f.value));
        }
        if let Some(a) = n.aggregate {
            let _ = write!(
                line,
                " {} {}",
                self.kw("aggregate"),
                aggregate(a.value, self.lang)
            );
        }
    }

    fn node(&mut self, n: &Node, depth: usize) {
        let indent = "  ".repeat(depth);
        let mut line = format!("{indent}{}", kw(&n.keyword.value, self.lang));
        self.head(n, &mut line);
        match &n.body {
            // A described item keeps its rule on the next line, as the
            // published table keeps content and method apart.
            NodeBody::Item(rule) if n.description.is_some() => {
                let _ = writeln!(self.out, "{line}\n{indent}  {}", self.rule(rule));
            }
            NodeBody::Item(rule) => {
                let _ = writeln!(self.out, "{line} {}", self.rule(rule));
            }
            NodeBody::Group(children) if children.is_empty() => {
                let _ = writeln!(self.out, "{line} {{}}");
            }
            NodeBody::Group(children) => {
                let _ = writeln!(self.out, "{line} {{");
                for c in children {
                    self.node(c, depth + 1);
                }
                let _ = writeln!(self.out, "{indent}}}");
            }
        }
    }

    fn rule(&self, r: &Rule_) -> String {
        let mode = match r.mode {
            RuleMode::Score => self.kw("score"),
            RuleMode::Points => self.kw("points"),
        };
        format!("{mode} {}", self.expr(&r.expr))
    }

    fn part(&mut self, part: &Part) {
        let which = match part.kind {
            PartKind::Bonus => self.kw("bonus"),
            PartKind::Deduction => self.kw("deduction"),
        };
        let mut line = format!("{which} {}", name(&part.name.value));
        if let Some(c) = part.cap {
            let _ = write!(line, " {} {}", self.kw("cap"), number(c.value));
        }
        if let Some(g) = &part.gate {
            let _ = write!(line, " {} {}", self.kw("only_if"), self.expr(g));
        }
        let _ = writeln!(self.out, "{line} {{");
        for item in &part.items {
            self.node(item, 1);
        }
        self.out.push_str("}\n");
    }

    fn grades(&mut self, g: &Grades) {
        let _ = writeln!(self.out, "{} {{", self.kw("grades"));
        for grade in &g.grades {
            let _ = writeln!(
                self.out,
                "  {} {}",
                name(&grade.name.value),
                self.grade(grade)
            );
        }
        self.out.push_str("}\n");
    }

    /// A grade's interval and quota.
    fn grade(&self, g: &Grade) -> String {
        match g.quota {
            Some(q) => format!(
                "{} {} {}",
                interval(&g.interval),
                self.kw("at_most"),
                share(q.value)
            ),
            None => interval(&g.interval),
        }
    }

    fn tiers(&mut self, t: &Tiers) {
        let _ = writeln!(self.out, "{} {{", self.kw("tiers"));
        for tier in &t.tiers {
            let _ = writeln!(self.out, "  {} {}", name(&tier.name.value), self.tier(tier));
        }
        self.out.push_str("}\n");
    }

    fn tier(&self, t: &Tier) -> String {
        match t.top {
            Some(top) => format!("{} {}", self.kw("top"), share(top.value)),
            None => self.kw("rest").to_string(),
        }
    }

    fn expr(&self, e: &Expr) -> String {
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
