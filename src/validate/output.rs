//! Output formats: human (rustc-style snippets), JSON (stable shape) and SARIF 2.1.0.

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
use serde::Serialize;
use serde_json::json;

use super::Report;
use crate::diag::{Diagnostic, Severity};
use crate::rules::{self, RULES};

/// Where rule documentation lives; SARIF `helpUri`s point into it.
pub const RULES_DOC_URI: &str = concat!(env!("CARGO_PKG_REPOSITORY"), "/blob/main/docs/rules.md");

/// The `helpUri` of a rule.
pub fn help_uri(rule: crate::rules::RuleId) -> String {
    format!("{RULES_DOC_URI}#{}", rule.as_str().to_lowercase())
}

fn level(s: Severity) -> Level<'static> {
    match s {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
        Severity::Info => Level::NOTE,
    }
}

/// Human output: one rustc-style report per finding, then the summary line. Colour only when
/// `color` (the CLI passes whether stderr is a terminal).
pub fn human(report: &Report, color: bool) -> String {
    let renderer = if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    let mut out = String::new();
    for d in &report.diagnostics {
        out.push_str(&human_one(
            d,
            report.sources.get(&d.file).map(|s| &**s),
            &renderer,
        ));
        out.push_str("\n\n");
    }
    out.push_str(&report.summary());
    out.push('\n');
    out
}

fn human_one(d: &Diagnostic, source: Option<&str>, renderer: &Renderer) -> String {
    // what the user wrote is shown as it is, but never raw: an invisible character would hide
    // or reorder the very text the finding is about
    let title = if d.path.is_empty() {
        crate::text::printable(&d.message).into_owned()
    } else {
        format!(
            "{}: {}",
            crate::text::printable(&d.path),
            crate::text::printable(&d.message)
        )
    };
    let mut groups = Vec::new();
    let lvl = level(d.severity);
    let primary = lvl.primary_title(title.clone()).id(d.rule.as_str());
    let shown = match (source, &d.span) {
        (Some(text), Some(span))
            if span.end <= text.len()
                && text.is_char_boundary(span.start)
                && text.is_char_boundary(span.end) =>
        {
            Some(crate::text::printable_span(text, span.clone()))
        }
        _ => None,
    };
    match &shown {
        Some((text, span)) => {
            groups.push(
                primary.element(
                    Snippet::source(text.as_ref())
                        .line_start(1)
                        .path(d.file.clone())
                        .annotation(AnnotationKind::Primary.span(span.clone())),
                ),
            );
        }
        None => {
            let loc = if d.line > 0 {
                format!("{}:{}:{}", d.file, d.line, d.column)
            } else {
                d.file.clone()
            };
            groups.push(primary.element(annotate_snippets::Origin::path(loc)));
        }
    }
    if let Some(h) = &d.help {
        groups.push(Group::with_title(Level::HELP.secondary_title(h.clone())));
    }
    groups.push(Group::with_title(Level::NOTE.secondary_title(format!(
        "`capform explain {}` for why and how to fix",
        d.rule
    ))));
    renderer.render(&groups).to_string()
}

/// One finding in the JSON output. The shape is stable: fields are only ever added.
#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    rule: &'a str,
    severity: Severity,
    message: &'a str,
    file: &'a str,
    line: u64,
    column: u64,
    path: &'a str,
    help: Option<&'a str>,
}

/// JSON output.
pub fn json(report: &Report) -> String {
    let diags: Vec<JsonDiagnostic<'_>> = report
        .diagnostics
        .iter()
        .map(|d| JsonDiagnostic {
            rule: d.rule.as_str(),
            severity: d.severity,
            message: &d.message,
            file: &d.file,
            line: d.line,
            column: d.column,
            path: &d.path,
            help: d.help.as_deref().or(Some(rules::rule(d.rule).fix)),
        })
        .collect();
    let value = json!({
        "version": 1,
        "summary": {
            "errors": report.count(Severity::Error),
            "warnings": report.count(Severity::Warning),
            "notes": report.count(Severity::Info),
            "files": report.sources.len(),
        },
        "diagnostics": diags,
    });
    let mut s = serde_json::to_string_pretty(&value).expect("serializable");
    s.push('\n');
    s
}

fn sarif_level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

fn artifact_uri(file: &str) -> String {
    let encoded: String = file
        .chars()
        .map(|c| match c {
            ' ' => "%20".to_owned(),
            '#' => "%23".to_owned(),
            '%' => "%25".to_owned(),
            '?' => "%3F".to_owned(),
            c => c.to_string(),
        })
        .collect();
    if file.starts_with('/') {
        format!("file://{encoded}")
    } else {
        encoded
    }
}

/// SARIF 2.1.0 output, with every rule's metadata so code scanning can show help inline.
pub fn sarif(report: &Report) -> String {
    let rules: Vec<serde_json::Value> = RULES
        .iter()
        .map(|r| {
            json!({
                "id": r.id,
                "name": r.name,
                "shortDescription": { "text": r.summary },
                "fullDescription": { "text": format!("{} {}", r.summary, r.why) },
                "help": { "text": format!("{} {}", r.why, r.fix), "markdown": rules::doc(r) },
                "helpUri": help_uri(r.id),
                "defaultConfiguration": { "level": sarif_level(r.severity) },
                "properties": { "tags": [r.name] },
            })
        })
        .collect();
    let results: Vec<serde_json::Value> = report
        .diagnostics
        .iter()
        .map(|d| {
            let mut region = serde_json::Map::new();
            if d.line > 0 {
                region.insert("startLine".into(), json!(d.line));
                region.insert("startColumn".into(), json!(d.column.max(1)));
            }
            let mut physical = json!({ "artifactLocation": { "uri": artifact_uri(&d.file) } });
            if !region.is_empty() {
                physical["region"] = serde_json::Value::Object(region);
            }
            let mut r = json!({
                "ruleId": d.rule,
                "level": sarif_level(d.severity),
                "message": { "text": if d.path.is_empty() { d.message.clone() } else { format!("{}: {}", d.path, d.message) } },
                "locations": [ { "physicalLocation": physical } ],
            });
            if let Some(i) = RULES.iter().position(|x| x.id == d.rule) {
                r["ruleIndex"] = json!(i);
            }
            r
        })
        .collect();
    let value = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "capform",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": env!("CARGO_PKG_REPOSITORY"),
                "rules": rules,
            }},
            "results": results,
            "columnKind": "unicodeCodePoints",
        }],
    });
    let mut s = serde_json::to_string_pretty(&value).expect("serializable");
    s.push('\n');
    s
}
