//! The manifest: which files of a module directory capform wrote, and what it wrote in them.
//!
//! `render` decides what it may replace or delete from this file alone, never from what a file
//! says: a file the manifest does not list is the user's, whatever its contents. Each entry
//! records the SHA-256 of the bytes capform wrote, so a generated file edited by hand is told
//! apart from one capform may simply replace.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};
use sha2::Digest as _;

/// The manifest's file name inside the module directory.
pub const MANIFEST: &str = ".capform-manifest.json";

/// Every file name capform has ever generated. Used only for modules written before the
/// manifest existed (see [`Manifest::legacy`]).
pub const GENERATED_NAMES: &[&str] = &[
    "versions.tf",
    "variables.tf",
    "outputs.tf",
    "dynamodb-autoscaling.tf",
    "cloudwatch-monitoring.tf",
    "README.md",
    "CAPACITY.md",
];

/// What a module directory's manifest says: file name → SHA-256 of the bytes capform wrote.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// Always `capform`: says what wrote the file.
    pub generator: String,
    /// The manifest format; only ever 1 so far.
    pub version: u32,
    /// File name → `sha256:<hex>` of its contents as written.
    pub files: BTreeMap<String, String>,
    /// The identity of the render that wrote the files ([`crate::render::identity`]: this
    /// build of capform, the profile as loaded, the customer count and the options), when
    /// `render` wrote them. `validate --profile` with the same identity, on files whose digests
    /// match, knows what the profile renders without rendering it again.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rendered_from: Option<String>,
}

/// `sha256:<hex>` of some bytes.
pub fn digest(bytes: &[u8]) -> String {
    let sum = sha2::Sha256::digest(bytes);
    let mut out = String::with_capacity(7 + 64);
    out.push_str("sha256:");
    for b in sum.iter() {
        out.push_str(&format!("{b:02x}"));
    }
    out
}

impl Manifest {
    /// The manifest of a set of files about to be written.
    pub fn of<'a>(files: impl IntoIterator<Item = (&'a String, &'a String)>) -> Manifest {
        use rayon::prelude::*;
        let files: Vec<_> = files.into_iter().collect();
        Manifest {
            generator: "capform".into(),
            version: 1,
            files: files
                .par_iter()
                .map(|(name, text)| ((*name).clone(), digest(text.as_bytes())))
                .collect(),
            rendered_from: None,
        }
    }

    /// The same manifest, recording the identity of the render that produced the files.
    pub fn rendered_from(mut self, identity: Option<&str>) -> Manifest {
        self.rendered_from = identity.map(str::to_owned);
        self
    }

    /// Read the manifest of a module directory, if it has one that parses.
    pub fn read(dir: &Path) -> Option<Manifest> {
        Manifest::parse(&std::fs::read_to_string(dir.join(MANIFEST)).ok()?).ok()
    }

    /// Its bytes: pretty JSON with sorted keys and a final newline (deterministic).
    pub fn to_text(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).expect("a manifest serializes");
        s.push('\n');
        s
    }

    /// Parse a manifest, or say in the user's terms why it is not one.
    pub fn parse(text: &str) -> Result<Manifest, String> {
        let m: Manifest =
            serde_json::from_str(text).map_err(|e| format!("not a capform manifest ({e})"))?;
        if m.generator != "capform" || m.version != 1 {
            return Err(format!(
                "written by `{}` version {}, which this capform does not read",
                m.generator, m.version
            ));
        }
        for name in m.files.keys() {
            if !is_plain_name(name) {
                return Err(format!(
                    "lists `{name}`, which is not a file name in the directory"
                ));
            }
        }
        Ok(m)
    }

    /// A module written before manifests existed: the files at capform's fixed names whose
    /// first line is capform's header. This is the only place file contents are read to decide
    /// ownership, and only for those names and only when there is no manifest at all; the next
    /// render writes a manifest and this path is not taken again.
    pub fn legacy(dir: &Path) -> Manifest {
        let mut files = BTreeMap::new();
        for name in GENERATED_NAMES {
            let path = dir.join(name);
            let Ok(meta) = std::fs::symlink_metadata(&path) else {
                continue;
            };
            if !meta.is_file() {
                continue;
            }
            if let Ok(bytes) = std::fs::read(&path)
                && (bytes.starts_with(crate::render::HCL_MARKER.as_bytes())
                    || bytes.starts_with(crate::render::MD_MARKER.as_bytes()))
            {
                files.insert((*name).to_owned(), digest(&bytes));
            }
        }
        Manifest {
            generator: "capform".into(),
            version: 1,
            files,
            rendered_from: None,
        }
    }
}

/// A name that is one entry of the directory: no separator, not `.`/`..`, not empty.
pub fn is_plain_name(name: &str) -> bool {
    !name.is_empty() && name != "." && name != ".." && !name.contains('/') && !name.contains('\0')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digest_is_sha256_hex() {
        assert_eq!(
            digest(b"abc"),
            "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn a_manifest_round_trips_and_rejects_paths() {
        let a = "a.tf".to_owned();
        let text = "x".to_owned();
        let m = Manifest::of([(&a, &text)]);
        assert_eq!(Manifest::parse(&m.to_text()).unwrap(), m);
        let bad = m.to_text().replace("a.tf", "../a.tf");
        assert!(
            Manifest::parse(&bad)
                .unwrap_err()
                .contains("not a file name")
        );
        assert!(
            Manifest::parse("{}")
                .unwrap_err()
                .contains("not a capform manifest")
        );
    }
}
