//! Structural checks: what the schema cannot express but DynamoDB or Terraform would reject.
//! A profile that fails one of these cannot be rendered.

use std::collections::HashMap;

use num_bigint::BigInt;

use super::loaded::Loaded;
use super::model::{ApiKind, AttrType, Billing, KeyAttr, Projection, Table};
use crate::capacity::Q;
use crate::diag::Diagnostic;
use crate::rules::RuleId;

/// DynamoDB's maximum item size in KB.
pub const MAX_ITEM_KB: u64 = 400;
/// Global secondary indexes per table (default quota).
pub const MAX_GSIS: usize = 20;
/// Local secondary indexes per table (hard limit).
pub const MAX_LSIS: usize = 5;
/// Non-key attributes projected across all of a table's indexes.
pub const MAX_PROJECTED_ATTRIBUTES: usize = 100;
/// Bytes in the name of a key attribute, a projected attribute or the TTL attribute (UTF-8).
pub const MAX_ATTRIBUTE_NAME_BYTES: usize = 255;
/// Tags on one DynamoDB table (and on any AWS resource).
pub const MAX_TAGS: usize = 50;

fn valid_aws_name(name: &str) -> bool {
    (3..=255).contains(&name.len())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_.-".contains(c))
}

/// Attribute types as the key schemas of a table and its indexes declare them: one name with
/// two types is CF206, and the TTL attribute must not be a key of another type (CF207).
struct KeyTypes(HashMap<String, (AttrType, Vec<String>)>);

impl KeyTypes {
    /// Record a key attribute at `path`, or report it when it was declared with another type.
    fn note(&mut self, l: &Loaded, attr: &KeyAttr, path: Vec<String>, out: &mut Vec<Diagnostic>) {
        match self.0.get(attr.name.as_str()) {
            Some((ty, first)) if *ty != attr.kind => {
                let refs: Vec<&str> = path.iter().map(String::as_str).collect();
                out.push(l.diag(
                    RuleId::CF206,
                    &refs,
                    format!(
                        "attribute `{}` is {} here but {} at {}",
                        attr.name,
                        attr.kind.as_str(),
                        ty.as_str(),
                        first.join(".")
                    ),
                ));
            }
            Some(_) => {}
            None => {
                self.0.insert(attr.name.clone(), (attr.kind, path));
            }
        }
    }

    fn get(&self, name: &str) -> Option<&(AttrType, Vec<String>)> {
        self.0.get(name)
    }
}

/// `tables.<k>.<rest…>` as owned segments.
fn tpath(k: &str, rest: &[&str]) -> Vec<String> {
    ["tables", k]
        .iter()
        .chain(rest)
        .map(|s| (*s).to_owned())
        .collect()
}

/// Run every structural check; all problems are returned at once.
pub fn structure(l: &Loaded) -> Vec<Diagnostic> {
    let p = &l.profile;
    let mut out = Vec::new();
    let mut names: HashMap<String, &str> = HashMap::new();
    for (key, t) in &p.tables {
        let k = key.as_str();
        table_name(l, k, t, &mut names, &mut out);
        let mut types = KeyTypes(HashMap::new());
        key_schema(l, k, t, &mut types, &mut out);
        index_counts(l, k, t, &mut out);
        let projected = global_indexes(l, k, t, &mut types, &mut out)
            + local_indexes(l, k, t, &mut types, &mut out);
        if projected > MAX_PROJECTED_ATTRIBUTES {
            out.push(l.diag_key(RuleId::CF209, &["tables", k], format!("table `{k}` projects {projected} non-key attributes across its indexes; the limit is {MAX_PROJECTED_ATTRIBUTES}")));
        }
        attribute_names(l, k, t, &mut out);
        ttl_workload_capacity(l, k, t, &types, &mut out);
        table_options(l, k, t, &mut out);
    }
    if !(20..=90).contains(&p.defaults.target_utilization) {
        out.push(l.diag(
            RuleId::CF302,
            &["defaults", "target_utilization"],
            format!(
                "target utilization {} % is outside 20–90 %",
                p.defaults.target_utilization
            ),
        ));
    }
    for (key, t) in &p.tables {
        if let Some(target) = t.target_utilization
            && !(20..=90).contains(&target)
        {
            out.push(l.diag(
                RuleId::CF302,
                &["tables", key, "target_utilization"],
                format!("target utilization {target} % of table `{key}` is outside 20–90 %"),
            ));
        }
        // each dimension's own target, on the table and on each index
        let mut own: Vec<(Vec<&str>, String, &super::model::TargetTracking)> = vec![(
            vec!["tables", key],
            format!("table `{key}`"),
            &t.target_tracking,
        )];
        for (ix, g) in &t.indexes {
            own.push((
                vec!["tables", key, "indexes", ix],
                format!("index `{ix}` of table `{key}`"),
                &g.target_tracking,
            ));
        }
        for (path, what, tt) in own {
            for (dim, tr) in [("read", &tt.read), ("write", &tt.write)] {
                if let Some(target) = tr.target_utilization
                    && !(20..=90).contains(&target)
                {
                    let mut at = path.clone();
                    at.extend(["target_tracking", dim, "target_utilization"]);
                    out.push(l.diag(
                        RuleId::CF302,
                        &at,
                        format!("{dim} target utilization {target} % of {what} is outside 20–90 %"),
                    ));
                }
            }
        }
    }
    encryption(l, &mut out);
    tags(l, &mut out);
    scenarios(l, &mut out);
    schedules(l, &mut out);
    global_tables(l, &mut out);
    for (key, api) in &p.apis {
        let k = key.as_str();
        match api.kind {
            ApiKind::Rest if api.name.is_none() => out.push(l.diag_key(
                RuleId::CF604,
                &["apis", k],
                format!("REST API `{k}` needs `name` (metrics are published by ApiName and Stage)"),
            )),
            ApiKind::Http if api.api_id.is_none() => out.push(l.diag_key(
                RuleId::CF604,
                &["apis", k],
                format!("HTTP API `{k}` needs `api_id` (metrics are published by ApiId and Stage)"),
            )),
            ApiKind::Http if api.cache => out.push(l.diag(
                RuleId::CF604,
                &["apis", k, "cache"],
                format!("HTTP API `{k}` cannot have a cache"),
            )),
            _ => {}
        }
    }
    out
}

/// CF218: no table option that does nothing where it is set.
fn table_options(l: &Loaded, k: &str, t: &Table, out: &mut Vec<Diagnostic>) {
    // a cap on demand: on a table that may be on demand, and capping something
    let mut caps: Vec<(Vec<&str>, &super::model::OnDemandThroughput)> = Vec::new();
    if let Some(o) = &t.on_demand_throughput {
        caps.push((vec!["tables", k, "on_demand_throughput"], o));
    }
    for (ix, g) in &t.indexes {
        if let Some(o) = &g.on_demand_throughput {
            caps.push((vec!["tables", k, "indexes", ix, "on_demand_throughput"], o));
        }
    }
    for (path, o) in caps {
        if t.billing == Billing::Provisioned {
            out.push(l.diag_key(
                RuleId::CF218,
                &path,
                format!("table `{k}` is provisioned: `on_demand_throughput` caps on-demand tables only (provisioned capacity is capped by its `capacity:` maximum)"),
            ));
        } else if o.is_empty() {
            out.push(l.diag_key(
                RuleId::CF218,
                &path,
                "`on_demand_throughput` caps nothing: give `max_read_request_units`, `max_write_request_units` or both",
            ));
        }
    }
    if let Some(days) = t.point_in_time_recovery_days
        && !l.profile.pitr(t)
    {
        out.push(l.diag(
            RuleId::CF218,
            &["tables", k, "point_in_time_recovery_days"],
            format!("table `{k}` keeps {days} days of point-in-time recovery, but point-in-time recovery is off for it (`point_in_time_recovery`, or the environment's default); nothing would be kept"),
        ));
    }
}

/// CF218: no key ARN beside the AWS owned key, which takes none.
fn encryption(l: &Loaded, out: &mut Vec<Diagnostic>) {
    let enc = &l.profile.encryption;
    if enc.uses_account_key() {
        return;
    }
    if enc.kms_key_arn.is_some() {
        out.push(l.diag(
            RuleId::CF218,
            &["encryption", "kms_key_arn"],
            "`kms_key: aws_owned` encrypts with the AWS owned key, which has no ARN; this key would not be used (use `kms_key: customer_managed` for it)",
        ));
    }
    if !enc.replica_kms_key_arns.is_empty() {
        out.push(l.diag_key(
            RuleId::CF218,
            &["encryption", "replica_kms_key_arns"],
            "`kms_key: aws_owned` encrypts every replica with the AWS owned key; these keys would not be used",
        ));
    }
}

/// CF201: a valid table name, not another table's.
fn table_name<'a>(
    l: &Loaded,
    k: &'a str,
    t: &Table,
    names: &mut HashMap<String, &'a str>,
    out: &mut Vec<Diagnostic>,
) {
    let name = l.profile.table_name(k, t);
    let name_path: &[&str] = if t.table_name.is_some() {
        &["tables", k, "table_name"]
    } else {
        &["tables", k]
    };
    if !valid_aws_name(&name) {
        out.push(l.diag_key(
            RuleId::CF201,
            name_path,
            format!(
                "table name `{name}` must be 3–255 characters of A–Z, a–z, 0–9, `_`, `.` and `-`"
            ),
        ));
    }
    if let Some(other) = names.insert(name.clone(), k) {
        out.push(l.diag_key(
            RuleId::CF201,
            name_path,
            format!("table name `{name}` is also the name of table `{other}`"),
        ));
    }
}

/// CF205 and the key attributes' types.
fn key_schema(l: &Loaded, k: &str, t: &Table, types: &mut KeyTypes, out: &mut Vec<Diagnostic>) {
    // key schema
    if let Some(r) = &t.range_key
        && r.name == t.hash_key.name
    {
        out.push(l.diag(
            RuleId::CF205,
            &["tables", k, "range_key", "name"],
            format!(
                "table `{k}` uses `{}` as both partition and sort key",
                r.name
            ),
        ));
    }
    types.note(l, &t.hash_key, tpath(k, &["hash_key", "type"]), out);
    if let Some(r) = &t.range_key {
        types.note(l, r, tpath(k, &["range_key", "type"]), out);
    }
}

/// CF203, CF204, CF210: how many indexes, and LSIs only with a sort key.
fn index_counts(l: &Loaded, k: &str, t: &Table, out: &mut Vec<Diagnostic>) {
    // indexes
    if t.indexes.len() > MAX_GSIS {
        out.push(l.diag_key(
            RuleId::CF203,
            &["tables", k, "indexes"],
            format!(
                "table `{k}` has {} global secondary indexes; the limit is {MAX_GSIS}",
                t.indexes.len()
            ),
        ));
    }
    if t.local_indexes.len() > MAX_LSIS {
        out.push(l.diag_key(
            RuleId::CF204,
            &["tables", k, "local_indexes"],
            format!(
                "table `{k}` has {} local secondary indexes; the limit is {MAX_LSIS}",
                t.local_indexes.len()
            ),
        ));
    }
    if !t.local_indexes.is_empty() && t.range_key.is_none() {
        out.push(l.diag_key(
            RuleId::CF210,
            &["tables", k, "local_indexes"],
            format!("table `{k}` has local secondary indexes but no sort key"),
        ));
    }
}

/// CF202: an index name of at least 3 characters (DynamoDB's minimum).
fn index_name(l: &Loaded, k: &str, kind: &str, ix: &str, out: &mut Vec<Diagnostic>) {
    if ix.len() < 3 {
        out.push(l.diag_key(
            RuleId::CF202,
            &["tables", k, kind, ix],
            format!("index name `{ix}` must be at least 3 characters"),
        ));
    }
}

/// The global secondary indexes; returns how many non-key attributes they project.
fn global_indexes(
    l: &Loaded,
    k: &str,
    t: &Table,
    types: &mut KeyTypes,
    out: &mut Vec<Diagnostic>,
) -> usize {
    let mut projected = 0usize;
    for (ix, g) in &t.indexes {
        let ix = ix.as_str();
        index_name(l, k, "indexes", ix, out);
        if let Some(r) = &g.range_key
            && r.name == g.hash_key.name
        {
            out.push(l.diag(
                RuleId::CF205,
                &["tables", k, "indexes", ix, "range_key", "name"],
                format!(
                    "index `{ix}` uses `{}` as both partition and sort key",
                    r.name
                ),
            ));
        }
        types.note(
            l,
            &g.hash_key,
            tpath(k, &["indexes", ix, "hash_key", "type"]),
            out,
        );
        if let Some(r) = &g.range_key {
            types.note(l, r, tpath(k, &["indexes", ix, "range_key", "type"]), out);
        }
        projected += projection(
            l,
            k,
            "indexes",
            ix,
            g.projection,
            &g.non_key_attributes,
            out,
        );
        if let Some(c) = &g.capacity {
            capacity_override(
                l,
                &["tables", k, "indexes", ix, "capacity"],
                c,
                t.billing,
                out,
            );
        }
    }
    projected
}

/// The local secondary indexes; returns how many non-key attributes they project.
fn local_indexes(
    l: &Loaded,
    k: &str,
    t: &Table,
    types: &mut KeyTypes,
    out: &mut Vec<Diagnostic>,
) -> usize {
    let mut projected = 0usize;
    for (ix, li) in &t.local_indexes {
        let ix = ix.as_str();
        index_name(l, k, "local_indexes", ix, out);
        if t.indexes.contains_key(ix) {
            out.push(l.diag_key(
                RuleId::CF202,
                &["tables", k, "local_indexes", ix],
                format!("index name `{ix}` is also a global secondary index of table `{k}`"),
            ));
        }
        if li.range_key.name == t.hash_key.name {
            out.push(l.diag(
                RuleId::CF205,
                &["tables", k, "local_indexes", ix, "range_key", "name"],
                format!(
                    "index `{ix}` uses `{}` as both partition and sort key",
                    li.range_key.name
                ),
            ));
        }
        types.note(
            l,
            &li.range_key,
            tpath(k, &["local_indexes", ix, "range_key", "type"]),
            out,
        );
        projected += projection(
            l,
            k,
            "local_indexes",
            ix,
            li.projection,
            &li.non_key_attributes,
            out,
        );
    }
    projected
}

/// CF207 (TTL attribute type), CF208 (item sizes), CF307 (a table without a workload) and
/// the explicit capacity ranges.
fn ttl_workload_capacity(
    l: &Loaded,
    k: &str,
    t: &Table,
    types: &KeyTypes,
    out: &mut Vec<Diagnostic>,
) {
    // TTL
    if let Some(ttl) = &t.ttl
        && let Some((ty, _)) = types.get(ttl.as_str())
        && *ty != AttrType::N
    {
        out.push(l.diag(
            RuleId::CF207,
            &["tables", k, "ttl"],
            format!(
                "TTL attribute `{ttl}` is a key of type {}; TTL needs a Number (epoch seconds)",
                ty.as_str()
            ),
        ));
    }

    // workload
    match &t.workload {
        Some(w) if *w.item_size_kb.exact() > Q::from_integer(BigInt::from(MAX_ITEM_KB)) => {
            out.push(l.diag(
                RuleId::CF208,
                &["tables", k, "workload", "item_size_kb"],
                format!(
                    "item size {} KB is above DynamoDB's {MAX_ITEM_KB} KB limit",
                    w.item_size_kb
                ),
            ));
        }
        Some(_) => {}
        None => without_workload(l, k, t, out),
    }
    for (ix, g) in &t.indexes {
        if let Some(size) = &g.item_size_kb
            && *size.exact() > Q::from_integer(BigInt::from(MAX_ITEM_KB))
        {
            out.push(l.diag(
                RuleId::CF208,
                &["tables", k, "indexes", ix, "item_size_kb"],
                format!("projected item size {size} KB is above DynamoDB's {MAX_ITEM_KB} KB limit"),
            ));
        }
    }
    if let Some(c) = &t.capacity {
        capacity_override(l, &["tables", k, "capacity"], c, t.billing, out);
    }
}

/// Attribute names DynamoDB limits in bytes, not characters (CF211): key attributes of the
/// table and its indexes, projected attributes and the TTL attribute.
fn attribute_names(l: &Loaded, k: &str, t: &Table, out: &mut Vec<Diagnostic>) {
    let owned = |rest: &[&str]| -> Vec<String> {
        ["tables", k]
            .iter()
            .chain(rest)
            .map(|s| (*s).to_owned())
            .collect()
    };
    let mut names: Vec<(Vec<String>, Option<usize>, &str)> = Vec::new();
    names.push((owned(&["hash_key", "name"]), None, &t.hash_key.name));
    if let Some(r) = &t.range_key {
        names.push((owned(&["range_key", "name"]), None, &r.name));
    }
    if let Some(ttl) = &t.ttl {
        names.push((owned(&["ttl"]), None, ttl));
    }
    for (ix, g) in &t.indexes {
        names.push((
            owned(&["indexes", ix, "hash_key", "name"]),
            None,
            &g.hash_key.name,
        ));
        if let Some(r) = &g.range_key {
            names.push((owned(&["indexes", ix, "range_key", "name"]), None, &r.name));
        }
        for (i, a) in g.non_key_attributes.iter().enumerate() {
            names.push((owned(&["indexes", ix, "non_key_attributes"]), Some(i), a));
        }
    }
    for (ix, li) in &t.local_indexes {
        names.push((
            owned(&["local_indexes", ix, "range_key", "name"]),
            None,
            &li.range_key.name,
        ));
        for (i, a) in li.non_key_attributes.iter().enumerate() {
            names.push((
                owned(&["local_indexes", ix, "non_key_attributes"]),
                Some(i),
                a,
            ));
        }
    }
    for (path, index, name) in names {
        if name.len() > MAX_ATTRIBUTE_NAME_BYTES {
            let path: Vec<&str> = path.iter().map(String::as_str).collect();
            let message = format!(
                "attribute name is {} bytes in UTF-8 ({} characters); DynamoDB allows {MAX_ATTRIBUTE_NAME_BYTES} bytes",
                name.len(),
                name.chars().count()
            );
            out.push(match index {
                Some(i) => l.diag_item(RuleId::CF211, &path, i, message),
                None => l.diag(RuleId::CF211, &path, message),
            });
        }
    }
}

/// Tags as AWS accepts them (CF212): at most 50, keys not starting with the reserved `aws:`,
/// keys and values of letters, digits, spaces and `_ . : / = + - @` only.
fn tags(l: &Loaded, out: &mut Vec<Diagnostic>) {
    let allowed = |c: char| {
        c.is_alphanumeric() || (c.is_whitespace() && !c.is_control()) || "_.:/=+-@".contains(c)
    };
    let tags = &l.profile.tags;
    if tags.len() > MAX_TAGS {
        out.push(l.diag_key(
            RuleId::CF212,
            &["tags"],
            format!("{} tags; AWS allows {MAX_TAGS} on a resource", tags.len()),
        ));
    }
    for (key, value) in tags {
        if key.get(..4).is_some_and(|p| p.eq_ignore_ascii_case("aws:")) {
            out.push(l.diag_key(
                RuleId::CF212,
                &["tags", key],
                format!(
                    "tag key `{}` starts with `aws:`, which AWS reserves",
                    crate::text::printable(key)
                ),
            ));
        } else if let Some(c) = key.chars().find(|c| !allowed(*c)) {
            out.push(l.diag_key(
                RuleId::CF212,
                &["tags", key],
                format!(
                    "tag key `{}` has `{}`; AWS allows letters, digits, spaces and _ . : / = + - @",
                    crate::text::printable(key),
                    c.escape_default()
                ),
            ));
        }
        if let Some(c) = value.chars().find(|c| !allowed(*c)) {
            out.push(l.diag(
                RuleId::CF212,
                &["tags", key],
                format!("tag value of `{}` has `{}`; AWS allows letters, digits, spaces and _ . : / = + - @", crate::text::printable(key), c.escape_default()),
            ));
        }
    }
}

fn projection(
    l: &Loaded,
    table: &str,
    kind: &str,
    ix: &str,
    projection: Projection,
    attrs: &[String],
    out: &mut Vec<Diagnostic>,
) -> usize {
    let path = ["tables", table, kind, ix, "non_key_attributes"];
    let mut seen = std::collections::HashSet::new();
    for (i, a) in attrs.iter().enumerate() {
        if a.is_empty() {
            out.push(l.diag_item(
                RuleId::CF209,
                &path,
                i,
                format!("index `{ix}` projects an attribute with an empty name"),
            ));
        } else if !seen.insert(a.as_str()) {
            out.push(l.diag_item(
                RuleId::CF209,
                &path,
                i,
                format!(
                    "index `{ix}` projects `{}` twice",
                    crate::text::printable(a)
                ),
            ));
        }
    }
    match projection {
        Projection::Include if attrs.is_empty() => {
            out.push(l.diag(
                RuleId::CF209,
                &["tables", table, kind, ix, "projection"],
                format!("index `{ix}` projects `include` but lists no `non_key_attributes`"),
            ));
            0
        }
        Projection::Include => attrs.len(),
        _ if !attrs.is_empty() => {
            out.push(l.diag(RuleId::CF209, &["tables", table, kind, ix, "non_key_attributes"], format!("index `{ix}` lists `non_key_attributes` but projects `{}`; they are only allowed with `include`", projection.as_aws().to_lowercase())));
            0
        }
        _ => 0,
    }
}

/// A table without a workload has nothing to derive capacity or a billing choice from: it must
/// be on demand or say its capacity (each of its indexes too, or they take the table's range).
fn without_workload(l: &Loaded, k: &str, t: &Table, out: &mut Vec<Diagnostic>) {
    match t.billing {
        Billing::Auto => out.push(l.diag(
            RuleId::CF307,
            &["tables", k, "billing"],
            format!("table `{k}` has `billing: auto` but no `workload`: auto compares the cost of both modes for the workload; add a workload or choose `provisioned` or `on_demand`"),
        )),
        Billing::Provisioned if t.capacity.is_none() => out.push(l.diag_key(
            RuleId::CF307,
            &["tables", k],
            format!("provisioned table `{k}` has neither a `workload` nor a `capacity:` range; add one of them (an adopted table: its current capacity as `capacity:`)"),
        )),
        _ => {}
    }
}

fn capacity_override(
    l: &Loaded,
    path: &[&str],
    c: &super::model::CapacityOverride,
    billing: Billing,
    out: &mut Vec<Diagnostic>,
) {
    if billing == Billing::OnDemand {
        out.push(l.diag_key(
            RuleId::CF305,
            path,
            format!(
                "`{}` sets a capacity range on an on-demand table",
                path[..path.len() - 1].join(".")
            ),
        ));
        return;
    }
    for (dim, r) in [("read", &c.read), ("write", &c.write)] {
        if r.min > r.max {
            let mut p = path.to_vec();
            p.push(dim);
            out.push(l.diag(
                RuleId::CF301,
                &p,
                format!("{dim} capacity min {} is above max {}", r.min, r.max),
            ));
        }
    }
}

/// CF215: every scenario's traffic can be replayed (see the rule).
fn scenarios(l: &Loaded, out: &mut Vec<Diagnostic>) {
    let p = &l.profile;
    for (name, sc) in &p.scenarios {
        for (table, traffic) in &sc.traffic {
            let at = ["scenarios", name.as_str(), "traffic", table.as_str()];
            match p.tables.get(table) {
                None => {
                    out.push(l.diag_key(
                        RuleId::CF215,
                        &at,
                        format!("scenario `{name}` sets traffic for table `{table}`, which the profile does not have"),
                    ));
                    continue;
                }
                Some(t) if t.workload.is_none() => {
                    out.push(l.diag_key(
                        RuleId::CF215,
                        &at,
                        format!("scenario `{name}` sets traffic for table `{table}`, which has no `workload:` to turn requests into capacity units"),
                    ));
                    continue;
                }
                Some(_) => {}
            }
            for (dim, steps) in [
                ("reads_per_second", &traffic.reads_per_second),
                ("writes_per_second", &traffic.writes_per_second),
            ] {
                let Some(steps) = steps else { continue };
                let path = ["scenarios", name.as_str(), "traffic", table.as_str(), dim];
                let mut last: Option<u32> = None;
                for (i, step) in steps.iter().enumerate() {
                    let problem = match (&step.rate, &step.per_customer) {
                        (Some(_), Some(_)) => {
                            Some("sets both `rate` and `per_customer`; give one".to_owned())
                        }
                        (None, None) => Some("sets neither `rate` nor `per_customer`".to_owned()),
                        _ if step.at >= sc.duration_minutes => Some(format!(
                            "starts at minute {}, at or after the scenario's end ({} minutes)",
                            step.at, sc.duration_minutes
                        )),
                        _ if last.is_some_and(|l| step.at <= l) => Some(format!(
                            "starts at minute {}, not after the step before it",
                            step.at
                        )),
                        _ => None,
                    };
                    if let Some(problem) = problem {
                        out.push(l.diag_item(
                            RuleId::CF215,
                            &path,
                            i,
                            format!(
                                "scenario `{name}`, table `{table}`, {dim} step {}: {problem}",
                                i + 1
                            ),
                        ));
                    }
                    last = Some(step.at);
                }
            }
        }
    }
}

/// CF216: every scheduled range can become a scheduled action (see the rule).
fn schedules(l: &Loaded, out: &mut Vec<Diagnostic>) {
    let p = &l.profile;
    if p.simulation.start_instant().is_none() {
        out.push(l.diag(
            RuleId::CF216,
            &["simulation", "start"],
            format!(
                "simulation start `{}` is not a UTC instant written yyyy-mm-ddThh:mm:ssZ",
                p.simulation.start
            ),
        ));
    }
    for (name, sc) in &p.scenarios {
        if let Some(start) = &sc.start
            && sc.start_instant().is_none()
        {
            out.push(l.diag(
                RuleId::CF216,
                &["scenarios", name.as_str(), "start"],
                format!("scenario `{name}` starts at `{start}`, which is not a UTC instant written yyyy-mm-ddThh:mm:ssZ"),
            ));
        }
    }
    for (key, t) in &p.tables {
        let k = key.as_str();
        let scaled = t.billing != Billing::OnDemand && t.autoscaling;
        let why_not = match t.billing {
            Billing::OnDemand => "is on demand",
            _ => "has fixed capacity (`autoscaling: false`)",
        };
        let mut lists = vec![(
            vec!["tables", k, "schedule"],
            format!("table `{k}`"),
            &t.schedule,
        )];
        for (ix, g) in &t.indexes {
            lists.push((
                vec!["tables", k, "indexes", ix.as_str(), "schedule"],
                format!("index `{ix}` of table `{k}`"),
                &g.schedule,
            ));
        }
        for (path, what, list) in lists {
            if list.is_empty() {
                continue;
            }
            if !scaled {
                out.push(l.diag_key(
                    RuleId::CF216,
                    &path,
                    format!("{what} has a schedule, but the table {why_not}: there is no scalable target to change"),
                ));
                continue;
            }
            schedule_list(l, &path, &what, list, out);
        }
    }
}

/// CF216 on one table's or index's `schedule:` list.
fn schedule_list(
    l: &Loaded,
    path: &[&str],
    what: &str,
    list: &[super::model::ScheduledRange],
    out: &mut Vec<Diagnostic>,
) {
    use crate::capacity::schedule;
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for (i, e) in list.iter().enumerate() {
        let at = |field: &str, message: String| {
            l.diag_item_field(
                RuleId::CF216,
                path,
                i,
                field,
                format!("{what}, schedule `{}`: {message}", e.name),
            )
        };
        if let Some(first) = seen.insert(e.name.as_str(), i) {
            out.push(at("name", format!("the name is already used by entry {} of the same schedule; AWS keeps one action per name and target", first + 1)));
        }
        let given: Vec<&str> = [("cron", &e.cron), ("at", &e.at), ("rate", &e.rate)]
            .iter()
            .filter(|(_, v)| v.is_some())
            .map(|(n, _)| *n)
            .collect();
        match (given.as_slice(), e.expression()) {
            ([field], Some(expr)) => {
                if let Err(m) = schedule::parse(&expr) {
                    out.push(at(field, m));
                }
            }
            ([], _) => out.push(l.diag_item(
                RuleId::CF216,
                path,
                i,
                format!(
                    "{what}, schedule `{}`: give one of `cron`, `at` or `rate`",
                    e.name
                ),
            )),
            (many, _) => out.push(at(
                many[1],
                format!(
                    "gives {}; give exactly one",
                    many.iter()
                        .map(|f| format!("`{f}`"))
                        .collect::<Vec<_>>()
                        .join(" and ")
                ),
            )),
        }
        if let Some(tz) = &e.timezone
            && let Err(m) = schedule::zone(tz)
        {
            out.push(at("timezone", m));
        }
        if e.read.is_none() && e.write.is_none() {
            out.push(l.diag_item(RuleId::CF216, path, i, format!("{what}, schedule `{}`: names neither `read` nor `write`, so it changes nothing", e.name)));
        }
        for (dim, b) in [("read", &e.read), ("write", &e.write)] {
            match b {
                Some(b) if b.min.is_none() && b.max.is_none() => {
                    out.push(at(dim, format!("`{dim}` gives neither `min` nor `max`")));
                }
                Some(super::model::ScheduledBounds {
                    min: Some(lo),
                    max: Some(hi),
                }) if lo > hi => {
                    out.push(at(dim, format!("{dim} min {lo} is above max {hi}")));
                }
                _ => {}
            }
        }
    }
}

/// The AWS regions, by partition (AWS General Reference, *Regions and endpoints*, read
/// 2026-12-02). A replica outside this list, or in another partition than the table, is CF217.
pub const REGIONS: &[(&str, &[&str])] = &[
    (
        "aws",
        &[
            "af-south-1",
            "ap-east-1",
            "ap-east-2",
            "ap-northeast-1",
            "ap-northeast-2",
            "ap-northeast-3",
            "ap-south-1",
            "ap-south-2",
            "ap-southeast-1",
            "ap-southeast-2",
            "ap-southeast-3",
            "ap-southeast-4",
            "ap-southeast-5",
            "ap-southeast-6",
            "ap-southeast-7",
            "ca-central-1",
            "ca-west-1",
            "eu-central-1",
            "eu-central-2",
            "eu-north-1",
            "eu-south-1",
            "eu-south-2",
            "eu-west-1",
            "eu-west-2",
            "eu-west-3",
            "il-central-1",
            "me-central-1",
            "me-south-1",
            "mx-central-1",
            "sa-east-1",
            "us-east-1",
            "us-east-2",
            "us-west-1",
            "us-west-2",
        ],
    ),
    ("aws-cn", &["cn-north-1", "cn-northwest-1"]),
    ("aws-us-gov", &["us-gov-east-1", "us-gov-west-1"]),
];

/// The partition of a region, if AWS has it.
pub fn partition(region: &str) -> Option<&'static str> {
    REGIONS
        .iter()
        .find(|(_, regions)| regions.contains(&region))
        .map(|(p, _)| *p)
}

/// CF217: every replica can be created (see the rule).
fn global_tables(l: &Loaded, out: &mut Vec<Diagnostic>) {
    let p = &l.profile;
    let home = partition(&p.region);
    // where a replica list is written: the table's own, else the top level
    let mut replicated: Vec<&str> = Vec::new();
    let mut lists: Vec<(Vec<String>, &[String])> =
        vec![(vec!["replica_regions".into()], &p.replica_regions)];
    for (key, t) in &p.tables {
        if let Some(r) = &t.replicas {
            lists.push((vec!["tables".into(), key.clone(), "replicas".into()], r));
        }
    }
    for (path, regions) in &lists {
        let path: Vec<&str> = path.iter().map(String::as_str).collect();
        for (i, region) in regions.iter().enumerate() {
            let problem = if *region == p.region {
                Some(format!(
                    "`{region}` is the table's own region (`region:`); a replica lives in another"
                ))
            } else if regions[..i].contains(region) {
                Some(format!("`{region}` is listed twice"))
            } else {
                match partition(region) {
                    None => Some(format!("`{region}` is not an AWS region")),
                    Some(part) if home.is_some_and(|h| h != part) => Some(format!(
                        "`{region}` is in the {part} partition and `{}` in {}; a global table stays in one partition",
                        p.region,
                        home.unwrap_or("another")
                    )),
                    Some(_) => None,
                }
            };
            if let Some(problem) = problem {
                out.push(l.diag_item(RuleId::CF217, &path, i, format!("replica {problem}")));
            }
        }
    }
    for (key, t) in &p.tables {
        let k = key.as_str();
        let regions = p.replicas(t);
        if regions.is_empty() {
            continue;
        }
        // (regions refused above are not asked for keys)
        for r in regions {
            let valid = *r != p.region && partition(r).is_some() && partition(r) == home;
            if valid && !replicated.contains(&r.as_str()) {
                replicated.push(r);
            }
        }
        if let Some(view) = t.stream
            && view != super::model::StreamView::NewAndOldImages
        {
            out.push(l.diag(
                RuleId::CF217,
                &["tables", k, "stream"],
                format!("table `{k}` has replicas, which replicate through a `new_and_old_images` stream; drop `stream:` or make it `new_and_old_images`"),
            ));
        }
        if t.billing != Billing::OnDemand && !t.autoscaling {
            out.push(l.diag(
                RuleId::CF217,
                &["tables", k, "autoscaling"],
                format!("table `{k}` has replicas, and provisioned writes without autoscaling: DynamoDB refuses with \"Table write capacity should either be Pay-Per-Request or AutoScaled\""),
            ));
        }
    }
    let enc = &p.encryption;
    if enc.kms_key == super::model::KmsKey::CustomerManaged && enc.kms_key_arn.is_some() {
        for region in &replicated {
            if !enc.replica_kms_key_arns.contains_key(*region) {
                out.push(l.diag_key(
                    RuleId::CF217,
                    &["encryption", "kms_key_arn"],
                    format!("tables are replicated to `{region}`, but `encryption.replica_kms_key_arns` gives no key there; a KMS key serves its own region only"),
                ));
            }
        }
    }
    for (region, arn) in &enc.replica_kms_key_arns {
        let arn_region = arn.split(':').nth(3).unwrap_or("");
        let at = ["encryption", "replica_kms_key_arns", region.as_str()];
        if arn_region != region {
            out.push(l.diag(
                RuleId::CF217,
                &at,
                format!("the key for `{region}` is in `{arn_region}`; a replica needs a key of its own region"),
            ));
        } else if !replicated.contains(&region.as_str()) {
            out.push(l.diag_key(
                RuleId::CF217,
                &at,
                format!("no table is replicated to `{region}`"),
            ));
        }
    }
}
