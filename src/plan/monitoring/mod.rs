//! Monitoring: the CloudWatch dashboard(s) and alarms, resolved from the profile.
//!
//! Every widget position, metric array, alarm threshold, period and description is decided
//! here; the template only prints the resources. [`check_dashboard`] checks a body against
//! CloudWatch's dashboard-body rules and is run by the tests on every shipped profile.

use serde::Serialize;

use super::TablePlan;
use super::value::{HclValue, Seg, Text};
use crate::profile::model::{AlarmActions, ApiKind, Profile};

mod alarms;
#[doc(hidden)]
pub mod check;
mod dashboard;

pub use alarms::alarms;
#[doc(hidden)]
pub use check::check_dashboard;
use dashboard::{Widget, header, layout, sections, summary, summary_header};

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
    /// Whether alarms notify SNS topics (`alarm_actions` is not `none`).
    pub sns: bool,
    /// Whether they notify a topic list per severity (`alarm_actions: by_severity`).
    pub by_severity: bool,
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
    /// The topics `alarm_actions` and `ok_actions` notify, an expression capform writes
    /// (`var.alarm_sns_topic_arns`, …), or none (`alarm_actions: none`).
    pub actions: Option<String>,
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
    /// The provider alias of the region the alarm lives in, for an alarm outside the primary
    /// region (`aws.eu_west_1`).
    pub provider: Option<String>,
    /// That region (`eu-west-1`): its SNS topics come from `replica_alarm_sns_topic_arns`.
    pub region: Option<String>,
}

/// How urgent an alarm is: with `alarm_actions: by_severity`, which topics it notifies.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Requests fail now (throttles, system errors, function errors, API 5XX, replication
    /// falling behind): someone should look at once.
    Critical,
    /// Heading for trouble (capacity near its maximum, slow calls, slow functions, slow APIs).
    Warning,
}

impl Severity {
    /// The severity of an alarm kind: one table, read by the alarms, the module README and
    /// the topic variables.
    pub fn of(kind: &str) -> Severity {
        match kind {
            "dynamodb-read-throttles"
            | "dynamodb-write-throttles"
            | "dynamodb-system-errors"
            | "dynamodb-replication-latency"
            | "lambda-errors"
            | "lambda-throttles"
            | "api-5xx-rate" => Severity::Critical,
            _ => Severity::Warning,
        }
    }

    /// `critical` or `warning`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Critical => "critical",
            Severity::Warning => "warning",
        }
    }
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
    /// `critical` (something fails now: page) or `warning` (heading for trouble: a ticket),
    /// from the alarm's kind.
    pub fn severity(&self) -> Severity {
        Severity::of(self.kind)
    }

    /// The alarm's period, seconds: its metric's, or a math alarm's first metric's (they all
    /// share one period).
    pub fn period(&self) -> u32 {
        self.metric
            .as_ref()
            .or_else(|| self.queries.iter().find_map(|q| q.metric.as_ref()))
            .map_or(60, |m| m.period)
    }

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
        HclValue::expr(format!("aws_dynamodb_table.{}.name", t.key)),
    )];
    if let Some(ix) = index {
        d.push(("GlobalSecondaryIndexName", HclValue::string(ix.to_owned())));
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

fn text(s: impl Into<String>) -> Seg {
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

fn api_dims(key: &str, kind: ApiKind) -> Vec<(&'static str, HclValue)> {
    match kind {
        ApiKind::Rest => vec![
            (
                "ApiName",
                HclValue::expr(format!("local.rest_apis[\"{key}\"].name")),
            ),
            (
                "Stage",
                HclValue::expr(format!("local.rest_apis[\"{key}\"].stage")),
            ),
        ],
        ApiKind::Http => vec![
            (
                "ApiId",
                HclValue::expr(format!("local.http_apis[\"{key}\"].api_id")),
            ),
            (
                "Stage",
                HclValue::expr(format!("local.http_apis[\"{key}\"].stage")),
            ),
        ],
    }
}

fn api_segs(key: &str, kind: ApiKind) -> Vec<Seg> {
    match kind {
        ApiKind::Rest => vec![
            Seg::Interp(format!("local.rest_apis[\"{key}\"].name")),
            text(" (stage "),
            Seg::Interp(format!("local.rest_apis[\"{key}\"].stage")),
            text(")"),
        ],
        ApiKind::Http => vec![
            Seg::Interp(format!("local.http_apis[\"{key}\"].api_id")),
            text(" (stage "),
            Seg::Interp(format!("local.http_apis[\"{key}\"].stage")),
            text(")"),
        ],
    }
}

/// Sections spread over as many dashboards as CloudWatch's limits ask for: each keeps the
/// section order, a section never shares a row with the next, and a section that fits on one
/// dashboard is not split over two (the header of each counts as a widget).
fn split(sections: Vec<Vec<Widget>>) -> Vec<Vec<Vec<Widget>>> {
    let mut parts: Vec<Vec<Vec<Widget>>> = Vec::new();
    let (mut widgets, mut metrics) = (0usize, 0usize);
    for section in sections {
        let mut started = false;
        // a section that fits on a dashboard of its own is not split over two
        let need = section.len();
        let need_metrics: usize = section.iter().map(|w| w.metrics).sum();
        if !parts.is_empty()
            && need < MAX_WIDGETS // with the header
            && need_metrics <= MAX_METRICS
            && (widgets + need > MAX_WIDGETS || metrics + need_metrics > MAX_METRICS)
        {
            parts.push(Vec::new());
            widgets = 1;
            metrics = 0;
        }
        for w in section {
            if parts.is_empty() || widgets + 1 > MAX_WIDGETS || metrics + w.metrics > MAX_METRICS {
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
    parts
}

/// The dashboards of `parts`, each under its header: labelled `base`, `base_2`, … and named
/// `<prefix>-base`, `<prefix>-base-2`, … (underscores in `base` become dashes in the name).
/// With no parts, one dashboard holding the header alone when `keep_empty`, else none.
fn assemble(
    parts: Vec<Vec<Vec<Widget>>>,
    base: &str,
    keep_empty: bool,
    header: impl Fn(usize, usize) -> Widget,
) -> Vec<Dashboard> {
    let mut parts = parts;
    if parts.is_empty() {
        if !keep_empty {
            return Vec::new();
        }
        parts.push(Vec::new());
    }
    let total = parts.len();
    let name = base.replace('_', "-");
    parts
        .into_iter()
        .enumerate()
        .map(|(i, part)| {
            let mut secs = vec![vec![header(i + 1, total)]];
            secs.extend(part);
            let body = HclValue::obj([("widgets", HclValue::List(layout(secs)))]);
            let (label, name) = if i == 0 {
                (base.to_owned(), prefixed(&name))
            } else {
                (
                    format!("{base}_{}", i + 1),
                    prefixed(&format!("{name}-{}", i + 1)),
                )
            };
            Dashboard { label, name, body }
        })
        .collect()
}

/// Resolve the monitoring of a profile.
pub fn resolve(profile: &Profile, tables: &[TablePlan], customers: u64) -> MonitoringPlan {
    let m = &profile.monitoring;
    let alarms = if m.alarms {
        alarms(profile, tables)
    } else {
        Vec::new()
    };
    let mut dashboards = Vec::new();
    if m.dashboard {
        dashboards.extend(assemble(
            split(sections(profile, tables, &alarms)),
            "capacity",
            true,
            |part, parts| header(profile, customers, part, parts),
        ));
    }
    if m.summary_dashboard && !tables.is_empty() {
        dashboards.extend(assemble(
            split(summary(profile, tables)),
            "capacity_summary",
            false,
            |part, parts| summary_header(profile, customers, m.dashboard, part, parts),
        ));
    }
    let alarm_metrics = alarms.iter().map(Alarm::metric_count).sum();
    MonitoringPlan {
        dashboard_count: dashboards.len(),
        dashboards,
        alarms,
        sns: m.alarm_actions != AlarmActions::None,
        by_severity: m.alarm_actions == AlarmActions::BySeverity,
        alarm_metrics,
    }
}

/// The alarm metrics [`resolve`] would create, counted without building the alarms: per table
/// and GSI two throttle alarms, two ceiling alarms where capacity autoscales, per table the
/// system-errors alarm's operations and its replicas' alarms, per function three, per API latency (1) and 5XX rate (2).
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
        // one p99 latency alarm per operation
        n += tp.operations.len() as u64;
        // each replica's two throttle alarms; replication latency between every two regions
        let replicas = tp.replicas.len() as u64;
        n += 2 * replicas + (replicas + 1) * replicas;
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
        sns: m.alarm_actions != AlarmActions::None,
        by_severity: m.alarm_actions == AlarmActions::BySeverity,
        alarm_metrics: if m.alarms {
            alarm_metric_count(profile, tables)
        } else {
            0
        },
        // the same tables in every tier: as many dashboards as the module tier has
        dashboard_count: like.monitoring.dashboard_count,
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn counting_alarm_metrics_agrees_with_building_the_alarms() {
        for name in [
            "phase3b",
            "billing-platform",
            "helpdesk-staging",
            "global-saas",
        ] {
            let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join(format!("profiles/{name}.yaml"));
            let l = crate::profile::load_file(&path).unwrap();
            for customers in [100, 10_000] {
                let p = crate::plan::resolve_tier(&l.profile, name, customers, &Default::default());
                assert_eq!(
                    super::alarm_metric_count(&l.profile, &p.tables),
                    p.monitoring.alarm_metrics,
                    "{name} at {customers}"
                );
            }
        }
    }
}
