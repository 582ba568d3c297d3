//! Monitoring: the CloudWatch dashboard(s) and alarms, resolved from the profile.
//!
//! Every widget position, metric array, alarm threshold, period and description is decided
//! here; the template only prints the resources. [`check_dashboard`] checks a body against
//! CloudWatch's dashboard-body rules and is run by the tests on every shipped profile.

use serde::Serialize;

use super::TablePlan;
use super::value::{HclValue, Seg, Text};
use crate::profile::model::{AlarmActions, ApiKind, Profile};

/// CloudWatch dashboard grid width.
pub const GRID_COLUMNS: i64 = 24;
/// Widgets per dashboard (service limit 500).
pub const MAX_WIDGETS: usize = 500;
/// Metrics per dashboard (service limit 2,500).
pub const MAX_METRICS: usize = 2500;
/// Metrics per graph widget: the service allows 500; capform splits at 100 for readability.
pub const MAX_METRICS_PER_WIDGET: usize = 100;
/// Alarms per alarm-status widget (service limit 100).
pub const MAX_ALARMS_PER_WIDGET: usize = 100;
/// Widget height used throughout.
const H: i64 = 6;

/// The monitoring part of the module.
#[derive(Clone, Debug, Default, Serialize)]
pub struct MonitoringPlan {
    /// Dashboards (one unless the profile exceeds a dashboard's limits).
    pub dashboards: Vec<Dashboard>,
    /// Alarms, in profile order: tables (and their indexes), functions, APIs.
    pub alarms: Vec<Alarm>,
    /// Whether alarms notify SNS topics from `var.alarm_sns_topic_arns`.
    pub sns: bool,
    /// Alarm metrics billed (a metric-math alarm counts each metric it reads).
    pub alarm_metrics: u64,
    /// Dashboards (also when `dashboards` was not built, in a cost-only plan).
    pub dashboard_count: usize,
}

/// One dashboard.
#[derive(Clone, Debug, Serialize)]
pub struct Dashboard {
    /// Resource label.
    pub label: String,
    /// `dashboard_name` (a template on `var.name_prefix`).
    pub name: HclValue,
    /// The body, written inside `jsonencode(…)`.
    pub body: HclValue,
}

/// A CloudWatch metric alarm.
#[derive(Clone, Debug, Serialize)]
pub struct Alarm {
    /// Resource label.
    pub label: String,
    /// What the alarm watches, e.g. `dynamodb-read-throttles`.
    pub kind: &'static str,
    /// The table, `table.index`, function or API key it watches.
    pub subject: String,
    /// `alarm_name`.
    pub name: HclValue,
    /// `alarm_description`: what fired and what to do first.
    pub description: HclValue,
    /// `GreaterThanThreshold` and friends.
    pub comparison_operator: &'static str,
    /// Threshold literal.
    pub threshold: String,
    /// Evaluation periods.
    pub evaluation_periods: u32,
    /// Datapoints that must breach within the evaluation periods.
    pub datapoints_to_alarm: u32,
    /// `notBreaching`, `missing`, …
    pub treat_missing_data: &'static str,
    /// A single-metric alarm.
    pub metric: Option<AlarmMetric>,
    /// A metric-math alarm: its queries, the last one returning data.
    pub queries: Vec<AlarmQuery>,
}

/// One metric.
#[derive(Clone, Debug, Serialize)]
pub struct AlarmMetric {
    /// Namespace, e.g. `AWS/DynamoDB`.
    pub namespace: &'static str,
    /// Metric name.
    pub metric_name: &'static str,
    /// Period in seconds (10, 30 or a multiple of 60).
    pub period: u32,
    /// `Sum`, `Average`, … (exclusive with `extended_statistic`).
    pub statistic: Option<&'static str>,
    /// A percentile such as `p95`.
    pub extended_statistic: Option<&'static str>,
    /// Dimensions, in order.
    pub dimensions: Vec<(&'static str, HclValue)>,
}

/// One `metric_query` of a metric-math alarm.
#[derive(Clone, Debug, Serialize)]
pub struct AlarmQuery {
    /// Query id (lower-case first letter).
    pub id: String,
    /// Math expression, for expression queries.
    pub expression: Option<String>,
    /// Label.
    pub label: Option<String>,
    /// Whether this query is the alarm's value.
    pub return_data: bool,
    /// The metric, for metric queries (its `statistic` is written as `stat`).
    pub metric: Option<AlarmMetric>,
}

impl Alarm {
    /// Metrics the alarm reads (billed per metric): 1, or each metric of a math alarm.
    pub fn metric_count(&self) -> u64 {
        if self.metric.is_some() {
            1
        } else {
            self.queries.iter().filter(|q| q.metric.is_some()).count() as u64
        }
    }

    /// Period × evaluation periods, in seconds.
    pub fn window_seconds(&self) -> u64 {
        let period = self
            .metric
            .as_ref()
            .map(|m| m.period)
            .or_else(|| {
                self.queries
                    .iter()
                    .find_map(|q| q.metric.as_ref().map(|m| m.period))
            })
            .unwrap_or(60);
        u64::from(period) * u64::from(self.evaluation_periods)
    }
}

fn prefixed(suffix: &str) -> HclValue {
    HclValue::Template(vec![
        Seg::Interp("var.name_prefix".into()),
        Seg::Text(format!("-{suffix}")),
    ])
}

fn table_dims(t: &TablePlan, index: Option<&str>) -> Vec<(&'static str, HclValue)> {
    let mut d = vec![(
        "TableName",
        HclValue::e(format!("aws_dynamodb_table.{}.name", t.key)),
    )];
    if let Some(ix) = index {
        d.push(("GlobalSecondaryIndexName", HclValue::s(ix.to_owned())));
    }
    d
}

fn table_name_text(t: &TablePlan) -> Vec<Seg> {
    vec![Seg::Interp(format!("aws_dynamodb_table.{}.name", t.key))]
}

fn desc(parts: Vec<Seg>) -> HclValue {
    // merge adjacent text
    let mut out: Vec<Seg> = Vec::new();
    for p in parts {
        match (out.last_mut(), p) {
            (Some(Seg::Text(a)), Seg::Text(b)) => a.push_str(&b),
            (_, p) => out.push(p),
        }
    }
    HclValue::Template(out)
}

fn t(s: impl Into<String>) -> Seg {
    Seg::Text(s.into())
}

/// DynamoDB operations summed for the system-errors alarm (a metric-math alarm may use at most
/// ten metrics; these are the data-plane calls a SaaS makes).
pub const SYSTEM_ERROR_OPERATIONS: &[&str] = &[
    "GetItem",
    "PutItem",
    "UpdateItem",
    "DeleteItem",
    "Query",
    "BatchGetItem",
    "BatchWriteItem",
    "TransactWriteItems",
];

fn format_decimal(q: &crate::capacity::Q) -> String {
    crate::capacity::display(q)
        .trim_start_matches('≈')
        .to_owned()
}

/// Build the alarms for the tables, functions and APIs of a profile.
/// The alarms of a profile's tables, functions and APIs (built even when `monitoring.alarms`
/// is off: the validator checks their names and labels).
pub fn alarms(profile: &Profile, tables: &[TablePlan]) -> Vec<Alarm> {
    let th = &profile.monitoring.thresholds;
    let mut out = Vec::new();
    for tp in tables {
        let tbl = &profile.tables[&tp.key];
        if !tbl.alarms.enabled {
            continue;
        }
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
                None => [vec![t("table ")], table_name_text(tp)].concat(),
                Some(ix) => [
                    vec![t(format!("index {ix} of table "))],
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
                    subject: index.map(|ix| format!("{}.{ix}", tp.key)).unwrap_or_else(|| tp.key.clone()),
                    name: prefixed(&format!("{name_base}-{dim}-throttles")),
                    description: desc([
                        vec![t(format!("{} requests to ", if dim == "read" { "Read" } else { "Write" }))],
                        what.clone(),
                        vec![t(format!(" were throttled more than {throttles} times in a minute. First: open the capacity widget of the dashboard; {cap_hint}."))],
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
                        subject: index.map(|ix| format!("{}.{ix}", tp.key)).unwrap_or_else(|| tp.key.clone()),
                        name: prefixed(&format!("{name_base}-{dim}-autoscaling-ceiling")),
                        description: desc([
                            vec![t(format!("Consumed {unit} of "))],
                            what.clone(),
                            vec![t(format!(" stayed above {pct} % of the autoscaling maximum ({} {unit}) for 15 minutes: the range is about to be too small, before users see throttling. First: raise capacity.{dim}.max (or the workload figures) in the profile and re-render; check capform plan for the tier you are heading to.", c.max))],
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
                    });
                }
            }
        }
        // System errors: per table (DynamoDB reports them by table and operation, not by index).
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
                    dimensions: [table_dims(tp, None), vec![("Operation", HclValue::s(*op))]]
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
        out.push(Alarm {
            label: format!("{}_system_errors", tp.key),
            kind: "dynamodb-system-errors",
            subject: tp.key.clone(),
            name: prefixed(&format!("{}-system-errors", tp.suffix)),
            description: desc([
                vec![t("DynamoDB returned HTTP 500 errors for table ")],
                table_name_text(tp),
                vec![t(". These are service-side failures, not capacity. First: check the AWS Health Dashboard for DynamoDB in this region and make sure clients retry with backoff.")],
            ].concat()),
            comparison_operator: "GreaterThanThreshold",
            threshold: "0".into(),
            evaluation_periods: 1,
            datapoints_to_alarm: 1,
            treat_missing_data: "notBreaching",
            metric: None,
            queries,
        });
    }

    for (key, l) in &profile.lambdas {
        let fname = HclValue::e(format!("var.lambda_function_names[\"{key}\"]"));
        let fname_seg = Seg::Interp(format!("var.lambda_function_names[\"{key}\"]"));
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
            subject: key.clone(),
            name: prefixed(&format!("lambda-{suffix}-duration")),
            description: desc(vec![
                t("Average duration of Lambda function "),
                fname_seg.clone(),
                t(format!(" was above {dur} ms for 15 minutes. First: look at the function's slowest calls (X-Ray or logs) and at the DynamoDB throttle and latency widgets; raise memory if it is CPU-bound.")),
            ]),
            comparison_operator: "GreaterThanThreshold",
            threshold: dur.to_string(),
            evaluation_periods: 3,
            datapoints_to_alarm: 3,
            treat_missing_data: "notBreaching",
            metric: Some(lambda_metric("Duration", "Average")),
            queries: vec![],
        });
        out.push(Alarm {
            label: format!("lambda_{key}_errors"),
            kind: "lambda-errors",
            subject: key.clone(),
            name: prefixed(&format!("lambda-{suffix}-errors")),
            description: desc(vec![
                t("Lambda function "),
                fname_seg.clone(),
                t(format!(" failed more than {errs} times in 5 minutes. First: read the function's error logs for the newest stack trace; roll back the last deployment if it started then.")),
            ]),
            comparison_operator: "GreaterThanThreshold",
            threshold: errs.to_string(),
            evaluation_periods: 1,
            datapoints_to_alarm: 1,
            treat_missing_data: "notBreaching",
            metric: Some(lambda_metric("Errors", "Sum")),
            queries: vec![],
        });
        out.push(Alarm {
            label: format!("lambda_{key}_throttles"),
            kind: "lambda-throttles",
            subject: key.clone(),
            name: prefixed(&format!("lambda-{suffix}-throttles")),
            description: desc(vec![
                t("Lambda function "),
                fname_seg,
                t(" was throttled. First: check the account's concurrent executions against its limit and the function's reserved concurrency."),
            ]),
            comparison_operator: "GreaterThanThreshold",
            threshold: "0".into(),
            evaluation_periods: 1,
            datapoints_to_alarm: 1,
            treat_missing_data: "notBreaching",
            metric: Some(lambda_metric("Throttles", "Sum")),
            queries: vec![],
        });
    }

    for (key, a) in &profile.apis {
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
            subject: key.clone(),
            name: prefixed(&format!("api-{suffix}-latency-p95")),
            description: desc([
                vec![t("p95 latency of API ")],
                api_seg.clone(),
                vec![t(format!(" was above {latency} ms for 15 minutes. First: compare with the Lambda duration and DynamoDB widgets to find the slow integration."))],
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
            subject: key.clone(),
            name: prefixed(&format!("api-{suffix}-5xx-rate")),
            description: desc([
                vec![t("More than ")],
                vec![t(format!("{rate} % of requests to API "))],
                api_seg,
                vec![t(format!(" failed with 5XX in 5 minutes (the success-rate target is {} %). First: check the Lambda errors widget and the integration's logs.", format_decimal(&(crate::capacity::Q::from_integer(100.into()) - rate.exact()))))],
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
        });
    }
    out
}

fn api_dims(key: &str, kind: ApiKind) -> Vec<(&'static str, HclValue)> {
    match kind {
        ApiKind::Rest => vec![
            (
                "ApiName",
                HclValue::e(format!("var.rest_apis[\"{key}\"].name")),
            ),
            (
                "Stage",
                HclValue::e(format!("var.rest_apis[\"{key}\"].stage")),
            ),
        ],
        ApiKind::Http => vec![
            (
                "ApiId",
                HclValue::e(format!("var.http_apis[\"{key}\"].api_id")),
            ),
            (
                "Stage",
                HclValue::e(format!("var.http_apis[\"{key}\"].stage")),
            ),
        ],
    }
}

fn api_segs(key: &str, kind: ApiKind) -> Vec<Seg> {
    match kind {
        ApiKind::Rest => vec![
            Seg::Interp(format!("var.rest_apis[\"{key}\"].name")),
            t(" (stage "),
            Seg::Interp(format!("var.rest_apis[\"{key}\"].stage")),
            t(")"),
        ],
        ApiKind::Http => vec![
            Seg::Interp(format!("var.http_apis[\"{key}\"].api_id")),
            t(" (stage "),
            Seg::Interp(format!("var.http_apis[\"{key}\"].stage")),
            t(")"),
        ],
    }
}

/// A widget before layout.
struct Widget {
    width: i64,
    height: i64,
    kind: &'static str,
    properties: HclValue,
    metrics: usize,
}

fn metric_row(
    namespace: impl Into<Text>,
    name: impl Into<Text>,
    dims: &[(&'static str, HclValue)],
    opts: Vec<(&'static str, HclValue)>,
) -> HclValue {
    let mut v = vec![HclValue::s(namespace), HclValue::s(name)];
    for (k, val) in dims {
        v.push(HclValue::s(*k));
        v.push(val.clone());
    }
    if !opts.is_empty() {
        v.push(HclValue::obj(opts));
    }
    HclValue::List(v)
}

/// A metric a widget reads for its math but does not draw.
fn hidden_row(
    dims: &[(&'static str, HclValue)],
    name: &'static str,
    id: &'static str,
    stat: &'static str,
) -> HclValue {
    metric_row(
        "AWS/DynamoDB",
        name,
        dims,
        vec![
            ("id", HclValue::s(id)),
            ("stat", HclValue::s(stat)),
            ("visible", HclValue::Bool(false)),
        ],
    )
}

fn expr_row(
    expression: impl Into<Text>,
    label: impl Into<Text>,
    id: impl Into<Text>,
    extra: Vec<(&'static str, HclValue)>,
) -> HclValue {
    let mut o = vec![
        ("expression", HclValue::s(expression)),
        ("label", HclValue::s(label)),
        ("id", HclValue::s(id)),
    ];
    o.extend(extra);
    HclValue::List(vec![HclValue::obj(o)])
}

fn graph(
    title: String,
    region: &str,
    width: i64,
    stat: impl Into<Text>,
    metrics: Vec<HclValue>,
    extra: Vec<(&'static str, HclValue)>,
) -> Widget {
    let n = metrics.len();
    let mut props = vec![
        ("title", HclValue::s(title)),
        ("region", HclValue::s(region.to_owned())),
        ("view", HclValue::s("timeSeries")),
        ("stacked", HclValue::Bool(false)),
        ("period", HclValue::n(300)),
        ("stat", HclValue::s(stat)),
        ("metrics", HclValue::List(metrics)),
    ];
    props.extend(extra);
    Widget {
        width,
        height: H,
        kind: "metric",
        properties: HclValue::obj(props),
        metrics: n,
    }
}

/// Full-width graphs of `rows`, at most [`MAX_METRICS_PER_WIDGET`] each, titled `(i of n)`
/// when there is more than one.
fn full_width_graphs(
    title: &str,
    region: &str,
    stat: &'static str,
    rows: Vec<HclValue>,
) -> Vec<Widget> {
    let groups = chunks(rows, MAX_METRICS_PER_WIDGET);
    let total = groups.len();
    groups
        .into_iter()
        .enumerate()
        .map(|(i, g)| {
            let title = if total > 1 {
                format!("{title} ({} of {total})", i + 1)
            } else {
                title.to_owned()
            };
            graph(title, region, GRID_COLUMNS, stat, g, vec![])
        })
        .collect()
}

fn chunks(rows: Vec<HclValue>, size: usize) -> Vec<Vec<HclValue>> {
    let mut out: Vec<Vec<HclValue>> = Vec::new();
    for r in rows {
        match out.last_mut() {
            Some(c) if c.len() < size => c.push(r),
            _ => out.push(vec![r]),
        }
    }
    out
}

/// The dashboard sections, in the order the dashboard shows them.
fn sections(profile: &Profile, tables: &[TablePlan], alarms: &[Alarm]) -> Vec<Vec<Widget>> {
    let region = profile.region.as_str();
    let mut sections: Vec<Vec<Widget>> = Vec::new();

    // alarm status
    if !alarms.is_empty() {
        let arns: Vec<HclValue> = alarms
            .iter()
            .map(|a| HclValue::e(format!("aws_cloudwatch_metric_alarm.{}.arn", a.label)))
            .collect();
        let groups = chunks(arns, MAX_ALARMS_PER_WIDGET);
        let total = groups.len();
        sections.push(
            groups
                .into_iter()
                .enumerate()
                .map(|(i, g)| Widget {
                    width: GRID_COLUMNS,
                    height: 4,
                    kind: "alarm",
                    properties: HclValue::obj([
                        (
                            "title",
                            HclValue::Str(if total > 1 {
                                format!("Alarm status ({} of {total})", i + 1).into()
                            } else {
                                "Alarm status".into()
                            }),
                        ),
                        ("alarms", HclValue::List(g)),
                        ("sortBy", HclValue::s("stateUpdatedTimestamp")),
                    ]),
                    metrics: 0,
                })
                .collect(),
        );
    }

    // 1. Lambda duration per function
    let fdim = |k: &str| {
        vec![(
            "FunctionName",
            HclValue::e(format!("var.lambda_function_names[\"{k}\"]")),
        )]
    };
    if !profile.lambdas.is_empty() {
        sections.push(
            profile
                .lambdas
                .keys()
                .map(|k| {
                    let rows = ["Average", "p95", "p99"]
                        .iter()
                        .map(|s| {
                            metric_row(
                                "AWS/Lambda",
                                "Duration",
                                &fdim(k),
                                vec![
                                    ("stat", HclValue::s(*s)),
                                    (
                                        "label",
                                        HclValue::s(s.to_lowercase().replace("average", "avg")),
                                    ),
                                ],
                            )
                        })
                        .collect();
                    graph(
                        format!("Lambda duration (ms): {k}"),
                        region,
                        8,
                        "Average",
                        rows,
                        vec![],
                    )
                })
                .collect(),
        );
        // 2. errors and throttles
        let rows: Vec<HclValue> = profile
            .lambdas
            .keys()
            .flat_map(|k| ["Errors", "Throttles"].iter().map(move |m| (k.clone(), *m)))
            .map(|(k, m)| {
                metric_row(
                    "AWS/Lambda",
                    m,
                    &fdim(&k),
                    vec![("label", HclValue::s(format!("{k} {}", m.to_lowercase())))],
                )
            })
            .collect();
        sections.push(full_width_graphs(
            "Lambda errors and throttles",
            region,
            "Sum",
            rows,
        ));
    }

    // 3. DynamoDB capacity: consumed vs provisioned, and utilization, per table and index
    let mut dyn_widgets = Vec::new();
    for tp in tables {
        let mut subjects: Vec<(Option<&str>, String, bool)> =
            vec![(None, tp.key.clone(), tp.capacity.is_some())];
        for ix in &tp.indexes {
            subjects.push((
                Some(ix.name.as_str()),
                format!("{} / {}", tp.key, ix.name),
                ix.capacity.is_some(),
            ));
        }
        for (index, title, provisioned) in subjects {
            let dims = table_dims(tp, index);
            let mut rows = vec![
                hidden_row(&dims, "ConsumedReadCapacityUnits", "cr", "Sum"),
                hidden_row(&dims, "ConsumedWriteCapacityUnits", "cw", "Sum"),
                expr_row("cr / PERIOD(cr)", "consumed RCU/s", "rcu", vec![]),
                expr_row("cw / PERIOD(cw)", "consumed WCU/s", "wcu", vec![]),
            ];
            if provisioned {
                rows.push(metric_row(
                    "AWS/DynamoDB",
                    "ProvisionedReadCapacityUnits",
                    &dims,
                    vec![
                        ("id", HclValue::s("pr")),
                        ("stat", HclValue::s("Average")),
                        ("label", HclValue::s("provisioned RCU")),
                    ],
                ));
                rows.push(metric_row(
                    "AWS/DynamoDB",
                    "ProvisionedWriteCapacityUnits",
                    &dims,
                    vec![
                        ("id", HclValue::s("pw")),
                        ("stat", HclValue::s("Average")),
                        ("label", HclValue::s("provisioned WCU")),
                    ],
                ));
            }
            dyn_widgets.push(graph(
                format!("Capacity: {title}"),
                region,
                12,
                "Sum",
                rows,
                vec![],
            ));
            if provisioned {
                let rows = vec![
                    hidden_row(&dims, "ConsumedReadCapacityUnits", "cr", "Sum"),
                    hidden_row(&dims, "ProvisionedReadCapacityUnits", "pr", "Average"),
                    hidden_row(&dims, "ConsumedWriteCapacityUnits", "cw", "Sum"),
                    hidden_row(&dims, "ProvisionedWriteCapacityUnits", "pw", "Average"),
                    expr_row(
                        "100 * (cr / PERIOD(cr)) / pr",
                        "read utilization %",
                        "ur",
                        vec![],
                    ),
                    expr_row(
                        "100 * (cw / PERIOD(cw)) / pw",
                        "write utilization %",
                        "uw",
                        vec![],
                    ),
                ];
                let target = HclValue::obj([(
                    "horizontal",
                    HclValue::List(vec![HclValue::obj([
                        ("label", HclValue::s("target")),
                        ("value", HclValue::n(tp.target)),
                    ])]),
                )]);
                dyn_widgets.push(graph(
                    format!("Utilization %: {title}"),
                    region,
                    12,
                    "Sum",
                    rows,
                    vec![
                        ("annotations", target),
                        (
                            "yAxis",
                            HclValue::obj([(
                                "left",
                                HclValue::obj([("min", HclValue::n(0)), ("max", HclValue::n(100))]),
                            )]),
                        ),
                    ],
                ));
            }
        }
    }
    if !dyn_widgets.is_empty() {
        sections.push(dyn_widgets);
    }

    // 4. API latency and requests; 5. cache hit rate
    if !profile.apis.is_empty() {
        sections.push(
            profile
                .apis
                .iter()
                .map(|(k, a)| {
                    let dims = api_dims(k, a.kind);
                    let mut rows: Vec<HclValue> = ["p50", "p95", "p99"]
                        .iter()
                        .map(|s| {
                            metric_row(
                                "AWS/ApiGateway",
                                "Latency",
                                &dims,
                                vec![
                                    ("stat", HclValue::s(*s)),
                                    ("label", HclValue::s(format!("latency {s}"))),
                                ],
                            )
                        })
                        .collect();
                    rows.push(metric_row(
                        "AWS/ApiGateway",
                        "Count",
                        &dims,
                        vec![
                            ("stat", HclValue::s("Sum")),
                            ("label", HclValue::s("requests")),
                            ("yAxis", HclValue::s("right")),
                        ],
                    ));
                    graph(
                        format!("API latency (ms) and requests: {k}"),
                        region,
                        12,
                        "p95",
                        rows,
                        vec![],
                    )
                })
                .collect(),
        );
        let cached: Vec<Widget> = profile
            .apis
            .iter()
            .filter(|(_, a)| a.cache && a.kind == ApiKind::Rest)
            .map(|(k, a)| {
                let dims = api_dims(k, a.kind);
                let rows = vec![
                    metric_row(
                        "AWS/ApiGateway",
                        "CacheHitCount",
                        &dims,
                        vec![
                            ("id", HclValue::s("hits")),
                            ("stat", HclValue::s("Sum")),
                            ("visible", HclValue::Bool(false)),
                        ],
                    ),
                    metric_row(
                        "AWS/ApiGateway",
                        "CacheMissCount",
                        &dims,
                        vec![
                            ("id", HclValue::s("misses")),
                            ("stat", HclValue::s("Sum")),
                            ("visible", HclValue::Bool(false)),
                        ],
                    ),
                    expr_row(
                        "100 * hits / (hits + misses)",
                        "cache hit rate %",
                        "hit_rate",
                        vec![],
                    ),
                ];
                graph(
                    format!("API cache hit rate %: {k}"),
                    region,
                    12,
                    "Sum",
                    rows,
                    vec![(
                        "yAxis",
                        HclValue::obj([(
                            "left",
                            HclValue::obj([("min", HclValue::n(0)), ("max", HclValue::n(100))]),
                        )]),
                    )],
                )
            })
            .collect();
        if !cached.is_empty() {
            sections.push(cached);
        }
    }

    // 6. business metrics
    if !profile.business_metrics.is_empty() {
        let rows: Vec<HclValue> = profile
            .business_metrics
            .iter()
            .map(|m| {
                let mut v = vec![
                    HclValue::s(m.namespace.clone()),
                    HclValue::s(m.metric.clone()),
                ];
                v.push(HclValue::obj([
                    ("stat", HclValue::s(m.stat.clone())),
                    (
                        "label",
                        HclValue::s(m.label.clone().unwrap_or_else(|| m.metric.clone())),
                    ),
                ]));
                HclValue::List(v)
            })
            .collect();
        sections.push(full_width_graphs("Business metrics", region, "Sum", rows));
    }
    sections
}

fn header(profile: &Profile, customers: u64, part: usize, parts: usize) -> Widget {
    let mut text = format!(
        "## {}: capacity and health\nProfile `{}` at {} customers, {} ({}). Generated by capform: ranges and thresholds come from the profile.",
        profile.name,
        profile.name,
        customers,
        profile.environment.as_str(),
        profile.region
    );
    if parts > 1 {
        text.push_str(&format!(" Dashboard {part} of {parts}."));
    }
    Widget {
        width: GRID_COLUMNS,
        height: 2,
        kind: "text",
        properties: HclValue::obj([("markdown", HclValue::s(text))]),
        metrics: 0,
    }
}

/// Place widgets on the 24-column grid: left to right, wrapping, each section on a new row.
fn layout(sections: Vec<Vec<Widget>>) -> Vec<HclValue> {
    let mut out = Vec::new();
    let mut y = 0;
    for section in sections {
        let mut x = 0;
        let mut row_h = 0;
        for w in section {
            if x + w.width > GRID_COLUMNS {
                y += row_h;
                x = 0;
                row_h = 0;
            }
            out.push(HclValue::obj([
                ("type", HclValue::s(w.kind)),
                ("x", HclValue::n(x)),
                ("y", HclValue::n(y)),
                ("width", HclValue::n(w.width)),
                ("height", HclValue::n(w.height)),
                ("properties", w.properties),
            ]));
            x += w.width;
            row_h = row_h.max(w.height);
        }
        y += row_h;
    }
    out
}

/// Resolve the monitoring of a profile.
pub fn plan(profile: &Profile, tables: &[TablePlan], customers: u64) -> MonitoringPlan {
    let m = &profile.monitoring;
    let alarms = if m.alarms {
        alarms(profile, tables)
    } else {
        Vec::new()
    };
    let mut dashboards = Vec::new();
    if m.dashboard {
        // Split over several dashboards when one would exceed the service limits; each keeps
        // the section order, and a section never shares a row with the next.
        let mut parts: Vec<Vec<Vec<Widget>>> = Vec::new();
        let (mut widgets, mut metrics) = (0usize, 0usize);
        for section in sections(profile, tables, &alarms) {
            let mut started = false;
            for w in section {
                if parts.is_empty()
                    || widgets + 1 > MAX_WIDGETS
                    || metrics + w.metrics > MAX_METRICS
                {
                    parts.push(Vec::new());
                    widgets = 1; // the header
                    metrics = 0;
                    started = false;
                }
                let part = parts.last_mut().expect("a part");
                if !started {
                    part.push(Vec::new());
                    started = true;
                }
                widgets += 1;
                metrics += w.metrics;
                part.last_mut().expect("a section").push(w);
            }
        }
        let total = parts.len().max(1);
        if parts.is_empty() {
            let body = HclValue::obj([(
                "widgets",
                HclValue::List(layout(vec![vec![header(profile, customers, 1, 1)]])),
            )]);
            dashboards.push(Dashboard {
                label: "capacity".into(),
                name: prefixed("capacity"),
                body,
            });
        }
        for (i, part) in parts.into_iter().enumerate() {
            let mut secs = vec![vec![header(profile, customers, i + 1, total)]];
            secs.extend(part);
            let body = HclValue::obj([("widgets", HclValue::List(layout(secs)))]);
            let (label, name) = if i == 0 {
                ("capacity".to_owned(), prefixed("capacity"))
            } else {
                (
                    format!("capacity_{}", i + 1),
                    prefixed(&format!("capacity-{}", i + 1)),
                )
            };
            dashboards.push(Dashboard { label, name, body });
        }
    }
    let alarm_metrics = alarms.iter().map(Alarm::metric_count).sum();
    MonitoringPlan {
        dashboard_count: dashboards.len(),
        dashboards,
        alarms,
        sns: m.alarm_actions == AlarmActions::Sns,
        alarm_metrics,
    }
}

/// The alarm metrics [`plan`] would create, counted without building the alarms: per table
/// and GSI two throttle alarms, two ceiling alarms where capacity autoscales, per table the
/// system-errors alarm's operations, per function three, per API latency (1) and 5XX rate (2).
pub fn alarm_metric_count(profile: &Profile, tables: &[TablePlan]) -> u64 {
    let mut n = 0u64;
    for tp in tables
        .iter()
        .filter(|t| profile.tables[&t.key].alarms.enabled)
    {
        let ceilings = |provisioned: bool| if provisioned && tp.autoscaled { 2 } else { 0 };
        n += 2 + ceilings(tp.capacity.is_some());
        for ix in &tp.indexes {
            n += 2 + ceilings(ix.capacity.is_some());
        }
        n += SYSTEM_ERROR_OPERATIONS.len() as u64;
    }
    n + 3 * profile.lambdas.len() as u64 + 3 * profile.apis.len() as u64
}

/// Monitoring reduced to what the cost model needs: alarm metrics counted
/// ([`alarm_metric_count`], without building the alarms) and dashboards counted as the module
/// tier (`like`) counted them; none kept.
pub fn counts(profile: &Profile, tables: &[TablePlan], like: &super::ModulePlan) -> MonitoringPlan {
    let m = &profile.monitoring;
    MonitoringPlan {
        dashboards: Vec::new(),
        alarms: Vec::new(),
        sns: m.alarm_actions == AlarmActions::Sns,
        alarm_metrics: if m.alarms {
            alarm_metric_count(profile, tables)
        } else {
            0
        },
        dashboard_count: if m.dashboard {
            like.monitoring.dashboard_count
        } else {
            0
        },
    }
}

/// Check a dashboard body against CloudWatch's dashboard-body rules; returns every problem.
///
/// Widget types and required properties, metric arrays (namespace, name, dimension pairs, an
/// optional trailing options object), math expressions referring only to ids defined in the
/// same widget, ids unique and starting lower-case, grid positions inside 24 columns without
/// overlap, and the per-dashboard limits.
pub fn check_dashboard(body: &HclValue) -> Vec<String> {
    let mut problems = Vec::new();
    let Some(HclValue::List(widgets)) = body.get("widgets") else {
        return vec!["body has no `widgets` list".into()];
    };
    if widgets.len() > MAX_WIDGETS {
        problems.push(format!(
            "{} widgets; the limit is {MAX_WIDGETS}",
            widgets.len()
        ));
    }
    let mut cells: Vec<(i64, i64, i64, i64, usize)> = Vec::new();
    let mut total_metrics = 0;
    for (n, w) in widgets.iter().enumerate() {
        let ty = w.get("type").and_then(HclValue::as_str).unwrap_or("");
        let num = |k: &str| w.get(k).and_then(HclValue::as_i64);
        let (Some(x), Some(y), Some(wd), Some(ht)) =
            (num("x"), num("y"), num("width"), num("height"))
        else {
            problems.push(format!(
                "widget {n}: x, y, width and height must be whole numbers"
            ));
            continue;
        };
        if x < 0 || y < 0 || wd < 1 || ht < 1 || x + wd > GRID_COLUMNS || ht > 1000 {
            problems.push(format!(
                "widget {n}: ({x}, {y}) {wd}×{ht} is outside the 24-column grid"
            ));
        }
        for (m, &(ox, oy, ow, oh, _)) in cells.iter().enumerate() {
            if x < ox + ow && ox < x + wd && y < oy + oh && oy < y + ht {
                problems.push(format!("widget {n} overlaps widget {m}"));
            }
        }
        cells.push((x, y, wd, ht, n));
        let Some(props) = w.get("properties") else {
            problems.push(format!("widget {n}: no properties"));
            continue;
        };
        match ty {
            "text" => {
                if props.get("markdown").and_then(HclValue::as_str).is_none() {
                    problems.push(format!("widget {n}: a text widget needs `markdown`"));
                }
            }
            "alarm" => match props.get("alarms") {
                Some(HclValue::List(a)) if !a.is_empty() && a.len() <= MAX_ALARMS_PER_WIDGET => {}
                _ => problems.push(format!(
                    "widget {n}: an alarm widget needs 1–{MAX_ALARMS_PER_WIDGET} alarm ARNs"
                )),
            },
            "metric" => {
                if props.get("region").and_then(HclValue::as_str).is_none() {
                    problems.push(format!("widget {n}: a metric widget needs `region`"));
                }
                let Some(HclValue::List(rows)) = props.get("metrics") else {
                    problems.push(format!("widget {n}: a metric widget needs `metrics`"));
                    continue;
                };
                if rows.is_empty() || rows.len() > 500 {
                    problems.push(format!("widget {n}: {} metrics; 1–500 allowed", rows.len()));
                }
                total_metrics += rows.len();
                let mut ids: Vec<String> = Vec::new();
                let mut expressions: Vec<String> = Vec::new();
                for (r, row) in rows.iter().enumerate() {
                    let HclValue::List(items) = row else {
                        problems.push(format!("widget {n} metric {r}: not an array"));
                        continue;
                    };
                    let (opts, plain) = match items.last() {
                        Some(o @ HclValue::Object(_)) => (Some(o), &items[..items.len() - 1]),
                        _ => (None, &items[..]),
                    };
                    if let Some(expr) = opts
                        .and_then(|o| o.get("expression"))
                        .and_then(HclValue::as_str)
                    {
                        if !plain.is_empty() {
                            problems.push(format!("widget {n} metric {r}: an expression row holds only its options object"));
                        }
                        expressions.push(expr.to_owned());
                    } else {
                        if plain.len() < 2 || plain.len() % 2 != 0 {
                            problems.push(format!("widget {n} metric {r}: expected namespace, name and dimension name/value pairs"));
                        }
                        if plain.iter().take(2).any(|v| v.as_str().is_none()) {
                            problems.push(format!(
                                "widget {n} metric {r}: namespace and metric name must be strings"
                            ));
                        }
                        for pair in plain[2.min(plain.len())..].chunks(2) {
                            if pair[0].as_str().is_none() {
                                problems.push(format!(
                                    "widget {n} metric {r}: dimension names must be strings"
                                ));
                            }
                        }
                    }
                    if let Some(id) = opts.and_then(|o| o.get("id")).and_then(HclValue::as_str) {
                        if !id.chars().next().is_some_and(|c| c.is_ascii_lowercase())
                            || !id.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                        {
                            problems.push(format!("widget {n} metric {r}: id `{id}` must start with a lower-case letter and hold only letters, digits and _"));
                        }
                        if ids.contains(&id.to_owned()) {
                            problems.push(format!("widget {n}: id `{id}` used twice"));
                        }
                        ids.push(id.to_owned());
                    }
                }
                for e in expressions {
                    for word in e.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_')) {
                        let is_ident = word.chars().next().is_some_and(|c| c.is_ascii_lowercase());
                        if is_ident && !ids.iter().any(|i| i == word) {
                            problems.push(format!("widget {n}: expression `{e}` refers to `{word}`, which no metric in the widget defines"));
                        }
                    }
                }
            }
            other => problems.push(format!("widget {n}: unknown type `{other}`")),
        }
    }
    if total_metrics > MAX_METRICS {
        problems.push(format!(
            "{total_metrics} metrics; the limit is {MAX_METRICS} per dashboard"
        ));
    }
    problems
}

#[cfg(test)]
mod tests {
    #[test]
    fn counting_alarm_metrics_agrees_with_building_the_alarms() {
        for name in ["phase3b", "billing-platform", "helpdesk-staging"] {
            let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join(format!("profiles/{name}.yaml"));
            let l = crate::profile::load_file(&path).unwrap();
            for customers in [100, 10_000] {
                let p = crate::plan::plan_tier(&l.profile, name, customers, &Default::default());
                assert_eq!(
                    super::alarm_metric_count(&l.profile, &p.tables),
                    p.monitoring.alarm_metrics,
                    "{name} at {customers}"
                );
            }
        }
    }
}
