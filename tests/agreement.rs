//! One source of truth: `capform plan`, CAPACITY.md and `validate --customers N` list the same
//! findings (rule IDs, as a multiset) for every shipped profile and every corpus case that
//! loads, at every standard tier.

mod common;

use common::{root, run, shipped_profiles};

fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v
}

fn from_plan(path: &str, n: u64) -> Vec<String> {
    let (_, json, err) = run(&[
        "plan",
        path,
        "--customers",
        &n.to_string(),
        "--format",
        "json",
    ]);
    let v: serde_json::Value =
        serde_json::from_str(&json).unwrap_or_else(|e| panic!("{path}: {e}: {err}"));
    sorted(
        v["tiers"][0]["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|f| f["rule"].as_str().map(str::to_owned))
            .collect(),
    )
}

fn from_validate(path: &str, n: u64) -> Vec<String> {
    let (_, json, _) = run(&[
        "validate",
        path,
        "--customers",
        &n.to_string(),
        "--format",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    sorted(
        v["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["rule"].as_str().unwrap().to_owned())
            .collect(),
    )
}

/// The rule IDs of CAPACITY.md's findings section, as `render` writes it (`None` when the
/// profile does not render at all).
fn from_capacity_md(loaded: &capform::profile::Loaded, n: u64) -> Option<Vec<String>> {
    let (plan, _) = capform::tier::module(loaded, n, Default::default());
    let files = capform::render::render(&plan).ok()?;
    let text = &files["CAPACITY.md"];
    let section = &text[text.find("## Findings at").unwrap()..];
    Some(sorted(
        section
            .match_indices("(CF")
            .map(|(i, _)| section[i + 1..i + 6].to_owned())
            .collect(),
    ))
}

#[test]
fn plan_capacity_md_and_validate_list_the_same_findings() {
    let mut paths = shipped_profiles();
    let corpus = root().join("tests/corpus/profiles");
    let mut cases: Vec<_> = std::fs::read_dir(&corpus)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    cases.sort();
    paths.extend(cases);
    paths.extend([
        root().join("tests/profiles/keywords.yaml"),
        root().join("tests/profiles/no-workload.yaml"),
    ]);
    let mut compared = 0;
    let mut with_findings = 0;
    for p in &paths {
        let Ok(loaded) = capform::profile::load_file(p) else {
            continue;
        };
        let path = p.to_str().unwrap();
        for n in [100, 1_000, 5_000, 10_000] {
            let plan = from_plan(path, n);
            let validate = from_validate(path, n);
            assert_eq!(plan, validate, "{path} at {n} customers: plan vs validate");
            if let Some(md) = from_capacity_md(&loaded, n) {
                assert_eq!(
                    md, validate,
                    "{path} at {n} customers: CAPACITY.md vs validate"
                );
            }
            compared += 1;
            with_findings += usize::from(!validate.is_empty());
        }
    }
    assert!(compared >= 70, "only {compared} profile tiers compared");
    eprintln!("{compared} profile tiers compared, {with_findings} with findings");
    assert!(
        with_findings >= 40,
        "only {with_findings} tiers had findings"
    );
}
