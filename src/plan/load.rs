//! A table's load as the simulation engine ([`crate::capacity::sim`]) takes it: each read and
//! write dimension of the table and its indexes, with its capacity (as the plan resolved it)
//! and its demand minute by minute. `capform plan` prices autoscaled capacity from the
//! built-in day replayed here ([`day_means`]); `capform simulate` replays the same day and
//! every scenario through the same builder, so the two never disagree.

use chrono::{DateTime, Utc};

use crate::capacity::sim::{self, Autoscaling, Capacity, Dimension, RangeChange};
use crate::capacity::{Q, schedule, whole};
use crate::plan::Provisioned;
use crate::profile::model::{Profile, ScheduledRange, Table};

/// How a table's provisioned capacity is scaled. The target and cooldowns of each dimension
/// are its capacity's ([`crate::plan::Capacity::tracking`]).
#[derive(Clone, Copy, Debug)]
pub struct Scaling {
    /// Whether target tracking moves it (otherwise it is fixed at its initial units).
    pub autoscaled: bool,
}

impl Scaling {
    /// The profile's scaling of table `t`.
    pub fn of(t: &Table) -> Scaling {
        Scaling {
            autoscaled: t.autoscaling,
        }
    }
}

/// A planned table's capacity, then each index's, as [`dimensions`] takes them, and its
/// scaling as the plan resolved it (billing: auto may have made it on demand).
pub fn planned(tp: &super::TablePlan) -> (Vec<Option<&Provisioned>>, Scaling) {
    let mut caps = vec![tp.capacity.as_ref()];
    caps.extend(tp.indexes.iter().map(|ix| ix.capacity.as_ref()));
    let scaling = Scaling {
        autoscaled: tp.autoscaled,
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

/// Requests per second on a table, minute by minute from `start`.
#[derive(Clone, Debug, PartialEq)]
pub struct Rates {
    /// The UTC instant the first minute starts: what scheduled ranges are read against.
    pub start: DateTime<Utc>,
    /// Table reads per second (index reads follow by `read_share`).
    pub reads: Vec<f64>,
    /// Table writes per second (each also writes every global secondary index).
    pub writes: Vec<f64>,
}

/// The workload's daily average rates, shaped by the built-in day ([`sim::day_shape`]):
/// 1,440 minutes; `None` for a table without a workload.
pub fn day_rates(t: &Table, customers: u64, start: DateTime<Utc>) -> Option<Rates> {
    days_rates(t, customers, start, 1)
}

/// [`day_rates`] repeated for `days` days.
pub fn days_rates(t: &Table, customers: u64, start: DateTime<Utc>, days: usize) -> Option<Rates> {
    let w = t.workload.as_ref()?;
    let pf = f64_of(w.peak_factor.exact());
    let avg = |rate: &Q| f64_of(&(whole(customers) * rate));
    // the curve is by UTC hour: a start other than midnight starts into it
    let offset = (start.timestamp().rem_euclid(86_400) / 60) as usize;
    let repeat = |mut day: Vec<f64>| {
        let len = day.len().max(1);
        day.rotate_left(offset % len);
        day.repeat(days)
    };
    Some(Rates {
        start,
        reads: repeat(sim::day_demand(avg(w.reads_per_second.exact()), pf)),
        writes: repeat(sim::day_demand(avg(w.writes_per_second.exact()), pf)),
    })
}

/// The start of simulations and of the priced week: `simulation.start` (checked by CF216).
pub fn start(profile: &Profile) -> DateTime<Utc> {
    profile
        .simulation
        .start_instant()
        .unwrap_or(DateTime::<Utc>::UNIX_EPOCH)
}

/// How far before a scenario's start scheduled actions are looked for: the range in effect
/// at the start is the one the last of them set (a month covers every weekly and monthly cron).
pub const SCHEDULE_LOOKBACK_MINUTES: u32 = 32 * 1440;

/// The scheduled changes of one dimension (`read` or write) of a table or index with
/// `entries` over `minutes` minutes from `start`: the range in effect at the start (`a` after
/// every action of the [`SCHEDULE_LOOKBACK_MINUTES`] before it) and the changes within.
pub fn scheduled(
    entries: &[ScheduledRange],
    read: bool,
    a: Autoscaling,
    start: DateTime<Utc>,
    minutes: usize,
) -> (Autoscaling, Vec<RangeChange>) {
    let mut fired: Vec<(u64, usize, RangeChange)> = Vec::new();
    let from = start - chrono::Duration::minutes(SCHEDULE_LOOKBACK_MINUTES.into());
    let total = SCHEDULE_LOOKBACK_MINUTES + minutes as u32;
    for (i, e) in entries.iter().enumerate() {
        let bounds = if read { e.read } else { e.write };
        let (Some(bounds), Some(expr)) = (bounds, e.expression()) else {
            continue;
        };
        // refused by CF216 when either fails
        let (Ok(schedule), Ok(zone)) = (schedule::parse(&expr), schedule::zone(e.zone_name()))
        else {
            continue;
        };
        for second in schedule::fires(&schedule, zone, from, total) {
            let minute = (second / 60) as usize;
            let change = RangeChange {
                minute: minute.saturating_sub(SCHEDULE_LOOKBACK_MINUTES as usize),
                min: bounds.min,
                max: bounds.max,
            };
            fired.push((second, i, change));
        }
    }
    // by time, then in profile order for actions of the same minute
    fired.sort_by_key(|(second, i, _)| (*second, *i));
    let lookback = u64::from(SCHEDULE_LOOKBACK_MINUTES) * 60;
    let mut initial = a;
    let mut changes = Vec::new();
    for (second, _, change) in fired {
        if second < lookback {
            initial = initial.changed(&change);
        } else {
            changes.push(change);
        }
    }
    (initial, changes)
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
    let minutes = rates.reads.len().max(rates.writes.len());
    for (i, (r, wr, share)) in subjects.iter().enumerate() {
        let cap = caps.get(i).copied().flatten();
        let entries: &[ScheduledRange] = match i {
            0 => &t.schedule,
            _ => t
                .indexes
                .get_index(i - 1)
                .map_or(&[][..], |(_, g)| &g.schedule),
        };
        let with_schedule = |c: Capacity, read: bool| match c {
            Capacity::Autoscaled(a) if !entries.is_empty() => {
                let (a, changes) = scheduled(entries, read, a, rates.start, minutes);
                (Capacity::Autoscaled(a), changes)
            }
            c => (c, Vec::new()),
        };
        let (r, wr, share) = (f64_of(r), f64_of(wr), f64_of(share));
        let keyed = i == 0 && w.keyed_by_customer;
        let partition = |per: u64| keyed.then(|| customers.saturating_mul(per) as f64);
        // the on-demand maximum of the table or index (used only when it is on demand)
        let on_demand = match i {
            0 => t.on_demand_throughput.as_ref(),
            _ => t
                .indexes
                .get_index(i - 1)
                .and_then(|(_, g)| g.on_demand_throughput.as_ref()),
        };
        let read_capacity = capacity_of(
            cap.map(|c| c.read),
            scaling,
            sim::ON_DEMAND_INITIAL_READ,
            peak.0 * share * r,
            on_demand.and_then(|o| o.max_read_request_units),
        );
        let write_capacity = capacity_of(
            cap.map(|c| c.write),
            scaling,
            sim::ON_DEMAND_INITIAL_WRITE,
            peak.1 * wr,
            on_demand.and_then(|o| o.max_write_request_units),
        );
        let (read_capacity, read_changes) = with_schedule(read_capacity, true);
        let (write_capacity, write_changes) = with_schedule(write_capacity, false);
        reads.push(Dimension {
            capacity: read_capacity,
            units_per_request: r,
            demand: rates.reads.iter().map(|x| x * share * r).collect(),
            partition_cap: partition(sim::PARTITION_READ_UNITS),
            changes: read_changes,
        });
        writes.push(Dimension {
            capacity: write_capacity,
            units_per_request: wr,
            demand: rates.writes.iter().map(|x| x * wr).collect(),
            partition_cap: partition(sim::PARTITION_WRITE_UNITS),
            changes: write_changes,
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
    on_demand_max: Option<u64>,
) -> Capacity {
    match cap {
        None => Capacity::OnDemand {
            initial: on_demand_initial,
            previous_peak,
            max: on_demand_max,
        },
        Some(c) if scaling.autoscaled => Capacity::Autoscaled(Autoscaling {
            min: c.min,
            max: c.max,
            target_pct: c.tracking.target,
            scale_in_cooldown: c.tracking.scale_in_cooldown,
            scale_out_cooldown: c.tracking.scale_out_cooldown,
        }),
        Some(c) => Capacity::Fixed(c.initial),
    }
}

/// [`day_means`] of a table that serves no requests: what its ranges' minimums, moved by its
/// schedule, provision (a replica whose region takes none of the workload's reads).
pub fn idle_means(
    t: &Table,
    customers: u64,
    caps: &[Option<&Provisioned>],
    scaling: Scaling,
    settings: sim::Settings,
    start: DateTime<Utc>,
) -> Vec<Option<(Q, Q)>> {
    let days = priced_days(t);
    let idle = Rates {
        start,
        reads: vec![0.0; 1440 * days],
        writes: vec![0.0; 1440 * days],
    };
    means(t, customers, caps, scaling, settings, &idle, days)
}

/// Mean provisioned units of each subject under `rates` over `days` days.
fn means(
    t: &Table,
    customers: u64,
    caps: &[Option<&Provisioned>],
    scaling: Scaling,
    settings: sim::Settings,
    rates: &Rates,
    days: usize,
) -> Vec<Option<(Q, Q)>> {
    let Some((reads, writes)) = dimensions(t, customers, caps, scaling, rates) else {
        return vec![None; caps.len()];
    };
    let settings = sim::Settings {
        timeline: false,
        ..settings
    };
    let (r, w) = sim::simulate_table(&reads, &writes, settings);
    let seconds = whole(86_400 * days as u64);
    let mean = |o: &sim::Outcome| Q::from_integer(o.provisioned_unit_seconds.into()) / &seconds;
    caps.iter()
        .zip(r.iter().zip(&w))
        .map(|(cap, (r, w))| cap.map(|_| (mean(r), mean(w))))
        .collect()
}

/// The days a table's capacity is priced over: a week with a schedule, else a day.
fn priced_days(t: &Table) -> usize {
    if has_schedule(t) { 7 } else { 1 }
}

/// Whether a table or any of its indexes has a schedule (its capacity is then priced over a
/// week, the period business-hours schedules repeat over).
pub fn has_schedule(t: &Table) -> bool {
    !t.schedule.is_empty() || t.indexes.values().any(|g| !g.schedule.is_empty())
}

/// Mean provisioned (read, write) units of the table and each index (`caps` as in
/// [`dimensions`]) over the built-in day from `start`, or over a week of built-in days for a
/// table with a schedule, exact: provisioned unit-seconds ÷ seconds. Fixed capacity is its
/// units; `None` where a dimension is on demand, or without a workload.
pub fn day_means(
    t: &Table,
    customers: u64,
    caps: &[Option<&Provisioned>],
    scaling: Scaling,
    settings: sim::Settings,
    start: DateTime<Utc>,
) -> Vec<Option<(Q, Q)>> {
    let days = priced_days(t);
    let Some(rates) = days_rates(t, customers, start, days) else {
        return vec![None; caps.len()];
    };
    means(t, customers, caps, scaling, settings, &rates, days)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profile::model::ScheduledBounds;

    fn entry(name: &str, cron: &str, min: Option<u64>, max: Option<u64>) -> ScheduledRange {
        ScheduledRange {
            name: name.into(),
            cron: Some(cron.into()),
            at: None,
            rate: None,
            timezone: Some("Europe/Berlin".into()),
            read: Some(ScheduledBounds { min, max }),
            write: None,
        }
    }

    fn utc(s: &str) -> DateTime<Utc> {
        chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M")
            .unwrap()
            .and_utc()
    }

    #[test]
    fn the_range_at_the_start_is_the_last_action_before_it_and_berlin_hours_follow_daylight_saving()
    {
        let entries = [
            entry("business_hours", "0 8 ? * MON-FRI *", Some(50), Some(200)),
            entry("evenings", "0 20 ? * MON-FRI *", Some(10), None),
        ];
        let base = Autoscaling {
            min: 5,
            max: 100,
            target_pct: 70,
            scale_in_cooldown: 60,
            scale_out_cooldown: 60,
        };
        // Monday 30 November 2026: Friday's evenings action (min 10) after Friday's business
        // hours (max 200) is what holds at midnight; Berlin is UTC+1, so 08:00 and 20:00 are
        // minutes 420 and 1,140 of the UTC day
        let (initial, changes) = scheduled(&entries, true, base, utc("2026-11-30T00:00"), 1440);
        assert_eq!((initial.min, initial.max), (10, 200));
        let minutes: Vec<usize> = changes.iter().map(|c| c.minute).collect();
        assert_eq!(minutes, [420, 1140]);
        assert_eq!((changes[0].min, changes[0].max), (Some(50), Some(200)));
        // in June Berlin is UTC+2: an hour earlier in UTC
        let (_, june) = scheduled(&entries, true, base, utc("2026-06-01T00:00"), 1440);
        let minutes: Vec<usize> = june.iter().map(|c| c.minute).collect();
        assert_eq!(minutes, [360, 1080]);
        // writes are not named: nothing changes
        let (w, none) = scheduled(&entries, false, base, utc("2026-11-30T00:00"), 1440);
        assert_eq!((w, none.len()), (base, 0));
        // a Saturday has no action at all
        let (_, saturday) = scheduled(&entries, true, base, utc("2026-12-05T00:00"), 1440);
        assert!(saturday.is_empty());
    }
}
