//! `zhibiao show POLICY` (the resolved policy as one file) and
//! `zhibiao table POLICY` (the published table).

use super::check::load;
use super::output;
use crate::diagnostics::Format;
use crate::report::published;
use crate::syntax::print::{self, Keywords};
use std::path::Path;

#[derive(clap::ValueEnum, Clone, Copy, Debug)]
pub enum TableFormat {
    Markdown,
    Csv,
    /// An Excel workbook (needs `--output FILE.xlsx`).
    Xlsx,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug)]
pub enum Language {
    /// As the policy's header is written.
    Auto,
    En,
    Zh,
}

pub fn show(policy: &Path, language: Language, out: Option<&Path>, diag: Format) -> u8 {
    let loaded = match load(policy, diag) {
        Ok(l) => l,
        Err(code) => return code,
    };
    let lang = match language {
        Language::En => Keywords::English,
        Language::Zh => Keywords::Chinese,
        Language::Auto => {
            let header = loaded.syntax.header.first().map(|h| h.span);
            Keywords::of(header.map_or("", |s| loaded.sources.slice(s)))
        }
    };
    let files: Vec<String> = loaded.sources.files().map(|(_, f)| f.name()).collect();
    let mut text = format!("// {}: resolved by `zhibiao show`", files.join(" ← "));
    text.push('\n');
    text.push_str(&print::file(&loaded.syntax, lang));
    output::emit(&text, out)
}

pub fn table(policy: &Path, format: TableFormat, out: Option<&Path>, diag: Format) -> u8 {
    let loaded = match load(policy, diag) {
        Ok(l) => l,
        Err(code) => return code,
    };
    let text = match format {
        TableFormat::Markdown => published::to_markdown(&loaded.policy, &loaded.sources),
        TableFormat::Csv => published::to_csv(&loaded.policy, &loaded.sources),
        TableFormat::Xlsx => {
            let Some(out) = out else {
                eprintln!("error: a workbook is written to a file: give `--output FILE.xlsx`");
                return super::USAGE;
            };
            let (policy, sources) = (&loaded.policy, &loaded.sources);
            return output::emit_with(Some(out), |w| {
                w.write_all(&crate::report::workbook::published(policy, sources)?)
            });
        }
    };
    output::emit(&text, out)
}
