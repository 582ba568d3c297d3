//! The validator: a corpus of invalid profiles and modules, each asserting the exact rule IDs
//! and locations; shipped profiles and their modules validate clean; drift; output formats.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use capform::validate;
use common::*;
use serde::Deserialize;

fn corpus() -> PathBuf {
    root().join("tests/corpus")
}

/// `# expect: CF100 13:21` lines at the end of a corpus profile.
fn expectations(text: &str) -> Vec<String> {
    let mut v: Vec<String> = text
        .lines()
        .filter_map(|l| l.strip_prefix("# expect: "))
        .map(|s| s.trim().to_owned())
        .collect();
    v.sort();
    v
}

fn found(report: &validate::Report, relative_to: Option<&Path>) -> Vec<String> {
    let mut v: Vec<String> = report
        .diagnostics
        .iter()
        .map(|d| match relative_to {
            Some(dir) => {
                let file = Path::new(&d.file)
                    .strip_prefix(dir)
                    .map(|p| p.display().to_string())
                    .unwrap_or_else(|_| d.file.clone());
                format!("{} {}:{}:{}", d.rule, file, d.line, d.column)
            }
            None => format!("{} {}:{}", d.rule, d.line, d.column),
        })
        .collect();
    v.sort();
    v
}

#[test]
fn every_invalid_profile_reports_exactly_its_rules_at_their_locations() {
    let mut n = 0;
    let mut failures = Vec::new();
    for entry in std::fs::read_dir(corpus().join("profiles")).unwrap() {
        let path = entry.unwrap().path();
        let text = String::from_utf8_lossy(&std::fs::read(&path).unwrap()).into_owned();
        let want = expectations(&text);
        assert!(!want.is_empty(), "{}: no `# expect:` lines", path.display());
        let report = validate::profiles(std::slice::from_ref(&path), None);
        let got = found(&report, None);
        if got != want {
            failures.push(format!(
                "{}:\n  want {want:?}\n  got  {got:?}",
                path.display()
            ));
        }
        n += 1;
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(n >= 30, "corpus has {n} profiles");
}

#[derive(Deserialize)]
struct ModuleCase {
    profile: String,
    drift: bool,
    edits: Vec<Edit>,
    expect: Option<Vec<String>>,
}

#[derive(Deserialize)]
struct Edit {
    file: String,
    #[serde(default)]
    find: Option<String>,
    #[serde(default)]
    replace: Option<String>,
    #[serde(default)]
    remove_block: Option<String>,
}

/// Render the case's profile into `dir` and apply its edits.
fn build_module(case: &ModuleCase, dir: &Path) {
    let files = render_files(&corpus().join(&case.profile), None);
    capform::render::write::write_module(dir, &files, false).unwrap();
    for e in &case.edits {
        let path = dir.join(&e.file);
        let mut text = std::fs::read_to_string(&path).unwrap();
        if let Some(find) = &e.find {
            assert!(
                text.contains(find.as_str()),
                "{}: `{find}` not found",
                e.file
            );
            text = text.replacen(find.as_str(), e.replace.as_deref().unwrap_or(""), 1);
        }
        if let Some(start) = &e.remove_block {
            let a = text
                .find(start.as_str())
                .unwrap_or_else(|| panic!("`{start}` not found"));
            let b = a + text[a..].find("\n}\n").unwrap() + 3;
            text.replace_range(a..b, "");
        }
        std::fs::write(&path, text).unwrap();
    }
}

#[test]
fn every_invalid_module_reports_exactly_its_rules_at_their_locations() {
    let mut n = 0;
    let mut failures = Vec::new();
    for entry in std::fs::read_dir(corpus().join("modules")).unwrap() {
        let path = entry.unwrap().path();
        let case: ModuleCase =
            serde_saphyr::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("module");
        build_module(&case, &dir);
        let profile = corpus().join(&case.profile);
        let report = validate::terraform(&dir, case.drift.then_some(profile.as_path()), None);
        let got = found(&report, Some(&dir));
        let mut want = case.expect.clone().unwrap_or_default();
        want.sort();
        assert!(
            !want.is_empty() || std::env::var_os("CAPFORM_CORPUS_PRINT").is_some(),
            "{}: no expectations",
            path.display()
        );
        if got != want {
            failures.push(format!(
                "{}:\n  want {want:?}\n  got  {got:?}",
                path.display()
            ));
        }
        n += 1;
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(n >= 15, "corpus has {n} modules");
}

#[test]
fn shipped_profiles_and_their_modules_validate_clean() {
    let profiles = shipped_profiles();
    let report = validate::profiles(&profiles, None);
    assert!(report.diagnostics.is_empty(), "{:#?}", report.diagnostics);
    for p in &profiles {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("m");
        capform::render::write::write_module(&dir, &render_files(p, None), false).unwrap();
        let report = validate::terraform(&dir, Some(p), None);
        assert!(
            report.diagnostics.is_empty(),
            "{}: {:#?}",
            p.display(),
            report.diagnostics
        );
    }
    let (code, _, err) = run(&[
        "validate",
        "profiles/phase3b.yaml",
        "profiles/helpdesk-staging.yaml",
    ]
    .map(|s| {
        if s.starts_with("profiles/") {
            Box::leak(root().join(s).display().to_string().into_boxed_str()) as &str
        } else {
            s
        }
    }));
    assert_eq!(code, 0, "{err}");
    assert_eq!(err.trim(), "0 errors, 0 warnings in 2 files");
}

#[test]
fn exit_codes_follow_severity_and_deny() {
    let warn = corpus().join("profiles/cf402-production-without-deletion-protection.yaml");
    let warn = warn.to_str().unwrap();
    assert_eq!(run(&["validate", warn]).0, 0, "warnings alone pass");
    assert_eq!(run(&["validate", warn, "--deny", "warnings"]).0, 1);
    let err = corpus().join("profiles/cf401-production-without-pitr.yaml");
    assert_eq!(run(&["validate", err.to_str().unwrap()]).0, 1);
    assert_eq!(run(&["validate", "/nonexistent.yaml"]).0, 2);
    assert_eq!(run(&["validate"]).0, 2, "no input is a usage error");
    assert_eq!(
        run(&["validate", "--profile", "x.yaml", "y.yaml"]).0,
        2,
        "--profile needs --terraform"
    );
}

#[test]
fn human_output_shows_the_source_line_with_a_caret_and_a_summary() {
    let path = corpus().join("profiles/cf100-wrong-type.yaml");
    let (code, _, err) = run(&["validate", path.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(
        err.contains("error[CF100]: tables.orders.workload.item_size_kb: expected a number"),
        "{err}"
    );
    assert!(err.contains(&format!("{}:14:21", path.display())), "{err}");
    assert!(err.contains("      item_size_kb: big"), "{err}");
    assert!(err.contains("^^^"), "{err}");
    assert!(!err.contains('\u{1b}'), "no colour when not a terminal");
    assert!(
        err.trim_end().ends_with("1 error, 0 warnings in 1 file"),
        "{err}"
    );
}

#[test]
fn json_output_has_the_documented_shape() {
    let path = corpus().join("profiles/cf402-production-without-deletion-protection.yaml");
    let (code, out, _) = run(&["validate", "--format", "json", path.to_str().unwrap()]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["version"], 1);
    assert_eq!(v["summary"]["warnings"], 2);
    let d = &v["diagnostics"][0];
    let keys: Vec<&str> = d.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        [
            "rule", "severity", "message", "file", "line", "column", "path", "help"
        ]
    );
    assert_eq!(d["rule"], "CF402");
    assert_eq!(d["severity"], "warning");
    assert_eq!(d["line"], 6);
    assert_eq!(d["path"], "defaults.deletion_protection");
}

#[test]
fn sarif_output_validates_against_the_sarif_2_1_0_schema() {
    let mut schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("tests/data/sarif-2.1.0-rtm.5.json")).unwrap(),
    )
    .unwrap();
    // The published schema's `language` patterns have a stray `]`, a literal in ECMAScript
    // regexes but an error for Rust's; escape it (the vendored file stays as published).
    fn escape_stray_bracket(v: &mut serde_json::Value) -> usize {
        match v {
            serde_json::Value::String(s) if s == "^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$" => {
                *s = "^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}\\]?$".into();
                1
            }
            serde_json::Value::Object(m) => m.values_mut().map(escape_stray_bracket).sum(),
            serde_json::Value::Array(a) => a.iter_mut().map(escape_stray_bracket).sum(),
            _ => 0,
        }
    }
    assert!(escape_stray_bracket(&mut schema) > 0);
    let validator = jsonschema::validator_for(&schema).unwrap();
    let mut paths: Vec<String> = std::fs::read_dir(corpus().join("profiles"))
        .unwrap()
        .map(|e| e.unwrap().path().display().to_string())
        .collect();
    paths.sort();
    let mut args = vec!["validate", "--format", "sarif"];
    args.extend(paths.iter().map(String::as_str));
    let (code, out, _) = run(&args);
    assert_eq!(code, 2, "the corpus holds an unreadable (non-UTF-8) file");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&v)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let results = v["runs"][0]["results"].as_array().unwrap();
    assert!(results.len() >= 40);
    let rules = v["runs"][0]["tool"]["driver"]["rules"].as_array().unwrap();
    assert!(rules.len() >= 25);
    for r in results {
        let idx = r["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[idx]["id"], r["ruleId"]);
        assert!(
            rules[idx]["helpUri"]
                .as_str()
                .unwrap()
                .starts_with("https://")
        );
    }
    // a located result carries its region
    let located = results.iter().find(|r| r["ruleId"] == "CF208").unwrap();
    assert_eq!(
        located["locations"][0]["physicalLocation"]["region"]["startLine"],
        14
    );
}

#[test]
fn drift_reports_each_edit_and_render_check_exits_1() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("m");
    let profile = root().join("profiles/phase3b.yaml");
    capform::render::write::write_module(&dir, &render_files(&profile, None), false).unwrap();
    let p = profile.to_str().unwrap();
    let d = dir.to_str().unwrap();
    assert_eq!(run(&["render", p, "-o", d, "--check"]).0, 0);

    // change a max capacity, drop an alarm, remove a GSI
    let tf = dir.join("dynamodb-autoscaling.tf");
    let text = std::fs::read_to_string(&tf).unwrap();
    let text = text.replacen(
        "  min_capacity       = 50\n  max_capacity       = 200\n",
        "  min_capacity       = 50\n  max_capacity       = 300\n",
        1,
    );
    let a = text
        .find("  global_secondary_index {\n    name               = \"by_assignee\"")
        .unwrap();
    let b = a + text[a..].find("  }\n").unwrap() + 4;
    let text = format!("{}{}", &text[..a], &text[b..]);
    std::fs::write(&tf, text).unwrap();
    let cw = dir.join("cloudwatch-monitoring.tf");
    let text = std::fs::read_to_string(&cw).unwrap();
    let a = text
        .find("resource \"aws_cloudwatch_metric_alarm\" \"lambda_webhook_dispatcher_throttles\" {")
        .unwrap();
    let b = a + text[a..].find("\n}\n").unwrap() + 3;
    std::fs::write(&cw, format!("{}{}", &text[..a], &text[b..])).unwrap();

    let report = validate::terraform(&dir, Some(&profile), None);
    let rules: BTreeMap<&str, usize> =
        report.diagnostics.iter().fold(BTreeMap::new(), |mut m, d| {
            *m.entry(d.rule.as_str()).or_default() += 1;
            m
        });
    let max = report
        .diagnostics
        .iter()
        .find(|d| d.rule.as_str() == "CF801")
        .expect("capacity drift");
    assert!(
        max.message.contains("300") && max.message.contains("200"),
        "{}",
        max.message
    );
    assert!(
        report
            .diagnostics
            .iter()
            .any(|d| d.rule.as_str() == "CF803" && d.path.contains("by_assignee")),
        "{:#?}",
        report.diagnostics
    );
    assert!(
        report.diagnostics.iter().any(|d| d.rule.as_str() == "CF806"
            && d.path.contains("lambda_webhook_dispatcher_throttles"))
    );
    assert_eq!(rules.get("CF801"), Some(&1), "{rules:?}");
    assert_eq!(run(&["render", p, "-o", d, "--check"]).0, 1);
    let (code, _, _) = run(&["validate", "--terraform", d, "--profile", p]);
    assert_eq!(code, 1);
}

#[test]
fn docs_rules_md_is_generated_from_the_catalogue() {
    let shipped = std::fs::read_to_string(root().join("docs/rules.md")).unwrap();
    assert_eq!(
        shipped,
        capform::rules::markdown(),
        "regenerate with `capform explain --markdown > docs/rules.md`"
    );
    assert!(capform::rules::RULES.len() >= 25);
    let (code, out, _) = run(&["explain", "cf401"]);
    assert_eq!(code, 0);
    assert!(out.contains("production-without-pitr") && out.contains("How to fix it"));
    assert_eq!(run(&["explain", "CF999"]).0, 2);
}

#[test]
fn every_rule_documents_an_example_that_reports_it() {
    for r in capform::rules::RULES {
        let path = root().join(r.example);
        assert!(path.exists(), "{}: example {} is missing", r.id, r.example);
        let name = path.file_name().unwrap().to_string_lossy().to_uppercase();
        assert!(
            name.starts_with(r.id.as_str()),
            "{}: example {} is another rule's",
            r.id,
            r.example
        );
    }
}

#[test]
fn every_rule_has_a_corpus_case() {
    let mut seen = std::collections::BTreeSet::new();
    for sub in ["profiles", "modules", "terraform"] {
        for e in std::fs::read_dir(corpus().join(sub)).unwrap() {
            let name = e.unwrap().file_name().to_string_lossy().to_uppercase();
            seen.insert(name[..5].to_owned());
        }
    }
    let missing: Vec<&str> = capform::rules::RULES
        .iter()
        .map(|r| r.id.as_str())
        .filter(|id| !seen.contains(*id))
        .collect();
    assert!(
        missing.is_empty(),
        "rules without a corpus case: {missing:?}"
    );
}

/// Drift findings of a module, as `rule file-name:line:column path`.
fn drift_findings(dir: &Path, profile: &Path, customers: Option<u64>) -> Vec<String> {
    let report = validate::terraform(dir, Some(profile), customers);
    let mut v: Vec<String> = report
        .diagnostics
        .iter()
        .filter(|d| d.rule.as_str().starts_with("CF8"))
        .map(|d| {
            let file = Path::new(&d.file).file_name().unwrap().to_string_lossy();
            format!("{} {file}:{}:{} {}", d.rule, d.line, d.column, d.path)
        })
        .collect();
    v.sort();
    v
}

#[test]
fn drift_trusts_a_recorded_render_only_while_it_holds() {
    let tmp = tempfile::tempdir().unwrap();
    let profile = root().join("profiles/phase3b.yaml");
    let p = profile.to_str().unwrap();
    // the same module twice: written by `render` (its manifest records the render's identity)
    // and written without one, which drift always renders again
    let recorded = tmp.path().join("recorded");
    let plain = tmp.path().join("plain");
    assert_eq!(run(&["render", p, "-o", recorded.to_str().unwrap()]).0, 0);
    capform::render::write::write_module(&plain, &render_files(&profile, None), false).unwrap();
    let manifest =
        |dir: &Path| std::fs::read_to_string(dir.join(".capform-manifest.json")).unwrap();
    assert!(manifest(&recorded).contains("\"rendered_from\": \"sha256:"));
    assert!(!manifest(&plain).contains("rendered_from"));
    // the render recorded is the one drift would make: it is not made again
    let loaded = capform::profile::load_file(&profile).unwrap();
    let expected = |dir: &Path, customers| validate::drift::expected(&loaded, dir, customers);
    assert!(matches!(
        expected(&recorded, None),
        validate::drift::Expected::Recorded(_)
    ));
    assert!(matches!(
        expected(&plain, None),
        validate::drift::Expected::Rendered(Ok(_))
    ));
    assert!(matches!(
        expected(&recorded, Some(10_000)),
        validate::drift::Expected::Rendered(Ok(_))
    ));
    for dir in [&recorded, &plain] {
        assert_eq!(drift_findings(dir, &profile, None), Vec::<String>::new());
        // a file of the user's is not what the profile renders, whichever way that is known
        std::fs::write(
            dir.join("extra.tf"),
            "resource \"aws_sns_topic\" \"pager\" {\n  name = \"pager\"\n}\n",
        )
        .unwrap();
    }
    let extra = drift_findings(&recorded, &profile, None);
    assert_eq!(extra.len(), 1, "{extra:?}");
    assert_eq!(extra, drift_findings(&plain, &profile, None));
    // another tier is another render: the record does not stand for it
    let other = drift_findings(&recorded, &profile, Some(10_000));
    assert!(other.iter().any(|f| f.starts_with("CF801")), "{other:?}");
    assert_eq!(other, drift_findings(&plain, &profile, Some(10_000)));
    // an edited file no longer has its recorded digest: rendered again, the edit is found
    for dir in [&recorded, &plain] {
        let tf = dir.join("dynamodb-autoscaling.tf");
        let text = std::fs::read_to_string(&tf).unwrap();
        let edited = text.replacen(
            "  min_capacity       = 50\n  max_capacity       = 200\n",
            "  min_capacity       = 50\n  max_capacity       = 300\n",
            1,
        );
        assert_ne!(text, edited);
        std::fs::write(&tf, edited).unwrap();
    }
    let edited = drift_findings(&recorded, &profile, None);
    assert!(edited.iter().any(|f| f.starts_with("CF801")), "{edited:?}");
    assert_eq!(edited, drift_findings(&plain, &profile, None));
}
