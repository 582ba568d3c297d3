//! Rendering shipped profiles: snapshots of every generated file, the reference capacity figures,
//! determinism.

mod common;

use capform::plan::{self, ModulePlan};
use common::*;

fn plan_of(path: &str, customers: u64) -> ModulePlan {
    let loaded = capform::profile::load_file(&root().join(path)).unwrap();
    capform::tier::module(&loaded, customers, Default::default()).0
}

fn snapshot_module(label: &str, files: &capform::render::Files) {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(root().join("snapshots"));
    settings.set_prepend_module_to_snapshot(false);
    settings.bind(|| {
        for (name, text) in files {
            insta::assert_snapshot!(format!("{label}__{name}"), text);
        }
    });
}

#[test]
fn every_shipped_profile_matches_its_snapshots() {
    let profiles = shipped_profiles();
    assert!(
        profiles.len() >= 3,
        "expected at least three shipped profiles"
    );
    for p in profiles {
        let label = p.file_stem().unwrap().to_string_lossy().into_owned();
        snapshot_module(&label, &render_files(&p, None));
    }
}

#[test]
fn phase3b_matches_its_snapshots_at_each_tier() {
    for tier in [100, 1_000, 10_000] {
        let files = render_files(&root().join("profiles/phase3b.yaml"), Some(tier));
        snapshot_module(&format!("phase3b-{tier}"), &files);
    }
}

#[test]
fn phase3b_at_1000_customers_has_the_reference_ranges() {
    let plan = plan_of("profiles/phase3b.yaml", 1000);
    let table = |k: &str| plan.tables.iter().find(|t| t.key == k).unwrap();
    let st = table("support_tickets").capacity.as_ref().unwrap();
    assert_eq!((st.read.min, st.read.max), (25, 100));
    assert_eq!((st.write.min, st.write.max), (25, 100));
    let n = table("notifications").capacity.as_ref().unwrap();
    assert_eq!((n.read.min, n.read.max), (50, 200));
    assert_eq!((n.write.min, n.write.max), (50, 200));
    for c in [st, n] {
        assert_eq!((c.read.tracking.target, c.write.tracking.target), (70, 70));
        assert_eq!(c.read.tracking.scale_out_cooldown, 60);
    }
    assert_eq!(table("cost_forecasts").billing_mode, "PAY_PER_REQUEST");
    assert_eq!(table("webhooks").billing_mode, "PAY_PER_REQUEST");
    assert!(table("cost_forecasts").capacity.is_none());
    // TTL on notifications and webhooks, PITR everywhere in production
    assert_eq!(table("notifications").ttl.as_deref(), Some("expires_at"));
    assert_eq!(table("webhooks").ttl.as_deref(), Some("expires_at"));
    assert!(plan.tables.iter().all(|t| t.pitr));
}

#[test]
fn phase3b_gsi_ranges_follow_the_formulas() {
    let plan = plan_of("profiles/phase3b.yaml", 1000);
    let st = plan
        .tables
        .iter()
        .find(|t| t.key == "support_tickets")
        .unwrap();
    let by_status = st
        .indexes
        .iter()
        .find(|i| i.name == "by_status")
        .unwrap()
        .capacity
        .as_ref()
        .unwrap();
    // reads: 1000 × 0.035 × 0.25 = 8.75 reads/s × 0.5 RCU (2 KB, eventual) = 4.375 avg, 17.5 peak
    // at 70 %: ceil(4.375 / 0.7) = ceil(6.25) = 7, ceil(17.5 / 0.7) = 25
    assert_eq!((by_status.read.min, by_status.read.max), (7, 25));
    // writes: every table write propagates: 8.75 writes/s × 2 WCU (2 KB) = 17.5 → 25–100
    assert_eq!((by_status.write.min, by_status.write.max), (25, 100));
    let by_assignee = st
        .indexes
        .iter()
        .find(|i| i.name == "by_assignee")
        .unwrap()
        .capacity
        .as_ref()
        .unwrap();
    // reads: 1000 × 0.035 × 0.1 = 3.5 × 0.5 (0.5 KB projected) = 1.75 → ceil(2.5) = 3, peak 7 → 10
    assert_eq!((by_assignee.read.min, by_assignee.read.max), (3, 10));
    // writes: 8.75 × 1 WCU (0.5 KB) = 8.75 → 12.5 → 13; peak 35 → 50
    assert_eq!((by_assignee.write.min, by_assignee.write.max), (13, 50));
}

#[test]
fn every_provisioned_table_and_index_has_read_and_write_scaling() {
    for p in shipped_profiles() {
        let loaded = capform::profile::load_file(&p).unwrap();
        let plan = plan::resolve(
            &loaded.profile,
            &loaded.file,
            loaded.profile.customers,
            Default::default(),
        );
        for t in plan.tables.iter().filter(|t| t.autoscaled) {
            let want = 2 * (1 + t.indexes.len());
            assert_eq!(t.scaling.len(), want, "{}: {}", p.display(), t.key);
            assert!(
                t.ignore_changes.contains(&"read_capacity")
                    && t.ignore_changes.contains(&"write_capacity")
            );
        }
    }
}

#[test]
fn rendering_is_deterministic() {
    for p in shipped_profiles() {
        let a = render_files(&p, None);
        let b = render_files(&p, None);
        assert_eq!(a, b, "{}", p.display());
    }
}

#[test]
fn capacity_numbers_are_literals_in_the_hcl() {
    let files = render_files(&root().join("profiles/phase3b.yaml"), Some(1000));
    let tf = &files["dynamodb-autoscaling.tf"];
    assert!(tf.contains("  min_capacity       = 25\n  max_capacity       = 100\n"));
    assert!(tf.contains("  min_capacity       = 50\n  max_capacity       = 200\n"));
}

#[test]
fn the_shipped_schema_is_the_generated_one() {
    let shipped = std::fs::read_to_string(root().join("profiles/profile.schema.json")).unwrap();
    assert_eq!(
        shipped,
        capform::profile::schema::schema_text(),
        "run `capform schema > profiles/profile.schema.json`"
    );
    let (code, out, _) = run(&["schema"]);
    assert_eq!(code, 0);
    assert_eq!(out, shipped);
}

#[test]
fn manage_indexes_drops_the_gsi_ignore_of_the_named_table_only() {
    let loaded = capform::profile::load_file(&root().join("profiles/phase3b.yaml")).unwrap();
    let plan = plan::resolve(
        &loaded.profile,
        &loaded.file,
        1000,
        plan::Options {
            manage_indexes: vec!["support_tickets".into()],
            pricing: None,
        },
    );
    let table = |k: &str| plan.tables.iter().find(|t| t.key == k).unwrap();
    let st = table("support_tickets");
    assert_eq!(st.ignore_changes, vec!["read_capacity", "write_capacity"]);
    assert!(st.indexes_managed);
    // every index of the managed table is written at its maximum; the table itself at its min
    for ix in &st.indexes {
        let c = ix.capacity.as_ref().unwrap();
        assert_eq!(
            (c.read.initial, c.write.initial),
            (c.read.max, c.write.max),
            "{}",
            ix.name
        );
    }
    let c = st.capacity.as_ref().unwrap();
    assert_eq!((c.read.initial, c.write.initial), (c.read.min, c.write.min));
    // no other table changes
    let before = plan::resolve(&loaded.profile, &loaded.file, 1000, Default::default());
    for (a, b) in plan
        .tables
        .iter()
        .zip(&before.tables)
        .filter(|(a, _)| a.key != "support_tickets")
    {
        assert_eq!(a.ignore_changes, b.ignore_changes, "{}", a.key);
        assert!(!a.indexes_managed);
    }
}

#[test]
fn the_readme_profile_reference_is_generated_from_the_schema() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let start = readme
        .find(capform::profile::reference::START)
        .expect("start marker")
        + capform::profile::reference::START.len()
        + 1;
    let end = readme
        .find(capform::profile::reference::END)
        .expect("end marker");
    assert_eq!(
        &readme[start..end],
        capform::profile::reference::markdown(),
        "regenerate with `capform schema --markdown`"
    );
}

#[test]
fn rendering_an_owned_plan_gives_the_same_files() {
    for p in shipped_profiles() {
        let path = p.strip_prefix(root()).unwrap().to_str().unwrap().to_owned();
        for customers in [100, 10_000] {
            let plan = plan_of(&path, customers);
            let borrowed = capform::render::render(&plan).unwrap();
            assert_eq!(
                capform::render::render_owned(plan).unwrap(),
                borrowed,
                "{path} at {customers}"
            );
        }
    }
    // enough alarms for several waves of items (over 512)
    let mut text = String::from(
        "name: waves\nenvironment: production\nregion: us-east-1\ncustomers: 1000\ntables:\n",
    );
    for i in 0..100 {
        text.push_str(&format!(
            "  t{i}:\n    hash_key: {{ name: id, type: S }}\n    billing: provisioned\n    workload: {{ reads_per_second: 0.01, writes_per_second: 0.01, item_size_kb: 1 }}\n    indexes:\n      by_a: {{ hash_key: {{ name: a, type: S }}, read_share: 0.5 }}\n"
        ));
    }
    let loaded = capform::profile::load_str("waves.yaml", &text).unwrap();
    let plan = plan::resolve(&loaded.profile, "waves.yaml", 1000, Default::default());
    assert!(
        plan.monitoring.alarms.len() > 512,
        "{} alarms",
        plan.monitoring.alarms.len()
    );
    let borrowed = capform::render::render(&plan).unwrap();
    assert_eq!(capform::render::render_owned(plan).unwrap(), borrowed);
}

#[test]
fn scheduled_ranges_render_one_action_per_entry_and_dimension() {
    let files = render_files(&root().join("tests/profiles/scheduled.yaml"), None);
    let hcl = &files["dynamodb-autoscaling.tf"];
    insta::with_settings!({ snapshot_path => root().join("snapshots"), prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!("scheduled__dynamodb-autoscaling.tf", hcl);
    });
    let actions: Vec<&str> = hcl
        .lines()
        .filter_map(|l| l.strip_prefix("resource \"aws_appautoscaling_scheduled_action\" \""))
        .map(|l| l.trim_end_matches("\" {"))
        .collect();
    // business_hours and evenings on both table dimensions, black-friday on reads only, the
    // index's refresh on its reads only
    assert_eq!(
        actions,
        [
            "orders_read-business_hours",
            "orders_read-evenings",
            "orders_read-black-friday",
            "orders_write-business_hours",
            "orders_write-evenings",
            "orders__by_status_read-refresh",
        ]
    );
    assert!(hcl.contains("schedule           = \"at(2026-11-27T06:00:00)\""));
    assert!(hcl.contains("timezone           = \"America/New_York\""));
    assert!(hcl.contains("schedule           = \"rate(6 hours)\""));
    // each action waits for the one before it on the same target
    assert!(
        hcl.contains("depends_on = [aws_appautoscaling_scheduled_action.orders_read-evenings]")
    );
    // targets with schedules ignore the bounds the actions move; the others do not
    let ignored = hcl
        .matches("ignore_changes = [min_capacity, max_capacity]")
        .count();
    assert_eq!(ignored, 3, "orders read, orders write, by_status read");
}

#[test]
fn the_readme_and_capacity_md_list_the_same_schedule() {
    let files = render_files(&root().join("tests/profiles/scheduled.yaml"), None);
    let rows = |file: &str| -> Vec<String> {
        files[file]
            .lines()
            .filter(|l| l.starts_with("| `scheduled-orders"))
            .filter(|l| l.contains("cron(") || l.contains("at(") || l.contains("rate("))
            .map(str::to_owned)
            .collect()
    };
    let readme = rows("README.md");
    assert_eq!(readme.len(), 6, "{readme:#?}");
    assert_eq!(readme, rows("CAPACITY.md"));
    assert!(readme.contains(
        &"| `scheduled-orders` | read | `evenings` | `cron(0 20 ? * MON-FRI *)` | Europe/Berlin | 10 | unchanged |".to_owned()
    ));
}

#[test]
fn point_in_time_recovery_keeps_the_days_the_profile_asks_for() {
    // the defaults turn recovery on for 14 days; `audit` keeps 3, `scratch` has none
    let text = format!(
        "{MINIMAL}defaults:\n  point_in_time_recovery: true\n  point_in_time_recovery_days: 14\n"
    )
    .replace(
        "tables:\n",
        "tables:\n  audit:\n    hash_key: { name: tenant_id, type: S }\n    billing: on_demand\n    point_in_time_recovery_days: 3\n  scratch:\n    hash_key: { name: tenant_id, type: S }\n    billing: on_demand\n    point_in_time_recovery: false\n",
    );
    let (_d, path) = profile_file("p.yaml", text.as_bytes());
    let files = render_files(&path, None);
    let hcl = &files["dynamodb-autoscaling.tf"];
    let block = |table: &str| {
        let at = hcl
            .find(&format!("resource \"aws_dynamodb_table\" \"{table}\""))
            .unwrap();
        let pitr = at + hcl[at..].find("point_in_time_recovery {").unwrap();
        hcl[pitr..pitr + hcl[pitr..].find('}').unwrap()].to_owned()
    };
    assert!(
        block("orders").contains("recovery_period_in_days = 14\n"),
        "{}",
        block("orders")
    );
    assert!(
        block("audit").contains("recovery_period_in_days = 3\n"),
        "{}",
        block("audit")
    );
    assert!(
        block("scratch").contains("enabled = false"),
        "{}",
        block("scratch")
    );
    assert!(!block("scratch").contains("recovery_period_in_days"));
    // the README's table list says the same
    let readme = &files["README.md"];
    assert!(readme.contains("| on, 3 days |") && readme.contains("| on, 14 days |"));
    assert!(readme.contains("| off |"));
}

#[test]
fn reads_and_writes_and_each_index_track_their_own_targets() {
    // reads at 50 % with a 300 s scale-in cooldown, writes at 80 %; the index inherits the
    // table's settings and scales its reads out after 30 s
    let text = MINIMAL.replace(
        "    billing: provisioned\n",
        "    billing: provisioned\n    target_tracking:\n      read: { target_utilization: 50, scale_in_cooldown: 300 }\n      write: { target_utilization: 80 }\n",
    ) + "    indexes:\n      by_status:\n        hash_key: { name: status, type: S }\n        read_share: 0.5\n        target_tracking:\n          read: { scale_out_cooldown: 30 }\n";
    let (_d, path) = profile_file("p.yaml", text.as_bytes());
    let loaded = capform::profile::load_file(&path).unwrap();
    let plan = capform::tier::module(&loaded, 1000, Default::default()).0;
    let t = &plan.tables[0];
    let policy = |label: &str| t.scaling.iter().find(|s| s.label == label).unwrap();
    let settings = |label: &str| {
        let s = policy(label);
        (s.target, s.scale_in_cooldown, s.scale_out_cooldown)
    };
    assert_eq!(settings("orders_read"), (50, 300, 60));
    assert_eq!(settings("orders_write"), (80, 60, 60));
    assert_eq!(settings("orders__by_status_read"), (50, 300, 30));
    assert_eq!(settings("orders__by_status_write"), (80, 60, 60));
    // each range is derived for its own target: reads at 50 % need a higher maximum than the
    // same demand at the profile's 70 %
    let same = capform::tier::module(
        &capform::profile::load_file(&profile_file("q.yaml", MINIMAL.as_bytes()).1).unwrap(),
        1000,
        Default::default(),
    )
    .0;
    let (ours, theirs) = (
        t.capacity.as_ref().unwrap(),
        same.tables[0].capacity.as_ref().unwrap(),
    );
    assert!(ours.read.max > theirs.read.max, "{ours:?} {theirs:?}");
    assert!(ours.write.max < theirs.write.max);
    // the HCL, the README and the dashboard say the same
    let files = capform::render::render(&plan).unwrap();
    let hcl = &files["dynamodb-autoscaling.tf"];
    assert!(
        hcl.contains("target_value       = 50") && hcl.contains("target_value       = 80"),
        "{hcl}"
    );
    assert!(files["README.md"].contains("50 % read / 80 % write"));
    let cw = &files["cloudwatch-monitoring.tf"];
    assert!(
        cw.contains("label = \"read target\"") && cw.contains("value = 50"),
        "{cw}"
    );
}
