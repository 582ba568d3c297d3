//! The one escaping function every user string passes through on its way into HCL.
//!
//! Tera's autoescape is switched on for `.tf` templates with [`escape`] as the escape function,
//! so a template cannot print a value unescaped without an explicit, greppable `| safe`.

use crate::text::{code_point, invisible};

/// Escape text for the inside of an HCL quoted string: `\` `"` and control characters become
/// escapes, and `${` / `%{` become `$${` / `%%{` so no interpolation or directive can appear that
/// the templates did not write.
pub fn escape(s: &str) -> String {
    escape_with(s, false)
}

/// [`escape`] for text that is a template already (a `.tf.json` string read as the template
/// Terraform reads it): the same escapes, with `${` and `%{` kept as they are.
pub fn escape_template(s: &str) -> String {
    escape_with(s, true)
}

fn escape_with(s: &str, keep_templates: bool) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '$' | '%' if !keep_templates && chars.peek() == Some(&'{') => {
                out.push(c);
                out.push(c);
            }
            c if invisible(c) => out.push_str(&code_point(c)),
            c => out.push(c),
        }
    }
    out
}

/// A complete HCL string literal: `"` + [`escape`]d text + `"` (what the tests parse back).
#[cfg(test)]
fn quote(s: &str) -> String {
    format!("\"{}\"", escape(s))
}

/// Text safe inside a `#` comment: one line, no control characters (a newline would end the
/// comment and let the rest become HCL), at most 200 characters.
pub fn comment(s: &str) -> String {
    let one: String = s
        .chars()
        .map(|c| match c {
            c if c.is_whitespace() || c.is_control() => " ".to_owned(),
            c if invisible(c) => code_point(c),
            c => c.to_string(),
        })
        .collect();
    let trimmed = one.split_whitespace().collect::<Vec<_>>().join(" ");
    trimmed.chars().take(200).collect()
}

/// Escape text for a Markdown table cell or inline text: pipes, backticks, angle brackets and
/// newlines would otherwise change the table or inject markup.
pub fn markdown(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '|' => out.push_str("\\|"),
            '`' => out.push_str("\\`"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\\' => out.push_str("\\\\"),
            '*' | '_' | '[' | ']' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            c if c.is_control() => {}
            c if invisible(c) => out.push_str(&code_point(c)),
            c => out.push(c),
        }
    }
    out
}

/// Escape text for the inside of a Markdown code span in a table cell: backslash escapes do not
/// work there, so backticks become `'`, pipes are escaped (GFM tables honour `\|` even in code)
/// and line breaks become spaces.
pub fn markdown_code(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '`' => out.push('\''),
            '|' => out.push_str("\\|"),
            '\n' | '\r' => out.push(' '),
            c if c.is_control() => {}
            c if invisible(c) => out.push_str(&code_point(c)),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_quotes_backslashes_and_controls() {
        assert_eq!(escape(r#"a"b\c"#), r#"a\"b\\c"#);
        assert_eq!(escape("x\ny\tz\r"), r"x\ny\tz\r");
        assert_eq!(escape("\u{1}"), r"\u0001");
        assert_eq!(escape("é✓"), "é✓");
    }

    #[test]
    fn format_characters_become_visible_escapes() {
        // a bidi override that would make `admin` read as `nimda`, a zero-width space, a BOM
        let s = "a\u{202E}nimda\u{200B}x\u{FEFF}\u{E0041}";
        assert_eq!(escape(s), r"a\u202Enimda\u200Bx\uFEFF\U000E0041");
        assert_eq!(markdown(s), r"a\u202Enimda\u200Bx\uFEFF\U000E0041");
        assert_eq!(markdown_code(s), r"a\u202Enimda\u200Bx\uFEFF\U000E0041");
        assert_eq!(comment(s), r"a\u202Enimda\u200Bx\uFEFF\U000E0041");
        // and HCL reads the escapes back as the characters themselves
        let body: hcl::Body = hcl::from_str(&format!("a = {}\n", quote(s))).unwrap();
        match body.attributes().next().unwrap().expr() {
            hcl::Expression::String(v) => assert_eq!(v, s),
            other => panic!("{other:?}"),
        }
        assert!(!invisible('é') && !invisible(' ') && invisible('\u{2066}'));
    }

    #[test]
    fn neutralises_interpolation_and_directives() {
        assert_eq!(escape("${var.x}"), "$${var.x}");
        assert_eq!(escape("%{ if true }"), "%%{ if true }");
        assert_eq!(escape("$${"), "$$${");
        assert_eq!(escape("$ {"), "$ {");
        assert_eq!(escape("100%"), "100%");
    }

    #[test]
    fn escaped_strings_read_back_exactly() {
        for s in [
            "plain",
            "${a}",
            "%{b}",
            "$${c}",
            "q\"uote",
            "back\\slash",
            "new\nline",
            "mixed ${x} %{y} \\\" end",
        ] {
            let body = format!("a = {}\n", quote(s));
            let parsed: hcl::Body = hcl::from_str(&body).unwrap();
            let attr = parsed.attributes().next().unwrap();
            match attr.expr() {
                hcl::Expression::String(v) => assert_eq!(v, s),
                other => panic!("{s:?} parsed as {other:?}"),
            }
        }
    }
}
