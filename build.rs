//! Build script: a digest of everything that decides what this build renders, so that a module's
//! manifest can say which build wrote it (`capform::render::identity`). A build of other sources,
//! templates, price list or locked dependencies has another identity, and `validate --profile`
//! then renders again instead of trusting the manifest.

use std::path::{Path, PathBuf};

use sha2::Digest as _;

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            files(&p, out);
        } else {
            out.push(p);
        }
    }
}

fn main() {
    let mut all = Vec::new();
    for dir in ["src", "templates", "pricing"] {
        println!("cargo::rerun-if-changed={dir}");
        files(Path::new(dir), &mut all);
    }
    for file in ["Cargo.toml", "Cargo.lock", "profiles/profile.schema.json"] {
        println!("cargo::rerun-if-changed={file}");
        all.push(PathBuf::from(file));
    }
    all.sort();
    let mut h = sha2::Sha256::new();
    for p in &all {
        // the name and the length first, so that no two trees hash alike by moving bytes
        let bytes = std::fs::read(p).unwrap_or_default();
        h.update(p.to_string_lossy().as_bytes());
        h.update([0]);
        h.update((bytes.len() as u64).to_le_bytes());
        h.update(&bytes);
    }
    let hex: String = h.finalize().iter().map(|b| format!("{b:02x}")).collect();
    println!("cargo::rustc-env=CAPFORM_BUILD={hex}");
}
