//! YAML text → a located tree.
//!
//! The profile is parsed once by `serde-saphyr` (panic-free, budgeted against alias bombs and deep
//! nesting) into [`Node`]s that remember where each value and each mapping key stood. Everything
//! later in the pipeline — schema validation, typed decoding, semantic rules — reports locations
//! through this tree, addressed by JSON-pointer-like paths.

use std::collections::HashMap;
use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::Spanned;

pub use crate::diag::Pos;

/// A YAML value with its position.
#[derive(Clone, Debug)]
pub struct Node {
    /// Where the value starts.
    pub pos: Pos,
    /// The value.
    pub value: Value,
}

/// The value of a [`Node`].
#[derive(Clone, Debug)]
pub enum Value {
    /// `~`, `null` or an empty value.
    Null,
    /// `true` / `false`.
    Bool(bool),
    /// A whole number.
    Int(i64),
    /// A number with a fraction. Kept as the shortest decimal text that reads back as the same
    /// `f64`, which is what the user wrote for any number with fewer than 16 significant digits.
    Float(f64),
    /// A string.
    Str(String),
    /// A sequence.
    Seq(Vec<Node>),
    /// A mapping, in document order: (key, key position, value).
    Map(Vec<(String, Pos, Node)>),
}

impl Value {
    /// A short noun for the value's type, used in messages ("found a string").
    pub fn kind(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Int(_) | Value::Float(_) => "a number",
            Value::Str(_) => "a string",
            Value::Seq(_) => "a list",
            Value::Map(_) => "a mapping",
        }
    }
}

/// A problem found while reading YAML text.
#[derive(Clone, Debug)]
pub struct YamlError {
    /// Where, if the parser knew.
    pub pos: Option<Pos>,
    /// What went wrong, in one line.
    pub message: String,
}

fn pos_of(loc: serde_saphyr::Location) -> Pos {
    Pos {
        line: loc.line(),
        column: loc.column(),
    }
}

/// The intermediate form a node is deserialized into before its span is attached.
struct Raw(Value);

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let spanned = Spanned::<Raw>::deserialize(d)?;
        Ok(Node {
            pos: pos_of(spanned.referenced),
            value: spanned.value.0,
        })
    }
}

impl<'de> Deserialize<'de> for Raw {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(RawVisitor)
    }
}

struct RawVisitor;

impl<'de> Visitor<'de> for RawVisitor {
    type Value = Raw;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_unit<E>(self) -> Result<Raw, E> {
        Ok(Raw(Value::Null))
    }
    fn visit_none<E>(self) -> Result<Raw, E> {
        Ok(Raw(Value::Null))
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Raw, D::Error> {
        Raw::deserialize(d)
    }
    fn visit_bool<E>(self, v: bool) -> Result<Raw, E> {
        Ok(Raw(Value::Bool(v)))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Raw, E> {
        Ok(Raw(Value::Int(v)))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Raw, E> {
        match i64::try_from(v) {
            Ok(i) => Ok(Raw(Value::Int(i))),
            Err(_) => Ok(Raw(Value::Float(v as f64))),
        }
    }
    fn visit_i128<E: de::Error>(self, v: i128) -> Result<Raw, E> {
        match i64::try_from(v) {
            Ok(i) => Ok(Raw(Value::Int(i))),
            Err(_) => Ok(Raw(Value::Float(v as f64))),
        }
    }
    fn visit_u128<E: de::Error>(self, v: u128) -> Result<Raw, E> {
        match i64::try_from(v) {
            Ok(i) => Ok(Raw(Value::Int(i))),
            Err(_) => Ok(Raw(Value::Float(v as f64))),
        }
    }
    fn visit_f64<E>(self, v: f64) -> Result<Raw, E> {
        Ok(Raw(Value::Float(v)))
    }
    fn visit_str<E>(self, v: &str) -> Result<Raw, E> {
        Ok(Raw(Value::Str(v.to_owned())))
    }
    fn visit_string<E>(self, v: String) -> Result<Raw, E> {
        Ok(Raw(Value::Str(v)))
    }
    fn visit_bytes<E: de::Error>(self, _: &[u8]) -> Result<Raw, E> {
        Err(E::custom("binary values are not supported"))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Raw, A::Error> {
        let mut items = Vec::new();
        while let Some(node) = seq.next_element::<Node>()? {
            items.push(node);
        }
        Ok(Raw(Value::Seq(items)))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Raw, A::Error> {
        // Repeated keys are kept here and reported by `duplicate_keys`, which can name both
        // places; an error raised inside the visitor would only point at the mapping.
        let mut entries: Vec<(String, Pos, Node)> = Vec::new();
        while let Some(key) = map.next_key::<Spanned<KeyString>>()? {
            let pos = pos_of(key.referenced);
            let node = map.next_value::<Node>()?;
            let text = match key.value.typed {
                true => source_text(key.referenced.span()).unwrap_or(key.value.text),
                false => key.value.text,
            };
            entries.push((text, pos, node));
        }
        Ok(Raw(Value::Map(entries)))
    }
}

/// A key that stands twice in one mapping.
#[derive(Clone, Debug)]
pub struct DuplicateKey {
    /// Path of the repeated entry.
    pub path: Vec<PathSeg>,
    /// Where the repeated key stands.
    pub pos: Pos,
    /// Where the key first stood.
    pub first: Pos,
}

/// Every repeated mapping key in the document, in document order.
pub fn duplicate_keys(root: &Node) -> Vec<DuplicateKey> {
    fn walk(node: &Node, path: &mut Vec<PathSeg>, out: &mut Vec<DuplicateKey>) {
        match &node.value {
            Value::Map(entries) => {
                let mut seen: HashMap<&str, Pos> = HashMap::new();
                for (k, kpos, v) in entries {
                    path.push(PathSeg::Key(k.clone()));
                    match seen.get(k.as_str()) {
                        Some(first) => out.push(DuplicateKey {
                            path: path.clone(),
                            pos: *kpos,
                            first: *first,
                        }),
                        None => {
                            seen.insert(k, *kpos);
                        }
                    }
                    walk(v, path, out);
                    path.pop();
                }
            }
            Value::Seq(items) => {
                for (i, v) in items.iter().enumerate() {
                    path.push(PathSeg::Index(i));
                    walk(v, path, out);
                    path.pop();
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(root, &mut Vec::new(), &mut out);
    out
}

/// A mapping key, exactly as written: `0x1F: x` has the key `0x1F`, `1.50: x` the key `1.50`,
/// `true: x` the key `true`. The parser resolves plain scalars to numbers and booleans; for a
/// key the text it was spelled with is taken back from the source ([`SOURCE`]), since a key is
/// a name, not a value (`0x1F` and `31` are different tag keys).
struct KeyString {
    text: String,
    /// Whether the parser resolved the key to a number, boolean or null.
    typed: bool,
}

thread_local! {
    /// The text being parsed, for [`KeyString`]: set by [`parse`] for its duration.
    static SOURCE: std::cell::RefCell<Option<std::sync::Arc<str>>> = const { std::cell::RefCell::new(None) };
}

/// The source text of a span, if [`parse`] is running and the span has byte offsets.
fn source_text(span: serde_saphyr::Span) -> Option<String> {
    let (start, len) = (span.byte_offset()? as usize, span.byte_len()? as usize);
    SOURCE.with(|s| {
        s.borrow()
            .as_ref()
            .and_then(|t| t.get(start..start + len).map(str::to_owned))
    })
}

impl<'de> Deserialize<'de> for KeyString {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl Visitor<'_> for KeyVisitor {
            type Value = KeyString;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a mapping key (a string)")
            }
            fn visit_str<E>(self, v: &str) -> Result<KeyString, E> {
                Ok(KeyString {
                    text: v.to_owned(),
                    typed: false,
                })
            }
            fn visit_string<E>(self, v: String) -> Result<KeyString, E> {
                Ok(KeyString {
                    text: v,
                    typed: false,
                })
            }
            fn visit_bool<E>(self, v: bool) -> Result<KeyString, E> {
                Ok(KeyString {
                    text: v.to_string(),
                    typed: true,
                })
            }
            fn visit_i64<E>(self, v: i64) -> Result<KeyString, E> {
                Ok(KeyString {
                    text: v.to_string(),
                    typed: true,
                })
            }
            fn visit_u64<E>(self, v: u64) -> Result<KeyString, E> {
                Ok(KeyString {
                    text: v.to_string(),
                    typed: true,
                })
            }
            fn visit_i128<E>(self, v: i128) -> Result<KeyString, E> {
                Ok(KeyString {
                    text: v.to_string(),
                    typed: true,
                })
            }
            fn visit_u128<E>(self, v: u128) -> Result<KeyString, E> {
                Ok(KeyString {
                    text: v.to_string(),
                    typed: true,
                })
            }
            fn visit_f64<E>(self, v: f64) -> Result<KeyString, E> {
                Ok(KeyString {
                    text: v.to_string(),
                    typed: true,
                })
            }
            fn visit_unit<E>(self) -> Result<KeyString, E> {
                Ok(KeyString {
                    text: "null".to_owned(),
                    typed: true,
                })
            }
        }
        d.deserialize_any(KeyVisitor)
    }
}

/// Limits on what a profile may contain; documented in the README under "Limits".
pub mod limits {
    /// Largest profile file accepted, in bytes.
    pub const MAX_FILE_BYTES: usize = 16 * 1024 * 1024;
    /// Deepest nesting of mappings and lists.
    pub const MAX_DEPTH: usize = 64;
    /// Most YAML nodes (after alias expansion).
    pub const MAX_NODES: usize = 1_000_000;
    /// Most alias uses (`*anchor`).
    pub const MAX_ALIASES: usize = 1_000;
    /// Most YAML events replayed by expanding aliases, in all.
    pub const MAX_REPLAYED_EVENTS: usize = 100_000;
}

/// Parse YAML text into a located tree. An empty document is an error: a profile has content.
pub fn parse(text: &str) -> Result<Node, YamlError> {
    if text.len() > limits::MAX_FILE_BYTES {
        return Err(YamlError {
            pos: None,
            message: format!(
                "the file is {} bytes; profiles are limited to {} bytes",
                text.len(),
                limits::MAX_FILE_BYTES
            ),
        });
    }
    if text.trim().is_empty()
        || text
            .lines()
            .all(|l| l.trim().is_empty() || l.trim_start().starts_with('#'))
    {
        return Err(YamlError {
            pos: Some(Pos { line: 1, column: 1 }),
            message: "the file is empty; a profile needs at least `name`, `environment`, `region`, `customers` and `tables`".into(),
        });
    }
    // The tree is built by recursion as deep as the document (at most MAX_DEPTH levels, each
    // several deserializer frames): on a thread of its own with a stack sized for that, so a
    // caller's small thread stack (a test thread, a worker pool) is never the limit.
    let parse = move || {
        let mut budget = serde_saphyr::Budget::default();
        budget.max_depth = limits::MAX_DEPTH;
        budget.max_nodes = limits::MAX_NODES;
        budget.max_aliases = limits::MAX_ALIASES;
        let mut options = serde_saphyr::Options::default();
        options.budget = Some(budget);
        options.alias_limits.max_total_replayed_events = limits::MAX_REPLAYED_EVENTS;
        // YAML 1.2 booleans only: `type: N` is the letter N (a DynamoDB Number), not `false`.
        options.strict_booleans = true;
        // Duplicate keys are reported by our own visitor, which names both places.
        options.duplicate_keys = serde_saphyr::DuplicateKeyPolicy::PassThrough;
        // A tag capform does not know (`!custom`) is an error, not silently dropped.
        options.reject_unsupported_tags = true;
        struct Source;
        impl Drop for Source {
            fn drop(&mut self) {
                SOURCE.with(|s| *s.borrow_mut() = None);
            }
        }
        SOURCE.with(|s| *s.borrow_mut() = Some(text.into()));
        let _clear = Source;
        serde_saphyr::from_str_with_options::<Node>(text, options).map_err(|e| {
            let pos = e.location().map(pos_of).filter(|p| p.line > 0);
            YamlError {
                pos,
                message: plain_message(&first_line(&e.to_string())),
            }
        })
    };
    std::thread::scope(|scope| {
        match std::thread::Builder::new()
            .name("capform-yaml".into())
            .stack_size(PARSER_STACK_BYTES)
            .spawn_scoped(scope, parse)
        {
            Ok(handle) => handle
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            Err(_) => Err(YamlError {
                pos: None,
                message: "cannot start the YAML parser (out of memory or threads)".into(),
            }),
        }
    })
}

/// Stack for the parser thread: ample for [`limits::MAX_DEPTH`] levels even in a debug build.
const PARSER_STACK_BYTES: usize = 64 * 1024 * 1024;

/// The parser's messages in the user's terms: no advice about the parser's own API or
/// options, no internal debug text.
fn plain_message(m: &str) -> String {
    let lower = m.to_lowercase();
    if lower.contains("budget") || lower.contains("depth") && lower.contains('{') {
        let what = if lower.contains("depth") {
            format!("is nested more than {} levels deep", limits::MAX_DEPTH)
        } else if lower.contains("alias") || lower.contains("replay") {
            format!(
                "uses aliases more than {} times or expands them to more than {} events",
                limits::MAX_ALIASES,
                limits::MAX_REPLAYED_EVENTS
            )
        } else {
            format!("has more than {} values", limits::MAX_NODES)
        };
        return format!("the document {what}, past the limit for a profile");
    }
    if lower.contains("from_str_multiple") || lower.contains("multiple documents") {
        return "the file holds more than one YAML document (`---`); a profile is one document"
            .into();
    }
    if lower.contains("duplicatekeypolicy") || lower.contains("duplicate key") {
        return "a mapping has the same key twice".into();
    }
    if lower.contains("tag")
        && (lower.contains("unsupported")
            || lower.contains("unknown")
            || lower.contains("not recognized")
            || lower.contains("unrecognized"))
    {
        return format!(
            "{}; capform reads plain YAML: remove the tag",
            m.split(" (").next().unwrap_or(m)
        );
    }
    m.to_owned()
}

/// The parser's message without its own `error: line N column M:` prefix (we print locations
/// ourselves) and without any snippet it appended.
fn first_line(s: &str) -> String {
    let line = s
        .lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("invalid YAML")
        .trim();
    let line = line.strip_prefix("error:").unwrap_or(line).trim_start();
    let line = match line.strip_prefix("line ") {
        Some(rest) => match rest.find(": ") {
            Some(i) if rest[..i].contains("column") => &rest[i + 2..],
            _ => line,
        },
        None => line,
    };
    line.to_owned()
}

impl Node {
    /// The node at a path of mapping keys / sequence indexes, if any.
    pub fn get(&self, path: &[PathSeg]) -> Option<&Node> {
        let mut cur = self;
        for seg in path {
            cur = match (&cur.value, seg) {
                (Value::Map(entries), PathSeg::Key(k)) => {
                    &entries.iter().find(|(name, _, _)| name == k)?.2
                }
                (Value::Seq(items), PathSeg::Index(i)) => items.get(*i)?,
                _ => return None,
            };
        }
        Some(cur)
    }

    /// Where a path points: the value's position, or for a missing key the nearest ancestor.
    /// With `key = true`, a mapping entry is located at its key rather than its value.
    pub fn locate(&self, path: &[PathSeg], key: bool) -> Pos {
        let mut cur = self;
        let mut pos = self.pos;
        for seg in path {
            match (&cur.value, seg) {
                (Value::Map(entries), PathSeg::Key(k)) => {
                    match entries.iter().find(|(name, _, _)| name == k) {
                        Some((_, kpos, node)) => {
                            pos = if key { *kpos } else { node.pos };
                            cur = node;
                        }
                        None => return pos,
                    }
                }
                (Value::Seq(items), PathSeg::Index(i)) => match items.get(*i) {
                    Some(node) => {
                        pos = node.pos;
                        cur = node;
                    }
                    None => return pos,
                },
                _ => return pos,
            }
        }
        pos
    }

    /// Convert to JSON for schema validation and typed decoding. Numbers with a fraction keep the
    /// exact value they were written with (`0.035` stays `0.035`).
    pub fn to_json(&self) -> serde_json::Value {
        match &self.value {
            Value::Null => serde_json::Value::Null,
            Value::Bool(b) => serde_json::Value::Bool(*b),
            Value::Int(i) => serde_json::Value::from(*i),
            Value::Float(f) => serde_json::Number::from_f64(*f)
                .map(serde_json::Value::Number)
                .unwrap_or_else(|| serde_json::Value::String(f.to_string())),
            Value::Str(s) => serde_json::Value::String(s.clone()),
            Value::Seq(items) => {
                serde_json::Value::Array(items.iter().map(Node::to_json).collect())
            }
            Value::Map(entries) => serde_json::Value::Object(
                entries
                    .iter()
                    .map(|(k, _, v)| (k.clone(), v.to_json()))
                    .collect(),
            ),
        }
    }
}

/// One step of a path into a document.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum PathSeg {
    /// A mapping key.
    Key(String),
    /// A sequence index.
    Index(usize),
}

/// Render a path as users read it: `tables.support_tickets.indexes.by_status`, `business_metrics[2].stat`.
pub fn display_path(path: &[PathSeg]) -> String {
    let mut out = String::new();
    for seg in path {
        match seg {
            PathSeg::Key(k) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(k);
            }
            PathSeg::Index(i) => {
                out.push_str(&format!("[{i}]"));
            }
        }
    }
    if out.is_empty() {
        out.push_str("(document)");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(k: &str) -> PathSeg {
        PathSeg::Key(k.into())
    }

    #[test]
    fn locates_nested_values_and_keys() {
        let doc = parse("a: 1\nb:\n  c: [x, 2.5]\n  d: hi\n").unwrap();
        assert_eq!(
            doc.locate(&[key("b"), key("d")], false),
            Pos { line: 4, column: 6 }
        );
        assert_eq!(
            doc.locate(&[key("b"), key("d")], true),
            Pos { line: 4, column: 3 }
        );
        assert_eq!(
            doc.locate(&[key("b"), key("c"), PathSeg::Index(1)], false),
            Pos {
                line: 3,
                column: 10
            }
        );
        // a missing key points at the nearest ancestor that exists
        assert_eq!(
            doc.locate(&[key("b"), key("zz")], false),
            Pos { line: 3, column: 3 }
        );
        assert_eq!(doc.to_json()["b"]["c"][1], serde_json::json!(2.5));
    }

    #[test]
    fn finds_duplicate_keys_with_both_locations() {
        let doc = parse("tables:\n  a: 1\n  b: 2\n  a: 3\n").unwrap();
        let dups = duplicate_keys(&doc);
        assert_eq!(dups.len(), 1);
        assert_eq!(display_path(&dups[0].path), "tables.a");
        assert_eq!(dups[0].pos, Pos { line: 4, column: 3 });
        assert_eq!(dups[0].first, Pos { line: 2, column: 3 });
    }

    #[test]
    fn rejects_empty_and_comment_only_files() {
        assert!(parse("").unwrap_err().message.contains("empty"));
        assert!(
            parse("# nothing\n\n")
                .unwrap_err()
                .message
                .contains("empty")
        );
    }

    #[test]
    fn syntax_errors_are_located() {
        let err = parse("a: 1\nb: [1, 2\nc: 3\n").unwrap_err();
        assert!(err.pos.is_some(), "{err:?}");
    }

    #[test]
    fn alias_bombs_are_refused() {
        let mut text = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        let mut prev = 'a';
        for c in 'b'..='j' {
            text.push_str(&format!(
                "{c}: &{c} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"
            ));
            prev = c;
        }
        assert!(parse(&text).is_err());
    }

    #[test]
    fn yaml_1_1_boolean_spellings_are_strings() {
        let doc = parse("a: N\nb: yes\nc: true\n").unwrap();
        assert_eq!(
            doc.to_json(),
            serde_json::json!({"a": "N", "b": "yes", "c": true})
        );
    }

    #[test]
    fn deep_nesting_is_refused() {
        let text = "[".repeat(10_000) + &"]".repeat(10_000);
        assert!(parse(&text).is_err());
    }
}
