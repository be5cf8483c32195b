//! Collects the spans of `//` and `/* */` comments, outside strings, so that
//! the syntax tree keeps them for the formatter and the language server.

use crate::source::Span;

pub fn collect(text: &str) -> Vec<Span> {
    let bytes = text.as_bytes();
    let mut spans = Vec::new();
    let mut i = 0;
    while let Some(&byte) = bytes.get(i) {
        match (byte, bytes.get(i + 1)) {
            (b'"', _) => i = skip_string(bytes, i + 1),
            (b'/', Some(b'/')) => {
                let end = text[i..].find('\n').map_or(text.len(), |n| i + n);
                spans.push(Span::new(i, end));
                i = end;
            }
            (b'/', Some(b'*')) => {
                let end = text[i + 2..]
                    .find("*/")
                    .map_or(text.len(), |n| i + 2 + n + 2);
                spans.push(Span::new(i, end));
                i = end;
            }
            _ => i += 1,
        }
    }
    spans
}

fn skip_string(bytes: &[u8], mut i: usize) -> usize {
    while let Some(&byte) = bytes.get(i) {
        match byte {
            b'\\' => i += 2,
            b'"' | b'\n' => return i + 1,
            _ => i += 1,
        }
    }
    i
}
