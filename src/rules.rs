//! The rule catalogue: every diagnostic capform emits has a stable ID documented here.
//! `capform explain RULE` prints an entry; `docs/rules.md` is generated from this table and a
//! test keeps the two in step.

use std::fmt;

use serde::Serialize;

/// How bad a finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Worth knowing; never fails a run.
    Info,
    /// Plan would accept it, production may regret it; fails with `--deny warnings`.
    Warning,
    /// Terraform or AWS would reject it, or it breaks a stated policy.
    Error,
}

impl Severity {
    /// Lower-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One rule.
#[derive(Clone, Copy, Debug)]
pub struct Rule {
    /// Stable ID (`CF100`).
    pub id: RuleId,
    /// Short kebab-case name.
    pub name: &'static str,
    /// Default severity.
    pub severity: Severity,
    /// One line: what the rule checks.
    pub summary: &'static str,
    /// Why it matters.
    pub why: &'static str,
    /// How to fix it.
    pub fix: &'static str,
    /// A corpus case that triggers it, relative to the repository (a test runs each one and
    /// checks that it reports exactly the rules it expects).
    pub example: &'static str,
}

#[allow(unused_imports)]
use Severity::{Error, Info, Warning};

/// Declares the catalogue once: the [`RuleId`] enum (so the compiler knows every ID, and an
/// unknown one cannot be written) and [`RULES`], each entry with its ID, in the same order.
macro_rules! catalogue {
    ($( $id:ident {
        name: $name:expr,
        severity: $sev:ident,
        summary: $summary:expr,
        why: $why:expr,
        fix: $fix:expr,
        example: $example:expr $(,)?
    } )*) => {
        /// A rule's stable ID. Never reused for another meaning.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum RuleId {
            $( #[doc = $summary] $id, )*
        }

        impl RuleId {
            /// The ID as written: `CF100`.
            pub fn as_str(self) -> &'static str {
                match self {
                    $( RuleId::$id => stringify!($id), )*
                }
            }
        }

        /// Every rule, ordered by ID.
        pub const RULES: &[Rule] = &[
            $( Rule { id: RuleId::$id, name: $name, severity: $sev, summary: $summary, why: $why, fix: $fix, example: $example }, )*
        ];
    };
}

impl std::fmt::Display for RuleId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl serde::Serialize for RuleId {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

catalogue! {
    CF001 {
        name: "unreadable-file",
        severity: Error,
        summary: "The file cannot be read, or is not UTF-8 text.",
        why: "A profile is YAML text; anything else cannot be checked or rendered.",
        fix: "Check the path and save the file as UTF-8.",
        example: "tests/corpus/profiles/cf001-not-utf8.yaml",
    }
    CF002 {
        name: "yaml-syntax",
        severity: Error,
        summary: "The YAML does not parse, or exceeds a resource limit (depth, aliases, size).",
        why: "Nothing can be checked until the document parses. The limits stop alias bombs and pathological nesting.",
        fix: "Fix the syntax at the reported location; see README § Limits for the bounds.",
        example: "tests/corpus/profiles/cf002-alias-bomb.yaml",
    }
    CF003 {
        name: "duplicate-key",
        severity: Error,
        summary: "A mapping has the same key twice.",
        why: "YAML forbids it, and parsers disagree on which value wins: two tables or indexes with one name would silently become one.",
        fix: "Rename or remove one of the entries.",
        example: "tests/corpus/profiles/cf003-duplicate-field.yaml",
    }
    CF100 {
        name: "schema",
        severity: Error,
        summary: "The profile does not match the profile JSON Schema (`capform schema`).",
        why: "Wrong types, unknown fields and out-of-range values would otherwise reach the capacity math or the HCL.",
        fix: "Correct the field named in the message; `capform schema` lists every field, its type and range.",
        example: "tests/corpus/profiles/cf100-bad-enum.yaml",
    }
    CF201 {
        name: "table-name",
        severity: Error,
        summary: "A table name, after the prefix is applied, is not 3–255 characters of [A-Za-z0-9_.-], or two tables share a name.",
        why: "DynamoDB rejects the name at apply time, after plan has passed.",
        fix: "Shorten the prefix or set `table_name` on the table.",
        example: "tests/corpus/profiles/cf201-duplicate-table-name.yaml",
    }
    CF202 {
        name: "index-name",
        severity: Error,
        summary: "An index name is shorter than 3 characters, or is used twice on one table.",
        why: "DynamoDB index names are 3–255 characters and unique per table.",
        fix: "Rename the index.",
        example: "tests/corpus/profiles/cf202-index-name-short.yaml",
    }
    CF203 {
        name: "too-many-gsis",
        severity: Error,
        summary: "A table has more than 20 global secondary indexes.",
        why: "20 GSIs per table is DynamoDB's default quota; apply would fail.",
        fix: "Merge access patterns into overloaded indexes, or request a quota increase and split the table.",
        example: "tests/corpus/profiles/cf203-too-many-gsis.yaml",
    }
    CF204 {
        name: "too-many-lsis",
        severity: Error,
        summary: "A table has more than 5 local secondary indexes.",
        why: "5 LSIs per table is a hard DynamoDB limit.",
        fix: "Use global secondary indexes for the rest.",
        example: "tests/corpus/profiles/cf204-too-many-lsis.yaml",
    }
    CF205 {
        name: "hash-equals-range",
        severity: Error,
        summary: "A table or index uses one attribute as both partition and sort key.",
        why: "DynamoDB rejects a key schema that names one attribute twice.",
        fix: "Pick a different sort key, or drop it.",
        example: "tests/corpus/profiles/cf205-hash-equals-range.yaml",
    }
    CF206 {
        name: "attribute-type-conflict",
        severity: Error,
        summary: "One attribute is declared with two types across the table's keys and indexes.",
        why: "A table has one attribute definition per name; Terraform would emit conflicting definitions.",
        fix: "Use the same type everywhere the attribute is a key.",
        example: "tests/corpus/profiles/cf206-attribute-type-conflict.yaml",
    }
    CF207 {
        name: "ttl-attribute-type",
        severity: Error,
        summary: "The TTL attribute is a key attribute of type S or B.",
        why: "TTL reads a Number holding epoch seconds; a string or binary attribute never expires anything.",
        fix: "Point `ttl` at a Number attribute (e.g. `expires_at`).",
        example: "tests/corpus/profiles/cf207-ttl-on-string-key.yaml",
    }
    CF208 {
        name: "item-too-large",
        severity: Error,
        summary: "The item size is above DynamoDB's 400 KB limit.",
        why: "DynamoDB rejects items over 400 KB, so the workload cannot exist as described.",
        fix: "Store large payloads in S3 and keep a pointer in the item.",
        example: "tests/corpus/profiles/cf208-item-too-large.yaml",
    }
    CF209 {
        name: "projection-attributes",
        severity: Error,
        summary: "`non_key_attributes` is given without `projection: include`, `include` has none, or more than 100 are projected on one table.",
        why: "DynamoDB accepts non-key attributes only with INCLUDE, and at most 100 across a table's indexes.",
        fix: "Use `projection: include` with the attributes, or drop the list.",
        example: "tests/corpus/profiles/cf209-attributes-without-include.yaml",
    }
    CF210 {
        name: "lsi-without-sort-key",
        severity: Error,
        summary: "A local secondary index is defined on a table without a sort key.",
        why: "An LSI shares the table's partition key and needs the table to have a composite key.",
        fix: "Add a `range_key` to the table or make the index global.",
        example: "tests/corpus/profiles/cf210-lsi-without-sort-key.yaml",
    }
    CF211 {
        name: "attribute-name-bytes",
        severity: Error,
        summary: "A key, projected or TTL attribute name is longer than 255 bytes in UTF-8.",
        why: "DynamoDB limits these attribute names in bytes, not characters: a 200-character name of accented or non-Latin letters can exceed it and the table is refused at apply.",
        fix: "Shorten the attribute name.",
        example: "tests/corpus/profiles/cf211-attribute-name-bytes.yaml",
    }
    CF212 {
        name: "tag-rules",
        severity: Error,
        summary: "A tag AWS refuses: more than 50 tags, a key starting with `aws:`, or a character outside letters, digits, spaces and `_ . : / = + - @`.",
        why: "Tagging fails at apply for the table and every other resource the module creates; `aws:` is reserved for AWS's own tags.",
        fix: "Rename or drop the tag.",
        example: "tests/corpus/profiles/cf212-tags.yaml",
    }
    CF213 {
        name: "generated-name-length",
        severity: Error,
        summary: "A name capform would generate is longer than AWS allows: an alarm name over 255 characters or a scaling policy name over 256.",
        why: "Names are built from the module prefix, the table name, the index name and a suffix; past the limit the alarm or policy is refused at apply, after plan has passed.",
        fix: "Shorten the table name (`table_name`), the index name or the profile name.",
        example: "tests/corpus/profiles/cf213-generated-name-length.yaml",
    }
    CF214 {
        name: "resource-collision",
        severity: Error,
        summary: "Two profile keys would define the same Terraform resource or the same alarm name.",
        why: "Resource labels and names join profile keys with `_` and `-`: table `lambda_a` and Lambda function `a_read` both give `lambda_a_read_throttles`. Terraform rejects a duplicate resource; two alarms of one name overwrite each other in CloudWatch.",
        fix: "Rename one of the two keys (or its `table_name`).",
        example: "tests/corpus/profiles/cf214-resource-collision.yaml",
    }
    CF215 {
        name: "scenario-traffic",
        severity: Error,
        summary: "A scenario's traffic cannot be replayed: it names a table the profile lacks or one without a workload, or a step sets neither or both of `rate` and `per_customer`, or its steps are not in order within the scenario.",
        why: "`capform simulate` turns requests into capacity units with the table's workload (item size, consistency, indexes); a step function needs one rate per step, in time order, inside the scenario's duration.",
        fix: "Name a table of the profile that has a `workload:`, give each step exactly one of `rate` or `per_customer`, and list steps by ascending `at` below `duration_minutes`.",
        example: "tests/corpus/profiles/cf215-scenario-traffic.yaml",
    }
    CF216 {
        name: "schedule",
        severity: Error,
        summary: "A scheduled range cannot become a scheduled action: not exactly one of `cron`, `at` and `rate`, a schedule or time zone Application Auto Scaling would refuse, no dimension or bound, a minimum above its maximum, a name used twice on one table or index, a table without autoscaled capacity, or a `simulation.start` or scenario `start` that is no instant.",
        why: "Application Auto Scaling validates a scheduled action only when it is created, at apply time, and only for the scalable targets that exist: an on-demand table or one with fixed capacity has none.",
        fix: "Give one of `cron: \"0 8 ? * MON-FRI *\"`, `at: \"2026-12-24T18:00:00\"` or `rate: \"6 hours\"`, an IANA time zone such as `Europe/Berlin`, `read:` or `write:` with `min`, `max` or both (min ≤ max), a name of its own, on a provisioned autoscaled table.",
        example: "tests/corpus/profiles/cf216-schedule.yaml",
    }
    CF217 {
        name: "global-table",
        severity: Error,
        summary: "A replica DynamoDB would refuse: in the primary's own region, twice, in a region AWS does not have or in another partition, on a table whose stream is not `new_and_old_images` or whose provisioned writes do not autoscale, or without a KMS key of its region when the tables use a given customer-managed key.",
        why: "Global tables (version 2019.11.21) replicate through a NEW_AND_OLD_IMAGES stream; a provisioned table may only have replicas when its write capacity is autoscaled (\"Table write capacity should either be Pay-Per-Request or AutoScaled\"); KMS keys are regional, so every replica needs a key of its own region. AWS reports each of these only at apply time, halfway through creating the table.",
        fix: "List each other region once (`eu-west-1`), drop `stream:` or make it `new_and_old_images`, keep `autoscaling` on (or use on-demand billing), and give `encryption.replica_kms_key_arns` a key ARN for every replica region.",
        example: "tests/corpus/profiles/cf217-global-table.yaml",
    }
    CF218 {
        name: "table-option",
        severity: Error,
        summary: "A table option that does nothing where it is set: `point_in_time_recovery_days` on a table without point-in-time recovery, a KMS key ARN beside `kms_key: aws_owned`, or `on_demand_throughput` on a provisioned table or capping nothing.",
        why: "The provider sends the recovery period only with point-in-time recovery on, the AWS owned key takes no ARN, and DynamoDB applies an on-demand maximum to on-demand tables only: the profile would promise a restore window, a key or a cost guard that does not exist.",
        fix: "Turn point-in-time recovery on for the table (`point_in_time_recovery: true`) or drop `point_in_time_recovery_days`; with a key of your own, say `kms_key: customer_managed`; give `on_demand_throughput` a `max_read_request_units` or `max_write_request_units` on an `on_demand` (or `auto`) table.",
        example: "tests/corpus/profiles/cf218-table-option.yaml",
    }
    CF301 {
        name: "capacity-min-above-max",
        severity: Error,
        summary: "An explicit capacity range has min greater than max.",
        why: "Application Auto Scaling rejects a scalable target whose minimum exceeds its maximum.",
        fix: "Swap or correct the bounds.",
        example: "tests/corpus/profiles/cf301-min-above-max.yaml",
    }
    CF302 {
        name: "target-utilization-range",
        severity: Error,
        summary: "A target utilization is outside Application Auto Scaling's 20–90 % range for DynamoDB.",
        why: "The scaling policy is rejected at apply time, after plan has passed.",
        fix: "Use a target between 20 and 90 (70 is the common choice).",
        example: "tests/corpus/profiles/cf302-table-target.yaml",
    }
    CF303 {
        name: "table-quota",
        severity: Warning,
        summary: "A table's derived peak or autoscaling maximum is above the default per-table quota of 40,000 RCU or 40,000 WCU.",
        why: "DynamoDB caps a table at 40,000 read and 40,000 write units by default (provisioned and on-demand); above it requests are throttled whatever the module says.",
        fix: "Request a quota increase before the tier arrives, or split the workload over tables.",
        example: "tests/corpus/profiles/cf303-table-quota.yaml",
    }
    CF304 {
        name: "hot-partition",
        severity: Error,
        summary: "Traffic keyed per customer puts more than 3,000 RCU or 1,000 WCU on one partition key at peak.",
        why: "A single partition serves at most 3,000 RCU and 1,000 WCU; with `keyed_by_customer` one customer's peak lands on one partition and is throttled however much capacity the table has.",
        fix: "Shard the partition key (e.g. `tenant_id#N`), cache reads, or batch writes.",
        example: "tests/corpus/profiles/cf304-hot-partition.yaml",
    }
    CF305 {
        name: "capacity-on-demand",
        severity: Error,
        summary: "An explicit capacity range is set on an on-demand table or its index.",
        why: "On-demand tables have no provisioned capacity; the range would be silently ignored.",
        fix: "Remove `capacity:` or switch the table to `billing: provisioned`.",
        example: "tests/corpus/profiles/cf305-capacity-on-demand.yaml",
    }
    CF306 {
        name: "unreachable-range",
        severity: Warning,
        summary: "Autoscaling cannot climb from the range's minimum to its maximum within 15 minutes, given the cooldowns and target.",
        why: "Target tracking raises capacity to consumed ÷ target, at most by a factor 100 ÷ target per step while requests are throttled, one step per scale-out cooldown plus two minutes of alarm evaluation. A busy hour that arrives faster than that is throttled.",
        fix: "Raise the minimum, shorten `scale_out_cooldown`, or lower the target.",
        example: "tests/corpus/profiles/cf306-unreachable-range.yaml",
    }
    CF307 {
        name: "workload-needed",
        severity: Error,
        summary: "A table without a `workload` is `billing: auto`, or provisioned without an explicit `capacity:` range.",
        why: "Without a workload there is nothing to derive an autoscaling range from, nor to compare the cost of provisioned and on-demand billing with.",
        fix: "Add the table's `workload`, or give its `capacity:` range (and make `auto` `provisioned` or `on_demand`).",
        example: "tests/corpus/profiles/cf307-auto-without-workload.yaml",
    }
    CF308 {
        name: "capacity-limit",
        severity: Error,
        summary: "A table's or index's derived capacity is above 1,000,000 units, the most capform writes.",
        why: "Far beyond any quota AWS grants by default (40,000) and beyond what an explicit `capacity:` may say: such a figure comes from a mistaken rate or peak factor, and the module would fail at apply.",
        fix: "Check the workload's rates, item size and peak factor; give an explicit `capacity:` if the table really is that large.",
        example: "tests/corpus/profiles/cf308-capacity-limit.yaml",
    }
    CF401 {
        name: "production-without-pitr",
        severity: Error,
        summary: "A production table has point-in-time recovery turned off.",
        why: "Without PITR an accidental delete or a bad write can only be undone from on-demand backups, if there are any.",
        fix: "Remove `point_in_time_recovery: false` (it defaults to true in production).",
        example: "tests/corpus/profiles/cf401-production-without-pitr.yaml",
    }
    CF402 {
        name: "production-without-deletion-protection",
        severity: Warning,
        summary: "A production table has deletion protection turned off.",
        why: "A mistaken `terraform destroy` or a renamed resource deletes the table and its data.",
        fix: "Remove `deletion_protection: false` (it defaults to true in production).",
        example: "tests/corpus/profiles/cf402-production-without-deletion-protection.yaml",
    }
    CF403 {
        name: "production-without-alarm-actions",
        severity: Warning,
        summary: "A production profile's alarms notify nobody (`alarm_actions: none` or alarms turned off).",
        why: "An alarm nobody hears is a dashboard nobody watches.",
        fix: "Use `monitoring.alarm_actions: sns` and pass topic ARNs in `alarm_sns_topic_arns`.",
        example: "tests/corpus/profiles/cf403-production-without-alarm-actions.yaml",
    }
    CF404 {
        name: "staging-with-pitr",
        severity: Info,
        summary: "A staging table has point-in-time recovery on.",
        why: "PITR costs $0.20 per GB-month of table data; staging data is usually reproducible.",
        fix: "Set `point_in_time_recovery: false` unless staging data matters.",
        example: "tests/corpus/profiles/cf404-staging-with-pitr.yaml",
    }
    CF501 {
        name: "autoscaling-required",
        severity: Error,
        summary: "A provisioned table without autoscaling at a tier above the profile's `scaling.autoscaling_required_above` (5,000 customers by default).",
        why: "Fixed capacity sized for the peak wastes money off-peak and still throttles when the tier grows; the capacity plan requires autoscaling beyond this size.",
        fix: "Remove `autoscaling: false`, or switch the table to on-demand.",
        example: "tests/corpus/profiles/cf501-autoscaling-required.yaml",
    }
    CF502 {
        name: "multi-region-recommended",
        severity: Warning,
        summary: "The tier is at or above `scaling.multi_region_at` (10,000 customers by default) and the profile runs in one region: no table has a replica.",
        why: "At this size a regional outage is an outage for every customer; the capacity plan recommends a second region (global tables).",
        fix: "Add `replica_regions: [eu-west-1]` (DynamoDB global tables; README § Global tables), or raise the threshold deliberately.",
        example: "tests/corpus/profiles/cf502-multi-region.yaml",
    }
    CF601 {
        name: "alarm-period",
        severity: Error,
        summary: "An alarm's period is not 10, 30 or a multiple of 60 seconds, or period × evaluation periods exceeds one day.",
        why: "CloudWatch rejects such alarms when they are created.",
        fix: "Use a period of 60 or 300 seconds and at most 86,400 seconds of evaluation window.",
        example: "tests/corpus/modules/cf601-illegal-period.yaml",
    }
    CF602 {
        name: "percentile-on-non-latency",
        severity: Warning,
        summary: "A percentile statistic (`pNN`) is used on a metric that is not a latency or duration.",
        why: "Percentiles of counts (errors, throttles, requests) are almost always 0 or 1 per datapoint; the alarm never means what it says.",
        fix: "Use `Sum` or `Average` for counts; keep percentiles for Latency and Duration.",
        example: "tests/corpus/modules/cf602-percentile-on-a-count.yaml",
    }
    CF603 {
        name: "table-without-throttle-alarm",
        severity: Warning,
        summary: "A table has no read or write throttle alarm.",
        why: "Throttling is how capacity problems reach users; without an alarm the first report comes from a customer.",
        fix: "Keep monitoring on for the table (remove `alarms: { enabled: false }`), or add a ReadThrottleEvents/WriteThrottleEvents alarm.",
        example: "tests/corpus/profiles/cf603-no-throttle-alarm.yaml",
    }
    CF604 {
        name: "api-identity",
        severity: Error,
        summary: "A REST API without `name`, an HTTP API without `api_id`, or `cache` on an HTTP API.",
        why: "CloudWatch publishes REST API metrics by ApiName and Stage and HTTP API metrics by ApiId and Stage; without the right identity every API alarm and widget watches nothing. HTTP APIs have no cache.",
        fix: "Give REST APIs `name`, HTTP APIs `api_id`, and drop `cache` from HTTP APIs.",
        example: "tests/corpus/profiles/cf604-http-api-with-cache.yaml",
    }
    CF701 {
        name: "hcl-syntax",
        severity: Error,
        summary: "A .tf file does not parse as HCL.",
        why: "Terraform cannot load the module.",
        fix: "Fix the syntax at the reported location (`terraform fmt` points at the same place).",
        example: "tests/corpus/modules/cf701-syntax.yaml",
    }
    CF702 {
        name: "missing-scaling",
        severity: Error,
        summary: "A provisioned table or GSI lacks a read and a write `aws_appautoscaling_target` with a target-tracking `aws_appautoscaling_policy`.",
        why: "Provisioned capacity that does not scale is either paid for at peak all day or throttles at peak.",
        fix: "Add the targets and policies (capform renders them), or mark deliberately fixed capacity with `# capform:ignore CF702 <reason>` above the table.",
        example: "tests/corpus/modules/cf702-missing-index-scaling.yaml",
    }
    CF703 {
        name: "missing-ignore-changes",
        severity: Error,
        summary: "An autoscaled table does not ignore `read_capacity` and `write_capacity` in its `lifecycle`, or a table with autoscaled indexes does not ignore `global_secondary_index`.",
        why: "Every plan would try to reset the capacity autoscaling chose: a perpetual diff, and an apply that scales the table down at the worst moment.",
        fix: "Add `lifecycle { ignore_changes = [read_capacity, write_capacity] }` (and `global_secondary_index` when GSIs are autoscaled).",
        example: "tests/corpus/modules/cf703-missing-ignore-changes.yaml",
    }
    CF704 {
        name: "undeclared-reference",
        severity: Error,
        summary: "An expression refers to a variable, local, module, data source or resource the module does not declare.",
        why: "`terraform validate` and `plan` fail on it.",
        fix: "Declare the object or correct the reference.",
        example: "tests/corpus/modules/cf704-undeclared-local.yaml",
    }
    CF705 {
        name: "module-table-without-pitr",
        severity: Error,
        summary: "A table in a production module does not enable point-in-time recovery.",
        why: "Same as CF401, for modules written or edited by hand.",
        fix: "Add `point_in_time_recovery { enabled = true }`.",
        example: "tests/corpus/modules/cf705-production-table-without-pitr.yaml",
    }
    CF706 {
        name: "scaling-on-demand-table",
        severity: Error,
        summary: "An `aws_appautoscaling_target` scales a table (or an index of a table) whose `billing_mode` is `PAY_PER_REQUEST`.",
        why: "Application Auto Scaling refuses to register a scalable target on an on-demand table: the apply fails after the table is created.",
        fix: "Remove the target and its policies, or make the table `PROVISIONED` (capform renders targets only for provisioned tables).",
        example: "tests/corpus/terraform/cf706-target-on-on-demand-table",
    }
    CF801 {
        name: "capacity-drift",
        severity: Error,
        summary: "A capacity in the module (table, GSI or autoscaling min/max) differs from what the profile renders.",
        why: "The module no longer matches the reviewed capacity plan.",
        fix: "Re-render with `capform render`, or change the profile and re-render.",
        example: "tests/corpus/modules/cf801-drift-max-capacity.yaml",
    }
    CF802 {
        name: "scaling-policy-drift",
        severity: Error,
        summary: "A scaling policy's target or cooldowns differ from the profile.",
        why: "Autoscaling behaves differently from the plan that was reviewed.",
        fix: "Re-render with `capform render`.",
        example: "tests/corpus/modules/cf802-drift-target.yaml",
    }
    CF803 {
        name: "index-drift",
        severity: Error,
        summary: "A global or local secondary index is missing, extra or different from the profile.",
        why: "Queries the service relies on may fail, or an index nobody planned costs capacity.",
        fix: "Re-render with `capform render` (with `--manage-indexes` for the apply that changes indexes).",
        example: "tests/corpus/modules/cf803-drift-index-projection.yaml",
    }
    CF804 {
        name: "ttl-drift",
        severity: Error,
        summary: "A table's TTL differs from the profile.",
        why: "Items expire when they should not, or pile up when they should expire.",
        fix: "Re-render with `capform render`.",
        example: "tests/corpus/modules/cf804-drift-ttl.yaml",
    }
    CF805 {
        name: "pitr-drift",
        severity: Error,
        summary: "A table's point-in-time recovery differs from the profile.",
        why: "Recovery guarantees differ from the reviewed plan.",
        fix: "Re-render with `capform render`.",
        example: "tests/corpus/modules/cf805-drift-pitr.yaml",
    }
    CF806 {
        name: "alarm-drift",
        severity: Error,
        summary: "An alarm is missing, extra or different from what the profile renders.",
        why: "The operator is not told what the plan says they would be told.",
        fix: "Re-render with `capform render`.",
        example: "tests/corpus/modules/cf806-drift-alarm-removed.yaml",
    }
    CF807 {
        name: "resource-drift",
        severity: Error,
        summary: "Any other resource, attribute, variable or output differs from what the profile renders.",
        why: "The module on disk is not the module the profile describes.",
        fix: "Re-render with `capform render`, or move hand-written additions into a separate module.",
        example: "tests/corpus/modules/cf807-drift-extra-resource.yaml",
    }
}

/// The rule with this ID, if any (case-insensitive).
pub fn lookup(id: &str) -> Option<&'static Rule> {
    RULES
        .iter()
        .find(|r| r.id.as_str().eq_ignore_ascii_case(id))
}

/// The catalogue entry of an ID (every ID has one: both come from one list).
pub fn rule(id: RuleId) -> &'static Rule {
    &RULES[id as usize]
}

/// The documentation of a rule as Markdown.
pub fn doc(rule: &Rule) -> String {
    format!(
        "## {} `{}` ({})\n\n{}\n\n**Why it matters.** {}\n\n**How to fix it.** {}\n\n**Example.** [`{}`](../{})\n",
        rule.id,
        rule.name,
        rule.severity,
        rule.summary,
        rule.why,
        rule.fix,
        rule.example,
        rule.example
    )
}

/// `docs/rules.md`: every rule's documentation, generated from [`RULES`].
pub fn markdown() -> String {
    let mut out = String::from(
        "# capform rules\n\nGenerated from `src/rules.rs` (`capform explain --markdown`); a test keeps this file in step.\n\n| Rule | Name | Severity | Checks |\n|---|---|---|---|\n",
    );
    for r in RULES {
        out.push_str(&format!(
            "| [{}](#{}) | `{}` | {} | {} |\n",
            r.id,
            r.id.as_str().to_lowercase(),
            r.name,
            r.severity,
            r.summary.replace('|', "\\|")
        ));
    }
    for r in RULES {
        out.push('\n');
        out.push_str(&format!(
            "<a id=\"{}\"></a>\n",
            r.id.as_str().to_lowercase()
        ));
        out.push_str(&doc(r));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_sorted() {
        for pair in RULES.windows(2) {
            assert!(
                pair[0].id < pair[1].id,
                "{} before {}",
                pair[0].id,
                pair[1].id
            );
        }
        assert_eq!(lookup("cf100").map(|r| r.name), Some("schema"));
        for r in RULES {
            assert_eq!(rule(r.id).id, r.id);
        }
    }
}
