//! `capform simulate`: replay load scenarios against the module a profile renders — its
//! capacity ranges, autoscaling and billing as the plan resolved them — second by second, and
//! report what DynamoDB would throttle. The engine is [`crate::capacity::sim`]; the tables'
//! dimensions come from [`crate::plan::load`], the one builder `capform plan` also prices the
//! built-in day with.

pub mod chart;
pub mod metrics;
pub mod output;
pub mod tune;

use crate::capacity::pricing::Pricing;
use crate::capacity::sim::{self, Outcome};
use crate::plan::load::{self, Rates};
use crate::plan::{self, ModulePlan, TablePlan};
use crate::profile::Loaded;
use crate::profile::model::{Expect, Profile, Step, Table};

/// The name of the built-in scenario.
pub const DAY: &str = "day";

/// A scenario ready to run: where it comes from resolved.
#[derive(Clone, Debug)]
pub struct Spec {
    /// Its name.
    pub name: String,
    /// What it stands for.
    pub description: Option<String>,
    /// Customers it runs at.
    pub customers: u64,
    /// Minutes it lasts.
    pub minutes: u32,
    /// Requests per second per table that it sets (others run at their average).
    pub traffic: Vec<(String, Traffic)>,
    /// What must hold.
    pub expect: Expect,
    /// Recorded traffic (`--metrics`): each dimension's demand in units, replacing what the
    /// rates give.
    pub recorded: Vec<metrics::Recorded>,
    /// The UTC instant it starts (scheduled ranges are read against it).
    pub start: chrono::DateTime<chrono::Utc>,
}

impl Spec {
    /// The scenario a metrics file describes: its minutes at `customers`, every dimension it
    /// has a series for replayed as recorded, every other at the workload's average.
    pub fn recorded(replay: metrics::Replay, customers: u64) -> Spec {
        let start = chrono::NaiveDateTime::parse_from_str(&replay.start, "%Y-%m-%dT%H:%M:%SZ")
            .map(|n| n.and_utc())
            .unwrap_or_default();
        Spec {
            start,
            name: "metrics".into(),
            description: Some(format!(
                "recorded traffic from {}, {} s periods",
                replay.start, replay.period
            )),
            customers,
            minutes: replay.minutes,
            traffic: Vec::new(),
            expect: Expect::default(),
            recorded: replay.series,
        }
    }
}

/// One table's traffic in a [`Spec`]: per-minute table reads and writes, `None` where the
/// scenario leaves a dimension at the workload's average (or, for `day`, its daily curve).
#[derive(Clone, Debug, Default)]
pub struct Traffic {
    /// Reads per second, minute by minute.
    pub reads: Option<Vec<f64>>,
    /// Writes per second, minute by minute.
    pub writes: Option<Vec<f64>>,
}

/// Every scenario of the profile, the built-in `day` first unless the profile defines its own,
/// each at its own `customers`, else `customers`.
pub fn specs(profile: &Profile, customers: u64) -> Vec<Spec> {
    let mut out = Vec::new();
    let start = load::start(profile);
    if !profile.scenarios.contains_key(DAY) {
        out.push(Spec {
            name: DAY.into(),
            description: Some(
                "the built-in day: each table's average shaped by a daily curve, busiest at 14:00 UTC".into(),
            ),
            customers,
            minutes: 1440,
            traffic: Vec::new(),
            expect: Expect::default(),
            recorded: Vec::new(),
            start,
        });
    }
    for (name, s) in &profile.scenarios {
        let customers = s.customers.unwrap_or(customers);
        let series = |steps: &Option<Vec<Step>>| {
            steps
                .as_ref()
                .map(|steps| step_series(steps, s.duration_minutes, customers))
        };
        out.push(Spec {
            name: name.clone(),
            description: s.description.clone(),
            customers,
            minutes: s.duration_minutes,
            traffic: s
                .traffic
                .iter()
                .map(|(table, t)| {
                    (
                        table.clone(),
                        Traffic {
                            reads: series(&t.reads_per_second),
                            writes: series(&t.writes_per_second),
                        },
                    )
                })
                .collect(),
            expect: s.expect.clone(),
            recorded: Vec::new(),
            start: s.start_instant().unwrap_or(start),
        });
    }
    out
}

/// A step function of minutes as one value per minute; `NaN` before the first step (the
/// caller fills those minutes with the workload's average).
fn step_series(steps: &[Step], minutes: u32, customers: u64) -> Vec<f64> {
    let rate = |s: &Step| match (&s.rate, &s.per_customer) {
        (Some(r), _) => r.exact().to_f64().unwrap_or(0.0),
        (None, Some(p)) => p.exact().to_f64().unwrap_or(0.0) * customers as f64,
        (None, None) => 0.0,
    };
    (0..minutes)
        .map(|m| {
            steps
                .iter()
                .filter(|s| s.at <= m)
                .max_by_key(|s| s.at)
                .map_or(f64::NAN, rate)
        })
        .collect()
}

/// One table's or index's outcome in a scenario.
#[derive(Clone, Debug)]
pub struct Subject {
    /// The table's profile key.
    pub table: String,
    /// The index, `None` for the table itself.
    pub index: Option<String>,
    /// The replica's region, `None` for the table in the profile's region.
    pub region: Option<String>,
    /// How it is billed (`provisioned, autoscaled` …).
    pub billing: String,
    /// Reads.
    pub read: Dim,
    /// Writes.
    pub write: Dim,
}

impl Subject {
    /// The table as outputs name it: its key, with ` in <region>` for a replica.
    pub fn table_label(&self) -> String {
        match &self.region {
            Some(r) => format!("{} in {r}", self.table),
            None => self.table.clone(),
        }
    }
}

/// One dimension's outcome, with its cost.
#[derive(Clone, Debug)]
pub struct Dim {
    /// What the engine reported.
    pub outcome: Outcome,
    /// What the scenario's capacity and requests cost, USD (provisioned unit-hours, or on-demand
    /// request units, at the price list's rates).
    pub cost_usd: f64,
}

/// An expectation a scenario did not meet.
#[derive(Clone, Debug, PartialEq)]
pub struct Failure {
    /// The table.
    pub table: String,
    /// The index, if it is one.
    pub index: Option<String>,
    /// `read` or `write`.
    pub dimension: &'static str,
    /// Requests throttled.
    pub throttled_requests: f64,
    /// The most the scenario allows.
    pub allowed: u64,
}

/// A scenario's run.
#[derive(Clone, Debug)]
pub struct Run {
    /// The scenario.
    pub spec: Spec,
    /// Tables and indexes, in the profile's order.
    pub subjects: Vec<Subject>,
    /// Tables that were not simulated, and why.
    pub skipped: Vec<(String, &'static str)>,
    /// Expectations not met.
    pub failures: Vec<Failure>,
}

impl Run {
    /// Whether every expectation held.
    pub fn passed(&self) -> bool {
        self.failures.is_empty()
    }
}

/// Run one scenario against the module the profile resolves at the scenario's tier (with
/// `options`: a tuned profile is simulated through the same call).
pub fn run(l: &Loaded, spec: &Spec, pricing: &Pricing, options: &plan::Options) -> Run {
    let module = plan::resolve_tier(&l.profile, &l.file, spec.customers, options);
    run_on(&l.profile, &module, spec, pricing)
}

/// [`run`] on a module already resolved at the scenario's tier.
pub fn run_on(profile: &Profile, module: &ModulePlan, spec: &Spec, pricing: &Pricing) -> Run {
    run_on_with(profile, module, spec, pricing, true)
}

/// [`run_on`], keeping each dimension's minute-by-minute timeline only when `timeline` is set
/// (CAPACITY.md reads totals; a day of 1,000 tables' timelines is 200 MB).
pub fn run_on_with(
    profile: &Profile,
    module: &ModulePlan,
    spec: &Spec,
    pricing: &Pricing,
    timeline: bool,
) -> Run {
    let settings = sim::Settings {
        timeline,
        ..load::settings(profile)
    };
    let mut subjects = Vec::new();
    let mut skipped = Vec::new();
    for tp in &module.tables {
        let t = &profile.tables[&tp.key];
        let Some(rates) = rates(&tp.key, t, spec) else {
            skipped.push((
                tp.key.clone(),
                "no workload: requests cannot be turned into units",
            ));
            continue;
        };
        let (caps, scaling) = load::planned(tp);
        let Some((mut reads, mut writes)) =
            load::dimensions(t, spec.customers, &caps, scaling, &rates)
        else {
            skipped.push((
                tp.key.clone(),
                "no workload: requests cannot be turned into units",
            ));
            continue;
        };
        for rec in spec.recorded.iter().filter(|r| r.table == tp.key) {
            let i = match &rec.index {
                None => 0,
                Some(ix) => match tp.indexes.iter().position(|x| &x.name == ix) {
                    Some(p) => p + 1,
                    None => continue,
                },
            };
            let dims = if rec.read { &mut reads } else { &mut writes };
            if let Some(d) = dims.get_mut(i) {
                d.demand = rec
                    .consumed
                    .iter()
                    .zip(&rec.throttled)
                    .map(|(c, t)| c + t * d.units_per_request)
                    .collect();
            }
        }
        let (r, w) = sim::simulate_table(&reads, &writes, settings);
        subjects.extend(table_subjects(tp, t, r, w, pricing, None));
        // Each replica takes every write of the table (replicated) on write capacity DynamoDB
        // keeps equal to the primary's, and none of the workload's reads (they are served in
        // the profile's region): the same writes, idle reads under the replica's own ranges.
        for replica in &tp.replicas {
            for d in reads.iter_mut() {
                d.demand.iter_mut().for_each(|x| *x = 0.0);
            }
            let (r, w) = sim::simulate_table(&reads, &writes, settings);
            subjects.extend(table_subjects(tp, t, r, w, pricing, Some(&replica.region)));
        }
    }
    let failures = failures(&subjects, &spec.expect);
    Run {
        spec: spec.clone(),
        subjects,
        skipped,
        failures,
    }
}

/// A table's rates in a scenario: what it sets, else the workload's average (for `day`, the
/// daily curve).
pub(crate) fn rates(key: &str, t: &Table, spec: &Spec) -> Option<Rates> {
    let w = t.workload.as_ref()?;
    let minutes = spec.minutes as usize;
    let base = if spec.name == DAY && spec.traffic.is_empty() {
        load::day_rates(t, spec.customers, spec.start)?
    } else {
        let avg = |q: &crate::capacity::Q| q.to_f64().unwrap_or(0.0) * spec.customers as f64;
        Rates {
            start: spec.start,
            reads: vec![avg(w.reads_per_second.exact()); minutes],
            writes: vec![avg(w.writes_per_second.exact()); minutes],
        }
    };
    let set = spec
        .traffic
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, tr)| tr);
    let merge = |base: Vec<f64>, set: Option<&Vec<f64>>| match set {
        Some(set) => base
            .iter()
            .zip(set)
            .map(|(b, s)| if s.is_nan() { *b } else { *s })
            .collect(),
        None => base,
    };
    Some(Rates {
        start: spec.start,
        reads: merge(base.reads, set.and_then(|k| k.reads.as_ref())),
        writes: merge(base.writes, set.and_then(|k| k.writes.as_ref())),
    })
}

fn table_subjects(
    tp: &TablePlan,
    t: &Table,
    reads: Vec<Outcome>,
    writes: Vec<Outcome>,
    pricing: &Pricing,
    region: Option<&str>,
) -> Vec<Subject> {
    let billing = tp.billing_label();
    let (rcu_h, wcu_h, r_m, w_m) = crate::plan::cost::throughput_prices(pricing, t.table_class);
    // a replica's writes are replicated writes, at their own prices
    let (wcu_h, w_m) = match region {
        Some(_) => crate::plan::cost::replicated_write_prices(pricing, t.table_class),
        None => (wcu_h, w_m),
    };
    let price = |p: &crate::capacity::pricing::Price| p.price.exact().to_f64().unwrap_or(0.0);
    let cost = |o: &Outcome, hour: f64, million: f64| {
        if o.provisioned_unit_seconds > 0 || tp.capacity.is_some() {
            o.provisioned_unit_seconds as f64 / 3600.0 * hour
        } else {
            o.served_units / 1e6 * million
        }
    };
    let mut names = vec![None];
    names.extend(tp.indexes.iter().map(|ix| Some(ix.name.clone())));
    names
        .into_iter()
        .zip(reads.into_iter().zip(writes))
        .map(|(index, (r, w))| Subject {
            table: tp.key.clone(),
            index,
            region: region.map(str::to_owned),
            billing: billing.clone(),
            read: Dim {
                cost_usd: cost(&r, price(rcu_h), price(r_m)),
                outcome: r,
            },
            write: Dim {
                cost_usd: cost(&w, price(wcu_h), price(w_m)),
                outcome: w,
            },
        })
        .collect()
}

fn failures(subjects: &[Subject], expect: &Expect) -> Vec<Failure> {
    let Some(allowed) = expect.throttled_requests else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for s in subjects {
        for (dimension, d) in [("read", &s.read), ("write", &s.write)] {
            // Throttled requests are counted in fractions of a request; any part of one counts.
            let throttled = d.outcome.throttled_requests;
            if throttled.ceil() > allowed as f64 {
                out.push(Failure {
                    table: s.table_label(),
                    index: s.index.clone(),
                    dimension,
                    throttled_requests: throttled,
                    allowed,
                });
            }
        }
    }
    out
}
