//! Diagnostics: what every phase reports about a policy or its data, and how
//! it is rendered (human, plain or JSON). Depends only on `source`.
//!
//! A [`Diagnostic`] is plain data (code, severity, message, labels, help);
//! rendering goes through miette, kept behind this one module.

mod snippet;

use crate::source::{SourceFile, Sources, Span};
use serde::Serialize;
use snippet::Snippets;
use std::collections::HashMap;
use std::sync::Arc;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Label {
    pub span: Span,
    pub message: String,
}

/// One problem found in a policy (or in the data read for it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Stable code such as `zhibiao::check::unknown_name`; for warnings the
    /// lint name (`unused_input`) follows the last `::`.
    pub code: &'static str,
    pub severity: Severity,
    pub message: String,
    pub labels: Vec<Label>,
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn error(code: &'static str, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            code,
            severity: Severity::Error,
            message: message.into(),
            labels: Vec::new(),
            help: None,
        }
    }

    pub fn warning(code: &'static str, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(code, message)
        }
    }

    pub fn label(mut self, span: Span, message: impl Into<String>) -> Diagnostic {
        self.labels.push(Label {
            span,
            message: message.into(),
        });
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(help.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// The short name a policy uses to silence this warning.
    pub fn lint_name(&self) -> &'static str {
        self.code.rsplit("::").next().unwrap_or(self.code)
    }

    fn first_offset(&self) -> u32 {
        self.labels.first().map_or(0, |l| l.span.start)
    }
}

/// `unknown <what> `name`` under `code`, with a suggestion among
/// `candidates`: the closest if one is close enough to be a typo, else all
/// of them when they are few.
pub fn unknown<'a>(
    code: &'static str,
    what: &str,
    name: &str,
    span: Span,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Diagnostic {
    let candidates: Vec<&str> = candidates.into_iter().collect();
    let help = match closest(name, candidates.iter().copied()) {
        Some(c) => format!("did you mean `{c}`?"),
        None if candidates.is_empty() => format!("no {what} is declared"),
        None if candidates.len() <= 8 => format!("known: {}", candidates.join(", ")),
        None => format!("declare it, or check the spelling against the {what}s declared"),
    };
    Diagnostic::error(code, format!("unknown {what} `{name}`"))
        .label(span, "not declared")
        .help(help)
}

/// For "did you mean": the closest candidate to `name`, if one is close enough to be a typo.
pub fn closest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let len = name.chars().count().max(1) as f64;
    candidates
        .into_iter()
        .map(|c| (strsim::levenshtein(name, c), c))
        .filter(|(d, c)| (*d as f64) / len.max(c.chars().count() as f64) <= 0.5 && *d > 0)
        .min_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(b.1)))
        .map(|(_, c)| c)
}

/// How diagnostics are shown (`--error-format`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// Colours and Unicode boxes when writing to a terminal.
    #[default]
    Human,
    /// One line per problem and per label, as compilers write them
    /// (`FILE:LINE:COLUMN: error[CODE]: MESSAGE`), then the help: for logs,
    /// editors' problem matchers and grep.
    Plain,
    /// The human layout in ASCII, without colour (the tests' snapshots).
    Ascii,
    /// One JSON object per line.
    Json,
}

/// Sorts diagnostics by position, errors first at the same position, so that
/// output does not depend on the order the checks ran in.
pub fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| {
        (a.first_offset(), a.severity, a.code, &a.message).cmp(&(
            b.first_offset(),
            b.severity,
            b.code,
            &b.message,
        ))
    });
}

/// Renders diagnostics to a string. Labels may point into any of the
/// policy's files (a derived policy and those it extends).
pub fn render(
    sources: &Sources,
    diagnostics: &[Diagnostic],
    format: Format,
    color: bool,
) -> String {
    let mut out = String::new();
    let mut files = HashMap::new();
    for d in diagnostics {
        match format {
            Format::Json => {
                out.push_str(&to_json(sources, d).to_string());
                out.push('\n');
            }
            Format::Plain => out.push_str(&render_plain(sources, d)),
            Format::Human | Format::Ascii => {
                let unicode = format == Format::Human;
                out.push_str(&render_graphical(sources, &mut files, d, unicode, color));
            }
        }
    }
    out
}

/// The labels of a diagnostic grouped by file, in order of first mention
/// (the file of the first label first).
fn by_file<'s, 'd>(
    sources: &'s Sources,
    d: &'d Diagnostic,
) -> Vec<(&'s SourceFile, Vec<(Span, &'d str)>)> {
    let mut groups: Vec<(&SourceFile, Vec<(Span, &str)>)> = Vec::new();
    for l in &d.labels {
        let Some((file, local)) = sources.locate(l.span) else {
            continue;
        };
        match groups.iter_mut().find(|(f, _)| std::ptr::eq(*f, file)) {
            Some((_, labels)) => labels.push((local, &l.message)),
            None => groups.push((file, vec![(local, &l.message)])),
        }
    }
    if groups.is_empty()
        && let Some(main) = sources.main()
    {
        groups.push((main, Vec::new()));
    }
    groups
}

/// Each file's text for snippets, shared by all its diagnostics.
type Files = HashMap<*const SourceFile, Arc<Snippets>>;

fn render_graphical(
    sources: &Sources,
    files: &mut Files,
    d: &Diagnostic,
    unicode: bool,
    color: bool,
) -> String {
    let mut out = String::new();
    for (i, (file, labels)) in by_file(sources, d).into_iter().enumerate() {
        let severity = match (i, d.severity) {
            (0, Severity::Error) => miette::Severity::Error,
            (0, Severity::Warning) => miette::Severity::Warning,
            _ => miette::Severity::Advice,
        };
        let mut diag = if i == 0 {
            let mut diag = miette::MietteDiagnostic::new(d.message.clone()).with_code(d.code);
            if let Some(help) = &d.help {
                diag = diag.with_help(help.clone());
            }
            diag
        } else {
            miette::MietteDiagnostic::new(format!("see also {}", file.name()))
        };
        diag = diag.with_severity(severity);
        if labels.iter().any(|(span, _)| on_long_line(file, *span)) {
            // A snippet this wide is unreadable (and past what miette can lay out).
            out.push_str(&render_one(diag, files, file, unicode, color));
            out.push_str(&locations(file, &labels));
            continue;
        }
        diag = diag.with_labels(miette_labels(&labels, i == 0));
        out.push_str(&render_one(diag, files, file, unicode, color));
    }
    out
}

/// Lines longer than this many characters are not shown as snippets.
const LONG_LINE: usize = 1000;

fn on_long_line(file: &SourceFile, span: Span) -> bool {
    let at = (span.start as usize).min(file.text.len());
    let start = file
        .text
        .get(..at)
        .and_then(|t| t.rfind('\n'))
        .map_or(0, |n| n + 1);
    let line = file.text.get(start..).unwrap_or("");
    line.split('\n')
        .next()
        .unwrap_or("")
        .chars()
        .nth(LONG_LINE)
        .is_some()
}

/// Labels as `file:line:column: message` lines, for snippets too wide to show.
fn locations(file: &SourceFile, labels: &[(Span, &str)]) -> String {
    let mut out = String::new();
    for (span, message) in labels {
        let (line, column) = file.line_col(span.start);
        out.push_str(&format!(
            "  --> {}:{line}:{column}: {message}\n",
            file.name()
        ));
    }
    out.push('\n');
    out
}

fn miette_labels(labels: &[(Span, &str)], primary: bool) -> Vec<miette::LabeledSpan> {
    labels
        .iter()
        .enumerate()
        .map(|(i, (span, message))| {
            let at = (span.start as usize, span.len());
            let text = (!message.is_empty()).then(|| (*message).to_string());
            if i == 0 && primary {
                miette::LabeledSpan::new_primary_with_span(text, at)
            } else {
                miette::LabeledSpan::new_with_span(text, at)
            }
        })
        .collect()
}

fn render_one(
    diag: miette::MietteDiagnostic,
    files: &mut Files,
    file: &SourceFile,
    unicode: bool,
    color: bool,
) -> String {
    use miette::{GraphicalReportHandler, GraphicalTheme};
    let fallback = format!(
        "{}: {}\n",
        diag.code.clone().unwrap_or_default(),
        diag.message
    );
    let source = files
        .entry(std::ptr::from_ref(file))
        .or_insert_with(|| Snippets::new(file));
    let report = miette::Report::new(diag).with_source_code(Arc::clone(source));
    let theme = match (unicode, color) {
        (true, true) => GraphicalTheme::unicode(),
        (true, false) => GraphicalTheme::unicode_nocolor(),
        (false, _) => GraphicalTheme::none(),
    };
    let mut out = String::new();
    let handler = GraphicalReportHandler::new_themed(theme).with_width(100);
    if handler.render_report(&mut out, report.as_ref()).is_err() {
        out = fallback;
    }
    out.push('\n');
    out
}

/// A diagnostic as lines: where and what, each other label as a note,
/// then the help.
fn render_plain(sources: &Sources, d: &Diagnostic) -> String {
    let at = |span: Span| -> Option<String> {
        let (file, local) = sources.locate(span)?;
        let (line, column) = file.line_col(local.start);
        Some(format!("{}:{line}:{column}", file.name()))
    };
    let severity = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let mut labels = d
        .labels
        .iter()
        .filter_map(|l| Some((at(l.span)?, &l.message)));
    let first = labels.next();
    let place = first
        .as_ref()
        .map(|(p, _)| p.clone())
        .or_else(|| sources.main().map(|f| f.name()));
    let mut out = match place {
        Some(place) => format!("{place}: {severity}[{}]: {}\n", d.code, d.message),
        None => format!("{severity}[{}]: {}\n", d.code, d.message),
    };
    for (place, message) in first.into_iter().chain(labels) {
        if !message.is_empty() {
            out.push_str(&format!("{place}: note: {message}\n"));
        }
    }
    if let Some(help) = &d.help {
        out.push_str(&format!("  help: {help}\n"));
    }
    out
}

/// The machine form of a diagnostic: positions as file, 1-based line and
/// column.
pub fn to_json(sources: &Sources, d: &Diagnostic) -> serde_json::Value {
    let labels: Vec<_> = d
        .labels
        .iter()
        .filter_map(|l| {
            let (file, local) = sources.locate(l.span)?;
            let (line, column) = file.line_col(local.start);
            Some(serde_json::json!({
                "file": file.name(),
                "message": l.message,
                "line": line,
                "column": column,
                "text": file.slice(local),
                "start": local.start,
                "end": local.end,
            }))
        })
        .collect();
    let file = by_file(sources, d).first().map(|(f, _)| f.name());
    serde_json::json!({
        "file": file,
        "code": d.code,
        "severity": d.severity,
        "message": d.message,
        "labels": labels,
        "help": d.help,
    })
}
