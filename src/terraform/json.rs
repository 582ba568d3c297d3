//! Terraform's JSON configuration syntax (`*.tf.json`), turned into the HCL it stands for, so
//! that one parser and one evaluator read both. The mapping follows Terraform's
//! "JSON Configuration Syntax": strings in expression positions are string templates (a string
//! that is a single `${…}` is that expression, not a string), `variable.type`, `depends_on`,
//! `lifecycle.ignore_changes`, `moved`/`import`/`removed` addresses and `provider` references
//! are expressions written as strings, `variable.default` is a literal, and keys named `//` are
//! comments. Nested blocks are told from object-valued attributes by name, as Terraform tells
//! them by the provider's schema: the blocks of the resources capform judges, and the
//! language's own (`lifecycle`, `dynamic`, `content`, …).

use serde_json::{Map, Value};

/// Nested block types, as the provider schema and the language define them.
pub const BLOCKS: &[&str] = &[
    "lifecycle",
    "dynamic",
    "content",
    "provisioner",
    "connection",
    "precondition",
    "postcondition",
    "validation",
    "attribute",
    "global_secondary_index",
    "local_secondary_index",
    "ttl",
    "point_in_time_recovery",
    "server_side_encryption",
    "replica",
    "timeouts",
    "import_table",
    "on_demand_throughput",
    "warm_throughput",
    "target_tracking_scaling_policy_configuration",
    "step_scaling_policy_configuration",
    "predefined_metric_specification",
    "customized_metric_specification",
    "step_adjustment",
    "metric_query",
    "metric",
    "default_tags",
    "assume_role",
    "required_providers",
    "backend",
    "assert",
];

/// The HCL a `.tf.json` file stands for, and where each of its top-level blocks is named in
/// the JSON (byte offset of the key's opening quote), in the order the blocks are written.
#[derive(Debug)]
pub struct Converted {
    /// HCL text.
    pub hcl: String,
    /// Byte offset in the JSON of each top-level block's key.
    pub anchors: Vec<usize>,
}

/// Convert a `.tf.json` text; an error is a byte offset and a message.
pub fn to_hcl(text: &str) -> Result<Converted, (usize, String)> {
    let root: Value = serde_json::from_str(text).map_err(|e| {
        let offset = offset_of(text, e.line(), e.column());
        (offset, e.to_string())
    })?;
    let Value::Object(root) = root else {
        return Err((0, "the file must hold a JSON object".into()));
    };
    let mut w = Writer {
        text,
        cursor: 0,
        out: String::new(),
        anchors: vec![],
    };
    for (kind, v) in &root {
        w.top(kind, v)?;
    }
    Ok(Converted {
        hcl: w.out,
        anchors: w.anchors,
    })
}

fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let start: usize = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum();
    (start + column.saturating_sub(1)).min(text.len())
}

struct Writer<'a> {
    text: &'a str,
    cursor: usize,
    out: String,
    anchors: Vec<usize>,
}

fn err<T>(message: impl Into<String>) -> Result<T, (usize, String)> {
    Err((0, message.into()))
}

/// How strings of a position are read.
#[derive(Clone, Copy, PartialEq)]
enum Mode {
    /// A string template.
    Template,
    /// A literal (variable defaults).
    Literal,
    /// An expression written as a string (`type`, `depends_on`, addresses).
    Bare,
}

impl Writer<'_> {
    /// Record where the key `name` stands in the JSON, searching on from the last one found.
    fn anchor(&mut self, name: &str) {
        let quoted = serde_json::to_string(name).unwrap_or_default();
        let at = self.text[self.cursor..]
            .find(&quoted)
            .map(|i| self.cursor + i)
            .unwrap_or(self.cursor);
        self.cursor = at + quoted.len().min(self.text.len() - at);
        self.anchors.push(at);
    }

    fn top(&mut self, kind: &str, v: &Value) -> Result<(), (usize, String)> {
        match kind {
            "//" => Ok(()),
            "resource" | "data" => {
                for (ty, names) in obj(v, kind)? {
                    for (name, bodies) in obj(names, ty)? {
                        for body in each_body(bodies) {
                            self.anchor(name);
                            self.block(kind, &[ty, name], body, kind)?;
                        }
                    }
                }
                Ok(())
            }
            "variable" | "output" | "module" | "provider" | "check" => {
                for (name, bodies) in obj(v, kind)? {
                    for body in each_body(bodies) {
                        self.anchor(name);
                        self.block(kind, &[name], body, kind)?;
                    }
                }
                Ok(())
            }
            "locals" | "terraform" | "moved" | "import" | "removed" => {
                for body in each_body(v) {
                    self.anchor(kind);
                    self.block(kind, &[], body, kind)?;
                }
                Ok(())
            }
            other => err(format!("unknown top-level block type `{other}`")),
        }
    }

    fn block(
        &mut self,
        ident: &str,
        labels: &[&str],
        body: &Value,
        kind: &str,
    ) -> Result<(), (usize, String)> {
        let Value::Object(body) = body else {
            return err(format!("the body of `{ident}` must be a JSON object"));
        };
        self.out.push_str(ident);
        for l in labels {
            self.out.push(' ');
            self.out.push_str(&quote(l));
        }
        self.out.push_str(" {\n");
        for (k, v) in body {
            if k == "//" {
                continue;
            }
            let nested_kind = kind;
            if ident == "dynamic" && k == "content" || is_block(kind, ident, k, v) {
                if k == "dynamic" {
                    for (label, b) in obj(v, k)? {
                        for b in each_body(b) {
                            self.block("dynamic", &[label], b, nested_kind)?;
                        }
                    }
                } else if kind == "check" && (k == "data") {
                    for (ty, names) in obj(v, k)? {
                        for (name, b) in obj(names, ty)? {
                            for b in each_body(b) {
                                self.block("data", &[ty, name], b, "data")?;
                            }
                        }
                    }
                } else {
                    for b in each_body(v) {
                        self.block(k, &[], b, nested_kind)?;
                    }
                }
                continue;
            }
            let mode = match (kind, ident, k.as_str()) {
                ("variable", "variable", "default") => Mode::Literal,
                ("variable", "variable", "type") => Mode::Bare,
                (_, _, "depends_on" | "provider" | "providers") => Mode::Bare,
                (_, "lifecycle", "ignore_changes" | "replace_triggered_by") => Mode::Bare,
                ("moved" | "import" | "removed", _, "from" | "to") => Mode::Bare,
                _ => Mode::Template,
            };
            self.out.push_str(&key(k));
            self.out.push_str(" = ");
            self.out.push_str(&expr(v, mode));
            self.out.push('\n');
        }
        self.out.push_str("}\n");
        Ok(())
    }
}

fn is_block(kind: &str, ident: &str, k: &str, v: &Value) -> bool {
    let shaped = match v {
        Value::Object(_) => true,
        Value::Array(a) => !a.is_empty() && a.iter().all(Value::is_object),
        _ => false,
    };
    if !shaped {
        return false;
    }
    match (kind, ident) {
        ("variable" | "output" | "locals" | "moved" | "import", _) => {
            k == "validation" || k == "precondition"
        }
        ("module", "module") => false,
        ("check", "check") => k == "data" || k == "assert",
        ("terraform", "terraform") => true,
        ("terraform", _) => ident == "backend" || ident == "cloud",
        _ => BLOCKS.contains(&k),
    }
}

fn obj<'v>(v: &'v Value, what: &str) -> Result<&'v Map<String, Value>, (usize, String)> {
    v.as_object()
        .ok_or_else(|| (0, format!("`{what}` must be a JSON object")))
}

/// A block's body, or the bodies of a block given several times (a JSON array).
fn each_body(v: &Value) -> Vec<&Value> {
    match v {
        Value::Array(a) => a.iter().collect(),
        other => vec![other],
    }
}

fn key(k: &str) -> String {
    let ident = k
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && k.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if ident { k.to_owned() } else { quote(k) }
}

/// A quoted HCL string literal: escapes, and template markers doubled (the one escaping
/// function of [`crate::render::escape`]).
fn quote(s: &str) -> String {
    format!("\"{}\"", crate::render::escape::escape(s))
}

fn escape(s: &str) -> String {
    crate::render::escape::escape_template(s)
}

/// The expression inside a string that is exactly one `${…}` interpolation.
fn single_interpolation(s: &str) -> Option<&str> {
    let inner = s.strip_prefix("${")?.strip_suffix('}')?;
    // the first interpolation must close at the end of the string
    let mut depth = 1usize;
    let mut in_string = false;
    let mut prev = '\0';
    for (i, c) in s.char_indices().skip(2) {
        match c {
            '"' if prev != '\\' => in_string = !in_string,
            '{' if !in_string => depth += 1,
            '}' if !in_string => {
                depth -= 1;
                if depth == 0 {
                    return (i == s.len() - 1).then_some(inner);
                }
            }
            _ => {}
        }
        prev = c;
    }
    None
}

fn expr(v: &Value, mode: Mode) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => match mode {
            Mode::Bare => s.clone(),
            Mode::Literal => quote(s),
            Mode::Template => match single_interpolation(s) {
                Some(inner) => format!("({inner})"),
                None => format!("\"{}\"", escape(s)),
            },
        },
        Value::Array(a) => {
            let items: Vec<String> = a.iter().map(|x| expr(x, mode)).collect();
            format!("[{}]", items.join(", "))
        }
        Value::Object(o) => {
            let mut out = String::from("{\n");
            for (k, x) in o {
                if k == "//" {
                    continue;
                }
                let k = if mode == Mode::Template {
                    match single_interpolation(k) {
                        Some(inner) => format!("({inner})"),
                        None => format!("\"{}\"", escape(k)),
                    }
                } else {
                    quote(k)
                };
                out.push_str(&format!("{k} = {}\n", expr(x, mode)));
            }
            out.push('}');
            out
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resources_variables_and_templates_become_hcl() {
        let c = to_hcl(
            r#"{
  "//": "a comment",
  "variable": {"billing": {"type": "string", "default": "PAY_PER_REQUEST"}},
  "resource": {"aws_dynamodb_table": {"t": {
    "name": "orders-${var.env}",
    "billing_mode": "${var.billing}",
    "hash_key": "id",
    "attribute": [{"name": "id", "type": "S"}],
    "lifecycle": {"ignore_changes": ["read_capacity"]}
  }}}
}"#,
        )
        .unwrap();
        let body = hcl::edit::parser::parse_body(&c.hcl).unwrap();
        assert_eq!(body.iter().filter(|s| s.is_block()).count(), 2);
        assert!(c.hcl.contains("billing_mode = (var.billing)"), "{}", c.hcl);
        assert!(c.hcl.contains("name = \"orders-${var.env}\""), "{}", c.hcl);
        assert!(c.hcl.contains("attribute {"), "{}", c.hcl);
        assert!(
            c.hcl.contains("ignore_changes = [read_capacity]"),
            "{}",
            c.hcl
        );
        assert!(c.hcl.contains("default = \"PAY_PER_REQUEST\""), "{}", c.hcl);
        assert_eq!(c.anchors.len(), 2);
    }

    #[test]
    fn a_default_is_a_literal_and_a_bad_file_is_located() {
        let c = to_hcl(r#"{"variable": {"x": {"default": "${not.a.ref}"}}}"#).unwrap();
        assert!(c.hcl.contains("\"$${not.a.ref}\""), "{}", c.hcl);
        let (offset, _) = to_hcl("{\n  \"resource\": [\n").unwrap_err();
        assert!(offset > 0);
    }
}
