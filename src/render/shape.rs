//! The parse-back check, done once per shape of HCL.
//!
//! Every block capform writes is parsed back with hcl-rs's parser (hcl-edit) before anything is
//! written. A module of 1,000 tables is 35 MB of HCL, but only a few dozen *shapes* of block:
//! the 1,000 `read_throttles` alarms differ in table names, numbers and description text, not
//! in structure. [`Checker`] parses a block in full only when its shape is new; a block whose
//! shape the parser has already accepted is accepted without a second parse.
//!
//! The shape of a block is its text with the parts that cannot change the parser's verdict
//! abstracted away:
//!
//! - the literal text of a quoted string (printable ASCII and the escapes `\n` `\r` `\t` `\\`
//!   `\"`, `$${` and `%%{`), which becomes empty; anything else inside a string (non-ASCII text,
//!   control characters, `\u` escapes) is kept as it is, and `${…}` interpolations are shaped
//!   as code;
//! - a run of digits without a leading zero (at most 15, far inside what the parser reads as
//!   a number), which becomes `0`;
//! - a plain identifier right after `.` in a traversal (`aws_dynamodb_table.orders.name`),
//!   which becomes `x`;
//! - the amount of horizontal whitespace, and the text of `#` and `//` comments.
//!
//! Keys are never abstracted: the parser rejects a repeated attribute or object key, so the
//! text of every attribute name and object key (everything before its `=` or `:`) is kept
//! as written. Anything the scanner does not know — heredocs, `/*` comments, `%{` directives,
//! unknown escapes, non-ASCII outside strings, longer digit runs, brackets inside a key — gives
//! no shape, and the block is parsed in full. So two blocks with the same shape differ only in
//! places where the HCL grammar accepts any value of the kind, and the parser's verdict on one
//! is its verdict on the other; `tests/shape.rs` checks this claim against the parser on
//! generated blocks.

use std::collections::HashSet;
use std::sync::Mutex;

/// The deepest bracket and interpolation nesting the scanner follows before it gives up.
const MAX_DEPTH: usize = 64;
/// The longest digit run abstracted; longer numbers are parsed in full.
const MAX_DIGITS: usize = 15;

/// Words kept as written wherever they appear.
fn is_keyword(word: &[u8]) -> bool {
    matches!(
        word,
        b"true" | b"false" | b"null" | b"for" | b"in" | b"if" | b"else" | b"endif" | b"endfor"
    )
}

/// What kind of bracket a stretch of code is in.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Level {
    /// The top level or a block body: attributes and blocks, one a line.
    Body,
    /// An object constructor: `key = value` items separated by commas or newlines.
    Object,
    /// Inside `[ ]`, `( )` or a `${ }` interpolation: no keys.
    Plain,
}

struct Scanner<'a> {
    text: &'a [u8],
    at: usize,
    out: Vec<u8>,
    depth: usize,
}

impl Scanner<'_> {
    fn peek(&self, ahead: usize) -> Option<u8> {
        self.text.get(self.at + ahead).copied()
    }

    /// Code up to `close` (or the end of the text at the top level).
    fn code(&mut self, level: Level, close: Option<u8>) -> Option<()> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return None;
        }
        // Where the current key started, in the shape and in the text, while one may be read.
        let start_key = |s: &Self| match level {
            Level::Body | Level::Object => Some((s.out.len(), s.at)),
            Level::Plain => None,
        };
        let mut key = start_key(self);
        let mut after_dot = false;
        loop {
            let Some(c) = self.peek(0) else {
                return close.is_none().then_some(());
            };
            let dot = c == b'.';
            match c {
                b' ' | b'\t' => {
                    while matches!(self.peek(0), Some(b' ' | b'\t')) {
                        self.at += 1;
                    }
                    self.out.push(b' ');
                    continue; // whitespace after `.` keeps the traversal going
                }
                b'\n' => {
                    self.out.push(b'\n');
                    self.at += 1;
                    key = start_key(self);
                }
                b'#' => self.comment(),
                b'/' if self.peek(1) == Some(b'/') => self.comment(),
                b'/' if self.peek(1) == Some(b'*') => return None,
                b'<' if self.peek(1) == Some(b'<') => return None,
                b'"' => self.string()?,
                b'{' => {
                    let inner = match (level, key.is_some()) {
                        // a block header ends at its `{`: its labels are not keys
                        (Level::Body, true) => Level::Body,
                        (Level::Object, true) => return None,
                        _ => Level::Object,
                    };
                    key = None;
                    self.out.push(c);
                    self.at += 1;
                    self.code(inner, Some(b'}'))?;
                }
                b'[' | b'(' => {
                    if key.is_some() {
                        return None;
                    }
                    self.out.push(c);
                    self.at += 1;
                    self.code(Level::Plain, Some(if c == b'[' { b']' } else { b')' }))?;
                }
                b'}' | b']' | b')' => {
                    if Some(c) != close {
                        return None;
                    }
                    self.out.push(c);
                    self.at += 1;
                    self.depth -= 1;
                    return Some(());
                }
                b'=' | b':' => {
                    if c == b'=' && matches!(self.peek(1), Some(b'=' | b'>')) {
                        self.out.extend_from_slice(&self.text[self.at..self.at + 2]);
                        self.at += 2;
                    } else {
                        if let Some((shape_at, text_at)) = key.take() {
                            // a key: kept exactly as written, but for the width of
                            // the blanks around it
                            self.out.truncate(shape_at);
                            let blank = |b: &u8| *b == b' ' || *b == b'\t';
                            let key = &self.text[text_at..self.at];
                            let lead = key.iter().take_while(|b| blank(b)).count();
                            let trail = key[lead..].iter().rev().take_while(|b| blank(b)).count();
                            if lead > 0 {
                                self.out.push(b' ');
                            }
                            self.out.extend_from_slice(&key[lead..key.len() - trail]);
                            if trail > 0 {
                                self.out.push(b' ');
                            }
                        }
                        self.out.push(c);
                        self.at += 1;
                    }
                }
                b',' => {
                    self.out.push(c);
                    self.at += 1;
                    if level == Level::Object {
                        key = start_key(self);
                    }
                }
                b'0'..=b'9' => {
                    let start = self.at;
                    while self.peek(0).is_some_and(|d| d.is_ascii_digit()) {
                        self.at += 1;
                    }
                    let digits = &self.text[start..self.at];
                    if digits.len() > MAX_DIGITS {
                        return None;
                    }
                    if digits.len() > 1 && digits[0] == b'0' {
                        // a leading zero is not a number everywhere (`x.07` is no index)
                        self.out.extend_from_slice(digits);
                    } else {
                        self.out.push(b'0');
                    }
                }
                b'a'..=b'z' | b'A'..=b'Z' | b'_' => {
                    let start = self.at;
                    while self
                        .peek(0)
                        .is_some_and(|d| d.is_ascii_alphanumeric() || d == b'_' || d == b'-')
                    {
                        self.at += 1;
                    }
                    if self.peek(0).is_some_and(|d| !d.is_ascii()) {
                        return None;
                    }
                    let word = &self.text[start..self.at];
                    if after_dot && !word.contains(&b'-') && !is_keyword(word) {
                        self.out.push(b'x');
                    } else {
                        self.out.extend_from_slice(word);
                    }
                }
                b'.' | b'+' | b'-' | b'*' | b'/' | b'%' | b'!' | b'<' | b'>' | b'&' | b'|'
                | b'?' | b'~' => {
                    self.out.push(c);
                    self.at += 1;
                }
                _ => return None,
            }
            after_dot = dot;
        }
    }

    /// A `#` or `//` comment, up to (not including) the end of its line.
    fn comment(&mut self) {
        while self.peek(0).is_some_and(|c| c != b'\n') {
            self.at += 1;
        }
        self.out.push(b'#');
    }

    /// A quoted string, from its opening quote.
    fn string(&mut self) -> Option<()> {
        self.out.push(b'"');
        self.at += 1;
        loop {
            let c = self.peek(0)?;
            match c {
                b'"' => {
                    self.out.push(c);
                    self.at += 1;
                    return Some(());
                }
                b'\n' | b'\r' => return None,
                b'\\' => match self.peek(1)? {
                    b'n' | b'r' | b't' | b'\\' | b'"' => self.at += 2,
                    b'u' | b'U' => {
                        let len = if self.peek(1) == Some(b'u') { 6 } else { 10 };
                        let escape = self.text.get(self.at..self.at + len)?;
                        if !escape[2..].iter().all(u8::is_ascii_hexdigit) {
                            return None;
                        }
                        self.out.extend_from_slice(escape);
                        self.at += len;
                    }
                    _ => return None,
                },
                b'$' | b'%' if self.peek(1) == Some(b'{') => {
                    if c == b'%' {
                        return None; // a directive
                    }
                    self.out.extend_from_slice(b"${");
                    self.at += 2;
                    self.code(Level::Plain, Some(b'}'))?;
                }
                b'$' | b'%' if self.peek(1) == Some(c) && self.peek(2) == Some(b'{') => {
                    self.at += 3; // `$${` and `%%{`: literal text
                }
                0x20..=0x7e => self.at += 1,
                _ => {
                    // non-ASCII text and control characters: kept as they are
                    let len = match c {
                        0xf0.. => 4,
                        0xe0.. => 3,
                        0xc0.. => 2,
                        _ => 1,
                    };
                    self.out
                        .extend_from_slice(self.text.get(self.at..self.at + len)?);
                    self.at += len;
                }
            }
        }
    }
}

/// The shape of a piece of HCL, or `None` when it holds something the scanner does not know.
pub fn shape(text: &str) -> Option<Vec<u8>> {
    let mut s = Scanner {
        text: text.as_bytes(),
        at: 0,
        out: Vec::with_capacity(text.len() / 2),
        depth: 0,
    };
    s.code(Level::Body, None)?;
    Some(s.out)
}

/// A parse failure: the line within the checked text and the parser's message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    /// 1-based line within the text that was checked.
    pub line: usize,
    /// What the parser expected.
    pub message: String,
}

/// Parses HCL back, once per shape. Shared by the threads rendering one module.
#[derive(Default)]
pub struct Checker {
    accepted: Mutex<HashSet<Vec<u8>>>,
}

impl Checker {
    /// A checker that has accepted nothing yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Check that `text` is an HCL body: parsed in full unless a body of the same shape was
    /// accepted before.
    pub fn check(&self, text: &str) -> Result<(), ParseError> {
        let shape = shape(text);
        if let Some(s) = &shape
            && self.accepted.lock().expect("not poisoned").contains(s)
        {
            return Ok(());
        }
        hcl::edit::parser::parse_body(text).map_err(|e| ParseError {
            line: e.location().line(),
            message: e.message().to_string(),
        })?;
        if let Some(s) = shape {
            self.accepted.lock().expect("not poisoned").insert(s);
        }
        Ok(())
    }

    /// How many shapes have been parsed and accepted.
    pub fn shapes(&self) -> usize {
        self.accepted.lock().expect("not poisoned").len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(text: &str) -> Option<String> {
        shape(text).map(|v| String::from_utf8(v).unwrap())
    }

    #[test]
    fn abstracts_values_and_keeps_keys() {
        assert_eq!(
            s("resource \"aws_x\" \"t17_a\" {\n  name = \"${var.p}-t17\"\n  n    = 250\n  d = {\n    TableName = aws_dynamodb_table.t17.name\n  }\n}\n"),
            Some("resource \"\" \"\" {\n name = \"${var.x}\"\n n = 0\n d = {\n TableName = aws_dynamodb_table.x.x\n }\n}\n".into())
        );
        // quoted keys keep their text: a repeated key is an error the parser must see
        assert_eq!(
            s("tags = { \"cost-center\" = \"a\", team = \"b\" }\n"),
            Some("tags = { \"cost-center\" = \"\", team = \"\" }\n".into())
        );
        assert_ne!(
            s("t = { \"a  b\" = 1, \"a b\" = 2 }\n"),
            s("t = { \"a b\" = 1, \"a b\" = 2 }\n")
        );
    }

    #[test]
    fn same_shape_for_different_literals() {
        let a = s("a = \"plain\" # one\nb = [1, 2.5, x.y]\n");
        let b = s("a = \"quote \\\" $${not} %%{this} 100%\" # two\nb = [12345, 0.125, x.zz]\n");
        assert!(a.is_some());
        assert_eq!(a, b);
    }

    #[test]
    fn no_shape_for_what_the_scanner_does_not_know() {
        for text in [
            "a = <<EOT\nx\nEOT\n",
            "a = \"%{if x}y%{endif}\"\n",
            "a = \"\\q\"\n",
            "/* c */ a = 1\n",
            "a = 1234567890123456\n",
            "a = \"unterminated\n",
            "é = 1\n",
            "a = { [x] = 1 }\n",
            "a = (1\n",
            "a = 1)\n",
        ] {
            assert_eq!(s(text), None, "{text:?}");
        }
    }

    #[test]
    fn checker_parses_each_shape_once_and_still_rejects() {
        let c = Checker::new();
        c.check("a = \"x\"\n").unwrap();
        c.check("a = \"y\"\n").unwrap();
        assert_eq!(c.shapes(), 1);
        let e = c.check("a = \"x\"\na = \"y\"\n").unwrap_err();
        assert_eq!(e.line, 2);
        assert!(c.check("a = \"x\"\nb = {\n").is_err());
        assert_eq!(c.shapes(), 1);
    }
}
