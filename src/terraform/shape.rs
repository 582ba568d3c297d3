//! Parsing once per shape of block.
//!
//! A module of 1,000 tables is tens of megabytes of HCL but only a few dozen *shapes* of block:
//! its 13,000 alarms differ in table names, numbers and description text, not in structure.
//! A block's shape is its text with each *slot* — the literal text of a quoted string, a whole
//! integer, an identifier after a `.` — replaced by a placeholder numbered in order. The shape
//! is parsed once; every block of that shape gets the parsed form with its own slot values put
//! back and its spans moved to where its text has them. hcl-edit then runs on a few hundred
//! blocks instead of tens of thousands.
//!
//! A slot is only what the grammar accepts whatever its value: string text of printable ASCII
//! without escapes, `$$` or `%%` (so that its source, its value and its re-encoded template
//! text are the same characters); a run of at most 15 digits without a leading zero, not next
//! to a `.`, a letter or an exponent; an identifier after `.` without a dash that is not a
//! keyword. Keys — anything before `=` or `:` — stay as written, since the parser rejects a
//! repeated key. Whatever the scanner does not know (heredocs, non-ASCII code, a placeholder's
//! own spelling in the text) gives no shape, and the block is parsed in full; the tests check
//! the result against the full parse of every corpus module and capform's own modules.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::{Arc, Mutex};

use hcl::expr::{ObjectKey, Operation, TemplateExpr, TraversalOperator};
use hcl::{Expression, Identifier, Number};

use super::source::Reference;
use super::syntax::{Block, Body, find, line_end};

/// The deepest bracket and interpolation nesting followed.
const MAX_DEPTH: usize = 64;
/// Integer slots are this plus their index in the shape.
const NUMBER_BASE: u64 = 7_770_000_000_000;

#[derive(Clone, Copy, Debug, PartialEq)]
enum Kind {
    Text,
    Number,
    Ident,
    /// A line comment's text: nothing of it reaches the parsed form.
    Comment,
    /// A `/* … */` comment on one line.
    BlockComment,
}

#[derive(Clone, Debug)]
struct Slot {
    kind: Kind,
    /// In the block's text.
    text: Range<usize>,
    /// In the shape.
    shape: Range<usize>,
}

/// A block's text as a shape and the slots taken out of it.
pub struct Shaped<'a> {
    text: &'a str,
    shape: Vec<u8>,
    slots: Vec<Slot>,
}

fn placeholder(kind: Kind, n: usize) -> String {
    match kind {
        Kind::Text => format!("@@cf{n}@@"),
        Kind::Number => (NUMBER_BASE + n as u64).to_string(),
        Kind::Ident => format!("cf__slot{n}"),
        Kind::Comment => "#".to_owned(),
        Kind::BlockComment => "/**/".to_owned(),
    }
}

fn is_keyword(word: &[u8]) -> bool {
    matches!(
        word,
        b"true" | b"false" | b"null" | b"for" | b"in" | b"if" | b"else" | b"endif" | b"endfor"
    )
}

fn is_word(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_' || c == b'-'
}

struct Scan<'a> {
    b: &'a [u8],
    out: Vec<u8>,
    slots: Vec<Slot>,
    copied: usize,
}

impl Scan<'_> {
    /// Whether what follows `at` (after blanks) makes the token before it a key.
    fn key_follows(&self, mut at: usize) -> bool {
        while matches!(self.b.get(at), Some(b' ' | b'\t')) {
            at += 1;
        }
        match self.b.get(at) {
            Some(b':') => true,
            Some(b'=') => !matches!(self.b.get(at + 1), Some(b'=' | b'>')),
            _ => false,
        }
    }

    fn slot(&mut self, kind: Kind, text: Range<usize>) {
        self.out.extend_from_slice(&self.b[self.copied..text.start]);
        let start = self.out.len();
        self.out
            .extend_from_slice(placeholder(kind, self.slots.len()).as_bytes());
        self.slots.push(Slot {
            kind,
            shape: start..self.out.len(),
            text: text.clone(),
        });
        self.copied = text.end;
    }

    fn run(&mut self) -> Option<()> {
        let b = self.b;
        let n = b.len();
        let mut i = 0;
        // open brackets; `$` for a template sequence inside a quoted string
        let mut stack: Vec<u8> = Vec::new();
        let mut in_string = false;
        // where the current string segment starts, and whether it can be a slot
        let mut seg = 0;
        let mut safe = true;
        while i < n {
            let c = b[i];
            if in_string {
                match c {
                    b'"' => {
                        if safe && i > seg && !self.key_follows(i + 1) {
                            self.slot(Kind::Text, seg..i);
                        }
                        in_string = false;
                    }
                    b'\\' => {
                        safe = false;
                        i += 1;
                    }
                    b'$' | b'%' if b.get(i + 1) == Some(&b'{') => {
                        if safe && i > seg {
                            self.slot(Kind::Text, seg..i);
                        }
                        stack.push(b'$');
                        in_string = false;
                        i += 1;
                    }
                    b'$' | b'%' if b.get(i + 1) == Some(&c) => {
                        safe = false;
                        i += 1;
                    }
                    b'\n' | b'\r' => return None,
                    0x20..=0x7e => {}
                    _ => safe = false,
                }
                i += 1;
                continue;
            }
            match c {
                b'"' => {
                    in_string = true;
                    seg = i + 1;
                    safe = true;
                }
                b'#' | b'/' if c == b'#' || b.get(i + 1) == Some(&b'/') => {
                    let end = line_end(b, i) + 1;
                    self.slot(Kind::Comment, i..end.min(n));
                    i = end;
                    continue;
                }
                b'/' if b.get(i + 1) == Some(&b'*') => {
                    let end = find(b, i + 2, b"*/")? + 2;
                    // (one spanning lines stays as written: its newlines may end an attribute)
                    if !b[i..end].contains(&b'\n') {
                        self.slot(Kind::BlockComment, i..end);
                    }
                    i = end;
                    continue;
                }
                b'<' if b.get(i + 1) == Some(&b'<') => return None,
                b'{' | b'[' | b'(' => {
                    stack.push(c);
                    if stack.len() > MAX_DEPTH {
                        return None;
                    }
                }
                b'}' | b']' | b')' => {
                    let open = stack.pop()?;
                    if !matches!((open, c), (b'{' | b'$', b'}') | (b'[', b']') | (b'(', b')')) {
                        return None;
                    }
                    if open == b'$' {
                        in_string = true;
                        seg = i + 1;
                        safe = true;
                    }
                }
                b'0'..=b'9' => {
                    let start = i;
                    while i < n && b[i].is_ascii_digit() {
                        i += 1;
                    }
                    let before = start.checked_sub(1).map(|p| b[p]);
                    let after = b.get(i).copied();
                    let plain = i - start <= 15
                        && (i - start == 1 || b[start] != b'0')
                        && !before.is_some_and(|p| p == b'.' || p == b'-' || is_word(p))
                        && !after.is_some_and(|a| a == b'.' || is_word(a))
                        && !self.key_follows(i);
                    if plain {
                        self.slot(Kind::Number, start..i);
                    }
                    continue;
                }
                b'a'..=b'z' | b'A'..=b'Z' | b'_' => {
                    let start = i;
                    while i < n && is_word(b[i]) {
                        i += 1;
                    }
                    if b.get(i).is_some_and(|d| !d.is_ascii()) {
                        return None;
                    }
                    let word = &b[start..i];
                    // after a `.` that follows a name, not a number (`1.e5`) or `..`
                    let after_dot = start >= 2 && b[start - 1] == b'.' && {
                        let digits = b[..start - 1]
                            .iter()
                            .rev()
                            .take_while(|c| c.is_ascii_digit())
                            .count();
                        let before = start - 1 - digits;
                        before > 0
                            && (is_word(b[before - 1])
                                || (digits == 0 && matches!(b[before - 1], b']' | b')')))
                    };
                    if after_dot
                        && !word.contains(&b'-')
                        && !is_keyword(word)
                        && !self.key_follows(i)
                    {
                        self.slot(Kind::Ident, start..i);
                    }
                    continue;
                }
                0x80.. => return None,
                _ => {}
            }
            i += 1;
        }
        (stack.is_empty() && !in_string).then_some(())
    }
}

/// The shape of a block's text (its leading comments included), or `None` when it has
/// something the scanner does not know.
pub fn shape(text: &str) -> Option<Shaped<'_>> {
    if text.contains("@@cf") || text.contains("cf__slot") || text.contains("777000000") {
        return None;
    }
    let mut s = Scan {
        b: text.as_bytes(),
        out: Vec::with_capacity(text.len()),
        slots: Vec::new(),
        copied: 0,
    };
    s.run()?;
    s.out.extend_from_slice(&s.b[s.copied..]);
    Some(Shaped {
        text,
        shape: s.out,
        slots: s.slots,
    })
}

/// The top-level blocks of a parsed shape, each with its references, in the shape's
/// coordinates.
pub type Template = Vec<(Block, Vec<Reference>)>;

/// Parsed shapes, shared by the threads reading one module: `None` for a shape that does not
/// parse (its blocks are parsed in full, for the parser's own message).
#[derive(Default)]
pub struct Cache {
    parsed: Mutex<HashMap<Vec<u8>, Option<Arc<Template>>>>,
}

impl Cache {
    /// The template of a shape, parsing it the first time.
    pub fn template(
        &self,
        shaped: &Shaped<'_>,
        parse: impl FnOnce(&str) -> Option<Template>,
    ) -> Option<Arc<Template>> {
        if let Some(t) = self.parsed.lock().expect("not poisoned").get(&shaped.shape) {
            return t.clone();
        }
        let text = std::str::from_utf8(&shaped.shape).ok()?;
        let t = parse(text).map(Arc::new);
        self.parsed
            .lock()
            .expect("not poisoned")
            .insert(shaped.shape.clone(), t.clone());
        t
    }
}

impl Shaped<'_> {
    /// Where an offset of the shape is in the text.
    fn map(&self, o: usize) -> usize {
        let i = self.slots.partition_point(|s| s.shape.start < o);
        match i.checked_sub(1).map(|k| &self.slots[k]) {
            None => o,
            Some(s) if o < s.shape.end => s.text.start + (o - s.shape.start).min(s.text.len()),
            Some(s) => o - s.shape.end + s.text.end,
        }
    }

    fn span(&self, r: &Option<Range<usize>>, offset: usize) -> Option<Range<usize>> {
        r.as_ref()
            .map(|r| self.map(r.start) + offset..self.map(r.end) + offset)
    }

    fn value(&self, n: usize) -> &str {
        &self.text[self.slots[n].text.clone()]
    }

    /// Slot `n` if `s` is exactly the placeholder of a slot of this kind.
    fn index(&self, s: &str, kind: Kind) -> Option<usize> {
        let n: usize = match kind {
            Kind::Text => s.strip_prefix("@@cf")?.strip_suffix("@@")?.parse().ok()?,
            Kind::Ident => s.strip_prefix("cf__slot")?.parse().ok()?,
            Kind::Number => (s.parse::<u64>().ok()?.checked_sub(NUMBER_BASE)?) as usize,
            Kind::Comment | Kind::BlockComment => return None,
        };
        (self.slots.get(n)?.kind == kind).then_some(n)
    }

    /// `s` with every placeholder replaced by its slot's text: string values hold text
    /// slots, and template source (`"x-${aws_t.cf__slot3.name}"`) slots of all three kinds.
    fn fill_str(&self, s: &mut String) {
        if !(s.contains("@@cf") || s.contains("cf__slot") || s.contains("777000000")) {
            return;
        }
        let b = s.as_bytes();
        let digits_at =
            |from: usize| from + b[from..].iter().take_while(|c| c.is_ascii_digit()).count();
        let mut out = String::with_capacity(s.len());
        let (mut i, mut copied) = (0, 0);
        while i < b.len() {
            let word_before = i > 0 && is_word(b[i - 1]);
            let found = if b[i..].starts_with(b"@@cf") {
                let end = digits_at(i + 4);
                b[end..]
                    .starts_with(b"@@")
                    .then(|| self.index(&s[i..end + 2], Kind::Text).map(|n| (n, end + 2)))
                    .flatten()
            } else if b[i..].starts_with(b"cf__slot") && !word_before {
                let end = digits_at(i + 8);
                (!b.get(end).is_some_and(|c| is_word(*c)))
                    .then(|| self.index(&s[i..end], Kind::Ident).map(|n| (n, end)))
                    .flatten()
            } else if b[i..].starts_with(b"777000000") && !(i > 0 && b[i - 1].is_ascii_digit()) {
                let end = digits_at(i);
                self.index(&s[i..end], Kind::Number).map(|n| (n, end))
            } else {
                None
            };
            match found {
                Some((n, end)) => {
                    out.push_str(&s[copied..i]);
                    out.push_str(self.value(n));
                    i = end;
                    copied = end;
                }
                None => i += 1,
            }
        }
        out.push_str(&s[copied..]);
        *s = out;
    }

    fn fill_ident(&self, id: &mut Identifier) {
        if let Some(n) = self.index(id.as_str(), Kind::Ident) {
            *id = Identifier::unchecked(self.value(n));
        }
    }

    fn fill_expr(&self, e: &mut Expression) {
        match e {
            Expression::String(s) => self.fill_str(s),
            Expression::Number(num) => {
                if let Some(n) = self.index(&num.to_string(), Kind::Number)
                    && let Ok(v) = self.value(n).parse::<u64>()
                {
                    *num = Number::from(v);
                }
            }
            Expression::Array(a) => a.iter_mut().for_each(|x| self.fill_expr(x)),
            Expression::Object(o) => {
                let entries = std::mem::take(o);
                *o = entries
                    .into_iter()
                    .map(|(mut k, mut v)| {
                        if let ObjectKey::Expression(ke) = &mut k {
                            self.fill_expr(ke);
                        }
                        self.fill_expr(&mut v);
                        (k, v)
                    })
                    .collect();
            }
            Expression::TemplateExpr(t) => match &mut **t {
                TemplateExpr::QuotedString(s) => self.fill_str(s),
                TemplateExpr::Heredoc(h) => self.fill_str(&mut h.template),
            },
            Expression::Traversal(t) => {
                self.fill_expr(&mut t.expr);
                for op in &mut t.operators {
                    match op {
                        TraversalOperator::GetAttr(id) => self.fill_ident(id),
                        TraversalOperator::Index(x) => self.fill_expr(x),
                        _ => {}
                    }
                }
            }
            Expression::FuncCall(f) => f.args.iter_mut().for_each(|x| self.fill_expr(x)),
            Expression::Parenthesis(p) => self.fill_expr(p),
            Expression::Conditional(c) => {
                self.fill_expr(&mut c.cond_expr);
                self.fill_expr(&mut c.true_expr);
                self.fill_expr(&mut c.false_expr);
            }
            Expression::Operation(op) => match &mut **op {
                Operation::Unary(u) => self.fill_expr(&mut u.expr),
                Operation::Binary(b) => {
                    self.fill_expr(&mut b.lhs_expr);
                    self.fill_expr(&mut b.rhs_expr);
                }
            },
            Expression::ForExpr(f) => {
                self.fill_expr(&mut f.collection_expr);
                if let Some(k) = &mut f.key_expr {
                    self.fill_expr(k);
                }
                self.fill_expr(&mut f.value_expr);
                if let Some(c) = &mut f.cond_expr {
                    self.fill_expr(c);
                }
            }
            _ => {}
        }
    }

    fn fill_block(&self, b: &mut Block, offset: usize) {
        b.labels.iter_mut().for_each(|l| self.fill_str(l));
        b.span = self.span(&b.span, offset);
        self.fill_body(&mut b.body, offset);
    }

    fn fill_body(&self, body: &mut Body, offset: usize) {
        for a in &mut body.attrs {
            self.fill_expr(&mut a.value);
            a.span = self.span(&a.span, offset);
            a.value_span = self.span(&a.value_span, offset);
        }
        for b in &mut body.nested {
            self.fill_block(b, offset);
        }
    }

    /// The template's blocks with this block's slots and spans (its text starting at byte
    /// `offset` of its file).
    pub fn fill(&self, template: &Template, offset: usize) -> Template {
        template
            .iter()
            .map(|(block, refs)| {
                let mut block = block.clone();
                self.fill_block(&mut block, offset);
                let refs = refs
                    .iter()
                    .map(|r| {
                        let mut r = r.clone();
                        for a in &mut r.attrs {
                            if let Some(n) = self.index(a, Kind::Ident) {
                                *a = self.value(n).to_owned();
                            }
                        }
                        r.span = self.span(&r.span, offset);
                        r
                    })
                    .collect();
                (block, refs)
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slots_are_values_and_keys_stay() {
        let text = "resource \"a\" \"b\" {\n  name = \"x-${var.p}-y\"\n  n = 5\n  m = { \"k\" = aws_x.t0.name, 07 = 1.5 }\n}\n";
        let s = shape(text).unwrap();
        let shape = String::from_utf8(s.shape.clone()).unwrap();
        assert_eq!(
            shape,
            "resource \"@@cf0@@\" \"@@cf1@@\" {\n  name = \"@@cf2@@${var.cf__slot3}@@cf4@@\"\n  n = 7770000000005\n  m = { \"k\" = aws_x.cf__slot6.cf__slot7, 07 = 1.5 }\n}\n"
        );
    }

    #[test]
    fn what_the_scanner_does_not_know_has_no_shape() {
        assert!(shape("locals {\n  a = <<EOT\nx\nEOT\n}\n").is_none());
        assert!(shape("locals {\n  a = \"@@cf0@@\"\n}\n").is_none());
        assert!(shape("locals {\n  é = 1\n}\n").is_none());
        assert!(shape("locals {\n  a = [1\n}\n").is_none());
    }
}
