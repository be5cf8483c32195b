//! Hover: what a name at the cursor stands for, in Markdown. A node shows
//! its path, points and share of the total, its children's subtotal, rule,
//! applicability and N/A rule, and the file that declared it; an input its
//! type, description and allowed values; a keyword or function its meaning.

use super::analysis::Analysis;
use super::index::Symbol;
use super::nodes::NodeDecl;
use super::text::{floor_boundary, is_word};
use crate::num::{Num, Rounding};
use crate::syntax::ast::{self, InputType, Size};
use crate::syntax::keywords::{FUNCTIONS, KEYWORDS};
use crate::syntax::print;
use std::fmt::Write;

impl Analysis {
    /// The hover text at a byte offset of the document.
    pub fn hover(&self, offset: usize) -> Option<String> {
        let texts: Vec<String> = self
            .symbols_at(offset)
            .into_iter()
            .filter_map(|s| self.home().describe(s).or_else(|| self.describe(s)))
            .collect();
        if texts.is_empty() {
            let word = self.word_at(offset)?;
            if let Some(f) = self.script_functions.iter().find(|f| f.name == word) {
                let signature = format!("fn {}({})", f.name, f.params.join(", "));
                return Some(format!("script function\n{}", code(&signature)));
            }
            return keyword(word);
        }
        Some(texts.join("\n\n---\n\n"))
    }

    fn describe(&self, symbol: &Symbol) -> Option<String> {
        let lang = self.lang;
        match symbol {
            Symbol::Node(i) => self.nodes.get(*i).map(|n| self.node_text(n)),
            Symbol::Input(name) => {
                let input = self
                    .all(|f| &f.inputs)
                    .find(|i| i.names.iter().any(|n| &n.value == name))?;
                let mut text = code(&print::input(input, lang));
                if let InputType::Choice(choices) | InputType::Set(choices) = &input.ty.value {
                    let choices: Vec<String> =
                        choices.iter().map(|c| format!("`{}`", c.value)).collect();
                    let _ = write!(text, "\n\nallowed values: {}", choices.join(" · "));
                }
                let span = input
                    .names
                    .iter()
                    .find(|n| &n.value == name)
                    .map(|n| n.span);
                Some(text + self.provenance(span).as_str())
            }
            Symbol::Let(name) => {
                let l = self.all(|f| &f.lets).find(|l| &l.name.value == name)?;
                let line = format!(
                    "{} {} = {}",
                    print::kw("let", lang),
                    print::name(name),
                    print::expr(&l.expr, lang)
                );
                Some(code(&line) + self.provenance(Some(l.name.span)).as_str())
            }
            Symbol::Choice(input, choice) => Some(format!("choice `{choice}` of input `{input}`")),
            Symbol::Kind(kind) => {
                let label =
                    self.all(|f| &f.header)
                        .flat_map(|h| &h.settings)
                        .find_map(|s| match &s.value {
                            ast::Setting::Kinds(kinds) => {
                                kinds.iter().find(|k| &k.name.value == kind)?.label.clone()
                            }
                            _ => None,
                        });
                Some(format!(
                    "kind of unit `{kind}`{}",
                    label.map(|l| format!(": {l}")).unwrap_or_default()
                ))
            }
            Symbol::Grade(grade) => {
                let g = self
                    .all(|f| &f.grades)
                    .flat_map(|g| &g.grades)
                    .find(|g| &g.name.value == grade)?;
                Some(code(&print::grade(g, lang)))
            }
            Symbol::Part(part) => {
                let p = self.all(|f| &f.parts).find(|p| &p.name.value == part)?;
                Some(code(&print::part_head(p, lang)) + self.provenance(Some(p.name.span)).as_str())
            }
            Symbol::Veto(veto) => {
                let v = self.all(|f| &f.vetoes).find(|v| &v.name.value == veto)?;
                Some(code(&print::veto(v, lang)) + self.provenance(Some(v.name.span)).as_str())
            }
            Symbol::Test(test) => Some(format!("test `{test}`")),
            Symbol::File(i) => {
                let (_, file) = self.sources.files().nth(*i)?;
                Some(format!("extends `{}`", file.path.display()))
            }
        }
    }

    fn node_text(&self, n: &NodeDecl) -> String {
        let mut text = format!("**{}** `{}`", n.keyword, n.path.join(" / "));
        if let Some(code) = &n.code {
            let _ = write!(text, " #{code}");
        }
        let total = self.total();
        let points = match (n.size, n.points) {
            (Some(Size::Percent(p)), Some(abs)) => format!(
                "{}% of its parent = {} points",
                print::number(p),
                print::number(abs)
            ),
            (Some(Size::Percent(p)), None) => format!("{}% of its parent", print::number(p)),
            (_, Some(abs)) => format!("{} points", print::number(abs)),
            (_, None) => String::from("no points given"),
        };
        let _ = write!(text, "\n\n- points: {points}");
        if let (Some(abs), Some(total), false) = (n.points, total, n.in_part)
            && !total.is_zero()
        {
            let share = (abs / total * Num::ONE_HUNDRED).round(2, Rounding::HalfEven);
            let _ = write!(text, " ({share}% of the total {})", print::number(total));
        }
        if let Some(subtotal) = n.subtotal {
            let _ = write!(text, "\n- children: {}", subtotal.label());
        }
        if let Some(rule) = &n.rule {
            let _ = write!(text, "\n- rule: `{rule}`");
        }
        if n.applies.is_empty() {
            text.push_str("\n- applies to: every unit");
        } else {
            let _ = write!(
                text,
                "\n- applies to: {}",
                n.applies
                    .iter()
                    .map(|a| format!("`{a}`"))
                    .collect::<Vec<_>>()
                    .join("; ")
            );
        }
        if !n.applies.is_empty() || n.na.is_some() {
            let na = n.na.as_deref().unwrap_or("not stated");
            let _ = write!(text, "\n- when not applicable: {na}");
        }
        if let Some(description) = &n.description {
            let _ = write!(text, "\n\n{description}");
        }
        text.push_str(&self.provenance(Some(n.name_span)));
        if let Some(changed) = n.changed {
            let _ = write!(text, "\n\nchanged at {}", self.sources.place(changed));
        }
        text
    }

    /// The header's total.
    fn total(&self) -> Option<Num> {
        self.all(|f| &f.header)
            .flat_map(|h| &h.settings)
            .find_map(|s| match s.value {
                ast::Setting::Total(t) => Some(t),
                _ => None,
            })
    }

    /// "defined in FILE:LINE", for what a file this one extends declares.
    fn provenance(&self, span: Option<crate::source::Span>) -> String {
        match span {
            Some(span) if !self.in_document(span) => {
                format!("\n\ndefined in {}", self.sources.place(span))
            }
            _ => String::new(),
        }
    }

    /// Declarations of the resolved policy first, then of each file.
    fn all<'a, T: 'a>(
        &'a self,
        of: impl Fn(&'a ast::File) -> &'a Vec<T>,
    ) -> impl Iterator<Item = &'a T> {
        std::iter::once(&self.resolved)
            .chain(&self.files)
            .flat_map(of)
    }

    /// The word (a name or keyword) around a byte offset.
    pub fn word_at(&self, offset: usize) -> Option<&str> {
        let offset = floor_boundary(&self.text, offset);
        let before = self.text.get(..offset)?;
        let start = before
            .char_indices()
            .rev()
            .take_while(|(_, c)| is_word(*c))
            .last()
            .map_or(offset, |(i, _)| i);
        let after = self.text.get(offset..)?;
        let end = offset
            + after
                .char_indices()
                .find(|(_, c)| !is_word(*c))
                .map_or(after.len(), |(i, _)| i);
        self.text.get(start..end).filter(|w| !w.is_empty())
    }
}

/// The meaning of a keyword or built-in function.
fn keyword(word: &str) -> Option<String> {
    let meanings: Vec<String> = KEYWORDS
        .iter()
        .filter(|(en, zh, _)| *en == word || *zh == word)
        .map(|(en, zh, what)| format!("keyword `{en}` · `{zh}`: {what}"))
        .chain(
            FUNCTIONS
                .iter()
                .filter(|(en, zh, _)| *en == word || *zh == word)
                .map(|(en, zh, what)| format!("function `{en}` · `{zh}`: {what}")),
        )
        .collect();
    (!meanings.is_empty()).then(|| meanings.join("\n\n"))
}

fn code(text: &str) -> String {
    format!("```zhibiao\n{text}\n```")
}
