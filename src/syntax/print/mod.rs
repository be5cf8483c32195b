//! Printing a syntax tree as policy text, in one canonical layout and with
//! English or Chinese keywords. `zhibiao show` prints a resolved policy with
//! it; `diff` shows rules and conditions with it, so that a change of layout
//! is never reported as a change of rule. Comments are not printed.

mod expr;
mod layout;

use super::ast::*;
use super::grammar::{Rule, ZbParser};
use super::keywords::KEYWORDS;
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
    let mut p = Printer::new(lang);
    for h in &f.header {
        p.header(h);
    }
    // Inline, a file's code too: the printed policy stands alone.
    for s in &f.scripts {
        let open = if s.code.starts_with('\n') { "" } else { "\n" };
        let close = if s.code.ends_with('\n') { "" } else { "\n" };
        let _ = writeln!(p.out, "{} {{{open}{}{close}}}", p.kw("script"), s.code);
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
    for funding in &f.funding {
        p.funding(funding);
    }
    for u in &f.uncertainty {
        p.uncertainty(u);
    }
    p.out
}

/// An expression on one line.
pub fn expr(e: &Expr, lang: Keywords) -> String {
    Printer::new(lang).expr(e)
}

/// What a node's head says after its name: points, description, clauses
/// and (for an item) its rule — as one line.
pub fn node_head(n: &Node, lang: Keywords) -> String {
    let p = Printer::new(lang);
    let mut line = String::new();
    p.head(n, &mut line);
    if let NodeBody::Item(rule) = &n.body {
        let _ = write!(line, " {}", p.rule(rule));
    }
    line.trim_start().to_string()
}

/// A node's rule: `score EXPR` or `points EXPR`.
pub fn rule(r: &Rule_, lang: Keywords) -> String {
    Printer::new(lang).rule(r)
}

pub fn veto(v: &Veto, lang: Keywords) -> String {
    let p = Printer::new(lang);
    let action = match &v.action.value {
        VetoAction::Fail => p.kw("fail").to_string(),
        VetoAction::NotScored => p.kw("not_scored").to_string(),
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
    Printer::new(lang).setting(s)
}

/// An input declaration on one line.
pub fn input(i: &Input, lang: Keywords) -> String {
    let mut p = Printer::new(lang);
    p.input(i);
    p.out.trim_end().to_string()
}

/// A bonus or deduction part's first line, without its items.
pub fn part_head(part: &Part, lang: Keywords) -> String {
    let mut p = Printer::new(lang);
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
    Printer::new(lang).grade(g)
}

/// A tier as written after its name.
pub fn tier(t: &Tier, lang: Keywords) -> String {
    Printer::new(lang).tier(t)
}

pub fn size(s: Size) -> String {
    match s {
        Size::Points(p) => number(p),
        Size::Percent(p) => format!("{}%", number(p)),
        Size::Range(lo, hi) => format!("{}..{}", number(lo), number(hi)),
        Size::Uncapped => "uncapped".into(),
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
    fn new(lang: Keywords) -> Printer {
        Printer {
            lang,
            out: String::new(),
        }
    }

    fn kw(&self, word: &str) -> &'static str {
        KEYWORDS
            .iter()
            .find(|(en, _, _)| *en == word)
            .map_or("?", |(en, zh, _)| match self.lang {
                Keywords::English => en,
                Keywords::Chinese => zh,
            })
    }
}

/// A call as written, the same however it is spelt: the English function
/// and keywords, the arguments in canonical layout (how tests name a peer
/// statistic).
pub fn call(
    f: &crate::syntax::ast::Name,
    args: &[crate::syntax::ast::Expr],
    within: Option<&crate::syntax::ast::Within>,
) -> String {
    let lang = Keywords::English;
    let args: Vec<String> = (args.iter()).map(|a| expr(a, lang)).collect();
    let group = match within {
        None => String::new(),
        Some(crate::syntax::ast::Within::Kind(_)) => " within kind".into(),
        Some(crate::syntax::ast::Within::Group(g)) => format!(" within {}", name(&g.value)),
    };
    let name = crate::syntax::keywords::function_english(&f.value).unwrap_or(&f.value);
    format!("{name}({}){group}", args.join(", "))
}
