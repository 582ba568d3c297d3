//! `capform init`: a commented starter profile (one table, an index, the monitoring section)
//! that validates clean and renders, with the profile JSON Schema beside it for editors.

use std::io::Write;
use std::path::{Path, PathBuf};

/// The starter profile, as `capform init` writes it (name `my-service`).
pub const STARTER: &str = include_str!("starter.yaml");

/// The schema file the starter's `yaml-language-server` line points at, beside the profile.
pub const SCHEMA_FILE: &str = "profile.schema.json";

/// Why `init` wrote nothing.
#[derive(Debug, thiserror::Error)]
pub enum InitError {
    /// The name does not fit the profile's `name` rule.
    #[error(
        "--name `{0}`: a name is 1-32 lower-case letters, digits and hyphens, starting with a letter or digit"
    )]
    Name(String),
    /// The profile exists and `--force` was not given.
    #[error("{0}: exists; capform init does not overwrite a profile (pass --force to replace it)")]
    Exists(PathBuf),
    /// A file could not be written.
    #[error("{0}: {1}")]
    Io(PathBuf, std::io::Error),
}

/// The starter profile named `name`.
pub fn starter(name: &str) -> Result<String, InitError> {
    if !fits_name_pattern(name) {
        return Err(InitError::Name(name.to_owned()));
    }
    Ok(STARTER.replacen("name: my-service", &format!("name: {name}"), 1))
}

/// `^[a-z0-9][a-z0-9-]{0,31}$` ([`crate::profile::model::NAME_PATTERN`]), checked before the
/// name enters the YAML so that it cannot change the document's structure; a test holds it to
/// the profile's own rule.
fn fits_name_pattern(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_lowercase() || c.is_ascii_digit())
        && name.len() <= 32
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// What [`write`] wrote.
#[derive(Debug)]
pub struct Written {
    /// The profile.
    pub profile: PathBuf,
    /// The schema beside it, when written (absent, or an older capform schema refreshed).
    pub schema: Option<PathBuf>,
    /// A schema file beside it that is not capform's, left as it was.
    pub foreign_schema: Option<PathBuf>,
}

/// Write the starter profile to `path` (each file written whole or not at all) and
/// `profile.schema.json` beside it. An existing profile is replaced only with `force`; an
/// existing schema file only when it is capform's (its title says so).
pub fn write(path: &Path, name: &str, force: bool) -> Result<Written, InitError> {
    let text = starter(name)?;
    if path.exists() && !force {
        return Err(InitError::Exists(path.to_owned()));
    }
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_owned(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&dir).map_err(|e| InitError::Io(dir.clone(), e))?;
    let schema_path = path.with_file_name(SCHEMA_FILE);
    let schema = crate::profile::schema::schema_text();
    // capform's schema, of this version or another: its title is capform's
    let capforms = |text: &str| {
        serde_json::from_str::<serde_json::Value>(text)
            .is_ok_and(|v| v.get("title") == crate::profile::schema::schema().get("title"))
    };
    let (write_schema, foreign) = match std::fs::read_to_string(&schema_path) {
        Err(_) => (true, false),
        Ok(old) if old == schema => (false, false),
        Ok(old) if capforms(&old) => (true, false),
        Ok(_) => (false, true),
    };
    atomic_write(&dir, path, &text)?;
    if write_schema {
        atomic_write(&dir, &schema_path, &schema)?;
    }
    Ok(Written {
        profile: path.to_owned(),
        schema: write_schema.then(|| schema_path.clone()),
        foreign_schema: foreign.then_some(schema_path),
    })
}

fn atomic_write(dir: &Path, path: &Path, text: &str) -> Result<(), InitError> {
    let io = |e| InitError::Io(path.to_owned(), e);
    let mut tmp = tempfile::NamedTempFile::new_in(dir).map_err(io)?;
    tmp.write_all(text.as_bytes()).map_err(io)?;
    tmp.as_file().sync_all().map_err(io)?;
    tmp.persist(path).map_err(|e| io(e.error))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_starter_validates_clean_and_plans() {
        let l = crate::profile::load_str("capform.yaml", &super::starter("orders-api").unwrap())
            .unwrap_or_else(|d| panic!("{d:#?}"));
        assert_eq!(l.profile.name, "orders-api");
        let plan =
            crate::plan::resolve(&l.profile, &l.file, l.profile.customers, Default::default());
        assert_eq!(plan.tables.len(), 1);
        assert_eq!(plan.tables[0].indexes.len(), 1);
        assert!(!plan.monitoring.alarms.is_empty());
    }

    #[test]
    fn names_are_judged_as_the_profile_judges_them() {
        // the check before substitution agrees with the profile's own `name` rule
        let long = "x".repeat(33);
        for name in [
            "",
            "Orders",
            "-x",
            "a_b",
            "a b",
            long.as_str(),
            "a",
            "9-lives",
            "my-service",
        ] {
            let text = super::STARTER.replacen("name: my-service", &format!("name: \"{name}\""), 1);
            let loads = crate::profile::load_str("p.yaml", &text).is_ok();
            assert_eq!(super::starter(name).is_ok(), loads, "{name:?}");
        }
    }
}
