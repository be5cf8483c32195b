//! Positions as the protocol counts them: lines, and columns in UTF-16 code
//! units (a Chinese character is one unit, an emoji two). Every conversion
//! clamps: a position past the end of a line is the end of that line, a line
//! past the end of the text is the end of the text.

use lsp_types::{Position, Range};
use std::borrow::Cow;

/// A text and where each of its lines starts.
pub struct Lines<'t> {
    text: &'t str,
    starts: Cow<'t, [usize]>,
}

/// Where each line of a text starts (kept by an analysis, so that the
/// text is scanned once per edit, not once per position).
pub fn starts(text: &str) -> Vec<usize> {
    std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .collect()
}

impl<'t> Lines<'t> {
    pub fn new(text: &'t str) -> Lines<'t> {
        Lines {
            text,
            starts: Cow::Owned(starts(text)),
        }
    }

    /// With the line starts already found by [`starts`].
    pub fn with_starts(text: &'t str, starts: &'t [usize]) -> Lines<'t> {
        Lines {
            text,
            starts: Cow::Borrowed(starts),
        }
    }

    /// The position of a byte offset (clamped to the text, and back to the
    /// character it falls in).
    pub fn position(&self, offset: usize) -> Position {
        let offset = floor_boundary(self.text, offset);
        let line = self
            .starts
            .partition_point(|&s| s <= offset)
            .saturating_sub(1);
        let start = self.starts.get(line).copied().unwrap_or(0);
        let column = self.text.get(start..offset).map_or(0, utf16_len);
        Position::new(to_u32(line), to_u32(column))
    }

    pub fn range(&self, start: usize, end: usize) -> Range {
        Range::new(self.position(start), self.position(end))
    }

    /// The byte offset of a position.
    pub fn offset(&self, position: Position) -> usize {
        let Some(&start) = self.starts.get(position.line as usize) else {
            return self.text.len();
        };
        let content = self.line_content(start);
        let mut units = 0;
        for (i, c) in content.char_indices() {
            if units >= position.character as usize {
                return start + i;
            }
            units += c.len_utf16();
        }
        start + content.len()
    }

    /// A line's text without its line break.
    fn line_content(&self, start: usize) -> &'t str {
        let rest = self.text.get(start..).unwrap_or("");
        let line = rest.split('\n').next().unwrap_or("");
        line.strip_suffix('\r').unwrap_or(line)
    }
}

/// A character of a name or keyword (Chinese characters are).
pub fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// The offset, clamped to the text and moved back to a character boundary.
pub fn floor_boundary(text: &str, offset: usize) -> usize {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

fn utf16_len(s: &str) -> usize {
    s.chars().map(char::len_utf16).sum()
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Applies one change an editor sent: `range` replaced by `new`, or the
/// whole text when there is no range.
pub fn apply_change(text: &mut String, range: Option<Range>, new: &str) {
    let Some(range) = range else {
        new.clone_into(text);
        return;
    };
    let lines = Lines::new(text);
    let start = lines.offset(range.start);
    let end = lines.offset(range.end).max(start);
    text.replace_range(start..end, new);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_utf16_units() {
        let text = "指标 a\n😀b\r\nc";
        let lines = Lines::new(text);
        // `a` is after two Chinese characters and a space: column 3.
        assert_eq!(
            lines.position(text.find('a').unwrap_or(0)),
            Position::new(0, 3)
        );
        // `b` is after an emoji, two units.
        assert_eq!(
            lines.position(text.find('b').unwrap_or(0)),
            Position::new(1, 2)
        );
        assert_eq!(
            lines.offset(Position::new(1, 2)),
            text.find('b').unwrap_or(0)
        );
        assert_eq!(lines.offset(Position::new(0, 1)), "指".len());
    }

    #[test]
    fn positions_past_the_end_are_clamped() {
        let text = "指标\r\nab";
        let lines = Lines::new(text);
        // Past the end of the first line: its end, before the line break.
        assert_eq!(lines.offset(Position::new(0, 99)), "指标".len());
        assert_eq!(lines.offset(Position::new(9, 0)), text.len());
        // Inside a character: back to its start.
        assert_eq!(lines.position(1), Position::new(0, 0));
        assert_eq!(lines.position(999), Position::new(1, 2));
    }

    #[test]
    fn changes_are_applied_by_range() {
        let mut text = String::from("满分 100\n精度 2");
        let range = Range::new(Position::new(0, 3), Position::new(0, 6));
        apply_change(&mut text, Some(range), "90");
        assert_eq!(text, "满分 90\n精度 2");
        // A reversed range replaces nothing.
        let reversed = Range::new(Position::new(1, 2), Position::new(1, 0));
        apply_change(&mut text, Some(reversed), "!");
        assert_eq!(text, "满分 90\n精度! 2");
        apply_change(&mut text, None, "新");
        assert_eq!(text, "新");
    }
}
