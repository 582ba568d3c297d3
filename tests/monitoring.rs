//! Dashboards and alarms: CloudWatch's dashboard-body rules, alarm parameters, dimensions.

mod common;

use capform::plan::monitoring::{Alarm, MAX_METRICS, MAX_WIDGETS, check_dashboard};
use capform::plan::value::HclValue;
use capform::plan::{self, ModulePlan};
use common::*;

fn plan_text(text: &str) -> ModulePlan {
    let loaded = capform::profile::load_str("p.yaml", text).unwrap_or_else(|d| panic!("{d:#?}"));
    plan::resolve(
        &loaded.profile,
        &loaded.file,
        loaded.profile.customers,
        Default::default(),
    )
}

fn plan_file(path: &std::path::Path) -> ModulePlan {
    let loaded = capform::profile::load_file(path).unwrap();
    plan::resolve(
        &loaded.profile,
        &loaded.file,
        loaded.profile.customers,
        Default::default(),
    )
}

fn dims(a: &Alarm) -> Vec<&str> {
    a.metric
        .as_ref()
        .map(|m| m.dimensions.iter().map(|(k, _)| *k).collect())
        .unwrap_or_default()
}

#[test]
fn every_shipped_dashboard_follows_the_body_rules() {
    for p in shipped_profiles() {
        let plan = plan_file(&p);
        assert!(!plan.monitoring.dashboards.is_empty(), "{}", p.display());
        for d in &plan.monitoring.dashboards {
            let problems = check_dashboard(&d.body);
            assert!(problems.is_empty(), "{}: {problems:#?}", p.display());
        }
    }
}

#[test]
fn the_checker_catches_broken_bodies() {
    let widget = |x: i64, y: i64, w: i64, metrics: HclValue| {
        HclValue::obj([
            ("type", HclValue::string("metric")),
            ("x", HclValue::number(x)),
            ("y", HclValue::number(y)),
            ("width", HclValue::number(w)),
            ("height", HclValue::number(6)),
            (
                "properties",
                HclValue::obj([
                    ("region", HclValue::string("us-east-1")),
                    ("metrics", metrics),
                ]),
            ),
        ])
    };
    let good_row = HclValue::List(vec![
        HclValue::string("AWS/Lambda"),
        HclValue::string("Errors"),
        HclValue::string("FunctionName"),
        HclValue::string("f"),
    ]);
    let body = |ws: Vec<HclValue>| HclValue::obj([("widgets", HclValue::List(ws))]);
    assert!(
        check_dashboard(&body(vec![widget(
            0,
            0,
            12,
            HclValue::List(vec![good_row.clone()])
        )]))
        .is_empty()
    );
    // overlap
    let p = check_dashboard(&body(vec![
        widget(0, 0, 12, HclValue::List(vec![good_row.clone()])),
        widget(6, 3, 12, HclValue::List(vec![good_row.clone()])),
    ]));
    assert!(p.iter().any(|m| m.contains("overlaps")), "{p:?}");
    // outside the grid
    let p = check_dashboard(&body(vec![widget(
        18,
        0,
        12,
        HclValue::List(vec![good_row.clone()]),
    )]));
    assert!(p.iter().any(|m| m.contains("24-column")), "{p:?}");
    // expression refers to an undefined id
    let expr = HclValue::List(vec![HclValue::obj([
        ("expression", HclValue::string("m1 / PERIOD(m1)")),
        ("id", HclValue::string("e1")),
    ])]);
    let p = check_dashboard(&body(vec![widget(
        0,
        0,
        12,
        HclValue::List(vec![good_row.clone(), expr]),
    )]));
    assert!(p.iter().any(|m| m.contains("`m1`")), "{p:?}");
    // malformed metric row (dangling dimension name)
    let bad = HclValue::List(vec![
        HclValue::string("AWS/Lambda"),
        HclValue::string("Errors"),
        HclValue::string("FunctionName"),
    ]);
    let p = check_dashboard(&body(vec![widget(0, 0, 12, HclValue::List(vec![bad]))]));
    assert!(p.iter().any(|m| m.contains("dimension")), "{p:?}");
}

#[test]
fn phase3b_dashboard_sections_come_in_order() {
    let plan = plan_file(&root().join("profiles/phase3b.yaml"));
    let body = &plan.monitoring.dashboards[0].body;
    let Some(HclValue::List(widgets)) = body.get("widgets") else {
        panic!()
    };
    let titles: Vec<String> = widgets
        .iter()
        .map(|w| {
            let props = w.get("properties").unwrap();
            // a text widget's markdown is a template: its literal text
            let markdown = match props.get("markdown") {
                Some(HclValue::Template(segs)) => segs
                    .iter()
                    .filter_map(|s| match s {
                        capform::plan::value::Seg::Text(t) => Some(t.as_str()),
                        _ => None,
                    })
                    .collect::<String>(),
                _ => String::new(),
            };
            props
                .get("title")
                .and_then(HclValue::as_str)
                .map(str::to_owned)
                .unwrap_or(markdown)
        })
        .collect();
    let pos = |needle: &str| {
        titles
            .iter()
            .position(|t| t.contains(needle))
            .unwrap_or_else(|| panic!("{needle} in {titles:#?}"))
    };
    assert_eq!(pos("capacity and health"), 0);
    assert!(pos("Alarm status") < pos("Lambda duration (ms): cost_forecasting"));
    assert!(pos("Lambda duration (ms): webhook_dispatcher") < pos("Lambda errors and throttles"));
    assert!(pos("Lambda errors and throttles") < pos("### Table support_tickets"));
    assert!(pos("### Table support_tickets") < pos("Capacity: support_tickets"));
    assert!(pos("Utilization %: support_tickets / by_status") < pos("### Table notifications"));
    assert!(pos("Utilization %: notifications / by_recipient") < pos("API latency"));
    assert!(pos("API latency") < pos("API cache hit rate"));
    assert!(pos("API cache hit rate") < pos("Business metrics"));
    // header names the profile and tier, and links the module's alarms
    assert!(titles[0].contains("phase3b") && titles[0].contains("1000 customers"));
    assert!(titles[0].contains("https://us-east-1.console.aws.amazon.com/cloudwatch/home?region=us-east-1#alarmsV2:?search="));
}

#[test]
fn alarm_parameters_are_legal_and_unique() {
    for p in shipped_profiles() {
        let plan = plan_file(&p);
        let mut labels = std::collections::HashSet::new();
        let mut names = std::collections::HashSet::new();
        for a in &plan.monitoring.alarms {
            assert!(
                labels.insert(a.label.clone()),
                "duplicate label {}",
                a.label
            );
            assert!(
                names.insert(format!("{:?}", a.name)),
                "duplicate name {:?}",
                a.name
            );
            let periods: Vec<u32> = a
                .metric
                .iter()
                .map(|m| m.period)
                .chain(
                    a.queries
                        .iter()
                        .filter_map(|q| q.metric.as_ref().map(|m| m.period)),
                )
                .collect();
            assert!(!periods.is_empty());
            for period in periods {
                assert!(
                    period == 10 || period == 30 || period % 60 == 0,
                    "{}: period {period}",
                    a.label
                );
            }
            assert!(a.window_seconds() <= 86_400, "{}", a.label);
            assert!(a.datapoints_to_alarm >= 1 && a.datapoints_to_alarm <= a.evaluation_periods);
            if let Some(m) = &a.metric {
                assert!(
                    m.statistic.is_some() != m.extended_statistic.is_some(),
                    "{}: exactly one of statistic / extended_statistic",
                    a.label
                );
                if m.extended_statistic.is_some() {
                    assert!(
                        matches!(m.metric_name, "Latency" | "SuccessfulRequestLatency"),
                        "percentiles only on latency: {}",
                        m.metric_name
                    );
                }
            }
            if !a.queries.is_empty() {
                assert_eq!(
                    a.queries.iter().filter(|q| q.return_data).count(),
                    1,
                    "{}",
                    a.label
                );
                assert!(
                    a.queries.iter().filter(|q| q.metric.is_some()).count() <= 10,
                    "{}: at most 10 metrics in a math alarm",
                    a.label
                );
            }
            if a.kind.contains("errors") || a.kind.contains("throttles") {
                assert_eq!(a.treat_missing_data, "notBreaching", "{}", a.label);
            }
            let capform::plan::value::HclValue::Template(segs) = &a.description else {
                panic!()
            };
            assert!(
                segs.len() >= 2,
                "{}: description names its subject",
                a.label
            );
        }
    }
}

#[test]
fn alarm_dimensions_match_the_metrics() {
    let plan = plan_file(&root().join("profiles/billing-platform.yaml"));
    let find = |label: &str| {
        plan.monitoring
            .alarms
            .iter()
            .find(|a| a.label == label)
            .unwrap_or_else(|| panic!("{label}"))
    };
    assert_eq!(
        dims(find("invoices__by_status_due_read_throttles")),
        ["TableName", "GlobalSecondaryIndexName"]
    );
    assert_eq!(dims(find("invoices_read_throttles")), ["TableName"]);
    assert_eq!(
        dims(find("api_partner_api_latency_p95")),
        ["ApiName", "Stage"]
    );
    assert_eq!(
        dims(find("api_billing_api_latency_p95")),
        ["ApiId", "Stage"]
    );
    assert_eq!(
        dims(find("lambda_ledger_projector_errors")),
        ["FunctionName"]
    );
    let p95 = find("api_billing_api_latency_p95");
    assert_eq!(p95.metric.as_ref().unwrap().extended_statistic, Some("p95"));
    assert_eq!(p95.threshold, "300", "per-API override");
    assert_eq!(
        find("lambda_invoice_renderer_duration").threshold,
        "4000",
        "per-function override"
    );
    assert_eq!(
        find("lambda_ledger_projector_duration").threshold,
        "1000",
        "default"
    );
    assert_eq!(
        find("api_partner_api_5xx_rate").threshold,
        "0.5",
        "profile threshold"
    );
    assert_eq!(find("invoices_read_throttles").threshold, "1");
    // HTTP APIs report 5xx, REST APIs 5XXError
    let names = |a: &Alarm| {
        a.queries
            .iter()
            .filter_map(|q| q.metric.as_ref().map(|m| m.metric_name))
            .collect::<Vec<_>>()
    };
    assert_eq!(names(find("api_billing_api_5xx_rate")), ["5xx", "Count"]);
    assert_eq!(
        names(find("api_partner_api_5xx_rate")),
        ["5XXError", "Count"]
    );
}

#[test]
fn ceiling_alarms_sit_at_90_percent_of_the_max_for_15_minutes() {
    let plan = plan_file(&root().join("profiles/phase3b.yaml"));
    let a = plan
        .monitoring
        .alarms
        .iter()
        .find(|a| a.label == "support_tickets_read_ceiling")
        .unwrap();
    assert_eq!(a.threshold, "90"); // 90 % of 100
    assert_eq!(a.window_seconds(), 900);
    let a = plan
        .monitoring
        .alarms
        .iter()
        .find(|a| a.label == "support_tickets__by_status_read_ceiling")
        .unwrap();
    assert_eq!(a.threshold, "22.5"); // 90 % of 25
    // on-demand tables: throttles and errors, no capacity alarms
    let webhooks: Vec<_> = plan
        .monitoring
        .alarms
        .iter()
        .filter(|a| a.subject.starts_with("webhooks"))
        .map(|a| a.kind)
        .collect();
    assert!(
        webhooks.contains(&"dynamodb-read-throttles")
            && webhooks.contains(&"dynamodb-system-errors")
    );
    assert!(!webhooks.iter().any(|k| k.contains("ceiling")));
}

#[test]
fn monitoring_is_on_by_default() {
    let plan = plan_text(MINIMAL);
    let labels: Vec<_> = plan
        .monitoring
        .dashboards
        .iter()
        .map(|d| d.label.as_str())
        .collect();
    assert_eq!(labels, ["capacity", "capacity_summary"]);
    let kinds: Vec<_> = plan.monitoring.alarms.iter().map(|a| a.kind).collect();
    assert!(
        kinds.contains(&"dynamodb-read-throttles") && kinds.contains(&"dynamodb-write-ceiling")
    );
    let t = plan
        .monitoring
        .alarms
        .iter()
        .find(|a| a.kind == "dynamodb-read-throttles")
        .unwrap();
    assert_eq!(t.threshold, "5");
    assert!(
        plan.variables
            .iter()
            .any(|v| v.name == "alarm_sns_topic_arns")
    );
}

#[test]
fn a_large_profile_is_split_over_dashboards_within_limits() {
    let mut text = String::from(
        "name: big\nenvironment: development\nregion: us-east-1\ncustomers: 1000\ntables:\n",
    );
    for i in 0..400 {
        text.push_str(&format!(
            "  t{i}:\n    hash_key: {{ name: id, type: S }}\n    billing: provisioned\n    workload: {{ reads_per_second: 0.01, writes_per_second: 0.01, item_size_kb: 1 }}\n    indexes:\n      by_a: {{ hash_key: {{ name: a, type: S }}, read_share: 0.1 }}\n"
        ));
    }
    let plan = plan_text(&text);
    assert!(plan.monitoring.dashboards.len() > 1);
    let mut names = std::collections::HashSet::new();
    for d in &plan.monitoring.dashboards {
        assert!(
            check_dashboard(&d.body).is_empty(),
            "{:?}",
            check_dashboard(&d.body)
        );
        let Some(HclValue::List(w)) = d.body.get("widgets") else {
            panic!()
        };
        assert!(w.len() <= MAX_WIDGETS);
        let metrics: usize = w
            .iter()
            .filter_map(|w| w.get("properties")?.get("metrics"))
            .map(HclValue::len)
            .sum();
        assert!(metrics <= MAX_METRICS);
        assert!(names.insert(d.label.clone()));
    }
}

#[test]
fn monitoring_can_be_turned_off() {
    let text = format!(
        "{MINIMAL}monitoring: {{ dashboard: false, summary_dashboard: false, alarms: false }}\n"
    );
    let plan = plan_text(&text);
    assert!(plan.monitoring.dashboards.is_empty() && plan.monitoring.alarms.is_empty());
    assert_eq!(plan.monitoring.dashboard_count, 0);
    let files = capform::render::render(&plan).unwrap();
    assert!(!files.contains_key("cloudwatch-monitoring.tf"));
}

#[test]
fn each_operation_gets_a_p99_latency_alarm_and_line() {
    // the default: GetItem and PutItem, Query with a sort key; an explicit list (deduplicated)
    // with its own threshold; `[]` for none; a workload without writes has no PutItem
    let text = format!(
        "{MINIMAL}  scratch:\n    hash_key: {{ name: id, type: S }}\n    billing: on_demand\n    operations: []\n  ledger:\n    hash_key: {{ name: id, type: S }}\n    billing: on_demand\n    operations: [TransactWriteItems, Scan, Scan]\n    alarms: {{ latency_p99_ms: 250 }}\n  reports:\n    hash_key: {{ name: id, type: S }}\n    billing: on_demand\n    workload: {{ reads_per_second: 0.01, writes_per_second: 0, item_size_kb: 1 }}\n"
    );
    let (_d, path) = profile_file("p.yaml", text.as_bytes());
    let plan = plan_file(&path);
    let ops = |k: &str| {
        plan.tables
            .iter()
            .find(|t| t.key == k)
            .unwrap()
            .operations
            .clone()
    };
    assert_eq!(ops("orders"), ["GetItem", "Query", "PutItem"]);
    assert_eq!(ops("scratch"), Vec::<&str>::new());
    assert_eq!(ops("ledger"), ["TransactWriteItems", "Scan"]);
    assert_eq!(ops("reports"), ["GetItem"]);
    let latency: Vec<&Alarm> = plan
        .monitoring
        .alarms
        .iter()
        .filter(|a| a.kind == "dynamodb-latency")
        .collect();
    assert_eq!(latency.len(), 3 + 2 + 1);
    let ledger = latency
        .iter()
        .find(|a| a.label == "ledger_transact_write_items_latency")
        .unwrap();
    assert_eq!(ledger.threshold, "250");
    let m = ledger.metric.as_ref().unwrap();
    assert_eq!(
        (m.metric_name, m.extended_statistic),
        ("SuccessfulRequestLatency", Some("p99"))
    );
    assert!(
        m.dimensions
            .iter()
            .any(|(k, v)| *k == "Operation" && v.as_str() == Some("TransactWriteItems"))
    );
    // the counted alarm metrics (other tiers' costs) agree with the alarms built
    assert_eq!(
        capform::plan::monitoring::alarm_metric_count(
            &capform::profile::load_file(&path).unwrap().profile,
            &plan.tables
        ),
        plan.monitoring.alarm_metrics
    );
}

/// The widgets of a dashboard.
fn widgets(d: &capform::plan::monitoring::Dashboard) -> &[HclValue] {
    match d.body.get("widgets") {
        Some(HclValue::List(w)) => w,
        _ => panic!("no widgets"),
    }
}

fn title(w: &HclValue) -> &str {
    w.get("properties")
        .and_then(|p| p.get("title"))
        .and_then(HclValue::as_str)
        .unwrap_or("")
}

/// Every expression of a metric widget.
fn expressions(w: &HclValue) -> Vec<String> {
    let Some(HclValue::List(rows)) = w.get("properties").and_then(|p| p.get("metrics")) else {
        return Vec::new();
    };
    rows.iter()
        .filter_map(|r| match r {
            HclValue::List(items) => items.last()?.get("expression")?.as_str().map(String::from),
            _ => None,
        })
        .collect()
}

#[test]
fn the_summary_dashboard_has_one_row_per_table() {
    let plan = plan_file(&root().join("profiles/phase3b.yaml"));
    let summary = plan
        .monitoring
        .dashboards
        .iter()
        .find(|d| d.label == "capacity_summary")
        .expect("a summary dashboard");
    assert!(check_dashboard(&summary.body).is_empty());
    let w = widgets(summary);
    // the header, then a row per table, in profile order
    assert_eq!(w[0].get("type").and_then(HclValue::as_str), Some("text"));
    let mut rows: Vec<(i64, Vec<&HclValue>)> = Vec::new();
    for widget in &w[1..] {
        let y = widget.get("y").and_then(HclValue::as_i64).unwrap();
        match rows.last_mut() {
            Some((ry, r)) if *ry == y => r.push(widget),
            _ => rows.push((y, vec![widget])),
        }
    }
    assert_eq!(rows.len(), plan.tables.len());
    for ((_, row), tp) in rows.iter().zip(&plan.tables) {
        let xs: Vec<i64> = row
            .iter()
            .map(|w| w.get("x").and_then(HclValue::as_i64).unwrap())
            .collect();
        assert_eq!(xs, [0, 6, 12, 18], "{}", tp.key);
        for w in row {
            assert!(
                title(w).starts_with(&format!("{}: ", tp.key)),
                "{}",
                title(w)
            );
        }
        // provisioned: utilization against the target; on demand: units consumed
        if tp.capacity.is_some() {
            assert_eq!(title(row[0]), format!("{}: utilization %", tp.key));
        } else {
            assert!(title(row[0]).contains("on demand"), "{}", title(row[0]));
        }
        // throttles: the table and each index, summed
        let sums = expressions(row[1]);
        assert_eq!(sums.len(), 2);
        for s in &sums {
            assert_eq!(s.matches(',').count(), tp.indexes.len(), "{s}");
        }
        assert_eq!(title(row[3]), format!("{}: latency p99 (ms)", tp.key));
        assert_eq!(
            row[3]
                .get("properties")
                .and_then(|p| p.get("metrics"))
                .map(HclValue::len),
            Some(tp.operations.len())
        );
    }
}

#[test]
fn the_summary_dashboard_can_stand_alone_or_be_turned_off() {
    let names = |text: String| -> Vec<String> {
        plan_text(&text)
            .monitoring
            .dashboards
            .iter()
            .map(|d| d.label.clone())
            .collect()
    };
    assert_eq!(
        names(format!(
            "{MINIMAL}monitoring: {{ summary_dashboard: false }}\n"
        )),
        ["capacity"]
    );
    let alone = plan_text(&format!("{MINIMAL}monitoring: {{ dashboard: false }}\n"));
    assert_eq!(alone.monitoring.dashboards.len(), 1);
    let header = format!("{:?}", widgets(&alone.monitoring.dashboards[0])[0]);
    assert!(!header.contains("detail dashboard"), "{header}");
    let both = plan_text(MINIMAL);
    let header = format!("{:?}", widgets(&both.monitoring.dashboards[1])[0]);
    assert!(header.contains("detail dashboard"), "{header}");
}

#[test]
fn a_large_summary_is_split_and_each_dashboard_is_priced() {
    let mut text = String::from(
        "name: big\nenvironment: development\nregion: us-east-1\ncustomers: 1000\ntables:\n",
    );
    for i in 0..300 {
        text.push_str(&format!(
            "  t{i}:\n    hash_key: {{ name: id, type: S }}\n    billing: provisioned\n    workload: {{ reads_per_second: 0.01, writes_per_second: 0.01, item_size_kb: 1 }}\n"
        ));
    }
    let plan = plan_text(&text);
    let summaries: Vec<_> = plan
        .monitoring
        .dashboards
        .iter()
        .filter(|d| d.label.starts_with("capacity_summary"))
        .collect();
    // 4 widgets a table: 300 tables need 1,200 widgets, more than two dashboards hold
    assert!(summaries.len() >= 3, "{}", summaries.len());
    assert_eq!(summaries[1].label, "capacity_summary_2");
    let mut rows = 0;
    for d in &summaries {
        assert!(
            check_dashboard(&d.body).is_empty(),
            "{:?}",
            check_dashboard(&d.body)
        );
        let w = widgets(d);
        assert!(w.len() <= MAX_WIDGETS);
        // a table's row never straddles two dashboards
        assert_eq!((w.len() - 1) % 4, 0);
        rows += (w.len() - 1) / 4;
    }
    assert_eq!(rows, 300);
    assert_eq!(
        plan.monitoring.dashboard_count,
        plan.monitoring.dashboards.len()
    );
}

#[test]
fn outputs_give_a_consumer_indexes_streams_targets_dashboards_and_alarms_by_table() {
    for p in shipped_profiles() {
        let plan = plan_file(&p);
        let output = |name: &str| -> Vec<(String, String)> {
            plan.outputs
                .iter()
                .find(|o| o.name == name)
                .map(|o| o.groups.concat())
                .unwrap_or_default()
        };
        let keys =
            |name: &str| -> Vec<String> { output(name).into_iter().map(|(k, _)| k).collect() };
        let indexed: Vec<String> = plan
            .tables
            .iter()
            .filter(|t| !t.indexes.is_empty())
            .map(|t| t.key.clone())
            .collect();
        assert_eq!(keys("table_global_secondary_index_names"), indexed, "{p:?}");
        let streaming: Vec<String> = plan
            .tables
            .iter()
            .filter(|t| t.stream_view_type.is_some())
            .map(|t| t.key.clone())
            .collect();
        assert_eq!(keys("table_stream_labels"), streaming);
        let targets: Vec<String> = plan
            .tables
            .iter()
            .flat_map(|t| t.scaling.iter().chain(&t.replica_scaling))
            .map(|s| s.label.clone())
            .collect();
        assert_eq!(keys("autoscaling_target_ids"), targets);
        let dashboards: Vec<String> = plan
            .monitoring
            .dashboards
            .iter()
            .map(|d| d.label.clone())
            .collect();
        assert_eq!(keys("dashboard_arns"), dashboards);
        // every table alarm is listed once, under its table
        let listed: usize = output("table_alarm_arns")
            .iter()
            .map(|(k, v)| {
                for line in v.lines().filter(|l| l.contains(".arn")) {
                    let label = line
                        .trim()
                        .trim_start_matches("aws_cloudwatch_metric_alarm.")
                        .trim_end_matches(".arn,");
                    let a = plan
                        .monitoring
                        .alarms
                        .iter()
                        .find(|a| a.label == label)
                        .unwrap();
                    assert!(
                        a.subject == *k
                            || a.subject.starts_with(&format!("{k}."))
                            || a.subject.starts_with(&format!("{k}@")),
                        "{label} under {k}"
                    );
                }
                v.matches(".arn").count()
            })
            .sum();
        let table_alarms = plan
            .monitoring
            .alarms
            .iter()
            .filter(|a| a.kind.starts_with("dynamodb-"))
            .count();
        assert_eq!(listed, table_alarms, "{p:?}");
    }
}

#[test]
fn alarms_notify_a_topic_list_per_severity_when_the_profile_says_so() {
    use capform::plan::monitoring::Severity;
    let plan = plan_text(&format!(
        "{MINIMAL}monitoring: {{ alarm_actions: by_severity }}\n"
    ));
    let mut seen = (false, false);
    for a in &plan.monitoring.alarms {
        let want = match Severity::of(a.kind) {
            Severity::Critical => {
                seen.0 = true;
                "var.critical_alarm_sns_topic_arns"
            }
            Severity::Warning => {
                seen.1 = true;
                "var.warning_alarm_sns_topic_arns"
            }
        };
        assert_eq!(a.actions.as_deref(), Some(want), "{}", a.label);
    }
    assert!(seen.0 && seen.1);
    let names: Vec<_> = plan.variables.iter().map(|v| v.name.as_str()).collect();
    assert!(
        names.contains(&"critical_alarm_sns_topic_arns")
            && names.contains(&"warning_alarm_sns_topic_arns")
    );
    assert!(!names.contains(&"alarm_sns_topic_arns"));
    // throttles page, a ceiling opens a ticket
    let kind = |k: &str| plan.monitoring.alarms.iter().find(|a| a.kind == k).unwrap();
    assert_eq!(
        kind("dynamodb-read-throttles").severity(),
        Severity::Critical
    );
    assert_eq!(kind("dynamodb-write-ceiling").severity(), Severity::Warning);
    // the default: one list for every alarm; `none`: no actions and no variable
    let one = plan_text(MINIMAL);
    assert!(
        one.monitoring
            .alarms
            .iter()
            .all(|a| a.actions.as_deref() == Some("var.alarm_sns_topic_arns"))
    );
    let none = plan_text(&format!("{MINIMAL}monitoring: {{ alarm_actions: none }}\n"));
    assert!(none.monitoring.alarms.iter().all(|a| a.actions.is_none()));
    assert!(!none.variables.iter().any(|v| v.name.contains("sns")));
}
