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

/// A YAML file of the repository as JSON.
fn yaml(path: &str) -> serde_json::Value {
    let text = fs::read_to_string(root().join(path)).unwrap();
    serde_saphyr::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Check that a capform command line names a command and flags the command line accepts.
fn assert_known_command(words: &[&str]) {
    assert_eq!(words[0], "capform", "{words:?}");
    let sub = words[1];
    let (code, help, err) = run(&[sub, "--help"]);
    assert_eq!(code, 0, "`capform {sub}`: {err}");
    for w in &words[2..] {
        if w.starts_with("--") {
            let flag = w.split('=').next().unwrap();
            assert!(help.contains(flag), "`capform {sub}` has no {flag}");
        }
    }
}

#[test]
fn the_pre_commit_hooks_are_well_formed_and_run() {
    let hooks = yaml(".pre-commit-hooks.yaml");
    let hooks = hooks.as_array().expect("a list of hooks");
    let mut ids = Vec::new();
    for h in hooks {
        for key in ["id", "name", "entry", "language"] {
            assert!(h[key].is_string(), "hook {h} lacks {key}");
        }
        // pre-commit builds a `language: rust` hook from this repository's Cargo.toml
        assert_eq!(h["language"], "rust");
        let id = h["id"].as_str().unwrap();
        assert!(!ids.contains(&id), "{id} twice");
        ids.push(id);
        let entry: Vec<&str> = h["entry"].as_str().unwrap().split_whitespace().collect();
        assert_known_command(&entry);
    }
    assert_eq!(
        ids,
        [
            "capform-validate",
            "capform-render-check",
            "capform-validate-terraform"
        ]
    );
    // run each hook as pre-commit would, with the arguments its header shows
    let dir = tempfile::tempdir().unwrap();
    let module = dir.path().join("phase3b");
    let profile = root().join("profiles/phase3b.yaml");
    let (p, m) = (profile.to_str().unwrap(), module.to_str().unwrap());
    assert_eq!(run(&["render", p, "-o", m]).0, 0);
    let cases: [(&str, Vec<&str>); 3] = [
        ("capform-validate", vec![p]),
        ("capform-render-check", vec![p, "-o", m]),
        (
            "capform-validate-terraform",
            vec!["--terraform", m, "--profile", p],
        ),
    ];
    for (id, args) in cases {
        let h = hooks.iter().find(|h| h["id"] == id).unwrap();
        let mut words: Vec<&str> = h["entry"]
            .as_str()
            .unwrap()
            .split_whitespace()
            .skip(1)
            .collect();
        words.extend(args);
        let (code, out, err) = run(&words);
        assert_eq!(code, 0, "{id}: {words:?}\n{out}{err}");
    }
    // and the render check fails once the module is edited
    let tf = module.join("variables.tf");
    let edited = fs::read_to_string(&tf)
        .unwrap()
        .replace("default     = []", "default     = [\"x\"]");
    fs::write(&tf, edited).unwrap();
    assert_eq!(run(&["render", "--check", p, "-o", m]).0, 1);
}

#[test]
fn the_documented_workflow_renders_checks_uploads_sarif_and_plans() {
    let wf = yaml("docs/github-actions/capform.yml");
    let steps = wf["jobs"]["capform"]["steps"].as_array().expect("steps");
    let runs: Vec<&str> = steps
        .iter()
        .filter_map(|s| s["run"].as_str())
        .flat_map(str::lines)
        .map(str::trim)
        .collect();
    let capform: Vec<Vec<&str>> = runs
        .iter()
        .filter(|l| l.starts_with("capform "))
        .map(|l| l.split(" >").next().unwrap().split_whitespace().collect())
        .collect();
    for words in &capform {
        assert_known_command(words);
    }
    let has = |pred: &dyn Fn(&Vec<&str>) -> bool| capform.iter().any(pred);
    assert!(has(&|w| w[1] == "render" && w.contains(&"--check")));
    assert!(has(&|w| w[1] == "validate"
        && w.contains(&"sarif")
        && w.contains(&"--terraform")));
    assert!(has(&|w| w[1] == "validate" && w.contains(&"--plan")));
    assert!(runs.iter().any(|l| l.starts_with("terraform plan")));
    let uses: Vec<&str> = steps.iter().filter_map(|s| s["uses"].as_str()).collect();
    assert!(
        uses.iter()
            .any(|u| u.starts_with("github/codeql-action/upload-sarif@"))
    );
    assert_eq!(
        wf["jobs"]["capform"]["permissions"]["security-events"],
        "write"
    );
}
