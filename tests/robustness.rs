//! Resource limits, output safety and determinism, through the real binary where the
//! environment matters.

mod common;

use std::path::Path;
use std::process::Command;

use common::*;

fn capform() -> Command {
    Command::new(env!("CARGO_BIN_EXE_capform"))
}

fn files_of(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut v: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect();
    v.sort();
    v
}

#[test]
fn output_is_identical_across_runs_locales_timezones_and_directories() {
    let profile = root().join("profiles/phase3b.yaml");
    let tmp = tempfile::tempdir().unwrap();
    let (top, profiles) = (root(), root().join("profiles"));
    let runs: [(&str, &str, &Path, bool); 4] = [
        ("C", "UTC", top.as_path(), false),
        ("tr_TR.UTF-8", "Asia/Kolkata", tmp.path(), true),
        ("de_DE.UTF-8", "America/St_Johns", Path::new("/"), true),
        ("ja_JP.UTF-8", "Pacific/Chatham", profiles.as_path(), false),
    ];
    let mut outputs = Vec::new();
    for (i, (lang, tz, cwd, absolute)) in runs.iter().enumerate() {
        let out = tmp.path().join(format!("m{i}"));
        let arg = if *absolute {
            profile.display().to_string()
        } else {
            pathdiff(&profile, cwd)
        };
        let status = capform()
            .current_dir(cwd)
            .env("LANG", lang)
            .env("LC_ALL", lang)
            .env("TZ", tz)
            .args(["render", &arg, "-o"])
            .arg(&out)
            .output()
            .unwrap();
        assert!(
            status.status.success(),
            "{}",
            String::from_utf8_lossy(&status.stderr)
        );
        outputs.push(files_of(&out));
    }
    for o in &outputs[1..] {
        assert_eq!(o, &outputs[0]);
    }
}

/// `profile` relative to `dir` (both absolute), for running from another directory.
fn pathdiff(profile: &Path, dir: &Path) -> String {
    let mut up = String::new();
    let mut base = dir.to_path_buf();
    loop {
        if let Ok(rest) = profile.strip_prefix(&base) {
            return format!("{up}{}", rest.display());
        }
        up.push_str("../");
        if !base.pop() {
            return profile.display().to_string();
        }
    }
}

#[test]
fn an_alias_bomb_is_refused_quickly_with_a_location() {
    let mut text = String::from(
        "name: bomb\nenvironment: staging\nregion: us-east-1\ncustomers: 1\nx:\n  a: &a [x, x, x, x, x, x, x, x, x, x]\n",
    );
    let mut prev = 'a';
    for c in 'b'..='z' {
        text.push_str(&format!(
            "  {c}: &{c} [{}]\n",
            vec![format!("*{prev}"); 10].join(", ")
        ));
        prev = c;
    }
    let (_dir, path) = profile_file("bomb.yaml", text.as_bytes());
    let (code, _, err) = run(&[
        "render",
        path.to_str().unwrap(),
        "-o",
        "/tmp/capform-never-written",
    ]);
    assert_eq!(code, 2);
    assert!(
        err.contains("[CF002]") && err.contains("bomb.yaml:"),
        "{err}"
    );
    assert!(!Path::new("/tmp/capform-never-written").exists());
}

#[test]
fn deep_nesting_is_refused() {
    let text = format!(
        "name: deep\nx: {}{}\n",
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    let (_dir, path) = profile_file("deep.yaml", text.as_bytes());
    let (code, _, err) = run(&["validate", path.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(err.contains("[CF002]"), "{err}");
}

#[test]
fn a_50_mb_profile_is_refused_before_it_is_read() {
    let (dir, path) = profile_file("big.yaml", b"");
    let f = std::fs::File::create(&path).unwrap();
    f.set_len(50 * 1024 * 1024).unwrap();
    let (code, _, err) = run(&[
        "render",
        path.to_str().unwrap(),
        "-o",
        dir.path().join("m").to_str().unwrap(),
    ]);
    assert_eq!(code, 2);
    assert!(
        err.contains("profiles are limited to 16777216 bytes"),
        "{err}"
    );
    assert!(!dir.path().join("m").exists());
}

#[test]
fn ten_thousand_tables_is_a_clear_error() {
    let mut text = String::from(
        "name: many\nenvironment: staging\nregion: us-east-1\ncustomers: 1\ntables:\n",
    );
    for i in 0..10_000 {
        text.push_str(&format!("  t{i}: {{ hash_key: {{ name: id, type: S }}, billing: on_demand, workload: {{ reads_per_second: 1, writes_per_second: 1, item_size_kb: 1 }} }}\n"));
    }
    let (dir, path) = profile_file("many.yaml", text.as_bytes());
    let (code, _, err) = run(&[
        "render",
        path.to_str().unwrap(),
        "-o",
        dir.path().join("m").to_str().unwrap(),
    ]);
    assert_eq!(code, 2);
    assert!(
        err.contains("many.yaml:5:1: error[CF100]: tables: expected at most 2500 entries")
            || err.contains("2500"),
        "{err}"
    );
}

#[test]
fn an_output_under_a_file_is_refused_and_nothing_changes() {
    let (dir, path) = profile_file("p.yaml", MINIMAL.as_bytes());
    let blocker = dir.path().join("not-a-dir");
    std::fs::write(&blocker, "x").unwrap();
    let (code, _, err) = run(&[
        "render",
        path.to_str().unwrap(),
        "-o",
        blocker.join("module").to_str().unwrap(),
    ]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("nothing was changed"), "{err}");
    assert_eq!(std::fs::read_to_string(&blocker).unwrap(), "x");
}

#[test]
fn a_read_only_output_directory_is_refused_and_nothing_changes() {
    use std::os::unix::fs::PermissionsExt;
    let (dir, path, out) = rendered_minimal("module");
    let before = files_of(&out);
    std::fs::set_permissions(&out, std::fs::Permissions::from_mode(0o555)).unwrap();
    // a different tier, so that a write would change the files
    let (code, _, err) = run(&[
        "render",
        path.to_str().unwrap(),
        "--customers",
        "5000",
        "-o",
        out.to_str().unwrap(),
    ]);
    std::fs::set_permissions(&out, std::fs::Permissions::from_mode(0o755)).unwrap();
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("is read-only"), "{err}");
    assert!(err.contains("nothing was changed"), "{err}");
    assert_eq!(files_of(&out), before);
    // nothing staged beside it either
    let beside: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(beside.iter().all(|n| !n.contains("capform-")), "{beside:?}");
}

#[test]
fn an_unwritable_location_is_refused_cleanly() {
    // /proc refuses new entries to every user, root included: a real unwritable directory
    // wherever the tests run as.
    let (_dir, path) = profile_file("p.yaml", MINIMAL.as_bytes());
    for out in ["/proc/capform-module", "/proc/self/capform-module"] {
        if !Path::new("/proc/self").exists() {
            return;
        }
        let (code, _, err) = run(&["render", path.to_str().unwrap(), "-o", out]);
        assert_eq!(code, 2, "{out}: {err}");
        assert!(err.contains("nothing was changed"), "{err}");
        assert!(err.contains(out.rsplit_once('/').unwrap().0), "{err}");
        assert!(!Path::new(out).exists());
    }
}
