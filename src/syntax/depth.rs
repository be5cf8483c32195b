//! How deep a policy nests, measured before it is parsed: the parser and
//! every later pass descend once per level, so a file nested thousands of
//! levels deep (hostile or generated) would overflow the stack. Beyond
//! [`MOST`] levels a declaration is not parsed and gets
//! `zhibiao::syntax::too_deep` instead.
//!
//! The count is a lexical upper bound on the parser's depth: open brackets
//! (`(`, `[`, `{`), `if`s since the statement began (an `if` is closed by
//! no token; a statement begins with its keyword after a value, never after
//! an operator, `if`, `then` or `else`, where the word is a name), and a run
//! of prefix operators (`-`, `not`). The parser has no stack guard of its
//! own (it is built without one, for speed): this count is the guard.

use crate::diagnostics::Diagnostic;
use crate::source::Span;
use pest::unicode::{XID_CONTINUE, XID_START};

pub const TOO_DEEP: &str = "zhibiao::syntax::too_deep";

/// The most levels a declaration or an expression may nest.
pub const MOST: usize = 200;

/// Words that begin a statement, after which no `if` is still open: the
/// declarations, and a test's `given` and `expect`.
fn starts_statement(word: &str) -> bool {
    super::keywords::DECLARATIONS.contains(&word)
        || matches!(word, "given" | "数据" | "expect" | "预期")
}

/// Where a declaration nests too deeply: the line (in column 1, outside any
/// bracket) where it begins, the token past the limit, and where the
/// brackets open there close again (or the end of the text).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Deep {
    pub declaration: usize,
    pub at: usize,
    pub end: usize,
}

/// The first place after `from` that nests more than [`MOST`] levels,
/// counting from zero at `from`.
pub fn first_too_deep(text: &str, from: usize) -> Option<Deep> {
    let rest = text.get(from..)?;
    let mut scan = Scan::default();
    let mut too_deep: Option<Deep> = None;
    let mut chars = rest.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        let ends = match c {
            '\n' if scan.brackets == 0 => {
                scan.line = at + 1;
                true
            }
            ')' | ']' | '}' => {
                scan.brackets = scan.brackets.saturating_sub(1);
                scan.brackets == 0
            }
            _ => false,
        };
        if let Some(deep) = too_deep.as_mut().filter(|_| ends) {
            // The declaration that nests too deeply ends here.
            deep.end = from + at + 1;
            return too_deep;
        }
        let run = match c {
            c if c.is_whitespace() || skip_comment(c, &mut chars) => continue,
            '"' | '“' => {
                skip_text(c, &mut chars);
                scan.operand_next = false;
                Run::Ends
            }
            '(' | '[' | '{' => {
                scan.brackets += 1;
                scan.operand_next = true;
                Run::Ends
            }
            '-' => {
                scan.prefixes += 1;
                scan.operand_next = true;
                Run::GoesOn
            }
            c if XID_START(c) || c == '_' => {
                let mut end = at + c.len_utf8();
                while let Some((i, n)) = chars.next_if(|(_, n)| XID_CONTINUE(*n)) {
                    end = i + n.len_utf8();
                }
                scan.word(rest.get(at..end).unwrap_or(""))
            }
            _ => {
                scan.operand_next = "+*/<>=!,:|".contains(c);
                Run::Ends
            }
        };
        if run == Run::Ends {
            scan.prefixes = 0;
        }
        if too_deep.is_none() && scan.levels() > MOST {
            too_deep = Some(scan.deep(from, at, text.len()));
        }
    }
    too_deep
}

type Chars<'t> = std::iter::Peekable<std::str::CharIndices<'t>>;

/// Skips a comment that starts with `c`; whether there was one.
fn skip_comment(c: char, chars: &mut Chars) -> bool {
    if c != '/' {
        return false;
    }
    if chars.next_if(|(_, n)| *n == '/').is_some() {
        while chars.next_if(|(_, n)| *n != '\n').is_some() {}
        return true;
    }
    if chars.next_if(|(_, n)| *n == '*').is_some() {
        let mut star = false;
        for (_, n) in chars.by_ref() {
            if star && n == '/' {
                break;
            }
            star = n == '*';
        }
        return true;
    }
    false
}

/// Skips a quoted text that opens with `quote`.
fn skip_text(quote: char, chars: &mut Chars) {
    if quote == '“' {
        while chars.next_if(|(_, n)| *n != '”').is_some() {}
        return;
    }
    while let Some((_, n)) = chars.next() {
        match n {
            '\\' => _ = chars.next(),
            '"' => break,
            _ => {}
        }
    }
}

/// The brackets of `text` outside texts and comments, with their byte
/// offsets (for the editor's folding and completion).
pub fn brackets(text: &str) -> Vec<(usize, char)> {
    let mut out = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        match c {
            '"' | '“' => skip_text(c, &mut chars),
            c if skip_comment(c, &mut chars) => {}
            '{' | '}' | '[' | ']' | '(' | ')' => out.push((at, c)),
            _ => {}
        }
    }
    out
}

/// Whether a token continues a run of prefix operators (`- - not x`).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Run {
    GoesOn,
    Ends,
}

#[derive(Default)]
struct Scan {
    brackets: usize,
    ifs: usize,
    prefixes: usize,
    /// The last token expects an operand after it (an operator, `if`,
    /// `then`, `else`, an opening bracket): a statement cannot begin there,
    /// so a keyword that does is a name, and the `if`s stay open.
    operand_next: bool,
    /// The start of the last line begun outside every bracket.
    line: usize,
}

impl Scan {
    fn levels(&self) -> usize {
        self.brackets + self.ifs + self.prefixes
    }

    /// Counts a word: a prefix operator continues a run of them.
    fn word(&mut self, word: &str) -> Run {
        if matches!(word, "not" | "非") {
            self.prefixes += 1;
            self.operand_next = true;
            return Run::GoesOn;
        }
        if matches!(word, "if" | "如果") {
            self.ifs += 1;
        } else if starts_statement(word) && !self.operand_next {
            self.ifs = 0;
        }
        self.operand_next = matches!(
            word,
            "if" | "如果"
                | "then"
                | "则"
                | "else"
                | "否则"
                | "and"
                | "且"
                | "or"
                | "或"
                | "contains"
                | "包含"
        );
        Run::Ends
    }

    fn deep(&self, from: usize, at: usize, end: usize) -> Deep {
        Deep {
            declaration: from + self.line,
            at: from + at,
            end,
        }
    }
}

/// The error for a declaration or expression nested too deeply.
pub fn too_deep(span: Span, what: &str) -> Diagnostic {
    Diagnostic::error(
        TOO_DEEP,
        format!("{what} nests more than {MOST} levels deep"),
    )
    .label(span, format!("level {} starts here", MOST + 1))
    .help("name the inner parts with `let` (or flatten the categories); no published method nests this deep")
}
