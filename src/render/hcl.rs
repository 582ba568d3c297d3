//! Writing [`HclValue`]s as HCL text. Strings and template text go through
//! [`super::escape::escape`]; expressions are capform's own. Indentation and `=` alignment are
//! left to [`super::format`].

use crate::plan::value::{HclValue, Seg};

use super::escape::escape;

fn is_scalar(v: &HclValue) -> bool {
    !matches!(v, HclValue::List(_) | HclValue::Object(_))
}

/// Keys written bare: plain identifiers that are not keywords. Anything else (dashes, colons,
/// `true`, `null`, non-ASCII) is quoted and escaped, so a user's map key can never be read as
/// an expression.
fn is_ident(k: &str) -> bool {
    k.chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !matches!(k, "true" | "false" | "null" | "for" | "in" | "if")
}

/// An object key as HCL: bare when a plain identifier, else quoted and escaped.
pub fn key(k: &str) -> String {
    if is_ident(k) {
        k.to_owned()
    } else {
        format!("\"{}\"", escape(k))
    }
}

/// A value reaches a template (through the template context) as its HCL text, written by
/// `write`: strings escaped by the one escaping function, layout left to the formatter. The
/// templates print it with `safe`, since it is already HCL.
impl serde::Serialize for HclValue {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&write(self))
    }
}

/// Write a value. Objects inside lists whose values are all scalars, and lists of scalars or
/// such objects, stay on one line; everything else is one entry per line.
pub fn write(v: &HclValue) -> String {
    let mut out = String::new();
    write_into(v, false, &mut out);
    out
}

fn write_into(v: &HclValue, in_list: bool, out: &mut String) {
    match v {
        HclValue::Str(s) => {
            out.push('"');
            out.push_str(&escape(s));
            out.push('"');
        }
        HclValue::Expr(e) => out.push_str(e),
        HclValue::Num(n) => out.push_str(n),
        HclValue::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        HclValue::Template(segs) => {
            out.push('"');
            for s in segs {
                match s {
                    Seg::Text(t) => out.push_str(&escape(t)),
                    Seg::Interp(e) => {
                        out.push_str("${");
                        out.push_str(e);
                        out.push('}');
                    }
                }
            }
            out.push('"');
        }
        HclValue::List(items) if items.is_empty() => out.push_str("[]"),
        HclValue::List(items) => {
            // A list of scalars stays on one line while it is short; a metric row (scalars ending
            // in an options object) always does, one row a line.
            let simple = |i: &HclValue| matches!(i, HclValue::Object(o) if o.iter().all(|(_, v)| is_scalar(v)));
            let all_flat = items.iter().all(|i| is_scalar(i) || simple(i));
            let row = all_flat && items.iter().any(simple);
            let short = || items.iter().map(|i| write(i).len() + 2).sum::<usize>() <= 100;
            if all_flat && (row || short()) {
                out.push('[');
                for (n, i) in items.iter().enumerate() {
                    if n > 0 {
                        out.push_str(", ");
                    }
                    write_into(i, true, out);
                }
                out.push(']');
            } else {
                out.push_str("[\n");
                for i in items {
                    write_into(i, true, out);
                    out.push_str(",\n");
                }
                out.push(']');
            }
        }
        HclValue::Object(entries) if entries.is_empty() => out.push_str("{}"),
        HclValue::Object(entries) => {
            if in_list && entries.iter().all(|(_, v)| is_scalar(v)) {
                out.push_str("{ ");
                for (n, (k, v)) in entries.iter().enumerate() {
                    if n > 0 {
                        out.push_str(", ");
                    }
                    out.push_str(&key(k));
                    out.push_str(" = ");
                    write_into(v, false, out);
                }
                out.push_str(" }");
            } else {
                out.push_str("{\n");
                for (k, v) in entries {
                    out.push_str(&key(k));
                    out.push_str(" = ");
                    write_into(v, false, out);
                    out.push('\n');
                }
                out.push('}');
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_values() {
        let v = HclValue::obj([
            ("a", HclValue::string("x\"${y}")),
            (
                "rows",
                HclValue::List(vec![HclValue::List(vec![
                    HclValue::string("AWS/Lambda"),
                    HclValue::expr("var.f"),
                    HclValue::obj([("stat", HclValue::string("p95"))]),
                ])]),
            ),
            (
                "t",
                HclValue::Template(vec![Seg::Interp("var.p".into()), Seg::Text("-%{x}".into())]),
            ),
            ("weird key", HclValue::number(1)),
        ]);
        assert_eq!(
            write(&v),
            "{\na = \"x\\\"$${y}\"\nrows = [\n[\"AWS/Lambda\", var.f, { stat = \"p95\" }],\n]\nt = \"${var.p}-%%{x}\"\n\"weird key\" = 1\n}"
        );
    }
}
