//! Signature help: inside a call's parentheses, the function's parameters
//! and what it does, the parameter being typed marked.

use super::analysis::Analysis;
use super::text::{floor_boundary, is_word};
use crate::syntax::brackets;
use crate::syntax::keywords::{FUNCTIONS, function_english};
use lsp_types::{
    Documentation, ParameterInformation, ParameterLabel, SignatureHelp, SignatureInformation,
};

impl Analysis {
    pub fn signature(&self, offset: usize) -> Option<SignatureHelp> {
        let before = self.text.get(..floor_boundary(&self.text, offset))?;
        // The innermost parenthesis still open, and the commas at its level.
        let mut open: Vec<usize> = Vec::new();
        for (at, c) in brackets(before) {
            match c {
                '(' => open.push(at),
                ')' => _ = open.pop(),
                _ => {}
            }
        }
        let paren = *open.last()?;
        let commas = top_level_commas(before.get(paren + 1..)?);
        let head = before.get(..paren)?;
        let start = head
            .char_indices()
            .rev()
            .take_while(|(_, c)| is_word(*c))
            .last()?
            .0;
        let forms = self.forms(head.get(start..)?);
        let signatures: Vec<SignatureInformation> = (forms.into_iter())
            .map(|(label, meaning)| SignatureInformation {
                parameters: Some(parameters(&label)),
                label,
                documentation: Some(Documentation::String(meaning)),
                active_parameter: None,
            })
            .collect();
        // The first form with room for the parameter being typed.
        let count = |s: &SignatureInformation| s.parameters.as_ref().map_or(0, Vec::len);
        let chosen = (signatures.iter().position(|s| count(s) > commas))
            .unwrap_or(signatures.len().saturating_sub(1));
        let active = signatures
            .get(chosen)
            .map(|s| commas.min(count(s).saturating_sub(1)));
        (!signatures.is_empty()).then(|| SignatureHelp {
            signatures,
            active_signature: u32::try_from(chosen).ok(),
            active_parameter: active.and_then(|a| u32::try_from(a).ok()),
        })
    }

    /// A function's forms as it is called here (`平均(x)`) and what each
    /// does: a built-in one (`highest(x)`, `highest(x, k)`), or a script's.
    fn forms(&self, name: &str) -> Vec<(String, String)> {
        if let Some(en) = function_english(name) {
            let text = FUNCTIONS
                .iter()
                .find(|(e, _, _)| *e == en)
                .map_or("", |f| f.2);
            let call = format!("{en}(");
            let starts: Vec<usize> = (text.match_indices(&call))
                .map(|(i, _)| i)
                .filter(|i| *i == 0 || text.get(..*i).is_some_and(|t| t.ends_with("; ")))
                .collect();
            let ends = starts.iter().skip(1).copied().chain([text.len()]);
            return (starts.iter().zip(ends))
                .filter_map(|(s, e)| text.get(*s..e))
                .map(|form| {
                    let form = form.trim_end_matches("; ");
                    let (signature, meaning) = form.split_once(": ").unwrap_or((form, ""));
                    (signature.replacen(en, name, 1), meaning.to_string())
                })
                .collect();
        }
        (self.script_functions.iter())
            .filter(|f| f.name == name)
            .map(|f| {
                (
                    format!("{}({})", f.name, f.params.join(", ")),
                    "script function".into(),
                )
            })
            .collect()
    }
}

/// The parameters of a signature (`percentile(x, p)`: x, p).
fn parameters(label: &str) -> Vec<ParameterInformation> {
    (label.split_once('(').map_or("", |(_, p)| p))
        .trim_end_matches(')')
        .split(", ")
        .filter(|p| !p.is_empty())
        .map(|p| ParameterInformation {
            label: ParameterLabel::Simple(p.to_string()),
            documentation: None,
        })
        .collect()
}

/// Commas outside any inner bracket.
fn top_level_commas(inside: &str) -> usize {
    let mut depth = 0usize;
    let mut commas = 0;
    for c in inside.chars() {
        match c {
            '(' | '[' | '{' => depth += 1,
            ')' | ']' | '}' => depth = depth.saturating_sub(1),
            ',' if depth == 0 => commas += 1,
            _ => {}
        }
    }
    commas
}
