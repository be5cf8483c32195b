//! The text of a data file: UTF-8 (a byte-order mark dropped) or GB18030,
//! as Excel in China saves CSV, and how to tell which.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::Path;

/// The file as UTF-8 text: as it is (a byte-order mark dropped), or
/// decoded from GB18030.
pub(super) fn open(path: &Path, gb18030: bool) -> io::Result<Source> {
    let mut file = BufReader::with_capacity(1 << 16, File::open(path)?);
    if gb18030 {
        let decoder = encoding_rs_io::DecodeReaderBytesBuilder::new()
            .encoding(Some(encoding_rs::GB18030))
            .build(file);
        return Ok(Source::Decoded(Box::new(decoder)));
    }
    if file.fill_buf()?.starts_with(b"\xEF\xBB\xBF") {
        file.consume(3);
    }
    Ok(Source::Plain(file))
}

pub(super) enum Source {
    Plain(BufReader<File>),
    Decoded(Box<dyn Read + Send>),
}

impl Read for Source {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self {
            Source::Plain(r) => r.read(buf),
            Source::Decoded(r) => r.read(buf),
        }
    }
}

impl Source {
    /// Whether what is left to read is UTF-8 text, perhaps with a few bad
    /// bytes: more of its non-ASCII characters are UTF-8 than are not (GBK
    /// text is almost never valid UTF-8). Read a block at a time.
    pub(super) fn mostly_utf8(mut self) -> io::Result<bool> {
        let mut block = vec![0u8; 1 << 16];
        let (mut good, mut bad) = (0usize, 0usize);
        // The start of a character cut off at the end of the last block.
        let mut carried = 0;
        loop {
            let n = self.read(block.get_mut(carried..).unwrap_or_default())?;
            let filled = carried + n;
            let text = block.get(..filled).unwrap_or_default();
            carried = if n > 0 { incomplete_tail(text) } else { 0 };
            for chunk in text
                .get(..filled - carried)
                .unwrap_or_default()
                .utf8_chunks()
            {
                good += chunk.valid().chars().filter(|c| !c.is_ascii()).count();
                bad += usize::from(!chunk.invalid().is_empty());
            }
            block.copy_within(filled - carried..filled, 0);
            if n == 0 {
                return Ok(good > bad);
            }
        }
    }
}

/// How many bytes at the end of `text` begin a character that the next
/// block completes.
fn incomplete_tail(text: &[u8]) -> usize {
    for (k, &b) in text.iter().rev().take(3).enumerate() {
        let length = match b {
            0x00..=0x7F => return 0,
            0x80..=0xBF => continue,
            0xC0..=0xDF => 2,
            0xE0..=0xEF => 3,
            _ => 4,
        };
        return if length > k + 1 { k + 1 } else { 0 };
    }
    0
}

/// A whole file's bytes as text: UTF-8 if they are, else GB18030.
pub(crate) fn decode(bytes: &[u8]) -> String {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_string(),
        Err(_) => {
            let (text, _, _) = encoding_rs::GB18030.decode(bytes);
            text.into_owned()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_across_blocks() {
        let text = "编号,名称\n".repeat(20_000);
        // Removed when the test ends, passed or failed.
        let dir = tempfile::tempdir();
        let check = |bytes: &[u8]| {
            let path = dir.as_ref().ok()?.path().join("t.csv");
            std::fs::write(&path, bytes).ok()?;
            open(&path, false).ok()?.mostly_utf8().ok()
        };
        assert_eq!(check(text.as_bytes()), Some(true));
        let mut cut = text.into_bytes();
        cut.pop();
        cut.push(0xE7);
        // One bad byte in a UTF-8 file: still UTF-8 (the row is an error).
        assert_eq!(check(&cut), Some(true));
        // GBK: 编号 is B1E0 BAC5.
        assert_eq!(check(b"\xB1\xE0\xBA\xC5"), Some(false));
    }
}
