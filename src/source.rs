//! Source files and spans. The first phase of the pipeline: every later phase
//! points back into a [`SourceFile`] through a [`Span`]; nothing here depends
//! on any other module.
//!
//! A policy that extends another is read from several files. [`Sources`]
//! gives them one address space (each file starts at its own base offset),
//! so a span alone says which file it points into.

use std::path::{Path, PathBuf};

/// The largest policy file read (published tables run to a few hundred KB).
pub const MOST_BYTES: u64 = 8 << 20;

/// The text of a policy file: a regular file (not a device, pipe or
/// folder) of at most [`MOST_BYTES`], in UTF-8; an error says where the
/// first byte that is not UTF-8 is.
pub fn read_text(path: &Path) -> std::io::Result<String> {
    use std::io::{Error, ErrorKind, Read};
    let file = std::fs::File::open(path)?;
    if !file.metadata()?.is_file() {
        return Err(Error::new(ErrorKind::InvalidInput, "not a regular file"));
    }
    let mut bytes = Vec::new();
    file.take(MOST_BYTES + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MOST_BYTES {
        let most = MOST_BYTES >> 20;
        let message = format!("larger than {most} MiB, the most a policy file may be");
        return Err(Error::new(ErrorKind::InvalidData, message));
    }
    String::from_utf8(bytes).map_err(|e| {
        let bytes = e.as_bytes();
        let at = e.utf8_error().valid_up_to();
        let before = String::from_utf8_lossy(bytes.get(..at).unwrap_or_default());
        let file = SourceFile::new(path, before.into_owned());
        let (line, column) = file.line_col(u32::try_from(at).unwrap_or(u32::MAX));
        let message = format!(
            "not UTF-8 text: line {line}, column {column} (byte {at}) is not UTF-8; save the file as UTF-8"
        );
        Error::new(ErrorKind::InvalidData, message)
    })
}

/// A byte range in one source file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, PartialOrd, Ord, serde::Serialize)]
pub struct Span {
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Span {
        Span {
            start: u32::try_from(start).unwrap_or(u32::MAX),
            end: u32::try_from(end).unwrap_or(u32::MAX),
        }
    }

    pub fn range(self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }

    pub fn len(self) -> usize {
        (self.end - self.start) as usize
    }

    pub fn is_empty(self) -> bool {
        self.start == self.end
    }

    /// The smallest span covering both.
    pub fn to(self, other: Span) -> Span {
        Span {
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }
}

/// A value with the span of the text it came from. Two `Spanned` values
/// compare equal when their values do, wherever they were written.
#[derive(Debug, Clone)]
pub struct Spanned<T> {
    pub value: T,
    pub span: Span,
}

impl<T: Copy> Copy for Spanned<T> {}

impl<T: PartialEq> PartialEq for Spanned<T> {
    fn eq(&self, other: &Self) -> bool {
        self.value == other.value
    }
}

impl<T> Spanned<T> {
    pub fn new(value: T, span: Span) -> Self {
        Spanned { value, span }
    }
}

/// A policy file's text and the path it is shown under.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub path: PathBuf,
    pub text: String,
    /// Where each line starts, found when first asked.
    lines: std::sync::OnceLock<Vec<usize>>,
}

impl SourceFile {
    pub fn new(path: impl Into<PathBuf>, text: impl Into<String>) -> SourceFile {
        SourceFile {
            path: path.into(),
            text: text.into(),
            lines: std::sync::OnceLock::new(),
        }
    }

    /// Reads a policy file: a regular file of at most [`MOST_BYTES`], in UTF-8.
    pub fn read(path: &Path) -> std::io::Result<SourceFile> {
        Ok(SourceFile::new(path, read_text(path)?))
    }

    pub fn name(&self) -> String {
        self.path.display().to_string()
    }

    /// The text a span covers ("" for a span outside the file).
    pub fn slice(&self, span: Span) -> &str {
        self.text.get(span.range()).unwrap_or("")
    }

    /// Where each line starts: 0, and after each `\n` (found when first asked).
    pub fn line_starts(&self) -> &[usize] {
        self.lines.get_or_init(|| {
            let after_newlines = self.text.match_indices('\n').map(|(i, _)| i + 1);
            std::iter::once(0).chain(after_newlines).collect()
        })
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: u32) -> (usize, usize) {
        let offset = (offset as usize).min(self.text.len());
        let starts = self.line_starts();
        let line = starts.partition_point(|s| *s <= offset);
        let line_start = line.checked_sub(1).and_then(|l| starts.get(l)).copied();
        let before = self.text.get(line_start.unwrap_or(0)..offset).unwrap_or("");
        (line, before.chars().count() + 1)
    }
}

/// The files a policy was read from: the policy itself first, then the
/// policies it extends. Spans of file `i` are offset by its base.
#[derive(Debug, Clone, Default)]
pub struct Sources {
    files: Vec<(u32, SourceFile)>,
}

impl Sources {
    pub fn new(main: SourceFile) -> Sources {
        Sources {
            files: vec![(0, main)],
        }
    }

    /// Adds a file; returns its base offset.
    pub fn add(&mut self, file: SourceFile) -> u32 {
        let base = self.files.last().map_or(0, |(base, f)| {
            base.saturating_add(u32::try_from(f.text.len()).unwrap_or(u32::MAX))
                .saturating_add(1)
        });
        self.files.push((base, file));
        base
    }

    /// The file the policy was read from (not those it extends).
    pub fn main(&self) -> Option<&SourceFile> {
        self.files.first().map(|(_, f)| f)
    }

    pub fn files(&self) -> impl Iterator<Item = (u32, &SourceFile)> {
        self.files.iter().map(|(b, f)| (*b, f))
    }

    /// The file a span points into, and the span within that file.
    pub fn locate(&self, span: Span) -> Option<(&SourceFile, Span)> {
        let (base, file) = self.files.iter().rev().find(|(b, _)| *b <= span.start)?;
        Some((
            file,
            Span {
                start: span.start - base,
                end: span.end.saturating_sub(*base),
            },
        ))
    }

    /// The text a span covers.
    pub fn slice(&self, span: Span) -> &str {
        self.locate(span).map_or("", |(f, s)| f.slice(s))
    }

    /// `file:line` of a span, for provenance ("defined at 2023.zb:12").
    pub fn place(&self, span: Span) -> String {
        match self.locate(span) {
            Some((file, local)) => format!("{}:{}", file.name(), file.line_col(local.start).0),
            None => String::from("?"),
        }
    }
}
