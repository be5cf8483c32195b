//! Diagnostics: what every phase reports about a policy or its data, and how
//! it is rendered (human, plain or JSON). Depends only on `source`.
//!
//! A [`Diagnostic`] is plain data (code, severity, message, labels, help);
//! rendering goes through miette, kept behind this one module.

use crate::source::{SourceFile, Span};
use serde::Serialize;

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

/// How diagnostics are shown (`--error-format`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// Colours and Unicode boxes when writing to a terminal.
    #[default]
    Human,
    /// The same layout, without colour, in ASCII.
    Plain,
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

/// Renders diagnostics of one file to a string.
pub fn render(
    file: &SourceFile,
    diagnostics: &[Diagnostic],
    format: Format,
    color: bool,
) -> String {
    let mut out = String::new();
    for d in diagnostics {
        match format {
            Format::Json => {
                out.push_str(&to_json(file, d).to_string());
                out.push('\n');
            }
            Format::Human | Format::Plain => {
                out.push_str(&render_graphical(file, d, format == Format::Human, color));
            }
        }
    }
    out
}

fn render_graphical(file: &SourceFile, d: &Diagnostic, unicode: bool, color: bool) -> String {
    use miette::{
        GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteDiagnostic, NamedSource,
    };
    let labels = d.labels.iter().enumerate().map(|(i, l)| {
        let span = (l.span.start as usize, l.span.len());
        let text = (!l.message.is_empty()).then(|| l.message.clone());
        if i == 0 {
            LabeledSpan::new_primary_with_span(text, span)
        } else {
            LabeledSpan::new_with_span(text, span)
        }
    });
    let mut diag = MietteDiagnostic::new(d.message.clone())
        .with_code(d.code)
        .with_severity(match d.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
        })
        .with_labels(labels);
    if let Some(help) = &d.help {
        diag = diag.with_help(help.clone());
    }
    let report = miette::Report::new(diag).with_source_code(
        NamedSource::new(file.name(), file.text.clone()).with_language("zhibiao"),
    );
    let theme = match (unicode, color) {
        (true, true) => GraphicalTheme::unicode(),
        (true, false) => GraphicalTheme::unicode_nocolor(),
        (false, _) => GraphicalTheme::none(),
    };
    let mut out = String::new();
    let handler = GraphicalReportHandler::new_themed(theme).with_width(100);
    if handler.render_report(&mut out, report.as_ref()).is_err() {
        out = format!("{}: {}\n", d.code, d.message);
    }
    out.push('\n');
    out
}

/// The machine form of a diagnostic: positions as 1-based line and column.
pub fn to_json(file: &SourceFile, d: &Diagnostic) -> serde_json::Value {
    let labels: Vec<_> = d
        .labels
        .iter()
        .map(|l| {
            let (line, column) = file.line_col(l.span.start);
            serde_json::json!({
                "message": l.message,
                "line": line,
                "column": column,
                "text": file.slice(l.span),
                "start": l.span.start,
                "end": l.span.end,
            })
        })
        .collect();
    serde_json::json!({
        "file": file.name(),
        "code": d.code,
        "severity": d.severity,
        "message": d.message,
        "labels": labels,
        "help": d.help,
    })
}
