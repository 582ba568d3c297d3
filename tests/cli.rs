//! The command line end to end: bad input is located and exits 2 leaving the output alone;
//! writing is all-or-nothing; `--check` reports drift.

mod common;

use std::fs;

use common::*;

/// Render `text` (as a profile file) into a fresh output path; returns (code, stderr, output existed after).
fn render_bad(name: &str, text: &[u8]) -> (i32, String, bool, String) {
    let (dir, path) = profile_file(name, text);
    let out = dir.path().join("module");
    let (code, _, err) = run(&[
        "render",
        path.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    (code, err, out.exists(), path.display().to_string())
}

fn assert_located(text: &str, want_line: u64, want_col: Option<u64>, field: &str, rule: &str) {
    let (code, err, created, file) = render_bad("p.yaml", text.as_bytes());
    assert_eq!(code, 2, "{err}");
    assert!(!created, "the output directory must not be created");
    let prefix = match want_col {
        Some(c) => format!("{file}:{want_line}:{c}: error[{rule}]"),
        None => format!("{file}:{want_line}:"),
    };
    assert!(err.contains(&prefix), "want `{prefix}` in:\n{err}");
    assert!(err.contains(field), "want field `{field}` in:\n{err}");
    assert!(
        err.contains(&format!("[{rule}]")),
        "want rule {rule} in:\n{err}"
    );
}

#[test]
fn the_minimal_profile_renders() {
    let (_dir, _, out) = rendered_minimal("m");
    assert!(out.join("dynamodb-autoscaling.tf").is_file());
}

#[test]
fn wrong_type_is_located_at_the_value() {
    let text = MINIMAL.replace("item_size_kb: 2", "item_size_kb: big");
    assert_located(
        &text,
        13,
        Some(21),
        "tables.orders.workload.item_size_kb: expected a number",
        "CF100",
    );
}

#[test]
fn unknown_field_is_located_at_its_key() {
    let text = MINIMAL.replace(
        "    billing: provisioned\n",
        "    billing: provisioned\n    bilING: x\n",
    );
    assert_located(
        &text,
        10,
        Some(5),
        "tables.orders.bilING: unknown field",
        "CF100",
    );
}

#[test]
fn out_of_range_and_bad_enum_values() {
    let text = MINIMAL.replace("customers: 1000", "customers: 0");
    assert_located(
        &text,
        4,
        Some(12),
        "customers: expected a number ≥ 1",
        "CF100",
    );
    let text = MINIMAL.replace("billing: provisioned", "billing: auto-magic");
    assert_located(
        &text,
        9,
        Some(14),
        "expected one of provisioned, on_demand",
        "CF100",
    );
    let text = MINIMAL.replace("type: S }\n    range", "type: X }\n    range");
    assert_located(
        &text,
        7,
        Some(40),
        "tables.orders.hash_key.type: expected one of S, N, B",
        "CF100",
    );
}

#[test]
fn every_schema_problem_is_reported_at_once() {
    let text = MINIMAL
        .replace("customers: 1000", "customers: -5")
        .replace("item_size_kb: 2", "item_size_kb: big");
    let (code, err, _, _) = render_bad("p.yaml", text.as_bytes());
    assert_eq!(code, 2);
    assert!(
        err.contains("customers") && err.contains("item_size_kb"),
        "{err}"
    );
}

#[test]
fn missing_keys_are_named() {
    let text = MINIMAL.replace("    hash_key: { name: tenant_id, type: S }\n", "");
    assert_located(&text, 7, Some(5), "missing field `hash_key`", "CF100");
    let text = MINIMAL.replace("region: us-east-1\n", "");
    assert_located(&text, 1, Some(1), "missing field `region`", "CF100");
}

#[test]
fn duplicate_table_names_are_located_at_the_second() {
    let text = format!(
        "{MINIMAL}  orders:\n    hash_key: {{ name: id, type: S }}\n    billing: on_demand\n    workload: {{ reads_per_second: 1, writes_per_second: 1, item_size_kb: 1 }}\n"
    );
    assert_located(&text, 15, Some(3), "tables.orders", "CF003");
}

#[test]
fn conflicting_attribute_types_across_an_index() {
    let text = format!(
        "{MINIMAL}    indexes:\n      by_order:\n        hash_key: {{ name: order_id, type: N }}\n        read_share: 0.5\n"
    );
    let (code, err, created, file) = render_bad("p.yaml", text.as_bytes());
    assert_eq!(code, 2);
    assert!(!created);
    assert!(err.contains(&format!("{file}:17:")), "{err}");
    assert!(
        err.contains("[CF206]") && err.contains("tables.orders.indexes.by_order.hash_key.type"),
        "{err}"
    );
}

#[test]
fn yaml_syntax_errors_are_located() {
    let text = MINIMAL.replace("customers: 1000", "customers: [1000");
    let (code, err, created, file) = render_bad("p.yaml", text.as_bytes());
    assert_eq!(code, 2, "{err}");
    assert!(!created);
    assert!(
        err.contains(&format!("{file}:")) && err.contains("[CF002]"),
        "{err}"
    );
    let line: u64 = err.split(':').nth(1).unwrap().parse().unwrap();
    assert!(line >= 4, "{err}");
}

#[test]
fn empty_and_non_utf8_files_are_refused() {
    let (code, err, created, file) = render_bad("p.yaml", b"");
    assert_eq!(code, 2);
    assert!(!created);
    assert!(
        err.contains(&format!("{file}:1:1: error[CF002]")) && err.contains("empty"),
        "{err}"
    );

    let mut bytes = b"name: demo\nregion: us-\xff\xfeeast-1\n".to_vec();
    bytes.extend_from_slice(b"\n");
    let (code, err, created, file) = render_bad("p.yaml", &bytes);
    assert_eq!(code, 2);
    assert!(!created);
    assert!(
        err.contains(&format!("{file}:2:12: error[CF001]")) && err.contains("not UTF-8"),
        "{err}"
    );
}

#[test]
fn a_missing_profile_is_an_input_error() {
    let (code, _, err) = run(&["render", "/nonexistent/p.yaml", "-o", "/tmp/never-written"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("/nonexistent/p.yaml") && err.contains("CF001"),
        "{err}"
    );
}

#[test]
fn usage_errors_exit_2() {
    let (code, _, err) = run(&["render"]);
    assert_eq!(code, 2, "{err}");
    let (code, _, _) = run(&["frobnicate"]);
    assert_eq!(code, 2);
}

#[test]
fn check_reports_drift_and_writes_nothing() {
    let (dir, path) = profile_file("p.yaml", MINIMAL.as_bytes());
    let out = dir.path().join("m");
    let p = path.to_str().unwrap();
    let o = out.to_str().unwrap();
    // nothing there yet: drift
    let (code, stdout, _) = run(&["render", p, "-o", o, "--check"]);
    assert_eq!(code, 1);
    assert!(stdout.contains("missing:"));
    assert!(!out.exists(), "--check must not write");

    assert_eq!(run(&["render", p, "-o", o]).0, 0);
    assert_eq!(run(&["render", p, "-o", o, "--check"]).0, 0);

    let tf = out.join("dynamodb-autoscaling.tf");
    let edited = fs::read_to_string(&tf)
        .unwrap()
        .replace("max_capacity       = 100", "max_capacity       = 150");
    fs::write(&tf, &edited).unwrap();
    let (code, stdout, _) = run(&["render", p, "-o", o, "--check"]);
    assert_eq!(code, 1);
    assert!(
        stdout.contains("-  max_capacity       = 150")
            && stdout.contains("+  max_capacity       = 100"),
        "{stdout}"
    );
    assert_eq!(
        fs::read_to_string(&tf).unwrap(),
        edited,
        "--check must not write"
    );

    // a different tier is drift too
    let (code, _, _) = run(&["render", p, "-o", o, "--check", "--customers", "2000"]);
    assert_eq!(code, 1);
}

#[test]
fn refuses_foreign_files_unless_forced_and_keeps_them() {
    let (dir, path) = profile_file("p.yaml", MINIMAL.as_bytes());
    let out = dir.path().join("m");
    fs::create_dir(&out).unwrap();
    fs::write(out.join("main.tf"), "# hand-written\n").unwrap();
    let p = path.to_str().unwrap();
    let o = out.to_str().unwrap();
    let (code, _, err) = run(&["render", p, "-o", o]);
    assert_eq!(code, 2);
    assert!(err.contains("main.tf") && err.contains("--force"), "{err}");
    assert!(!out.join("versions.tf").exists());
    let (code, _, err) = run(&["render", p, "-o", o, "--force"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        fs::read_to_string(out.join("main.tf")).unwrap(),
        "# hand-written\n"
    );
    assert!(out.join("versions.tf").exists());
}

#[test]
fn rerendering_replaces_generated_files() {
    let (dir, path) = profile_file("p.yaml", MINIMAL.as_bytes());
    let out = dir.path().join("m");
    let p = path.to_str().unwrap();
    let o = out.to_str().unwrap();
    assert_eq!(run(&["render", p, "-o", o]).0, 0);
    assert_eq!(run(&["render", p, "-o", o, "--customers", "5000"]).0, 0);
    assert!(
        fs::read_to_string(out.join("README.md"))
            .unwrap()
            .contains("5000")
    );
}

#[test]
fn output_that_is_a_file_or_a_symlink_is_refused() {
    let (dir, path) = profile_file("p.yaml", MINIMAL.as_bytes());
    let p = path.to_str().unwrap();
    let file = dir.path().join("f");
    fs::write(&file, "x").unwrap();
    let (code, _, err) = run(&["render", p, "-o", file.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(err.contains("not a directory"), "{err}");
    assert_eq!(fs::read_to_string(&file).unwrap(), "x");

    let real = dir.path().join("real");
    fs::create_dir(&real).unwrap();
    let link = dir.path().join("link");
    std::os::unix::fs::symlink(&real, &link).unwrap();
    let (code, _, err) = run(&["render", p, "-o", link.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(err.contains("symbolic link"), "{err}");
    assert_eq!(fs::read_dir(&real).unwrap().count(), 0);
}

/// A production profile with one table whose PITR is off (CF401, an error) and deletion
/// protection off (CF402, a warning).
const PROD_NO_PITR: &str = "\
name: demo
environment: production
region: us-east-1
customers: 1000
tables:
  orders:
    hash_key: { name: tenant_id, type: S }
    billing: on_demand
    point_in_time_recovery: false
    deletion_protection: false
";

#[test]
fn render_refuses_what_validate_calls_an_error_and_writes_nothing() {
    let (dir, path) = profile_file("p.yaml", PROD_NO_PITR.as_bytes());
    let out = dir.path().join("modules/m");
    let (code, _, err) = run(&[
        "render",
        path.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("error[CF401]") && err.contains("p.yaml:9:29"),
        "{err}"
    );
    assert!(err.contains("warning[CF402]"), "{err}");
    assert!(
        err.contains("not rendered: 1 error at 1000 customers"),
        "{err}"
    );
    assert!(!dir.path().join("modules").exists());
    // --check is held to the same rule
    let (code, _, _) = run(&[
        "render",
        path.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "--check",
    ]);
    assert_eq!(code, 1);
    // a waiver accepts it, as in validate; the warning is printed and does not stop
    let waived = PROD_NO_PITR.replace(
        "    point_in_time_recovery: false\n",
        "    point_in_time_recovery: false\n    waivers: { CF401: \"events are replayable\" }\n",
    );
    std::fs::write(&path, waived).unwrap();
    let (code, _, err) = run(&[
        "render",
        path.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("warning[CF402]") && !err.contains("CF401"),
        "{err}"
    );
    assert!(out.join("versions.tf").exists());
}

#[test]
fn capacity_beyond_what_aws_holds_is_an_error_not_a_saturated_number() {
    let text = MINIMAL
        .replace("reads_per_second: 0.035", "reads_per_second: 1e20")
        .replace("peak_factor: 4", "peak_factor: 1e9");
    let (dir, path) = profile_file("p.yaml", text.as_bytes());
    let out = dir.path().join("m");
    let (code, _, err) = run(&[
        "render",
        path.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("error[CF308]") && err.contains("at most 1000000"),
        "{err}"
    );
    assert!(!err.contains("18446744073709551615"), "{err}");
    assert!(!out.exists());
    let (code, _, _) = run(&["validate", path.to_str().unwrap()]);
    assert_eq!(code, 1);
    let (code, text, _) = run(&["plan", path.to_str().unwrap(), "--customers", "1000"]);
    assert_eq!(code, 1, "plan exits 1 when it prints an error finding");
    assert!(text.contains("CF308"), "{text}");
}

#[test]
fn colliding_resource_labels_are_a_located_error_naming_both() {
    let text = format!(
        "{}lambdas:\n  a_read:\n    function_name: demo-a-read\n",
        MINIMAL.replace("  orders:", "  lambda_a:")
    );
    let (dir, path) = profile_file("p.yaml", text.as_bytes());
    let out = dir.path().join("m");
    let (code, _, err) = run(&[
        "render",
        path.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("error[CF214]"), "{err}");
    assert!(
        err.contains("table `lambda_a` and Lambda function `a_read` would both define alarm resource `lambda_a_read_throttles`"),
        "{err}"
    );
    assert!(err.contains("p.yaml:16:3"), "{err}");
    assert!(!err.contains("capform bug"), "{err}");
}

#[test]
fn keyword_keys_and_invisible_characters_render() {
    let path = common::root().join("tests/profiles/keywords.yaml");
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("m");
    let (code, _, err) = run(&[
        "render",
        path.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    for e in fs::read_dir(&out).unwrap() {
        let e = e.unwrap();
        let text = fs::read_to_string(e.path()).unwrap();
        assert!(
            !text
                .chars()
                .any(|c| capform::text::invisible(c) && c != '\n'),
            "{:?} holds an invisible character raw",
            e.file_name()
        );
    }
    let outputs = fs::read_to_string(out.join("outputs.tf")).unwrap();
    assert!(
        outputs.contains("\"for\"  = aws_dynamodb_table.for.name"),
        "{outputs}"
    );
    let readme = fs::read_to_string(out.join("README.md")).unwrap();
    assert!(
        readme.contains(r"Reads \u202Eright to left\u202C"),
        "{readme}"
    );
}

#[test]
fn messages_on_a_terminal_escape_what_the_user_wrote() {
    let text = format!("{MINIMAL}tags:\n  \"aws:\\u202Eevil\": x\n");
    let (_dir, path) = profile_file("p.yaml", text.as_bytes());
    let (code, _, err) = run(&["validate", path.to_str().unwrap()]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains(r"aws:\u202Eevil"), "{err}");
    assert!(!err.contains('\u{202E}'), "{err}");
}

/// phase3b with one more index on support_tickets (an autoscaled table with indexes).
fn phase3b_with(edit: impl Fn(String) -> String) -> String {
    edit(fs::read_to_string(common::root().join("profiles/phase3b.yaml")).unwrap())
}

#[test]
fn an_index_change_hidden_by_ignore_changes_needs_manage_indexes() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("m");
    let o = out.to_str().unwrap();
    let original = dir.path().join("p.yaml");
    fs::write(&original, phase3b_with(|s| s)).unwrap();
    assert_eq!(run(&["render", original.to_str().unwrap(), "-o", o]).0, 0);
    let before = fs::read_to_string(out.join("dynamodb-autoscaling.tf")).unwrap();

    let added = dir.path().join("added.yaml");
    fs::write(
        &added,
        phase3b_with(|s| {
            s.replace(
                "      by_assignee:                  # an agent's queue\n",
                "      by_priority:\n        hash_key: { name: priority, type: S }\n        projection: keys_only\n      by_assignee:                  # an agent's queue\n",
            )
        }),
    )
    .unwrap();
    let a = added.to_str().unwrap();
    let (code, _, err) = run(&["render", a, "-o", o]);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("table `support_tickets` adds index `by_priority`"),
        "{err}"
    );
    assert!(
        err.contains("render with `--manage-indexes support_tickets`"),
        "{err}"
    );
    assert_eq!(
        fs::read_to_string(out.join("dynamodb-autoscaling.tf")).unwrap(),
        before
    );

    // the managed render: only support_tickets stops ignoring its indexes, written at their max
    let (code, _, err) = run(&["render", a, "-o", o, "--manage-indexes", "support_tickets"]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("the next apply adds index `by_priority` and writes every index of `support_tickets` at its autoscaling maximum (`by_status` 25 RCU / 100 WCU"), "{err}");
    let tf = fs::read_to_string(out.join("dynamodb-autoscaling.tf")).unwrap();
    let block = |key: &str| -> String {
        let start = tf
            .find(&format!("resource \"aws_dynamodb_table\" \"{key}\""))
            .unwrap();
        tf[start..start + tf[start..].find("\n}\n").unwrap()].to_owned()
    };
    assert!(
        block("support_tickets").contains("ignore_changes = [read_capacity, write_capacity]"),
        "{}",
        block("support_tickets")
    );
    assert!(
        block("notifications").contains("global_secondary_index]"),
        "{}",
        block("notifications")
    );
    assert!(block("support_tickets").contains("name            = \"by_status\"\n    hash_key        = \"tenant_status\"\n    range_key       = \"created_at\"\n    projection_type = \"ALL\"\n    read_capacity   = 25\n    write_capacity  = 100"), "{}", block("support_tickets"));
    let readme = fs::read_to_string(out.join("README.md")).unwrap();
    assert!(
        readme.contains("This render manages the indexes of `support_tickets` for one apply."),
        "{readme}"
    );

    // then the render without it: the indexes match, nothing stops it
    let (code, _, err) = run(&["render", a, "-o", o]);
    assert_eq!(code, 0, "{err}");
    // removing the index again is a change too
    let (code, _, err) = run(&["render", original.to_str().unwrap(), "-o", o]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("removes index `by_priority`"), "{err}");
    // a table the profile does not have
    let (code, _, err) = run(&["render", a, "-o", o, "--manage-indexes", "nope"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("no table `nope`"), "{err}");
    // a table with nothing to manage is said so
    let (code, _, err) = run(&["render", a, "-o", o, "--manage-indexes", "cost_forecasts"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains(
            "--manage-indexes cost_forecasts: table `cost_forecasts` is not autoscaled with indexes"
        ),
        "{err}"
    );
}
