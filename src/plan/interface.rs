//! The module's interface: its input variables (each typed, described and defaulted from the
//! profile, so `module "x" { source = "./x" }` plans as it is) and its outputs, named and
//! described the terraform-aws-modules way.

use super::monitoring::MonitoringPlan;
use super::value::HclValue;
use super::{Output, TablePlan, Variable};
use crate::profile::model::{ApiKind, Profile};

/// The input variables, in the order `variables.tf` lists them.
pub(super) fn variables(
    profile: &Profile,
    tags: &[(String, String)],
    monitoring: &MonitoringPlan,
    create_kms_key: bool,
    replica_regions: &[super::RegionPlan],
) -> Vec<Variable> {
    let mut variables = vec![
        Variable {
            name: "name_prefix".into(),
            type_expr: "string",
            description: "Prefix of every resource name; tables are named `<name_prefix>-<table>`.".into(),
            default: HclValue::string(profile.name.clone()),
            validation: Some((
                // The pattern holds no `"`, backslash, `${` or `%{`: quoted as it is, it is an HCL
                // string with the same value.
                format!(
                    "can(regex(\"{}\", var.name_prefix))",
                    crate::profile::model::NAME_PATTERN
                ),
                "name_prefix must be 1-32 lower-case letters, digits and hyphens, starting with a letter or digit.".into(),
            )),
        },
        Variable {
            name: "tags".into(),
            type_expr: "map(string)",
            description: "Tags applied to every resource the module creates.".into(),
            default: HclValue::obj(tags.iter().map(|(k, v)| (k.clone(), HclValue::string(v.clone())))),
            validation: None,
        },
    ];
    let account_key = profile.encryption.uses_account_key();
    if !create_kms_key && account_key {
        variables.push(Variable {
            name: "kms_key_arn".into(),
            type_expr: "string",
            description: "ARN of a customer-managed KMS key for table encryption at rest; null uses the AWS managed key (aws/dynamodb).".into(),
            default: profile.encryption.kms_key_arn.clone().map(HclValue::string).unwrap_or_else(|| HclValue::expr("null")),
            validation: None,
        });
    }
    if !create_kms_key && account_key && !replica_regions.is_empty() {
        let arns = &profile.encryption.replica_kms_key_arns;
        variables.push(Variable {
            name: "replica_kms_key_arns".into(),
            type_expr: "map(string)",
            description: "Customer-managed KMS key of each replica region (region => ARN in that region; KMS keys are regional); a region left out uses its AWS managed key (aws/dynamodb).".into(),
            default: HclValue::obj(arns.iter().map(|(k, v)| (k.clone(), HclValue::string(v.clone())))),
            validation: None,
        });
    }
    if monitoring.sns && monitoring.alarms.iter().any(|a| a.provider.is_none()) {
        variables.push(Variable {
            name: "alarm_sns_topic_arns".into(),
            type_expr: "list(string)",
            description: "SNS topic ARNs notified when an alarm fires and when it recovers (alarm_actions and ok_actions).".into(),
            default: HclValue::List(vec![]),
            validation: None,
        });
    }
    if monitoring.sns && monitoring.alarms.iter().any(|a| a.provider.is_some()) {
        variables.push(Variable {
            name: "replica_alarm_sns_topic_arns".into(),
            type_expr: "map(list(string))",
            description: "SNS topic ARNs for the alarms created in each replica region (region => ARNs in that region: an alarm notifies topics of its own region only).".into(),
            default: HclValue::obj(Vec::<(String, HclValue)>::new()),
            validation: None,
        });
    }
    if !profile.lambdas.is_empty() {
        variables.push(Variable {
            name: "lambda_function_names".into(),
            type_expr: "map(string)",
            description: "Names of the monitored Lambda functions, by profile key; point them at the real functions.".into(),
            default: HclValue::obj(profile.lambdas.iter().map(|(k, l)| (k.clone(), HclValue::string(l.function_name.clone())))),
            validation: None,
        });
    }
    // REST APIs are named, HTTP APIs are identified: one map variable for each kind in use.
    for (kind, name, id_field, description) in [
        (
            ApiKind::Rest,
            "rest_apis",
            "name",
            "Monitored API Gateway REST APIs (metrics by ApiName and Stage), by profile key.",
        ),
        (
            ApiKind::Http,
            "http_apis",
            "api_id",
            "Monitored API Gateway HTTP APIs (metrics by ApiId and Stage), by profile key.",
        ),
    ] {
        let apis: Vec<_> = profile
            .apis
            .iter()
            .filter(|(_, a)| a.kind == kind)
            .collect();
        if apis.is_empty() {
            continue;
        }
        variables.push(Variable {
            name: name.into(),
            type_expr: if kind == ApiKind::Rest {
                "map(object({ name = string, stage = string }))"
            } else {
                "map(object({ api_id = string, stage = string }))"
            },
            description: description.into(),
            default: HclValue::obj(apis.iter().map(|(k, a)| {
                let id = if kind == ApiKind::Rest {
                    &a.name
                } else {
                    &a.api_id
                };
                (
                    (*k).clone(),
                    HclValue::obj([
                        (id_field, HclValue::string(id.clone().unwrap_or_default())),
                        ("stage", HclValue::string(a.stage.clone())),
                    ]),
                )
            })),
            validation: None,
        });
    }
    variables
}

/// The outputs, in the order `outputs.tf` lists them.
pub(super) fn outputs(
    tables: &[TablePlan],
    monitoring: &MonitoringPlan,
    create_kms_key: bool,
) -> Vec<Output> {
    let any_stream = tables.iter().any(|t| t.stream_view_type.is_some());
    let entries = |attr: &str| -> Vec<(String, String, String)> {
        tables
            .iter()
            .map(|t| {
                (
                    t.key.clone(),
                    format!("aws_dynamodb_table.{}", t.key),
                    attr.to_owned(),
                )
            })
            .collect()
    };
    let mut outputs = vec![
        Output::new(
            "table_names",
            "Table names, by profile key.",
            entries("name"),
        ),
        Output::new("table_arns", "Table ARNs, by profile key.", entries("arn")),
    ];
    if create_kms_key {
        outputs.push(Output::new(
            "kms_key_arns",
            "ARN of the customer-managed KMS key that encrypts the tables.",
            vec![("tables".into(), "aws_kms_key.tables".into(), "arn".into())],
        ));
    }
    // output entries keyed by resource label: (label, resource.label, attribute)
    let by_label = |labels: &mut dyn Iterator<Item = &str>, resource: &str, attribute: &str| {
        labels
            .map(|l| {
                (
                    l.to_owned(),
                    format!("{resource}.{l}"),
                    attribute.to_owned(),
                )
            })
            .collect()
    };
    if !monitoring.dashboards.is_empty() {
        outputs.push(Output::new(
            "dashboard_names",
            "Names of the CloudWatch dashboards.",
            by_label(
                &mut monitoring.dashboards.iter().map(|d| d.label.as_str()),
                "aws_cloudwatch_dashboard",
                "dashboard_name",
            ),
        ));
    }
    if !monitoring.alarms.is_empty() {
        outputs.push(Output::new(
            "alarm_arns",
            "ARNs of the CloudWatch alarms, by resource label.",
            by_label(
                &mut monitoring.alarms.iter().map(|a| a.label.as_str()),
                "aws_cloudwatch_metric_alarm",
                "arn",
            ),
        ));
    }
    let replicas: Vec<(String, String, String)> = tables
        .iter()
        .flat_map(|t| {
            t.replicas.iter().map(move |r| {
                (
                    format!("{}:{}", t.key, r.region),
                    format!("aws_dynamodb_table_replica.{}", r.label),
                    "arn".to_owned(),
                )
            })
        })
        .collect();
    if !replicas.is_empty() {
        outputs.push(Output::new(
            "replica_arns",
            "ARNs of the replicas, by `<profile key>:<region>`.",
            replicas,
        ));
    }
    if any_stream {
        outputs.push(Output::new(
            "table_stream_arns",
            "Stream ARNs of the tables that stream, by profile key.",
            tables
                .iter()
                .filter(|t| t.stream_view_type.is_some())
                .map(|t| {
                    (
                        t.key.clone(),
                        format!("aws_dynamodb_table.{}", t.key),
                        "stream_arn".to_owned(),
                    )
                })
                .collect(),
        ));
    }

    outputs
}
