//! The module rules (CF6xx, CF70x). CF701 and CF704 read the source; the others judge the
//! instances [`crate::terraform::eval`] (or a saved plan) says the module creates, by value:
//! a scaling target belongs to a table because its `resource_id` is `table/<the table's name>`,
//! however the HCL spells it. A rule whose deciding value is unknown says nothing.

use std::collections::{BTreeSet, HashMap, HashSet};

use hcl::Value;

use crate::diag::Diagnostic;
use crate::rules::RuleId;
use crate::terraform::model::{Evaluated, Instance, Obj, Val, tags_say_production};

pub use crate::terraform::source::*;

const BUILTIN_ROOTS: &[&str] = &[
    "var",
    "local",
    "module",
    "data",
    "path",
    "terraform",
    "count",
    "each",
    "self",
];

fn is_latency_metric(name: &str) -> bool {
    name.contains("Latency")
        || name.contains("Duration")
        || name.contains("latency")
        || name.contains("duration")
}

fn is_percentile(stat: &str) -> bool {
    stat.starts_with('p')
        && stat[1..].chars().all(|c| c.is_ascii_digit() || c == '.')
        && stat.len() > 1
}

/// Whether the module is for production as a whole: by the profile, else by capform's
/// generated header, else by what its root variables and provider default tags say.
fn module_production(m: &Module, ev: &Evaluated, production: Option<bool>) -> Option<bool> {
    if production.is_some() {
        return production;
    }
    if m.sources.values().any(|t| {
        t.starts_with(crate::render::HCL_MARKER)
            && t.lines()
                .next()
                .is_some_and(|l| l.contains(", production)"))
    }) {
        return Some(true);
    }
    let tags = ev.default_tags.as_ref().and_then(tags_say_production);
    match (ev.production, tags) {
        (Some(a), Some(b)) => Some(a || b),
        (a, b) => a.or(b),
    }
}

const THROTTLE_METRICS: &[&str] = &[
    "ReadThrottleEvents",
    "WriteThrottleEvents",
    "ThrottledRequests",
];

fn dim(index: bool, read: bool) -> String {
    format!(
        "dynamodb:{}:{}CapacityUnits",
        if index { "index" } else { "table" },
        if read { "Read" } else { "Write" }
    )
}

/// The scaling targets and policies of a module, indexed by the values that tie them to a
/// table, so that every table is judged in constant time.
#[derive(Default)]
struct Scaling {
    /// (resource_id, scalable_dimension) of known targets.
    targets: HashSet<(String, String)>,
    /// (resource_id, scalable_dimension) of known target-tracking policies.
    policies: HashSet<(String, String)>,
    /// Resource ids that have a target of any dimension.
    target_ids: HashSet<String>,
    /// Table blocks referred to by targets or policies whose deciding values are unknown.
    unknown_for: HashSet<String>,
    /// A target or policy whose values are unknown and which names no table: it may belong
    /// to any table.
    unknown_any: bool,
}

impl Scaling {
    fn build(ev: &Evaluated) -> Scaling {
        let mut s = Scaling::default();
        for o in &ev.opaque {
            s.unknown_for.extend(o.refers_to.iter().cloned());
            s.unknown_any |= o.refers_to.is_empty() && o.mentions_tables;
        }
        for i in &ev.instances {
            let is_target = i.ty == "aws_appautoscaling_target";
            let is_policy = i.ty == "aws_appautoscaling_policy";
            if !is_target && !is_policy {
                continue;
            }
            let rid = i.obj.get("resource_id").str();
            let d = i.obj.get("scalable_dimension").str();
            let kind = if is_policy {
                i.obj.get("policy_type")
            } else {
                Val::Known(&Value::Null)
            };
            // a policy without `policy_type` is a step-scaling policy
            let tracking = match kind {
                Val::Known(Value::String(t)) => Some(t == "TargetTrackingScaling"),
                Val::Absent => Some(false),
                Val::Known(_) => Some(true),
                Val::Unknown => None,
            };
            match (rid, d, tracking) {
                (Some(rid), Some(d), Some(tracking)) => {
                    if is_target {
                        s.target_ids.insert(rid.clone());
                        s.targets.insert((rid, d));
                    } else if tracking {
                        s.policies.insert((rid, d));
                    }
                }
                _ => {
                    let tables: Vec<&String> = i
                        .refers_to
                        .iter()
                        .filter(|r| {
                            r.rsplit_once('.')
                                .is_some_and(|(t, _)| t.ends_with("aws_dynamodb_table"))
                        })
                        .collect();
                    if tables.is_empty() {
                        s.unknown_any = true;
                    }
                    s.unknown_for.extend(tables.into_iter().cloned());
                }
            }
        }
        s
    }

    /// Whether a resource id and dimension is scaled: `Some(true)` with a target and a
    /// target-tracking policy, `Some(false)` without, `None` when an unknown target or policy
    /// may be the one.
    fn scaled(&self, table: &Instance, rid: &str, d: &str) -> Option<bool> {
        let key = (rid.to_owned(), d.to_owned());
        if self.targets.contains(&key) && self.policies.contains(&key) {
            return Some(true);
        }
        if self.unknown_any || self.unknown_for.contains(&table.block_address) {
            return None;
        }
        Some(false)
    }

    /// Whether a table (or one of its indexes) has a scaling target.
    fn autoscaled(&self, table: &Instance, name: Option<&str>) -> (bool, bool) {
        let by_ref = self.unknown_for.contains(&table.block_address);
        let Some(name) = name else {
            return (by_ref, false);
        };
        let rid = format!("table/{name}");
        let index_prefix = format!("{rid}/index/");
        let table_level = self.target_ids.contains(&rid) || by_ref;
        let index_level = self.target_ids.iter().any(|r| r.starts_with(&index_prefix));
        (table_level, index_level)
    }
}

/// The throttle alarms of a module, by the table they watch.
#[derive(Default)]
struct Watched {
    names: HashSet<String>,
    blocks: HashSet<String>,
    unknown_any: bool,
}

fn metrics(obj: &Obj) -> Vec<&Obj> {
    let mut out = vec![obj];
    if let Some(queries) = obj.blocks("metric_query") {
        for q in queries {
            if let Some(ms) = q.blocks("metric") {
                out.extend(ms.iter());
            }
        }
    }
    out
}

impl Watched {
    fn build(ev: &Evaluated) -> Watched {
        let mut w = Watched::default();
        for o in &ev.opaque {
            w.blocks.extend(o.refers_to.iter().cloned());
            w.unknown_any |= o.refers_to.is_empty() && o.mentions_tables;
        }
        for a in ev
            .instances
            .iter()
            .filter(|i| i.ty == "aws_cloudwatch_metric_alarm")
        {
            if a.obj.blocks("metric_query").is_none() {
                w.unknown_any = true;
            }
            for m in metrics(&a.obj) {
                let metric = m.get("metric_name");
                let is_throttle = match metric.str() {
                    Some(n) => THROTTLE_METRICS.contains(&n.as_str()),
                    None => metric.is_unknown(),
                };
                if !is_throttle {
                    continue;
                }
                let table = match m.get("dimensions") {
                    Val::Known(Value::Object(d)) => match d.get("TableName") {
                        Some(Value::String(s)) => Some(Some(s.clone())),
                        Some(_) => Some(None),
                        None => None,
                    },
                    Val::Unknown => Some(None),
                    _ => None,
                };
                match table {
                    Some(Some(name)) if metric.str().is_some() => {
                        w.names.insert(name);
                    }
                    Some(_) => {
                        let tables: Vec<&String> = a
                            .refers_to
                            .iter()
                            .filter(|r| r.contains("aws_dynamodb_table."))
                            .collect();
                        if tables.is_empty() {
                            w.unknown_any = true;
                        }
                        w.blocks.extend(tables.into_iter().cloned());
                    }
                    None => {}
                }
            }
        }
        w
    }
}

/// The module rules over a module's source and what it creates.
pub fn rules(
    locator: &Locator,
    modules: &[&Module],
    ev: &Evaluated,
    production: Option<bool>,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for m in modules {
        out.extend(undeclared_references(m));
    }
    let empty = Module::default();
    let root = modules.first().copied().unwrap_or(&empty);
    let module_prod = module_production(root, ev, production);
    let scaling = Scaling::build(ev);
    let watched = Watched::build(ev);
    let tables: Vec<&Instance> = ev
        .instances
        .iter()
        .filter(|i| i.ty == "aws_dynamodb_table")
        .collect();
    let mut by_name: HashMap<String, Vec<&Instance>> = HashMap::new();
    for t in &tables {
        if let Some(n) = t.obj.get("name").str() {
            by_name.entry(n).or_default().push(t);
        }
    }
    for t in &tables {
        table_rules(
            locator,
            t,
            &scaling,
            &watched,
            module_prod,
            production.is_some(),
            ev,
            &mut out,
        );
    }
    scaling_on_demand(locator, ev, &by_name, &mut out);
    alarm_rules(locator, ev, &mut out);
    out
}

fn billing(t: &Instance) -> Option<bool> {
    match t.obj.get("billing_mode") {
        Val::Absent => Some(true),
        v => v.str().map(|b| b == "PROVISIONED"),
    }
}

/// CF702, CF703, CF705, CF603 for one table instance.
#[allow(clippy::too_many_arguments)]
fn table_rules(
    locator: &Locator,
    t: &Instance,
    scaling: &Scaling,
    watched: &Watched,
    module_prod: Option<bool>,
    from_profile: bool,
    ev: &Evaluated,
    out: &mut Vec<Diagnostic>,
) {
    let name = t.obj.get("name").str();
    let shown = name.clone().unwrap_or_else(|| t.address.clone());
    let provisioned = billing(t);
    let addr = &t.address;
    let gsis = t.obj.blocks("global_secondary_index");

    // CF702: every provisioned table and GSI scales
    if t.certain
        && provisioned == Some(true)
        && !t.ignores(RuleId::CF702.as_str())
        && let Some(name) = &name
    {
        let rid = format!("table/{name}");
        for read in [true, false] {
            if scaling.scaled(t, &rid, &dim(false, read)) == Some(false) {
                out.push(locator.diag(
                    RuleId::CF702,
                    &t.obj.loc,
                    addr,
                    format!(
                        "provisioned table `{name}` has no {} scaling target with a target-tracking policy",
                        if read { "read" } else { "write" }
                    ),
                ));
            }
        }
        for g in gsis.unwrap_or(&[]) {
            let Some(ix) = g.get("name").str() else {
                continue;
            };
            let rid = format!("table/{name}/index/{ix}");
            for read in [true, false] {
                if scaling.scaled(t, &rid, &dim(true, read)) == Some(false) {
                    out.push(locator.diag(
                        RuleId::CF702,
                        &g.loc,
                        format!("{addr}.global_secondary_index.{ix}"),
                        format!(
                            "index `{ix}` of provisioned table `{name}` has no {} scaling target with a target-tracking policy",
                            if read { "read" } else { "write" }
                        ),
                    ));
                }
            }
        }
    }

    // CF703: what autoscaling changes is ignored
    let (table_scaled, index_scaled) = scaling.autoscaled(t, name.as_deref());
    if provisioned != Some(false) && !t.ignores(RuleId::CF703.as_str()) {
        if table_scaled {
            for a in ["read_capacity", "write_capacity"] {
                if t.ignore_changes.covers(a) == Some(false) {
                    out.push(locator.diag(
                        RuleId::CF703,
                        &t.obj.loc,
                        addr,
                        format!("autoscaled table `{shown}` does not ignore `{a}` in its lifecycle: every plan would undo autoscaling"),
                    ));
                }
            }
        }
        if index_scaled && t.ignore_changes.covers("global_secondary_index") == Some(false) {
            out.push(locator.diag(
                RuleId::CF703,
                &t.obj.loc,
                addr,
                format!("table `{shown}` has autoscaled indexes but does not ignore `global_secondary_index` in its lifecycle: every plan would undo their scaling"),
            ));
        }
    }

    // CF705: point-in-time recovery in production
    let tags = match (t.obj.get("tags_all"), t.obj.get("tags"), &ev.default_tags) {
        // a plan's `tags_all` already holds the provider's default tags
        (Val::Known(all), _, _) => Some(all.clone()),
        (_, tags, default) => merged_tags(tags, default),
    };
    let prod = if from_profile {
        module_prod
    } else {
        tags.as_ref().and_then(tags_say_production).or(module_prod)
    };
    if t.certain && prod == Some(true) && !t.ignores(RuleId::CF705.as_str()) {
        let pitr = t.obj.blocks("point_in_time_recovery");
        let state = pitr.map(|blocks| {
            let vals: Vec<Val> = blocks.iter().map(|b| b.get("enabled")).collect();
            if vals.iter().any(|v| v.bool() == Some(true)) {
                Some(true)
            } else if vals.iter().any(|v| v.is_unknown()) {
                None
            } else {
                Some(false)
            }
        });
        if state == Some(Some(false)) {
            let loc = pitr
                .and_then(|b| b.first())
                .map(|b| &b.loc)
                .unwrap_or(&t.obj.loc);
            out.push(locator.diag(
                RuleId::CF705,
                loc,
                addr,
                format!("table `{shown}` in a production module has point-in-time recovery off"),
            ));
        }
    }

    // CF603: a throttle alarm
    if t.certain && !t.ignores(RuleId::CF603.as_str()) && !watched.unknown_any {
        let seen = name.as_ref().is_some_and(|n| watched.names.contains(n))
            || watched.blocks.contains(&t.block_address);
        if !seen && name.is_some() {
            out.push(locator.diag(
                RuleId::CF603,
                &t.obj.loc,
                addr,
                format!("table `{shown}` has no throttle alarm"),
            ));
        }
    }
}

/// A resource's tags over the provider's default tags.
fn merged_tags(tags: Val, default: &Option<Value>) -> Option<Value> {
    match (tags, default) {
        (Val::Known(v), Some(d)) => {
            let mut m = d.as_object().cloned().unwrap_or_default();
            if let Some(o) = v.as_object() {
                m.extend(o.clone());
            }
            Some(Value::Object(m))
        }
        (Val::Known(v), None) => Some(v.clone()),
        (Val::Absent, d) => d.clone(),
        (_, _) => None,
    }
}

/// CF706: a scaling target on an on-demand table.
fn scaling_on_demand(
    locator: &Locator,
    ev: &Evaluated,
    by_name: &HashMap<String, Vec<&Instance>>,
    out: &mut Vec<Diagnostic>,
) {
    for tg in ev
        .instances
        .iter()
        .filter(|i| i.ty == "aws_appautoscaling_target" && i.certain)
    {
        if tg.ignores(RuleId::CF706.as_str()) {
            continue;
        }
        let Some(rid) = tg.obj.get("resource_id").str() else {
            continue;
        };
        let Some(rest) = rid.strip_prefix("table/") else {
            continue;
        };
        let table = rest.split("/index/").next().unwrap_or(rest);
        let on_demand = by_name.get(table).is_some_and(|ts| {
            ts.iter()
                .any(|t| t.obj.get("billing_mode").str().as_deref() == Some("PAY_PER_REQUEST"))
        });
        if on_demand {
            out.push(locator.diag(
                RuleId::CF706,
                tg.obj.loc_of("resource_id"),
                &tg.address,
                format!("scaling target `{rid}` is on table `{table}`, which is PAY_PER_REQUEST: Application Auto Scaling refuses it at apply"),
            ));
        }
    }
}

/// CF601, CF602: alarm periods and statistics.
fn alarm_rules(locator: &Locator, ev: &Evaluated, out: &mut Vec<Diagnostic>) {
    for a in ev
        .instances
        .iter()
        .filter(|i| i.ty == "aws_cloudwatch_metric_alarm")
    {
        let eval = match a.obj.get("evaluation_periods") {
            Val::Absent => Some(1.0),
            v => v.num(),
        };
        let mut periods: Vec<(&Obj, &str, &str)> = Vec::new();
        periods.push((&a.obj, "extended_statistic", "metric_name"));
        for q in a.obj.blocks("metric_query").unwrap_or(&[]) {
            for m in q.blocks("metric").unwrap_or(&[]) {
                periods.push((m, "stat", "metric_name"));
            }
        }
        for (o, stat_key, metric_key) in periods {
            if let Some(v) = o.get("period").num() {
                let loc = o.loc_of("period");
                let legal = v == 10.0 || v == 30.0 || (v >= 60.0 && v % 60.0 == 0.0);
                if !a.ignores(RuleId::CF601.as_str()) {
                    if !legal {
                        out.push(locator.diag(
                            RuleId::CF601,
                            loc,
                            &a.block_address,
                            format!("alarm period {v} s is not 10, 30 or a multiple of 60"),
                        ));
                    } else if let Some(eval) = eval
                        && v * eval > 86_400.0
                    {
                        out.push(locator.diag(
                            RuleId::CF601,
                            loc,
                            &a.block_address,
                            format!("period {v} s × {eval} evaluation periods exceeds one day"),
                        ));
                    }
                }
            }
            if let (Some(stat), Some(metric)) = (o.get(stat_key).str(), o.get(metric_key).str())
                && is_percentile(&stat)
                && !is_latency_metric(&metric)
                && !a.ignores(RuleId::CF602.as_str())
            {
                out.push(locator.diag(
                    RuleId::CF602,
                    o.loc_of(stat_key),
                    &a.block_address,
                    format!(
                        "percentile `{stat}` on `{metric}`, which is not a latency or duration"
                    ),
                ));
            }
        }
    }
}

/// Blocks that name addresses meant not to exist (yet, or any more): their references are
/// not references.
const ADDRESS_BLOCKS: &[&str] = &["moved", "removed", "import"];

/// CF704: references to what the module does not declare.
fn undeclared_references(m: &Module) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut declared: BTreeSet<String> = m.blocks.iter().map(TopBlock::address).collect();
    // data sources scoped inside `check` blocks
    for c in m.of_kind("check") {
        for d in c.block.body.get_blocks("data") {
            declared.insert(format!("data.{}", d.labels.join(".")));
        }
    }
    let locals: BTreeSet<String> = m
        .of_kind("locals")
        .flat_map(|b| {
            b.block
                .body
                .attributes()
                .map(|a| a.key.clone())
                .collect::<Vec<_>>()
        })
        .collect();
    let resource_types: BTreeSet<String> = m
        .blocks
        .iter()
        .filter_map(|b| b.resource_type().map(str::to_owned))
        .collect();

    // Skipped when a file did not parse: its declarations are unknown, and every reference to
    // them would be a false finding.
    let complete = m.syntax_errors.iter().all(|d| d.rule != RuleId::CF701);
    for b in m
        .blocks
        .iter()
        .filter(|b| complete && !ADDRESS_BLOCKS.contains(&b.kind.as_str()))
    {
        if b.ignores.iter().any(|i| i == RuleId::CF704.as_str()) {
            continue;
        }
        let mut dynamic_iters: BTreeSet<String> = BTreeSet::new();
        collect_dynamic(&b.block.body, &mut dynamic_iters);
        for r in &b.refs {
            let missing = match r.root.as_str() {
                "var" => r
                    .attrs
                    .first()
                    .map(|n| format!("var.{n}"))
                    .filter(|a| !declared.contains(a)),
                "local" => r
                    .attrs
                    .first()
                    .filter(|n| !locals.contains(*n))
                    .map(|n| format!("local.{n}")),
                "module" => r
                    .attrs
                    .first()
                    .map(|n| format!("module.{n}"))
                    .filter(|a| !declared.contains(a)),
                "data" if r.attrs.len() >= 2 => Some(format!("data.{}.{}", r.attrs[0], r.attrs[1]))
                    .filter(|a| !declared.contains(a)),
                root if BUILTIN_ROOTS.contains(&root) || dynamic_iters.contains(root) => None,
                root if (resource_types.contains(root) || root.starts_with("aws_"))
                    && !r.attrs.is_empty() =>
                {
                    Some(format!("{root}.{}", r.attrs[0])).filter(|a| !declared.contains(a))
                }
                _ => None,
            };
            if let Some(addr) = missing {
                out.push(m.diag_at(
                    RuleId::CF704,
                    &b.file,
                    r.span.clone(),
                    b.address(),
                    format!("`{addr}` is not declared in this module"),
                ));
            }
        }
    }
    out
}

fn collect_dynamic(body: &Body, out: &mut BTreeSet<String>) {
    for b in body.blocks() {
        if b.ident == "dynamic" {
            let it = b
                .body
                .get_attribute("iterator")
                .map(|a| a.value.to_string().trim().to_owned());
            out.insert(it.unwrap_or_else(|| b.labels.first().cloned().unwrap_or_default()));
        }
        collect_dynamic(&b.body, out);
    }
}
