//! The alarms: per table and index (throttles, the autoscaling ceiling, system errors), per
//! Lambda function and per API. Each alarm's description says what fired and what to check
//! first.

use super::*;

/// The alarms of a profile's tables, functions and APIs (built even when `monitoring.alarms`
/// is off: the validator checks their names and labels).
pub fn alarms(profile: &Profile, tables: &[TablePlan]) -> Vec<Alarm> {
    let mut out = Vec::new();
    for tp in tables
        .iter()
        .filter(|tp| profile.tables[&tp.key].alarms.enabled)
    {
        out.extend(capacity_alarms(profile, tp));
        out.push(system_errors_alarm(tp));
        out.extend(latency_alarms(profile, tp));
        out.extend(replica_alarms(profile, tp));
    }
    for (key, l) in &profile.lambdas {
        out.extend(lambda_alarms(profile, key, l));
    }
    for (key, a) in &profile.apis {
        out.extend(api_alarms(profile, key, a));
    }
    // notification, decided once for every alarm
    for a in &mut out {
        a.actions = actions(profile, a);
    }
    out
}

/// The topics an alarm notifies (`alarm_actions` and `ok_actions`), as capform writes them:
/// one list for all, one per severity (`alarm_actions: by_severity`), or a replica region's
/// topics (each region's alarms notify topics of that region).
fn actions(profile: &Profile, a: &Alarm) -> Option<String> {
    match (profile.monitoring.alarm_actions, &a.region) {
        (AlarmActions::None, _) => None,
        (_, Some(region)) => Some(format!(
            "lookup(var.replica_alarm_sns_topic_arns, \"{region}\", [])"
        )),
        (AlarmActions::Sns, None) => Some("var.alarm_sns_topic_arns".into()),
        (AlarmActions::BySeverity, None) => Some(format!(
            "var.{}_alarm_sns_topic_arns",
            a.severity().as_str()
        )),
    }
}

/// Read and write throttles of the table and each index, and where capacity autoscales, its
/// consumption nearing the autoscaling maximum.
fn capacity_alarms(profile: &Profile, tp: &TablePlan) -> Vec<Alarm> {
    let th = &profile.monitoring.thresholds;
    let tbl = &profile.tables[&tp.key];
    let mut out = Vec::new();
    let throttles = tbl
        .alarms
        .throttles_per_minute
        .unwrap_or(th.dynamodb_throttles_per_minute);
    let mut subjects: Vec<(Option<&str>, String)> = vec![(None, tp.key.clone())];
    for ix in &tp.indexes {
        subjects.push((Some(ix.name.as_str()), format!("{}__{}", tp.key, ix.name)));
    }
    for (index, label) in &subjects {
        let what: Vec<Seg> = match index {
            None => [vec![text("table ")], table_name_text(tp)].concat(),
            Some(ix) => [
                vec![text(format!("index {ix} of table "))],
                table_name_text(tp),
            ]
            .concat(),
        };
        let name_base = match index {
            None => tp.suffix.clone(),
            Some(ix) => format!("{}-{}", tp.suffix, ix.replace('_', "-")),
        };
        for (dim, metric, unit) in [
            ("read", "ReadThrottleEvents", "RCU"),
            ("write", "WriteThrottleEvents", "WCU"),
        ] {
            let cap_hint = match (tp.autoscaled, index) {
                (true, _) => format!("if consumed {unit} sit at the autoscaling maximum, raise the maximum in the profile (capacity.{dim}.max or the workload) and re-render; if they are below it, look for a hot partition key"),
                (false, _) if tp.capacity.is_some() => format!("raise the fixed {unit} in the profile or enable autoscaling"),
                _ => "on-demand tables throttle when traffic doubles its previous peak within 30 minutes or a partition is hot; look for a hot partition key or pre-warm with a higher warm throughput".into(),
            };
            out.push(Alarm {
                label: format!("{label}_{dim}_throttles"),
                kind: if dim == "read" { "dynamodb-read-throttles" } else { "dynamodb-write-throttles" },
                actions: None,
                subject: index.map(|ix| format!("{}.{ix}", tp.key)).unwrap_or_else(|| tp.key.clone()),
                name: prefixed(&format!("{name_base}-{dim}-throttles")),
                description: desc([
                    vec![text(format!("{} requests to ", if dim == "read" { "Read" } else { "Write" }))],
                    what.clone(),
                    vec![text(format!(" were throttled more than {throttles} times in a minute. First: open the capacity widget of the dashboard; {cap_hint}."))],
                ].concat()),
                comparison_operator: "GreaterThanThreshold",
                threshold: throttles.to_string(),
                evaluation_periods: 1,
                datapoints_to_alarm: 1,
                treat_missing_data: "notBreaching",
                metric: Some(AlarmMetric {
                    namespace: "AWS/DynamoDB",
                    metric_name: metric,
                    period: 60,
                    statistic: Some("Sum"),
                    extended_statistic: None,
                    dimensions: table_dims(tp, *index),
                }),
                queries: vec![],
                provider: None,
                region: None,
            });
        }
        // The autoscaling ceiling: consumed capacity near the top of the range for 15 minutes.
        let cap = match index {
            None => tp.capacity.as_ref(),
            Some(ix) => tp
                .indexes
                .iter()
                .find(|i| i.name == *ix)
                .and_then(|i| i.capacity.as_ref()),
        };
        if let (Some(cap), true) = (cap, tp.autoscaled) {
            for (dim, metric, c, unit) in [
                ("read", "ConsumedReadCapacityUnits", cap.read, "RCU"),
                ("write", "ConsumedWriteCapacityUnits", cap.write, "WCU"),
            ] {
                let pct = th.autoscaling_ceiling_percent;
                let threshold = crate::capacity::Q::new(
                    (u128::from(c.max) * u128::from(pct)).into(),
                    100.into(),
                );
                out.push(Alarm {
                    label: format!("{label}_{dim}_ceiling"),
                    kind: if dim == "read" { "dynamodb-read-ceiling" } else { "dynamodb-write-ceiling" },
                    actions: None,
                    subject: index.map(|ix| format!("{}.{ix}", tp.key)).unwrap_or_else(|| tp.key.clone()),
                    name: prefixed(&format!("{name_base}-{dim}-autoscaling-ceiling")),
                    description: desc([
                        vec![text(format!("Consumed {unit} of "))],
                        what.clone(),
                        vec![text(format!(" stayed above {pct} % of the autoscaling maximum ({} {unit}) for 15 minutes: the range is about to be too small, before users see throttling. First: raise capacity.{dim}.max (or the workload figures) in the profile and re-render; check capform plan for the tier you are heading to.", c.max))],
                    ].concat()),
                    comparison_operator: "GreaterThanThreshold",
                    threshold: format_decimal(&threshold),
                    evaluation_periods: 3,
                    datapoints_to_alarm: 3,
                    treat_missing_data: "notBreaching",
                    metric: None,
                    queries: vec![
                        AlarmQuery {
                            id: "consumed".into(),
                            expression: None,
                            label: None,
                            return_data: false,
                            metric: Some(AlarmMetric {
                                namespace: "AWS/DynamoDB",
                                metric_name: metric,
                                period: 300,
                                statistic: Some("Sum"),
                                extended_statistic: None,
                                dimensions: table_dims(tp, *index),
                            }),
                        },
                        AlarmQuery {
                            id: "per_second".into(),
                            expression: Some("consumed / PERIOD(consumed)".into()),
                            label: Some(format!("Consumed {unit} per second")),
                            return_data: true,
                            metric: None,
                        },
                    ],
                    provider: None,
                    region: None,
                });
            }
        }
    }
    out
}

/// The p99 latency of each operation the application calls on the table, 15 minutes above
/// the profile's threshold.
fn latency_alarms(profile: &Profile, tp: &TablePlan) -> Vec<Alarm> {
    let ms = profile.tables[&tp.key]
        .alarms
        .latency_p99_ms
        .unwrap_or(profile.monitoring.thresholds.dynamodb_latency_p99_ms);
    tp.operations
        .iter()
        .map(|op| {
            let mut dimensions = table_dims(tp, None);
            dimensions.push(("Operation", HclValue::string(*op)));
            let snake = crate::text::snake(op);
            Alarm {
                label: format!("{}_{snake}_latency", tp.key),
                kind: "dynamodb-latency",
                actions: None,
                subject: tp.key.clone(),
                name: prefixed(&format!("{}-{}-latency-p99", tp.suffix, snake.replace('_', "-"))),
                description: desc([
                    vec![text(format!("p99 latency of {op} on table "))],
                    table_name_text(tp),
                    vec![text(format!(" was above {ms} ms for 15 minutes. First: compare with the throttle and capacity widgets (throttled requests are retried by the SDK and show as latency); then look at item sizes and, for Query and Scan, how many items a call reads; check the AWS Health Dashboard for DynamoDB in this region."))],
                ].concat()),
                comparison_operator: "GreaterThanThreshold",
                threshold: ms.to_string(),
                evaluation_periods: 3,
                datapoints_to_alarm: 3,
                treat_missing_data: "notBreaching",
                metric: Some(AlarmMetric {
                    namespace: "AWS/DynamoDB",
                    metric_name: "SuccessfulRequestLatency",
                    period: 300,
                    statistic: None,
                    extended_statistic: Some("p99"),
                    dimensions,
                }),
                queries: vec![],
                provider: None,
                region: None,
            }
        })
        .collect()
}

/// A global table's alarms outside what the primary watches: throttles of each replica, in
/// the replica's region, and replication latency from every region to every other (AWS's
/// recommended alarm: Average over 60 s, 15 of 15 datapoints), in the sending region, where
/// DynamoDB publishes it.
fn replica_alarms(profile: &Profile, tp: &TablePlan) -> Vec<Alarm> {
    if tp.replicas.is_empty() {
        return Vec::new();
    }
    let th = &profile.monitoring.thresholds;
    let throttles = profile.tables[&tp.key]
        .alarms
        .throttles_per_minute
        .unwrap_or(th.dynamodb_throttles_per_minute);
    let mut out = Vec::new();
    for r in &tp.replicas {
        let alias = r.provider.trim_start_matches("aws.");
        for (dim, metric) in [
            ("read", "ReadThrottleEvents"),
            ("write", "WriteThrottleEvents"),
        ] {
            out.push(Alarm {
                label: format!("{}_{alias}_{dim}_throttles", tp.key),
                kind: if dim == "read" { "dynamodb-read-throttles" } else { "dynamodb-write-throttles" },
                actions: None,
                subject: format!("{}@{}", tp.key, r.region),
                name: prefixed(&format!("{}-{}-{dim}-throttles", tp.suffix, r.region)),
                description: desc([
                    vec![text(format!("{} requests to the {} replica of table ", if dim == "read" { "Read" } else { "Write" }, r.region))],
                    table_name_text(tp),
                    vec![text(format!(" were throttled more than {throttles} times in a minute. First: open the replica's capacity widget on the dashboard; {}", if dim == "read" { "replica reads scale on their own in this region." } else { "replicated writes take the same write capacity in every region, so check the primary's write range." }))],
                ].concat()),
                comparison_operator: "GreaterThanThreshold",
                threshold: throttles.to_string(),
                evaluation_periods: 1,
                datapoints_to_alarm: 1,
                treat_missing_data: "notBreaching",
                metric: Some(AlarmMetric {
                    namespace: "AWS/DynamoDB",
                    metric_name: metric,
                    period: 60,
                    statistic: Some("Sum"),
                    extended_statistic: None,
                    dimensions: table_dims(tp, None),
                }),
                queries: vec![],
                provider: Some(r.provider.clone()),
                region: Some(r.region.clone()),
            });
        }
    }
    for (from, to) in replication_pairs(profile, tp) {
        let latency = th.replication_latency_ms;
        let from_replica = tp.replicas.iter().find(|r| r.region == from);
        out.push(Alarm {
            label: format!("{}_replication_{}_to_{}", tp.key, from.replace('-', "_"), to.replace('-', "_")),
            kind: "dynamodb-replication-latency",
            actions: None,
            subject: format!("{}@{from}", tp.key),
            name: prefixed(&format!("{}-replication-{from}-to-{to}", tp.suffix)),
            description: desc([
                vec![text("Replication of table ")],
                table_name_text(tp),
                vec![text(format!(" from {from} to {to} averaged more than {} ms for 15 minutes: {to} is serving stale data. First: check the AWS Health Dashboard for DynamoDB in both regions and the PendingReplicationCount widget; write throttling in {to} slows replication too.", crate::present::count(latency)))],
            ].concat()),
            comparison_operator: "GreaterThanThreshold",
            threshold: latency.to_string(),
            evaluation_periods: 15,
            datapoints_to_alarm: 15,
            treat_missing_data: "notBreaching",
            metric: Some(AlarmMetric {
                namespace: "AWS/DynamoDB",
                metric_name: "ReplicationLatency",
                period: 60,
                statistic: Some("Average"),
                extended_statistic: None,
                dimensions: [
                    table_dims(tp, None),
                    vec![("ReceivingRegion", HclValue::string(to.clone()))],
                ]
                .concat(),
            }),
            queries: vec![],
            provider: from_replica.map(|r| r.provider.clone()),
            region: from_replica.map(|r| r.region.clone()),
        });
    }
    out
}

/// Every (sending, receiving) pair of a global table's regions, the primary first: writes
/// may land in any region, and each region replicates them to every other.
pub(super) fn replication_pairs(profile: &Profile, tp: &TablePlan) -> Vec<(String, String)> {
    let mut regions = vec![profile.region.clone()];
    regions.extend(tp.replicas.iter().map(|r| r.region.clone()));
    let mut out = Vec::new();
    for from in &regions {
        for to in regions.iter().filter(|to| *to != from) {
            out.push((from.clone(), to.clone()));
        }
    }
    out
}

/// System errors: per table (DynamoDB reports them by table and operation, not by index).
fn system_errors_alarm(tp: &TablePlan) -> Alarm {
    let mut queries: Vec<AlarmQuery> = SYSTEM_ERROR_OPERATIONS
        .iter()
        .enumerate()
        .map(|(i, op)| AlarmQuery {
            id: format!("op{}", i + 1),
            expression: None,
            label: None,
            return_data: false,
            metric: Some(AlarmMetric {
                namespace: "AWS/DynamoDB",
                metric_name: "SystemErrors",
                period: 60,
                statistic: Some("Sum"),
                extended_statistic: None,
                dimensions: [
                    table_dims(tp, None),
                    vec![("Operation", HclValue::string(*op))],
                ]
                .concat(),
            }),
        })
        .collect();
    let ids: Vec<String> = queries.iter().map(|q| q.id.clone()).collect();
    queries.push(AlarmQuery {
        id: "errors".into(),
        expression: Some(format!("SUM([{}])", ids.join(", "))),
        label: Some("System errors".into()),
        return_data: true,
        metric: None,
    });
    Alarm {
        label: format!("{}_system_errors", tp.key),
        kind: "dynamodb-system-errors",
        actions: None,
        subject: tp.key.clone(),
        name: prefixed(&format!("{}-system-errors", tp.suffix)),
        description: desc([
            vec![text("DynamoDB returned HTTP 500 errors for table ")],
            table_name_text(tp),
            vec![text(". These are service-side failures, not capacity. First: check the AWS Health Dashboard for DynamoDB in this region and make sure clients retry with backoff.")],
        ].concat()),
        comparison_operator: "GreaterThanThreshold",
        threshold: "0".into(),
        evaluation_periods: 1,
        datapoints_to_alarm: 1,
        treat_missing_data: "notBreaching",
        metric: None,
        queries,
        provider: None,
        region: None,
    }
}

/// Duration, errors and throttles of one monitored Lambda function.
fn lambda_alarms(profile: &Profile, key: &str, l: &crate::profile::model::Lambda) -> Vec<Alarm> {
    let th = &profile.monitoring.thresholds;
    let mut out = Vec::new();
    let fname = HclValue::expr(format!("local.lambda_function_names[\"{key}\"]"));
    let fname_seg = Seg::Interp(format!("local.lambda_function_names[\"{key}\"]"));
    let dur = l
        .alarms
        .duration_avg_ms
        .unwrap_or(th.lambda_duration_avg_ms);
    let errs = l
        .alarms
        .errors_per_5_minutes
        .unwrap_or(th.lambda_errors_per_5_minutes);
    let lambda_metric = |name: &'static str, stat: &'static str| AlarmMetric {
        namespace: "AWS/Lambda",
        metric_name: name,
        period: 300,
        statistic: Some(stat),
        extended_statistic: None,
        dimensions: vec![("FunctionName", fname.clone())],
    };
    let suffix = key.replace('_', "-");
    out.push(Alarm {
        label: format!("lambda_{key}_duration"),
        kind: "lambda-duration",
        actions: None,
        subject: key.to_owned(),
        name: prefixed(&format!("lambda-{suffix}-duration")),
        description: desc(vec![
            text("Average duration of Lambda function "),
            fname_seg.clone(),
            text(format!(" was above {dur} ms for 15 minutes. First: look at the function's slowest calls (X-Ray or logs) and at the DynamoDB throttle and latency widgets; raise memory if it is CPU-bound.")),
        ]),
        comparison_operator: "GreaterThanThreshold",
        threshold: dur.to_string(),
        evaluation_periods: 3,
        datapoints_to_alarm: 3,
        treat_missing_data: "notBreaching",
        metric: Some(lambda_metric("Duration", "Average")),
        queries: vec![],
        provider: None,
        region: None,
    });
    out.push(Alarm {
        label: format!("lambda_{key}_errors"),
        kind: "lambda-errors",
        actions: None,
        subject: key.to_owned(),
        name: prefixed(&format!("lambda-{suffix}-errors")),
        description: desc(vec![
            text("Lambda function "),
            fname_seg.clone(),
            text(format!(" failed more than {errs} times in 5 minutes. First: read the function's error logs for the newest stack trace; roll back the last deployment if it started then.")),
        ]),
        comparison_operator: "GreaterThanThreshold",
        threshold: errs.to_string(),
        evaluation_periods: 1,
        datapoints_to_alarm: 1,
        treat_missing_data: "notBreaching",
        metric: Some(lambda_metric("Errors", "Sum")),
        queries: vec![],
        provider: None,
        region: None,
    });
    out.push(Alarm {
        label: format!("lambda_{key}_throttles"),
        kind: "lambda-throttles",
        actions: None,
        subject: key.to_owned(),
        name: prefixed(&format!("lambda-{suffix}-throttles")),
        description: desc(vec![
            text("Lambda function "),
            fname_seg,
            text(" was throttled. First: check the account's concurrent executions against its limit and the function's reserved concurrency."),
        ]),
        comparison_operator: "GreaterThanThreshold",
        threshold: "0".into(),
        evaluation_periods: 1,
        datapoints_to_alarm: 1,
        treat_missing_data: "notBreaching",
        metric: Some(lambda_metric("Throttles", "Sum")),
        queries: vec![],
        provider: None,
        region: None,
    });
    out
}

/// p95 latency and 5XX rate of one monitored API.
fn api_alarms(profile: &Profile, key: &str, a: &crate::profile::model::Api) -> Vec<Alarm> {
    let th = &profile.monitoring.thresholds;
    let mut out = Vec::new();
    let dims = api_dims(key, a.kind);
    let latency = a.alarms.latency_p95_ms.unwrap_or(th.api_latency_p95_ms);
    let rate = a
        .alarms
        .error_rate_5xx_percent
        .clone()
        .unwrap_or_else(|| th.api_5xx_error_rate_percent.clone());
    let suffix = key.replace('_', "-");
    let api_seg = api_segs(key, a.kind);
    let (m5xx, count) = match a.kind {
        ApiKind::Rest => ("5XXError", "Count"),
        ApiKind::Http => ("5xx", "Count"),
    };
    out.push(Alarm {
        label: format!("api_{key}_latency_p95"),
        kind: "api-latency-p95",
        actions: None,
        subject: key.to_owned(),
        name: prefixed(&format!("api-{suffix}-latency-p95")),
        description: desc([
            vec![text("p95 latency of API ")],
            api_seg.clone(),
            vec![text(format!(" was above {latency} ms for 15 minutes. First: compare with the Lambda duration and DynamoDB widgets to find the slow integration."))],
        ].concat()),
        comparison_operator: "GreaterThanThreshold",
        threshold: latency.to_string(),
        evaluation_periods: 3,
        datapoints_to_alarm: 3,
        treat_missing_data: "notBreaching",
        metric: Some(AlarmMetric {
            namespace: "AWS/ApiGateway",
            metric_name: "Latency",
            period: 300,
            statistic: None,
            extended_statistic: Some("p95"),
            dimensions: dims.clone(),
        }),
        queries: vec![],
        provider: None,
        region: None,
    });
    let metric = |name: &'static str| AlarmMetric {
        namespace: "AWS/ApiGateway",
        metric_name: name,
        period: 300,
        statistic: Some("Sum"),
        extended_statistic: None,
        dimensions: dims.clone(),
    };
    out.push(Alarm {
        label: format!("api_{key}_5xx_rate"),
        kind: "api-5xx-rate",
        actions: None,
        subject: key.to_owned(),
        name: prefixed(&format!("api-{suffix}-5xx-rate")),
        description: desc([
            vec![text("More than ")],
            vec![text(format!("{rate} % of requests to API "))],
            api_seg,
            vec![text(format!(" failed with 5XX in 5 minutes (the success-rate target is {} %). First: check the Lambda errors widget and the integration's logs.", format_decimal(&(crate::capacity::Q::from_integer(100.into()) - rate.exact()))))],
        ].concat()),
        comparison_operator: "GreaterThanThreshold",
        threshold: rate.to_string(),
        evaluation_periods: 1,
        datapoints_to_alarm: 1,
        treat_missing_data: "notBreaching",
        metric: None,
        queries: vec![
            AlarmQuery { id: "errors".into(), expression: None, label: None, return_data: false, metric: Some(metric(m5xx)) },
            AlarmQuery { id: "requests".into(), expression: None, label: None, return_data: false, metric: Some(metric(count)) },
            AlarmQuery {
                id: "rate".into(),
                expression: Some("IF(requests > 0, 100 * errors / requests, 0)".into()),
                label: Some("5XX rate (%)".into()),
                return_data: true,
                metric: None,
            },
        ],
        provider: None,
        region: None,
    });
    out
}
