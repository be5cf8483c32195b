//! A policy file as miette reads it for a snippet. miette finds a span's
//! lines by scanning the text from its start, and the report owns its
//! source: for a file with many diagnostics both are quadratic (100,000
//! warnings took minutes). Here the text is shared, its lines are indexed
//! once, and miette scans only a window of lines around the span; line
//! numbers and counts are shifted so the snippet is the one miette would
//! have drawn from the whole file.

use crate::source::SourceFile;
use miette::{MietteError, MietteSpanContents, SourceCode, SourceSpan, SpanContents};
use std::sync::Arc;

pub struct Snippets {
    name: String,
    text: String,
    /// Where each line starts (after each `\n`).
    starts: Vec<usize>,
    /// A `\r` alone also ends a line for miette: then the whole text is scanned.
    lone_cr: bool,
}

impl Snippets {
    pub fn new(file: &SourceFile) -> Arc<Snippets> {
        let text = file.text.clone();
        let starts = file.line_starts().to_vec();
        let lone_cr = (text.match_indices('\r'))
            .any(|(i, _)| text.get(i + 1..).is_some_and(|r| !r.starts_with('\n')));
        Arc::new(Snippets {
            name: file.name(),
            text,
            starts,
            lone_cr,
        })
    }

    fn line_of(&self, offset: usize) -> usize {
        self.starts
            .partition_point(|s| *s <= offset)
            .saturating_sub(1)
    }
}

impl SourceCode for Snippets {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let bytes = self.text.as_bytes();
        let (first, window) = if self.lone_cr {
            (0, bytes)
        } else {
            let first = self.line_of(span.offset()).saturating_sub(before + 1);
            let last = self.line_of(span.offset() + span.len()) + after + 2;
            let start = self.starts.get(first).copied().unwrap_or(0);
            let end = self.starts.get(last).copied().unwrap_or(bytes.len());
            (first, bytes.get(start..end).unwrap_or_default())
        };
        let base = self.starts.get(first).copied().unwrap_or(0);
        let local = SourceSpan::from((span.offset().saturating_sub(base), span.len()));
        let inner = window.read_span(&local, before, after)?;
        let contents = MietteSpanContents::new_named(
            self.name.clone(),
            inner.data(),
            SourceSpan::from((inner.span().offset() + base, inner.span().len())),
            inner.line() + first,
            inner.column(),
            inner.line_count() + first,
        )
        .with_language("zhibiao");
        Ok(Box::new(contents))
    }
}
