//! Characters people cannot see, and how capform shows them instead.
//!
//! A profile is text a reviewer reads; a bidirectional override or a zero-width space in it can
//! make a name read as something it is not ("Trojan Source"). Every output capform writes for
//! people shows such characters as `\uXXXX`: HCL (where the escape means the character itself),
//! Markdown and comments (`render::escape`), and messages on a terminal ([`printable`]).

use std::borrow::Cow;

/// Characters a reviewer cannot see or that reorder what they see: control characters, the
/// line and paragraph separators, and Unicode's format characters (category Cf: bidirectional
/// overrides and isolates, zero-width spaces and joiners, the byte-order mark, the soft hyphen,
/// tag characters, …).
pub fn invisible(c: char) -> bool {
    c.is_control()
        || matches!(c as u32,
            0x00AD
            | 0x0600..=0x0605
            | 0x061C
            | 0x06DD
            | 0x070F
            | 0x0890..=0x0891
            | 0x08E2
            | 0x180E
            | 0x200B..=0x200F
            | 0x2028..=0x202E
            | 0x2060..=0x2064
            | 0x2066..=0x206F
            | 0xFEFF
            | 0xFFF9..=0xFFFB
            | 0x110BD
            | 0x110CD
            | 0x13430..=0x1343F
            | 0x1BCA0..=0x1BCA3
            | 0x1D173..=0x1D17A
            | 0xE0001
            | 0xE0020..=0xE007F)
}

/// `\uXXXX` (or `\UXXXXXXXX` beyond the Basic Multilingual Plane): HCL's escape for a code
/// point, and the visible form of an invisible character everywhere else.
pub fn code_point(c: char) -> String {
    let n = c as u32;
    if n <= 0xFFFF {
        format!("\\u{n:04X}")
    } else {
        format!("\\U{n:08X}")
    }
}

/// Text for a terminal: every invisible character but newline and tab shown as its code point.
pub fn printable(s: &str) -> Cow<'_, str> {
    let keep = |c: char| c == '\n' || c == '\t' || !invisible(c);
    if s.chars().all(keep) {
        return Cow::Borrowed(s);
    }
    Cow::Owned(
        s.chars()
            .map(|c| {
                if keep(c) {
                    c.to_string()
                } else {
                    code_point(c)
                }
            })
            .collect(),
    )
}

/// [`printable`] for a source text with a byte range in it: the range is moved to where the
/// same characters stand in the printable text.
pub fn printable_span(
    s: &str,
    span: std::ops::Range<usize>,
) -> (Cow<'_, str>, std::ops::Range<usize>) {
    let text = printable(s);
    if matches!(text, Cow::Borrowed(_)) {
        return (text, span);
    }
    let map = |at: usize| -> usize {
        s[..at.min(s.len())]
            .chars()
            .map(|c| {
                if c == '\n' || c == '\t' || !invisible(c) {
                    c.len_utf8()
                } else {
                    code_point(c).len()
                }
            })
            .sum()
    };
    let span = map(span.start)..map(span.end);
    (text, span)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invisible_characters_are_shown_as_code_points() {
        assert_eq!(printable("plain é"), "plain é");
        assert_eq!(printable("a\u{202E}b\u{1b}[31m"), r"a\u202Eb\u001B[31m");
        assert_eq!(printable("tag\u{E0041}"), r"tag\U000E0041");
        let (t, span) = printable_span("x\u{200B}: bad", 6..9);
        assert_eq!(&t[span], "bad");
    }
}

/// `GetItem` → `get_item`: a CamelCase name as a snake_case label.
pub fn snake(camel: &str) -> String {
    let mut out = String::with_capacity(camel.len() + 4);
    for (i, c) in camel.chars().enumerate() {
        if c.is_ascii_uppercase() {
            if i > 0 {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod snake_tests {
    #[test]
    fn camel_case_becomes_snake_case() {
        assert_eq!(super::snake("GetItem"), "get_item");
        assert_eq!(
            super::snake("BatchExecuteStatement"),
            "batch_execute_statement"
        );
        assert_eq!(super::snake("Query"), "query");
    }
}
