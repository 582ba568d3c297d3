//! `capform tune`: the cheapest `capacity:` range of every autoscaled table and index dimension
//! (at the profile's target) for which every scenario's expectations hold and the built-in day
//! throttles nothing.
//!
//! Each dimension is searched on its own, the others held at the table quota (so an index never
//! holds the table's writes back while its table is tuned): the smallest minimum that passes
//! with the maximum at the quota (binary search: more capacity never throttles more), then for
//! a few minimums from there up the smallest maximum that passes, keeping the range whose
//! built-in day provisions the fewest unit-seconds; a maximum never falls below the busiest
//! minute's demand, since burst credit is best effort. The ranges found are then simulated
//! together; a dimension that fails there (coupled writes) is raised until it passes.

use super::{DAY, Spec};
use crate::capacity::pricing::Pricing;
use crate::capacity::sim::{self, TABLE_QUOTA_UNITS};
use crate::plan::load::{self, Rates};
use crate::plan::{Capacity, ModulePlan, Provisioned, TablePlan};
use crate::profile::model::{Profile, Table};

/// One tuned dimension.
#[derive(Clone, Debug, PartialEq)]
pub struct Tuned {
    /// The table.
    pub table: String,
    /// The index, `None` for the table.
    pub index: Option<String>,
    /// `read` or `write`.
    pub dimension: &'static str,
    /// The range the profile has now.
    pub before: (u64, u64),
    /// The cheapest range that passes; `None` when none within the quota does.
    pub after: Option<(u64, u64)>,
}

/// What `tune` found.
#[derive(Clone, Debug)]
pub struct Tuning {
    /// Every autoscaled dimension, in the profile's order.
    pub dimensions: Vec<Tuned>,
    /// Tables left alone, and why.
    pub skipped: Vec<(String, &'static str)>,
    /// Monthly provisioned cost of the autoscaled tables over the built-in day, before and
    /// after, USD.
    pub monthly_before: f64,
    /// After.
    pub monthly_after: f64,
    /// For a dimension no range fits: whether on-demand billing would pass the scenarios.
    pub on_demand_passes: Vec<(String, bool)>,
}

impl Tuning {
    /// Whether every dimension found a range.
    pub fn complete(&self) -> bool {
        self.dimensions.iter().all(|d| d.after.is_some())
    }
}

struct Case<'a> {
    t: &'a Table,
    tp: &'a TablePlan,
    customers: u64,
    rates: Rates,
    allowed: u64,
}

/// Tune every autoscaled table of `module` (resolved at `customers`) against `specs` (which
/// must include the built-in day for the cost).
pub fn tune(profile: &Profile, module: &ModulePlan, specs: &[Spec], pricing: &Pricing) -> Tuning {
    // Only totals are read here: no timelines.
    let settings = sim::Settings {
        timeline: false,
        ..load::settings(profile)
    };
    let mut dimensions = Vec::new();
    let mut skipped = Vec::new();
    let mut on_demand_passes = Vec::new();
    let (mut before_cost, mut after_cost) = (0.0, 0.0);
    for tp in &module.tables {
        let t = &profile.tables[&tp.key];
        if !tp.autoscaled {
            skipped.push((
                tp.key.clone(),
                if tp.capacity.is_some() {
                    "fixed capacity"
                } else {
                    "on demand"
                },
            ));
            continue;
        }
        let cases: Vec<Case> = specs
            .iter()
            .filter_map(|s| {
                let allowed = if s.name == DAY {
                    Some(0)
                } else {
                    s.expect.throttled_requests
                }?;
                Some(Case {
                    t,
                    tp,
                    customers: s.customers,
                    rates: super::rates(&tp.key, t, s)?,
                    allowed,
                })
            })
            .collect();
        let Some(day) = specs
            .iter()
            .find(|s| s.name == DAY)
            .and_then(|s| super::rates(&tp.key, t, s).map(|r| (s.customers, r)))
        else {
            skipped.push((tp.key.clone(), "no workload"));
            continue;
        };
        let caps = current(tp);
        let n = caps.len();
        let mut tuned = caps.clone();
        for i in 0..n {
            for dim in 0..2 {
                let found = search(&cases, &caps, i, dim, settings);
                let before = range(&caps[i], dim);
                dimensions.push(Tuned {
                    table: tp.key.clone(),
                    index: (i > 0).then(|| tp.indexes[i - 1].name.clone()),
                    dimension: if dim == 0 { "read" } else { "write" },
                    before,
                    after: found,
                });
                if let Some((lo, hi)) = found {
                    set(&mut tuned[i], dim, lo, hi);
                }
            }
        }
        // Together: raise what fails (writes are coupled) until all pass or the quota.
        for _ in 0..40 {
            let failing = failing(&cases, &tuned, settings);
            if failing.is_empty() {
                break;
            }
            for (i, dim) in failing {
                let (lo, hi) = range(&tuned[i], dim);
                let grow = |v: u64| (v + v.div_ceil(5)).min(TABLE_QUOTA_UNITS);
                set(&mut tuned[i], dim, grow(lo), grow(hi));
                if let Some(d) = dimensions.iter_mut().rev().take(n * 2).find(|d| {
                    d.index == (i > 0).then(|| tp.indexes[i - 1].name.clone())
                        && d.dimension == if dim == 0 { "read" } else { "write" }
                }) && d.after.is_some()
                {
                    d.after = Some(range(&tuned[i], dim));
                }
            }
        }
        let cost = |caps: &[Provisioned]| day_cost(t, tp, day.0, &day.1, caps, pricing, settings);
        before_cost += cost(&caps);
        after_cost += cost(&tuned);
        if dimensions
            .iter()
            .rev()
            .take(n * 2)
            .any(|d| d.after.is_none())
        {
            let passes = on_demand(&cases, settings);
            on_demand_passes.push((tp.key.clone(), passes));
        }
    }
    Tuning {
        dimensions,
        skipped,
        monthly_before: before_cost,
        monthly_after: after_cost,
        on_demand_passes,
    }
}

fn current(tp: &TablePlan) -> Vec<Provisioned> {
    let mut caps = vec![
        tp.capacity
            .clone()
            .expect("autoscaled tables are provisioned"),
    ];
    caps.extend(
        tp.indexes
            .iter()
            .map(|ix| ix.capacity.clone().expect("provisioned")),
    );
    caps
}

fn range(p: &Provisioned, dim: usize) -> (u64, u64) {
    let c = if dim == 0 { p.read } else { p.write };
    (c.min, c.max)
}

fn set(p: &mut Provisioned, dim: usize, min: u64, max: u64) {
    let tracking = if dim == 0 { p.read } else { p.write }.tracking;
    let c = Capacity {
        min,
        max,
        initial: min,
        tracking,
    };
    if dim == 0 {
        p.read = c;
    } else {
        p.write = c;
    }
}

/// Table `t` under `rates` at `customers`, autoscaled within `caps` (the table's, then each
/// index's): the engine's read and write outcomes.
fn simulate(
    t: &Table,
    customers: u64,
    rates: &Rates,
    caps: &[Provisioned],
    settings: sim::Settings,
) -> Option<(Vec<sim::Outcome>, Vec<sim::Outcome>)> {
    let refs: Vec<Option<&Provisioned>> = caps.iter().map(Some).collect();
    let scaling = load::Scaling { autoscaled: true };
    let (r, w) = load::dimensions(t, customers, &refs, scaling, rates)?;
    Some(sim::simulate_table(&r, &w, settings))
}

/// Throttled requests of every dimension of one table in each case, with `caps`.
fn throttles(case: &Case, caps: &[Provisioned], settings: sim::Settings) -> Vec<[f64; 2]> {
    let Some((r, w)) = simulate(case.t, case.customers, &case.rates, caps, settings) else {
        return Vec::new();
    };
    r.iter()
        .zip(&w)
        .map(|(r, w)| [r.throttled_requests, w.throttled_requests])
        .collect()
}

fn passes(
    cases: &[Case],
    caps: &[Provisioned],
    i: usize,
    dim: usize,
    settings: sim::Settings,
) -> bool {
    cases.iter().all(|c| {
        throttles(c, caps, settings)
            .get(i)
            .is_none_or(|t| t[dim].ceil() <= c.allowed as f64)
    })
}

fn failing(cases: &[Case], caps: &[Provisioned], settings: sim::Settings) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    for c in cases {
        for (i, t) in throttles(c, caps, settings).iter().enumerate() {
            for (dim, throttled) in t.iter().enumerate() {
                if throttled.ceil() > c.allowed as f64 && !out.contains(&(i, dim)) {
                    out.push((i, dim));
                }
            }
        }
    }
    out
}

/// The cheapest passing range of dimension `dim` of subject `i`.
fn search(
    cases: &[Case],
    caps: &[Provisioned],
    i: usize,
    dim: usize,
    settings: sim::Settings,
) -> Option<(u64, u64)> {
    let q = TABLE_QUOTA_UNITS;
    // Every other dimension at the quota: only this one can throttle.
    let mut trial: Vec<Provisioned> = caps.to_vec();
    for (j, p) in trial.iter_mut().enumerate() {
        for d in 0..2 {
            if (j, d) != (i, dim) {
                set(p, d, q, q);
            }
        }
    }
    let ok = |lo: u64, hi: u64| {
        let mut t = trial.clone();
        set(&mut t[i], dim, lo, hi);
        passes(cases, &t, i, dim, settings)
    };
    if !ok(q, q) {
        return None;
    }
    // Burst credit is best effort (DynamoDB may spend it on maintenance): a tuned maximum
    // serves the busiest minute of every case without it.
    let busiest = cases
        .iter()
        .filter_map(|c| demand_peak(c, caps, i, dim))
        .fold(0.0, f64::max);
    let max_floor = ((busiest - 1e-9).ceil().max(1.0) as u64).min(q);
    // The smallest minimum that passes with the maximum at the quota.
    let (mut lo, mut hi) = (1, q);
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        if ok(mid, q) {
            hi = mid;
        } else {
            lo = mid + 1;
        }
    }
    let floor = lo;
    // For a few minimums from there, the smallest maximum; keep the cheapest day.
    let mut best: Option<((u64, u64), u64)> = None;
    for step in [0u64, 1, 2, 4, 8] {
        let min = (floor + floor * step / 8).min(q);
        let (mut a, mut b) = (min.max(max_floor), q);
        while a < b {
            let mid = a + (b - a) / 2;
            if ok(min, mid) {
                b = mid;
            } else {
                a = mid + 1;
            }
        }
        let mut t = trial.clone();
        set(&mut t[i], dim, min, a);
        let cost = cases
            .iter()
            .map(|c| unit_seconds(c, &t, i, dim, settings))
            .max()
            .unwrap_or(0);
        if best.is_none_or(|(_, c)| cost < c) {
            best = Some(((min, a), cost));
        }
    }
    best.map(|(r, _)| r)
}

/// The busiest minute's demand of dimension `dim` of subject `i` in a case, units per second.
fn demand_peak(case: &Case, caps: &[Provisioned], i: usize, dim: usize) -> Option<f64> {
    let refs: Vec<Option<&Provisioned>> = caps.iter().map(Some).collect();
    let (r, w) = load::dimensions(
        case.t,
        case.customers,
        &refs,
        load::Scaling::of(case.t),
        &case.rates,
    )?;
    let d = if dim == 0 { r.get(i)? } else { w.get(i)? };
    Some(d.demand.iter().cloned().fold(0.0, f64::max))
}

/// The profile with the ranges `tune` found written into it (what pasting the snippet does).
pub fn apply(profile: &Profile, tuning: &Tuning) -> Profile {
    use crate::profile::model::{CapacityOverride, UnitRange};
    let mut p = profile.clone();
    let range = |(min, max): (u64, u64)| UnitRange { min, max };
    for pair in tuning.dimensions.chunks(2) {
        let [r, w] = pair else { continue };
        let (Some(ra), Some(wa)) = (r.after, w.after) else {
            continue;
        };
        let over = CapacityOverride {
            read: range(ra),
            write: range(wa),
        };
        let Some(t) = p.tables.get_mut(&r.table) else {
            continue;
        };
        match &r.index {
            None => t.capacity = Some(over),
            Some(ix) => {
                if let Some(g) = t.indexes.get_mut(ix) {
                    g.capacity = Some(over);
                }
            }
        }
    }
    p
}

fn unit_seconds(
    case: &Case,
    caps: &[Provisioned],
    i: usize,
    dim: usize,
    settings: sim::Settings,
) -> u64 {
    let Some((r, w)) = simulate(case.t, case.customers, &case.rates, caps, settings) else {
        return 0;
    };
    let o = if dim == 0 { &r[i] } else { &w[i] };
    o.provisioned_unit_seconds
}

#[allow(clippy::too_many_arguments)]
fn day_cost(
    t: &Table,
    _tp: &TablePlan,
    customers: u64,
    rates: &Rates,
    caps: &[Provisioned],
    pricing: &Pricing,
    settings: sim::Settings,
) -> f64 {
    let Some((r, w)) = simulate(t, customers, rates, caps, settings) else {
        return 0.0;
    };
    let (rcu_h, wcu_h, _, _) = crate::plan::cost::throughput_prices(pricing, t.table_class);
    let price = |p: &crate::capacity::pricing::Price| p.price.exact().to_f64().unwrap_or(0.0);
    let days = pricing.hours_per_month as f64 / 24.0;
    let hours = |o: &sim::Outcome| o.provisioned_unit_seconds as f64 / 3600.0 * days;
    r.iter().map(|o| hours(o) * price(rcu_h)).sum::<f64>()
        + w.iter().map(|o| hours(o) * price(wcu_h)).sum::<f64>()
}

/// Whether the table on demand would meet every case.
fn on_demand(cases: &[Case], settings: sim::Settings) -> bool {
    cases.iter().all(|c| {
        let refs: Vec<Option<&Provisioned>> = vec![None; c.tp.indexes.len() + 1];
        let Some((r, w)) =
            load::dimensions(c.t, c.customers, &refs, load::Scaling::of(c.t), &c.rates)
        else {
            return true;
        };
        let (r, w) = sim::simulate_table(&r, &w, settings);
        r.iter()
            .chain(&w)
            .all(|o| o.throttled_requests.ceil() <= c.allowed as f64)
    })
}

/// The YAML snippet to paste under `tables:`.
pub fn snippet(tuning: &Tuning) -> String {
    let mut out = String::from("tables:\n");
    let mut last_table = "";
    let mut i = 0;
    let dims = &tuning.dimensions;
    while i < dims.len() {
        let d = &dims[i];
        let (Some(r), Some(w)) = (dims[i].after, dims.get(i + 1).and_then(|x| x.after)) else {
            i += 2;
            continue;
        };
        if d.table != last_table {
            out.push_str(&format!("  {}:\n", d.table));
            last_table = &d.table;
        }
        let line = format!(
            "capacity: {{ read: {{ min: {}, max: {} }}, write: {{ min: {}, max: {} }} }}",
            r.0, r.1, w.0, w.1
        );
        match &d.index {
            None => out.push_str(&format!("    {line}\n")),
            Some(ix) => {
                if i < 2 || dims[i - 2].index.is_none() || dims[i - 2].table != d.table {
                    out.push_str("    indexes:\n");
                }
                out.push_str(&format!("      {ix}:\n        {line}\n"));
            }
        }
        i += 2;
    }
    out
}
