//! The monthly cost of a module at a tier, line by line, and the `billing: auto` choice.
//!
//! Every line is `quantity × unit price = monthly`, with the price's source and date, so each
//! figure of `capform plan` and CAPACITY.md can be traced to a formula and a dated price.

use super::load;
use crate::capacity::whole;
use serde::Serialize;

use crate::present::percent1;
pub use crate::present::{money, money4};

use super::{ModulePlan, Provisioned};
use crate::capacity::cost as c;
use crate::capacity::pricing::{Price, Pricing};
use crate::capacity::{self, Q, ReadWrite};
use crate::profile::model::{ApiKind, Architecture, Profile, Table, TableClass};

/// One cost line.
#[derive(Clone, Debug, Serialize)]
pub struct Line {
    /// `DynamoDB`, `CloudWatch`, `Lambda`, `API Gateway`.
    pub service: &'static str,
    /// What is paid for.
    pub item: String,
    /// How many units; `None` when not estimated.
    #[serde(skip)]
    pub quantity: Option<Q>,
    /// The unit.
    pub unit: String,
    /// USD per unit.
    #[serde(skip)]
    pub unit_price: Q,
    /// The unit price as the price list writes it.
    pub unit_price_text: String,
    /// quantity × unit price; `None` when not estimated (see `not_estimated`).
    #[serde(skip)]
    pub monthly: Option<Q>,
    /// Why the line has no figure ([`NO_WORKLOAD`]); `None` when it has one.
    pub not_estimated: Option<&'static str>,
    /// Where the price comes from.
    pub source: String,
    /// When the price was checked.
    pub checked: String,
}

/// What a module costs per month at a tier.
#[derive(Clone, Debug)]
pub struct TierCost {
    /// Customers.
    pub customers: u64,
    /// Lines, service by service.
    pub lines: Vec<Line>,
    /// Sum of the lines.
    pub total: Q,
    /// total ÷ customers.
    pub per_customer: Q,
    /// The most each capped on-demand table can cost (`on_demand_throughput`).
    pub ceilings: Vec<Ceiling>,
}

/// What an on-demand table costs at most in a month: every dimension it caps
/// (`on_demand_throughput`) served at its maximum every second, in the primary region.
#[derive(Clone, Debug)]
pub struct Ceiling {
    /// Profile table key.
    pub table: String,
    /// The month at the maximums, exact.
    pub monthly: Q,
    /// What is capped: `reads`, `writes`, `by_status reads`, …
    pub capped: Vec<String>,
    /// What is not (and so not bounded).
    pub uncapped: Vec<String>,
}

impl Ceiling {
    /// `webhooks: at most $X a month (…; not capped: …)`.
    pub fn text(&self) -> String {
        let mut s = format!(
            "{}: at most ${} a month on demand ({} at the maximum every second",
            self.table,
            money(&self.monthly),
            self.capped.join(", ")
        );
        if !self.uncapped.is_empty() {
            s.push_str(&format!("; not capped: {}", self.uncapped.join(", ")));
        }
        s.push(')');
        s
    }
}

/// The [`Ceiling`] of every on-demand table that caps something.
fn ceilings(plan: &ModulePlan, pricing: &Pricing) -> Vec<Ceiling> {
    let seconds = pricing.seconds_per_month();
    let million = whole(1_000_000);
    let mut out = Vec::new();
    for tp in plan.tables.iter().filter(|t| t.capacity.is_none()) {
        let subjects: Vec<(String, Option<super::OnDemandMax>)> =
            std::iter::once((String::new(), tp.on_demand_max))
                .chain(
                    tp.indexes
                        .iter()
                        .map(|ix| (format!("{} ", ix.name), ix.on_demand_max)),
                )
                .collect();
        if subjects.iter().all(|(_, m)| m.is_none()) {
            continue;
        }
        let class = match tp.table_class {
            "STANDARD_INFREQUENT_ACCESS" => TableClass::StandardInfrequentAccess,
            _ => TableClass::Standard,
        };
        let (_, _, read_price, write_price) = throughput_prices(pricing, class);
        let mut c = Ceiling {
            table: tp.key.clone(),
            monthly: whole(0),
            capped: Vec::new(),
            uncapped: Vec::new(),
        };
        for (prefix, max) in subjects {
            for (what, units, price) in [
                ("reads", max.and_then(|m| m.read), read_price),
                ("writes", max.and_then(|m| m.write), write_price),
            ] {
                let label = format!("{prefix}{what}");
                match units {
                    Some(u) => {
                        c.monthly += whole(u) * &seconds / &million * price.price.exact();
                        c.capped.push(label);
                    }
                    None => c.uncapped.push(label),
                }
            }
        }
        out.push(c);
    }
    out
}

/// Why a line has no figure: the table has no workload to derive it from. Never $0.
pub const NO_WORKLOAD: &str = "not estimated: no workload";

impl TierCost {
    /// Subtotal of one service (of the lines that have a figure).
    pub fn service_total(&self, service: &str) -> Q {
        self.lines
            .iter()
            .filter(|l| l.service == service)
            .filter_map(|l| l.monthly.clone())
            .sum()
    }

    /// How many lines have no figure (their cost is left out of the totals).
    pub fn not_estimated(&self) -> usize {
        self.lines.iter().filter(|l| l.monthly.is_none()).count()
    }

    /// What a printed total adds when lines are left out of it, e.g.
    /// ` (2 items not estimated: no workload)`; empty otherwise.
    pub fn total_note(&self) -> String {
        match self.not_estimated() {
            0 => String::new(),
            1 => format!(" (excluding 1 item {NO_WORKLOAD})"),
            n => format!(" (excluding {n} items {NO_WORKLOAD})"),
        }
    }
}

impl Line {
    /// The monthly figure as printed: USD with 2 decimals, or why there is none.
    pub fn monthly_text(&self) -> String {
        match (&self.monthly, self.not_estimated) {
            (Some(m), _) => money(m),
            (None, why) => why.unwrap_or(NO_WORKLOAD).to_owned(),
        }
    }

    /// The quantity as printed, `–` when not estimated.
    pub fn quantity_text(&self) -> String {
        self.quantity
            .as_ref()
            .map(capacity::display)
            .unwrap_or_else(|| "–".into())
    }
}

/// A line whose quantity cannot be known: the price is shown, the figure is not.
fn unestimated(service: &'static str, item: String, price: &Price) -> Line {
    Line {
        service,
        item,
        quantity: None,
        unit: price.unit.clone(),
        unit_price: price.price.exact().clone(),
        unit_price_text: price.price.as_str().to_owned(),
        monthly: None,
        not_estimated: Some(NO_WORKLOAD),
        source: price.source.clone(),
        checked: price.checked.clone(),
    }
}

fn line(service: &'static str, item: String, quantity: Q, price: &Price) -> Line {
    line_with_unit(service, item, quantity, price.unit.clone(), price)
}

fn line_with_unit(
    service: &'static str,
    item: String,
    quantity: Q,
    unit: String,
    price: &Price,
) -> Line {
    let unit_price = price.price.exact().clone();
    Line {
        service,
        monthly: Some(&quantity * &unit_price),
        not_estimated: None,
        item,
        quantity: Some(quantity),
        unit,
        unit_price,
        unit_price_text: price.price.as_str().to_owned(),
        source: price.source.clone(),
        checked: price.checked.clone(),
    }
}

/// Read and write prices for a table class: (rcu-hour, wcu-hour, read million, write million).
/// The (RCU-hour, WCU-hour, read-million, write-million) prices of a table class.
pub fn throughput_prices(pricing: &Pricing, class: TableClass) -> (&Price, &Price, &Price, &Price) {
    let p = &pricing.prices;
    match class {
        TableClass::Standard => (
            &p.dynamodb_provisioned_rcu_hour,
            &p.dynamodb_provisioned_wcu_hour,
            &p.dynamodb_on_demand_read_million,
            &p.dynamodb_on_demand_write_million,
        ),
        TableClass::StandardInfrequentAccess => (
            &p.dynamodb_provisioned_rcu_hour_ia,
            &p.dynamodb_provisioned_wcu_hour_ia,
            &p.dynamodb_on_demand_read_million_ia,
            &p.dynamodb_on_demand_write_million_ia,
        ),
    }
}

/// The (rWCU-hour, million rWRU) prices of a table class: replicated writes of a global table.
pub fn replicated_write_prices(pricing: &Pricing, class: TableClass) -> (&Price, &Price) {
    let p = &pricing.prices;
    let (_, wcu_h, _, w_m) = throughput_prices(pricing, class);
    let (r_h, r_m) = match class {
        TableClass::Standard => (
            &p.dynamodb_replicated_wcu_hour,
            &p.dynamodb_on_demand_replicated_write_million,
        ),
        TableClass::StandardInfrequentAccess => (
            &p.dynamodb_replicated_wcu_hour_ia,
            &p.dynamodb_on_demand_replicated_write_million_ia,
        ),
    };
    (r_h.as_ref().unwrap_or(wcu_h), r_m.as_ref().unwrap_or(w_m))
}

/// The `billing: auto` decision for one table at one tier.
#[derive(Clone, Debug, Serialize)]
pub struct AutoChoice {
    /// Whether provisioned capacity with autoscaling was chosen.
    pub provisioned: bool,
    /// Monthly throughput cost provisioned (table and GSIs), USD, 2 decimals.
    pub provisioned_monthly: String,
    /// Monthly throughput cost on demand, USD, 2 decimals.
    pub on_demand_monthly: String,
    /// Cost-weighted average utilization provisioned capacity would run at, percent.
    pub utilization_percent: String,
    /// The utilization at which the two cost the same, percent.
    pub break_even_percent: String,
    /// One sentence saying why.
    pub reason: String,
}

/// Choose between provisioned-with-autoscaling and on-demand for a table (and its GSIs):
/// the cheaper monthly throughput wins; a tie goes to on-demand (nothing to manage).
pub fn auto_choice(
    profile: &Profile,
    t: &Table,
    customers: u64,
    demand: &capacity::TableDemand,
    provisioned: &Provisioned,
    indexes: &[Option<Provisioned>],
    pricing: &Pricing,
) -> AutoChoice {
    let (rcu_h, wcu_h, r_m, w_m) = throughput_prices(pricing, t.table_class);
    let (rwcu_h, rw_m) = replicated_write_prices(pricing, t.table_class);
    // each replica takes every write again and, provisioned, holds idle read capacity
    let replicas = whole(profile.replicas(t).len() as u64);
    let (hours, secs) = (pricing.hours(), pricing.seconds_per_month());
    let mut prov = whole(0);
    let mut ond = whole(0);
    let mut consumed_value = whole(0);
    let mut caps = vec![Some(provisioned)];
    caps.extend(indexes.iter().map(Option::as_ref));
    let day = load::day_means(
        t,
        customers,
        &caps,
        load::Scaling::of(t),
        load::settings(profile),
        load::start(profile),
    );
    let mut all: Vec<&ReadWrite> = vec![&demand.table];
    all.extend(demand.indexes.iter().map(|(_, rw)| rw));
    let idle = match profile.replicas(t).is_empty() {
        true => vec![None; caps.len()],
        false => load::idle_means(
            t,
            customers,
            &caps,
            load::Scaling::of(t),
            load::settings(profile),
            load::start(profile),
        ),
    };
    for ((rw, mean), idle) in all.into_iter().zip(day).zip(idle) {
        let Some((mr, mw)) = mean else { continue };
        let idle_read = idle.map_or_else(|| whole(0), |(r, _)| r);
        prov += c::provisioned_monthly(&mr, rcu_h.price.exact(), &hours)
            + c::provisioned_monthly(&mw, wcu_h.price.exact(), &hours)
            + &replicas
                * (c::provisioned_monthly(&idle_read, rcu_h.price.exact(), &hours)
                    + c::provisioned_monthly(&mw, rwcu_h.price.exact(), &hours));
        ond += c::on_demand_monthly(&rw.read.average, r_m.price.exact(), &secs)
            + c::on_demand_monthly(&rw.write.average, w_m.price.exact(), &secs)
            + &replicas * c::on_demand_monthly(&rw.write.average, rw_m.price.exact(), &secs);
        consumed_value += c::provisioned_monthly(&rw.read.average, rcu_h.price.exact(), &hours)
            + c::provisioned_monthly(&rw.write.average, wcu_h.price.exact(), &hours);
    }
    let utilization = if prov > whole(0) {
        &consumed_value / &prov * whole(100)
    } else {
        whole(0)
    };
    let break_even = c::break_even_utilization(rcu_h.price.exact(), r_m.price.exact()) * whole(100);
    let provisioned_wins = prov < ond;
    let (pm, om) = (money(&prov), money(&ond));
    let (u, b) = (percent1(&utilization), percent1(&break_even));
    let reason = if provisioned_wins {
        format!(
            "provisioned ${pm}/month < on-demand ${om}/month: autoscaled capacity would run at {u} % average utilization, above the {b} % break-even"
        )
    } else {
        format!(
            "on-demand ${om}/month ≤ provisioned ${pm}/month: autoscaled capacity would run at {u} % average utilization, below the {b} % break-even"
        )
    };
    AutoChoice {
        provisioned: provisioned_wins,
        provisioned_monthly: pm,
        on_demand_monthly: om,
        utilization_percent: u,
        break_even_percent: b,
        reason,
    }
}

fn units_text(v: &Q) -> String {
    capacity::display(v)
}

/// The lines of a table without a workload: fixed capacity is priced exactly (it does not
/// depend on traffic); autoscaled capacity, on-demand requests and storage are not estimated.
/// Returns the fixed capacity's (RCU-hours, WCU-hours), for the free tier.
fn no_workload_lines(
    tp: &super::TablePlan,
    (rcu_h, wcu_h, r_m, w_m): (&Price, &Price, &Price, &Price),
    hours: &Q,
    p: &crate::capacity::pricing::Prices,
    lines: &mut Vec<Line>,
) -> (Q, Q) {
    let mut fixed = (whole(0), whole(0));
    let mut subjects = vec![(tp.key.clone(), tp.capacity.as_ref())];
    for ix in &tp.indexes {
        subjects.push((format!("{} / {}", tp.key, ix.name), ix.capacity.as_ref()));
    }
    for (name, cap) in subjects {
        match cap {
            Some(cap) if !tp.autoscaled => {
                let (r, w) = (whole(cap.read.initial), whole(cap.write.initial));
                fixed.0 += &r * hours;
                fixed.1 += &w * hours;
                lines.push(line(
                    "DynamoDB",
                    format!("{name}: read capacity, {} RCU fixed", cap.read.initial),
                    &r * hours,
                    rcu_h,
                ));
                lines.push(line(
                    "DynamoDB",
                    format!("{name}: write capacity, {} WCU fixed", cap.write.initial),
                    &w * hours,
                    wcu_h,
                ));
            }
            Some(cap) => {
                lines.push(unestimated(
                    "DynamoDB",
                    format!(
                        "{name}: read capacity, autoscaled {} RCU",
                        crate::present::units(cap.read.min, cap.read.max, cap.read.initial, true)
                    ),
                    rcu_h,
                ));
                lines.push(unestimated(
                    "DynamoDB",
                    format!(
                        "{name}: write capacity, autoscaled {} WCU",
                        crate::present::units(
                            cap.write.min,
                            cap.write.max,
                            cap.write.initial,
                            true
                        )
                    ),
                    wcu_h,
                ));
            }
            None => {
                lines.push(unestimated(
                    "DynamoDB",
                    format!("{name}: read requests on demand"),
                    r_m,
                ));
                lines.push(unestimated(
                    "DynamoDB",
                    format!("{name}: write requests on demand"),
                    w_m,
                ));
            }
        }
    }
    let storage = match tp.table_class {
        "STANDARD_INFREQUENT_ACCESS" => &p.dynamodb_storage_gb_month_ia,
        _ => &p.dynamodb_storage_gb_month,
    };
    lines.push(unestimated(
        "DynamoDB",
        format!("{}: storage (table and indexes)", tp.key),
        storage,
    ));
    fixed
}

/// What a tier uses, summed over its lines, for the free-tier credits.
#[derive(Default)]
struct Usage {
    rcu_hours: Q,
    wcu_hours: Q,
    storage_gb: Q,
    alarm_metrics: u64,
    dashboards: u64,
    custom_metrics: u64,
    lambda_requests: Q,
    lambda_gbs: Q,
    api_requests: Q,
}

/// The monthly cost of `plan` (a module at one tier), every line traceable to a price:
/// DynamoDB, CloudWatch, Lambda, API Gateway and KMS in turn, then the free tier if asked for.
pub fn tier_cost(
    profile: &Profile,
    plan: &ModulePlan,
    pricing: &Pricing,
    free_tier: bool,
) -> TierCost {
    let mut lines = Vec::new();
    let mut u = Usage::default();
    dynamodb_lines(profile, plan, pricing, &mut lines, &mut u);
    cloudwatch_lines(profile, plan, pricing, &mut lines, &mut u);
    lambda_lines(profile, plan, pricing, &mut lines, &mut u);
    api_lines(profile, plan, pricing, &mut lines, &mut u);
    kms_lines(profile, plan, pricing, &mut lines);
    if free_tier {
        lines.extend(free_tier_lines(pricing, &u));
    }
    let customers = plan.customers;
    let total: Q = lines.iter().filter_map(|l| l.monthly.clone()).sum();
    let per_customer = &total / whole(customers.max(1));
    TierCost {
        customers,
        lines,
        total,
        per_customer,
        ceilings: ceilings(plan, pricing),
    }
}

/// Throughput (provisioned or on demand), storage and point-in-time recovery, table by table.
fn dynamodb_lines(
    profile: &Profile,
    plan: &ModulePlan,
    pricing: &Pricing,
    lines: &mut Vec<Line>,
    u: &mut Usage,
) {
    let p = &pricing.prices;
    let (hours, secs) = (pricing.hours(), pricing.seconds_per_month());
    let customers = plan.customers;
    for tp in &plan.tables {
        let t = &profile.tables[&tp.key];
        let (rcu_h, wcu_h, r_m, w_m) = throughput_prices(pricing, t.table_class);
        let (Some(demand), Some(w)) = (&tp.exact_demand, &t.workload) else {
            let fixed = no_workload_lines(tp, (rcu_h, wcu_h, r_m, w_m), &hours, p, lines);
            u.rcu_hours += fixed.0;
            u.wcu_hours += fixed.1;
            continue;
        };
        let (caps, scaling) = load::planned(tp);
        let day = load::day_means(
            t,
            customers,
            &caps,
            scaling,
            load::settings(profile),
            load::start(profile),
        );
        let mut subjects: Vec<(String, &ReadWrite, Option<&Provisioned>)> =
            vec![(tp.key.clone(), &demand.table, tp.capacity.as_ref())];
        for (ix, (_, rw)) in tp.indexes.iter().zip(&demand.indexes) {
            subjects.push((
                format!("{} / {}", tp.key, ix.name),
                rw,
                ix.capacity.as_ref(),
            ));
        }
        let replicas = whole(tp.replicas.len() as u64);
        let where_ = tp
            .replicas
            .iter()
            .map(|r| r.region.as_str())
            .collect::<Vec<_>>()
            .join(", ");
        let (rwcu_h, rw_m) = replicated_write_prices(pricing, t.table_class);
        // a replica's reads are idle (the workload reads in the primary region): what its
        // range's minimum (and schedule) provision; its writes are every write again
        let idle = match tp.replicas.is_empty() {
            true => vec![None; caps.len()],
            false => load::idle_means(
                t,
                customers,
                &caps,
                scaling,
                load::settings(profile),
                load::start(profile),
            ),
        };
        for (((name, rw, cap), mean), idle) in subjects.into_iter().zip(day).zip(idle) {
            let replica_read = match (&mean, idle) {
                (Some((_, mw)), Some((ir, _))) => Some((ir, mw.clone())),
                _ => None,
            };
            match (cap, mean) {
                (Some(_), Some((mr, mw))) => {
                    u.rcu_hours += &mr * &hours;
                    u.wcu_hours += &mw * &hours;
                    lines.push(line(
                        "DynamoDB",
                        format!(
                            "{name}: read capacity, {} RCU provisioned on average",
                            units_text(&mr)
                        ),
                        &mr * &hours,
                        rcu_h,
                    ));
                    lines.push(line(
                        "DynamoDB",
                        format!(
                            "{name}: write capacity, {} WCU provisioned on average",
                            units_text(&mw)
                        ),
                        &mw * &hours,
                        wcu_h,
                    ));
                }
                _ => {
                    let mr = c::monthly_units(&rw.read.average, &secs) / whole(1_000_000);
                    let mw = c::monthly_units(&rw.write.average, &secs) / whole(1_000_000);
                    lines.push(line(
                        "DynamoDB",
                        format!(
                            "{name}: read requests on demand, {} RRU/s on average",
                            units_text(&rw.read.average)
                        ),
                        mr,
                        r_m,
                    ));
                    lines.push(line(
                        "DynamoDB",
                        format!(
                            "{name}: write requests on demand, {} WRU/s on average",
                            units_text(&rw.write.average)
                        ),
                        mw,
                        w_m,
                    ));
                }
            }
            if !tp.replicas.is_empty() {
                match (cap, &replica_read) {
                    (Some(_), Some((mr, mw))) => {
                        u.rcu_hours += mr * &hours * &replicas;
                        lines.push(line(
                            "DynamoDB",
                            format!(
                                "{name}: replica read capacity in {where_}, {} RCU each on average (idle: the workload reads in {})",
                                units_text(mr), plan.region
                            ),
                            mr * &hours * &replicas,
                            rcu_h,
                        ));
                        lines.push(line(
                            "DynamoDB",
                            format!(
                                "{name}: replicated write capacity in {where_}, {} rWCU each on average",
                                units_text(mw)
                            ),
                            mw * &hours * &replicas,
                            rwcu_h,
                        ));
                    }
                    _ => {
                        let mw = c::monthly_units(&rw.write.average, &secs) / whole(1_000_000);
                        lines.push(line(
                            "DynamoDB",
                            format!(
                                "{name}: replicated writes on demand in {where_}, {} rWRU/s each on average",
                                units_text(&rw.write.average)
                            ),
                            mw * &replicas,
                            rw_m,
                        ));
                    }
                }
            }
        }
        // storage: the table, each GSI's projection, each LSI's projection
        let items = whole(customers) * w.items_per_customer.exact();
        if items > whole(0) {
            let item_kb = w.item_size_kb.exact();
            let table_gb = c::storage_gb(&items, item_kb);
            let mut lsi_gb = whole(0);
            for l in t.local_indexes.values() {
                lsi_gb += c::storage_gb(
                    &items,
                    &capacity::projected_item_kb(l.projection, None, item_kb),
                );
            }
            let mut gsi_gb = whole(0);
            for g in t.indexes.values() {
                gsi_gb += c::storage_gb(
                    &items,
                    &capacity::projected_item_kb(
                        g.projection,
                        g.item_size_kb.as_ref().map(|n| n.exact()),
                        item_kb,
                    ),
                );
            }
            let price = match t.table_class {
                TableClass::Standard => &p.dynamodb_storage_gb_month,
                TableClass::StandardInfrequentAccess => &p.dynamodb_storage_gb_month_ia,
            };
            let total_gb = &table_gb + &lsi_gb + &gsi_gb;
            u.storage_gb += &total_gb;
            lines.push(line(
                "DynamoDB",
                format!(
                    "{}: storage, {} items (table and indexes)",
                    tp.key,
                    units_text(&items)
                ),
                total_gb.clone(),
                price,
            ));
            if tp.pitr {
                lines.push(line(
                    "DynamoDB",
                    format!("{}: point-in-time recovery on table data", tp.key),
                    &table_gb + &lsi_gb,
                    &p.dynamodb_pitr_gb_month,
                ));
            }
            // every replica stores (and backs up) the whole table again
            if !tp.replicas.is_empty() {
                u.storage_gb += &total_gb * &replicas;
                lines.push(line(
                    "DynamoDB",
                    format!(
                        "{}: replica storage in {where_} (table and indexes, each)",
                        tp.key
                    ),
                    &total_gb * &replicas,
                    price,
                ));
                if tp.pitr {
                    lines.push(line(
                        "DynamoDB",
                        format!("{}: replica point-in-time recovery in {where_}", tp.key),
                        (&table_gb + &lsi_gb) * &replicas,
                        &p.dynamodb_pitr_gb_month,
                    ));
                }
            }
        }
    }
}

/// Requests DynamoDB makes to an account key: it caches a table's key for up to five minutes
/// per caller, so a table in use fetches it at least once every five minutes in each region
/// (AWS, *How Amazon DynamoDB uses AWS KMS*). A lower bound: every further caller adds as many.
pub const KMS_REQUESTS_PER_TABLE_HOUR: u64 = 12;

/// Encryption at rest: the keys the module creates, and the requests DynamoDB makes to an
/// account key (AWS managed or customer managed). The AWS owned key costs nothing.
fn kms_lines(profile: &Profile, plan: &ModulePlan, pricing: &Pricing, lines: &mut Vec<Line>) {
    let p = &pricing.prices;
    if !profile.encryption.uses_account_key() {
        return;
    }
    if plan.kms_key.is_some() {
        let keys = 1 + plan.replica_kms_keys.len() as u64;
        lines.push(line(
            "KMS",
            format!("{keys} customer-managed key(s) the module creates (one per region)"),
            whole(keys),
            &p.kms_key_month,
        ));
    }
    let table_regions: u64 = plan
        .tables
        .iter()
        .map(|t| 1 + t.replicas.len() as u64)
        .sum();
    let requests = whole(table_regions * KMS_REQUESTS_PER_TABLE_HOUR) * pricing.hours();
    lines.push(line(
        "KMS",
        format!(
            "table-key requests of {table_regions} table(s), replicas counted, at least {KMS_REQUESTS_PER_TABLE_HOUR} an hour each (DynamoDB caches a key 5 minutes per caller)"
        ),
        requests / whole(10_000),
        &p.kms_request_10k,
    ));
}

/// Alarm metrics, dashboards and custom metrics.
fn cloudwatch_lines(
    profile: &Profile,
    plan: &ModulePlan,
    pricing: &Pricing,
    lines: &mut Vec<Line>,
    u: &mut Usage,
) {
    let p = &pricing.prices;
    let alarm_metrics = plan.monitoring.alarm_metrics;
    u.alarm_metrics = alarm_metrics;
    if alarm_metrics > 0 {
        lines.push(line(
            "CloudWatch",
            format!("{alarm_metrics} alarm metrics (metric-math alarms count each metric)"),
            whole(alarm_metrics),
            &p.cloudwatch_alarm_metric_month,
        ));
    }
    let dashboards = plan.monitoring.dashboard_count as u64;
    u.dashboards = dashboards;
    if dashboards > 0 {
        lines.push(line(
            "CloudWatch",
            format!("{dashboards} dashboard(s)"),
            whole(dashboards),
            &p.cloudwatch_dashboard_month,
        ));
    }
    let custom = profile.business_metrics.len() as u64;
    u.custom_metrics = custom;
    if custom > 0 {
        lines.push(line(
            "CloudWatch",
            format!("{custom} custom business metrics"),
            whole(custom),
            &p.cloudwatch_custom_metric_month,
        ));
    }
}

/// Requests and compute of the monitored functions.
fn lambda_lines(
    profile: &Profile,
    plan: &ModulePlan,
    pricing: &Pricing,
    lines: &mut Vec<Line>,
    u: &mut Usage,
) {
    let p = &pricing.prices;
    let secs = pricing.seconds_per_month();
    let customers = plan.customers;
    for (key, l) in &profile.lambdas {
        let requests = whole(customers) * l.invocations_per_customer_per_second.exact() * &secs;
        if requests == whole(0) {
            continue;
        }
        let memory_gb = Q::new(u64::from(l.memory_mb.unwrap_or(128)).into(), 1024u64.into());
        let gbs = &requests * l.avg_duration_ms.exact() / whole(1000) * &memory_gb;
        u.lambda_requests += &requests;
        u.lambda_gbs += &gbs;
        lines.push(line(
            "Lambda",
            format!("{key}: requests"),
            &requests / whole(1_000_000),
            &p.lambda_request_million,
        ));
        let price = match l.architecture {
            Architecture::X86_64 => &p.lambda_gb_second_x86_64,
            Architecture::Arm64 => &p.lambda_gb_second_arm64,
        };
        lines.push(line(
            "Lambda",
            format!(
                "{key}: compute, {} ms × {} MB",
                l.avg_duration_ms,
                l.memory_mb.unwrap_or(128)
            ),
            gbs,
            price,
        ));
    }
}

/// Requests and caches of the monitored APIs.
fn api_lines(
    profile: &Profile,
    plan: &ModulePlan,
    pricing: &Pricing,
    lines: &mut Vec<Line>,
    u: &mut Usage,
) {
    let p = &pricing.prices;
    let (hours, secs) = (pricing.hours(), pricing.seconds_per_month());
    let customers = plan.customers;
    for (key, a) in &profile.apis {
        let requests = whole(customers) * a.requests_per_customer_per_second.exact() * &secs;
        if requests > whole(0) {
            u.api_requests += &requests;
            let price = match a.kind {
                ApiKind::Rest => &p.apigateway_rest_million,
                ApiKind::Http => &p.apigateway_http_million,
            };
            lines.push(line(
                "API Gateway",
                format!("{key}: requests"),
                &requests / whole(1_000_000),
                price,
            ));
        }
        if a.cache && a.kind == ApiKind::Rest {
            let size = a
                .cache_size_gb
                .as_ref()
                .map(|n| n.exact().clone())
                .unwrap_or_else(|| Q::new(1.into(), 2.into()));
            if let Some((label, price)) = pricing.cache_price(&size) {
                lines.push(line_with_unit(
                    "API Gateway",
                    format!("{key}: {label} GB cache"),
                    hours.clone(),
                    "cache-hour".into(),
                    price,
                ));
            }
        }
    }
}

/// Negative lines for the monthly allowances, so totals stay the sum of their lines.
fn free_tier_lines(pricing: &Pricing, u: &Usage) -> Vec<Line> {
    let p = &pricing.prices;
    let hours = pricing.hours();
    let mut out = Vec::new();
    let ft = &pricing.free_tier;
    let credit = |service: &'static str,
                  item: &str,
                  used: &Q,
                  allowance: u64,
                  per: Q,
                  price: &Price|
     -> Option<Line> {
        let free = if *used < whole(allowance) {
            used.clone()
        } else {
            whole(allowance)
        };
        (free > whole(0)).then(|| {
            let mut l = line(
                service,
                format!("free tier: {item}"),
                -(&free / &per),
                price,
            );
            l.item = format!("free tier: {item} ({} of {allowance})", units_text(&free));
            l
        })
    };
    out.extend(credit(
        "DynamoDB",
        "provisioned RCU",
        &(&u.rcu_hours / &hours),
        ft.dynamodb_provisioned_rcu,
        whole(1) / &hours,
        &p.dynamodb_provisioned_rcu_hour,
    ));
    out.extend(credit(
        "DynamoDB",
        "provisioned WCU",
        &(&u.wcu_hours / &hours),
        ft.dynamodb_provisioned_wcu,
        whole(1) / &hours,
        &p.dynamodb_provisioned_wcu_hour,
    ));
    out.extend(credit(
        "DynamoDB",
        "storage GB",
        &u.storage_gb,
        ft.dynamodb_storage_gb,
        whole(1),
        &p.dynamodb_storage_gb_month,
    ));
    out.extend(credit(
        "CloudWatch",
        "alarm metrics",
        &whole(u.alarm_metrics),
        ft.cloudwatch_alarm_metrics,
        whole(1),
        &p.cloudwatch_alarm_metric_month,
    ));
    out.extend(credit(
        "CloudWatch",
        "dashboards",
        &whole(u.dashboards),
        ft.cloudwatch_dashboards,
        whole(1),
        &p.cloudwatch_dashboard_month,
    ));
    out.extend(credit(
        "CloudWatch",
        "custom metrics",
        &whole(u.custom_metrics),
        ft.cloudwatch_custom_metrics,
        whole(1),
        &p.cloudwatch_custom_metric_month,
    ));
    out.extend(credit(
        "Lambda",
        "requests",
        &u.lambda_requests,
        ft.lambda_requests,
        whole(1_000_000),
        &p.lambda_request_million,
    ));
    out.extend(credit(
        "Lambda",
        "GB-seconds",
        &u.lambda_gbs,
        ft.lambda_gb_seconds,
        whole(1),
        &p.lambda_gb_second_x86_64,
    ));
    out.extend(credit(
        "API Gateway",
        "requests",
        &u.api_requests,
        ft.apigateway_requests,
        whole(1_000_000),
        &p.apigateway_rest_million,
    ));
    out
}
