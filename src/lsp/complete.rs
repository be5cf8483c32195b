//! Completion, by what the cursor follows: node paths and codes after
//! `change`, `remove`, `rename`, `move`, `to` and `expect`; kinds after
//! `for`; grades after `max_grade`; input types after `:`; in an expression
//! (after `score`, `points`, an operator ...) only what an expression names —
//! choice values inside a `match` on a choice input, inputs, derived values,
//! functions and expression keywords; after a node's points its rule and
//! clause keywords; at the start of a line in a category the node keywords,
//! in the header the settings (see `context.rs`); otherwise every keyword in
//! both languages, inputs, derived values and functions.

use super::analysis::Analysis;
use super::context::{self, Context, context};
use super::nodes::NodeDecl;
use super::text::{floor_boundary, is_word};
use crate::syntax::ast::{self, InputType};
use crate::syntax::keywords::{self, FUNCTIONS, KEYWORDS};
use lsp_types::{CompletionItem, CompletionItemKind, CompletionTextEdit, TextEdit};

const TYPES: &[&str] = &["bool", "number", "count", "percent", "ratio", "text", "set"];

impl Analysis {
    pub fn complete(&self, offset: usize) -> Vec<CompletionItem> {
        let offset = floor_boundary(&self.text, offset);
        let before = self.text.get(..offset).unwrap_or("");
        let line = before.rsplit('\n').next().unwrap_or("");
        // The token being typed: a name, or a node path or code.
        let token = line
            .char_indices()
            .rev()
            .take_while(|(_, c)| is_word(*c) || matches!(c, '/' | '#' | '.' | '-'))
            .last()
            .map_or(line.len(), |(i, _)| i);
        let ahead = line.get(..token).unwrap_or("").trim_end();
        let previous = ahead
            .rsplit(|c: char| !is_word(c))
            .next()
            .and_then(keywords::english)
            .unwrap_or("");
        let first = line.split_whitespace().next().and_then(keywords::english);
        let start = offset - (line.len() - token);
        let paths = |items: &mut Vec<CompletionItem>| self.node_paths(start, offset, items);
        let mut items = Vec::new();
        match previous {
            "change" | "remove" | "rename" | "move" | "to" => paths(&mut items),
            "expect" => {
                paths(&mut items);
                words(
                    &["score", "grade", "veto", "not", "not_applicable"],
                    &mut items,
                );
            }
            "not_applicable" if first == Some("expect") => paths(&mut items),
            "for" => self.kinds(&mut items),
            "max_grade" => self.grades(&mut items),
            "within" => {
                words(&["kind"], &mut items);
                self.inputs(&mut items);
            }
            "given" => self.inputs(&mut items),
            _ if ahead.ends_with(':') => words(TYPES, &mut items),
            _ => match context(before, ahead, previous, first) {
                Context::Rule => words(&[context::RULE, context::CLAUSE].concat(), &mut items),
                Context::Node => words(&[context::NODE, context::CLAUSE].concat(), &mut items),
                Context::Setting => words(context::SETTING, &mut items),
                Context::Expression => {
                    self.expression(before, &mut items);
                    words(context::IN_EXPRESSION, &mut items);
                }
                Context::Anywhere => {
                    self.expression(before, &mut items);
                    for (en, zh, what) in KEYWORDS {
                        for name in [en, zh] {
                            items.push(item(name, CompletionItemKind::KEYWORD, what));
                        }
                    }
                }
            },
        }
        let mut seen = std::collections::HashSet::new();
        items.retain(|i| seen.insert((i.label.clone(), format!("{:?}", i.kind))));
        items
    }

    /// What an expression may name: the choices of the input being matched,
    /// inputs, derived values and functions.
    fn expression(&self, before: &str, items: &mut Vec<CompletionItem>) {
        if let Some(input) = self.matched_input(before) {
            self.choices(input, items);
        }
        self.inputs(items);
        self.lets(items);
        for f in &self.script_functions {
            let what = format!("script function ({})", f.params.join(", "));
            items.push(item(&f.name, CompletionItemKind::FUNCTION, &what));
        }
        for (en, zh, what) in FUNCTIONS {
            for name in [en, zh] {
                items.push(item(name, CompletionItemKind::FUNCTION, what));
            }
        }
    }

    /// Node paths and codes, replacing the whole path typed so far.
    fn node_paths(&self, start: usize, end: usize, items: &mut Vec<CompletionItem>) {
        let range = self.lines().range(start, end);
        let nodes = self.nodes.iter().filter(|n| !n.in_part);
        for n in nodes {
            let detail = detail(n);
            let mut labels = vec![n.path.join("/")];
            labels.extend(n.code.as_ref().map(|c| format!("#{c}")));
            for label in labels {
                items.push(CompletionItem {
                    text_edit: Some(CompletionTextEdit::Edit(TextEdit::new(
                        range,
                        label.clone(),
                    ))),
                    filter_text: Some(label.clone()),
                    ..item(&label, CompletionItemKind::MODULE, &detail)
                });
            }
        }
    }

    fn inputs(&self, items: &mut Vec<CompletionItem>) {
        for input in &self.declared().inputs {
            for name in &input.names {
                let what = input.description.as_deref().unwrap_or("input");
                items.push(item(&name.value, CompletionItemKind::VARIABLE, what));
            }
        }
    }

    fn lets(&self, items: &mut Vec<CompletionItem>) {
        for l in &self.declared().lets {
            items.push(item(
                &l.name.value,
                CompletionItemKind::VARIABLE,
                "derived value",
            ));
        }
    }

    fn kinds(&self, items: &mut Vec<CompletionItem>) {
        let settings = self.declared().header.iter().flat_map(|h| &h.settings);
        for setting in settings {
            if let ast::Setting::Kinds(kinds) = &setting.value {
                for kind in kinds {
                    let what = kind.label.as_deref().unwrap_or("kind of unit");
                    items.push(item(&kind.name.value, CompletionItemKind::CLASS, what));
                }
            }
        }
    }

    fn grades(&self, items: &mut Vec<CompletionItem>) {
        for grade in self.declared().grades.iter().flat_map(|g| &g.grades) {
            items.push(item(
                &grade.name.value,
                CompletionItemKind::ENUM_MEMBER,
                "grade",
            ));
        }
    }

    fn choices(&self, input: &str, items: &mut Vec<CompletionItem>) {
        let inputs = &self.declared().inputs;
        let Some(input) = inputs
            .iter()
            .find(|i| i.names.iter().any(|n| n.value == input))
        else {
            return;
        };
        if let InputType::Choice(choices) | InputType::Set(choices) = &input.ty.value {
            for choice in choices {
                items.push(CompletionItem {
                    sort_text: Some(format!("0{}", choice.value)),
                    ..item(&choice.value, CompletionItemKind::ENUM_MEMBER, "choice")
                });
            }
        }
    }

    /// The resolved policy, or the document's own tree when the policy it
    /// extends cannot be read.
    fn declared(&self) -> &ast::File {
        match self.files.first() {
            Some(own) if self.resolved.header.is_empty() => own,
            _ => &self.resolved,
        }
    }

    /// The input of the `match` whose braces the cursor is inside.
    fn matched_input<'t>(&self, before: &'t str) -> Option<&'t str> {
        let mut depth = 0;
        let open = before.char_indices().rev().find(|(_, c)| match c {
            '}' => {
                depth += 1;
                false
            }
            '{' if depth == 0 => true,
            '{' => {
                depth -= 1;
                false
            }
            _ => false,
        })?;
        let head = before.get(..open.0)?.trim_end();
        let mut words = head.rsplit(|c: char| c.is_whitespace());
        let input = words.next()?;
        let keyword = words.find(|w| !w.is_empty())?;
        (keywords::english(keyword) == Some("match")).then_some(input)
    }
}

fn words(english: &[&str], items: &mut Vec<CompletionItem>) {
    for (en, zh, what) in KEYWORDS.iter().filter(|(en, _, _)| english.contains(en)) {
        for name in [en, zh] {
            items.push(item(name, CompletionItemKind::KEYWORD, what));
        }
    }
}

fn detail(n: &NodeDecl) -> String {
    let points = n
        .points
        .map(|p| format!(" {}", crate::syntax::print::number(p)));
    format!("{}{}", n.keyword, points.unwrap_or_default())
}

fn item(label: &str, kind: CompletionItemKind, detail: &str) -> CompletionItem {
    CompletionItem {
        label: label.to_string(),
        kind: Some(kind),
        detail: Some(detail.to_string()),
        ..CompletionItem::default()
    }
}
