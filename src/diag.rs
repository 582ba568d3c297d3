//! Diagnostics: what every stage reports, with a rule ID, a severity and a location.

use std::fmt;

use serde::Serialize;

pub use crate::rules::{RuleId, Severity};

/// A 1-based line and column in a source file.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Pos {
    /// 1-based line.
    pub line: u64,
    /// 1-based column (characters).
    pub column: u64,
}

impl Pos {
    /// Line and column (1-based, characters) of a byte offset in `text`.
    pub fn at(text: &str, offset: usize) -> Pos {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let before = &text[..offset];
        let line = before.matches('\n').count() as u64 + 1;
        let column = before
            .rsplit('\n')
            .next()
            .map(|l| l.chars().count())
            .unwrap_or(0) as u64
            + 1;
        Pos { line, column }
    }
}

impl fmt::Display for Pos {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.line, self.column)
    }
}

/// One finding.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// Rule ID, e.g. `CF100`.
    pub rule: RuleId,
    /// Severity.
    pub severity: Severity,
    /// One line naming the object and the problem.
    pub message: String,
    /// File, as given on the command line.
    pub file: String,
    /// 1-based line; 0 when the finding concerns the whole file.
    pub line: u64,
    /// 1-based column; 0 when the finding concerns the whole file.
    pub column: u64,
    /// Dotted path of the field (`tables.support_tickets.workload.item_size_kb`), or the
    /// Terraform address for module findings; empty when not applicable.
    pub path: String,
    /// How to fix it, when there is more to say than the rule's doc.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
    /// Byte range of the offending text in the file, when known (for snippets).
    #[serde(skip)]
    pub span: Option<std::ops::Range<usize>>,
}

impl Diagnostic {
    /// A finding with the rule's default severity.
    pub fn new(
        rule: RuleId,
        file: &str,
        pos: Pos,
        path: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            rule,
            severity: crate::rules::rule(rule).severity,
            message: message.into(),
            file: file.to_owned(),
            line: pos.line,
            column: pos.column,
            path: path.into(),
            help: None,
            span: None,
        }
    }

    /// Attach the byte range of the offending text.
    pub fn with_span(mut self, span: std::ops::Range<usize>) -> Self {
        self.span = Some(span);
        self
    }

    /// Override the severity.
    pub fn with_severity(mut self, severity: Severity) -> Self {
        self.severity = severity;
        self
    }

    /// Attach a help line.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// The position, if known.
    pub fn pos(&self) -> Option<Pos> {
        (self.line > 0).then_some(Pos {
            line: self.line,
            column: self.column.max(1),
        })
    }
}

impl fmt::Display for Diagnostic {
    /// `file:line:column: severity[RULE]: path: message`
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if self.line > 0 {
            write!(f, ":{}:{}", self.line, self.column)?;
        }
        write!(f, ": {}[{}]: ", self.severity, self.rule)?;
        if !self.path.is_empty() {
            write!(f, "{}: ", crate::text::printable(&self.path))?;
        }
        f.write_str(&crate::text::printable(&self.message))
    }
}

/// Sort findings by file, line, column, then rule, so output is stable.
pub fn sort(diags: &mut [Diagnostic]) {
    diags.sort_by(|a, b| {
        (&a.file, a.line, a.column, a.rule, &a.message)
            .cmp(&(&b.file, b.line, b.column, b.rule, &b.message))
    });
}
