//! The dashboard: its sections of widgets, laid out on CloudWatch's 24-column grid.

use super::*;

/// A widget before layout.
pub(super) struct Widget {
    width: i64,
    height: i64,
    kind: &'static str,
    properties: HclValue,
    pub(super) metrics: usize,
}

fn metric_row(
    namespace: impl Into<Text>,
    name: impl Into<Text>,
    dims: &[(&'static str, HclValue)],
    opts: Vec<(&'static str, HclValue)>,
) -> HclValue {
    let mut v = vec![HclValue::string(namespace), HclValue::string(name)];
    for (k, val) in dims {
        v.push(HclValue::string(*k));
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
            ("id", HclValue::string(id)),
            ("stat", HclValue::string(stat)),
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
        ("expression", HclValue::string(expression)),
        ("label", HclValue::string(label)),
        ("id", HclValue::string(id)),
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
        ("title", HclValue::string(title)),
        ("region", HclValue::string(region.to_owned())),
        ("view", HclValue::string("timeSeries")),
        ("stacked", HclValue::Bool(false)),
        ("period", HclValue::number(300)),
        ("stat", HclValue::string(stat)),
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

/// The dashboard's sections, in the order operators read them: alarm status, Lambda, DynamoDB
/// capacity, APIs, business metrics.
pub(super) fn sections(
    profile: &Profile,
    tables: &[TablePlan],
    alarms: &[Alarm],
) -> Vec<Vec<Widget>> {
    let mut out = alarm_status(alarms);
    out.extend(lambda(profile));
    out.extend(dynamodb(profile, tables));
    out.extend(global_tables(profile, tables));
    out.extend(apis(profile));
    out.extend(business(profile));
    out
}

/// The alarm status widget(s).
fn alarm_status(alarms: &[Alarm]) -> Vec<Vec<Widget>> {
    let mut sections: Vec<Vec<Widget>> = Vec::new();
    // alarm status
    if !alarms.is_empty() {
        // the alarms of the dashboard's region: the alarm widget shows no other region's
        let arns: Vec<HclValue> = alarms
            .iter()
            .filter(|a| a.provider.is_none())
            .map(|a| HclValue::expr(format!("aws_cloudwatch_metric_alarm.{}.arn", a.label)))
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
                        ("sortBy", HclValue::string("stateUpdatedTimestamp")),
                    ]),
                    metrics: 0,
                })
                .collect(),
        );
    }
    sections
}

/// 1–2. Lambda duration, errors and throttles per function.
fn lambda(profile: &Profile) -> Vec<Vec<Widget>> {
    let region = profile.region.as_str();
    let mut sections: Vec<Vec<Widget>> = Vec::new();
    // 1. Lambda duration per function
    let fdim = |k: &str| {
        vec![(
            "FunctionName",
            HclValue::expr(format!("local.lambda_function_names[\"{k}\"]")),
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
                                    ("stat", HclValue::string(*s)),
                                    (
                                        "label",
                                        HclValue::string(
                                            s.to_lowercase().replace("average", "avg"),
                                        ),
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
                    vec![(
                        "label",
                        HclValue::string(format!("{k} {}", m.to_lowercase())),
                    )],
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
    sections
}

/// The AWS console of a region: `https://us-east-1.console.aws.amazon.com`, or the China and
/// GovCloud consoles for their partitions.
pub(super) fn console(region: &str) -> String {
    let host = match crate::profile::check::partition(region) {
        Some("aws-cn") => "console.amazonaws.cn",
        Some("aws-us-gov") => "console.amazonaws-us-gov.com",
        _ => "console.aws.amazon.com",
    };
    format!("https://{region}.{host}")
}

/// `SuccessfulRequestLatency` of each of the table's operations, labelled by `label`.
fn latency_rows(tp: &TablePlan, label: impl Fn(&str) -> String) -> Vec<HclValue> {
    tp.operations
        .iter()
        .map(|op| {
            let mut dims = table_dims(tp, None);
            dims.push(("Operation", HclValue::string(*op)));
            metric_row(
                "AWS/DynamoDB",
                "SuccessfulRequestLatency",
                &dims,
                vec![("label", HclValue::string(label(op)))],
            )
        })
        .collect()
}

/// The header of a table's section: its name, linked to the table in the DynamoDB console,
/// and to its alarms (alarm names start with the table's name) in the CloudWatch console.
fn table_header(region: &str, tp: &TablePlan) -> Widget {
    use super::super::value::Seg;
    let console = console(region);
    let name = format!("aws_dynamodb_table.{}.name", tp.key);
    let markdown = HclValue::Template(vec![
        Seg::Text(format!("### Table {} · [", tp.key)),
        Seg::Interp(name.clone()),
        Seg::Text(format!(
            " in the DynamoDB console]({console}/dynamodbv2/home?region={region}#table?name="
        )),
        Seg::Interp(name.clone()),
        Seg::Text(format!(
            ") · [its alarms]({console}/cloudwatch/home?region={region}#alarmsV2:?search="
        )),
        Seg::Interp(name),
        Seg::Text(")".into()),
    ]);
    Widget {
        width: GRID_COLUMNS,
        height: 1,
        kind: "text",
        properties: HclValue::obj([("markdown", markdown)]),
        metrics: 0,
    }
}

/// Section 3, DynamoDB capacity: consumed vs provisioned, and utilization, per table and
/// index; each table a section of its own, under its header.
fn dynamodb(profile: &Profile, tables: &[TablePlan]) -> Vec<Vec<Widget>> {
    let region = profile.region.as_str();
    let mut sections: Vec<Vec<Widget>> = Vec::new();
    for tp in tables {
        let mut dyn_widgets = vec![table_header(region, tp)];
        let mut subjects: Vec<(Option<&str>, String, Option<&crate::plan::Provisioned>)> =
            vec![(None, tp.key.clone(), tp.capacity.as_ref())];
        for ix in &tp.indexes {
            subjects.push((
                Some(ix.name.as_str()),
                format!("{} / {}", tp.key, ix.name),
                ix.capacity.as_ref(),
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
            if provisioned.is_some() {
                rows.push(metric_row(
                    "AWS/DynamoDB",
                    "ProvisionedReadCapacityUnits",
                    &dims,
                    vec![
                        ("id", HclValue::string("pr")),
                        ("stat", HclValue::string("Average")),
                        ("label", HclValue::string("provisioned RCU")),
                    ],
                ));
                rows.push(metric_row(
                    "AWS/DynamoDB",
                    "ProvisionedWriteCapacityUnits",
                    &dims,
                    vec![
                        ("id", HclValue::string("pw")),
                        ("stat", HclValue::string("Average")),
                        ("label", HclValue::string("provisioned WCU")),
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
            if let Some(cap) = provisioned {
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
                // one target line, or one per dimension when they differ
                let (read, write) = (cap.read.tracking.target, cap.write.tracking.target);
                let line = |label: &'static str, value: u32| {
                    HclValue::obj([
                        ("label", HclValue::string(label)),
                        ("value", HclValue::number(value)),
                    ])
                };
                let lines = if read == write {
                    vec![line("target", read)]
                } else {
                    vec![line("read target", read), line("write target", write)]
                };
                let target = HclValue::obj([("horizontal", HclValue::List(lines))]);
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
                                HclValue::obj([
                                    ("min", HclValue::number(0)),
                                    ("max", HclValue::number(100)),
                                ]),
                            )]),
                        ),
                    ],
                ));
            }
        }
        // p99 latency of each operation the application calls on the table
        if !tp.operations.is_empty() {
            let rows = latency_rows(tp, |op| format!("{op} p99"));
            dyn_widgets.push(graph(
                format!("Latency p99 (ms): {}", tp.key),
                region,
                12,
                "p99",
                rows,
                vec![],
            ));
        }
        sections.push(dyn_widgets);
    }
    sections
}

/// 3b. Global tables: each replica's consumed and provisioned capacity, and replication from
/// each region to every other (latency and pending items). Every metric names the region it
/// is published in (its rendering option `region`), and so does its widget.
fn global_tables(profile: &Profile, tables: &[TablePlan]) -> Vec<Vec<Widget>> {
    let mut widgets = Vec::new();
    for tp in tables.iter().filter(|t| !t.replicas.is_empty()) {
        let dims = table_dims(tp, None);
        for r in &tp.replicas {
            let at = |mut opts: Vec<(&'static str, HclValue)>| {
                opts.push(("region", HclValue::string(r.region.clone())));
                opts
            };
            let hidden = |name: &'static str, id: &'static str| {
                metric_row(
                    "AWS/DynamoDB",
                    name,
                    &dims,
                    at(vec![
                        ("id", HclValue::string(id)),
                        ("stat", HclValue::string("Sum")),
                        ("visible", HclValue::Bool(false)),
                    ]),
                )
            };
            let mut rows = vec![
                hidden("ConsumedReadCapacityUnits", "cr"),
                hidden("ConsumedWriteCapacityUnits", "cw"),
                expr_row("cr / PERIOD(cr)", "consumed RCU/s", "rcu", vec![]),
                expr_row("cw / PERIOD(cw)", "consumed WCU/s", "wcu", vec![]),
            ];
            if tp.capacity.is_some() {
                for (name, id, label) in [
                    ("ProvisionedReadCapacityUnits", "pr", "provisioned RCU"),
                    ("ProvisionedWriteCapacityUnits", "pw", "provisioned WCU"),
                ] {
                    rows.push(metric_row(
                        "AWS/DynamoDB",
                        name,
                        &dims,
                        at(vec![
                            ("id", HclValue::string(id)),
                            ("stat", HclValue::string("Average")),
                            ("label", HclValue::string(label)),
                        ]),
                    ));
                }
            }
            widgets.push(graph(
                format!("Capacity: {} in {}", tp.key, r.region),
                &r.region,
                12,
                "Sum",
                rows,
                vec![],
            ));
        }
        let pairs = super::alarms::replication_pairs(profile, tp);
        let mut sending: Vec<&String> = Vec::new();
        for (from, _) in &pairs {
            if !sending.contains(&from) {
                sending.push(from);
            }
        }
        for from in sending {
            let mut rows = Vec::new();
            for (_, to) in pairs.iter().filter(|(f, _)| f == from) {
                let mut d = dims.clone();
                d.push(("ReceivingRegion", HclValue::string(to.clone())));
                rows.push(metric_row(
                    "AWS/DynamoDB",
                    "ReplicationLatency",
                    &d,
                    vec![
                        ("stat", HclValue::string("Average")),
                        ("label", HclValue::string(format!("latency to {to} (ms)"))),
                        ("region", HclValue::string(from.clone())),
                    ],
                ));
                rows.push(metric_row(
                    "AWS/DynamoDB",
                    "PendingReplicationCount",
                    &d,
                    vec![
                        ("stat", HclValue::string("Sum")),
                        ("label", HclValue::string(format!("pending to {to}"))),
                        ("region", HclValue::string(from.clone())),
                        ("yAxis", HclValue::string("right")),
                    ],
                ));
            }
            widgets.push(graph(
                format!("Replication: {} from {from}", tp.key),
                from,
                12,
                "Average",
                rows,
                vec![],
            ));
        }
    }
    if widgets.is_empty() {
        Vec::new()
    } else {
        vec![widgets]
    }
}

/// 4. API latency and requests; 5. cache hit rate.
fn apis(profile: &Profile) -> Vec<Vec<Widget>> {
    let region = profile.region.as_str();
    let mut sections: Vec<Vec<Widget>> = Vec::new();
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
                                    ("stat", HclValue::string(*s)),
                                    ("label", HclValue::string(format!("latency {s}"))),
                                ],
                            )
                        })
                        .collect();
                    rows.push(metric_row(
                        "AWS/ApiGateway",
                        "Count",
                        &dims,
                        vec![
                            ("stat", HclValue::string("Sum")),
                            ("label", HclValue::string("requests")),
                            ("yAxis", HclValue::string("right")),
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
                            ("id", HclValue::string("hits")),
                            ("stat", HclValue::string("Sum")),
                            ("visible", HclValue::Bool(false)),
                        ],
                    ),
                    metric_row(
                        "AWS/ApiGateway",
                        "CacheMissCount",
                        &dims,
                        vec![
                            ("id", HclValue::string("misses")),
                            ("stat", HclValue::string("Sum")),
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
                            HclValue::obj([
                                ("min", HclValue::number(0)),
                                ("max", HclValue::number(100)),
                            ]),
                        )]),
                    )],
                )
            })
            .collect();
        if !cached.is_empty() {
            sections.push(cached);
        }
    }
    sections
}

/// 6. Business metrics.
fn business(profile: &Profile) -> Vec<Vec<Widget>> {
    let region = profile.region.as_str();
    let mut sections: Vec<Vec<Widget>> = Vec::new();
    // 6. business metrics
    if !profile.business_metrics.is_empty() {
        let rows: Vec<HclValue> = profile
            .business_metrics
            .iter()
            .map(|m| {
                let mut v = vec![
                    HclValue::string(m.namespace.clone()),
                    HclValue::string(m.metric.clone()),
                ];
                v.push(HclValue::obj([
                    ("stat", HclValue::string(m.stat.clone())),
                    (
                        "label",
                        HclValue::string(m.label.clone().unwrap_or_else(|| m.metric.clone())),
                    ),
                ]));
                HclValue::List(v)
            })
            .collect();
        sections.push(full_width_graphs("Business metrics", region, "Sum", rows));
    }
    sections
}

/// Which profile and tier a dashboard shows: one sentence, in both dashboards' headers.
fn tier_line(profile: &Profile, customers: u64) -> String {
    format!(
        "Profile `{}` at {} customers, {} ({}).",
        profile.name,
        customers,
        profile.environment.as_str(),
        profile.region
    )
}

pub(super) fn header(profile: &Profile, customers: u64, part: usize, parts: usize) -> Widget {
    let mut text = format!(
        "## {}: capacity and health\n{} Generated by capform: ranges and thresholds come from the profile.",
        profile.name,
        tier_line(profile, customers)
    );
    if parts > 1 {
        text.push_str(&format!(" Dashboard {part} of {parts}."));
    }
    // the module's alarms are named after its prefix
    use super::super::value::Seg;
    let region = profile.region.as_str();
    let markdown = HclValue::Template(vec![
        Seg::Text(format!(
            "{text} [Its alarms in the CloudWatch console]({}/cloudwatch/home?region={region}#alarmsV2:?search=",
            console(region)
        )),
        Seg::Interp("var.name_prefix".into()),
        Seg::Text(").".into()),
    ]);
    Widget {
        width: GRID_COLUMNS,
        height: 2,
        kind: "text",
        properties: HclValue::obj([("markdown", markdown)]),
        metrics: 0,
    }
}

/// Place widgets on the 24-column grid: left to right, wrapping, each section on a new row.
pub(super) fn layout(sections: Vec<Vec<Widget>>) -> Vec<HclValue> {
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
                ("type", HclValue::string(w.kind)),
                ("x", HclValue::number(x)),
                ("y", HclValue::number(y)),
                ("width", HclValue::number(w.width)),
                ("height", HclValue::number(w.height)),
                ("properties", w.properties),
            ]));
            x += w.width;
            row_h = row_h.max(w.height);
        }
        y += row_h;
    }
    out
}

/// The summary dashboard's rows: one per table, four quarter-width graphs: the table's
/// capacity utilization (or, on demand, the units consumed), throttled requests of the table
/// and its indexes summed, system errors, p99 latency per operation. The detail dashboard has
/// the per-index breakdown; this one answers "which table is unwell" at a glance.
pub(super) fn summary(profile: &Profile, tables: &[TablePlan]) -> Vec<Vec<Widget>> {
    let region = profile.region.as_str();
    let quarter = GRID_COLUMNS / 4;
    tables
        .iter()
        .map(|tp| {
            let mut row = vec![
                summary_capacity(region, tp, quarter),
                summary_throttles(region, tp, quarter),
                summary_errors(region, tp, quarter),
            ];
            if !tp.operations.is_empty() {
                let rows = latency_rows(tp, |op| op.to_owned());
                row.push(graph(
                    format!("{}: latency p99 (ms)", tp.key),
                    region,
                    quarter,
                    "p99",
                    rows,
                    vec![],
                ));
            }
            row
        })
        .collect()
}

fn percent_axis() -> (&'static str, HclValue) {
    (
        "yAxis",
        HclValue::obj([(
            "left",
            HclValue::obj([("min", HclValue::number(0)), ("max", HclValue::number(100))]),
        )]),
    )
}

/// Read and write utilization % of the table (provisioned), or its consumed units per second
/// (on demand, with its maximum as a line when the profile caps it).
fn summary_capacity(region: &str, tp: &TablePlan, width: i64) -> Widget {
    let dims = table_dims(tp, None);
    let mut rows = vec![
        hidden_row(&dims, "ConsumedReadCapacityUnits", "cr", "Sum"),
        hidden_row(&dims, "ConsumedWriteCapacityUnits", "cw", "Sum"),
    ];
    if let Some(cap) = &tp.capacity {
        rows.push(hidden_row(
            &dims,
            "ProvisionedReadCapacityUnits",
            "pr",
            "Average",
        ));
        rows.push(hidden_row(
            &dims,
            "ProvisionedWriteCapacityUnits",
            "pw",
            "Average",
        ));
        rows.push(expr_row(
            "100 * (cr / PERIOD(cr)) / pr",
            "read %",
            "ur",
            vec![],
        ));
        rows.push(expr_row(
            "100 * (cw / PERIOD(cw)) / pw",
            "write %",
            "uw",
            vec![],
        ));
        let (read, write) = (cap.read.tracking.target, cap.write.tracking.target);
        let mut lines = vec![HclValue::obj([
            (
                "label",
                HclValue::string(if read == write {
                    "target"
                } else {
                    "read target"
                }),
            ),
            ("value", HclValue::number(read)),
        ])];
        if read != write {
            lines.push(HclValue::obj([
                ("label", HclValue::string("write target")),
                ("value", HclValue::number(write)),
            ]));
        }
        graph(
            format!("{}: utilization %", tp.key),
            region,
            width,
            "Sum",
            rows,
            vec![
                (
                    "annotations",
                    HclValue::obj([("horizontal", HclValue::List(lines))]),
                ),
                percent_axis(),
            ],
        )
    } else {
        rows.push(expr_row("cr / PERIOD(cr)", "read units/s", "rcu", vec![]));
        rows.push(expr_row("cw / PERIOD(cw)", "write units/s", "wcu", vec![]));
        let mut extra = Vec::new();
        if let Some(max) = &tp.on_demand_max {
            let lines: Vec<HclValue> = [("max read", max.read), ("max write", max.write)]
                .into_iter()
                .filter_map(|(label, v)| {
                    v.map(|v| {
                        HclValue::obj([
                            ("label", HclValue::string(label)),
                            ("value", HclValue::number(v)),
                        ])
                    })
                })
                .collect();
            if !lines.is_empty() {
                extra.push((
                    "annotations",
                    HclValue::obj([("horizontal", HclValue::List(lines))]),
                ));
            }
        }
        graph(
            format!("{}: consumed units/s (on demand)", tp.key),
            region,
            width,
            "Sum",
            rows,
            extra,
        )
    }
}

/// Throttled reads and writes of the table and all its indexes, summed into two lines.
fn summary_throttles(region: &str, tp: &TablePlan, width: i64) -> Widget {
    let mut subjects = vec![None];
    subjects.extend(tp.indexes.iter().map(|ix| Some(ix.name.as_str())));
    let mut rows = Vec::new();
    let (mut reads, mut writes) = (Vec::new(), Vec::new());
    for (i, index) in subjects.into_iter().enumerate() {
        let dims = table_dims(tp, index);
        for (metric, prefix, ids) in [
            ("ReadThrottleEvents", "tr", &mut reads),
            ("WriteThrottleEvents", "tw", &mut writes),
        ] {
            let id = format!("{prefix}{i}");
            rows.push(metric_row(
                "AWS/DynamoDB",
                metric,
                &dims,
                vec![
                    ("id", HclValue::string(id.clone())),
                    ("stat", HclValue::string("Sum")),
                    ("visible", HclValue::Bool(false)),
                ],
            ));
            ids.push(id);
        }
    }
    let sum = |ids: &[String]| format!("SUM([{}])", ids.join(", "));
    rows.push(expr_row(sum(&reads), "read throttles", "reads", vec![]));
    rows.push(expr_row(sum(&writes), "write throttles", "writes", vec![]));
    graph(
        format!("{}: throttled requests", tp.key),
        region,
        width,
        "Sum",
        rows,
        vec![],
    )
}

/// HTTP 500s of the table, summed over the operations its system-errors alarm watches.
fn summary_errors(region: &str, tp: &TablePlan, width: i64) -> Widget {
    let mut rows: Vec<HclValue> = SYSTEM_ERROR_OPERATIONS
        .iter()
        .enumerate()
        .map(|(i, op)| {
            let mut dims = table_dims(tp, None);
            dims.push(("Operation", HclValue::string(*op)));
            metric_row(
                "AWS/DynamoDB",
                "SystemErrors",
                &dims,
                vec![
                    ("id", HclValue::string(format!("e{i}"))),
                    ("stat", HclValue::string("Sum")),
                    ("visible", HclValue::Bool(false)),
                ],
            )
        })
        .collect();
    let ids: Vec<String> = (0..SYSTEM_ERROR_OPERATIONS.len())
        .map(|i| format!("e{i}"))
        .collect();
    rows.push(expr_row(
        format!("SUM([{}])", ids.join(", ")),
        "system errors",
        "errors",
        vec![],
    ));
    graph(
        format!("{}: system errors", tp.key),
        region,
        width,
        "Sum",
        rows,
        vec![],
    )
}

/// The summary dashboard's header: what it is, and a link to the detail dashboard (when the
/// module has one) and to the module's alarms.
pub(super) fn summary_header(
    profile: &Profile,
    customers: u64,
    detail: bool,
    part: usize,
    parts: usize,
) -> Widget {
    use super::super::value::Seg;
    let region = profile.region.as_str();
    let console = console(region);
    let mut text = format!(
        "## {}: summary\nOne row per table: utilization, throttles, system errors, p99 latency. {}",
        profile.name,
        tier_line(profile, customers)
    );
    if parts > 1 {
        text.push_str(&format!(" Summary {part} of {parts}."));
    }
    let mut segs = Vec::new();
    if detail {
        segs.push(Seg::Text(format!(
            "{text} [The detail dashboard]({console}/cloudwatch/home?region={region}#dashboards/dashboard/"
        )));
        segs.push(Seg::Interp("var.name_prefix".into()));
        segs.push(Seg::Text(
            "-capacity) · [its alarms in the CloudWatch console](".into(),
        ));
    } else {
        segs.push(Seg::Text(format!(
            "{text} [Its alarms in the CloudWatch console]("
        )));
    }
    segs.push(Seg::Text(format!(
        "{console}/cloudwatch/home?region={region}#alarmsV2:?search="
    )));
    segs.push(Seg::Interp("var.name_prefix".into()));
    segs.push(Seg::Text(").".into()));
    // adjacent text merged, as every template capform builds
    let markdown = desc(segs);
    Widget {
        width: GRID_COLUMNS,
        height: 2,
        kind: "text",
        properties: HclValue::obj([("markdown", markdown)]),
        metrics: 0,
    }
}
