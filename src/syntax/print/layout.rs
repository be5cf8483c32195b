//! The layout of a whole file: header, inputs, tree, parts, grades, tiers.

use super::*;
use std::fmt::Write;

impl Printer {
    pub(super) fn header(&mut self, h: &Header) {
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

    pub(super) fn setting(&self, s: &Setting) -> String {
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
            Setting::Compare(c) => {
                let how = match c {
                    Compare::Exact => self.kw("exact"),
                    Compare::Rounded => self.kw("rounded"),
                };
                format!("{} {how}", self.kw("compare"))
            }
            Setting::FailBelow(f) => format!("{} {}", self.kw("fail_below"), size(f.value)),
            Setting::Columns(cs) => {
                let cs: Vec<String> = cs
                    .iter()
                    .map(|(which, header)| format!("{} {}", name(&which.value), string(header)))
                    .collect();
                format!("{} {}", self.kw("column"), cs.join(", "))
            }
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

    pub(super) fn input(&mut self, i: &Input) {
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
        if let Some(d) = &i.per {
            let _ = write!(line, " {} {}", self.kw("per"), name(&d.value));
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
            InputType::Percent { range: None } => self.kw("percent").into(),
            InputType::Percent {
                range: Some((lo, hi)),
            } => format!("{} {}..{}", self.kw("percent"), number(*lo), number(*hi)),
            InputType::Ratio => self.kw("ratio").into(),
            InputType::Text => self.kw("text").into(),
            InputType::Choice(cs) => choices(cs),
            InputType::Set(cs) => format!("{} {}", self.kw("set"), choices(cs)),
        }
    }

    /// Code, name, points, description and clauses of a node (after its keyword).
    pub(super) fn head(&self, n: &Node, line: &mut String) {
        if let Some(c) = &n.code {
            let _ = write!(line, " #{}", c.value);
        }
        let _ = write!(line, " {}", name(&n.name.value));
        if let Some(s) = n.size {
            let _ = match s.value {
                Size::Uncapped => write!(line, " {}", self.kw("uncapped")),
                other => write!(line, " {}", size(other)),
            };
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
        if n.by_kind.is_some() {
            let _ = write!(line, " {}", self.kw("by_kind"));
        }
        if n.side.is_some() {
            let _ = write!(line, " {}", self.kw("side_total"));
        }
        if let Some(t) = n.target {
            let _ = write!(line, " {} {}", self.kw("target"), size(t.value));
        }
        if let Some(w) = n.weights {
            let how = match w.value {
                Weights::Equal => self.kw("equal"),
                Weights::Relative => self.kw("relative"),
            };
            let _ = write!(line, " {} {how}", self.kw("weights"));
        }
        if !n.allow.is_empty() {
            let lints: Vec<&str> = n.allow.iter().map(|l| l.value.as_str()).collect();
            let _ = write!(line, " {} {}", self.kw("allow"), lints.join(", "));
        }
        if let Some(m) = &n.minus {
            let _ = write!(line, " {} {}", self.kw("minus"), self.expr(m));
        }
    }

    pub(super) fn node(&mut self, n: &Node, depth: usize) {
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

    pub(super) fn rule(&self, r: &Rule_) -> String {
        let mode = match r.mode {
            RuleMode::Score => self.kw("score"),
            RuleMode::Points => self.kw("points"),
        };
        format!("{mode} {}", self.expr(&r.expr))
    }

    pub(super) fn part(&mut self, part: &Part) {
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

    pub(super) fn grades(&mut self, g: &Grades) {
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
    pub(super) fn grade(&self, g: &Grade) -> String {
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

    pub(super) fn tiers(&mut self, t: &Tiers) {
        let _ = writeln!(self.out, "{} {{", self.kw("tiers"));
        for tier in &t.tiers {
            let _ = writeln!(self.out, "  {} {}", name(&tier.name.value), self.tier(tier));
        }
        self.out.push_str("}\n");
    }

    pub(super) fn funding(&mut self, f: &Funding) {
        let (head, pool) = (self.kw("funding"), number(f.pool.value));
        let _ = writeln!(self.out, "{head} {} {pool} {{", name(&f.name.value));
        if let Some(share) = &f.share {
            let _ = writeln!(self.out, "  {} {}", self.kw("share"), name(&share.value));
        }
        if !f.grades.is_empty() {
            let factors: Vec<String> = (f.grades.iter())
                .map(|(g, x)| format!("{} {}", name(&g.value), number(x.value)))
                .collect();
            let _ = writeln!(
                self.out,
                "  {} {{ {} }}",
                self.kw("grades"),
                factors.join(", ")
            );
        }
        if let Some(cap) = f.cap {
            let _ = writeln!(self.out, "  {} {}", self.kw("cap"), number(cap.value));
        }
        self.out.push_str("}\n");
    }

    pub(super) fn tier(&self, t: &Tier) -> String {
        match (t.top, t.at_least) {
            (Some(top), _) => format!("{} {}", self.kw("top"), share(top.value)),
            (None, Some(least)) => format!("{} {}", self.kw("at_least"), number(least.value)),
            (None, None) => self.kw("rest").to_string(),
        }
    }
}

impl Printer {
    pub(super) fn uncertainty(&mut self, u: &Uncertainty) {
        let _ = writeln!(self.out, "{} {{", self.kw("uncertainty"));
        for (word, n) in [("samples", u.samples), ("seed", u.seed)] {
            if let Some(n) = n {
                let _ = writeln!(self.out, "  {} {}", self.kw(word), number(n.value));
            }
        }
        for f in &u.factors {
            let line = self.factor(&f.kind);
            let _ = writeln!(self.out, "  {line}");
        }
        self.out.push_str("}\n");
    }

    fn factor(&self, f: &FactorKind) -> String {
        let lang = self.lang;
        let bar = |xs: Vec<String>| xs.join(" | ");
        match f {
            FactorKind::Relative(nodes, spread) => format!(
                "{} {} ± {}%",
                self.kw("weights"),
                node_refs(nodes),
                number(spread.value * Num::ONE_HUNDRED)
            ),
            FactorKind::Dirichlet(nodes, c) => format!(
                "{} {} {} {}",
                self.kw("weights"),
                node_refs(nodes),
                self.kw("dirichlet"),
                number(c.value)
            ),
            FactorKind::NotApplicable(rules) => format!(
                "{} {}",
                self.kw("not_applicable"),
                bar(rules.iter().map(|r| na_rule(*r, lang)).collect())
            ),
            FactorKind::Aggregate(means) => format!(
                "{} {}",
                self.kw("aggregate"),
                bar(means.iter().map(|a| aggregate(*a, lang)).collect())
            ),
            FactorKind::LeaveOut(nodes) => {
                format!("{} {}", self.kw("leave_out"), node_refs(nodes))
            }
            FactorKind::Normalise(names) => format!(
                "{} {}",
                self.kw("normalise"),
                bar(names.iter().map(|n| name(&n.value)).collect())
            ),
        }
    }
}

fn node_refs(refs: &[NodeRef]) -> String {
    let one = |r: &NodeRef| match r {
        NodeRef::Code(c) => format!("#{}", c.value),
        NodeRef::Path(path, _) => (path.iter())
            .map(|n| name(&n.value))
            .collect::<Vec<_>>()
            .join("/"),
    };
    refs.iter().map(one).collect::<Vec<_>>().join(", ")
}
