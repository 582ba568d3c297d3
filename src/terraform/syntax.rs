//! The parsed form of Terraform source the later stages read: blocks, attributes and
//! expressions (hcl-rs's [`hcl::Expression`], what `hcl::eval` evaluates) with the byte spans
//! findings point at, and nothing else.
//!
//! hcl-edit parses; its trees keep every comment, space and raw token, about twenty times the
//! text in memory, so each block is turned into this form as soon as it is parsed and the tree
//! dropped. A large file is cut at its top-level block boundaries ([`units`]) so that its
//! blocks parse on all cores, each shape of block once ([`super::shape`]).

use std::ops::Range;

use hcl::Expression;
use hcl::edit::Span;

/// An attribute: `key = value`.
#[derive(Clone, Debug, PartialEq)]
pub struct Attribute {
    /// Its name.
    pub key: String,
    /// Its expression.
    pub value: Expression,
    /// Byte span of the whole attribute.
    pub span: Option<Range<usize>>,
    /// Byte span of the expression.
    pub value_span: Option<Range<usize>>,
}

/// The attributes and nested blocks of a block, each kind in source order.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Body {
    /// Attributes.
    pub attrs: Vec<Attribute>,
    /// Nested blocks.
    pub nested: Vec<Block>,
}

impl Body {
    /// Its attributes.
    pub fn attributes(&self) -> impl Iterator<Item = &Attribute> {
        self.attrs.iter()
    }

    /// The attribute with this name.
    pub fn get_attribute(&self, key: &str) -> Option<&Attribute> {
        self.attrs.iter().find(|a| a.key == key)
    }

    /// Its nested blocks.
    pub fn blocks(&self) -> impl Iterator<Item = &Block> {
        self.nested.iter()
    }

    /// Its nested blocks with this identifier.
    pub fn get_blocks<'a>(&'a self, ident: &'a str) -> impl Iterator<Item = &'a Block> + 'a {
        self.nested.iter().filter(move |b| b.ident == ident)
    }
}

/// A block: `ident "label" … { body }`.
#[derive(Clone, Debug, PartialEq)]
pub struct Block {
    /// `resource`, `lifecycle`, `dynamic`, …
    pub ident: String,
    /// Its labels' texts.
    pub labels: Vec<String>,
    /// Its body.
    pub body: Body,
    /// Byte span of the whole block.
    pub span: Option<Range<usize>>,
}

fn shift(span: Option<Range<usize>>, by: usize) -> Option<Range<usize>> {
    span.map(|r| r.start + by..r.end + by)
}

/// A block of hcl-edit's tree in this form, its spans moved by `offset` (where the text it
/// was parsed from starts in its file), in as little memory as it takes.
pub fn block(b: hcl::edit::structure::Block, offset: usize) -> Block {
    // The conversion leaves strings and vectors with room to grow, near twice what they hold
    // (measured on a 1,000-table module); a clone allocates each at its length.
    convert(b, offset).clone()
}

fn convert(b: hcl::edit::structure::Block, offset: usize) -> Block {
    let span = shift(b.span(), offset);
    Block {
        ident: b.ident.value().as_str().to_owned(),
        labels: b.labels.iter().map(super::source::label_text).collect(),
        body: body(b.body, offset),
        span,
    }
}

fn body(b: hcl::edit::structure::Body, offset: usize) -> Body {
    let mut out = Body::default();
    for s in b {
        match s {
            hcl::edit::structure::Structure::Attribute(a) => {
                let span = shift(a.span(), offset);
                let value_span = shift(a.value.span(), offset);
                out.attrs.push(Attribute {
                    key: a.key.value().as_str().to_owned(),
                    value: Expression::from(a.value),
                    span,
                    value_span,
                });
            }
            hcl::edit::structure::Structure::Block(nb) => out.nested.push(convert(nb, offset)),
        }
    }
    out
}

/// Below this size a file is parsed in one piece.
const SPLIT_BELOW: usize = 256 * 1024;

/// The byte ranges of `text`'s top-level blocks (each with the comments and blank lines before
/// it), for parsing them apart; empty when the text is small or when the scan cannot be sure
/// where its blocks end (an unterminated string, unbalanced brackets), and the file is then
/// parsed whole.
///
/// The scan knows what can hide a brace: quoted strings with their `${…}` and `%{…}`
/// sequences, heredocs, and the three kinds of comments. A block's range ends after the newline
/// that ends the line closing it.
pub fn units(text: &str) -> Vec<Range<usize>> {
    if text.len() < SPLIT_BELOW {
        return vec![];
    }
    units_of_any_size(text)
}

/// [`units`] whatever the text's size.
pub(crate) fn units_of_any_size(text: &str) -> Vec<Range<usize>> {
    let Some(ends) = block_ends(text.as_bytes()) else {
        return vec![];
    };
    let mut out = Vec::with_capacity(ends.len() + 1);
    let mut last = 0;
    for e in ends.into_iter().chain([text.len()]) {
        if e > last {
            out.push(last..e);
            last = e;
        }
    }
    out
}

/// Offsets just past the newline of each line that closes a top-level block.
fn block_ends(b: &[u8]) -> Option<Vec<usize>> {
    let n = b.len();
    let mut i = 0;
    // open brackets: `{`, `[`, `(`, or `$` for a template sequence inside a quoted string
    let mut stack: Vec<u8> = Vec::new();
    let mut in_string = false;
    let mut closed = false;
    let mut ends = Vec::new();
    while i < n {
        let c = b[i];
        if in_string {
            match c {
                b'\\' => i += 1,
                b'"' => in_string = false,
                b'\n' => return None,
                b'$' | b'%' if b.get(i + 1) == Some(&c) => i += 1,
                b'$' | b'%' if b.get(i + 1) == Some(&b'{') => {
                    stack.push(b'$');
                    in_string = false;
                    i += 1;
                }
                _ => {}
            }
            i += 1;
            continue;
        }
        match c {
            b'"' => in_string = true,
            b'#' => i = line_end(b, i),
            b'/' if b.get(i + 1) == Some(&b'/') => i = line_end(b, i),
            b'/' if b.get(i + 1) == Some(&b'*') => {
                i = find(b, i + 2, b"*/")? + 1;
            }
            b'<' if b.get(i + 1) == Some(&b'<') => i = heredoc_end(b, i)?,
            b'{' | b'[' | b'(' => stack.push(c),
            b'}' | b']' | b')' => {
                let open = stack.pop()?;
                let matches =
                    matches!((open, c), (b'{' | b'$', b'}') | (b'[', b']') | (b'(', b')'));
                if !matches {
                    return None;
                }
                if open == b'$' {
                    in_string = true;
                } else if stack.is_empty() && c == b'}' {
                    closed = true;
                }
            }
            b'\n' if closed && stack.is_empty() => {
                ends.push(i + 1);
                closed = false;
            }
            _ => {}
        }
        i += 1;
    }
    (stack.is_empty() && !in_string).then_some(ends)
}

/// Index of the newline ending the line at `i` (or the end of the text), so that the scan
/// goes on with the newline itself.
pub(crate) fn line_end(b: &[u8], i: usize) -> usize {
    find(b, i, b"\n").map(|j| j - 1).unwrap_or(b.len())
}

/// Where `what` next occurs in `b` from `from`.
pub(crate) fn find(b: &[u8], from: usize, what: &[u8]) -> Option<usize> {
    b.get(from..)?
        .windows(what.len())
        .position(|w| w == what)
        .map(|p| from + p)
}

/// `<<MARKER` or `<<-MARKER` at `i`: the index of the newline after its closing line.
fn heredoc_end(b: &[u8], i: usize) -> Option<usize> {
    let mut j = i + 2;
    if b.get(j) == Some(&b'-') {
        j += 1;
    }
    let start = j;
    while j < b.len() && (b[j].is_ascii_alphanumeric() || b[j] == b'_' || b[j] == b'-') {
        j += 1;
    }
    let marker = &b[start..j];
    if marker.is_empty() {
        return None;
    }
    let mut line = find(b, j, b"\n")? + 1;
    loop {
        let end = find(b, line, b"\n").unwrap_or(b.len());
        let text = &b[line..end];
        let trimmed = text.trim_ascii();
        if trimmed == marker {
            return Some(end.saturating_sub(1).max(line));
        }
        if end >= b.len() {
            return None;
        }
        line = end + 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_whole(text: &str) -> Vec<Block> {
        hcl::edit::parser::parse_body(text)
            .unwrap()
            .into_iter()
            .filter_map(|s| match s {
                hcl::edit::structure::Structure::Block(b) => Some(block(b, 0)),
                _ => None,
            })
            .collect()
    }

    fn parse_split(text: &str, units: &[Range<usize>]) -> Vec<Block> {
        units
            .iter()
            .map(|r| (r.start, r.end))
            .flat_map(|(s, e)| {
                hcl::edit::parser::parse_body(&text[s..e])
                    .unwrap_or_else(|err| {
                        panic!(
                            "piece at {s}: {err}\n{}",
                            &text[s..(s + 400).min(text.len())]
                        )
                    })
                    .into_iter()
                    .filter_map(move |st| match st {
                        hcl::edit::structure::Structure::Block(b) => Some(block(b, s)),
                        _ => None,
                    })
            })
            .collect()
    }

    /// Blocks of every shape that can hide a brace, repeated past the split size.
    fn tricky() -> String {
        let one = r#"
# a comment with a brace }
resource "aws_dynamodb_table" "t" { // and here {
  name = "a-${var.x}-}-${ {a = "}"}["a"] }"
  note = "escaped \" quote { and $${literal} and %%{literal}"
  /* a block comment
     with } braces { */
  policy = <<-EOT
    {"Statement": [}
    EOT
  list = [for k, v in { a = 1 } : "${k}" if v > 0]
  tags = { for k in ["x"] : k => "%{ if k == "x" }yes%{ else }no%{ endif }" }
}
locals {
  x = (1 + 2) * 3
} # trailing comment
"#;
        one.repeat(SPLIT_BELOW / one.len() * 3)
    }

    #[test]
    fn split_parse_reads_the_same_blocks_at_the_same_places() {
        let text = tricky();
        let units = units(&text);
        assert!(units.len() >= 2, "{} units", units.len());
        for u in &units[..units.len() - 1] {
            assert_eq!(&text[u.end - 1..u.end], "\n");
        }
        assert_eq!(parse_split(&text, &units), parse_whole(&text));
    }

    #[test]
    fn every_corpus_module_reads_the_same_cut_or_whole() {
        // the corpus's hand-written modules (heredocs, templates, dynamic blocks, comments),
        // joined and repeated past the size at which a file is cut
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/corpus/terraform");
        let mut files: Vec<_> = walk(std::path::Path::new(root));
        files.sort();
        let mut all = String::new();
        for f in files {
            // (the corpus has files that are not UTF-8 or not HCL on purpose)
            let Ok(text) = std::fs::read_to_string(&f) else {
                continue;
            };
            if hcl::edit::parser::parse_body(&text).is_ok() {
                all.push_str(&text);
                all.push('\n');
            }
        }
        assert!(all.len() > 20_000, "{} bytes of corpus", all.len());
        let text = all.repeat(SPLIT_BELOW / all.len() * 3 + 1);
        let units = units(&text);
        assert!(units.len() >= 2, "{} units", units.len());
        assert_eq!(parse_split(&text, &units), parse_whole(&text));
    }

    fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
        let mut out = Vec::new();
        for e in std::fs::read_dir(dir).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                out.extend(walk(&p));
            } else if p.extension().is_some_and(|x| x == "tf") {
                out.push(p);
            }
        }
        out
    }

    #[test]
    fn an_unsure_scan_does_not_split() {
        let mut text = tricky();
        text.push_str("resource \"x\" \"y\" {\n  a = \"unterminated\n}\n");
        assert!(units(&text).is_empty());
        let mut text = tricky();
        text.push_str("locals {\n  a = [1, 2\n}\n");
        assert!(units(&text).is_empty());
        assert!(
            units("locals {}\n").is_empty(),
            "small files are parsed whole"
        );
    }

    #[test]
    fn spans_are_offsets_in_the_file() {
        let text = "locals {\n  a = 1\n}\n";
        let b = &parse_whole(text)[0];
        let a = &b.body.attrs[0];
        assert_eq!(&text[a.value_span.clone().unwrap()], "1");
        assert_eq!(&text[b.span.clone().unwrap()], text.trim_end());
        let shifted = parse_split(
            &format!("{text}{text}"),
            &[0..text.len(), text.len()..2 * text.len()],
        );
        let a = &shifted[1].body.attrs[0];
        assert_eq!(a.value_span, Some(text.len() + 15..text.len() + 16));
    }
}
