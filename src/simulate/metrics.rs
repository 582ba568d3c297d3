//! Real traffic for `capform simulate --metrics FILE`: the output of
//! `aws cloudwatch get-metric-data`, each series labelled `TABLE[/INDEX]:METRIC` (the labels
//! are set in the query; README § Simulate gives it, and `capform simulate --metrics-query`
//! prints it for a profile).
//!
//! Demand per period is what the table consumed plus what it refused:
//! `Consumed…CapacityUnits + …ThrottleEvents × units per request` (each series is a `Sum` per
//! period; the period is read from the timestamps), spread evenly over the period's minutes.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use crate::diag::{Diagnostic, Pos};
use crate::profile::model::Profile;
use crate::rules::RuleId;

/// The metrics a series may carry.
pub const METRICS: [&str; 4] = [
    "ConsumedReadCapacityUnits",
    "ConsumedWriteCapacityUnits",
    "ReadThrottleEvents",
    "WriteThrottleEvents",
];

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Output {
    metric_data_results: Vec<Result_>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Result_ {
    #[serde(default)]
    label: String,
    #[serde(default)]
    timestamps: Vec<String>,
    #[serde(default)]
    values: Vec<f64>,
}

/// One dimension's recorded traffic, minute by minute.
#[derive(Clone, Debug, PartialEq)]
pub struct Recorded {
    /// The table's profile key.
    pub table: String,
    /// The index, `None` for the table.
    pub index: Option<String>,
    /// `true` for reads.
    pub read: bool,
    /// Units consumed per second, per minute.
    pub consumed: Vec<f64>,
    /// Requests throttled per second, per minute.
    pub throttled: Vec<f64>,
}

/// A metrics file read onto one minute grid.
#[derive(Clone, Debug, PartialEq)]
pub struct Replay {
    /// The first timestamp (RFC 3339).
    pub start: String,
    /// Minutes from the first timestamp to the end of the last period.
    pub minutes: u32,
    /// The period of the series, seconds.
    pub period: u64,
    /// Every dimension the file has a series for.
    pub series: Vec<Recorded>,
}

fn problem(file: &str, message: String) -> Vec<Diagnostic> {
    vec![Diagnostic::new(
        RuleId::CF002,
        file,
        Pos::default(),
        "",
        message,
    )]
}

/// Read a metrics file for `profile`.
pub fn load(path: &Path, profile: &Profile) -> Result<Replay, Vec<Diagnostic>> {
    let file = path.display().to_string();
    let bytes = crate::input::read_limited(path, 256 * 1024 * 1024).map_err(|e| {
        vec![Diagnostic::new(
            RuleId::CF001,
            &file,
            Pos::default(),
            "",
            e.to_string(),
        )]
    })?;
    let text = String::from_utf8(bytes)
        .map_err(|_| problem(&file, "the metrics file is not UTF-8 text".into()))?;
    parse(&file, &text, profile)
}

/// [`load`] on text.
pub fn parse(file: &str, text: &str, profile: &Profile) -> Result<Replay, Vec<Diagnostic>> {
    let out: Output = serde_json::from_str(text).map_err(|e| {
        vec![Diagnostic::new(
            RuleId::CF002,
            file,
            Pos {
                line: e.line() as u64,
                column: e.column() as u64,
            },
            "",
            format!("not the JSON `aws cloudwatch get-metric-data` writes: {e}"),
        )]
    })?;
    let mut errors = Vec::new();
    // (table, index, read) → (consumed, throttled) as (epoch second, sum) points
    type Points = Vec<(i64, f64)>;
    let mut found: BTreeMap<(String, Option<String>, bool), (Points, Points)> = BTreeMap::new();
    for (i, r) in out.metric_data_results.iter().enumerate() {
        let at = format!("MetricDataResults[{i}]");
        let Some((subject, metric)) = r.label.rsplit_once(':') else {
            errors.push(format!(
                "{at}: label `{}` is not `TABLE[/INDEX]:METRIC`",
                crate::text::printable(&r.label)
            ));
            continue;
        };
        if !METRICS.contains(&metric) {
            errors.push(format!(
                "{at}: metric `{}` is not one of {}",
                crate::text::printable(metric),
                METRICS.join(", ")
            ));
            continue;
        }
        let (table, index) = match subject.split_once('/') {
            Some((t, i)) => (t, Some(i.to_owned())),
            None => (subject, None),
        };
        // the profile key, or the table's full name
        let key = profile
            .tables
            .iter()
            .find(|(k, t)| k.as_str() == table || profile.table_name(k, t) == table)
            .map(|(k, _)| k.clone());
        let Some(key) = key else {
            errors.push(format!(
                "{at}: the profile has no table `{}`",
                crate::text::printable(table)
            ));
            continue;
        };
        if let Some(ix) = &index
            && !profile.tables[&key].indexes.contains_key(ix)
        {
            errors.push(format!(
                "{at}: table `{key}` has no global secondary index `{}`",
                crate::text::printable(ix)
            ));
            continue;
        }
        if r.timestamps.len() != r.values.len() {
            errors.push(format!(
                "{at}: {} timestamps but {} values",
                r.timestamps.len(),
                r.values.len()
            ));
            continue;
        }
        let mut points = Vec::new();
        for (ts, v) in r.timestamps.iter().zip(&r.values) {
            match chrono::DateTime::parse_from_rfc3339(ts) {
                Ok(t) if v.is_finite() && *v >= 0.0 => points.push((t.timestamp(), *v)),
                Ok(_) => errors.push(format!("{at}: value {v} is not a count")),
                Err(e) => errors.push(format!(
                    "{at}: timestamp `{}`: {e}",
                    crate::text::printable(ts)
                )),
            }
        }
        let read = metric.contains("Read");
        let entry = found.entry((key, index, read)).or_default();
        if metric.starts_with("Consumed") {
            entry.0.extend(points);
        } else {
            entry.1.extend(points);
        }
    }
    if !errors.is_empty() {
        return Err(errors
            .into_iter()
            .map(|m| problem(file, m).remove(0))
            .collect());
    }
    let mut times: Vec<i64> = found
        .values()
        .flat_map(|(c, t)| c.iter().chain(t).map(|p| p.0))
        .collect();
    times.sort_unstable();
    times.dedup();
    if times.is_empty() {
        return Err(problem(file, "the file holds no datapoints".into()));
    }
    // The period: the smallest gap between timestamps (CloudWatch omits empty periods).
    let period = times.windows(2).map(|w| w[1] - w[0]).min().unwrap_or(60);
    if period < 60 || period % 60 != 0 {
        return Err(problem(
            file,
            format!(
                "the datapoints are {period} s apart; the replay needs periods of whole minutes (query with `\"Period\": 60` or a multiple)"
            ),
        ));
    }
    let start = times[0];
    let end = times[times.len() - 1] + period;
    let minutes = ((end - start) / 60) as usize;
    if minutes > 10_080 * 5 {
        return Err(problem(
            file,
            format!("the datapoints span {minutes} minutes; at most five weeks are replayed"),
        ));
    }
    let per_minute = |points: &[(i64, f64)]| {
        let mut out = vec![0.0; minutes];
        for &(t, sum) in points {
            let first = ((t - start) / 60) as usize;
            let n = (period / 60) as usize;
            for m in out.iter_mut().skip(first).take(n) {
                *m += sum / period as f64;
            }
        }
        out
    };
    let series = found
        .into_iter()
        .map(|((table, index, read), (c, t))| Recorded {
            table,
            index,
            read,
            consumed: per_minute(&c),
            throttled: per_minute(&t),
        })
        .collect();
    Ok(Replay {
        start: chrono::DateTime::from_timestamp(start, 0)
            .map(|d| d.format("%Y-%m-%dT%H:%M:%SZ").to_string())
            .unwrap_or_default(),
        minutes: minutes as u32,
        period: period as u64,
        series,
    })
}

/// The `--metric-data-queries` document that fetches, for every table and index of the
/// profile, the four series a replay reads (1-minute sums, labelled as [`parse`] expects).
pub fn queries(profile: &Profile) -> serde_json::Value {
    let mut out = Vec::new();
    for (key, t) in &profile.tables {
        let name = profile.table_name(key, t);
        let mut subjects = vec![(key.clone(), None)];
        subjects.extend(t.indexes.keys().map(|ix| (key.clone(), Some(ix.clone()))));
        for (table, index) in subjects {
            for metric in METRICS {
                let mut dims = vec![serde_json::json!({"Name": "TableName", "Value": name})];
                let label = match &index {
                    Some(ix) => {
                        dims.push(
                            serde_json::json!({"Name": "GlobalSecondaryIndexName", "Value": ix}),
                        );
                        format!("{table}/{ix}:{metric}")
                    }
                    None => format!("{table}:{metric}"),
                };
                out.push(serde_json::json!({
                    "Id": format!("m{}", out.len()),
                    "Label": label,
                    "MetricStat": {
                        "Metric": {"Namespace": "AWS/DynamoDB", "MetricName": metric, "Dimensions": dims},
                        "Period": 60,
                        "Stat": "Sum"
                    },
                    "ReturnData": true
                }));
            }
        }
    }
    serde_json::Value::Array(out)
}
