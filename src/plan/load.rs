//! A table's load as the simulation engine ([`crate::capacity::sim`]) takes it: each read and
//! write dimension of the table and its indexes, with its capacity (as the plan resolved it)
//! and its demand minute by minute. `capform plan` prices autoscaled capacity from the
//! built-in day replayed here ([`day_means`]); `capform simulate` replays the same day and
//! every scenario through the same builder, so the two never disagree.

use crate::capacity::sim::{self, Autoscaling, Capacity, Dimension};
use crate::capacity::{Q, whole};
use crate::plan::Provisioned;
use crate::profile::model::{Profile, Table};

/// How a table's provisioned capacity is scaled.
#[derive(Clone, Copy, Debug)]
pub struct Scaling {
    /// Whether target tracking moves it (otherwise it is fixed at its initial units).
    pub autoscaled: bool,
    /// Target utilization, percent.
    pub target: u32,
    /// Seconds after a scale-in before another.
    pub scale_in_cooldown: u32,
    /// Seconds after a scale-out before another.
    pub scale_out_cooldown: u32,
}

impl Scaling {
    /// The profile's scaling of table `t`.
    pub fn of(profile: &Profile, t: &Table) -> Scaling {
        Scaling {
            autoscaled: t.autoscaling,
            target: profile.target(t),
            scale_in_cooldown: profile.defaults.scale_in_cooldown,
            scale_out_cooldown: profile.defaults.scale_out_cooldown,
        }
    }
}

/// A planned table's capacity, then each index's, as [`dimensions`] takes them, and its
/// scaling as the plan resolved it (billing: auto may have made it on demand).
pub fn planned<'a>(
    profile: &Profile,
    t: &Table,
    tp: &'a super::TablePlan,
) -> (Vec<Option<&'a Provisioned>>, Scaling) {
    let mut caps = vec![tp.capacity.as_ref()];
    caps.extend(tp.indexes.iter().map(|ix| ix.capacity.as_ref()));
    let scaling = Scaling {
        autoscaled: tp.autoscaled,
        ..Scaling::of(profile, t)
    };
    (caps, scaling)
}

/// The engine's settings from the profile's `simulation:`.
pub fn settings(profile: &Profile) -> sim::Settings {
    sim::Settings {
        scaling_delay_seconds: profile.simulation.scaling_delay_seconds,
        timeline: true,
    }
}

/// The capacity units one request costs, for the table and each of its global secondary
/// indexes in order: (read, write) per request, and each index's share of the table's reads.
pub struct RequestUnits {
    /// The table's (read, write) units per request.
    pub table: (Q, Q),
    /// Each index's (read, write) units per request and `read_share`.
    pub indexes: Vec<(Q, Q, Q)>,
}

/// Requests per second on a table, minute by minute.
#[derive(Clone, Debug, PartialEq)]
pub struct Rates {
    /// Table reads per second (index reads follow by `read_share`).
    pub reads: Vec<f64>,
    /// Table writes per second (each also writes every global secondary index).
    pub writes: Vec<f64>,
}

/// The workload's daily average rates, shaped by the built-in day ([`sim::day_shape`]):
/// 1,440 minutes; `None` for a table without a workload.
pub fn day_rates(t: &Table, customers: u64) -> Option<Rates> {
    let w = t.workload.as_ref()?;
    let pf = f64_of(w.peak_factor.exact());
    let avg = |rate: &Q| f64_of(&(whole(customers) * rate));
    Some(Rates {
        reads: sim::day_demand(avg(w.reads_per_second.exact()), pf),
        writes: sim::day_demand(avg(w.writes_per_second.exact()), pf),
    })
}

/// The engine's dimensions for table `t` at `customers` customers under `rates`: reads (the
/// table's, then each index's) and writes (likewise). `caps` holds the table's capacity, then
/// each index's, as the plan resolved them (`None`: on demand). `None` for a table without a
/// workload (its requests cannot be turned into units).
pub fn dimensions(
    t: &Table,
    customers: u64,
    caps: &[Option<&Provisioned>],
    scaling: Scaling,
    rates: &Rates,
) -> Option<(Vec<Dimension>, Vec<Dimension>)> {
    let units = super::demand::request_units(t)?;
    let w = t.workload.as_ref()?;
    let peak_factor = f64_of(w.peak_factor.exact());
    let per_customer = |rate: &Q| f64_of(&(whole(customers) * rate)) * peak_factor;
    let peak = (
        per_customer(w.reads_per_second.exact()),
        per_customer(w.writes_per_second.exact()),
    );
    let mut subjects = vec![(units.table.0.clone(), units.table.1.clone(), whole(1))];
    subjects.extend(units.indexes.iter().cloned());
    let mut reads = Vec::new();
    let mut writes = Vec::new();
    for (i, (r, wr, share)) in subjects.iter().enumerate() {
        let cap = caps.get(i).copied().flatten();
        let (r, wr, share) = (f64_of(r), f64_of(wr), f64_of(share));
        let keyed = i == 0 && w.keyed_by_customer;
        let partition = |per: u64| keyed.then(|| customers.saturating_mul(per) as f64);
        let read_capacity = capacity_of(
            cap.map(|c| c.read),
            scaling,
            sim::ON_DEMAND_INITIAL_READ,
            peak.0 * share * r,
        );
        let write_capacity = capacity_of(
            cap.map(|c| c.write),
            scaling,
            sim::ON_DEMAND_INITIAL_WRITE,
            peak.1 * wr,
        );
        reads.push(Dimension {
            capacity: read_capacity,
            units_per_request: r,
            demand: rates.reads.iter().map(|x| x * share * r).collect(),
            partition_cap: partition(sim::PARTITION_READ_UNITS),
        });
        writes.push(Dimension {
            capacity: write_capacity,
            units_per_request: wr,
            demand: rates.writes.iter().map(|x| x * wr).collect(),
            partition_cap: partition(sim::PARTITION_WRITE_UNITS),
        });
    }
    Some((reads, writes))
}

/// A rational as the engine's `f64` (saturating; the schema keeps profile values finite).
fn f64_of(q: &Q) -> f64 {
    q.to_f64().unwrap_or(f64::MAX)
}

fn capacity_of(
    cap: Option<crate::plan::Capacity>,
    scaling: Scaling,
    on_demand_initial: u64,
    previous_peak: f64,
) -> Capacity {
    match cap {
        None => Capacity::OnDemand {
            initial: on_demand_initial,
            previous_peak,
        },
        Some(c) if scaling.autoscaled => Capacity::Autoscaled(Autoscaling {
            min: c.min,
            max: c.max,
            target_pct: scaling.target,
            scale_in_cooldown: scaling.scale_in_cooldown,
            scale_out_cooldown: scaling.scale_out_cooldown,
        }),
        Some(c) => Capacity::Fixed(c.initial),
    }
}

/// Mean provisioned (read, write) units over the built-in day of the table and each index
/// (`caps` as in [`dimensions`]), exact: provisioned unit-seconds ÷ 86,400. Fixed capacity is
/// its units; `None` where a dimension is on demand, or without a workload.
pub fn day_means(
    t: &Table,
    customers: u64,
    caps: &[Option<&Provisioned>],
    scaling: Scaling,
    settings: sim::Settings,
) -> Vec<Option<(Q, Q)>> {
    let Some(rates) = day_rates(t, customers) else {
        return vec![None; caps.len()];
    };
    let Some((reads, writes)) = dimensions(t, customers, caps, scaling, &rates) else {
        return vec![None; caps.len()];
    };
    let settings = sim::Settings {
        timeline: false,
        ..settings
    };
    let (r, w) = sim::simulate_table(&reads, &writes, settings);
    let seconds = whole(86_400);
    let mean = |o: &sim::Outcome| Q::from_integer(o.provisioned_unit_seconds.into()) / &seconds;
    caps.iter()
        .zip(r.iter().zip(&w))
        .map(|(cap, (r, w))| cap.map(|_| (mean(r), mean(w))))
        .collect()
}
