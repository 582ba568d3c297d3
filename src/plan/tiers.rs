//! The capacity plan across customer tiers: per-tier table capacity, monthly cost and the
//! scaling findings (no changes needed up to N, autoscaling required beyond M, multi-region at
//! K — thresholds from the profile's `scaling` section).

use rayon::prelude::*;
use serde::Serialize;

use super::cost::{self, TierCost, money, money4};
use super::{ModulePlan, Options, resolve_tier_with};
use crate::capacity::pricing::Pricing;
use crate::profile::model::Profile;

/// Tiers CAPACITY.md always shows, besides the module's own.
pub const STANDARD_TIERS: &[u64] = &[100, 1_000, 5_000, 10_000];

/// What applies at a tier, as the plan report and CAPACITY.md show it: a validator finding
/// (with its rule ID) or one of the capacity plan's notes (no rule).
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct Finding {
    /// `info`, `warning` or `error`.
    pub level: &'static str,
    /// The rule ID of a validator finding; `None` for a note.
    pub rule: Option<crate::rules::RuleId>,
    /// What applies at this tier.
    pub message: String,
}

/// The capacity plan's notes for a module at its tier: where the tier stands against the
/// profile's `scaling` thresholds, and each `billing: auto` choice. What is *wrong* at the tier
/// (autoscaling required, a second region, quotas) is a validator finding, not a note: see
/// [`crate::tier`]. `clean` says whether the tier has no warning or error, without which "no
/// changes are needed" would not be true.
pub fn scaling_notes(profile: &Profile, plan: &ModulePlan, clean: bool) -> Vec<String> {
    let s = &profile.scaling;
    let n = plan.customers;
    let mut out = Vec::new();
    if n <= s.no_changes_up_to && clean {
        out.push(format!(
            "Up to {} customers no changes are needed: the module as rendered covers this tier.",
            s.no_changes_up_to
        ));
    }
    if n > s.autoscaling_required_above {
        if plan
            .tables
            .iter()
            .all(|t| t.capacity.is_none() || t.autoscaled)
        {
            out.push(format!(
                "Beyond {} customers autoscaling is required: every provisioned table autoscales.",
                s.autoscaling_required_above
            ));
        }
    } else if n > s.no_changes_up_to {
        out.push(format!("Between {} and {} customers: re-render at the new tier so the autoscaling ranges follow the workload.", s.no_changes_up_to, s.autoscaling_required_above));
    }
    for t in &plan.tables {
        if let Some(a) = &t.auto {
            out.push(format!(
                "`{}` (billing: auto) is {}: {}.",
                t.key,
                if a.provisioned {
                    "provisioned"
                } else {
                    "on demand"
                },
                a.reason
            ));
        }
    }
    out
}

/// One table or index at a tier, for the tier table.
#[derive(Clone, Debug, Serialize)]
pub struct TableTier {
    /// `table` or `table / index`.
    pub name: String,
    /// `provisioned, autoscaled`, `provisioned, fixed`, `on demand` (with `auto` when chosen).
    pub billing: String,
    /// Read units: `25–100` (autoscaled), `100` (fixed) or `on demand`.
    pub read: String,
    /// Write units, likewise.
    pub write: String,
}

/// One tier of the capacity plan.
#[derive(Clone, Debug, Serialize)]
pub struct TierSummary {
    /// Customers.
    pub customers: u64,
    /// Tables and indexes.
    pub tables: Vec<TableTier>,
    /// Monthly cost per service, USD: (service, amount).
    pub services: Vec<(String, String)>,
    /// Monthly total, USD.
    pub total: String,
    /// Monthly cost per customer, USD.
    pub per_customer: String,
    /// What the total leaves out, e.g. ` (excluding 2 items not estimated: no workload)`.
    pub total_note: String,
}

/// A cost line as printed.
#[derive(Clone, Debug, Serialize)]
pub struct LineView {
    /// Service.
    pub service: &'static str,
    /// Item.
    pub item: String,
    /// Quantity.
    pub quantity: String,
    /// Unit.
    pub unit: String,
    /// USD per unit.
    pub unit_price: String,
    /// USD per month.
    pub monthly: String,
    /// Price source.
    pub source: String,
    /// Date the price was checked.
    pub checked: String,
}

/// One table or index across the tiers of CAPACITY.md.
#[derive(Clone, Debug, Serialize)]
pub struct CapacityRow {
    /// `table` or `table / index`.
    pub name: String,
    /// One cell per tier: `25–100 RCU / 25–100 WCU`, `100 RCU / 100 WCU` or `on demand`.
    pub cells: Vec<String>,
}

/// The capacity section of a module: CAPACITY.md.
#[derive(Clone, Debug, Serialize)]
pub struct CapacitySection {
    /// The standard tiers and the module's own, ascending.
    pub tiers: Vec<TierSummary>,
    /// Tables and indexes by tier (the same rows as each tier's `tables`).
    pub rows: Vec<CapacityRow>,
    /// Cost lines at the module's tier.
    pub lines: Vec<LineView>,
    /// Total at the module's tier.
    pub total: String,
    /// Per customer at the module's tier.
    pub per_customer: String,
    /// What the total at the module's tier leaves out (see [`TierSummary::total_note`]).
    pub total_note: String,
    /// The most each capped on-demand table can cost at the module's tier
    /// ([`super::cost::Ceiling::text`], as `capform plan` prints it).
    pub ceilings: Vec<String>,
    /// Notes and findings at the module's tier (set by [`crate::tier::module`]).
    pub findings: Vec<Finding>,
    /// Each scenario's outcome as `capform simulate` reports it (set by
    /// [`crate::tier::module`]).
    pub scenarios: Vec<ScenarioLine>,
    /// Region of the price list.
    pub pricing_region: String,
    /// Hours in a billing month.
    pub hours_per_month: u32,
}

/// One scenario's outcome, as CAPACITY.md lists it.
#[derive(Clone, Debug, Serialize)]
pub struct ScenarioLine {
    /// The scenario.
    pub name: String,
    /// What it stands for.
    pub description: String,
    /// Customers it runs at.
    pub customers: u64,
    /// Minutes.
    pub minutes: u32,
    /// `at most 0 throttled requests`, or `none`.
    pub expectation: String,
    /// `met`, `not met` or `–` (no expectation).
    pub verdict: String,
    /// What throttled, worst first (`support_tickets writes: 119,955`), or `nothing`.
    pub throttled: String,
}

/// The services in the order every breakdown lists them.
pub const SERVICES: &[&str] = &["DynamoDB", "CloudWatch", "Lambda", "API Gateway", "KMS"];

/// Summarise one tier.
pub fn summary(plan: &ModulePlan, cost: &TierCost) -> TierSummary {
    let mut tables = Vec::new();
    for t in &plan.tables {
        let billing = t.billing_label();
        let fmt = |cap: Option<&super::Provisioned>, write: bool| match cap {
            Some(c) => {
                let d = if write { c.write } else { c.read };
                crate::present::units(d.min, d.max, d.initial, t.autoscaled)
            }
            None => "on demand".into(),
        };
        tables.push(TableTier {
            name: t.key.clone(),
            billing: billing.clone(),
            read: fmt(t.capacity.as_ref(), false),
            write: fmt(t.capacity.as_ref(), true),
        });
        for ix in &t.indexes {
            tables.push(TableTier {
                name: format!("{} / {}", t.key, ix.name),
                billing: billing.clone(),
                read: fmt(ix.capacity.as_ref(), false),
                write: fmt(ix.capacity.as_ref(), true),
            });
        }
    }
    TierSummary {
        customers: plan.customers,
        tables,
        services: SERVICES
            .iter()
            .map(|s| ((*s).to_owned(), money(&cost.service_total(s))))
            .collect(),
        total: money(&cost.total),
        per_customer: money4(&cost.per_customer),
        total_note: cost.total_note(),
    }
}

/// Cost lines as printed.
pub fn line_views(cost: &TierCost) -> Vec<LineView> {
    cost.lines
        .iter()
        .map(|l| LineView {
            service: l.service,
            item: l.item.clone(),
            quantity: l.quantity_text(),
            unit: l.unit.clone(),
            unit_price: l.unit_price_text.clone(),
            monthly: l.monthly_text(),
            source: l.source.clone(),
            checked: l.checked.clone(),
        })
        .collect()
}

/// Build the capacity section for a module plan.
pub fn section(
    profile: &Profile,
    source: &str,
    main: &ModulePlan,
    options: &Options,
) -> CapacitySection {
    let pricing: &Pricing = options
        .pricing
        .as_deref()
        .unwrap_or_else(|| Pricing::default_list());
    let mut tiers: Vec<u64> = STANDARD_TIERS.to_vec();
    if !tiers.contains(&main.customers) {
        tiers.push(main.customers);
    }
    tiers.sort_unstable();
    // Tiers are independent: they are planned and priced on all cores.
    let (main_cost, others) = rayon::join(
        || cost::tier_cost(profile, main, pricing, false),
        || {
            tiers
                .par_iter()
                .filter(|&&n| n != main.customers)
                .map(|&n| {
                    let p = resolve_tier_with(
                        profile,
                        source,
                        n,
                        options,
                        super::Monitoring::Counted(main),
                    );
                    (
                        n,
                        summary(&p, &cost::tier_cost(profile, &p, pricing, false)),
                    )
                })
                .collect::<Vec<_>>()
        },
    );
    let mut others = others.into_iter();
    let summaries: Vec<TierSummary> = tiers
        .iter()
        .map(|&n| {
            if n == main.customers {
                summary(main, &main_cost)
            } else {
                let (m, s) = others.next().expect("one summary per other tier");
                debug_assert_eq!(m, n);
                s
            }
        })
        .collect();
    let rows = summaries
        .first()
        .map(|first| {
            (0..first.tables.len())
                .map(|i| CapacityRow {
                    name: first.tables[i].name.clone(),
                    cells: summaries
                        .iter()
                        .map(|t| {
                            let r = &t.tables[i];
                            let auto = if r.billing.ends_with("(auto)") {
                                " (auto)"
                            } else {
                                ""
                            };
                            if r.read == "on demand" {
                                format!("on demand{auto}")
                            } else {
                                format!("{} RCU / {} WCU{auto}", r.read, r.write)
                            }
                        })
                        .collect(),
                })
                .collect()
        })
        .unwrap_or_default();
    CapacitySection {
        rows,
        tiers: summaries,
        lines: line_views(&main_cost),
        total: money(&main_cost.total),
        per_customer: money4(&main_cost.per_customer),
        total_note: main_cost.total_note(),
        ceilings: main_cost.ceilings.iter().map(|c| c.text()).collect(),
        // filled by `crate::tier`, which holds the validator's findings and the simulation
        findings: Vec::new(),
        scenarios: Vec::new(),
        pricing_region: pricing.region.clone(),
        hours_per_month: pricing.hours_per_month,
    }
}
