//! Profile rules beyond the structural checks: capacity, environment policy, the capacity
//! plan's scaling thresholds and monitoring coverage. None of these stop `render`; `validate`
//! reports them.

use crate::capacity::{self, Q};
use crate::diag::Diagnostic;
use crate::plan::{self, ModulePlan};
use crate::profile::Loaded;
use crate::profile::model::{AlarmActions, Billing, Environment, ReadConsistency, WriteMode};

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

fn q(n: u64) -> Q {
    Q::from_integer(n.into())
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
        let k = tp.key.as_str();
        let t = &p.tables[k];

        // CF303: the per-table quota
        let peaks = match (&tp.capacity, &tp.exact_demand) {
            (Some(c), _) => Some((c.read.max, c.write.max)),
            (None, Some(demand)) => Some((
                capacity::to_u64(&capacity::ceil(&demand.table.read.peak)),
                capacity::to_u64(&capacity::ceil(&demand.table.write.peak)),
            )),
            // on demand without a workload: nothing says how much it will take
            (None, None) => None,
        };
        let at = if t.workload.is_some() {
            "workload"
        } else {
            "capacity"
        };
        for (dim, units) in peaks
            .map(|(r, w)| [("read", r), ("write", w)])
            .into_iter()
            .flatten()
        {
            if units > TABLE_QUOTA_UNITS {
                out.push(l.diag_key("CF303", &["tables", k, at], format!(
                    "table `{k}` needs up to {units} {} units at {customers} customers; the default table quota is {TABLE_QUOTA_UNITS}",
                    dim
                )));
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
            if r > q(PARTITION_RCU) {
                out.push(l.diag("CF304", &["tables", k, "workload", "reads_per_second"], format!("one customer's peak reads on table `{k}` need {} RCU on one partition key; a partition serves {PARTITION_RCU}", capacity::display(&r))));
            }
            if wu > q(PARTITION_WCU) {
                out.push(l.diag("CF304", &["tables", k, "workload", "writes_per_second"], format!("one customer's peak writes on table `{k}` need {} WCU on one partition key; a partition serves {PARTITION_WCU}", capacity::display(&wu))));
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
                    let (steps, secs) =
                        ramp(c.min, c.max, tp.target, p.defaults.scale_out_cooldown);
                    if secs > RAMP_LIMIT_SECONDS {
                        out.push(l.diag_key("CF306", &["tables", k], format!(
                            "table `{k}`{what}: autoscaling needs {steps} scale-outs (≈{} min) to take {dim} capacity from {} to {} at {} % target and {} s cooldown",
                            secs.div_ceil(60), c.min, c.max, tp.target, p.defaults.scale_out_cooldown
                        )));
                    }
                }
            }
        }

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
                "CF401",
                &pitr_path,
                format!("production table `{k}` has point-in-time recovery off"),
            ));
        }
        if p.environment == Environment::Staging && tp.pitr {
            out.push(l.diag(
                "CF404",
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
                "CF402",
                &path,
                format!("production table `{k}` has deletion protection off"),
            ));
        }

        // CF501: autoscaling required above the threshold
        if t.billing == Billing::Provisioned
            && !t.autoscaling
            && customers > p.scaling.autoscaling_required_above
        {
            out.push(l.diag("CF501", &["tables", k, "autoscaling"], format!(
                "table `{k}` is provisioned without autoscaling at {customers} customers; above {} the capacity plan requires autoscaling",
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
            out.push(l.diag("CF603", &path, format!("table `{k}` has no throttle alarm")));
        }
    }

    if prod && (p.monitoring.alarm_actions == AlarmActions::None || !p.monitoring.alarms) {
        let path: &[&str] = if !p.monitoring.alarms {
            &["monitoring", "alarms"]
        } else {
            &["monitoring", "alarm_actions"]
        };
        out.push(l.diag("CF403", path, "production alarms notify nobody"));
    }
    if customers >= p.scaling.multi_region_at {
        out.push(l.diag("CF502", &["customers"], format!(
            "{customers} customers in one region ({}); from {} the capacity plan recommends a second region",
            p.region, p.scaling.multi_region_at
        )));
    }
    out
}

/// Load, check and lint one profile at a tier (the profile's own unless `customers`).
pub fn profile_findings(l: &Loaded, customers: Option<u64>) -> Vec<Diagnostic> {
    let customers = customers.unwrap_or(l.profile.customers);
    let plan = plan::plan_tables(&l.profile, &l.file, customers, &plan::Options::default());
    let mut found = lint(l, customers, &plan);
    found.retain(|d| !waived(l, d));
    found
}

/// Whether the profile waives a finding: at the top level, or on the table it concerns.
pub fn waived(l: &Loaded, d: &Diagnostic) -> bool {
    if l.profile.waivers.contains_key(d.rule) {
        return true;
    }
    let mut parts = d.path.split('.');
    match (parts.next(), parts.next()) {
        (Some("tables"), Some(table)) => l
            .profile
            .tables
            .get(table)
            .is_some_and(|t| t.waivers.contains_key(d.rule)),
        _ => false,
    }
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
