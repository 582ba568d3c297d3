//! The hand-written module corpus (`tests/corpus/terraform/`): modules in the shapes public
//! DynamoDB modules take (variables, locals, `count`/`for_each`, `dynamic` blocks, child
//! modules, `.tf.json`, comments in `ignore_changes`, `moved`/`removed`/`import`/`check`
//! blocks), each asserting exactly what `validate --terraform` reports. Each case's
//! `case.json` gives `expect` (what capform reports, asserted) and, where capform knowingly
//! falls short, `truth` (what is really wrong); the README's precision/recall table is counted
//! from the two.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use capform::validate::{self, TerraformOptions};
use common::*;
use serde::Deserialize;

#[derive(Deserialize)]
struct Case {
    about: String,
    kind: String,
    expect: Vec<String>,
    #[serde(default)]
    truth: Option<Vec<String>>,
    #[serde(default)]
    vars: BTreeMap<String, String>,
}

fn cases() -> Vec<(PathBuf, Case)> {
    let dir = root().join("tests/corpus/terraform");
    let mut out: Vec<(PathBuf, Case)> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .map(|p| {
            let case: Case =
                serde_json::from_str(&std::fs::read_to_string(p.join("case.json")).unwrap())
                    .unwrap_or_else(|e| panic!("{}: {e}", p.display()));
            (p, case)
        })
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

fn findings(dir: &Path, case: &Case) -> Vec<String> {
    let opts = TerraformOptions {
        inputs: capform::terraform::eval::Inputs {
            vars: case.vars.clone().into_iter().collect(),
            var_files: vec![],
        },
        ..TerraformOptions::default()
    };
    let report = validate::terraform_with(Some(dir), &opts);
    let mut v: Vec<String> = report
        .diagnostics
        .iter()
        .map(|d| {
            let file = Path::new(&d.file)
                .strip_prefix(dir)
                .map(|p| p.display().to_string())
                .unwrap_or_else(|_| d.file.clone());
            let file = if file.is_empty() { ".".into() } else { file };
            format!("{} {}:{}:{}", d.rule, file, d.line, d.column)
        })
        .collect();
    v.sort();
    v
}

#[test]
fn every_corpus_module_reports_exactly_its_findings() {
    let cases = cases();
    let mut failures = Vec::new();
    for (dir, case) in &cases {
        assert!(!case.about.is_empty());
        let got = findings(dir, case);
        let mut want = case.expect.clone();
        want.sort();
        if got != want {
            failures.push(format!(
                "{} ({}):\n  want {want:?}\n  got  {got:?}",
                dir.file_name().unwrap().to_string_lossy(),
                case.about
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(cases.len() >= 40, "the corpus has {} modules", cases.len());
    let kinds: std::collections::BTreeSet<&str> = cases.iter().map(|c| c.1.kind.as_str()).collect();
    assert!(
        kinds.contains("false-alarm") && kinds.contains("miss"),
        "{kinds:?}"
    );
}

/// Per module rule: true positives, false positives, false negatives over the corpus.
fn counts() -> BTreeMap<String, (usize, usize, usize)> {
    let mut out: BTreeMap<String, (usize, usize, usize)> = BTreeMap::new();
    for r in capform::rules::RULES {
        let id = r.id.as_str();
        // CF604 judges profiles only
        if (id.starts_with("CF6") || id.starts_with("CF70")) && id != "CF604" {
            out.insert(id.to_owned(), (0, 0, 0));
        }
    }
    for (dir, case) in cases() {
        let got = findings(&dir, &case);
        let truth = case.truth.clone().unwrap_or_else(|| case.expect.clone());
        for (rule, c) in out.iter_mut() {
            let mut g: Vec<&String> = got
                .iter()
                .filter(|f| f.starts_with(rule.as_str()))
                .collect();
            let t: Vec<&String> = truth
                .iter()
                .filter(|f| f.starts_with(rule.as_str()))
                .collect();
            for f in t {
                match g.iter().position(|x| *x == f) {
                    Some(i) => {
                        c.0 += 1;
                        g.remove(i);
                    }
                    None => c.2 += 1,
                }
            }
            c.1 += g.len();
        }
    }
    out
}

/// The README's table, as the corpus counts it.
fn table() -> String {
    let pct = |a: usize, b: usize| {
        if b == 0 {
            "n/a".to_owned()
        } else {
            format!("{:.0} %", 100.0 * a as f64 / b as f64)
        }
    };
    let mut s = String::from(
        "| Rule | Findings expected | Reported correctly | False alarms | Missed | Precision | Recall |\n|---|---:|---:|---:|---:|---:|---:|\n",
    );
    let (mut tt, mut tf, mut tn) = (0, 0, 0);
    for (rule, (tp, fp, fneg)) in counts() {
        tt += tp;
        tf += fp;
        tn += fneg;
        s.push_str(&format!(
            "| {rule} | {} | {tp} | {fp} | {fneg} | {} | {} |\n",
            tp + fneg,
            pct(tp, tp + fp),
            pct(tp, tp + fneg)
        ));
    }
    s.push_str(&format!(
        "| all | {} | {tt} | {tf} | {tn} | {} | {} |\n",
        tt + tn,
        pct(tt, tt + tf),
        pct(tt, tt + tn)
    ));
    s
}

#[test]
fn the_readme_precision_table_is_counted_from_the_corpus() {
    let path = root().join("README.md");
    let text = std::fs::read_to_string(&path).unwrap();
    let start_tag = "<!-- module-rules-precision:start -->\n";
    let end_tag = "<!-- module-rules-precision:end -->";
    let start = text.find(start_tag).expect("README marker") + start_tag.len();
    let end = text.find(end_tag).expect("README end marker");
    let want = table();
    if std::env::var_os("CAPFORM_REGEN").is_some() {
        std::fs::write(&path, format!("{}{want}{}", &text[..start], &text[end..])).unwrap();
        return;
    }
    assert_eq!(
        &text[start..end],
        want,
        "regenerate with scripts/regen.sh (CAPFORM_REGEN=1 cargo test --test terraform_corpus)"
    );
}

/// The false-alarm cases are judged, not silenced by unknowns: without their scaling policies
/// every one of them reports CF702.
#[test]
fn scaling_cases_report_missing_scaling_once_their_policies_are_removed() {
    let mut n = 0;
    for (dir, case) in cases() {
        let main = dir.join("main.tf");
        let Ok(text) = std::fs::read_to_string(&main) else {
            continue;
        };
        if case.kind != "false-alarm" || !text.contains("\"aws_appautoscaling_policy\"") {
            continue;
        }
        let tmp = tempfile::tempdir().unwrap();
        for f in std::fs::read_dir(&dir).unwrap() {
            let f = f.unwrap().path();
            if f.is_file() {
                std::fs::copy(&f, tmp.path().join(f.file_name().unwrap())).unwrap();
            }
        }
        let mut kept = String::new();
        let mut skipping = false;
        for line in text.lines() {
            if line.starts_with("resource \"aws_appautoscaling_policy\"") {
                skipping = true;
            }
            if !skipping {
                kept.push_str(line);
                kept.push('\n');
            }
            if skipping && line == "}" {
                skipping = false;
            }
        }
        std::fs::write(tmp.path().join("main.tf"), kept).unwrap();
        let got = findings(tmp.path(), &case);
        assert!(
            got.iter().any(|f| f.starts_with("CF702")),
            "{}: {got:?}",
            dir.display()
        );
        n += 1;
    }
    assert!(n >= 8, "{n} cases");
}

/// The command line: an empty directory is an input error (exit 2) that says so, `--var`
/// reaches the evaluator, and `--plan` reads a plan (a hand-made one here; terraform-check.sh
/// judges plans terraform itself wrote).
#[test]
fn the_command_line_reads_vars_plans_and_refuses_empty_directories() {
    let empty = tempfile::tempdir().unwrap();
    let d = empty.path().to_str().unwrap();
    let (code, _, err) = run(&["validate", "--terraform", d]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("no Terraform files"), "{err}");
    assert!(err.contains("in 0 files"), "{err}");

    let case = root().join("tests/corpus/terraform/fa-var-on-the-command-line");
    let c = case.to_str().unwrap();
    assert_eq!(
        run(&["validate", "--terraform", c]).0,
        1,
        "PROVISIONED by default"
    );
    assert_eq!(
        run(&[
            "validate",
            "--terraform",
            c,
            "--var",
            "billing_mode=PAY_PER_REQUEST"
        ])
        .0,
        0
    );
    assert_eq!(
        run(&["validate", "--terraform", c, "--var", "novalue"]).0,
        2
    );

    let plan = empty.path().join("plan.json");
    std::fs::write(
        &plan,
        r#"{"format_version": "1.2", "planned_values": {"root_module": {"resources": [
  {"address": "aws_dynamodb_table.t", "mode": "managed", "type": "aws_dynamodb_table", "name": "t",
   "values": {"name": "orders", "billing_mode": "PAY_PER_REQUEST", "tags_all": {"Environment": "production"}}}
]}}, "resource_changes": [{"address": "aws_dynamodb_table.t",
   "change": {"actions": ["create"], "after_unknown": {"arn": true, "point_in_time_recovery": true}}}]}"#,
    )
    .unwrap();
    let (code, out, _) = run(&[
        "validate",
        "--plan",
        plan.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(code, 1);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let rules: Vec<&str> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["rule"].as_str().unwrap())
        .collect();
    // production by its tags, PITR left to the provider's default (off), no throttle alarm
    assert_eq!(rules, ["CF603", "CF705"], "{out}");
    assert_eq!(
        v["diagnostics"][0]["line"], 2,
        "located at the address in the plan"
    );
    std::fs::write(&plan, "{\"not\": \"a plan\"}").unwrap();
    assert_eq!(run(&["validate", "--plan", plan.to_str().unwrap()]).0, 2);
}

/// Configurations that would make a naive evaluator run away or recurse: a local cycle, a
/// module that calls itself, a `count` of a hundred million, a resource naming itself. They
/// are refused by Terraform; here their values are unknown, and validation ends.
#[test]
fn runaway_configurations_are_bounded() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(
        tmp.path().join("main.tf"),
        r#"
locals {
  a = local.b
  b = local.a
}
module "self" {
  source = "./"
}
resource "aws_dynamodb_table" "t" {
  count        = 100000000
  name         = "t-${count.index}-${aws_dynamodb_table.t[0].name}"
  billing_mode = local.a
}
resource "aws_cloudwatch_metric_alarm" "a" {
  for_each   = toset([for i in range(1000) : tostring(i)])
  alarm_name = each.key
  period     = 45
}
"#,
    )
    .unwrap();
    let report = validate::terraform(tmp.path(), None, None);
    let rules: Vec<&str> = report.diagnostics.iter().map(|d| d.rule.as_str()).collect();
    // the table's instances are unknown (nothing said of them); the alarms are judged, their
    // one finding reported once for the block
    assert_eq!(rules, ["CF601"], "{:?}", report.diagnostics);
}
