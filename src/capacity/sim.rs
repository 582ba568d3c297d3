//! The simulation engine: one table's read and write capacity, second by second, under a load
//! that changes once a minute — burst capacity, throttling, Application Auto Scaling's target
//! tracking, on-demand adaptation and the quotas. Pure math: it knows nothing of profiles.
//!
//! Every rule, with its source (AWS documentation, read 2026-12-02), is listed in README
//! § Simulate. Provisioned capacity and time are whole numbers (units, seconds), so
//! provisioned unit-seconds — what provisioned capacity is billed on — are exact. Demand,
//! burst credit and throttled requests are `f64`: the rules that move them (burst "up to 300
//! seconds", alarms on one-minute averages) are approximations of DynamoDB's behaviour, not
//! billing formulas, and double precision is far finer than they are.

/// Seconds of unused provisioned capacity DynamoDB keeps as burst credit ("up to 300 seconds";
/// DynamoDB developer guide, *Burst capacity*).
pub const BURST_SECONDS: u64 = 300;
/// Consecutive one-minute datapoints above the target before target tracking scales out (the
/// `AlarmHigh` alarm Application Auto Scaling creates: 2 datapoints within 2 minutes).
pub const SCALE_OUT_DATAPOINTS: u32 = 2;
/// Consecutive one-minute datapoints below the scale-in threshold before it scales in (the
/// `AlarmLow` alarm: 15 datapoints within 15 minutes).
pub const SCALE_IN_DATAPOINTS: u32 = 15;
/// The scale-in threshold, in percentage points below the target (`AlarmLow` sits at
/// target − 20 %).
pub const SCALE_IN_MARGIN_PCT: u32 = 20;
/// Decreases of provisioned capacity allowed at any time in a UTC day; after those, one per
/// hour (DynamoDB service quotas, *Provisioned capacity decreases*: 27 a day).
pub const FREE_DECREASES_PER_DAY: u32 = 4;
/// After the free decreases, at most one decrease per this many seconds.
pub const DECREASE_INTERVAL_SECONDS: u64 = 3600;
/// The default per-table throughput quota, read and write units each (service quotas:
/// 40,000 RCU and 40,000 WCU per table).
pub const TABLE_QUOTA_UNITS: u64 = 40_000;
/// One partition serves at most 3,000 read units per second…
pub const PARTITION_READ_UNITS: u64 = 3_000;
/// …and 1,000 write units per second (developer guide, *Partitions*).
pub const PARTITION_WRITE_UNITS: u64 = 1_000;
/// A new on-demand table serves up to 12,000 read units per second at once…
pub const ON_DEMAND_INITIAL_READ: u64 = 12_000;
/// …and 4,000 write units (developer guide, *Initial throughput for on-demand*).
pub const ON_DEMAND_INITIAL_WRITE: u64 = 4_000;
/// On-demand serves up to double the previous peak at once; a new peak becomes the base for
/// doubling after 30 minutes ("within 30 minutes" in *Peak traffic and scaling properties*).
pub const ON_DEMAND_ADAPT_SECONDS: u64 = 1800;

/// Target tracking settings of one scalable dimension.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Autoscaling {
    /// Minimum units.
    pub min: u64,
    /// Maximum units.
    pub max: u64,
    /// Target utilization, percent.
    pub target_pct: u32,
    /// Seconds after a scale-in takes effect before another may start.
    pub scale_in_cooldown: u32,
    /// Seconds after a scale-out takes effect before another may start.
    pub scale_out_cooldown: u32,
}

/// How a dimension gets its capacity.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Capacity {
    /// Provisioned at a fixed number of units.
    Fixed(u64),
    /// Provisioned, starting at `min`, moved by target tracking.
    Autoscaled(Autoscaling),
    /// On demand: `previous_peak` units per second were served before the scenario started (a
    /// table that ran at its workload has doubled up to that).
    OnDemand {
        /// The table's initial throughput (12,000 read or 4,000 write units).
        initial: u64,
        /// Units per second served at the busiest second before the scenario.
        previous_peak: f64,
        /// The profile's on-demand maximum (`on_demand_throughput`): never more than this
        /// many units a second, however the table adapts.
        max: Option<u64>,
    },
}

/// One dimension (reads or writes of a table or of one of its indexes).
#[derive(Clone, Debug, PartialEq)]
pub struct Dimension {
    /// Where its capacity comes from.
    pub capacity: Capacity,
    /// Capacity units one request costs (from the capacity math of the plan).
    pub units_per_request: f64,
    /// Demand in units per second, one value per minute of the scenario.
    pub demand: Vec<f64>,
    /// For a table keyed by customer: the most its customers' partitions serve per second
    /// (customers × 3,000 read or 1,000 write units).
    pub partition_cap: Option<f64>,
    /// Scheduled changes of an autoscaled range, by ascending minute (ignored for other
    /// capacity).
    pub changes: Vec<RangeChange>,
}

/// A scheduled action landing at the start of a minute: the range's new bounds. Capacity
/// outside them is moved inside (after the scaling delay, like any scaling action); target
/// tracking then works within them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RangeChange {
    /// The minute, from the scenario's start.
    pub minute: usize,
    /// The new minimum, if it sets one.
    pub min: Option<u64>,
    /// The new maximum, if it sets one.
    pub max: Option<u64>,
}

impl Autoscaling {
    /// The range after `change`. A new minimum above the maximum raises the maximum with it
    /// (and a new maximum below the minimum lowers the minimum), as Application Auto Scaling
    /// keeps min ≤ max.
    pub fn changed(mut self, change: &RangeChange) -> Autoscaling {
        if let Some(min) = change.min {
            self.min = min;
            self.max = self.max.max(min);
        }
        if let Some(max) = change.max {
            self.max = max;
            self.min = self.min.min(max);
        }
        self
    }
}

/// Settings shared by every dimension.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Settings {
    /// Seconds from a scaling decision to the new capacity in effect.
    pub scaling_delay_seconds: u32,
    /// Whether to keep the minute-by-minute timeline (pricing needs only the totals; a day of
    /// 1,000 tables' timelines is 200 MB).
    pub timeline: bool,
}

/// One minute of a dimension's timeline.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Minute {
    /// Demand, units per second.
    pub demand: f64,
    /// Capacity in effect at the end of the minute (provisioned units, or the on-demand
    /// ceiling).
    pub provisioned: u64,
    /// Requests throttled in the minute.
    pub throttled_requests: f64,
}

/// What happened to one dimension.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Outcome {
    /// Units demanded over the scenario (unit-seconds).
    pub demand_units: f64,
    /// Units served.
    pub served_units: f64,
    /// Requests throttled (throttled units ÷ units per request).
    pub throttled_requests: f64,
    /// The first second (from the start) in which a request was throttled.
    pub first_throttle_second: Option<u64>,
    /// Seconds in which any request was throttled.
    pub throttled_seconds: u64,
    /// The most units provisioned at any time (the on-demand ceiling for on-demand tables).
    pub max_provisioned: u64,
    /// Scale-outs that took effect.
    pub scale_outs: u32,
    /// Scale-ins that took effect.
    pub scale_ins: u32,
    /// Provisioned unit-seconds (0 on demand): exact, what provisioned capacity is billed on.
    pub provisioned_unit_seconds: u64,
    /// Minute by minute.
    pub timeline: Vec<Minute>,
}

/// The running state of one dimension.
struct State {
    capacity: Capacity,
    /// Units in effect: provisioned, or the on-demand ceiling.
    units: u64,
    bucket: f64,
    pending: Option<(u64, u64)>,
    high: u32,
    low: u32,
    last_out: Option<u64>,
    last_in: Option<u64>,
    day: u64,
    decreases_today: u32,
    last_decrease: Option<u64>,
    /// On demand: the busiest second served in each minute so far.
    minute_peaks: Vec<f64>,
    peak_base: f64,
    served_this_minute: f64,
    throttled_this_minute: f64,
    peak_this_minute: f64,
    /// The next scheduled change to apply.
    next_change: usize,
    out: Outcome,
}

impl State {
    fn new(d: &Dimension) -> State {
        let units = match d.capacity {
            Capacity::Fixed(u) => u,
            Capacity::Autoscaled(a) => a.min,
            Capacity::OnDemand {
                initial,
                previous_peak,
                max,
            } => on_demand_ceiling(initial, previous_peak, max),
        };
        let peak_base = match d.capacity {
            Capacity::OnDemand { previous_peak, .. } => previous_peak,
            _ => 0.0,
        };
        State {
            capacity: d.capacity,
            units,
            // A scenario starts with no burst credit (the conservative choice: five minutes
            // below the provisioned rate fill it).
            bucket: 0.0,
            pending: None,
            high: 0,
            low: 0,
            last_out: None,
            last_in: None,
            day: 0,
            decreases_today: 0,
            last_decrease: None,
            minute_peaks: Vec::new(),
            peak_base,
            served_this_minute: 0.0,
            throttled_this_minute: 0.0,
            peak_this_minute: 0.0,
            next_change: 0,
            out: Outcome {
                max_provisioned: units,
                ..Outcome::default()
            },
        }
    }

    /// The start of minute `m`: the scheduled changes due land in the range, and capacity
    /// outside the new range is scheduled to move inside it.
    fn scheduled(&mut self, d: &Dimension, m: usize, settings: Settings) {
        while let Some(change) = d.changes.get(self.next_change)
            && change.minute <= m
        {
            self.next_change += 1;
            let Capacity::Autoscaled(a) = self.capacity else {
                continue;
            };
            let a = a.changed(change);
            self.capacity = Capacity::Autoscaled(a);
            let now = m as u64 * 60;
            let heading = self.pending.map_or(self.units, |(_, u)| u);
            let inside = heading.clamp(a.min, a.max);
            if inside != heading {
                self.pending = Some((now + settings.scaling_delay_seconds as u64, inside));
                if inside < self.units {
                    self.decreases_today += 1;
                    self.last_decrease = Some(now);
                }
            }
        }
    }

    /// The minute of the next scheduled change at or after `m`, if any.
    fn next_change_from(&self, d: &Dimension) -> Option<usize> {
        match self.capacity {
            Capacity::Autoscaled(_) => d.changes.get(self.next_change).map(|c| c.minute),
            _ => None,
        }
    }

    fn provisioned(&self) -> bool {
        !matches!(self.capacity, Capacity::OnDemand { .. })
    }

    /// Units that can be served this second: provisioned plus burst credit, or the on-demand
    /// ceiling; never more than the table quota or the partitions allow.
    fn available(&self, partition_cap: Option<f64>) -> f64 {
        let own = if self.provisioned() {
            self.units as f64 + self.bucket
        } else {
            self.units as f64
        };
        own.min(TABLE_QUOTA_UNITS as f64)
            .min(partition_cap.unwrap_or(f64::INFINITY))
    }

    /// Serve `served` of `demand` units in second `t`, counting `refused` units as throttled
    /// here (for an index, only the writes it refused itself).
    fn serve(&mut self, t: u64, demand: f64, served: f64, refused: f64, units_per_request: f64) {
        if self.provisioned() {
            let units = self.units as f64;
            if served <= units {
                self.bucket = (self.bucket + units - served).min(BURST_SECONDS as f64 * units);
            } else {
                self.bucket = (self.bucket - (served - units)).max(0.0);
            }
            self.out.provisioned_unit_seconds =
                self.out.provisioned_unit_seconds.saturating_add(self.units);
        }
        self.out.demand_units += demand;
        self.out.served_units += served;
        self.served_this_minute += served;
        self.peak_this_minute = self.peak_this_minute.max(served);
        // A shortfall below a millionth of a unit is rounding, not a throttle.
        if refused > 1e-6 {
            let requests = refused / units_per_request;
            self.out.throttled_requests += requests;
            self.throttled_this_minute += requests;
            self.out.throttled_seconds += 1;
            self.out.first_throttle_second.get_or_insert(t);
        }
    }

    /// `n` seconds from `t` in which every request is served and nothing changes: what
    /// [`State::serve`] does `n` times, in one step.
    fn serve_quietly(&mut self, n: u64, demand: f64) {
        if self.provisioned() {
            let units = self.units as f64;
            self.bucket =
                (self.bucket + (units - demand) * n as f64).min(BURST_SECONDS as f64 * units);
            self.out.provisioned_unit_seconds = self
                .out
                .provisioned_unit_seconds
                .saturating_add(self.units.saturating_mul(n));
        }
        self.out.demand_units += demand * n as f64;
        self.out.served_units += demand * n as f64;
        self.served_this_minute += demand * n as f64;
        self.peak_this_minute = self.peak_this_minute.max(demand);
    }

    /// Whether a whole minute at `demand` needs no second-by-second steps: every second is
    /// served from provisioned capacity alone and no change lands inside it.
    fn quiet(&self, start: u64, demand: f64, partition_cap: Option<f64>) -> bool {
        let landing = self.pending.is_some_and(|(at, _)| at < start + 60);
        let cap = (self.units as f64)
            .min(TABLE_QUOTA_UNITS as f64)
            .min(partition_cap.unwrap_or(f64::INFINITY));
        !landing && demand <= cap
    }

    /// Whether a minute from `start` at `demand` is steady (see [`steady_run`]).
    fn steady_at(&self, start: u64, demand: f64, partition_cap: Option<f64>) -> bool {
        if self.pending.is_some() || !self.quiet(start, demand, partition_cap) {
            return false;
        }
        match self.capacity {
            Capacity::Fixed(_) => true,
            Capacity::Autoscaled(a) if self.units > 0 => {
                let utilization = demand / self.units as f64 * 100.0;
                let target = a.target_pct.max(1) as f64;
                let wanted = ((demand * 100.0 / target) - 1e-9).ceil().max(0.0) as u64;
                let wanted = wanted.clamp(a.min, a.max);
                // Datapoints that change nothing: between the two thresholds, or beyond one
                // with the capacity already where target tracking would put it (at the
                // minimum, at the maximum).
                let neutral =
                    utilization <= target && utilization >= target - SCALE_IN_MARGIN_PCT as f64;
                neutral || wanted == self.units
            }
            Capacity::Autoscaled(_) | Capacity::OnDemand { .. } => false,
        }
    }

    /// `minutes` steady minutes at `demand`: served in full; the datapoints count as
    /// [`State::track`] counts them, and lead to no action.
    fn steady(&mut self, minutes: usize, demand: f64, settings: Settings) {
        self.serve_quietly(60 * minutes as u64, demand);
        self.served_this_minute = 0.0;
        self.peak_this_minute = 0.0;
        if let Capacity::Autoscaled(a) = self.capacity {
            let utilization = demand / self.units as f64 * 100.0;
            let target = a.target_pct.max(1) as f64;
            let n = minutes as u32;
            self.high = if utilization > target {
                self.high.saturating_add(n)
            } else {
                0
            };
            self.low = if utilization < target - SCALE_IN_MARGIN_PCT as f64 {
                self.low.saturating_add(n)
            } else {
                0
            };
        }
        if settings.timeline {
            for _ in 0..minutes {
                self.out.timeline.push(Minute {
                    demand,
                    provisioned: self.units,
                    throttled_requests: 0.0,
                });
            }
        }
    }

    /// The start of second `t`: a pending scaling action lands.
    fn tick(&mut self, t: u64) {
        if let Some((at, units)) = self.pending
            && at <= t
        {
            if units > self.units {
                self.out.scale_outs += 1;
                self.last_out = Some(t);
            } else {
                self.out.scale_ins += 1;
                self.last_in = Some(t);
            }
            self.units = units;
            self.bucket = self.bucket.min(BURST_SECONDS as f64 * units as f64);
            self.out.max_provisioned = self.out.max_provisioned.max(units);
            self.pending = None;
        }
    }

    /// The end of minute `m` (second `end` starts the next): the datapoint, target tracking
    /// or on-demand adaptation, and the timeline entry.
    fn minute_end(&mut self, m: usize, end: u64, demand: f64, settings: Settings) {
        let consumed = self.served_this_minute / 60.0;
        match self.capacity {
            Capacity::Autoscaled(a) => self.track(a, consumed, end, settings),
            Capacity::OnDemand { initial, max, .. } => {
                self.minute_peaks.push(self.peak_this_minute);
                // A peak becomes the base for doubling once it is 30 minutes old.
                let age = (ON_DEMAND_ADAPT_SECONDS / 60) as usize;
                if m + 1 >= age {
                    let old = self.minute_peaks[m + 1 - age];
                    self.peak_base = self.peak_base.max(old);
                }
                self.units = on_demand_ceiling(initial, self.peak_base, max);
                self.out.max_provisioned = self.out.max_provisioned.max(self.units);
            }
            Capacity::Fixed(_) => {}
        }
        if settings.timeline {
            self.out.timeline.push(Minute {
                demand,
                provisioned: self.units,
                throttled_requests: self.throttled_this_minute,
            });
        }
        self.served_this_minute = 0.0;
        self.throttled_this_minute = 0.0;
        self.peak_this_minute = 0.0;
    }

    /// Target tracking on one datapoint: consumed units per second over the minute that ended
    /// at second `now`.
    fn track(&mut self, a: Autoscaling, consumed: f64, now: u64, settings: Settings) {
        let units = self.units as f64;
        let utilization = if units > 0.0 {
            consumed / units * 100.0
        } else {
            0.0
        };
        let target = a.target_pct.max(1) as f64;
        if utilization > target {
            self.high += 1;
        } else {
            self.high = 0;
        }
        if utilization < target - SCALE_IN_MARGIN_PCT as f64 {
            self.low += 1;
        } else {
            self.low = 0;
        }
        if self.pending.is_some() {
            return;
        }
        // ceil(consumed ÷ target): the capacity at which the last minute sits at the target.
        let wanted = ((consumed * 100.0 / target) - 1e-9).ceil().max(0.0) as u64;
        let wanted = wanted.clamp(a.min, a.max);
        let at = now + settings.scaling_delay_seconds as u64;
        let cooled =
            |last: Option<u64>, cooldown: u32| last.is_none_or(|l| now >= l + cooldown as u64);
        if self.high >= SCALE_OUT_DATAPOINTS
            && wanted > self.units
            && cooled(self.last_out, a.scale_out_cooldown)
        {
            self.pending = Some((at, wanted));
            self.high = 0;
        } else if self.low >= SCALE_IN_DATAPOINTS
            && wanted < self.units
            && cooled(self.last_in, a.scale_in_cooldown)
            && self.may_decrease(now)
        {
            self.pending = Some((at, wanted));
            self.low = 0;
            self.decreases_today += 1;
            self.last_decrease = Some(now);
        }
    }

    /// Four decreases at any time in a UTC day (the scenario starts at 00:00 UTC), then one an
    /// hour.
    fn may_decrease(&mut self, now: u64) -> bool {
        let day = now / 86_400;
        if day != self.day {
            self.day = day;
            self.decreases_today = 0;
        }
        self.decreases_today < FREE_DECREASES_PER_DAY
            || self
                .last_decrease
                .is_none_or(|l| now >= l + DECREASE_INTERVAL_SECONDS)
    }
}

fn on_demand_ceiling(initial: u64, peak: f64, max: Option<u64>) -> u64 {
    let doubled = (2.0 * peak).ceil().min(TABLE_QUOTA_UNITS as f64) as u64;
    doubled
        .max(initial)
        .min(TABLE_QUOTA_UNITS)
        .min(max.unwrap_or(u64::MAX))
}

/// Simulate one table: its read dimensions (the table's, then each index's: independent of
/// each other) and its write dimensions (the table's first, then each global secondary
/// index's). A write goes to the table and every index at once, so the share of writes that
/// succeeds in a second is the smallest share any of them can accept: an index short of write
/// capacity throttles the table's writes. Every dimension must have the same number of
/// minutes.
pub fn simulate_table(
    reads: &[Dimension],
    writes: &[Dimension],
    settings: Settings,
) -> (Vec<Outcome>, Vec<Outcome>) {
    let minutes = reads
        .iter()
        .chain(writes)
        .map(|d| d.demand.len())
        .max()
        .unwrap_or(0);
    let demand_at = |d: &Dimension, m: usize| d.demand.get(m).copied().unwrap_or(0.0);
    // Reads are independent of each other: each runs through the scenario on its own.
    let mut read_states: Vec<State> = reads.iter().map(State::new).collect();
    for (d, s) in reads.iter().zip(read_states.iter_mut()) {
        let group = std::slice::from_ref(d);
        let mut m = 0;
        while m < minutes {
            s.scheduled(d, m, settings);
            let run = steady_run(group, std::slice::from_ref(s), m, minutes);
            if run > 0 {
                s.steady(run, demand_at(d, m), settings);
                m += run;
                continue;
            }
            let start = m as u64 * 60;
            let demand = demand_at(d, m);
            if s.quiet(start, demand, d.partition_cap) {
                s.serve_quietly(60, demand);
            } else {
                for t in start..start + 60 {
                    s.tick(t);
                    let served = demand.min(s.available(d.partition_cap));
                    s.serve(t, demand, served, demand - served, d.units_per_request);
                }
            }
            s.minute_end(m, start + 60, demand, settings);
            m += 1;
        }
    }
    let mut write_states: Vec<State> = writes.iter().map(State::new).collect();
    let mut m = 0;
    while m < minutes {
        for (d, s) in writes.iter().zip(write_states.iter_mut()) {
            s.scheduled(d, m, settings);
        }
        let run = steady_run(writes, &write_states, m, minutes);
        if run > 0 {
            for (d, s) in writes.iter().zip(write_states.iter_mut()) {
                s.steady(run, demand_at(d, m), settings);
            }
            m += run;
            continue;
        }
        write_minute(writes, &mut write_states, m, settings);
        m += 1;
    }
    let done = |states: Vec<State>| states.into_iter().map(|s| s.out).collect();
    (done(read_states), done(write_states))
}

/// How many minutes from `m` every dimension of a group runs unchanged: the same demand each
/// minute, served from provisioned capacity alone, nothing pending and no datapoint that moves
/// target tracking (what [`State::steady`] then applies in one step). 0 when minute `m` is not
/// like that. A shortcut only: the minute-by-minute path gives the same result.
fn steady_run(dims: &[Dimension], states: &[State], m: usize, minutes: usize) -> usize {
    let mut run = minutes - m;
    for (d, s) in dims.iter().zip(states) {
        let demand = d.demand.get(m).copied().unwrap_or(0.0);
        if !s.steady_at(m as u64 * 60, demand, d.partition_cap) {
            return 0;
        }
        let same = d.demand[m.min(d.demand.len())..]
            .iter()
            .take_while(|&&x| x == demand)
            .count();
        run = run.min(same);
        // a scheduled change ends the run: it lands at the start of its minute
        if let Some(next) = s.next_change_from(d) {
            run = run.min(next.saturating_sub(m));
        }
    }
    run
}

/// One minute of a table's coupled writes (see [`simulate_table`]).
fn write_minute(writes: &[Dimension], states: &mut [State], m: usize, settings: Settings) {
    let start = m as u64 * 60;
    let demands: Vec<f64> = writes
        .iter()
        .map(|d| d.demand.get(m).copied().unwrap_or(0.0))
        .collect();
    let quiet = writes
        .iter()
        .zip(states.iter())
        .zip(&demands)
        .all(|((d, s), &demand)| s.quiet(start, demand, d.partition_cap));
    if quiet {
        for (s, &demand) in states.iter_mut().zip(&demands) {
            s.serve_quietly(60, demand);
        }
    } else {
        for t in start..start + 60 {
            let mut share: f64 = 1.0;
            for ((d, s), &demand) in writes.iter().zip(states.iter_mut()).zip(&demands) {
                s.tick(t);
                if demand > 0.0 {
                    share = share.min(s.available(d.partition_cap) / demand);
                }
            }
            let share = share.min(1.0);
            for (i, ((d, s), &demand)) in writes
                .iter()
                .zip(states.iter_mut())
                .zip(&demands)
                .enumerate()
            {
                let served = demand * share;
                // The table counts every write refused, by itself or by an index; an index
                // counts the writes it could not take itself.
                let refused = if i == 0 {
                    demand - served
                } else {
                    (demand - s.available(d.partition_cap)).max(0.0)
                };
                s.serve(t, demand, served, refused, d.units_per_request);
            }
        }
    }
    for (s, &demand) in states.iter_mut().zip(&demands) {
        s.minute_end(m, start + 60, demand, settings);
    }
}

/// The built-in day: 24 hourly steps in units of the average, with mean exactly 1 and the
/// busiest hour (14:00 UTC) exactly `peak_factor` (1 to 24, the most a day with that mean can
/// have; a factor of 1 is a flat day, one above 24 is taken as 24).
///
/// The shape is a raised cosine around 14:00, `g(h) = ((1 + cos(2π(h − 14)/24)) / 2)^k`, with
/// the smallest power `k` that keeps the quietest hour at or above zero, scaled to
/// `a + b·g(h)` so the mean is 1 and the peak is `peak_factor`.
pub fn day_shape(peak_factor: f64) -> [f64; 24] {
    let pf = peak_factor.clamp(1.0, 24.0);
    let mut k = 1;
    loop {
        let g: Vec<f64> = (0..24)
            .map(|h| {
                let x = 2.0 * std::f64::consts::PI * (h as f64 - 14.0) / 24.0;
                ((1.0 + x.cos()) / 2.0).powi(k)
            })
            .collect();
        let mean = g.iter().sum::<f64>() / 24.0;
        let b = (pf - 1.0) / (1.0 - mean);
        let a = pf - b;
        if a >= -1e-12 {
            let mut out = [0.0; 24];
            for (o, gh) in out.iter_mut().zip(&g) {
                *o = (a + b * gh).max(0.0);
            }
            return out;
        }
        if k == 64 {
            // Too sharp a peak for the curve: the busiest hour at the factor, the other 23
            // sharing the rest evenly.
            let mut out = [(24.0 - pf) / 23.0; 24];
            out[14] = pf;
            return out;
        }
        k += 1;
    }
}

/// A day of demand, minute by minute: `average` units per second shaped by [`day_shape`].
pub fn day_demand(average: f64, peak_factor: f64) -> Vec<f64> {
    let shape = day_shape(peak_factor);
    (0..1440).map(|m| average * shape[m / 60]).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const NO_DELAY: Settings = Settings {
        scaling_delay_seconds: 120,
        timeline: true,
    };

    fn dim(capacity: Capacity, demand: Vec<f64>) -> Dimension {
        Dimension {
            capacity,
            units_per_request: 1.0,
            demand,
            partition_cap: None,
            changes: Vec::new(),
        }
    }

    fn one(d: Dimension) -> Outcome {
        let (_, mut w) = simulate_table(&[], &[d], NO_DELAY);
        w.remove(0)
    }

    #[test]
    fn burst_absorbs_the_first_33_seconds_of_a_step() {
        // 10 minutes at 50 writes/s of 1 KB on 100 WCU fill the bucket (50 × 600 = 30,000 =
        // 300 × 100); then 1,000/s drains it at 900/s: 33 whole seconds, throttled from the
        // 34th (second 633 from the start).
        let mut demand = vec![50.0; 10];
        demand.extend([1000.0; 2]);
        let o = one(dim(Capacity::Fixed(100), demand));
        assert_eq!(o.first_throttle_second, Some(600 + 33));
        // 120 s × 900 = 108,000 units over provisioned; 30,000 came from burst.
        assert!(
            (o.throttled_requests - 78_000.0).abs() < 1e-6,
            "{}",
            o.throttled_requests
        );
        assert_eq!(o.throttled_seconds, 120 - 33);
        assert_eq!(o.provisioned_unit_seconds, 100 * 720);
    }

    #[test]
    fn the_bucket_holds_at_most_300_seconds() {
        let mut demand = vec![0.0; 20];
        demand.extend([400.0; 2]);
        let o = one(dim(Capacity::Fixed(100), demand));
        // 300 × 100 = 30,000 credit drains at 300/s: 100 seconds.
        assert_eq!(o.first_throttle_second, Some(1200 + 100));
    }

    #[test]
    fn under_throttling_autoscaling_climbs_in_steps_of_100_over_target() {
        // Demand far above the maximum reach: consumed is capped at what is provisioned (plus
        // the burst credit, which is gone after the first seconds), so each step is at most
        // ceil(provisioned ÷ 0.7).
        let a = Autoscaling {
            min: 10,
            max: 10_000,
            target_pct: 70,
            scale_in_cooldown: 60,
            scale_out_cooldown: 60,
        };
        let o = one(dim(Capacity::Autoscaled(a), vec![5000.0; 60]));
        let steps: Vec<u64> = o
            .timeline
            .windows(2)
            .filter(|w| w[1].provisioned != w[0].provisioned)
            .map(|w| w[1].provisioned)
            .collect();
        assert_eq!(&steps[..4], &[15, 22, 32, 46], "{steps:?}");
        let mut last = 10;
        for s in steps {
            assert!(s <= (last as f64 / 0.7).ceil() as u64 + 1, "{last} → {s}");
            last = s;
        }
        assert!(o.throttled_requests > 0.0);
    }

    #[test]
    fn scale_out_needs_two_datapoints_and_the_delay() {
        let a = Autoscaling {
            min: 100,
            max: 1000,
            target_pct: 50,
            scale_in_cooldown: 0,
            scale_out_cooldown: 0,
        };
        // 80 units/s: 80 % of 100 > 50 %: datapoints at the end of minutes 0 and 1, the action
        // at second 120, in effect 120 s later.
        let o = one(dim(Capacity::Autoscaled(a), vec![80.0; 6]));
        assert_eq!(o.timeline[3].provisioned, 100);
        assert_eq!(o.timeline[4].provisioned, 160); // ceil(80 / 0.5), from second 240
        assert_eq!(o.scale_outs, 1);
        assert_eq!(o.first_throttle_second, None);
    }

    #[test]
    fn scale_in_waits_for_15_low_datapoints_and_counts_decreases() {
        let a = Autoscaling {
            min: 10,
            max: 1000,
            target_pct: 70,
            scale_in_cooldown: 0,
            scale_out_cooldown: 0,
        };
        // Start high (fixed at max by a first scale-out), then idle: after 15 minutes below
        // 50 % it scales in to ceil(consumed / 0.7).
        let mut demand = vec![600.0; 10];
        demand.extend(vec![7.0; 60]);
        let o = one(dim(Capacity::Autoscaled(a), demand));
        assert!(o.scale_outs >= 1);
        let first_in = o
            .timeline
            .windows(2)
            .position(|w| w[1].provisioned < w[0].provisioned)
            .expect("scales in")
            + 1;
        // Low datapoints at the ends of minutes 10–24 (15), the decision at second 1,500, in
        // effect 120 s later: from minute 27.
        assert_eq!(first_in, 27);
        assert_eq!(o.timeline.last().unwrap().provisioned, 10);
    }

    #[test]
    fn decreases_stop_at_four_then_one_an_hour() {
        let a = Autoscaling {
            min: 1,
            max: 100_000,
            target_pct: 70,
            scale_in_cooldown: 0,
            scale_out_cooldown: 0,
        };
        let mut s = State::new(&dim(Capacity::Autoscaled(a), vec![]));
        let mut allowed = 0;
        for minute in 0..(24 * 60) {
            if s.may_decrease(minute * 60) {
                allowed += 1;
                s.decreases_today += 1;
                s.last_decrease = Some(minute * 60);
            }
        }
        // Minutes 0–3, then 63, 123, … 1383: 4 + 23 = 27, AWS's "27 a day".
        assert_eq!(allowed, 27);
    }

    #[test]
    fn cooldown_spaces_scale_outs() {
        let a = |cooldown| Autoscaling {
            min: 10,
            max: 100_000,
            target_pct: 70,
            scale_in_cooldown: 0,
            scale_out_cooldown: cooldown,
        };
        let quick = one(dim(Capacity::Autoscaled(a(0)), vec![5000.0; 30]));
        let slow = one(dim(Capacity::Autoscaled(a(600)), vec![5000.0; 30]));
        assert!(
            slow.scale_outs < quick.scale_outs,
            "{} {}",
            slow.scale_outs,
            quick.scale_outs
        );
    }

    #[test]
    fn an_index_short_of_writes_throttles_the_table() {
        let table = dim(Capacity::Fixed(1000), vec![200.0; 3]);
        let index = dim(Capacity::Fixed(50), vec![200.0; 3]);
        let (_, w) = simulate_table(&[], &[table, index], NO_DELAY);
        // The index accepts 50 units a second (burst is empty at the start): a quarter.
        assert!(
            (w[0].throttled_requests - 150.0 * 180.0).abs() < 1e-6,
            "{}",
            w[0].throttled_requests
        );
        assert!(
            (w[1].throttled_requests - 150.0 * 180.0).abs() < 1e-6,
            "{}",
            w[1].throttled_requests
        );
        // The table served only what the index took.
        assert!((w[0].served_units - 50.0 * 180.0).abs() < 1e-6);
    }

    #[test]
    fn on_demand_serves_double_the_previous_peak() {
        let d = Dimension {
            capacity: Capacity::OnDemand {
                initial: ON_DEMAND_INITIAL_WRITE,
                previous_peak: 3000.0,
                max: None,
            },
            units_per_request: 1.0,
            demand: vec![9000.0; 40],
            partition_cap: None,
            changes: Vec::new(),
        };
        let o = one(d);
        // Up to 6,000 at once; 3,000/s throttled for the first 30 minutes, then the base is
        // the 6,000 served and the ceiling 12,000.
        assert_eq!(o.timeline[0].provisioned, 6000);
        assert!((o.timeline[0].throttled_requests - 3000.0 * 60.0).abs() < 1e-6);
        assert_eq!(o.timeline[39].provisioned, 12_000);
        assert_eq!(o.timeline[39].throttled_requests, 0.0);
        assert_eq!(o.provisioned_unit_seconds, 0);
    }

    #[test]
    fn the_on_demand_maximum_throttles_above_it() {
        let d = Dimension {
            capacity: Capacity::OnDemand {
                initial: ON_DEMAND_INITIAL_WRITE,
                previous_peak: 3000.0,
                max: Some(500),
            },
            units_per_request: 1.0,
            demand: vec![800.0; 40],
            partition_cap: None,
            changes: Vec::new(),
        };
        let o = one(d);
        // 500 units a second at most, all the time: 300/s throttled every minute
        assert!(o.timeline.iter().all(|m| m.provisioned == 500));
        assert!((o.throttled_requests - 300.0 * 60.0 * 40.0).abs() < 1e-6);
    }

    #[test]
    fn the_table_quota_caps_on_demand() {
        let d = Dimension {
            capacity: Capacity::OnDemand {
                initial: ON_DEMAND_INITIAL_READ,
                previous_peak: 30_000.0,
                max: None,
            },
            units_per_request: 0.5,
            demand: vec![50_000.0; 2],
            partition_cap: None,
            changes: Vec::new(),
        };
        let o = one(d);
        assert_eq!(o.max_provisioned, TABLE_QUOTA_UNITS);
        assert!((o.throttled_requests - 10_000.0 * 120.0 / 0.5).abs() < 1e-6);
    }

    #[test]
    fn one_customer_cannot_exceed_a_partition() {
        let mut d = dim(Capacity::Fixed(10_000), vec![2000.0; 1]);
        d.partition_cap = Some(1000.0); // one customer, 1,000 WCU
        let o = one(d);
        assert!((o.throttled_requests - 1000.0 * 60.0).abs() < 1e-6);
    }

    #[test]
    fn a_scheduled_minimum_lifts_capacity_after_the_delay_and_target_tracking_lowers_it_later() {
        let a = Autoscaling {
            min: 20,
            max: 400,
            target_pct: 70,
            scale_in_cooldown: 60,
            scale_out_cooldown: 60,
        };
        let changes = vec![
            RangeChange {
                minute: 60,
                min: Some(100),
                max: None,
            },
            RangeChange {
                minute: 120,
                min: Some(20),
                max: None,
            },
        ];
        let run = |demand: Vec<f64>| {
            let d = Dimension {
                changes: changes.clone(),
                ..dim(Capacity::Autoscaled(a), demand)
            };
            one(d)
        };
        let o = run(vec![10.0; 240]);
        let at = |m: usize| o.timeline[m].provisioned;
        // the action lands at minute 60; the table is raised 120 s later (second 3,720, the
        // start of minute 62)
        assert_eq!((at(59), at(61), at(62)), (20, 20, 100));
        // lowering the minimum moves nothing by itself; but 10 units on 100 has been below
        // target − 20 for the whole hour, so target tracking scales in at the first datapoint
        // after it (the end of minute 120), to ceil(10 ÷ 0.7) = 15 held at the new minimum of
        // 20, in effect after the delay (the start of minute 123)
        assert_eq!((at(120), at(122), at(123)), (100, 100, 20));
        assert_eq!((o.scale_outs, o.scale_ins), (1, 1));
        // the steady shortcut stops at each change: the same as minute by minute
        let jittered: Vec<f64> = (0..240)
            .map(|m| 10.0 + if m % 2 == 0 { 1e-9 } else { 0.0 })
            .collect();
        let j = run(jittered);
        let p = |o: &Outcome| o.timeline.iter().map(|m| m.provisioned).collect::<Vec<_>>();
        assert_eq!(p(&o), p(&j));
        assert_eq!(o.provisioned_unit_seconds, j.provisioned_unit_seconds);
    }

    #[test]
    fn a_scheduled_maximum_below_capacity_scales_in_and_caps_scale_outs() {
        let a = Autoscaling {
            min: 10,
            max: 400,
            target_pct: 50,
            scale_in_cooldown: 0,
            scale_out_cooldown: 0,
        };
        let d = Dimension {
            changes: vec![RangeChange {
                minute: 30,
                min: None,
                max: Some(50),
            }],
            ..dim(Capacity::Autoscaled(a), vec![100.0; 60])
        };
        let o = one(d);
        // target tracking climbs to 200 (100 at 50 %); the new maximum lowers it to 50 two
        // minutes after minute 30, and it stays there, throttling what 50 cannot serve
        assert_eq!(o.timeline[29].provisioned, 200);
        assert_eq!(o.timeline[32].provisioned, 50);
        assert_eq!(o.timeline[59].provisioned, 50);
        assert!(o.timeline[59].throttled_requests > 0.0);
    }

    #[test]
    fn the_steady_shortcut_changes_nothing() {
        // Demand that differs by 1e-9 units every other minute never takes the shortcut; the
        // same day at exactly equal minutes mostly does. Integers agree exactly, floats closely.
        let a = Autoscaling {
            min: 20,
            max: 400,
            target_pct: 70,
            scale_in_cooldown: 60,
            scale_out_cooldown: 60,
        };
        // (the second sits at its minimum most of the day, the third at its maximum)
        for (capacity, average, pf) in [
            (Capacity::Autoscaled(a), 40.0, 4.0),
            (Capacity::Autoscaled(a), 5.0, 3.0),
            (
                Capacity::Autoscaled(Autoscaling { max: 60, ..a }),
                80.0,
                2.0,
            ),
            (Capacity::Autoscaled(a), 40.0, 1.5),
            (Capacity::Fixed(90), 40.0, 3.0),
        ] {
            let exact = day_demand(average, pf);
            let jittered: Vec<f64> = exact
                .iter()
                .enumerate()
                .map(|(m, d)| d + if m % 2 == 0 { 1e-9 } else { 0.0 })
                .collect();
            let run = |demand: Vec<f64>| {
                let d = dim(capacity, demand);
                let both = std::slice::from_ref(&d);
                let (r, mut w) = simulate_table(both, both, NO_DELAY);
                (r[0].clone(), w.remove(0))
            };
            let (r1, w1) = run(exact);
            let (r2, w2) = run(jittered);
            for (x, y) in [(r1, r2), (w1, w2)] {
                assert_eq!(x.provisioned_unit_seconds, y.provisioned_unit_seconds);
                assert_eq!((x.scale_outs, x.scale_ins), (y.scale_outs, y.scale_ins));
                assert_eq!(x.first_throttle_second, y.first_throttle_second);
                assert!((x.throttled_requests - y.throttled_requests).abs() < 1e-3);
                let p = |o: &Outcome| o.timeline.iter().map(|m| m.provisioned).collect::<Vec<_>>();
                assert_eq!(p(&x), p(&y));
            }
        }
    }

    #[test]
    fn the_day_has_mean_one_and_its_peak_at_the_factor() {
        for pf in [1.0, 1.5, 2.0, 3.0, 4.0, 6.0, 10.0, 24.0] {
            let s = day_shape(pf);
            let mean = s.iter().sum::<f64>() / 24.0;
            let max = s.iter().cloned().fold(0.0, f64::max);
            assert!((mean - 1.0).abs() < 1e-9, "{pf}: mean {mean}");
            assert!((max - pf).abs() < 1e-9, "{pf}: max {max}");
            assert!(s.iter().all(|&x| x >= 0.0));
            assert_eq!(s[14], max);
        }
    }
}
