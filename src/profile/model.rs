//! The typed profile: what a capacity profile may say. The JSON Schema shipped in
//! `profiles/profile.schema.json` and printed by `capform schema` is generated from these types,
//! so the schema and the code cannot drift apart. Doc comments here are the schema's descriptions.

use indexmap::IndexMap;
use schemars::JsonSchema;
use serde::Deserialize;

use crate::capacity::Num;
pub use crate::capacity::units::{Projection, ReadConsistency, WriteMode};

/// What a profile's `name` (the module's `name_prefix`) may be: the schema checks it, and the
/// module's `name_prefix` variable validates it with the same expression.
pub const NAME_PATTERN: &str = r"^[a-z0-9][a-z0-9-]{0,31}$";

/// A capacity profile: the DynamoDB tables, Lambda functions and APIs a SaaS runs, how much work
/// each customer causes, and how many customers there are.
#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "capform capacity profile")]
pub struct Profile {
    /// Module and resource name prefix: lower-case letters, digits and hyphens, 1–32 characters,
    /// starting with a letter or digit.
    #[schemars(regex(pattern = NAME_PATTERN))]
    pub name: String,
    /// A sentence on what the service is; repeated in the module README and dashboard header.
    #[serde(default)]
    #[schemars(length(max = 1024))]
    pub description: Option<String>,
    /// The environment: decides defaults such as point-in-time recovery and deletion protection.
    pub environment: Environment,
    /// AWS region the tables live in (e.g. `us-east-1`).
    #[schemars(regex(pattern = r"^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-[0-9]+$"))]
    pub region: String,
    /// Regions every table is replicated to (DynamoDB global tables, version 2019.11.21), in
    /// order; a table's `replicas:` overrides it. Each needs a provider alias named after it
    /// (`aws.eu_west_1` for `eu-west-1`), passed in by the root module.
    #[serde(default)]
    #[schemars(
        length(max = 20),
        inner(regex(pattern = r"^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-[0-9]+$"))
    )]
    pub replica_regions: Vec<String>,
    /// The customer tier the module is sized for; `--customers N` overrides it.
    #[schemars(range(min = 1, max = 100_000_000))]
    pub customers: u64,
    /// Defaults for every table.
    #[serde(default)]
    pub defaults: Defaults,
    /// Tags put on every resource the module creates (keys up to 128 characters, values up to 256).
    #[serde(default)]
    #[schemars(extend("propertyNames" = { "minLength": 1, "maxLength": 128 }, "additionalProperties" = { "type": "string", "maxLength": 256 }))]
    pub tags: IndexMap<String, String>,
    /// The DynamoDB tables (1–2,500), in the order the module lists them. Keys are Terraform
    /// identifiers: lower-case words joined by single underscores.
    #[schemars(extend("propertyNames" = { "pattern": "^[a-z][a-z0-9]*(_[a-z0-9]+)*$", "maxLength": 64 }, "minProperties" = 1, "maxProperties" = 2500))]
    pub tables: IndexMap<String, Table>,
    /// Lambda functions to monitor (not created: referenced by name). Keys are identifiers.
    #[serde(default)]
    #[schemars(extend("propertyNames" = { "pattern": "^[a-z][a-z0-9]*(_[a-z0-9]+)*$", "maxLength": 64 }))]
    pub lambdas: IndexMap<String, Lambda>,
    /// API Gateway APIs to monitor (not created: referenced by name or id). Keys are identifiers.
    #[serde(default)]
    #[schemars(extend("propertyNames" = { "pattern": "^[a-z][a-z0-9]*(_[a-z0-9]+)*$", "maxLength": 64 }))]
    pub apis: IndexMap<String, Api>,
    /// Custom metrics the application publishes, shown on the dashboard.
    #[serde(default)]
    pub business_metrics: Vec<BusinessMetric>,
    /// Dashboard and alarms. On by default, with the default thresholds.
    #[serde(default)]
    pub monitoring: Monitoring,
    /// The capacity plan's scaling thresholds, in customers.
    #[serde(default)]
    pub scaling: Scaling,
    /// Encryption at rest of every table.
    #[serde(default)]
    pub encryption: Encryption,
    /// Validator findings deliberately accepted for the whole profile: rule ID → the reason.
    #[serde(default)]
    #[schemars(extend("propertyNames" = { "pattern": "^CF[0-9]{3}$" }, "additionalProperties" = { "type": "string", "minLength": 3 }))]
    pub waivers: IndexMap<String, String>,
    /// How `capform simulate` models DynamoDB and Application Auto Scaling.
    #[serde(default)]
    pub simulation: Simulation,
    /// Load scenarios (at most 20) `capform simulate` replays against the module, with what each
    /// must show.
    /// Keys are identifiers; a scenario named `day` replaces the built-in day.
    #[serde(default)]
    #[schemars(extend("propertyNames" = { "pattern": "^[a-z][a-z0-9]*(_[a-z0-9]+)*$", "maxLength": 64 }, "maxProperties" = 20))]
    pub scenarios: IndexMap<String, Scenario>,
}

/// The simulation's model parameters (README § Simulate lists each rule and its source).
#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Simulation {
    /// Seconds from the alarm that triggers a scaling action to the new capacity being in
    /// effect (AWS: the table is `UPDATING` for "several minutes"; default 120).
    #[serde(default = "default_scaling_delay")]
    #[schemars(range(min = 0, max = 3600))]
    pub scaling_delay_seconds: u32,
    /// The UTC instant simulations start at, `yyyy-mm-ddThh:mm:ssZ` (default
    /// `2026-11-30T00:00:00Z`, a Monday): what scheduled ranges are read against. The built-in
    /// day is the start's day; pricing a table with a schedule replays the week from it.
    #[serde(default = "default_start")]
    #[schemars(regex(pattern = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$"))]
    pub start: String,
}

impl Default for Simulation {
    fn default() -> Self {
        Simulation {
            scaling_delay_seconds: default_scaling_delay(),
            start: default_start(),
        }
    }
}

fn default_start() -> String {
    "2026-11-30T00:00:00Z".into()
}

impl Simulation {
    /// The start as an instant (`None` if it is not a valid one, which the profile checks
    /// report).
    pub fn start_instant(&self) -> Option<chrono::DateTime<chrono::Utc>> {
        instant(&self.start)
    }
}

impl Scenario {
    /// The scenario's own start as an instant (`None` if it has none or it is not valid).
    pub fn start_instant(&self) -> Option<chrono::DateTime<chrono::Utc>> {
        self.start.as_deref().and_then(instant)
    }
}

/// `yyyy-mm-ddThh:mm:ssZ` as an instant.
fn instant(text: &str) -> Option<chrono::DateTime<chrono::Utc>> {
    chrono::NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%SZ")
        .ok()
        .map(|n| n.and_utc())
}

fn default_scaling_delay() -> u32 {
    120
}

/// A load scenario: traffic per table over time, and what must hold.
#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// What the scenario stands for (e.g. the load test it reproduces).
    #[serde(default)]
    #[schemars(length(max = 1024))]
    pub description: Option<String>,
    /// How long it runs, in minutes (at most a week).
    #[schemars(range(min = 1, max = 10_080))]
    pub duration_minutes: u32,
    /// The UTC instant it starts, `yyyy-mm-ddThh:mm:ssZ` (default `simulation.start`): what
    /// scheduled ranges are read against.
    #[serde(default)]
    #[schemars(regex(pattern = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$"))]
    pub start: Option<String>,
    /// The customer tier it runs at (the module's ranges are resolved there); default: the
    /// profile's `customers`, or `--customers`.
    #[serde(default)]
    #[schemars(range(min = 1, max = 100_000_000))]
    pub customers: Option<u64>,
    /// Requests per second per table, as step functions of minutes. A table not named runs at
    /// its workload's average.
    #[serde(default)]
    #[schemars(extend("propertyNames" = { "pattern": "^[a-z][a-z0-9]*(_[a-z0-9]+)*$", "maxLength": 64 }))]
    pub traffic: IndexMap<String, Traffic>,
    /// What must hold for the scenario to pass.
    #[serde(default)]
    pub expect: Expect,
}

/// One table's traffic in a scenario; a dimension left out runs at the workload's average.
#[derive(Clone, Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Traffic {
    /// Table reads per second (index reads follow by each index's `read_share`).
    #[serde(default)]
    #[schemars(length(min = 1, max = 1000))]
    pub reads_per_second: Option<Vec<Step>>,
    /// Table writes per second (every write also writes each global secondary index).
    #[serde(default)]
    #[schemars(length(min = 1, max = 1000))]
    pub writes_per_second: Option<Vec<Step>>,
}

/// From minute `at` on, this rate (until the next step).
#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Step {
    /// The minute the rate starts, counted from the scenario's start (0 = the start).
    #[schemars(range(min = 0, max = 10_080))]
    pub at: u32,
    /// Requests per second for the whole table.
    #[serde(default)]
    #[schemars(range(min = 0, max = 100_000_000))]
    pub rate: Option<Num>,
    /// Requests per second per customer (× the scenario's customers).
    #[serde(default)]
    #[schemars(range(min = 0, max = 1_000_000))]
    pub per_customer: Option<Num>,
}

/// What a scenario must show. Every bound applies to each table and index, reads and writes.
#[derive(Clone, Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Expect {
    /// At most this many throttled requests.
    #[serde(default)]
    #[schemars(range(min = 0))]
    pub throttled_requests: Option<u64>,
}

/// Which KMS key encrypts the tables.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum KmsKey {
    /// The AWS managed key `aws/dynamodb` (unless the `kms_key_arn` variable names another).
    #[default]
    AwsManaged,
    /// A customer-managed key: the one at `kms_key_arn`, or one the module creates (rotation
    /// on, 30-day deletion window) when no ARN is given.
    CustomerManaged,
    /// The AWS owned key (no `server_side_encryption` block: DynamoDB's default, free, and
    /// invisible in the account's KMS and CloudTrail).
    AwsOwned,
}

/// Encryption at rest.
#[derive(Clone, Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Encryption {
    /// `aws_managed` (default), `customer_managed` or `aws_owned`.
    #[serde(default)]
    pub kms_key: KmsKey,
    /// ARN of an existing customer-managed key (with `customer_managed`).
    #[serde(default)]
    #[schemars(regex(
        pattern = r"^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:(key|alias)/[A-Za-z0-9/_-]+$"
    ))]
    pub kms_key_arn: Option<String>,
    /// With `kms_key_arn`: the key of each replica region (KMS keys are regional), region →
    /// ARN in that region.
    #[serde(default)]
    #[schemars(extend("additionalProperties" = { "type": "string", "pattern": "^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:(key|alias)/[A-Za-z0-9/_-]+$" }))]
    pub replica_kms_key_arns: IndexMap<String, String>,
}

impl Encryption {
    /// Whether the module creates the tables' key (a customer-managed key without an ARN).
    pub fn module_creates_key(&self) -> bool {
        self.kms_key == KmsKey::CustomerManaged && self.kms_key_arn.is_none()
    }

    /// Whether the tables are encrypted with a KMS key of the account (every choice but the
    /// AWS owned key), which KMS bills requests for.
    pub fn uses_account_key(&self) -> bool {
        self.kms_key != KmsKey::AwsOwned
    }
}

/// Customer counts at which the capacity plan changes its advice.
#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Scaling {
    /// Up to this many customers the module needs no changes (default 1,000).
    #[serde(default = "d_no_changes")]
    #[schemars(range(min = 1))]
    pub no_changes_up_to: u64,
    /// Above this many customers provisioned tables must autoscale (default 5,000).
    #[serde(default = "d_autoscaling")]
    #[schemars(range(min = 1))]
    pub autoscaling_required_above: u64,
    /// From this many customers a second region is recommended (default 10,000).
    #[serde(default = "d_multi_region")]
    #[schemars(range(min = 1))]
    pub multi_region_at: u64,
}

fn d_no_changes() -> u64 {
    1_000
}
fn d_autoscaling() -> u64 {
    5_000
}
fn d_multi_region() -> u64 {
    10_000
}

impl Default for Scaling {
    fn default() -> Self {
        Scaling {
            no_changes_up_to: d_no_changes(),
            autoscaling_required_above: d_autoscaling(),
            multi_region_at: d_multi_region(),
        }
    }
}

/// A Lambda function, monitored by name.
#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Lambda {
    /// The function's name in AWS (the module variable `lambda_function_names` can repoint it).
    #[schemars(regex(pattern = r"^[A-Za-z0-9_-]{1,64}$"))]
    pub function_name: String,
    /// Configured memory in MB (128–10,240; default 128), for GB-second cost.
    #[serde(default)]
    #[schemars(range(min = 128, max = 10240))]
    pub memory_mb: Option<u32>,
    /// Invocations per customer per second, averaged over a day (default 0), for cost.
    #[serde(default = "Num::zero")]
    #[schemars(range(min = 0))]
    pub invocations_per_customer_per_second: Num,
    /// Average billed duration in ms (default 100), for cost.
    #[serde(default = "d_duration_ms")]
    #[schemars(range(min = 1))]
    pub avg_duration_ms: Num,
    /// `x86_64` (default) or `arm64`: the GB-second price.
    #[serde(default)]
    pub architecture: Architecture,
    /// Alarm thresholds for this function, overriding `monitoring.thresholds`.
    #[serde(default)]
    pub alarms: LambdaThresholds,
}

fn d_duration_ms() -> Num {
    Num::from_u64(100)
}

/// Lambda instruction set architecture.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Architecture {
    /// x86_64.
    #[default]
    X86_64,
    /// arm64 (Graviton): cheaper GB-seconds.
    Arm64,
}

/// Per-function alarm thresholds.
#[derive(Clone, Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LambdaThresholds {
    /// Average duration, ms.
    #[serde(default)]
    #[schemars(range(min = 1))]
    pub duration_avg_ms: Option<u64>,
    /// Errors in 5 minutes.
    #[serde(default)]
    #[schemars(range(min = 0))]
    pub errors_per_5_minutes: Option<u64>,
}

/// What kind of API Gateway API.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ApiKind {
    /// REST API (v1): metrics by ApiName and Stage.
    Rest,
    /// HTTP API (v2): metrics by ApiId and Stage.
    Http,
}

/// An API Gateway API, monitored by name (REST) or id (HTTP).
#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Api {
    /// `rest` or `http`.
    pub kind: ApiKind,
    /// The API's name (REST APIs).
    #[serde(default)]
    #[schemars(length(min = 1, max = 1024))]
    pub name: Option<String>,
    /// The API's id (HTTP APIs).
    #[serde(default)]
    #[schemars(regex(pattern = r"^[a-z0-9]{1,32}$"))]
    pub api_id: Option<String>,
    /// The stage.
    #[schemars(regex(pattern = r"^[A-Za-z0-9_$-]{1,128}$"))]
    pub stage: String,
    /// Whether the stage has a cache (REST APIs): adds the cache hit-rate widget.
    #[serde(default)]
    pub cache: bool,
    /// Cache size in GB (default 0.5), for cost: the smallest size offered that holds it.
    #[serde(default)]
    #[schemars(extend("exclusiveMinimum" = 0))]
    pub cache_size_gb: Option<Num>,
    /// Requests per customer per second, averaged over a day (default 0), for cost.
    #[serde(default = "Num::zero")]
    #[schemars(range(min = 0))]
    pub requests_per_customer_per_second: Num,
    /// Alarm thresholds for this API, overriding `monitoring.thresholds`.
    #[serde(default)]
    pub alarms: ApiThresholds,
}

/// Per-API alarm thresholds.
#[derive(Clone, Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ApiThresholds {
    /// p95 latency, ms.
    #[serde(default)]
    #[schemars(range(min = 1))]
    pub latency_p95_ms: Option<u64>,
    /// 5XX responses as a percentage of requests.
    #[serde(default)]
    #[schemars(range(min = 0, max = 100))]
    pub error_rate_5xx_percent: Option<Num>,
}

/// A custom metric the application publishes.
#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BusinessMetric {
    /// CloudWatch namespace (not `AWS/…`).
    #[schemars(regex(pattern = r"^[^:]{1,255}$"))]
    pub namespace: String,
    /// Metric name.
    #[schemars(length(min = 1, max = 255))]
    pub metric: String,
    /// Statistic: `Sum`, `Average`, `Minimum`, `Maximum`, `SampleCount` or a percentile `pNN`.
    #[serde(default = "default_stat")]
    #[schemars(regex(
        pattern = r"^(Sum|Average|Minimum|Maximum|SampleCount|p(\d{1,2})(\.\d{1,2})?|p100)$"
    ))]
    pub stat: String,
    /// Label on the dashboard; defaults to the metric name.
    #[serde(default)]
    #[schemars(length(max = 255))]
    pub label: Option<String>,
}

fn default_stat() -> String {
    "Sum".into()
}

/// Where alarm notifications go.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum AlarmActions {
    /// The module takes a list of SNS topic ARNs (`alarm_sns_topic_arns`).
    #[default]
    Sns,
    /// The module takes a list per severity: `critical_alarm_sns_topic_arns` (throttles,
    /// errors, replication falling behind: paging) and `warning_alarm_sns_topic_arns`
    /// (capacity near its maximum, latency: a ticket).
    BySeverity,
    /// No actions: alarms only change state.
    None,
}

/// Dashboard and alarm settings.
#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Monitoring {
    /// Generate the CloudWatch dashboard (default true).
    #[serde(default = "yes")]
    pub dashboard: bool,
    /// Generate the summary dashboard beside it (default true): one row per table with its
    /// capacity utilization, throttles, system errors and p99 latency.
    #[serde(default = "yes")]
    pub summary_dashboard: bool,
    /// Generate the alarms (default true).
    #[serde(default = "yes")]
    pub alarms: bool,
    /// `sns` (default) or `none`.
    #[serde(default)]
    pub alarm_actions: AlarmActions,
    /// Default thresholds.
    #[serde(default)]
    pub thresholds: Thresholds,
}

impl Default for Monitoring {
    fn default() -> Self {
        Monitoring {
            dashboard: true,
            summary_dashboard: true,
            alarms: true,
            alarm_actions: AlarmActions::default(),
            thresholds: Thresholds::default(),
        }
    }
}

/// Default alarm thresholds; each can be overridden per table, function or API.
#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Thresholds {
    /// Read or write throttle events per minute on a table or index (default 5).
    #[serde(default = "d_throttles")]
    #[schemars(range(min = 0))]
    pub dynamodb_throttles_per_minute: u64,
    /// Consumed capacity as a percentage of the autoscaling maximum, for 15 minutes (default 90).
    #[serde(default = "d_ceiling")]
    #[schemars(range(min = 1, max = 100))]
    pub autoscaling_ceiling_percent: u64,
    /// Average Lambda duration in ms (default 1000).
    #[serde(default = "d_duration")]
    #[schemars(range(min = 1))]
    pub lambda_duration_avg_ms: u64,
    /// Lambda errors in 5 minutes (default 10).
    #[serde(default = "d_errors")]
    #[schemars(range(min = 0))]
    pub lambda_errors_per_5_minutes: u64,
    /// API p95 latency in ms (default 500).
    #[serde(default = "d_latency")]
    #[schemars(range(min = 1))]
    pub api_latency_p95_ms: u64,
    /// Average replication latency of a global table to one receiving region, in ms, sustained
    /// for 15 minutes (default 60,000: replication normally takes about a second, so a minute
    /// for a quarter of an hour means a region is falling behind).
    #[serde(default = "d_replication")]
    #[schemars(range(min = 1))]
    pub replication_latency_ms: u64,
    /// p99 of DynamoDB's `SuccessfulRequestLatency` per operation of a table, in ms, for 15
    /// minutes (default 100: single-digit milliseconds are normal for item operations, a few tens
    /// for queries).
    #[serde(default = "d_dynamodb_latency")]
    #[schemars(range(min = 1))]
    pub dynamodb_latency_p99_ms: u64,
    /// API 5XX responses as a percentage of requests (default 1: the success-rate target is 99 %).
    #[serde(default = "d_rate")]
    #[schemars(range(min = 0, max = 100))]
    pub api_5xx_error_rate_percent: Num,
}

fn d_throttles() -> u64 {
    5
}
fn d_ceiling() -> u64 {
    90
}
fn d_duration() -> u64 {
    1000
}
fn d_errors() -> u64 {
    10
}
fn d_latency() -> u64 {
    500
}
fn d_replication() -> u64 {
    60_000
}
fn d_dynamodb_latency() -> u64 {
    100
}
fn d_rate() -> Num {
    Num::one()
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            dynamodb_throttles_per_minute: d_throttles(),
            autoscaling_ceiling_percent: d_ceiling(),
            lambda_duration_avg_ms: d_duration(),
            lambda_errors_per_5_minutes: d_errors(),
            api_latency_p95_ms: d_latency(),
            replication_latency_ms: d_replication(),
            dynamodb_latency_p99_ms: d_dynamodb_latency(),
            api_5xx_error_rate_percent: d_rate(),
        }
    }
}

/// The environment a profile describes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Environment {
    /// Production: point-in-time recovery and deletion protection on by default.
    Production,
    /// Staging.
    Staging,
    /// Development.
    Development,
}

impl Environment {
    /// The name as written in profiles.
    pub fn as_str(self) -> &'static str {
        match self {
            Environment::Production => "production",
            Environment::Staging => "staging",
            Environment::Development => "development",
        }
    }
}

/// Defaults applied to every table unless the table says otherwise.
#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Defaults {
    /// Target utilization of autoscaled capacity, in percent (Application Auto Scaling accepts 20–90).
    #[serde(default = "default_target")]
    #[schemars(range(min = 1, max = 100))]
    pub target_utilization: u32,
    /// Seconds after a scale-in before another scale-in.
    #[serde(default = "default_cooldown")]
    #[schemars(range(min = 0, max = 86_400))]
    pub scale_in_cooldown: u32,
    /// Seconds after a scale-out before another scale-out.
    #[serde(default = "default_cooldown")]
    #[schemars(range(min = 0, max = 86_400))]
    pub scale_out_cooldown: u32,
    /// Deletion protection for every table; defaults to true in production only.
    #[serde(default)]
    pub deletion_protection: Option<bool>,
    /// Point-in-time recovery for every table; defaults to true in production only.
    #[serde(default)]
    pub point_in_time_recovery: Option<bool>,
    /// Days of point-in-time recovery every table keeps (1–35); defaults to AWS's 35.
    #[serde(default)]
    #[schemars(range(min = 1, max = 35))]
    pub point_in_time_recovery_days: Option<u32>,
}

fn default_target() -> u32 {
    70
}
fn default_cooldown() -> u32 {
    60
}

impl Default for Defaults {
    fn default() -> Self {
        Defaults {
            target_utilization: default_target(),
            scale_in_cooldown: default_cooldown(),
            scale_out_cooldown: default_cooldown(),
            deletion_protection: None,
            point_in_time_recovery: None,
            point_in_time_recovery_days: None,
        }
    }
}

/// The days of point-in-time recovery AWS keeps unless told otherwise (and the most it keeps).
pub const AWS_PITR_DAYS: u32 = 35;

/// A key attribute: its name and DynamoDB scalar type.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct KeyAttr {
    /// Attribute name (1–255 characters).
    #[schemars(length(min = 1, max = 255))]
    pub name: String,
    /// `S` (string), `N` (number) or `B` (binary).
    #[serde(rename = "type")]
    pub kind: AttrType,
}

/// A DynamoDB key attribute type.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, JsonSchema)]
pub enum AttrType {
    /// String.
    S,
    /// Number.
    N,
    /// Binary.
    B,
}

impl AttrType {
    /// The letter DynamoDB uses.
    pub fn as_str(self) -> &'static str {
        match self {
            AttrType::S => "S",
            AttrType::N => "N",
            AttrType::B => "B",
        }
    }
}

/// How a table pays for throughput.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Billing {
    /// Provisioned capacity, autoscaled by target tracking (PROVISIONED).
    Provisioned,
    /// Pay per request (PAY_PER_REQUEST).
    OnDemand,
    /// Whichever of provisioned-with-autoscaling and on-demand is cheaper for the workload at
    /// the tier rendered or planned (see `capform plan`).
    Auto,
}

/// DynamoDB table class.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum TableClass {
    /// STANDARD.
    #[default]
    Standard,
    /// STANDARD_INFREQUENT_ACCESS: cheaper storage, dearer throughput.
    StandardInfrequentAccess,
}

/// What a DynamoDB stream carries.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum StreamView {
    /// KEYS_ONLY.
    KeysOnly,
    /// NEW_IMAGE.
    NewImage,
    /// OLD_IMAGE.
    OldImage,
    /// NEW_AND_OLD_IMAGES.
    NewAndOldImages,
}

/// One DynamoDB table.
#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Table {
    /// Table name after the prefix (`<prefix>-<table_name>`); defaults to the key with `_` → `-`.
    #[serde(default)]
    #[schemars(regex(pattern = r"^[A-Za-z0-9_.-]+$"), length(min = 1, max = 200))]
    pub table_name: Option<String>,
    /// The partition key.
    pub hash_key: KeyAttr,
    /// The sort key, if any.
    #[serde(default)]
    pub range_key: Option<KeyAttr>,
    /// `provisioned` (autoscaled), `on_demand`, or `auto` (the cheaper of the two at the tier).
    pub billing: Billing,
    /// Autoscaling of a provisioned table (default true). Without it the table is provisioned at
    /// the derived maximum.
    #[serde(default = "yes")]
    pub autoscaling: bool,
    /// Target utilization for this table (20–90), overriding `defaults.target_utilization`.
    #[serde(default)]
    #[schemars(range(min = 1, max = 100))]
    pub target_utilization: Option<u32>,
    /// Name of a Number attribute holding an expiry time in epoch seconds; enables TTL.
    #[serde(default)]
    #[schemars(length(min = 1, max = 255))]
    pub ttl: Option<String>,
    /// Point-in-time recovery; defaults to `defaults.point_in_time_recovery`, else true in production only.
    #[serde(default)]
    pub point_in_time_recovery: Option<bool>,
    /// Days of point-in-time recovery kept (1–35, the window a restore can reach back to);
    /// defaults to `defaults.point_in_time_recovery_days`, else AWS's 35. Only with
    /// point-in-time recovery on (CF218).
    #[serde(default)]
    #[schemars(range(min = 1, max = 35))]
    pub point_in_time_recovery_days: Option<u32>,
    /// Deletion protection; defaults to `defaults.deletion_protection`, else true in production only.
    #[serde(default)]
    pub deletion_protection: Option<bool>,
    /// Table class (default `standard`).
    #[serde(default)]
    pub table_class: TableClass,
    /// A DynamoDB stream and what it carries. A replicated table streams `new_and_old_images`
    /// (global tables need it), set here or not.
    #[serde(default)]
    pub stream: Option<StreamView>,
    /// The regions this table is replicated to, overriding `replica_regions` (`[]`: none).
    #[serde(default)]
    #[schemars(
        length(max = 20),
        inner(regex(pattern = r"^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-[0-9]+$"))
    )]
    pub replicas: Option<Vec<String>>,
    /// Traffic per customer, averaged over a day. Optional for `on_demand` tables and tables
    /// with an explicit `capacity:` (an adopted table, say); without it their cost is not
    /// estimated.
    #[serde(default)]
    pub workload: Option<Workload>,
    /// Explicit autoscaling range; wins over the range derived from the workload.
    #[serde(default)]
    pub capacity: Option<CapacityOverride>,
    /// The most the table serves on demand (`billing: on_demand`, or `auto` where it resolves
    /// to on demand): a cost guard, throttling above it.
    #[serde(default)]
    pub on_demand_throughput: Option<OnDemandThroughput>,
    /// Target tracking of reads and of writes apart, each setting overriding
    /// `target_utilization` and `defaults` (and inherited by the table's indexes).
    #[serde(default)]
    pub target_tracking: TargetTracking,
    /// The DynamoDB operations the application calls on the table: each gets a p99 latency
    /// line on the dashboard and an alarm. Default: `GetItem` and `PutItem`, and `Query` when
    /// the table has a sort key or an index (without reads or writes in the workload, their
    /// operations are left out); `[]` for none.
    #[serde(default)]
    #[schemars(length(max = 14))]
    pub operations: Option<Vec<Operation>>,
    /// Scheduled changes of the table's autoscaling range (at most 50), in order: each
    /// becomes an Application Auto Scaling scheduled action per dimension it names.
    #[serde(default)]
    #[schemars(length(max = 50))]
    pub schedule: Vec<ScheduledRange>,
    /// Global secondary indexes, in order. Keys: lower-case words joined by single underscores.
    #[serde(default)]
    #[schemars(extend("propertyNames" = { "pattern": "^[a-z][a-z0-9]*(_[a-z0-9]+)*$", "maxLength": 64 }))]
    pub indexes: IndexMap<String, GlobalIndex>,
    /// Local secondary indexes (same partition key, another sort key), in order.
    #[serde(default)]
    #[schemars(extend("propertyNames" = { "pattern": "^[a-z][a-z0-9]*(_[a-z0-9]+)*$", "maxLength": 64 }))]
    pub local_indexes: IndexMap<String, LocalIndex>,
    /// Alarm thresholds for this table and its indexes, overriding `monitoring.thresholds`.
    #[serde(default)]
    pub alarms: TableThresholds,
    /// Validator findings deliberately accepted for this table: rule ID → the reason.
    #[serde(default)]
    #[schemars(extend("propertyNames" = { "pattern": "^CF[0-9]{3}$" }, "additionalProperties" = { "type": "string", "minLength": 3 }))]
    pub waivers: IndexMap<String, String>,
}

/// Per-table alarm thresholds.
#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TableThresholds {
    /// Throttle events per minute.
    #[serde(default)]
    #[schemars(range(min = 0))]
    pub throttles_per_minute: Option<u64>,
    /// p99 latency of each operation, ms (`monitoring.thresholds.dynamodb_latency_p99_ms`).
    #[serde(default)]
    #[schemars(range(min = 1))]
    pub latency_p99_ms: Option<u64>,
    /// Set false to generate no alarms for this table (the validator warns).
    #[serde(default = "yes")]
    pub enabled: bool,
}

impl Default for TableThresholds {
    fn default() -> Self {
        TableThresholds {
            throttles_per_minute: None,
            latency_p99_ms: None,
            enabled: true,
        }
    }
}

fn yes() -> bool {
    true
}

/// Traffic one customer causes, averaged over a day.
#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Workload {
    /// Reads per second per customer (table reads; index reads are added by `read_share`).
    #[schemars(range(min = 0))]
    pub reads_per_second: Num,
    /// Writes per second per customer.
    #[schemars(range(min = 0))]
    pub writes_per_second: Num,
    /// Average item size in KB (DynamoDB's limit is 400 KB).
    #[schemars(extend("exclusiveMinimum" = 0))]
    pub item_size_kb: Num,
    /// `eventual` (0.5 RCU per 4 KB), `strong` (1) or `transactional` (2).
    #[serde(default)]
    pub read_consistency: ReadConsistency,
    /// `standard` (1 WCU per KB) or `transactional` (2).
    #[serde(default)]
    pub write_mode: WriteMode,
    /// Busiest hour divided by the daily average (at least 1; default 1).
    #[serde(default = "Num::one")]
    #[schemars(range(min = 1))]
    pub peak_factor: Num,
    /// Items stored per customer, for storage and backup cost (default 0).
    #[serde(default = "Num::zero")]
    #[schemars(range(min = 0))]
    pub items_per_customer: Num,
    /// Whether one customer's traffic lands on one partition key (e.g. hash key `tenant_id`):
    /// enables the hot-partition check (3,000 RCU / 1,000 WCU per key).
    #[serde(default)]
    pub keyed_by_customer: bool,
}

/// An explicit autoscaling range.
#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CapacityOverride {
    /// Read capacity units.
    pub read: UnitRange,
    /// Write capacity units.
    pub write: UnitRange,
}

/// A min–max range of capacity units.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct UnitRange {
    /// Lowest provisioned units (at least 1).
    #[schemars(range(min = 1, max = 1_000_000))]
    pub min: u64,
    /// Highest provisioned units.
    #[schemars(range(min = 1, max = 1_000_000))]
    pub max: u64,
}

/// A global secondary index.
#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GlobalIndex {
    /// The index partition key.
    pub hash_key: KeyAttr,
    /// The index sort key, if any.
    #[serde(default)]
    pub range_key: Option<KeyAttr>,
    /// `all`, `keys_only` or `include`.
    #[serde(default)]
    pub projection: Projection,
    /// Attributes copied with `include` (and only then).
    #[serde(default)]
    pub non_key_attributes: Vec<String>,
    /// Reads against the index as a fraction of the table's read rate, on top of the table's own
    /// reads (0–1). Index reads are eventually consistent.
    #[serde(default = "Num::zero")]
    #[schemars(range(min = 0, max = 1))]
    pub read_share: Num,
    /// Size in KB of the projected item; defaults to the table's item size (`all`, `include`)
    /// or 1 KB (`keys_only`).
    #[serde(default)]
    #[schemars(extend("exclusiveMinimum" = 0))]
    pub item_size_kb: Option<Num>,
    /// Explicit autoscaling range for the index.
    #[serde(default)]
    pub capacity: Option<CapacityOverride>,
    /// Scheduled changes of the index's autoscaling range (at most 50), as on a table.
    #[serde(default)]
    #[schemars(length(max = 50))]
    pub schedule: Vec<ScheduledRange>,
    /// The most the index serves on demand, as on a table (only on an on-demand table).
    #[serde(default)]
    pub on_demand_throughput: Option<OnDemandThroughput>,
    /// The index's own target tracking of reads and writes, each setting overriding the
    /// table's.
    #[serde(default)]
    pub target_tracking: TargetTracking,
}

/// A DynamoDB operation, as CloudWatch's `Operation` dimension names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, JsonSchema)]
#[allow(missing_docs)]
pub enum Operation {
    GetItem,
    PutItem,
    UpdateItem,
    DeleteItem,
    Query,
    Scan,
    BatchGetItem,
    BatchWriteItem,
    TransactGetItems,
    TransactWriteItems,
    ExecuteStatement,
    BatchExecuteStatement,
    ExecuteTransaction,
    GetRecords,
}

impl Operation {
    /// The name CloudWatch and the DynamoDB API use.
    pub fn as_str(self) -> &'static str {
        match self {
            Operation::GetItem => "GetItem",
            Operation::PutItem => "PutItem",
            Operation::UpdateItem => "UpdateItem",
            Operation::DeleteItem => "DeleteItem",
            Operation::Query => "Query",
            Operation::Scan => "Scan",
            Operation::BatchGetItem => "BatchGetItem",
            Operation::BatchWriteItem => "BatchWriteItem",
            Operation::TransactGetItems => "TransactGetItems",
            Operation::TransactWriteItems => "TransactWriteItems",
            Operation::ExecuteStatement => "ExecuteStatement",
            Operation::BatchExecuteStatement => "BatchExecuteStatement",
            Operation::ExecuteTransaction => "ExecuteTransaction",
            Operation::GetRecords => "GetRecords",
        }
    }
}

/// Target tracking of reads and of writes, each on its own.
#[derive(Clone, Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TargetTracking {
    /// Reads.
    #[serde(default)]
    pub read: Tracking,
    /// Writes.
    #[serde(default)]
    pub write: Tracking,
}

/// Target tracking of one dimension; a setting left out is inherited.
#[derive(Clone, Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Tracking {
    /// Target utilization, percent (Application Auto Scaling accepts 20–90).
    #[serde(default)]
    #[schemars(range(min = 1, max = 100))]
    pub target_utilization: Option<u32>,
    /// Seconds after a scale-in before another scale-in.
    #[serde(default)]
    #[schemars(range(min = 0, max = 86_400))]
    pub scale_in_cooldown: Option<u32>,
    /// Seconds after a scale-out before another scale-out.
    #[serde(default)]
    #[schemars(range(min = 0, max = 86_400))]
    pub scale_out_cooldown: Option<u32>,
}

/// The target tracking of one dimension, resolved ([`Profile::tracking`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub struct TrackingSettings {
    /// Target utilization, percent.
    pub target: u32,
    /// Seconds after a scale-in before another.
    pub scale_in_cooldown: u32,
    /// Seconds after a scale-out before another.
    pub scale_out_cooldown: u32,
}

/// The most an on-demand table or index serves, a cost guard: requests beyond it are
/// throttled, and `plan` bounds the worst month with it. At least one of the two.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OnDemandThroughput {
    /// Most read request units per second (`max_read_request_units`).
    #[serde(default)]
    #[schemars(range(min = 1, max = 40_000_000))]
    pub max_read_request_units: Option<u64>,
    /// Most write request units per second (`max_write_request_units`).
    #[serde(default)]
    #[schemars(range(min = 1, max = 40_000_000))]
    pub max_write_request_units: Option<u64>,
}

impl OnDemandThroughput {
    /// Whether it caps anything.
    pub fn is_empty(&self) -> bool {
        self.max_read_request_units.is_none() && self.max_write_request_units.is_none()
    }
}

/// A scheduled change of an autoscaling range: at the times `cron`, `at` or `rate` gives, the
/// range of each dimension named becomes the one given (an Application Auto Scaling scheduled
/// action). Capacity below a new minimum is raised to it, capacity above a new maximum
/// lowered to it; target tracking goes on inside the new range until the next change.
#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ScheduledRange {
    /// The action's name, unique on its table or index: letters, digits, `_` and `-`.
    #[schemars(regex(pattern = r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$"))]
    pub name: String,
    /// Application Auto Scaling's six-field cron expression (minutes, hours, day of month,
    /// month, day of week, year), without `cron(…)`: `0 8 ? * MON-FRI *`.
    #[serde(default)]
    #[schemars(length(min = 1, max = 256))]
    pub cron: Option<String>,
    /// A single time, `yyyy-mm-ddThh:mm:ss` in `timezone`, without `at(…)`.
    #[serde(default)]
    #[schemars(length(min = 1, max = 64))]
    pub at: Option<String>,
    /// A fixed interval, `N minutes|hours|days` (`1 hour` for one), without `rate(…)`.
    #[serde(default)]
    #[schemars(length(min = 1, max = 64))]
    pub rate: Option<String>,
    /// The IANA time zone `cron` and `at` are read in (default `UTC`): `Europe/Berlin`.
    #[serde(default)]
    #[schemars(length(min = 1, max = 64))]
    pub timezone: Option<String>,
    /// The read range from then on.
    #[serde(default)]
    pub read: Option<ScheduledBounds>,
    /// The write range from then on.
    #[serde(default)]
    pub write: Option<ScheduledBounds>,
}

/// A new minimum, maximum or both; a bound left out stays as it was.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ScheduledBounds {
    /// The new minimum units.
    #[serde(default)]
    #[schemars(range(min = 1, max = 1_000_000))]
    pub min: Option<u64>,
    /// The new maximum units.
    #[serde(default)]
    #[schemars(range(min = 1, max = 1_000_000))]
    pub max: Option<u64>,
}

impl ScheduledRange {
    /// The schedule as Application Auto Scaling takes it: `cron(…)`, `at(…)` or `rate(…)`
    /// (`None` unless exactly one is given, which the profile checks require).
    pub fn expression(&self) -> Option<String> {
        match (&self.cron, &self.at, &self.rate) {
            (Some(c), None, None) => Some(format!("cron({c})")),
            (None, Some(a), None) => Some(format!("at({a})")),
            (None, None, Some(r)) => Some(format!("rate({r})")),
            _ => None,
        }
    }

    /// The time zone's name: `timezone`, or `UTC`.
    pub fn zone_name(&self) -> &str {
        self.timezone.as_deref().unwrap_or("UTC")
    }
}

/// A local secondary index: the table's partition key with another sort key.
#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LocalIndex {
    /// The alternative sort key.
    pub range_key: KeyAttr,
    /// `all`, `keys_only` or `include`.
    #[serde(default)]
    pub projection: Projection,
    /// Attributes copied with `include` (and only then).
    #[serde(default)]
    pub non_key_attributes: Vec<String>,
}

impl Table {
    /// The name after the prefix: `table_name`, or the key with `_` → `-`.
    pub fn suffix(&self, key: &str) -> String {
        self.table_name
            .clone()
            .unwrap_or_else(|| key.replace('_', "-"))
    }
}

impl Profile {
    /// The reason a finding of `rule` is accepted: the table's waiver, else the profile's
    /// (`table: None` asks for the profile's only). The one place waivers are looked up.
    pub fn waiver<'a>(
        &'a self,
        table: Option<&'a Table>,
        rule: crate::rules::RuleId,
    ) -> Option<&'a String> {
        table
            .and_then(|t| t.waivers.get(rule.as_str()))
            .or_else(|| self.waivers.get(rule.as_str()))
    }

    /// The full DynamoDB name of a table: `<name>-<suffix>`.
    pub fn table_name(&self, key: &str, table: &Table) -> String {
        format!("{}-{}", self.name, table.suffix(key))
    }

    /// Whether point-in-time recovery is on for a table (table, then defaults, then environment).
    pub fn pitr(&self, table: &Table) -> bool {
        table
            .point_in_time_recovery
            .or(self.defaults.point_in_time_recovery)
            .unwrap_or(self.environment == Environment::Production)
    }

    /// Days of point-in-time recovery a table keeps (table, then defaults, then AWS's 35), or
    /// `None` without point-in-time recovery.
    pub fn pitr_days(&self, table: &Table) -> Option<u32> {
        self.pitr(table).then(|| {
            table
                .point_in_time_recovery_days
                .or(self.defaults.point_in_time_recovery_days)
                .unwrap_or(AWS_PITR_DAYS)
        })
    }

    /// Whether deletion protection is on for a table (table, then defaults, then environment).
    pub fn deletion_protection(&self, table: &Table) -> bool {
        table
            .deletion_protection
            .or(self.defaults.deletion_protection)
            .unwrap_or(self.environment == Environment::Production)
    }

    /// The regions table `t` is replicated to: its `replicas:`, else `replica_regions`.
    pub fn replicas<'a>(&'a self, table: &'a Table) -> &'a [String] {
        table.replicas.as_deref().unwrap_or(&self.replica_regions)
    }

    /// The target utilization of a table, in percent.
    pub fn target(&self, table: &Table) -> u32 {
        table
            .target_utilization
            .unwrap_or(self.defaults.target_utilization)
    }

    /// The operations whose latency the module watches on a table: the profile's list, else
    /// `GetItem` (reads), `Query` (reads, with a sort key or an index) and `PutItem` (writes);
    /// a workload without reads or without writes leaves those out. In order, each once.
    pub fn operations(&self, table: &Table) -> Vec<Operation> {
        if let Some(ops) = &table.operations {
            let mut out: Vec<Operation> = Vec::new();
            for op in ops {
                if !out.contains(op) {
                    out.push(*op);
                }
            }
            return out;
        }
        let (reads, writes) = table.workload.as_ref().map_or((true, true), |w| {
            (
                w.reads_per_second.exact() > &crate::capacity::whole(0),
                w.writes_per_second.exact() > &crate::capacity::whole(0),
            )
        });
        let queried = table.range_key.is_some()
            || !table.indexes.is_empty()
            || !table.local_indexes.is_empty();
        let mut out = Vec::new();
        if reads {
            out.push(Operation::GetItem);
            if queried {
                out.push(Operation::Query);
            }
        }
        if writes {
            out.push(Operation::PutItem);
        }
        out
    }

    /// The target tracking of reads (`read`) or writes of a table, or of its index `index`:
    /// each setting from the index's `target_tracking`, else the table's, else the table's
    /// `target_utilization` (the target only), else `defaults`. The one place these resolve:
    /// ranges, policies, the simulator, lint and the README all read it through the plan.
    pub fn tracking(&self, table: &Table, index: Option<&str>, read: bool) -> TrackingSettings {
        let pick = |t: &TargetTracking| {
            if read {
                t.read.clone()
            } else {
                t.write.clone()
            }
        };
        let own = index
            .and_then(|i| table.indexes.get(i))
            .map(|g| pick(&g.target_tracking))
            .unwrap_or_default();
        let table_own = pick(&table.target_tracking);
        TrackingSettings {
            target: own
                .target_utilization
                .or(table_own.target_utilization)
                .unwrap_or(self.target(table)),
            scale_in_cooldown: own
                .scale_in_cooldown
                .or(table_own.scale_in_cooldown)
                .unwrap_or(self.defaults.scale_in_cooldown),
            scale_out_cooldown: own
                .scale_out_cooldown
                .or(table_own.scale_out_cooldown)
                .unwrap_or(self.defaults.scale_out_cooldown),
        }
    }
}
