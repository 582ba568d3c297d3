//! Inputs: only what the user meant. Profiles, price lists and Terraform files are regular files
//! read within a limit; price lists get the profile's schema treatment; YAML tags and keys mean
//! what they say; messages speak the user's terms.

mod common;

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{MINIMAL, profile_file, run};

/// Run the binary, killing it if it has not finished within 20 s (a blocked read would hang).
fn run_bounded(args: &[&str]) -> (Option<i32>, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_capform"))
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            let mut err = String::new();
            std::io::Read::read_to_string(child.stderr.as_mut().unwrap(), &mut err).unwrap();
            return (status.code(), err);
        }
        if start.elapsed() > Duration::from_secs(20) {
            let _ = child.kill();
            let _ = child.wait();
            return (None, "timed out".into());
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn profiles_and_price_lists_must_be_regular_files() {
    let (dir, path) = profile_file("p.yaml", MINIMAL.as_bytes());
    let fifo = dir.path().join("fifo.yaml");
    assert!(
        Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let out = dir.path().join("m");
    let o = out.to_str().unwrap();
    for special in [
        "/dev/zero",
        fifo.to_str().unwrap(),
        dir.path().to_str().unwrap(),
    ] {
        let (code, err) = run_bounded(&["render", special, "-o", o]);
        assert_eq!(code, Some(2), "{special}: {err}");
        assert!(err.contains("not a regular file"), "{special}: {err}");
        let (code, err) = run_bounded(&[
            "render",
            path.to_str().unwrap(),
            "-o",
            o,
            "--pricing",
            special,
        ]);
        assert_eq!(code, Some(2), "--pricing {special}: {err}");
        assert!(
            err.contains("not a regular file"),
            "--pricing {special}: {err}"
        );
        let (code, err) = run_bounded(&["plan", path.to_str().unwrap(), "--pricing", special]);
        assert_eq!(code, Some(2), "plan --pricing {special}: {err}");
    }
    assert!(!out.exists());
    // a price list over the size limit is refused before it is read
    let big = dir.path().join("big.yaml");
    std::fs::File::create(&big)
        .unwrap()
        .set_len(20 * 1024 * 1024)
        .unwrap();
    let (code, err) = run_bounded(&[
        "plan",
        path.to_str().unwrap(),
        "--pricing",
        big.to_str().unwrap(),
    ]);
    assert_eq!(code, Some(2), "{err}");
    assert!(
        err.contains("price lists are limited to 16777216 bytes"),
        "{err}"
    );
}

#[test]
fn a_price_list_is_checked_like_a_profile() {
    let (dir, path) = profile_file("p.yaml", MINIMAL.as_bytes());
    let list = capform::capacity::pricing::DEFAULT_TEXT
        .replace("price: 0.00065,", "price: -0.00065,")
        .replace("hours_per_month: 730", "hours_per_month: 1000")
        .replace("  lambda_request_million:", "  lambda_requests_million:");
    let pricing = dir.path().join("prices.yaml");
    std::fs::write(&pricing, list).unwrap();
    let (code, _, err) = run(&[
        "plan",
        path.to_str().unwrap(),
        "--pricing",
        pricing.to_str().unwrap(),
    ]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("prices.yaml:11:18: error[CF100]: hours_per_month: expected a number ≤ 744"),
        "{err}"
    );
    assert!(err.contains("prices.yaml:14:48: error[CF100]: prices.dynamodb_provisioned_wcu_hour.price: expected a number ≥ 0"), "{err}");
    assert!(
        err.contains("unknown field `lambda_requests_million`"),
        "{err}"
    );
    assert!(
        err.contains("missing field `lambda_request_million`"),
        "{err}"
    );
    assert!(err.contains("not a usable price list"), "{err}");
    // a checked date that is no date
    let list = capform::capacity::pricing::DEFAULT_TEXT.replacen(
        "checked: 2026-11-28",
        "checked: 2026-11-31",
        1,
    );
    std::fs::write(&pricing, list).unwrap();
    let (code, _, err) = run(&[
        "plan",
        path.to_str().unwrap(),
        "--pricing",
        pricing.to_str().unwrap(),
    ]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("prices.dynamodb_provisioned_rcu_hour.checked: `2026-11-31` is not a date"),
        "{err}"
    );
}

#[test]
fn unknown_yaml_tags_are_refused_and_keys_are_kept_as_written() {
    let text = MINIMAL.replace("name: demo", "name: !custom demo");
    let (_dir, path) = profile_file("p.yaml", text.as_bytes());
    let (code, _, err) = run(&["validate", path.to_str().unwrap()]);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("p.yaml:1:15") && err.contains("unsupported tag `!custom`"),
        "{err}"
    );

    let text = format!("{MINIMAL}tags: {{ 0x1F: a, 1.50: b, 007: c, true: d }}\n");
    let (dir, path) = profile_file("p.yaml", text.as_bytes());
    let out = dir.path().join("m");
    let (code, _, err) = run(&[
        "render",
        path.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    let vars = std::fs::read_to_string(out.join("variables.tf")).unwrap();
    for key in [
        "\"0x1F\" = \"a\"",
        "\"1.50\" = \"b\"",
        "\"007\"  = \"c\"",
        "\"true\" = \"d\"",
    ] {
        assert!(vars.contains(key), "{key} in {vars}");
    }
    assert!(!vars.contains("\"31\""), "{vars}");
}

#[test]
fn parser_messages_speak_the_users_terms() {
    let deep = format!(
        "a:\n{}",
        (1..70)
            .map(|i| format!("{}k{i}:\n", "  ".repeat(i)))
            .collect::<String>()
    );
    for (text, want) in [
        (deep.as_str(), "nested more than 64 levels deep"),
        ("name: a\n---\nname: b\n", "more than one YAML document"),
    ] {
        let (_dir, path) = profile_file("p.yaml", text.as_bytes());
        let (code, _, err) = run(&["validate", path.to_str().unwrap()]);
        assert_ne!(code, 0);
        assert!(err.contains(want), "{err}");
        for jargon in [
            "from_str",
            "DuplicateKeyPolicy",
            "Options",
            "budget",
            "Depth {",
            "capform bug",
        ] {
            assert!(!err.contains(jargon), "{jargon}: {err}");
        }
    }
}

fn write(dir: &Path, name: &str, bytes: &[u8]) {
    std::fs::write(dir.join(name), bytes).unwrap();
}

#[test]
fn terraform_files_are_read_as_terraform_reads_them() {
    let dir = tempfile::tempdir().unwrap();
    // a byte-order mark is accepted, as Terraform accepts it
    write(
        dir.path(),
        "main.tf",
        b"\xEF\xBB\xBFvariable \"x\" {\n  default = 1\n}\n",
    );
    let (code, _, err) = run(&["validate", "--terraform", dir.path().to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert!(!err.contains("CF701"), "{err}");
    // invalid UTF-8 is an input error, located at the bad byte
    write(
        dir.path(),
        "bad.tf",
        b"variable \"y\" {\n  default = \"\xFF\"\n}\n",
    );
    let (code, _, err) = run(&["validate", "--terraform", dir.path().to_str().unwrap()]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("bad.tf:2:14") && err.contains("not UTF-8"),
        "{err}"
    );
}
