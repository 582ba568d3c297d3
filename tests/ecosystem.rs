//! What capform offers the tools around it: `init`, shell completions, man pages, the
//! pre-commit hooks and the documented GitHub Actions workflow.

mod common;

use std::fs;

use common::*;

#[test]
fn init_writes_a_starter_that_validates_clean_renders_and_is_never_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    let profile = dir.path().join("svc.yaml");
    let p = profile.to_str().unwrap();
    let (code, _, err) = run(&["init", "-o", p, "--name", "orders-api"]);
    assert_eq!(code, 0, "{err}");
    let text = fs::read_to_string(&profile).unwrap();
    assert!(text.starts_with("# yaml-language-server: $schema=./profile.schema.json\n"));
    assert!(text.contains("name: orders-api"));
    // the schema the line points at is beside it, and it is capform's
    let schema = fs::read_to_string(dir.path().join("profile.schema.json")).unwrap();
    assert_eq!(schema, capform::profile::schema::schema_text());
    // clean: no error and no warning
    let (code, _, err) = run(&["validate", p, "--deny", "warnings"]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("0 errors, 0 warnings"), "{err}");
    let module = dir.path().join("module");
    let (code, _, err) = run(&["render", p, "-o", module.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert!(module.join("dynamodb-autoscaling.tf").exists());
    // an existing profile is kept, byte for byte, unless --force
    fs::write(&profile, "name: mine\n").unwrap();
    let (code, _, err) = run(&["init", "-o", p]);
    assert_eq!(code, 2);
    assert!(err.contains("svc.yaml") && err.contains("--force"), "{err}");
    assert_eq!(fs::read_to_string(&profile).unwrap(), "name: mine\n");
    let (code, _, _) = run(&["init", "-o", p, "--force"]);
    assert_eq!(code, 0);
    assert!(
        fs::read_to_string(&profile)
            .unwrap()
            .contains("name: my-service")
    );
    // a schema file that is not capform's is left alone
    let other = dir.path().join("other");
    fs::create_dir(&other).unwrap();
    fs::write(other.join("profile.schema.json"), "{}").unwrap();
    let (code, _, err) = run(&["init", "-o", other.join("p.yaml").to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("not capform's schema"), "{err}");
    assert_eq!(
        fs::read_to_string(other.join("profile.schema.json")).unwrap(),
        "{}"
    );
}

#[test]
fn init_refuses_a_bad_name_and_prints_without_o() {
    let dir = tempfile::tempdir().unwrap();
    let profile = dir.path().join("p.yaml");
    let (code, _, err) = run(&[
        "init",
        "-o",
        profile.to_str().unwrap(),
        "--name",
        "Bad_Name",
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("--name `Bad_Name`"), "{err}");
    assert!(!profile.exists() && !dir.path().join("profile.schema.json").exists());
    let (code, out, _) = run(&["init"]);
    assert_eq!(code, 0);
    assert_eq!(out, capform::init::STARTER);
}

#[test]
fn completions_cover_every_command_in_every_shell() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let (code, out, err) = run(&["completions", shell]);
        assert_eq!(code, 0, "{shell}: {err}");
        for sub in [
            "render", "validate", "plan", "simulate", "tune", "init", "explain",
        ] {
            assert!(out.contains(sub), "{shell} completions lack {sub}");
        }
    }
    // flags too: bash completes `render --check`
    let (_, bash, _) = run(&["completions", "bash"]);
    assert!(bash.contains("--check") && bash.contains("--manage-indexes"));
    let (code, _, _) = run(&["completions", "tcsh"]);
    assert_eq!(code, 2);
}

#[test]
fn man_pages_are_roff_for_capform_and_each_command() {
    let (code, out, _) = run(&["man"]);
    assert_eq!(code, 0);
    assert!(
        out.contains(".TH capform 1") && out.contains("render"),
        "{out}"
    );
    let dir = tempfile::tempdir().unwrap();
    let (code, _, err) = run(&["man", "--dir", dir.path().to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    for page in [
        "capform",
        "capform-render",
        "capform-validate",
        "capform-init",
    ] {
        let text = fs::read_to_string(dir.path().join(format!("{page}.1"))).unwrap();
        assert!(text.contains(&format!(".TH {page} 1")), "{page}: {text}");
    }
    let render = fs::read_to_string(dir.path().join("capform-render.1")).unwrap();
    assert!(render.contains("check"), "{render}");
}
