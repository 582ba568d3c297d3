//! Hostile input: strings that try to break out of HCL literals read back exactly, and no
//! interpolation or directive appears that the templates did not write.

mod common;

use proptest::prelude::*;

/// Fragments that mean something to HCL, Terraform, YAML or Markdown.
fn hostile() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("\"".to_owned()),
        Just("\\".to_owned()),
        Just("${var.secret}".to_owned()),
        Just("${".to_owned()),
        Just("%{ if true }x%{ endif }".to_owned()),
        Just("%{".to_owned()),
        Just("$${".to_owned()),
        Just("%%{".to_owned()),
        Just("\n".to_owned()),
        Just("\r\n".to_owned()),
        Just("\t".to_owned()),
        Just("\u{1}\u{1b}[31m".to_owned()),
        Just("}".to_owned()),
        Just("# not a comment".to_owned()),
        Just("/* x */".to_owned()),
        Just("<<EOF".to_owned()),
        Just("é ✓ 日本".to_owned()),
        Just("\u{2028}".to_owned()),
        Just("|`*_[]".to_owned()),
        Just("\u{202E}\u{2066}".to_owned()),
        Just("\u{200B}\u{FEFF}\u{00AD}".to_owned()),
        "[a-z]{1,6}",
    ];
    prop::collection::vec(piece, 1..6).prop_map(|v| v.concat())
}

/// Tag text AWS accepts (letters of any script, digits, spaces, `_ . : / = + - @`), with what
/// still matters to HCL and Markdown among it: non-ASCII letters, the line separator, `:`, `=`.
fn tag_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("é ü".to_owned()),
        Just("日本".to_owned()),
        Just("\u{2028}".to_owned()),
        Just("a:b/c=d+e-f@g".to_owned()),
        Just("  ".to_owned()),
        Just("_.".to_owned()),
        "[a-z]{1,6}",
    ];
    prop::collection::vec(piece, 1..6).prop_map(|v| v.concat())
}

fn profile_json(
    tag_key: &str,
    tag_value: &str,
    hash: &str,
    attr: &str,
    api_name: &str,
    ns: &str,
    label: &str,
) -> String {
    let v = serde_json::json!({
        "name": "hostile",
        "environment": "production",
        "region": "us-east-1",
        "customers": 1000,
        "tags": { tag_key: tag_value, "plain": "x" },
        "tables": {
            "orders": {
                "hash_key": { "name": hash, "type": "S" },
                "range_key": { "name": format!("{hash}#range"), "type": "S" },
                "billing": "provisioned",
                "ttl": format!("{hash}#ttl"),
                "workload": { "reads_per_second": 0.035, "writes_per_second": 0.00875, "item_size_kb": 2, "peak_factor": 4 },
                "indexes": { "by_x": { "hash_key": { "name": "gsi_h", "type": "S" }, "projection": "include", "non_key_attributes": [attr], "read_share": 0.2 } }
            }
        },
        "apis": { "public": { "kind": "rest", "name": api_name, "stage": "prod" } },
        "business_metrics": [ { "namespace": ns, "metric": label, "stat": "Sum", "label": label } ]
    });
    // JSON is YAML 1.2: the profile goes through the same loader as any other.
    serde_json::to_string_pretty(&v).unwrap()
}

fn walk(e: &hcl::Expression, strings: &mut Vec<String>, problems: &mut Vec<String>) {
    use hcl::Expression as E;
    match e {
        E::String(s) => strings.push(s.clone()),
        E::Array(items) => items.iter().for_each(|i| walk(i, strings, problems)),
        E::Object(o) => {
            for (k, v) in o {
                match k {
                    hcl::ObjectKey::Expression(k) => walk(k, strings, problems),
                    // a plain identifier key (`team = …`) is the string it spells
                    hcl::ObjectKey::Identifier(id) => strings.push(id.to_string()),
                    _ => {}
                }
                walk(v, strings, problems);
            }
        }
        E::FuncCall(f) => f.args.iter().for_each(|a| walk(a, strings, problems)),
        E::Parenthesis(p) => walk(p, strings, problems),
        E::TemplateExpr(t) => match hcl::Template::from_expr(t) {
            Ok(tpl) => {
                for el in tpl.elements() {
                    match el {
                        hcl::template::Element::Literal(l) => strings.push(l.clone()),
                        hcl::template::Element::Interpolation(i) => {
                            let ok = match &i.expr {
                                E::Traversal(t) => {
                                    matches!(&t.expr, E::Variable(v) if v.as_str() == "var" || v.as_str() == "local" || v.as_str().starts_with("aws_"))
                                }
                                _ => false,
                            };
                            if !ok {
                                problems.push(format!("unexpected interpolation {:?}", i.expr));
                            }
                        }
                        hcl::template::Element::Directive(d) => {
                            problems.push(format!("directive {d:?}"))
                        }
                    }
                }
            }
            Err(err) => problems.push(format!("template does not parse: {err}")),
        },
        _ => {}
    }
}

fn walk_body(b: &hcl::Body, strings: &mut Vec<String>, problems: &mut Vec<String>) {
    for a in b.attributes() {
        walk(a.expr(), strings, problems);
    }
    for bl in b.blocks() {
        walk_body(bl.body(), strings, problems);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn hostile_strings_read_back_exactly_and_inject_nothing(
        tag_key in tag_text().prop_filter("tag keys are at most 128 characters, not aws:", |s| s.chars().count() <= 128 && !s.to_lowercase().starts_with("aws:")),
        tag_value in tag_text(),
        hash in hostile(),
        attr in hostile(),
        api_name in hostile(),
        ns in hostile().prop_filter("namespaces have no colon", |s| !s.contains(':')),
        label in hostile(),
    ) {
        prop_assume!(tag_key != "plain");
        let text = profile_json(&tag_key, &tag_value, &hash, &attr, &api_name, &ns, &label);
        let loaded = capform::profile::load_str("hostile.yaml", &text).map_err(|d| TestCaseError::fail(format!("{d:#?}")))?;
        let plan = capform::plan::resolve(&loaded.profile, "hostile.yaml", 1000, Default::default());
        let files = capform::render::render(&plan).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let mut strings = Vec::new();
        let mut problems = Vec::new();
        for (name, tf) in files.iter().filter(|(n, _)| n.ends_with(".tf")) {
            let body: hcl::Body = hcl::parse(tf).map_err(|e| TestCaseError::fail(format!("{name}: {e}")))?;
            walk_body(&body, &mut strings, &mut problems);
            // comments cannot carry a line break out of the comment
            for line in tf.lines() {
                prop_assert!(!line.trim_start().starts_with("# not a comment"), "{name}: a user string became a line");
            }
        }
        prop_assert!(problems.is_empty(), "{problems:#?}");
        // no invisible character reaches any file raw: HCL escapes them, Markdown shows them
        for (name, text) in &files {
            prop_assert!(
                !text.chars().any(|c| capform::text::invisible(c) && c != '\n'),
                "{name} holds an invisible character raw"
            );
        }
        for wanted in [&tag_key, &tag_value, &hash, &attr, &api_name, &ns, &label] {
            prop_assert!(strings.iter().any(|s| s == wanted), "{wanted:?} does not read back as a string literal");
        }
        let ttl = format!("{hash}#ttl");
        prop_assert!(strings.contains(&ttl), "the TTL attribute does not read back");
    }
}
