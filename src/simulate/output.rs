//! `capform simulate`'s text table, Markdown and JSON. The JSON is versioned (`"version": 1`)
//! and only ever gains fields; README § Simulate documents each.

use serde_json::{Value, json};

use super::{Dim, Failure, Run};

fn name(table: &str, index: Option<&str>) -> String {
    match index {
        Some(ix) => format!("{table} / {ix}"),
        None => table.to_owned(),
    }
}

/// `mm:ss` from the start (`h:mm:ss` past an hour).
pub fn clock(second: u64) -> String {
    let (h, m, s) = (second / 3600, second / 60 % 60, second % 60);
    if h > 0 {
        format!("{h}:{m:02}:{s:02}")
    } else {
        format!("{m:02}:{s:02}")
    }
}

/// A count of requests as printed: whole requests, rounded up (any part of one was refused).
pub fn requests(n: f64) -> String {
    let whole = n.ceil() as u64;
    crate::present::count(whole)
}

/// What a failed expectation says: scenario, table or index, dimension, and by how much.
pub fn failure_text(scenario: &str, f: &Failure) -> String {
    format!(
        "{scenario}: {} {}s: {} throttled requests, {} allowed ({} over)",
        name(&f.table, f.index.as_deref()),
        f.dimension,
        requests(f.throttled_requests),
        crate::present::count(f.allowed),
        requests((f.throttled_requests - f.allowed as f64).max(0.0)),
    )
}

fn verdict(run: &Run) -> &'static str {
    if run.spec.expect.throttled_requests.is_none() {
        "no expectations"
    } else if run.passed() {
        "expectations met"
    } else {
        "EXPECTATIONS NOT MET"
    }
}

fn rows(run: &Run) -> Vec<[String; 9]> {
    let mut rows = Vec::new();
    for s in &run.subjects {
        for (dim, d) in [("read", &s.read), ("write", &s.write)] {
            let o = &d.outcome;
            let peak = o.timeline.iter().map(|m| m.demand).fold(0.0, f64::max);
            rows.push([
                name(&s.table_label(), s.index.as_deref()),
                dim.to_owned(),
                s.billing.clone(),
                format!("{peak:.1}"),
                crate::present::count(o.max_provisioned),
                requests(o.throttled_requests),
                o.first_throttle_second.map_or("–".into(), clock),
                format!("{}/{}", o.scale_outs, o.scale_ins),
                format!("{:.2}", d.cost_usd),
            ]);
        }
    }
    rows
}

const HEADER: [&str; 9] = [
    "Table / index",
    "Dim",
    "Billing",
    "Peak demand u/s",
    "Max units",
    "Throttled",
    "First throttle",
    "Out/in",
    "Cost $",
];

/// The text table, one block per scenario.
pub fn text(runs: &[Run]) -> String {
    let mut out = String::new();
    for run in runs {
        let s = &run.spec;
        out.push_str(&format!(
            "== {} ({} customers, {} min from {}): {} ==\n",
            s.name,
            s.customers,
            s.minutes,
            start_text(s),
            verdict(run)
        ));
        if let Some(d) = &s.description {
            out.push_str(&format!("{}\n", crate::text::printable(d)));
        }
        let rows = rows(run);
        let mut widths: Vec<usize> = HEADER.iter().map(|h| h.chars().count()).collect();
        for r in &rows {
            for (w, c) in widths.iter_mut().zip(r) {
                *w = (*w).max(c.chars().count());
            }
        }
        let line = |cells: Vec<&str>| {
            let mut l = String::new();
            for (i, (c, w)) in cells.iter().zip(&widths).enumerate() {
                let pad = w - c.chars().count();
                if i >= 3 {
                    l.push_str(&" ".repeat(pad));
                    l.push_str(c);
                } else {
                    l.push_str(c);
                    l.push_str(&" ".repeat(pad));
                }
                l.push_str("  ");
            }
            l.trim_end().to_owned() + "\n"
        };
        out.push_str(&line(HEADER.to_vec()));
        for r in &rows {
            out.push_str(&line(r.iter().map(String::as_str).collect()));
        }
        for (table, why) in &run.skipped {
            out.push_str(&format!("{table}: not simulated ({why})\n"));
        }
        for f in &run.failures {
            out.push_str(&format!("FAIL {}\n", failure_text(&s.name, f)));
        }
        out.push('\n');
    }
    out
}

/// Markdown: a section per scenario (what CAPACITY.md also shows).
pub fn markdown(runs: &[Run]) -> String {
    use crate::render::escape;
    let mut out = String::new();
    for run in runs {
        let s = &run.spec;
        out.push_str(&format!(
            "### Scenario `{}`: {}\n\n",
            escape::markdown_code(&s.name),
            verdict(run)
        ));
        if let Some(d) = &s.description {
            out.push_str(&format!("{}\n\n", escape::markdown(d)));
        }
        out.push_str(&format!(
            "{} customers, {} minutes from {}.\n\n",
            s.customers,
            s.minutes,
            start_text(s)
        ));
        out.push_str(&format!("| {} |\n", HEADER.join(" | ")));
        out.push_str("|---|---|---|---:|---:|---:|---:|---:|---:|\n");
        for r in rows(run) {
            let mut cells = r.to_vec();
            cells[0] = format!("`{}`", escape::markdown_code(&cells[0]));
            out.push_str(&format!("| {} |\n", cells.join(" | ")));
        }
        for (table, why) in &run.skipped {
            out.push_str(&format!(
                "\n`{}`: not simulated ({why}).\n",
                escape::markdown_code(table)
            ));
        }
        if !run.failures.is_empty() {
            out.push('\n');
            for f in &run.failures {
                out.push_str(&format!(
                    "- {}\n",
                    escape::markdown(&failure_text(&s.name, f))
                ));
            }
        }
        out.push('\n');
    }
    out
}

fn dim_json(d: &Dim) -> Value {
    let o = &d.outcome;
    let round = |x: f64, places: i32| {
        let f = 10f64.powi(places);
        (x * f).round() / f
    };
    json!({
        "demand_units": round(o.demand_units, 3),
        "served_units": round(o.served_units, 3),
        "throttled_requests": round(o.throttled_requests, 3),
        "first_throttle_second": o.first_throttle_second,
        "throttled_seconds": o.throttled_seconds,
        "max_provisioned": o.max_provisioned,
        "scale_outs": o.scale_outs,
        "scale_ins": o.scale_ins,
        "provisioned_unit_hours": round(o.provisioned_unit_seconds as f64 / 3600.0, 6),
        "provisioned_unit_seconds": o.provisioned_unit_seconds,
        "cost_usd": round(d.cost_usd, 6),
        "timeline": o.timeline.iter().enumerate().map(|(m, t)| json!({
            "minute": m,
            "demand": round(t.demand, 3),
            "provisioned": t.provisioned,
            "throttled": round(t.throttled_requests, 3),
        })).collect::<Vec<_>>(),
    })
}

/// The JSON document (`version` 1).
pub fn json(customers: u64, runs: &[Run]) -> Value {
    json!({
        "version": 1,
        "customers": customers,
        "scenarios": runs.iter().map(|run| json!({
            "name": run.spec.name,
            "description": run.spec.description,
            "customers": run.spec.customers,
            "duration_minutes": run.spec.minutes,
            "start": start_text(&run.spec),
            "expect": { "throttled_requests": run.spec.expect.throttled_requests },
            "expect_met": run.passed(),
            "failures": run.failures.iter().map(|f| json!({
                "table": f.table,
                "index": f.index,
                "dimension": f.dimension,
                "throttled_requests": (f.throttled_requests * 1000.0).round() / 1000.0,
                "allowed": f.allowed,
            })).collect::<Vec<_>>(),
            "skipped": run.skipped.iter().map(|(t, why)| json!({"table": t, "reason": why})).collect::<Vec<_>>(),
            "results": run.subjects.iter().map(|s| json!({
                "table": s.table,
                "index": s.index,
                "region": s.region,
                "billing": s.billing,
                "read": dim_json(&s.read),
                "write": dim_json(&s.write),
            })).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
    })
}

/// A run as CAPACITY.md's scenario table lists it.
pub fn capacity_line(run: &Run) -> crate::plan::tiers::ScenarioLine {
    let s = &run.spec;
    let mut throttled: Vec<(f64, String)> = run
        .subjects
        .iter()
        .flat_map(|x| {
            [("reads", &x.read), ("writes", &x.write)]
                .into_iter()
                .filter(|(_, d)| d.outcome.throttled_requests > 1e-9)
                .map(|(dim, d)| {
                    (
                        d.outcome.throttled_requests,
                        format!(
                            "{} {dim}: {}",
                            name(&x.table_label(), x.index.as_deref()),
                            requests(d.outcome.throttled_requests)
                        ),
                    )
                })
                .collect::<Vec<_>>()
        })
        .collect();
    throttled.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    crate::plan::tiers::ScenarioLine {
        name: s.name.clone(),
        description: s.description.clone().unwrap_or_default(),
        customers: s.customers,
        minutes: s.minutes,
        expectation: match s.expect.throttled_requests {
            Some(n) => format!("at most {} throttled requests", crate::present::count(n)),
            None => "none".into(),
        },
        verdict: match (s.expect.throttled_requests, run.passed()) {
            (None, _) => "–".into(),
            (Some(_), true) => "met".into(),
            (Some(_), false) => "not met".into(),
        },
        throttled: if throttled.is_empty() {
            "nothing".into()
        } else {
            throttled
                .into_iter()
                .map(|(_, t)| t)
                .collect::<Vec<_>>()
                .join("; ")
        },
    }
}

/// When a scenario starts, as the outputs print it: `2026-11-30T00:00:00Z`.
fn start_text(s: &super::Spec) -> String {
    s.start.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}
