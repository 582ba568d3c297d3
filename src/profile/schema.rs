//! The profile JSON Schema: generated from the Rust types, and checked against every profile
//! before anything else looks at it.

use std::sync::OnceLock;

use jsonschema::error::ValidationErrorKind;
use serde_json::Value as Json;

use super::model::Profile;
use super::yaml::{Node, PathSeg, Value, display_path};
use crate::diag::Diagnostic;
use crate::rules::RuleId;

/// The profile JSON Schema (draft 2020-12), generated from [`Profile`].
pub fn schema() -> Json {
    let schema = schemars::schema_for!(Profile);
    serde_json::to_value(schema).expect("a generated schema serializes")
}

/// The schema as pretty-printed JSON with a trailing newline, as shipped in `profiles/`.
pub fn schema_text() -> String {
    let mut s = serde_json::to_string_pretty(&schema()).expect("a generated schema serializes");
    s.push('\n');
    s
}

/// A generated schema and its compiled validator: what every input file capform reads is
/// checked against (profiles here, price lists in [`super::pricing`]), with one way of reporting.
pub struct Checker {
    schema: Json,
    validator: jsonschema::Validator,
}

impl Checker {
    /// Compile a generated schema.
    pub fn new(schema: Json) -> Checker {
        let validator = jsonschema::validator_for(&schema).expect("a generated schema compiles");
        Checker { schema, validator }
    }

    /// Check a parsed file against the schema; every violation is reported, located at the YAML
    /// node it concerns (for unknown fields, at the field's key).
    pub fn check(&self, file: &str, root: &Node, json: &Json) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        for err in self.validator.iter_errors(json) {
            report(&self.schema, file, root, &err, &mut out);
        }
        out
    }
}

/// The shipped schema file, which `tests/render.rs` checks equals [`schema_text`]: parsing it
/// takes a third of the time of generating it, and every render starts with it.
const SHIPPED: &str = include_str!("../../profiles/profile.schema.json");

/// The profile schema's validator, compiled once per process on first use.
fn profile_checker() -> &'static Checker {
    static V: OnceLock<Checker> = OnceLock::new();
    V.get_or_init(|| {
        Checker::new(serde_json::from_str(SHIPPED).expect("the shipped schema is JSON"))
    })
}

/// Compile the profile schema now. Compiling it takes longer than parsing a typical profile;
/// the CLI calls this on a thread of its own while it parses the YAML.
pub fn warm_up() {
    profile_checker();
}

/// Check a parsed profile against the profile schema (see [`Checker::check`]).
pub fn check(file: &str, root: &Node, json: &Json) -> Vec<Diagnostic> {
    profile_checker().check(file, root, json)
}

fn report(
    schema: &Json,
    file: &str,
    root: &Node,
    err: &jsonschema::ValidationError<'_>,
    out: &mut Vec<Diagnostic>,
) {
    {
        let path: Vec<PathSeg> = err
            .instance_path()
            .segments()
            .map(|seg| match seg {
                jsonschema::paths::LocationSegment::Index(i) => PathSeg::Index(i),
                jsonschema::paths::LocationSegment::Property(p) => PathSeg::Key(p.into_owned()),
            })
            .collect();
        let node = root.get(&path);
        let found = node.map(describe).unwrap_or_else(|| "nothing".into());
        match err.kind() {
            ValidationErrorKind::AdditionalProperties { unexpected } => {
                for name in unexpected {
                    let mut p = path.clone();
                    p.push(PathSeg::Key(name.clone()));
                    let allowed = allowed_fields(schema, err);
                    let mut d = Diagnostic::new(
                        RuleId::CF100,
                        file,
                        root.locate(&p, true),
                        display_path(&p),
                        format!("unknown field `{name}`"),
                    );
                    if let Some(allowed) = allowed {
                        d = d.with_help(format!("expected one of: {allowed}"));
                    }
                    out.push(d);
                }
            }
            kind => {
                let message = match kind {
                    ValidationErrorKind::Required { property } => {
                        format!("missing field `{}`", property.as_str().unwrap_or_default())
                    }
                    ValidationErrorKind::Type { kind } => {
                        format!(
                            "expected {}, found {found}",
                            type_words(&format!("{kind:?}"))
                        )
                    }
                    ValidationErrorKind::Minimum { limit } => {
                        format!("expected a number ≥ {limit}, found {found}")
                    }
                    ValidationErrorKind::Maximum { limit } => {
                        format!("expected a number ≤ {limit}, found {found}")
                    }
                    ValidationErrorKind::ExclusiveMinimum { limit } => {
                        format!("expected a number > {limit}, found {found}")
                    }
                    ValidationErrorKind::ExclusiveMaximum { limit } => {
                        format!("expected a number < {limit}, found {found}")
                    }
                    ValidationErrorKind::Pattern { pattern } => {
                        format!("{found} does not match the pattern `{pattern}`")
                    }
                    ValidationErrorKind::MinLength { limit } => {
                        format!("expected at least {limit} characters, found {found}")
                    }
                    ValidationErrorKind::MaxLength { limit } => {
                        format!("expected at most {limit} characters, found {found}")
                    }
                    ValidationErrorKind::MinProperties { limit } => {
                        format!(
                            "expected at least {limit} entr{}",
                            if *limit == 1 { "y" } else { "ies" }
                        )
                    }
                    ValidationErrorKind::MaxProperties { limit } => {
                        format!("expected at most {limit} entries")
                    }
                    ValidationErrorKind::Enum { options } => {
                        format!("expected one of {}, found {found}", list(options))
                    }
                    ValidationErrorKind::OneOfNotValid { context }
                    | ValidationErrorKind::AnyOf { context } => {
                        if let Some(opts) = const_options(schema, err) {
                            format!("expected one of {opts}, found {found}")
                        } else if let Some(branch) = best_branch(context, err) {
                            // An optional value (`anyOf: [T, null]`) or a choice of shapes: report
                            // what is wrong inside the branch the value was meant to match.
                            for inner in branch {
                                report(schema, file, root, inner, out);
                            }
                            return;
                        } else {
                            format!("{found} is not valid here")
                        }
                    }
                    ValidationErrorKind::PropertyNames { error } => {
                        let bad = error.instance().as_str().unwrap_or_default().to_owned();
                        let mut p = path.clone();
                        p.push(PathSeg::Key(bad.clone()));
                        out.push(Diagnostic::new(
                            RuleId::CF100,
                            file,
                            root.locate(&p, true),
                            display_path(&p),
                            format!("invalid name `{bad}`: {}", name_rule(error)),
                        ));
                        return;
                    }
                    _ => err.to_string(),
                };
                out.push(Diagnostic::new(
                    RuleId::CF100,
                    file,
                    root.locate(&path, false),
                    display_path(&path),
                    message,
                ));
            }
        }
    }
}

/// Of the branches of an `anyOf`/`oneOf`, the one the value was evidently meant for: not a
/// branch that fails only because the value itself has the wrong type (a wrong type deeper
/// inside, such as a string for a number in an optional mapping, is the one to report).
fn best_branch<'a, 'e>(
    context: &'a [Vec<jsonschema::ValidationError<'e>>],
    parent: &jsonschema::ValidationError<'_>,
) -> Option<&'a Vec<jsonschema::ValidationError<'e>>> {
    let top_type_only = |errs: &Vec<jsonschema::ValidationError<'_>>| {
        errs.len() == 1
            && matches!(errs[0].kind(), ValidationErrorKind::Type { .. })
            && errs[0].instance_path() == parent.instance_path()
    };
    let mut candidates = context
        .iter()
        .filter(|errs| !errs.is_empty() && !top_type_only(errs));
    let first = candidates.next()?;
    Some(first)
}

fn name_rule(error: &jsonschema::ValidationError<'_>) -> String {
    match error.kind() {
        ValidationErrorKind::Pattern { pattern } if pattern.contains("CF") => "waivers are keyed by rule ID, e.g. `CF401`".into(),
        ValidationErrorKind::Pattern { .. } => "use lower-case words joined by single underscores, starting with a letter (a Terraform identifier)".into(),
        ValidationErrorKind::MaxLength { limit } => format!("at most {limit} characters"),
        ValidationErrorKind::MinLength { limit } => format!("at least {limit} characters"),
        _ => error.to_string(),
    }
}

/// How a value reads in a message: `"big" (a string)`, `12 (a number)`.
fn describe(node: &Node) -> String {
    match &node.value {
        Value::Str(s) => format!("{} (a string)", serde_json::Value::String(s.clone())),
        Value::Int(i) => format!("{i}"),
        Value::Float(f) => format!("{f}"),
        Value::Bool(b) => format!("{b} (a boolean)"),
        other => other.kind().to_owned(),
    }
}

fn type_words(debug: &str) -> String {
    let lower = debug.to_lowercase();
    let mut words: Vec<&str> = Vec::new();
    if lower.contains("integer") && !lower.contains("number") {
        words.push("a whole number");
    } else if lower.contains("number") {
        words.push("a number");
    }
    for (key, word) in [
        ("string", "a string"),
        ("boolean", "a boolean"),
        ("object", "a mapping"),
        ("array", "a list"),
    ] {
        if lower.contains(key) {
            words.push(word);
        }
    }
    if words.is_empty() {
        "nothing".into()
    } else {
        words.join(" or ")
    }
}

fn list(options: &Json) -> String {
    match options {
        Json::Array(items) => items
            .iter()
            .map(|v| {
                v.as_str()
                    .map(str::to_owned)
                    .unwrap_or_else(|| v.to_string())
            })
            .collect::<Vec<_>>()
            .join(", "),
        other => other.to_string(),
    }
}

/// For a `oneOf` of `const`s (how schemars writes documented enums), the allowed values.
fn const_options(schema: &Json, err: &jsonschema::ValidationError<'_>) -> Option<String> {
    let pointer = err
        .schema_path()
        .as_str()
        .trim_end_matches("/oneOf")
        .trim_end_matches("/anyOf")
        .to_owned();
    let node = resolve(schema, &pointer)?;
    let branches = node
        .get("oneOf")
        .or_else(|| node.get("anyOf"))?
        .as_array()?;
    let mut values = Vec::new();
    for b in branches {
        let b = follow_ref(schema, b);
        if let Some(c) = b.get("const") {
            values.push(
                c.as_str()
                    .map(str::to_owned)
                    .unwrap_or_else(|| c.to_string()),
            );
        } else if let Some(Json::Array(e)) = b.get("enum") {
            values.extend(e.iter().map(|v| {
                v.as_str()
                    .map(str::to_owned)
                    .unwrap_or_else(|| v.to_string())
            }));
        } else if b.get("type") == Some(&Json::String("null".into())) {
            continue;
        } else {
            return None;
        }
    }
    (!values.is_empty()).then(|| values.join(", "))
}

fn follow_ref<'a>(schema: &'a Json, node: &'a Json) -> &'a Json {
    match node.get("$ref").and_then(Json::as_str) {
        Some(r) => r
            .strip_prefix('#')
            .and_then(|p| resolve(schema, p))
            .unwrap_or(node),
        None => node,
    }
}

fn resolve<'a>(schema: &'a Json, pointer: &str) -> Option<&'a Json> {
    // schema paths run through `$ref`; follow each one
    let mut cur = schema;
    for seg in pointer.split('/').filter(|s| !s.is_empty()) {
        if seg == "$ref" {
            cur = follow_ref(schema, cur);
            continue;
        }
        let seg = seg.replace("~1", "/").replace("~0", "~");
        cur = match cur {
            Json::Object(m) => m.get(&seg)?,
            Json::Array(a) => a.get(seg.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(cur)
}

fn allowed_fields(schema: &Json, err: &jsonschema::ValidationError<'_>) -> Option<String> {
    let pointer = err
        .schema_path()
        .as_str()
        .trim_end_matches("/additionalProperties")
        .to_owned();
    let node = follow_ref(schema, resolve(schema, &pointer)?);
    let props = node.get("properties")?.as_object()?;
    Some(props.keys().cloned().collect::<Vec<_>>().join(", "))
}
