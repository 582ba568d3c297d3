//! One tier of a profile, computed once: the module plan, its monthly cost, and every finding
//! at that tier — all validator rules (waivers applied) and the capacity plan's notes.
//!
//! `capform plan` (text, Markdown, JSON), CAPACITY.md and `validate --customers N` all read
//! their findings from here (through [`crate::validate::lint::plan_findings`]), so the three
//! never disagree; `tests/agreement.rs` checks it for every shipped profile and corpus case at
//! every standard tier.

pub mod output;

use crate::capacity::pricing::Pricing;
use crate::diag::{Diagnostic, Severity};
use crate::plan::cost::{TierCost, tier_cost};
use crate::plan::tiers::{Finding, scaling_notes};
use crate::plan::{self, ModulePlan};
use crate::profile::Loaded;

/// A profile at one tier.
pub struct Tier {
    /// The module at this tier.
    pub plan: ModulePlan,
    /// Its monthly cost.
    pub cost: TierCost,
    /// Every finding at this tier, with its location (what `validate` reports).
    pub diagnostics: Vec<Diagnostic>,
    /// The same findings as the plan report shows them, after the capacity plan's notes.
    pub findings: Vec<Finding>,
}

impl Tier {
    /// Whether a finding at this tier is an error.
    pub fn has_errors(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|d| d.severity == Severity::Error)
    }
}

/// The findings of a module plan at its tier: the capacity plan's notes, then every validator
/// finding (sorted as `validate` sorts them).
pub fn findings(l: &Loaded, plan: &ModulePlan) -> (Vec<Diagnostic>, Vec<Finding>) {
    let mut diagnostics = crate::validate::lint::plan_findings(l, plan);
    crate::diag::sort(&mut diagnostics);
    let clean = diagnostics.iter().all(|d| d.severity == Severity::Info);
    let mut shown: Vec<Finding> = scaling_notes(&l.profile, plan, clean)
        .into_iter()
        .map(|message| Finding {
            level: "info",
            rule: None,
            message,
        })
        .collect();
    shown.extend(diagnostics.iter().map(|d| Finding {
        level: d.severity.as_str(),
        rule: Some(d.rule),
        message: d.message.clone(),
    }));
    (diagnostics, shown)
}

/// A profile at one tier, for the plan report.
pub fn at(l: &Loaded, customers: u64, pricing: &Pricing, free_tier: bool) -> Tier {
    let options = plan::Options::priced(pricing);
    let plan = plan::resolve_tier(&l.profile, &l.file, customers, &options);
    let cost = tier_cost(&l.profile, &plan, pricing, free_tier);
    let (diagnostics, findings) = findings(l, &plan);
    Tier {
        plan,
        cost,
        diagnostics,
        findings,
    }
}

/// The module to render at a tier, with CAPACITY.md's findings filled in, and the findings
/// (`render` refuses a module with an error among them).
pub fn module(l: &Loaded, customers: u64, options: plan::Options) -> (ModulePlan, Vec<Diagnostic>) {
    let pricing: Pricing = options
        .pricing
        .as_deref()
        .cloned()
        .unwrap_or_else(|| Pricing::default_list().clone());
    let mut plan = plan::resolve(&l.profile, &l.file, customers, options);
    let (diagnostics, shown) = findings(l, &plan);
    let scenarios = scenario_lines(l, &plan, customers, &pricing);
    if let Some(capacity) = plan.capacity.as_mut() {
        capacity.findings = shown;
        capacity.scenarios = scenarios;
    }
    (plan, diagnostics)
}

/// Every scenario's outcome for CAPACITY.md: each at its own tier (the module's when it names
/// none), the built-in day first.
fn scenario_lines(
    l: &Loaded,
    module: &ModulePlan,
    customers: u64,
    pricing: &Pricing,
) -> Vec<crate::plan::tiers::ScenarioLine> {
    use crate::simulate;
    simulate::specs(&l.profile, customers)
        .iter()
        .map(|spec| {
            let resolved;
            let at_tier = if spec.customers == module.customers {
                module
            } else {
                let options = plan::Options::priced(pricing);
                resolved = plan::resolve_tier(&l.profile, &l.file, spec.customers, &options);
                &resolved
            };
            let run = simulate::run_on_with(&l.profile, at_tier, spec, pricing, false);
            simulate::output::capacity_line(&run)
        })
        .collect()
}
