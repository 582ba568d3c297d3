//! Loading a profile: bytes → UTF-8 → located YAML → schema check → typed profile → structural
//! checks. Each step reports every problem it can before the next step runs.

use std::path::Path;

use super::check;
use super::loaded::Loaded;
use super::model::Profile;
use super::schema;
use super::yaml::{self, Node, Pos, display_path};
use crate::diag::Diagnostic;
use crate::rules::RuleId;

/// Read and load a profile file: a regular file of at most
/// [`yaml::limits::MAX_FILE_BYTES`] bytes.
pub fn load_file(path: &Path) -> Result<Loaded, Vec<Diagnostic>> {
    let (file, text) = read_text(path, "profiles")?;
    load_str(&file, &text)
}

/// Load a profile from bytes (which must be UTF-8).
pub fn load_bytes(file: &str, bytes: Vec<u8>) -> Result<Loaded, Vec<Diagnostic>> {
    match String::from_utf8(bytes) {
        Ok(text) => load_str(file, &text),
        Err(e) => Err(vec![not_utf8(file, &e)]),
    }
}

/// The first steps of reading any input file capform takes (profiles, price lists): YAML with
/// its resource limits, duplicate keys, then the file's schema; every problem located.
pub(crate) fn located_json(
    file: &str,
    text: &str,
    check: impl FnOnce(&str, &Node, &serde_json::Value) -> Vec<Diagnostic>,
) -> Result<(Node, serde_json::Value), Vec<Diagnostic>> {
    let root = yaml::parse(text).map_err(|e| {
        vec![Diagnostic::new(
            RuleId::CF002,
            file,
            e.pos.unwrap_or_default(),
            "",
            e.message,
        )]
    })?;
    let dups = yaml::duplicate_keys(&root);
    if !dups.is_empty() {
        return Err(dups
            .into_iter()
            .map(|d| {
                let name = match d.path.last() {
                    Some(yaml::PathSeg::Key(k)) => k.clone(),
                    _ => String::new(),
                };
                Diagnostic::new(
                    RuleId::CF003,
                    file,
                    d.pos,
                    display_path(&d.path),
                    format!(
                        "duplicate key `{name}`; first defined at line {}, column {}",
                        d.first.line, d.first.column
                    ),
                )
            })
            .collect());
    }
    let json = root.to_json();
    let problems = check(file, &root, &json);
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok((root, json))
}

/// The typed value of a document that passed its schema (a failure here is the schema's gap,
/// reported at the document as CF100).
pub(crate) fn decode<T: serde::de::DeserializeOwned>(
    file: &str,
    root: &Node,
    json: serde_json::Value,
) -> Result<T, Vec<Diagnostic>> {
    serde_json::from_value(json).map_err(|e| {
        vec![Diagnostic::new(
            RuleId::CF100,
            file,
            root.pos,
            "",
            e.to_string(),
        )]
    })
}

/// Read an input file as UTF-8 text, with the limit and the errors of a profile.
pub(crate) fn read_text(path: &Path, what: &str) -> Result<(String, String), Vec<Diagnostic>> {
    let file = path.display().to_string();
    let bytes = match crate::input::read_limited(path, yaml::limits::MAX_FILE_BYTES as u64) {
        Ok(bytes) => bytes,
        Err(crate::input::ReadError::TooLarge { limit, size }) => {
            let size = match size {
                Some(n) => format!("{n} bytes"),
                None => format!("more than {limit} bytes"),
            };
            return Err(vec![Diagnostic::new(
                RuleId::CF002,
                &file,
                Pos::default(),
                "",
                format!("the file is {size}; {what} are limited to {limit} bytes"),
            )]);
        }
        Err(e) => return Err(vec![unreadable(&file, Pos::default(), e.to_string())]),
    };
    match String::from_utf8(bytes) {
        Ok(text) => Ok((file, text)),
        Err(e) => Err(vec![not_utf8(&file, &e)]),
    }
}

fn not_utf8(file: &str, e: &std::string::FromUtf8Error) -> Diagnostic {
    let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
    let text = String::from_utf8_lossy(valid);
    unreadable(
        file,
        Pos::at(&text, text.len()),
        format!(
            "the file is not UTF-8 text (invalid byte at offset {})",
            valid.len()
        ),
    )
}

fn unreadable(file: &str, pos: Pos, message: impl Into<String>) -> Diagnostic {
    Diagnostic::new(RuleId::CF001, file, pos, "", message)
}

/// Load a profile from text.
pub fn load_str(file: &str, text: &str) -> Result<Loaded, Vec<Diagnostic>> {
    let (root, json) = located_json(file, text, schema::check)?;
    let profile: Profile = decode(file, &root, json)?;
    let loaded = Loaded {
        file: file.to_owned(),
        text: text.to_owned(),
        root,
        profile,
    };
    let problems = check::structure(&loaded);
    if problems.is_empty() {
        Ok(loaded)
    } else {
        Err(problems)
    }
}
