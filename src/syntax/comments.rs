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
            // A “quoted” string or name: up to its closing quote.
            _ if text.get(i..).is_some_and(|t| t.starts_with('“')) => {
                let close = text.get(i..).and_then(|t| t.find('”'));
                i = close.map_or(text.len(), |n| i + n + '”'.len_utf8());
            }
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

#[cfg(test)]
mod tests {
    use super::collect;

    #[test]
    fn slashes_in_strings_are_not_comments() {
        let text = "item a 1 \"see http://x\" “见 http://y” score b // real\n";
        let spans = collect(text);
        assert_eq!(spans.len(), 1);
        assert_eq!(
            spans.first().and_then(|s| text.get(s.range())),
            Some("// real")
        );
    }
}
