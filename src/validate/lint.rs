//! Profile rules beyond the structural checks: capacity, environment policy, the capacity
//! plan's scaling thresholds and monitoring coverage. None of these stop `render`; `validate`
//! reports them.

use crate::capacity::whole;
use std::collections::HashMap;

use crate::capacity::{self, Q};
use crate::diag::Diagnostic;
use crate::plan::monitoring::Alarm;
use crate::plan::value::{HclValue, Seg};
use crate::plan::{self, ModulePlan};
use crate::profile::Loaded;
use crate::profile::model::{AlarmActions, Environment, ReadConsistency, WriteMode};
use crate::rules::RuleId;

/// DynamoDB's default per-table throughput quota, per dimension.
pub const TABLE_QUOTA_UNITS: u64 = 40_000;
/// Most read units one partition serves.
pub const PARTITION_RCU: u64 = 3_000;
/// Most write units one partition serves.
pub const PARTITION_WCU: u64 = 1_000;
/// How fast autoscaling must be able to climb from min to max (CF306), seconds.
pub const RAMP_LIMIT_SECONDS: u64 = 900;
/// Alarm evaluation before a scale-out (two one-minute datapoints), seconds.
pub const SCALE_OUT_DETECTION_SECONDS: u64 = 120;
/// The most provisioned units capform writes for one table or index dimension: the bound of
/// an explicit `capacity:` range too. AWS's default quota is 40,000 (CF303) and is raised on
/// request; a figure beyond this one is a mistake in the profile, not a plan, and would not
/// fit what Application Auto Scaling and Terraform accept for long.
pub const MAX_UNITS: u64 = 1_000_000;
/// CloudWatch's limit on an alarm name, characters.
pub const MAX_ALARM_NAME: usize = 255;
/// Application Auto Scaling's limit on a scaling policy name, characters.
pub const MAX_POLICY_NAME: usize = 256;

fn big(n: u64) -> num_bigint::BigInt {
    n.into()
}

/// The most units a table (`index: None`) or one of its indexes takes in a dimension, exactly:
/// a provisioned range's maximum (for a derived range, ceil(peak ÷ target) before it is
/// narrowed to a machine integer), an on-demand peak rounded up; `None` without a workload.
fn most_units(
    tp: &plan::TablePlan,
    index: Option<usize>,
    write: bool,
) -> Option<num_bigint::BigInt> {
    let cap = match index {
        None => tp.capacity.as_ref(),
        Some(i) => tp.indexes[i].capacity.as_ref(),
    };
    let demand = tp.exact_demand.as_ref().map(|d| match index {
        None => &d.table,
        Some(i) => &d.indexes[i].1,
    });
    let dim = |rw: &capacity::ReadWrite| {
        if write {
            rw.write.clone()
        } else {
            rw.read.clone()
        }
    };
    match (cap, demand) {
        (Some(c), Some(rw)) if c.source == "derived" => {
            let target = if write { c.write } else { c.read }.tracking.target;
            let t = Q::new(target.max(1).into(), 100.into());
            Some(capacity::ceil(&(&dim(rw).peak / &t)))
        }
        (Some(c), _) => Some(big(if write { c.write.max } else { c.read.max })),
        (None, Some(rw)) => Some(capacity::ceil(&dim(rw).peak)),
        (None, None) => None,
    }
}

/// Steps and seconds target tracking needs to go from `min` to `max`: each step multiplies
/// capacity by at most 100 ÷ target (throttled traffic shows 100 % utilization).
pub fn ramp(min: u64, max: u64, target: u32, cooldown: u32) -> (u32, u64) {
    let factor = 100.0 / f64::from(target.clamp(1, 100));
    let mut cap = min.max(1) as f64;
    let mut steps = 0u32;
    while cap < max as f64 && steps < 10_000 {
        cap = (cap * factor).ceil();
        steps += 1;
        if factor <= 1.0 {
            break;
        }
    }
    (
        steps,
        u64::from(steps) * (u64::from(cooldown) + SCALE_OUT_DETECTION_SECONDS),
    )
}

/// Run the profile rules at a tier. `plan` is the module plan at that tier.
pub fn lint(l: &Loaded, customers: u64, plan: &ModulePlan) -> Vec<Diagnostic> {
    let p = &l.profile;
    let mut out = Vec::new();
    let prod = p.environment == Environment::Production;
    for tp in &plan.tables {
        capacity_lint(l, tp, customers, &mut out);
        policy_lint(l, tp, customers, &mut out);
    }

    if prod && (p.monitoring.alarm_actions == AlarmActions::None || !p.monitoring.alarms) {
        let path: &[&str] = if !p.monitoring.alarms {
            &["monitoring", "alarms"]
        } else {
            &["monitoring", "alarm_actions"]
        };
        out.push(l.diag(RuleId::CF403, path, "production alarms notify nobody"));
    }
    // CF303 for the ranges schedules set: the quota holds whatever the time
    for (key, t) in &p.tables {
        let mut lists = vec![(vec!["tables", key.as_str(), "schedule"], &t.schedule)];
        for (ix, g) in &t.indexes {
            lists.push((
                vec!["tables", key.as_str(), "indexes", ix.as_str(), "schedule"],
                &g.schedule,
            ));
        }
        for (path, list) in lists {
            for (i, e) in list.iter().enumerate() {
                for (dim, b) in [("read", e.read), ("write", e.write)] {
                    let most = b.and_then(|b| b.max.max(b.min)).unwrap_or(0);
                    if most > TABLE_QUOTA_UNITS {
                        out.push(l.diag_item_field(RuleId::CF303, &path, i, dim, format!(
                            "schedule `{}` of table `{key}` sets {dim} capacity up to {most}, above the default quota of {TABLE_QUOTA_UNITS}",
                            e.name
                        )));
                    }
                }
            }
        }
    }
    let replicated = plan.tables.iter().any(|t| !t.replicas.is_empty());
    if customers >= p.scaling.multi_region_at && !replicated {
        out.push(l.diag(RuleId::CF502, &["customers"], format!(
            "{customers} customers in one region ({}); from {} customers the capacity plan recommends a second region (DynamoDB global tables)",
            p.region, p.scaling.multi_region_at
        )));
    }
    out
}

/// CF303, CF308, CF304, CF306: the capacity a table needs at this tier.
fn capacity_lint(l: &Loaded, tp: &plan::TablePlan, customers: u64, out: &mut Vec<Diagnostic>) {
    let p = &l.profile;
    let k = tp.key.as_str();
    let t = &p.tables[k];
    // CF303: the per-table quota; CF308: capacity no table can be given. Both compare the
    // exact figures (a derived range's u64 saturates far beyond anything AWS accepts).
    let at = if t.workload.is_some() {
        "workload"
    } else {
        "capacity"
    };
    for (dim, units) in [
        ("read", most_units(tp, None, false)),
        ("write", most_units(tp, None, true)),
    ] {
        if let Some(units) = units
            && units > big(TABLE_QUOTA_UNITS)
        {
            out.push(l.diag_key(RuleId::CF303, &["tables", k, at], format!(
                "table `{k}` needs up to {units} {dim} units at {customers} customers; the default table quota is {TABLE_QUOTA_UNITS}"
            )));
        }
    }
    for i in std::iter::once(None).chain((0..tp.indexes.len()).map(Some)) {
        if i.is_some_and(|i| tp.indexes[i].capacity.is_none())
            || (i.is_none() && tp.capacity.is_none())
        {
            continue;
        }
        let what = i
            .map(|i| format!(" index `{}`", tp.indexes[i].name))
            .unwrap_or_default();
        for (dim, write) in [("read", false), ("write", true)] {
            if let Some(units) = most_units(tp, i, write)
                && units > big(MAX_UNITS)
            {
                out.push(l.diag_key(RuleId::CF308, &["tables", k, at], format!(
                    "table `{k}`{what} would need {units} {dim} units at {customers} customers; capform writes at most {MAX_UNITS} (check the workload's rates and peak factor)"
                )));
            }
        }
    }

    // CF304: one customer on one partition key
    if let Some(w) = &t.workload
        && w.keyed_by_customer
    {
        let r = w.reads_per_second.exact()
            * capacity::read_units_per_read(w.item_size_kb.exact(), w.read_consistency)
            * w.peak_factor.exact();
        let wu = w.writes_per_second.exact()
            * capacity::write_units_per_write(w.item_size_kb.exact(), w.write_mode)
            * w.peak_factor.exact();
        if r > whole(PARTITION_RCU) {
            out.push(l.diag(RuleId::CF304, &["tables", k, "workload", "reads_per_second"], format!("one customer's peak reads on table `{k}` need {} RCU on one partition key; a partition serves {PARTITION_RCU}", capacity::display(&r))));
        }
        if wu > whole(PARTITION_WCU) {
            out.push(l.diag(RuleId::CF304, &["tables", k, "workload", "writes_per_second"], format!("one customer's peak writes on table `{k}` need {} WCU on one partition key; a partition serves {PARTITION_WCU}", capacity::display(&wu))));
        }
        let _ = (ReadConsistency::Eventual, WriteMode::Standard);
    }

    // CF306: can autoscaling climb the range in time?
    if tp.autoscaled {
        let mut ranges = Vec::new();
        if let Some(c) = &tp.capacity {
            ranges.push((String::new(), c.read, c.write));
        }
        for ix in &tp.indexes {
            if let Some(c) = &ix.capacity {
                ranges.push((format!(" index `{}`", ix.name), c.read, c.write));
            }
        }
        for (what, r, w) in ranges {
            for (dim, c) in [("read", r), ("write", w)] {
                let tr = c.tracking;
                let (steps, secs) = ramp(c.min, c.max, tr.target, tr.scale_out_cooldown);
                if secs > RAMP_LIMIT_SECONDS {
                    out.push(l.diag_key(RuleId::CF306, &["tables", k], format!(
                        "table `{k}`{what}: autoscaling needs {steps} scale-outs (≈{} min) to take {dim} capacity from {} to {} at {} % target and {} s cooldown",
                        secs.div_ceil(60), c.min, c.max, tr.target, tr.scale_out_cooldown
                    )));
                }
            }
        }
    }
}

/// CF401, CF402, CF404 (environment policy), CF501 (autoscaling required), CF603 (throttle
/// alarms) for one table.
fn policy_lint(l: &Loaded, tp: &plan::TablePlan, customers: u64, out: &mut Vec<Diagnostic>) {
    let p = &l.profile;
    let k = tp.key.as_str();
    let t = &p.tables[k];
    let prod = p.environment == Environment::Production;
    // environment policy
    let pitr_path: Vec<&str> = if t.point_in_time_recovery.is_some() {
        vec!["tables", k, "point_in_time_recovery"]
    } else if p.defaults.point_in_time_recovery.is_some() {
        vec!["defaults", "point_in_time_recovery"]
    } else {
        vec!["tables", k]
    };
    if prod && !tp.pitr {
        out.push(l.diag(
            RuleId::CF401,
            &pitr_path,
            format!("production table `{k}` has point-in-time recovery off"),
        ));
    }
    if p.environment == Environment::Staging && tp.pitr {
        out.push(l.diag(
            RuleId::CF404,
            &pitr_path,
            format!("staging table `{k}` has point-in-time recovery on (billed per GB-month)"),
        ));
    }
    if prod && !tp.deletion_protection {
        let path: Vec<&str> = if t.deletion_protection.is_some() {
            vec!["tables", k, "deletion_protection"]
        } else if p.defaults.deletion_protection.is_some() {
            vec!["defaults", "deletion_protection"]
        } else {
            vec!["tables", k]
        };
        out.push(l.diag(
            RuleId::CF402,
            &path,
            format!("production table `{k}` has deletion protection off"),
        ));
    }

    // CF501: autoscaling required above the threshold. The billing the plan resolved is
    // what counts: `billing: auto` that chose provisioned capacity without autoscaling too.
    if tp.capacity.is_some() && !tp.autoscaled && customers > p.scaling.autoscaling_required_above {
        let at = if t.autoscaling {
            vec!["tables", k, "billing"]
        } else {
            vec!["tables", k, "autoscaling"]
        };
        out.push(l.diag(RuleId::CF501, &at, format!(
            "table `{k}` is provisioned without autoscaling at {customers} customers; beyond {} customers the capacity plan requires autoscaling",
            p.scaling.autoscaling_required_above
        )));
    }

    // CF603: throttle alarms
    if !p.monitoring.alarms || !t.alarms.enabled {
        let path: Vec<&str> = if !p.monitoring.alarms {
            vec!["monitoring", "alarms"]
        } else {
            vec!["tables", k, "alarms", "enabled"]
        };
        out.push(l.diag(
            RuleId::CF603,
            &path,
            format!("table `{k}` has no throttle alarm"),
        ));
    }
}

/// Where in the profile an alarm's subject is: `tables.t`, `tables.t.indexes.i`,
/// `lambdas.f`, `apis.a`.
fn subject_path(a: &Alarm) -> Vec<&str> {
    let family = a.kind.split('-').next().unwrap_or_default();
    match (family, a.subject.split_once('.')) {
        ("dynamodb", Some((t, ix))) => vec!["tables", t, "indexes", ix],
        ("dynamodb", None) => vec!["tables", &a.subject],
        ("lambda", _) => vec!["lambdas", &a.subject],
        _ => vec!["apis", &a.subject],
    }
}

fn subject_words(a: &Alarm) -> String {
    let path = subject_path(a);
    match path[0] {
        "tables" if path.len() > 2 => format!("index `{}` of table `{}`", path[3], path[1]),
        "tables" => format!("table `{}`", path[1]),
        "lambdas" => format!("Lambda function `{}`", path[1]),
        _ => format!("API `{}`", path[1]),
    }
}

/// A name as AWS receives it, with the module's default name prefix.
fn resolved(v: &HclValue, prefix: &str) -> String {
    match v {
        HclValue::Template(segs) => segs
            .iter()
            .map(|s| match s {
                Seg::Text(t) => t.as_str(),
                Seg::Interp(_) => prefix,
            })
            .collect(),
        HclValue::Str(s) => s.to_string(),
        other => crate::render::hcl::write(other),
    }
}

/// CF213 and CF214: names AWS would refuse, and resources two profile keys would both define.
/// Alarm labels and names are made from profile keys joined by `_` and `-`, so table
/// `lambda_a` and function `a_read` both make `lambda_a_read_throttles`.
pub fn name_findings(l: &Loaded, plan: &ModulePlan, alarms: &[Alarm]) -> Vec<Diagnostic> {
    let prefix = &l.profile.name;
    let mut out = Vec::new();
    let mut labels: HashMap<&str, &Alarm> = HashMap::new();
    let mut names: HashMap<String, &Alarm> = HashMap::new();
    for a in alarms {
        let path = subject_path(a);
        let name = resolved(&a.name, prefix);
        if name.chars().count() > MAX_ALARM_NAME {
            out.push(l.diag_key(RuleId::CF213, &path, format!(
                "alarm name `{name}` is {} characters; CloudWatch allows {MAX_ALARM_NAME}: shorten the {}",
                name.chars().count(),
                if path[0] == "tables" { "table (or index) name" } else { "key" }
            )));
        }
        if let Some(first) = labels.insert(&a.label, a) {
            out.push(l.diag_key(
                RuleId::CF214,
                &path,
                format!(
                    "{} and {} would both define alarm resource `{}`; rename one of the keys",
                    subject_words(first),
                    subject_words(a),
                    a.label
                ),
            ));
        } else if let Some(first) = names.insert(name.clone(), a) {
            out.push(l.diag_key(
                RuleId::CF214,
                &path,
                format!(
                    "{} and {} would both create the alarm named `{name}`; rename one of them",
                    subject_words(first),
                    subject_words(a)
                ),
            ));
        }
    }
    for tp in &plan.tables {
        for s in &tp.scaling {
            let name = s.policy_name(&tp.full_name);
            if name.chars().count() > MAX_POLICY_NAME {
                let path = match &s.index {
                    Some(ix) => vec!["tables", tp.key.as_str(), "indexes", ix.as_str()],
                    None => vec!["tables", tp.key.as_str()],
                };
                out.push(l.diag_key(RuleId::CF213, &path, format!(
                    "scaling policy name `{name}` is {} characters; Application Auto Scaling allows {MAX_POLICY_NAME}: shorten the table or index name",
                    name.chars().count()
                )));
            }
        }
    }
    out
}

/// Every finding of a profile at a module plan's tier, waivers applied: what `validate` reports
/// and what stops `render`. `alarms` are the plan's own when it has them.
pub fn plan_findings(l: &Loaded, plan: &ModulePlan) -> Vec<Diagnostic> {
    let mut found = lint(l, plan.customers, plan);
    let built;
    let alarms = if plan.monitoring.alarms.is_empty() {
        built = plan::monitoring::alarms(&l.profile, &plan.tables);
        &built
    } else {
        &plan.monitoring.alarms
    };
    found.extend(name_findings(l, plan, alarms));
    found.retain(|d| !waived(l, d));
    found
}

/// Load, check and lint one profile at a tier (the profile's own unless `customers`).
pub fn profile_findings(l: &Loaded, customers: Option<u64>) -> Vec<Diagnostic> {
    let customers = customers.unwrap_or(l.profile.customers);
    let plan = plan::resolve_tables(&l.profile, &l.file, customers, &plan::Options::default());
    plan_findings(l, &plan)
}

/// Whether the profile waives a finding: at the top level, or on the table it concerns.
pub fn waived(l: &Loaded, d: &Diagnostic) -> bool {
    let mut parts = d.path.split('.');
    let table = match (parts.next(), parts.next()) {
        (Some("tables"), Some(table)) => l.profile.tables.get(table),
        _ => None,
    };
    l.profile.waiver(table, d.rule).is_some()
}

#[cfg(test)]
mod tests {
    use super::ramp;

    #[test]
    fn ramp_counts_steps_of_100_over_target() {
        // 25 → 36 → 52 → 75 → 108: four steps at 70 %
        assert_eq!(ramp(25, 100, 70, 60), (4, 4 * 180));
        assert_eq!(ramp(100, 100, 70, 60), (0, 0));
        // 1 → 1000 at 90 %: factor 1.11, many steps
        let (steps, secs) = ramp(1, 1000, 90, 300);
        assert!(steps > 20 && secs > 900);
    }
}
