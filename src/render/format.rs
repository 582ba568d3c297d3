//! Canonical HCL layout, as `terraform fmt` writes it.
//!
//! Templates decide what goes on each line; this pass decides the whitespace: indentation by
//! bracket depth (two spaces a level), and `=` aligned across runs of consecutive single-line
//! attributes, exactly as hclwrite does (a line whose value opens a bracket it does not close,
//! or a line without `=`, ends a run). Blank lines are collapsed to one. Output ends in one
//! newline. `terraform fmt -check` on every rendered module is the test of this file.

use unicode_segmentation::UnicodeSegmentation;

/// What the scanner learned about one line.
struct Line<'a> {
    /// The line with surrounding whitespace removed.
    text: &'a str,
    /// Net change in bracket depth over the whole line.
    net: i32,
    /// Byte offset in `text` of the `=` that starts an alignable assignment.
    assign: Option<usize>,
}

/// Scan one line of HCL. Strings never span lines in what capform writes (newlines in values
/// are escaped) and heredocs are never emitted, so a line can be scanned on its own.
fn scan(text: &str) -> Line<'_> {
    let bytes = text.as_bytes();
    let mut net = 0i32;
    let mut first_eq: Option<usize> = None;
    let mut net_at_eq = 0i32;
    // stack of contexts: true = inside a quoted string, false = code inside `${ }`
    let mut stack: Vec<bool> = Vec::new();
    let mut brace_depth_in_interp: Vec<i32> = Vec::new();
    let mut i = 0;
    let mut tokens_before = 0usize;
    while i < bytes.len() {
        let c = bytes[i];
        let in_string = stack.last() == Some(&true);
        if in_string {
            match c {
                b'\\' => i += 1,
                b'"' => {
                    stack.pop();
                }
                b'$' | b'%' if bytes.get(i + 1) == Some(&c) && bytes.get(i + 2) == Some(&b'{') => {
                    i += 2
                }
                b'$' | b'%' if bytes.get(i + 1) == Some(&b'{') => {
                    stack.push(false);
                    brace_depth_in_interp.push(0);
                    i += 1;
                }
                _ => {}
            }
            i += 1;
            continue;
        }
        let in_interp = !stack.is_empty();
        match c {
            b'"' => {
                stack.push(true);
                tokens_before += 1;
            }
            b'#' => break,
            b'/' if bytes.get(i + 1) == Some(&b'/') => break,
            b'{' | b'[' | b'(' => {
                if in_interp && c == b'{' {
                    *brace_depth_in_interp.last_mut().expect("interp depth") += 1;
                }
                if !in_interp {
                    net += 1;
                }
                tokens_before += 1;
            }
            b'}' if in_interp && *brace_depth_in_interp.last().expect("interp depth") == 0 => {
                stack.pop();
                brace_depth_in_interp.pop();
            }
            b'}' | b']' | b')' => {
                if in_interp && c == b'}' {
                    *brace_depth_in_interp.last_mut().expect("interp depth") -= 1;
                }
                if !in_interp {
                    net -= 1;
                }
                tokens_before += 1;
            }
            b'=' if !in_interp => {
                let prev = if i > 0 { bytes[i - 1] } else { b' ' };
                let next = bytes.get(i + 1).copied().unwrap_or(b' ');
                let is_single = !b"=!<>".contains(&prev) && next != b'=' && next != b'>';
                if is_single && first_eq.is_none() && tokens_before > 0 {
                    first_eq = Some(i);
                    net_at_eq = net;
                }
                tokens_before += 1;
            }
            b' ' | b'\t' => {}
            _ => tokens_before += 1,
        }
        i += 1;
    }
    // hclwrite moves `= …` into the assign cell only when the value is a whole expression on
    // this line (no net open brackets from the `=` onward).
    let assign = first_eq.filter(|_| net - net_at_eq == 0);
    Line { text, net, assign }
}

fn columns(s: &str) -> usize {
    if s.is_ascii() {
        s.len()
    } else {
        s.graphemes(true).count()
    }
}

/// Lay HCL text out canonically. The input's indentation and spacing around `=` are ignored.
pub fn format(src: &str) -> String {
    let raw: Vec<&str> = src.lines().map(str::trim).collect();
    // collapse blank runs, drop leading/trailing blanks
    let mut lines: Vec<Line<'_>> = Vec::new();
    for text in raw {
        if text.is_empty() && (lines.is_empty() || lines.last().is_some_and(|l| l.text.is_empty()))
        {
            continue;
        }
        lines.push(scan(text));
    }
    while lines.last().is_some_and(|l| l.text.is_empty()) {
        lines.pop();
    }

    // indentation, as hclwrite's formatIndent
    let mut indents: Vec<i32> = Vec::new();
    let mut indent_of = vec![0usize; lines.len()];
    for (n, line) in lines.iter().enumerate() {
        if line.text.is_empty() {
            continue;
        }
        if line.net > 0 {
            indent_of[n] = indents.len();
            indents.push(line.net);
        } else if line.net < 0 {
            let mut closed = -line.net;
            while closed > 0 {
                let Some(top) = indents.last_mut() else { break };
                if closed > *top {
                    closed -= *top;
                    indents.pop();
                } else if closed < *top {
                    *top -= closed;
                    closed = 0;
                } else {
                    indents.pop();
                    closed = 0;
                }
            }
            indent_of[n] = indents.len();
        } else {
            indent_of[n] = indents.len();
        }
    }

    // leads and alignment chains, as hclwrite's formatCells
    let leads: Vec<&str> = lines
        .iter()
        .map(|l| match l.assign {
            Some(eq) => l.text[..eq].trim_end(),
            None => l.text,
        })
        .collect();
    let widths: Vec<usize> = (0..lines.len())
        .map(|k| indent_of[k] * 2 + columns(leads[k]))
        .collect();
    let mut pad = vec![0usize; lines.len()];
    let mut n = 0;
    while n < lines.len() {
        if lines[n].assign.is_none() {
            n += 1;
            continue;
        }
        let start = n;
        while n < lines.len() && lines[n].assign.is_some() {
            n += 1;
        }
        let width = widths[start..n].iter().copied().max().unwrap_or(0);
        for k in start..n {
            pad[k] = width - widths[k] + 1;
        }
    }

    let mut out = String::with_capacity(src.len());
    for (n, line) in lines.iter().enumerate() {
        if line.text.is_empty() {
            out.push('\n');
            continue;
        }
        out.push_str(&"  ".repeat(indent_of[n]));
        match line.assign {
            Some(eq) => {
                out.push_str(leads[n]);
                out.push_str(&" ".repeat(pad[n]));
                out.push('=');
                let rest = line.text[eq + 1..].trim_start();
                if !rest.is_empty() {
                    out.push(' ');
                    out.push_str(rest);
                }
            }
            None => out.push_str(line.text),
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::format;

    #[test]
    fn indents_by_bracket_depth_and_aligns_runs() {
        let src = "resource \"a\" \"b\" {\nname = \"x\"\nbilling_mode = \"PROVISIONED\"\n\nttl {\nenabled = true\n}\ntags = merge(var.tags, {\n\"k\" = \"v\"\n})\n}\n";
        let want = "resource \"a\" \"b\" {\n  name         = \"x\"\n  billing_mode = \"PROVISIONED\"\n\n  ttl {\n    enabled = true\n  }\n  tags = merge(var.tags, {\n    \"k\" = \"v\"\n  })\n}\n";
        assert_eq!(format(src), want);
    }

    #[test]
    fn an_opening_value_ends_the_run() {
        let src = "x {\na = 1\nlonger_name = {\nb = 2\n}\nc = 3\n}\n";
        let want = "x {\n  a = 1\n  longer_name = {\n    b = 2\n  }\n  c = 3\n}\n";
        assert_eq!(format(src), want);
    }

    #[test]
    fn strings_and_interpolations_do_not_confuse_the_scanner() {
        let src = "a {\nname = \"${var.p}-x = { [\"\nv = \"$${not} %%{no} \\\" }\"\n}\n";
        let want = "a {\n  name = \"${var.p}-x = { [\"\n  v    = \"$${not} %%{no} \\\" }\"\n}\n";
        assert_eq!(format(src), want);
    }

    #[test]
    fn comparison_operators_are_not_assignments() {
        let src = "v {\ncondition = length(var.x) <= 32\nerror_message = \"no\"\n}\n";
        let want = "v {\n  condition     = length(var.x) <= 32\n  error_message = \"no\"\n}\n";
        assert_eq!(format(src), want);
    }

    #[test]
    fn collapses_blank_lines_and_ends_with_one_newline() {
        assert_eq!(format("\n\na = 1\n\n\n\nb = 2\n\n\n"), "a = 1\n\nb = 2\n");
    }
}
