//! The plan: every decision about the module resolved into a model the templates only lay out.
//!
//! Nothing after this stage computes a number or chooses a policy. Names, capacity ranges,
//! lifecycle rules and defaults are all settled here, so a reviewer can read why the HCL says
//! what it says in one place.

pub mod cost;
pub mod demand;
mod interface;
pub mod load;
pub mod monitoring;
mod table;
pub mod tiers;
pub mod value;

use crate::rules::RuleId;
use serde::Serialize;

use crate::capacity::{self, Range, ReadWrite};
use crate::profile::model::{KmsKey, Profile};
use value::HclValue;

/// The whole module.
#[derive(Clone, Debug, Serialize)]
pub struct ModulePlan {
    /// Profile name (default name prefix).
    pub name: String,
    /// The profile file the module came from, as given.
    pub source: String,
    /// Profile description, if any.
    pub description: Option<String>,
    /// `production`, `staging` or `development`.
    pub environment: &'static str,
    /// AWS region.
    pub region: String,
    /// The customer tier the capacity was derived for.
    pub customers: u64,
    /// Tags, in profile order.
    pub tags: Vec<(String, String)>,
    /// Tables, in profile order.
    pub tables: Vec<TablePlan>,
    /// Module input variables.
    pub variables: Vec<Variable>,
    /// Local values: the profile's maps with their variables merged over them.
    pub locals: Vec<Local>,
    /// Module outputs.
    pub outputs: Vec<Output>,
    /// Dashboards and alarms.
    pub monitoring: monitoring::MonitoringPlan,
    /// The customer-managed KMS key the module creates to encrypt the tables, if it does.
    pub kms_key: Option<KmsKeyPlan>,
    /// Which key encrypts the tables at rest, in words (the module README says it).
    pub encryption: &'static str,
    /// The expression tables use for `server_side_encryption.kms_key_arn`; `None` with the
    /// AWS owned key (no `server_side_encryption` block).
    pub kms_key_expr: Option<&'static str>,
    /// The capacity and cost plan across tiers (for CAPACITY.md); set by [`resolve`].
    pub capacity: Option<tiers::CapacitySection>,
    /// Every region a table has a replica in, first use first: the module's provider aliases.
    pub replica_regions: Vec<RegionPlan>,
    /// The customer-managed KMS keys the module creates in replica regions (with `kms_key`).
    pub replica_kms_keys: Vec<RegionPlan>,
    /// The `hashicorp/aws` version constraint in `versions.tf`.
    pub provider_version: &'static str,
}

/// The provider versions the module accepts: replicas need `aws_dynamodb_table_replica` with
/// `deletion_protection_enabled`, which the version the module is tested with (5.100) has.
pub const PROVIDER_VERSION: &str = ">= 5.30.0, < 7.0.0";
/// [`PROVIDER_VERSION`] for a module with replicas.
pub const PROVIDER_VERSION_REPLICAS: &str = ">= 5.100.0, < 7.0.0";

/// The customer-managed KMS key the module creates (`encryption.kms_key: customer_managed`
/// without a `kms_key_arn`): every choice made here, the template only lays it out.
#[derive(Clone, Debug, Serialize)]
pub struct KmsKeyPlan {
    /// Yearly automatic rotation (checkov CKV_AWS_7; AWS's recommendation).
    pub rotation: bool,
    /// Days a scheduled deletion waits (7–30): the longest, so a mistaken destroy can be undone.
    pub deletion_window_days: u32,
    /// Checkov checks deliberately not met, with the reason.
    pub checkov_skips: Vec<(&'static str, String)>,
}

impl KmsKeyPlan {
    fn for_tables() -> KmsKeyPlan {
        KmsKeyPlan {
            rotation: true,
            deletion_window_days: 30,
            checkov_skips: vec![(
                "CKV2_AWS_64",
                "the default key policy (the account's root principal) applies; narrow it with aws_kms_key_policy if required".into(),
            )],
        }
    }
}

/// One DynamoDB table.
#[derive(Clone, Debug, Serialize)]
pub struct TablePlan {
    /// Profile key, used as the Terraform resource label.
    pub key: String,
    /// Name after the prefix: the table is `${var.name_prefix}-<suffix>`.
    pub suffix: String,
    /// Full name with the profile's prefix.
    pub full_name: String,
    /// `PROVISIONED` or `PAY_PER_REQUEST`.
    pub billing_mode: &'static str,
    /// Partition key attribute.
    pub hash_key: String,
    /// Sort key attribute.
    pub range_key: Option<String>,
    /// Attribute definitions: exactly the key attributes in use, first use first.
    pub attributes: Vec<(String, &'static str)>,
    /// Global secondary indexes, in profile order.
    pub indexes: Vec<IndexPlan>,
    /// Local secondary indexes, in profile order.
    pub local_indexes: Vec<LocalIndexPlan>,
    /// TTL attribute.
    pub ttl: Option<String>,
    /// Point-in-time recovery.
    pub pitr: bool,
    /// Days of point-in-time recovery kept (`recovery_period_in_days`), with it on.
    pub pitr_days: Option<u32>,
    /// The most the table serves on demand, when it is on demand and the profile caps it.
    pub on_demand_max: Option<OnDemandMax>,
    /// Deletion protection.
    pub deletion_protection: bool,
    /// `STANDARD` or `STANDARD_INFREQUENT_ACCESS`.
    pub table_class: &'static str,
    /// Stream view type, if the table streams.
    pub stream_view_type: Option<&'static str>,
    /// Provisioned capacity; `None` for on-demand tables.
    pub capacity: Option<Provisioned>,
    /// Whether the table's capacity is autoscaled (and so ignored by Terraform after creation).
    pub autoscaled: bool,
    /// Whether this render lets Terraform manage the table's indexes for one apply
    /// (`--manage-indexes TABLE`): they are written at their autoscaling maximum.
    pub indexes_managed: bool,
    /// What Terraform must ignore to avoid perpetual diffs, as HCL references.
    pub ignore_changes: Vec<&'static str>,
    /// Average and peak consumption, for the README; `None` without a workload.
    pub demand: Option<DemandView>,
    /// The exact demand behind `demand` and the capacity: computed once here, read again by
    /// costs, lint and the plan report. `None` for a table without a workload.
    #[serde(skip)]
    pub exact_demand: Option<capacity::TableDemand>,
    /// Autoscaling targets and policies: read before write, table before its indexes.
    pub scaling: Vec<ScalingPlan>,
    /// Replicas in other regions (global table), in profile order.
    pub replicas: Vec<ReplicaPlan>,
    /// The read targets and policies of each replica (write capacity is DynamoDB's to keep in
    /// step: see README § Global tables), region by region.
    pub replica_scaling: Vec<ScalingPlan>,
    /// For `billing: auto`, the choice made at this tier and why.
    pub auto: Option<cost::AutoChoice>,
    /// Checkov checks deliberately not met, with the reason: written inside the table as
    /// `#checkov:skip=ID:reason`.
    pub checkov_skips: Vec<(&'static str, String)>,
    /// Module rules deliberately not met, with the reason: written above the table as
    /// `# capform:ignore RULE -- reason` so `validate --terraform` accepts them.
    pub suppressions: Vec<(RuleId, String)>,
    /// The operations whose p99 latency the dashboard shows and the alarms watch
    /// ([`Profile::operations`]), as CloudWatch names them.
    pub operations: Vec<&'static str>,
}

impl TablePlan {
    /// How the table is billed, as the plan reports show it: `provisioned, autoscaled`,
    /// `provisioned, fixed` or `on demand`, with ` (auto)` where `billing: auto` chose.
    pub fn billing_label(&self) -> String {
        crate::present::billing(
            self.capacity.is_some(),
            self.autoscaled,
            self.auto.is_some(),
        )
    }
}

/// A replica of a global table (`aws_dynamodb_table_replica`, version 2019.11.21).
#[derive(Clone, Debug, Serialize)]
pub struct ReplicaPlan {
    /// Resource label: `<table>_<region alias>`.
    pub label: String,
    /// The replica's region.
    pub region: String,
    /// The provider alias it is created with: `aws.eu_west_1`.
    pub provider: String,
    /// `kms_key_arn`: an HCL expression (`null` leaves the region's AWS managed key); `None`
    /// with the AWS owned key.
    pub kms_key_expr: Option<String>,
    /// Point-in-time recovery, as the primary.
    pub pitr: bool,
    /// Deletion protection, as the primary.
    pub deletion_protection: bool,
    /// What it is created after, as resource addresses: the primary's write policies (a
    /// provisioned table must autoscale its writes before it may have replicas) and the
    /// replica before it (DynamoDB adds one replica at a time).
    pub after: Vec<String>,
}

/// A region the module creates replicas in, with its provider alias.
#[derive(Clone, Debug, Serialize)]
pub struct RegionPlan {
    /// `eu-west-1`.
    pub region: String,
    /// `eu_west_1`: the alias is `aws.eu_west_1`.
    pub alias: String,
    /// The provider reference: `aws.eu_west_1`.
    pub provider: String,
}

impl RegionPlan {
    /// The region `region` with its alias.
    pub fn of(region: &str) -> RegionPlan {
        let alias = region.replace('-', "_");
        RegionPlan {
            region: region.to_owned(),
            provider: format!("aws.{alias}"),
            alias,
        }
    }
}

/// A global secondary index.
#[derive(Clone, Debug, Serialize)]
pub struct IndexPlan {
    /// Index name.
    pub name: String,
    /// Partition key.
    pub hash_key: String,
    /// Sort key.
    pub range_key: Option<String>,
    /// `ALL`, `KEYS_ONLY` or `INCLUDE`.
    pub projection_type: &'static str,
    /// Attributes projected with `INCLUDE`.
    pub non_key_attributes: Vec<String>,
    /// Provisioned capacity; `None` under on-demand billing.
    pub capacity: Option<Provisioned>,
    /// Average and peak consumption, for the README; `None` without a workload.
    pub demand: Option<DemandView>,
    /// The most it serves on demand, when the table is on demand and the profile caps it.
    pub on_demand_max: Option<OnDemandMax>,
}

/// `on_demand_throughput` of an on-demand table or index.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct OnDemandMax {
    /// `max_read_request_units`.
    pub read: Option<u64>,
    /// `max_write_request_units`.
    pub write: Option<u64>,
}

impl OnDemandMax {
    /// The cap of an on-demand table or index, if the profile gives one.
    pub fn of(
        on_demand: bool,
        t: Option<&crate::profile::model::OnDemandThroughput>,
    ) -> Option<OnDemandMax> {
        t.filter(|t| on_demand && !t.is_empty())
            .map(|t| OnDemandMax {
                read: t.max_read_request_units,
                write: t.max_write_request_units,
            })
    }
}

/// A local secondary index.
#[derive(Clone, Debug, Serialize)]
pub struct LocalIndexPlan {
    /// Index name.
    pub name: String,
    /// Sort key.
    pub range_key: String,
    /// `ALL`, `KEYS_ONLY` or `INCLUDE`.
    pub projection_type: &'static str,
    /// Attributes projected with `INCLUDE`.
    pub non_key_attributes: Vec<String>,
}

/// Provisioned read and write capacity.
#[derive(Clone, Debug, Serialize)]
pub struct Provisioned {
    /// Read capacity units.
    pub read: Capacity,
    /// Write capacity units.
    pub write: Capacity,
    /// `derived` (from the workload), `override` (its own `capacity:`) or `table` (an index of
    /// a table without a workload: the table's `capacity:`).
    pub source: &'static str,
}

/// One dimension of provisioned capacity.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct Capacity {
    /// Autoscaling minimum (and the capacity the table is created with).
    pub min: u64,
    /// Autoscaling maximum.
    pub max: u64,
    /// The capacity written into the table resource: `min` when autoscaled, `max` when fixed.
    pub initial: u64,
    /// How target tracking moves it ([`Profile::tracking`]): the target the range was derived
    /// for, and the cooldowns (read only when autoscaled).
    pub tracking: crate::profile::model::TrackingSettings,
}

/// Average and peak consumption in units per second, formatted for people.
#[derive(Clone, Debug, Serialize)]
pub struct DemandView {
    /// Average read units per second.
    pub read_avg: String,
    /// Peak read units per second.
    pub read_peak: String,
    /// Average write units per second.
    pub write_avg: String,
    /// Peak write units per second.
    pub write_peak: String,
}

/// One autoscaling target with its target-tracking policy.
#[derive(Clone, Debug, Serialize)]
pub struct ScalingPlan {
    /// Resource label: `<table>_read`, `<table>__<index>_write`.
    pub label: String,
    /// Label of the table resource.
    pub table: String,
    /// Index name, for index targets.
    pub index: Option<String>,
    /// `dynamodb:table:ReadCapacityUnits` and friends.
    pub scalable_dimension: &'static str,
    /// `DynamoDBReadCapacityUtilization` or `DynamoDBWriteCapacityUtilization`.
    pub metric: &'static str,
    /// Minimum units.
    pub min: u64,
    /// Maximum units.
    pub max: u64,
    /// Target utilization, percent.
    pub target: u32,
    /// Scale-in cooldown, seconds.
    pub scale_in_cooldown: u32,
    /// Scale-out cooldown, seconds.
    pub scale_out_cooldown: u32,
    /// The provider alias of a replica region's target (`aws.eu_west_1`); `None` in the
    /// primary region.
    pub provider: Option<String>,
    /// What a replica region's target is registered after: the replica it scales.
    pub after: Option<String>,
    /// Scheduled changes of this target's range, in profile order. A target with any has its
    /// `min_capacity` and `max_capacity` ignored after creation: the actions move them, and
    /// Terraform would otherwise set them back on every apply.
    pub schedules: Vec<ScheduledAction>,
}

/// One Application Auto Scaling scheduled action on a scalable target.
#[derive(Clone, Debug, Serialize)]
pub struct ScheduledAction {
    /// Resource label: `<target label>-<name>` (no target label holds a `-`).
    pub label: String,
    /// The action's name (unique on its target).
    pub name: String,
    /// `cron(…)`, `at(…)` or `rate(…)`.
    pub schedule: String,
    /// IANA time zone the schedule is read in.
    pub timezone: String,
    /// The new minimum, if it sets one.
    pub min: Option<u64>,
    /// The new maximum, if it sets one.
    pub max: Option<u64>,
    /// What it is created after, as a resource address: the target's policy for the first
    /// action, the previous action for the others. Application Auto Scaling refuses concurrent
    /// changes to one scalable target, so one apply creates them one at a time.
    pub after: String,
}

impl ScalingPlan {
    /// `read` or `write`.
    pub fn dimension_label(&self) -> &'static str {
        match self.metric {
            "DynamoDBReadCapacityUtilization" => "read",
            _ => "write",
        }
    }

    /// The policy's name as AWS receives it, for a table named `table_name`: the template
    /// writes `<metric>:<the target's resource_id>`, and the target's resource_id is
    /// `table/<name>[/index/<index>]`.
    pub fn policy_name(&self, table_name: &str) -> String {
        match &self.index {
            Some(ix) => format!("{}:table/{table_name}/index/{ix}", self.metric),
            None => format!("{}:table/{table_name}", self.metric),
        }
    }
}

/// A module input variable.
#[derive(Clone, Debug, Serialize)]
pub struct Variable {
    /// Name.
    pub name: String,
    /// Terraform type expression.
    pub type_expr: &'static str,
    /// Description.
    pub description: String,
    /// Default value.
    pub default: HclValue,
    /// An optional validation: condition expression and error message.
    pub validation: Option<(String, String)>,
}

/// A local value of the module: the profile's defaults of a map variable (`profile_<name>`),
/// with the variable merged over them (`<name>`), so a consumer passes only what differs.
#[derive(Clone, Debug, Serialize)]
pub struct Local {
    /// The variable, and the merged local's name.
    pub name: String,
    /// The comment above the pair.
    pub comment: String,
    /// The profile's map (`local.profile_<name>`).
    pub defaults: HclValue,
    /// Whether an entry the variable sets to null is dropped (tags: how a consumer removes one).
    pub drop_nulls: bool,
}

/// A module output.
#[derive(Clone, Debug, Serialize)]
pub struct Output {
    /// Name.
    pub name: String,
    /// Description.
    pub description: String,
    /// Entries of the output map: (key, value expression written by capform: a reference,
    /// a `for` over one, or a list of references; never user text), in groups of at most
    /// [`OUTPUT_GROUP`]. One group is written as an object; several as `merge({…}, {…})`, since
    /// HCL parsers slow down sharply on object literals of thousands of entries.
    pub groups: Vec<Vec<(String, String)>>,
}

/// Entries per object literal in an output.
pub const OUTPUT_GROUP: usize = 250;

impl Output {
    fn new(name: &str, description: &str, entries: Vec<(String, String, String)>) -> Output {
        Output::of_exprs(
            name,
            description,
            entries
                .into_iter()
                .map(|(k, resource, attr)| (k, format!("{resource}.{attr}")))
                .collect(),
        )
    }

    fn of_exprs(name: &str, description: &str, entries: Vec<(String, String)>) -> Output {
        Output {
            name: name.into(),
            description: description.into(),
            groups: entries.chunks(OUTPUT_GROUP).map(<[_]>::to_vec).collect(),
        }
    }
}

fn demand_view(rw: &ReadWrite) -> DemandView {
    DemandView {
        read_avg: capacity::display(&rw.read.average),
        read_peak: capacity::display(&rw.read.peak),
        write_avg: capacity::display(&rw.write.average),
        write_peak: capacity::display(&rw.write.peak),
    }
}

/// The provisioned range of a table or index: its explicit `capacity:`, else the range its
/// demand derives, else (an index of a table without a workload) the table's explicit range.
fn provisioned(
    rw: Option<&ReadWrite>,
    over: Option<&crate::profile::model::CapacityOverride>,
    table_over: Option<&crate::profile::model::CapacityOverride>,
    tracking: [crate::profile::model::TrackingSettings; 2],
    autoscaled: bool,
) -> Provisioned {
    let explicit = |o: &crate::profile::model::CapacityOverride| {
        (
            Range {
                min: o.read.min,
                max: o.read.max,
            },
            Range {
                min: o.write.min,
                max: o.write.max,
            },
        )
    };
    let ((read, write), source) = match (over, rw, table_over) {
        (Some(o), _, _) => (explicit(o), "override"),
        (None, Some(rw), _) => (
            (
                capacity::scaling_range(&rw.read, tracking[0].target),
                capacity::scaling_range(&rw.write, tracking[1].target),
            ),
            "derived",
        ),
        (None, None, Some(o)) => (explicit(o), "table"),
        // refused by the structural checks (CF307); the smallest range keeps the plan total
        (None, None, None) => (
            (Range { min: 1, max: 1 }, Range { min: 1, max: 1 }),
            "override",
        ),
    };
    let cap = |r: Range, tracking| Capacity {
        min: r.min,
        max: r.max,
        initial: if autoscaled { r.min } else { r.max },
        tracking,
    };
    Provisioned {
        read: cap(read, tracking[0]),
        write: cap(write, tracking[1]),
        source,
    }
}

/// Choices made on the command line rather than in the profile.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// Tables (profile keys) whose `global_secondary_index` blocks Terraform manages for one
    /// apply: left out of their `ignore_changes`, so the apply creates, changes and removes
    /// their indexes. Every index of such a table is written at its autoscaling *maximum*: the
    /// apply then only ever raises live index capacity (lowering it to the minimum, which
    /// autoscaling may be far above, would throttle production), and autoscaling scales it back
    /// in after about 15 minutes of low use. No other table changes.
    pub manage_indexes: Vec<String>,
    /// Prices for `billing: auto`; the embedded us-east-1 list when `None`.
    pub pricing: Option<std::sync::Arc<crate::capacity::pricing::Pricing>>,
}

impl Options {
    /// Options that price with `pricing` and manage no indexes (what `plan`, `simulate`,
    /// `tune` and the tier report use).
    pub fn priced(pricing: &crate::capacity::pricing::Pricing) -> Options {
        Options {
            manage_indexes: Vec::new(),
            pricing: Some(std::sync::Arc::new(pricing.clone())),
        }
    }
}

/// Resolve a profile at a customer tier into a module plan, with the capacity plan across the
/// standard tiers (for CAPACITY.md).
pub fn resolve(profile: &Profile, source: &str, customers: u64, options: Options) -> ModulePlan {
    let t0 = std::time::Instant::now();
    let mut main = resolve_tier(profile, source, customers, &options);
    crate::timing::log("plan", "module tier", t0);
    let t0 = std::time::Instant::now();
    main.capacity = Some(tiers::section(profile, source, &main, &options));
    crate::timing::log("plan", "capacity tiers", t0);
    main
}

/// Resolve a profile at one tier, without the cross-tier capacity section.
pub fn resolve_tier(
    profile: &Profile,
    source: &str,
    customers: u64,
    options: &Options,
) -> ModulePlan {
    resolve_tier_with(profile, source, customers, options, Monitoring::Full)
}

/// [`resolve_tier`] without dashboards and alarms, for checks that read only the tables.
pub fn resolve_tables(
    profile: &Profile,
    source: &str,
    customers: u64,
    options: &Options,
) -> ModulePlan {
    resolve_tier_with(profile, source, customers, options, Monitoring::Skipped)
}

/// How much monitoring a tier plan builds.
#[derive(Clone, Copy)]
pub(crate) enum Monitoring<'a> {
    /// The module's dashboards and alarms.
    Full,
    /// Only counted, for costs (the other tiers of CAPACITY.md), with dashboards counted as in
    /// this module tier.
    Counted(&'a ModulePlan),
    /// None at all.
    Skipped,
}

/// [`resolve_tier`] with as much monitoring as `monitoring` asks for.
pub(crate) fn resolve_tier_with(
    profile: &Profile,
    source: &str,
    customers: u64,
    options: &Options,
    monitoring: Monitoring<'_>,
) -> ModulePlan {
    let build_monitoring = monitoring;
    let tables: Vec<TablePlan> = profile
        .tables
        .iter()
        .map(|(key, t)| table::table_plan(profile, key, t, customers, options))
        .collect();

    let tags: Vec<(String, String)> = profile
        .tags
        .iter()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let create_kms_key = profile.encryption.module_creates_key();
    let monitoring = match build_monitoring {
        Monitoring::Full => monitoring::resolve(profile, &tables, customers),
        Monitoring::Counted(like) => monitoring::counts(profile, &tables, like),
        Monitoring::Skipped => monitoring::MonitoringPlan::default(),
    };
    let mut replica_regions: Vec<RegionPlan> = Vec::new();
    for t in &tables {
        for r in &t.replicas {
            if !replica_regions.iter().any(|x| x.region == r.region) {
                replica_regions.push(RegionPlan::of(&r.region));
            }
        }
    }
    let (variables, locals) = interface::variables(
        profile,
        &tags,
        &monitoring,
        create_kms_key,
        &replica_regions,
    );
    let outputs = interface::outputs(&tables, &monitoring, create_kms_key);

    ModulePlan {
        name: profile.name.clone(),
        source: source.to_owned(),
        description: profile.description.clone(),
        environment: profile.environment.as_str(),
        region: profile.region.clone(),
        customers,
        tags,
        tables,
        variables,
        locals,
        outputs,
        monitoring,
        kms_key: create_kms_key.then(KmsKeyPlan::for_tables),
        encryption: match profile.encryption.kms_key {
            KmsKey::AwsOwned => {
                "the AWS owned key (DynamoDB's default: no KMS charges, not visible in the account)"
            }
            KmsKey::AwsManaged => {
                "the AWS managed key `aws/dynamodb`, or the key at `var.kms_key_arn` when it is set"
            }
            KmsKey::CustomerManaged if create_kms_key => {
                "a customer-managed key the module creates (`aws_kms_key.tables`, rotated yearly)"
            }
            KmsKey::CustomerManaged => "the customer-managed key at `var.kms_key_arn`",
        },
        kms_key_expr: if create_kms_key {
            Some("aws_kms_key.tables.arn")
        } else if profile.encryption.uses_account_key() {
            Some("var.kms_key_arn")
        } else {
            None
        },
        capacity: None,
        replica_kms_keys: if create_kms_key {
            replica_regions.clone()
        } else {
            Vec::new()
        },
        provider_version: if replica_regions.is_empty() {
            PROVIDER_VERSION
        } else {
            PROVIDER_VERSION_REPLICAS
        },
        replica_regions,
    }
}
