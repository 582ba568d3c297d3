//! One table of the module plan, decided step by step: billing, attribute definitions, index
//! capacity, autoscaling targets and policies, lifecycle, and the findings the module accepts
//! on purpose (suppressions for the validator, skips for checkov).

use super::{
    Capacity, IndexPlan, LocalIndexPlan, OnDemandMax, Options, Provisioned, RegionPlan,
    ReplicaPlan, ScalingPlan, ScheduledAction, TablePlan, cost, demand, demand_view, provisioned,
};
use crate::capacity::{ReadWrite, TableDemand};
use crate::profile::model::{Billing, Profile, StreamView, Table, TableClass};
use crate::rules::RuleId;

/// Plan table `key` at `customers` customers.
pub(super) fn table_plan(
    profile: &Profile,
    key: &str,
    t: &Table,
    customers: u64,
    options: &Options,
) -> TablePlan {
    let demand = demand::table_demand(t, customers);
    let (provisioned_billing, auto) = billing(profile, t, customers, demand.as_ref(), options);
    let autoscaled = provisioned_billing && t.autoscaling;
    let capacity = provisioned_billing.then(|| {
        provisioned(
            demand.as_ref().map(|d| &d.table),
            t.capacity.as_ref(),
            None,
            tracking(profile, t, None),
            autoscaled,
        )
    });
    let indexes_managed =
        autoscaled && !t.indexes.is_empty() && options.manage_indexes.iter().any(|k| k == key);
    let indexes = index_plans(
        profile,
        t,
        demand.as_ref(),
        provisioned_billing,
        autoscaled,
        indexes_managed,
    );
    let scaling = match autoscaled {
        true => scaling_plans(profile, key, capacity.as_ref(), &indexes),
        false => Vec::new(),
    };
    let replicas = replica_plans(profile, key, t, &scaling);
    let replica_scaling = replica_scaling(&scaling, &replicas);
    TablePlan {
        key: key.to_owned(),
        checkov_skips: checkov_skips(profile, t, provisioned_billing),
        suffix: t.suffix(key),
        full_name: profile.table_name(key, t),
        billing_mode: if provisioned_billing {
            "PROVISIONED"
        } else {
            "PAY_PER_REQUEST"
        },
        hash_key: t.hash_key.name.clone(),
        range_key: t.range_key.as_ref().map(|r| r.name.clone()),
        attributes: attributes(t),
        ignore_changes: ignore_changes(
            autoscaled,
            !indexes.is_empty(),
            indexes_managed,
            !replicas.is_empty(),
        ),
        indexes,
        local_indexes: t
            .local_indexes
            .iter()
            .map(|(name, l)| LocalIndexPlan {
                name: name.clone(),
                range_key: l.range_key.name.clone(),
                projection_type: l.projection.as_aws(),
                non_key_attributes: l.non_key_attributes.clone(),
            })
            .collect(),
        ttl: t.ttl.clone(),
        pitr: profile.pitr(t),
        pitr_days: profile.pitr_days(t),
        on_demand_max: OnDemandMax::of(!provisioned_billing, t.on_demand_throughput.as_ref()),
        deletion_protection: profile.deletion_protection(t),
        table_class: match t.table_class {
            TableClass::Standard => "STANDARD",
            TableClass::StandardInfrequentAccess => "STANDARD_INFREQUENT_ACCESS",
        },
        // global tables replicate through a NEW_AND_OLD_IMAGES stream (any other view is CF217)
        stream_view_type: match t.stream {
            _ if !replicas.is_empty() => Some("NEW_AND_OLD_IMAGES"),
            s => s.map(|s| match s {
                StreamView::KeysOnly => "KEYS_ONLY",
                StreamView::NewImage => "NEW_IMAGE",
                StreamView::OldImage => "OLD_IMAGE",
                StreamView::NewAndOldImages => "NEW_AND_OLD_IMAGES",
            }),
        },
        capacity,
        autoscaled,
        indexes_managed,
        demand: demand.as_ref().map(|d| demand_view(&d.table)),
        exact_demand: demand,
        scaling,
        replicas,
        replica_scaling,
        auto,
        suppressions: suppressions(profile, t, provisioned_billing),
        operations: profile.operations(t).iter().map(|o| o.as_str()).collect(),
    }
}

/// Whether the table is provisioned, and for `billing: auto` the choice and why: both modes
/// priced with the ranges provisioned capacity would get, the cheaper wins.
fn billing(
    profile: &Profile,
    t: &Table,
    customers: u64,
    demand: Option<&TableDemand>,
    options: &Options,
) -> (bool, Option<cost::AutoChoice>) {
    match (t.billing, demand) {
        (Billing::Provisioned, _) => (true, None),
        (Billing::OnDemand, _) => (false, None),
        (Billing::Auto, Some(demand)) => {
            let pricing = options
                .pricing
                .as_deref()
                .unwrap_or_else(|| crate::capacity::pricing::Pricing::default_list());
            let range = |rw: &ReadWrite, over, ix: Option<&str>| {
                Some(provisioned(
                    Some(rw),
                    over,
                    None,
                    tracking(profile, t, ix),
                    t.autoscaling,
                ))
            };
            let table_cap = range(&demand.table, t.capacity.as_ref(), None).expect("a range");
            let index_caps: Vec<Option<Provisioned>> = t
                .indexes
                .iter()
                .zip(&demand.indexes)
                .map(|((name, g), (_, d))| range(d, g.capacity.as_ref(), Some(name)))
                .collect();
            let choice = cost::auto_choice(
                profile,
                t,
                customers,
                demand,
                &table_cap,
                &index_caps,
                pricing,
            );
            (choice.provisioned, Some(choice))
        }
        // refused by the structural checks (CF307): nothing to compare
        (Billing::Auto, None) => (false, None),
    }
}

/// Attribute definitions: exactly the key attributes in use, first use first.
fn attributes(t: &Table) -> Vec<(String, &'static str)> {
    let mut attributes: Vec<(String, &'static str)> = Vec::new();
    let mut add = |name: &str, ty: &'static str| {
        if !attributes.iter().any(|(n, _)| n == name) {
            attributes.push((name.to_owned(), ty));
        }
    };
    add(&t.hash_key.name, t.hash_key.kind.as_str());
    if let Some(r) = &t.range_key {
        add(&r.name, r.kind.as_str());
    }
    for g in t.indexes.values() {
        add(&g.hash_key.name, g.hash_key.kind.as_str());
        if let Some(r) = &g.range_key {
            add(&r.name, r.kind.as_str());
        }
    }
    for l in t.local_indexes.values() {
        add(&l.range_key.name, l.range_key.kind.as_str());
    }
    attributes
}

/// The read and write target tracking of the table, or of its index `ix`.
fn tracking(
    profile: &Profile,
    t: &Table,
    ix: Option<&str>,
) -> [crate::profile::model::TrackingSettings; 2] {
    [
        profile.tracking(t, ix, true),
        profile.tracking(t, ix, false),
    ]
}

/// The global secondary indexes. The indexes of a table whose indexes this render manages
/// (`--manage-indexes`) are written at their autoscaling maximum: see [`Options`].
fn index_plans(
    profile: &Profile,
    t: &Table,
    demand: Option<&TableDemand>,
    provisioned_billing: bool,
    autoscaled: bool,
    managed: bool,
) -> Vec<IndexPlan> {
    let index_demand = |i: usize| demand.map(|d| &d.indexes[i].1);
    let at_max = |c: Capacity| Capacity {
        initial: c.max,
        ..c
    };
    t.indexes
        .iter()
        .enumerate()
        .map(|(i, (name, g))| IndexPlan {
            name: name.clone(),
            hash_key: g.hash_key.name.clone(),
            range_key: g.range_key.as_ref().map(|r| r.name.clone()),
            projection_type: g.projection.as_aws(),
            non_key_attributes: g.non_key_attributes.clone(),
            capacity: provisioned_billing.then(|| {
                let p = provisioned(
                    index_demand(i),
                    g.capacity.as_ref(),
                    t.capacity.as_ref(),
                    tracking(profile, t, Some(name)),
                    autoscaled,
                );
                match managed {
                    true => Provisioned {
                        read: at_max(p.read),
                        write: at_max(p.write),
                        ..p
                    },
                    false => p,
                }
            }),
            demand: index_demand(i).map(demand_view),
            on_demand_max: OnDemandMax::of(!provisioned_billing, g.on_demand_throughput.as_ref()),
        })
        .collect()
}

/// One target and one target-tracking policy per dimension: read before write, the table
/// before its indexes.
fn scaling_plans(
    profile: &Profile,
    key: &str,
    capacity: Option<&Provisioned>,
    indexes: &[IndexPlan],
) -> Vec<ScalingPlan> {
    let mut scaling = Vec::new();
    let t = &profile.tables[key];
    let mut push = |label: String, index: Option<&str>, cap: &Provisioned| {
        let entries = match index {
            None => &t.schedule,
            Some(ix) => &t.indexes[ix].schedule,
        };
        for (dim, c) in [("read", cap.read), ("write", cap.write)] {
            let label = format!("{label}_{dim}");
            let schedules = scheduled_actions(&label, entries, dim == "read");
            scaling.push(ScalingPlan {
                schedules,
                label,
                provider: None,
                after: None,
                table: key.to_owned(),
                index: index.map(str::to_owned),
                scalable_dimension: match (index.is_some(), dim) {
                    (false, "read") => "dynamodb:table:ReadCapacityUnits",
                    (false, _) => "dynamodb:table:WriteCapacityUnits",
                    (true, "read") => "dynamodb:index:ReadCapacityUnits",
                    (true, _) => "dynamodb:index:WriteCapacityUnits",
                },
                metric: match dim {
                    "read" => "DynamoDBReadCapacityUtilization",
                    _ => "DynamoDBWriteCapacityUtilization",
                },
                min: c.min,
                max: c.max,
                target: c.tracking.target,
                scale_in_cooldown: c.tracking.scale_in_cooldown,
                scale_out_cooldown: c.tracking.scale_out_cooldown,
            });
        }
    };
    if let Some(cap) = capacity {
        push(key.to_owned(), None, cap);
    }
    for ix in indexes {
        if let Some(cap) = &ix.capacity {
            // `__` cannot occur inside a profile key, so table and index labels never collide.
            push(format!("{key}__{}", ix.name), Some(&ix.name), cap);
        }
    }
    scaling
}

/// The scheduled actions of one target (`label`) from a table's or index's `schedule:`: the
/// entries that name its dimension, each created after the one before.
fn scheduled_actions(
    label: &str,
    entries: &[crate::profile::model::ScheduledRange],
    read: bool,
) -> Vec<ScheduledAction> {
    let mut after = format!("aws_appautoscaling_policy.{label}");
    let mut out = Vec::new();
    for e in entries {
        let (Some(bounds), Some(schedule)) = (if read { e.read } else { e.write }, e.expression())
        else {
            continue;
        };
        let action = ScheduledAction {
            label: format!("{label}-{}", e.name),
            name: e.name.clone(),
            schedule,
            timezone: e.zone_name().to_owned(),
            min: bounds.min,
            max: bounds.max,
            after: after.clone(),
        };
        after = format!("aws_appautoscaling_scheduled_action.{}", action.label);
        out.push(action);
    }
    out
}

/// The table's replicas: one per region, each after the one before and, for an autoscaled
/// table, after the primary's write policies (README § Global tables).
fn replica_plans(
    profile: &Profile,
    key: &str,
    t: &Table,
    scaling: &[ScalingPlan],
) -> Vec<ReplicaPlan> {
    let create_key = profile.encryption.module_creates_key();
    let mut after: Vec<String> = scaling
        .iter()
        .filter(|s| s.dimension_label() == "write")
        .map(|s| format!("aws_appautoscaling_policy.{}", s.label))
        .collect();
    let mut out = Vec::new();
    for region in profile.replicas(t) {
        let r = RegionPlan::of(region);
        let plan = ReplicaPlan {
            label: format!("{key}_{}", r.alias),
            kms_key_expr: if create_key {
                Some(format!("aws_kms_key.tables_{}.arn", r.alias))
            } else if profile.encryption.uses_account_key() {
                Some(format!(
                    "lookup(var.replica_kms_key_arns, \"{region}\", null)"
                ))
            } else {
                None
            },
            region: r.region,
            provider: r.provider,
            pitr: profile.pitr(t),
            deletion_protection: profile.deletion_protection(t),
            after: after.clone(),
        };
        after = vec![format!("aws_dynamodb_table_replica.{}", plan.label)];
        out.push(plan);
    }
    out
}

/// The read targets and policies of each replica: the primary's read targets (table and
/// indexes), with their schedules, registered in the replica's region once it exists.
fn replica_scaling(scaling: &[ScalingPlan], replicas: &[ReplicaPlan]) -> Vec<ScalingPlan> {
    let mut out = Vec::new();
    for r in replicas {
        let alias = r.provider.trim_start_matches("aws.");
        for s in scaling.iter().filter(|s| s.dimension_label() == "read") {
            let label = format!("{}_{alias}", s.label);
            let mut schedules = s.schedules.clone();
            let mut prev = format!("aws_appautoscaling_policy.{label}");
            for a in &mut schedules {
                a.label = format!("{label}-{}", a.name);
                a.after = prev;
                prev = format!("aws_appautoscaling_scheduled_action.{}", a.label);
            }
            out.push(ScalingPlan {
                label,
                provider: Some(r.provider.clone()),
                after: Some(format!("aws_dynamodb_table_replica.{}", r.label)),
                schedules,
                ..s.clone()
            });
        }
    }
    out
}

/// Autoscaling changes the table's capacity (and its indexes', which live inside
/// `global_secondary_index` blocks Terraform cannot address one attribute of), so both are
/// ignored after creation — but for a table whose indexes this render manages. See README
/// § "Index capacity and ignore_changes".
fn ignore_changes(
    autoscaled: bool,
    has_indexes: bool,
    indexes_managed: bool,
    replicated: bool,
) -> Vec<&'static str> {
    let mut out = Vec::new();
    // the replicas are `aws_dynamodb_table_replica` resources of their own (README § Global
    // tables); the provider reads them back into the table's `replica` blocks
    if replicated {
        out.push("replica");
    }
    if autoscaled {
        out.push("read_capacity");
        out.push("write_capacity");
        if has_indexes && !indexes_managed {
            out.push("global_secondary_index");
        }
    }
    out
}

/// Module rules deliberately not met, with the reason, so `validate --terraform` accepts the
/// module capform renders.
fn suppressions(profile: &Profile, t: &Table, provisioned_billing: bool) -> Vec<(RuleId, String)> {
    let mut out = Vec::new();
    if provisioned_billing && !t.autoscaling {
        out.push((
            RuleId::CF702,
            "fixed capacity: `autoscaling: false` in the profile".into(),
        ));
    }
    if let Some(reason) = profile.waiver(Some(t), RuleId::CF401)
        && !profile.pitr(t)
    {
        out.push((RuleId::CF705, reason.clone()));
    }
    if let Some(reason) = profile.waiver(Some(t), RuleId::CF603) {
        out.push((RuleId::CF603, reason.clone()));
    }
    out
}

/// Checkov checks deliberately not met, with the reason from the profile.
fn checkov_skips(
    profile: &Profile,
    t: &Table,
    provisioned_billing: bool,
) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    if !profile.pitr(t) {
        let reason = profile
            .waiver(Some(t), RuleId::CF401)
            .cloned()
            .unwrap_or_else(|| {
                format!(
                    "point-in-time recovery off in the {} profile",
                    profile.environment.as_str()
                )
            });
        out.push(("CKV_AWS_28", reason));
    }
    if !profile.encryption.uses_account_key() {
        out.push((
            "CKV_AWS_119",
            "encrypted with the AWS owned key: encryption.kms_key: aws_owned in the profile".into(),
        ));
    }
    if provisioned_billing && !t.autoscaling {
        out.push((
            "CKV2_AWS_16",
            "fixed capacity: autoscaling: false in the profile".into(),
        ));
    }
    out
}
