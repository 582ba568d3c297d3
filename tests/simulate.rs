//! `capform simulate` and `capform tune` end to end: exit codes, the JSON document, what phase3b's
//! scenarios show, that tuned ranges pass, and the engine's properties.

mod common;

use capform::capacity::pricing::Pricing;
use capform::capacity::sim::{self, Autoscaling, Capacity, Dimension, Settings};
use common::*;
use proptest::prelude::*;

fn phase3b() -> String {
    root().join("profiles/phase3b.yaml").display().to_string()
}

#[test]
fn phase3b_derived_ranges_throttle_the_ticket_spike_and_nothing_else() {
    let p = phase3b();
    let (code, out, err) = run(&["simulate", &p]);
    assert_eq!(code, 1, "{out}{err}");
    // 220 writes/s of 2 KB is 440 WCU against a derived maximum of 100: the table, and its
    // by_status index (whole items), refuse writes; the day and the other scenarios pass.
    assert!(
        err.contains("ticket_spike: support_tickets writes:") && err.contains("0 allowed"),
        "{err}"
    );
    assert!(out.contains("== notification_storm (1000 customers, 20 min from 2026-11-30T00:00:00Z): expectations met =="));
    assert!(out.contains(
        "== forecast_burst (1000 customers, 20 min from 2026-11-30T00:00:00Z): expectations met =="
    ));
    assert!(out.contains(
        "== day (1000 customers, 1440 min from 2026-11-30T00:00:00Z): no expectations =="
    ));
    assert!(
        !err.contains("notification_storm") && !err.contains("forecast_burst"),
        "{err}"
    );
}

#[test]
fn the_json_document_has_every_documented_field() {
    let p = phase3b();
    let (code, js, _) = run(&[
        "simulate",
        &p,
        "--scenario",
        "ticket_spike",
        "--format",
        "json",
    ]);
    assert_eq!(code, 1);
    let v: serde_json::Value = serde_json::from_str(&js).unwrap();
    assert_eq!(v["version"], 1);
    assert_eq!(v["customers"], 1000);
    let s = &v["scenarios"][0];
    assert_eq!(s["name"], "ticket_spike");
    assert_eq!(s["expect_met"], false);
    let results = s["results"].as_array().unwrap();
    let table = results
        .iter()
        .find(|r| r["table"] == "support_tickets" && r["index"].is_null())
        .unwrap();
    for key in [
        "demand_units",
        "served_units",
        "throttled_requests",
        "first_throttle_second",
        "throttled_seconds",
        "max_provisioned",
        "scale_outs",
        "scale_ins",
        "provisioned_unit_hours",
        "cost_usd",
        "timeline",
    ] {
        assert!(table["write"].get(key).is_some(), "{key}");
    }
    let w = &table["write"];
    // The spike starts at minute 5; 5 minutes at 17.5 WCU on 25 leave 2,250 units of burst,
    // drained at 440 − 25 = 415/s: the first throttle is 5 s after the step.
    assert_eq!(w["first_throttle_second"], 305);
    assert_eq!(w["timeline"].as_array().unwrap().len(), 30);
    assert!(w["scale_outs"].as_u64().unwrap() >= 1);
    assert!(w["max_provisioned"].as_u64().unwrap() <= 100);
    let reads = &table["read"];
    assert!(reads["first_throttle_second"].is_null());
    assert_eq!(reads["throttled_requests"], 0.0);
}

#[test]
fn tuned_ranges_pass_every_scenario() {
    let p = phase3b();
    let (code, out, err) = run(&["tune", &p]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        out.contains("tables:\n  support_tickets:\n    capacity: {"),
        "{out}"
    );
    // Simulate the profile with the ranges written in, as pasting the snippet does.
    let loaded = capform::profile::load_file(&root().join("profiles/phase3b.yaml")).unwrap();
    let pricing = Pricing::default_list();
    let module =
        capform::plan::resolve_tier(&loaded.profile, &loaded.file, 1000, &Default::default());
    let specs = capform::simulate::specs(&loaded.profile, 1000);
    let tuning = capform::simulate::tune::tune(&loaded.profile, &module, &specs, pricing);
    assert!(tuning.complete());
    let tuned = capform::simulate::tune::apply(&loaded.profile, &tuning);
    let module = capform::plan::resolve_tier(&tuned, &loaded.file, 1000, &Default::default());
    for spec in &specs {
        let run = capform::simulate::run_on(&tuned, &module, spec, pricing);
        assert!(run.passed(), "{}: {:?}", spec.name, run.failures);
        if spec.name == "day" {
            let throttled: f64 = run
                .subjects
                .iter()
                .map(|s| s.read.outcome.throttled_requests + s.write.outcome.throttled_requests)
                .sum();
            assert_eq!(throttled, 0.0, "a tuned range throttles the normal day");
        }
    }
    // The spike needs more write capacity than the derived 25–100: the minimum rises.
    let w = tuning
        .dimensions
        .iter()
        .find(|d| d.table == "support_tickets" && d.index.is_none() && d.dimension == "write")
        .unwrap();
    assert!(w.after.unwrap().0 > w.before.0, "{w:?}");
}

#[test]
fn input_errors_exit_2_and_name_the_problem() {
    let p = phase3b();
    let (code, _, err) = run(&["simulate", &p, "--scenario", "nope"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("no scenario `nope`") && err.contains("ticket_spike"),
        "{err}"
    );
    let bad = root().join("tests/corpus/profiles/cf215-scenario-traffic.yaml");
    let (code, _, err) = run(&["simulate", bad.to_str().unwrap()]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("CF215") && err.contains(":15:50"), "{err}");
}

#[test]
fn a_scenario_at_its_own_tier_and_per_customer_rates() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("p.yaml");
    std::fs::write(
        &p,
        "name: t\nenvironment: staging\nregion: us-east-1\ncustomers: 100\ntables:\n  orders:\n    hash_key: { name: tenant_id, type: S }\n    billing: provisioned\n    workload: { reads_per_second: 0.01, writes_per_second: 0.01, item_size_kb: 1 }\nscenarios:\n  big:\n    customers: 10000\n    duration_minutes: 10\n    traffic:\n      orders:\n        writes_per_second: [{ at: 0, per_customer: 0.01 }]\n    expect: { throttled_requests: 0 }\n",
    )
    .unwrap();
    let (code, js, err) = run(&[
        "simulate",
        p.to_str().unwrap(),
        "--scenario",
        "big",
        "--format",
        "json",
    ]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&js).unwrap();
    let s = &v["scenarios"][0];
    assert_eq!(s["customers"], 10000);
    // 10,000 × 0.01 = 100 writes/s of 1 KB, the average the 10,000-customer range is made for.
    let w = &s["results"][0]["write"];
    assert_eq!(w["timeline"][0]["demand"], 100.0);
    assert_eq!(w["throttled_requests"], 0.0);
}

#[test]
fn an_on_demand_maximum_throttles_what_exceeds_it() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("p.yaml");
    // 50 writes a second of 1 KB against a cap of 20 write units: 30 throttled every second
    std::fs::write(
        &p,
        "name: t\nenvironment: staging\nregion: us-east-1\ncustomers: 100\ntables:\n  orders:\n    hash_key: { name: tenant_id, type: S }\n    billing: on_demand\n    on_demand_throughput: { max_write_request_units: 20 }\n    workload: { reads_per_second: 0.01, writes_per_second: 0.01, item_size_kb: 1 }\nscenarios:\n  burst:\n    duration_minutes: 2\n    traffic:\n      orders:\n        writes_per_second: [{ at: 0, rate: 50 }]\n    expect: { throttled_requests: 0 }\n",
    )
    .unwrap();
    let (code, js, _) = run(&[
        "simulate",
        p.to_str().unwrap(),
        "--scenario",
        "burst",
        "--format",
        "json",
    ]);
    assert_eq!(code, 1, "the cap breaks the expectation");
    let v: serde_json::Value = serde_json::from_str(&js).unwrap();
    let w = &v["scenarios"][0]["results"][0]["write"];
    assert_eq!(w["throttled_requests"], 30.0 * 120.0);
    assert_eq!(w["timeline"][0]["provisioned"], 20);
    // reads are not capped: the table adapts as on demand does
    let r = &v["scenarios"][0]["results"][0]["read"];
    assert_eq!(r["throttled_requests"], 0.0);
}

fn settings() -> Settings {
    Settings {
        scaling_delay_seconds: 120,
        timeline: true,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// More capacity never throttles more: a higher fixed capacity never adds throttled
    /// requests under the same load; neither does a higher autoscaling maximum under a load
    /// that only rises. (Under a load that falls and rises again it can: more capacity reads as
    /// lower utilization, scales in sooner and may meet the next rise lower. That is target
    /// tracking, not the model; it is why `tune` simulates what it proposes.)
    #[test]
    fn more_capacity_never_throttles_more(
        loads in prop::collection::vec(0.0f64..2000.0, 1..40),
        base in 1u64..500,
        extra in 0u64..500,
    ) {
        let fixed = |units| Dimension { capacity: Capacity::Fixed(units), units_per_request: 1.0, demand: loads.clone(), partition_cap: None, changes: Vec::new() };
        let (_, less) = sim::simulate_table(&[], &[fixed(base)], settings());
        let (_, more) = sim::simulate_table(&[], &[fixed(base + extra)], settings());
        prop_assert!(more[0].throttled_requests <= less[0].throttled_requests + 1e-6,
            "fixed {}: {}; {}: {}", base, less[0].throttled_requests, base + extra, more[0].throttled_requests);

        let mut rising = loads.clone();
        rising.sort_by(f64::total_cmp);
        let scaled = |max| Dimension {
            capacity: Capacity::Autoscaled(Autoscaling { min: base, max, target_pct: 70, scale_in_cooldown: 60, scale_out_cooldown: 60 }),
            units_per_request: 1.0,
            demand: rising.clone(),
            partition_cap: None,
            changes: Vec::new(),
        };
        let (_, less) = sim::simulate_table(&[], &[scaled(base * 2)], settings());
        let (_, more) = sim::simulate_table(&[], &[scaled(base * 2 + extra)], settings());
        prop_assert!(more[0].throttled_requests <= less[0].throttled_requests + 1e-6,
            "max {}: {}; {}: {}", base * 2, less[0].throttled_requests, base * 2 + extra, more[0].throttled_requests);
    }

    /// A flat load below min × target never scales and never throttles.
    #[test]
    fn a_flat_load_below_the_target_never_scales(
        min in 1u64..5000,
        target in 20u32..=90,
        fraction in 0.0f64..1.0,
        minutes in 1usize..240,
    ) {
        let load = min as f64 * target as f64 / 100.0 * fraction;
        let d = Dimension {
            capacity: Capacity::Autoscaled(Autoscaling { min, max: min * 10, target_pct: target, scale_in_cooldown: 0, scale_out_cooldown: 0 }),
            units_per_request: 1.0,
            demand: vec![load; minutes],
            partition_cap: None,
            changes: Vec::new(),
        };
        let (r, _) = sim::simulate_table(&[d], &[], settings());
        prop_assert_eq!(r[0].scale_outs, 0);
        prop_assert_eq!(r[0].scale_ins, 0);
        prop_assert_eq!(r[0].throttled_requests, 0.0);
        prop_assert_eq!(r[0].provisioned_unit_seconds, min * 60 * minutes as u64);
    }
}

#[test]
fn a_metrics_file_replays_recorded_traffic() {
    let p = phase3b();
    let m = root().join("tests/data/metrics-ticket-spike.json");
    let (code, js, err) = run(&[
        "simulate",
        &p,
        "--metrics",
        m.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&js).unwrap();
    let s = &v["scenarios"][0];
    assert_eq!(s["name"], "metrics");
    assert_eq!(s["duration_minutes"], 30);
    let table = s["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["table"] == "support_tickets" && r["index"].is_null())
        .unwrap();
    let t = &table["write"]["timeline"];
    // Newest-first datapoints, one series labelled by the table's full name: minute 0 is
    // 1,050 units ÷ 60 s; minute 5 adds 8,000 throttle events × 2 WCU per 2 KB write.
    assert_eq!(t[0]["demand"], 17.5);
    assert_eq!(t[5]["demand"], 366.667);
    assert!(table["write"]["throttled_requests"].as_f64().unwrap() > 0.0);
    // A dimension without a series runs at the workload's average.
    assert_eq!(table["read"]["timeline"][0]["demand"], 17.5);
}

#[test]
fn a_bad_metrics_file_is_refused_with_where_and_why() {
    let p = phase3b();
    let dir = tempfile::tempdir().unwrap();
    let m = dir.path().join("m.json");
    std::fs::write(
        &m,
        r#"{"MetricDataResults": [{"Label": "support_tickets:ConsumedWriteCapacityUnits", "Timestamps": ["2026-11-30T09:00:00Z", "2026-11-30T09:01:00Z"], "Values": [1, 2]}, {"Label": "orders:ConsumedReadCapacityUnits", "Timestamps": [], "Values": []}, {"Label": "support_tickets:Latency", "Timestamps": [], "Values": []}]}"#,
    )
    .unwrap();
    let (code, _, err) = run(&["simulate", &p, "--metrics", m.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(
        err.contains("MetricDataResults[1]: the profile has no table `orders`"),
        "{err}"
    );
    assert!(
        err.contains("MetricDataResults[2]: metric `Latency` is not one of"),
        "{err}"
    );
    std::fs::write(&m, "{ not json").unwrap();
    let (code, _, err) = run(&["simulate", &p, "--metrics", m.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(
        err.contains("get-metric-data") && err.contains(":1:3"),
        "{err}"
    );
    let (code, q, _) = run(&["simulate", &p, "--metrics-query"]);
    assert_eq!(code, 0);
    let q: serde_json::Value = serde_json::from_str(&q).unwrap();
    // 4 tables and 4 global secondary indexes, 4 series each
    assert_eq!(q.as_array().unwrap().len(), 32);
    assert_eq!(q[0]["Label"], "support_tickets:ConsumedReadCapacityUnits");
}

/// An SVG rendered by resvg: its size, and how many pixels are close to each of `colors`.
fn render_counting(svg: &str, colors: [(u8, u8, u8); 3]) -> ((u32, u32), [usize; 3]) {
    let tree = resvg::usvg::Tree::from_str(svg, &resvg::usvg::Options::default()).expect("parses");
    let size = tree.size().to_int_size();
    let mut pixmap = resvg::tiny_skia::Pixmap::new(size.width(), size.height()).unwrap();
    resvg::render(
        &tree,
        resvg::tiny_skia::Transform::default(),
        &mut pixmap.as_mut(),
    );
    // To look at the charts: CAPFORM_CHART_PNG=FILE keeps the last one rendered as a PNG.
    if let Some(png) = std::env::var_os("CAPFORM_CHART_PNG") {
        pixmap.save_png(png).unwrap();
    }
    let close = |a: u8, b: u8| a.abs_diff(b) < 40;
    let mut counts = [0; 3];
    for p in pixmap.pixels() {
        let c = p.demultiply();
        for (n, rgb) in counts.iter_mut().zip(colors) {
            if c.alpha() > 0
                && close(c.red(), rgb.0)
                && close(c.green(), rgb.1)
                && close(c.blue(), rgb.2)
            {
                *n += 1;
            }
        }
    }
    ((size.width(), size.height()), counts)
}

#[test]
fn every_chart_parses_renders_and_shows_what_happened() {
    let p = phase3b();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("charts");
    let (code, _, err) = run(&["simulate", &p, "--svg", out.to_str().unwrap()]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("wrote 32 charts"), "{err}");
    let mut seen = 0;
    for scenario in [
        "day",
        "ticket_spike",
        "notification_storm",
        "forecast_burst",
    ] {
        for entry in std::fs::read_dir(out.join(scenario)).unwrap() {
            let path = entry.unwrap().path();
            let svg = std::fs::read_to_string(&path).unwrap();
            let (size, [capacity, demand, red]) = render_counting(
                &svg,
                [(0xff, 0x7f, 0x0e), (0x1f, 0x77, 0xb4), (0xd6, 0x27, 0x28)],
            );
            assert_eq!(size, (800, 632), "{}", path.display());
            // On-demand ceilings are far above the demand: named in the title, not drawn.
            let on_demand = svg.contains("(on demand)");
            assert_eq!(
                capacity > 100,
                !on_demand,
                "{}: the capacity line",
                path.display()
            );
            assert!(demand > 100, "{}: the demand line is drawn", path.display());
            let throttled = scenario == "ticket_spike"
                && path
                    .file_name()
                    .unwrap()
                    .to_str()
                    .unwrap()
                    .starts_with("support_tickets");
            assert_eq!(red > 0, throttled, "{}: throttle bars", path.display());
            seen += 1;
        }
    }
    assert_eq!(seen, 32);
    // A file that is not a chart is never replaced.
    let mine = out.join("day/support_tickets.svg");
    std::fs::write(&mine, "<svg>my own</svg>").unwrap();
    let (code, _, err) = run(&["simulate", &p, "--svg", out.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(err.contains("is not a capform chart"), "{err}");
    assert_eq!(std::fs::read_to_string(&mine).unwrap(), "<svg>my own</svg>");
}

#[test]
fn capacity_md_shows_what_simulate_shows() {
    // For every shipped profile at every standard tier, each scenario's row in CAPACITY.md
    // has the verdict and the throttled counts `capform simulate --format json` reports.
    for profile in [
        "profiles/phase3b.yaml",
        "profiles/billing-platform.yaml",
        "profiles/helpdesk-staging.yaml",
    ] {
        for customers in [100u64, 1000, 10_000] {
            let path = root().join(profile);
            let md = &render_files(&path, Some(customers))["CAPACITY.md"];
            let c = customers.to_string();
            let (_, js, _) = run(&[
                "simulate",
                path.to_str().unwrap(),
                "--customers",
                &c,
                "--format",
                "json",
            ]);
            let v: serde_json::Value = serde_json::from_str(&js).unwrap();
            for s in v["scenarios"].as_array().unwrap() {
                let name = s["name"].as_str().unwrap().replace('_', "\\_");
                let row = md
                    .lines()
                    .find(|l| l.starts_with(&format!("| `{}` |", s["name"].as_str().unwrap())))
                    .unwrap_or_else(|| panic!("{profile} {customers}: no row for {name}\n{md}"));
                let verdict = match (
                    s["expect"]["throttled_requests"].is_null(),
                    s["expect_met"].as_bool().unwrap(),
                ) {
                    (true, _) => "| – |",
                    (false, true) => "| met |",
                    (false, false) => "| not met |",
                };
                assert!(row.contains(verdict), "{profile} {customers}: {row}");
                for r in s["results"].as_array().unwrap() {
                    for dim in ["read", "write"] {
                        let t = r[dim]["throttled_requests"].as_f64().unwrap();
                        if t > 0.0 {
                            let count = capform::simulate::output::requests(t);
                            assert!(
                                row.contains(&count),
                                "{profile} {customers}: {count} in {row}"
                            );
                        }
                    }
                }
            }
        }
    }
}

#[test]
fn tune_says_what_would_work_when_no_range_does() {
    // 60,000 writes/s of 1 KB for 20 minutes: above the 40,000-unit table quota whatever the
    // range, and above what on demand serves at once.
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("p.yaml");
    std::fs::write(
        &p,
        "name: t\nenvironment: staging\nregion: us-east-1\ncustomers: 100\ntables:\n  events:\n    hash_key: { name: id, type: S }\n    billing: provisioned\n    workload: { reads_per_second: 0.01, writes_per_second: 0.01, item_size_kb: 1 }\nscenarios:\n  flood:\n    duration_minutes: 20\n    traffic:\n      events:\n        writes_per_second: [{ at: 0, rate: 1 }, { at: 2, rate: 60000 }]\n    expect: { throttled_requests: 0 }\n",
    )
    .unwrap();
    let (code, out, err) = run(&["tune", p.to_str().unwrap()]);
    assert_eq!(code, 1, "{out}{err}");
    assert!(
        out.contains("events write: ") && out.contains("none within the quota"),
        "{out}"
    );
    assert!(
        err.contains("no autoscaling range within the 40000-unit table quota"),
        "{err}"
    );
    assert!(err.contains("on-demand billing does not either"), "{err}");
    // The reads still get their range, and the snippet holds only complete tables.
    assert!(out.contains("events read: "), "{out}");
}

/// The built-in day on a table with business hours in Berlin: the floors the schedule sets
/// hold from 08:00 Berlin (07:00 UTC in winter) plus the scaling delay, and the evening
/// action lets capacity fall again; the plan prices the week the schedule repeats over.
#[test]
fn scheduled_floors_hold_through_berlin_business_hours_in_the_simulated_day() {
    let loaded =
        capform::profile::load_file(&root().join("tests/profiles/scheduled.yaml")).unwrap();
    let specs = capform::simulate::specs(&loaded.profile, loaded.profile.customers);
    let day = specs.iter().find(|s| s.name == "day").unwrap();
    let run = capform::simulate::run(&loaded, day, Pricing::default_list(), &Default::default());
    let orders = run
        .subjects
        .iter()
        .find(|s| s.table == "orders" && s.index.is_none())
        .unwrap();
    let read = &orders.read.outcome.timeline;
    let write = &orders.write.outcome.timeline;
    // Monday: the weekend's state is the evenings floor (read min 10, write min 5; the
    // read max of 1,000 the one-time `at` set on 27 November holds)
    assert!(read[400].provisioned < 50, "{}", read[400].provisioned);
    // business_hours lands at minute 420; in effect 120 s later
    assert!(read[421].provisioned < 50);
    for m in 422..1140 {
        assert!(
            read[m].provisioned >= 50,
            "read at minute {m}: {}",
            read[m].provisioned
        );
        assert!(
            write[m].provisioned >= 20,
            "write at minute {m}: {}",
            write[m].provisioned
        );
        assert!(read[m].provisioned <= 1000);
        assert!(write[m].provisioned <= 100);
    }
    // after 20:00 Berlin the floor is 10 again and target tracking scales in
    assert!(read[1439].provisioned < 50, "{}", read[1439].provisioned);

    // the plan's mean read capacity over the week sits between the evening floor and the
    // business-hours floor: 5 of 7 days spend 12 hours at ≥ 50
    let plan = capform::plan::resolve_tier(
        &loaded.profile,
        &loaded.file,
        loaded.profile.customers,
        &Default::default(),
    );
    let tp = &plan.tables[0];
    let t = &loaded.profile.tables["orders"];
    let (caps, scaling) = capform::plan::load::planned(tp);
    let means = capform::plan::load::day_means(
        t,
        loaded.profile.customers,
        &caps,
        scaling,
        capform::plan::load::settings(&loaded.profile),
        capform::plan::load::start(&loaded.profile),
    );
    let read_mean = means[0].as_ref().unwrap().0.to_f64().unwrap();
    let business_share = 5.0 * 12.0 / (7.0 * 24.0);
    assert!(
        read_mean >= 50.0 * business_share && read_mean < 50.0,
        "weekly mean {read_mean}"
    );
}
