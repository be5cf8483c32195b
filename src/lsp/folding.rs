//! Folding ranges (every block written over several lines, and runs of
//! comment lines) and document links (the files `extends` and `script` name).

use super::analysis::Analysis;
use super::uri;
use crate::syntax::brackets;
use lsp_types::{DocumentLink, FoldingRange, FoldingRangeKind};

impl Analysis {
    pub fn folding(&self) -> Vec<FoldingRange> {
        let lines = self.lines();
        let line = |offset: usize| lines.position(offset).line;
        let mut out = Vec::new();
        let mut open: Vec<usize> = Vec::new();
        for (at, c) in brackets(&self.text) {
            match c {
                '{' | '[' | '(' => open.push(at),
                '}' | ']' | ')' => {
                    let Some(start) = open.pop() else { continue };
                    let (first, last) = (line(start), line(at));
                    if last > first + 1 {
                        out.push(range(first, last - 1, None));
                    }
                }
                _ => {}
            }
        }
        // Runs of two or more comment lines.
        let mut run: Option<(u32, u32)> = None;
        for (n, text) in self.text.lines().enumerate() {
            let n = u32::try_from(n).unwrap_or(u32::MAX);
            if text.trim_start().starts_with("//") {
                run = Some(run.map_or((n, n), |(s, _)| (s, n)));
                continue;
            }
            if let Some((s, e)) = run.take().filter(|(s, e)| e > s) {
                out.push(range(s, e, Some(FoldingRangeKind::Comment)));
            }
        }
        if let Some((s, e)) = run.filter(|(s, e)| e > s) {
            out.push(range(s, e, Some(FoldingRangeKind::Comment)));
        }
        out.sort_by_key(|r| (r.start_line, r.end_line));
        out
    }

    /// Links on the files the document names: the policy it extends and its
    /// script files, resolved from the document's folder.
    pub fn links(&self) -> Vec<DocumentLink> {
        let Some(file) = self.files.first() else {
            return Vec::new();
        };
        let folder =
            uri::path(&self.uri).and_then(|p| p.parent().map(std::path::Path::to_path_buf));
        let extends = file.header.first().and_then(|h| h.extends.as_ref());
        let scripts = file.scripts.iter().filter_map(|s| s.path.as_ref());
        let lines = self.lines();
        (extends.into_iter().chain(scripts))
            .filter(|named| self.in_document(named.span))
            .filter_map(|named| {
                let target = uri::from_path(&folder.as_ref()?.join(&named.value))?;
                let span = named.span;
                Some(DocumentLink {
                    range: lines.range(span.start as usize, span.end as usize),
                    target: Some(target),
                    tooltip: Some(named.value.clone()),
                    data: None,
                })
            })
            .collect()
    }
}

fn range(start_line: u32, end_line: u32, kind: Option<FoldingRangeKind>) -> FoldingRange {
    FoldingRange {
        start_line,
        start_character: None,
        end_line,
        end_character: None,
        kind,
        collapsed_text: None,
    }
}
