//! `capform simulate --svg DIR`: one chart per table and index, reads above writes — demand and
//! capacity in units per second over the scenario's minutes, throttled requests as bars on
//! their own scale. Drawn with the `svg` crate (a document builder that escapes text); the
//! bytes are deterministic for a run, so charts can be committed and diffed.

use std::path::{Path, PathBuf};

use svg::Document;
use svg::node::element::{Line, Polyline, Rectangle as Rect, Text};

use super::{Run, Subject};
use crate::capacity::sim::Outcome;

/// The first line of every chart capform writes: how `--svg` tells its own files from a
/// user's (it replaces only files that start with it).
pub const MARKER: &str = "<!-- capform simulate chart -->";

const WIDTH: f64 = 800.0;
const PANEL: f64 = 240.0;
const LEFT: f64 = 64.0;
const RIGHT: f64 = 64.0;
const TOP: f64 = 40.0;
const GAP: f64 = 56.0;

const DEMAND: &str = "#1f77b4";
const CAPACITY: &str = "#ff7f0e";
const THROTTLED: &str = "#d62728";

/// A number for an axis label: at most one decimal, thousands grouped.
fn label(v: f64) -> String {
    if v >= 1000.0 {
        crate::present::count(v.round() as u64)
    } else if v.fract().abs() < 1e-9 {
        format!("{v:.0}")
    } else {
        format!("{v:.1}")
    }
}

/// A "nice" axis maximum at or above `v`: 1, 2 or 5 × a power of ten.
fn nice(v: f64) -> f64 {
    if v <= 0.0 {
        return 1.0;
    }
    let p = 10f64.powf(v.log10().floor());
    [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * p)
        .find(|&m| m >= v)
        .unwrap_or(10.0 * p)
}

fn text(x: f64, y: f64, anchor: &str, size: u32, content: String) -> Text {
    Text::new(content)
        .set("x", format!("{x:.1}"))
        .set("y", format!("{y:.1}"))
        .set("text-anchor", anchor)
        .set("font-family", "sans-serif")
        .set("font-size", size)
}

/// One panel: `o`'s minute-by-minute demand, capacity and throttled requests.
fn panel(mut doc: Document, top: f64, title: &str, o: &Outcome) -> Document {
    let minutes = o.timeline.len().max(1) as f64;
    let plot_w = WIDTH - LEFT - RIGHT;
    let demand_peak = o.timeline.iter().map(|m| m.demand).fold(0.0, f64::max);
    let capacity_peak = o
        .timeline
        .iter()
        .map(|m| m.provisioned as f64)
        .fold(0.0, f64::max);
    // An on-demand ceiling (thousands of units) would flatten the demand: past four times the
    // demand it is named in the title instead of drawn.
    let capacity_shown = capacity_peak <= 4.0 * demand_peak.max(1.0);
    let peak = if capacity_shown {
        demand_peak.max(capacity_peak)
    } else {
        demand_peak
    };
    let ymax = nice(peak * 1.05);
    let title = if capacity_shown {
        title.to_owned()
    } else {
        format!(
            "{title}; capacity up to {} units/s, above the scale",
            label(capacity_peak)
        )
    };
    let tmax = nice(
        o.timeline
            .iter()
            .map(|m| m.throttled_requests / 60.0)
            .fold(0.0, f64::max),
    );
    let x = |m: f64| LEFT + m / minutes * plot_w;
    let y = |v: f64| top + PANEL - v / ymax * PANEL;
    let yt = |v: f64| top + PANEL - v / tmax * PANEL;
    doc = doc.add(text(LEFT, top - 10.0, "start", 13, title)).add(
        Rect::new()
            .set("x", format!("{LEFT:.1}"))
            .set("y", format!("{top:.1}"))
            .set("width", format!("{plot_w:.1}"))
            .set("height", format!("{PANEL:.1}"))
            .set("fill", "none")
            .set("stroke", "#888888"),
    );
    // Grid and left axis (units per second), right axis (throttled requests per second).
    for i in 0..=4 {
        let v = ymax * i as f64 / 4.0;
        let yy = y(v);
        doc = doc
            .add(
                Line::new()
                    .set("x1", format!("{LEFT:.1}"))
                    .set("x2", format!("{:.1}", WIDTH - RIGHT))
                    .set("y1", format!("{yy:.1}"))
                    .set("y2", format!("{yy:.1}"))
                    .set("stroke", "#dddddd")
                    .set("stroke-width", 1),
            )
            .add(text(LEFT - 6.0, yy + 4.0, "end", 11, label(v)))
            .add(text(
                WIDTH - RIGHT + 6.0,
                yy + 4.0,
                "start",
                11,
                label(tmax * i as f64 / 4.0),
            ));
    }
    for i in 0..=6 {
        let m = minutes * i as f64 / 6.0;
        doc = doc.add(text(
            x(m),
            top + PANEL + 16.0,
            "middle",
            11,
            format!("{}", m.round() as u64),
        ));
    }
    doc = doc
        .add(text(
            LEFT - 6.0,
            top + PANEL + 32.0,
            "end",
            11,
            "minute".into(),
        ))
        .add(text(
            LEFT,
            top + PANEL + 32.0,
            "start",
            11,
            "units/s: demand (blue), capacity (orange); throttled requests/s (red, right axis)"
                .into(),
        ));
    // Throttled requests: one bar per minute with any.
    let bar = (plot_w / minutes).max(1.0);
    for (m, t) in o.timeline.iter().enumerate() {
        if t.throttled_requests > 0.0 {
            let h = top + PANEL - yt(t.throttled_requests / 60.0);
            doc = doc.add(
                Rect::new()
                    .set("x", format!("{:.1}", x(m as f64)))
                    .set("y", format!("{:.1}", top + PANEL - h))
                    .set("width", format!("{bar:.2}"))
                    .set("height", format!("{h:.1}"))
                    .set("fill", THROTTLED),
            );
        }
    }
    // Capacity as a step line, demand as a line through each minute's middle.
    let mut steps = Vec::new();
    for (m, t) in o.timeline.iter().enumerate() {
        let yy = y(t.provisioned as f64);
        steps.push(format!("{:.1},{yy:.1}", x(m as f64)));
        steps.push(format!("{:.1},{yy:.1}", x(m as f64 + 1.0)));
    }
    let demand: Vec<String> = o
        .timeline
        .iter()
        .enumerate()
        .map(|(m, t)| format!("{:.1},{:.1}", x(m as f64 + 0.5), y(t.demand)))
        .collect();
    if capacity_shown {
        doc = doc.add(
            Polyline::new()
                .set("points", steps.join(" "))
                .set("fill", "none")
                .set("stroke", CAPACITY)
                .set("stroke-width", 2),
        );
    }
    doc.add(
        Polyline::new()
            .set("points", demand.join(" "))
            .set("fill", "none")
            .set("stroke", DEMAND)
            .set("stroke-width", 2),
    )
}

/// The chart of one table or index in one scenario.
pub fn chart(scenario: &str, s: &Subject) -> String {
    let name = match &s.index {
        Some(ix) => format!("{} / {ix}", s.table_label()),
        None => s.table_label(),
    };
    let height = TOP + 2.0 * PANEL + 2.0 * GAP;
    let mut doc = Document::new()
        .set("xmlns", "http://www.w3.org/2000/svg")
        .set("width", WIDTH)
        .set("height", height)
        .set("viewBox", (0, 0, WIDTH, height))
        .add(
            Rect::new()
                .set("width", "100%")
                .set("height", "100%")
                .set("fill", "white"),
        );
    let read_title = format!(
        "{scenario}: {name} reads ({}) — {} throttled",
        s.billing,
        super::output::requests(s.read.outcome.throttled_requests)
    );
    let write_title = format!(
        "{scenario}: {name} writes — {} throttled",
        super::output::requests(s.write.outcome.throttled_requests)
    );
    doc = panel(
        doc,
        TOP,
        &crate::text::printable(&read_title),
        &s.read.outcome,
    );
    doc = panel(
        doc,
        TOP + PANEL + GAP,
        &crate::text::printable(&write_title),
        &s.write.outcome,
    );
    format!("{MARKER}\n{doc}\n")
}

/// The file a chart is written to: `DIR/<scenario>/<table>[--<index>].svg`.
pub fn path(dir: &Path, scenario: &str, s: &Subject) -> PathBuf {
    let table = match &s.region {
        Some(r) => format!("{}@{r}", s.table),
        None => s.table.clone(),
    };
    let file = match &s.index {
        Some(ix) => format!("{table}--{ix}.svg"),
        None => format!("{table}.svg"),
    };
    dir.join(scenario).join(file)
}

/// Write every chart of `runs` under `dir`, refusing (before writing anything) to replace a
/// file that is not a capform chart. Returns the files written.
pub fn write_all(dir: &Path, runs: &[Run]) -> Result<Vec<PathBuf>, String> {
    let mut planned = Vec::new();
    for run in runs {
        for s in &run.subjects {
            planned.push((path(dir, &run.spec.name, s), chart(&run.spec.name, s)));
        }
    }
    for (p, _) in &planned {
        match std::fs::symlink_metadata(p) {
            Ok(m) if !m.is_file() => {
                return Err(format!(
                    "{} exists and is not a file; nothing was written",
                    p.display()
                ));
            }
            Ok(_) => {
                let head = std::fs::read(p).map_err(|e| format!("{}: {e}", p.display()))?;
                if !head.starts_with(MARKER.as_bytes()) {
                    return Err(format!(
                        "{} exists and is not a capform chart; nothing was written",
                        p.display()
                    ));
                }
            }
            Err(_) => {}
        }
    }
    let mut written = Vec::new();
    for (p, text) in planned {
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
        }
        // Each chart is written whole to a temporary file beside it, then renamed over.
        let tmp = p.with_extension("svg.tmp");
        std::fs::write(&tmp, text).map_err(|e| format!("{}: {e}", tmp.display()))?;
        std::fs::rename(&tmp, &p).map_err(|e| format!("{}: {e}", p.display()))?;
        written.push(p);
    }
    Ok(written)
}
