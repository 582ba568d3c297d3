//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every shipped profile, sorted.
pub fn shipped_profiles() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(root().join("profiles"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    v.sort();
    v
}

/// Run the CLI in-process; returns (exit code, stdout, stderr).
pub fn run(args: &[&str]) -> (i32, String, String) {
    let mut out = Vec::new();
    let mut err = Vec::new();
    let mut argv = vec!["capform"];
    argv.extend_from_slice(args);
    let code = capform::cli::run(argv, &mut out, &mut err);
    (
        code,
        String::from_utf8(out).unwrap(),
        String::from_utf8(err).unwrap(),
    )
}

/// Render a profile file at a tier into files, through the library.
pub fn render_files(path: &Path, customers: Option<u64>) -> capform::render::Files {
    let loaded = capform::profile::load_file(path).unwrap_or_else(|d| panic!("{d:#?}"));
    let customers = customers.unwrap_or(loaded.profile.customers);
    // as `capform render` builds it: CAPACITY.md with the tier's findings
    let (plan, _) = capform::tier::module(&loaded, customers, Default::default());
    capform::render::render(&plan).unwrap()
}

/// Write a profile text to a fresh temp dir; returns (dir guard, path).
pub fn profile_file(name: &str, text: &[u8]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, text).unwrap();
    (dir, path)
}

/// Render [`MINIMAL`] into `<fresh dir>/<out>` through the binary, which must succeed; returns
/// (dir guard, profile path, output directory).
#[allow(dead_code)] // not every test crate renders
pub fn rendered_minimal(out: &str) -> (tempfile::TempDir, PathBuf, PathBuf) {
    let (dir, path) = profile_file("p.yaml", MINIMAL.as_bytes());
    let out = dir.path().join(out);
    let (code, _, err) = run(&[
        "render",
        path.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    (dir, path, out)
}

/// A minimal valid profile; tests edit it.
pub const MINIMAL: &str = "\
name: demo
environment: staging
region: us-east-1
customers: 1000
tables:
  orders:
    hash_key: { name: tenant_id, type: S }
    range_key: { name: order_id, type: S }
    billing: provisioned
    workload:
      reads_per_second: 0.035
      writes_per_second: 0.00875
      item_size_kb: 2
      peak_factor: 4
";
