//! The module's interface: its input variables (each typed, described and defaulted from the
//! profile, so `module "x" { source = "./x" }` plans as it is) and its outputs, named and
//! described the terraform-aws-modules way.

use super::monitoring::MonitoringPlan;
use super::value::HclValue;
use super::{Local, Output, TablePlan, Variable};
use crate::profile::model::{ApiKind, Profile};

/// A map variable merged over the profile's map: it defaults to `{}`, and a key it names must
/// be one of the profile's (`keyed`: a typo fails at plan instead of being ignored).
fn merged(
    name: &str,
    type_expr: &'static str,
    description: String,
    defaults: HclValue,
    keyed: Option<Vec<&String>>,
    comment: &str,
    drop_nulls: bool,
) -> (Variable, Local) {
    let validation = keyed.map(|keys| {
        let list: Vec<String> = keys.iter().map(|k| format!("\"{k}\"")).collect();
        let names: Vec<&str> = keys.iter().map(|k| k.as_str()).collect();
        (
            format!(
                "alltrue([for k in keys(var.{name}) : contains([{}], k)])",
                list.join(", ")
            ),
            format!(
                "{name} is keyed by the profile's keys: {}.",
                names.join(", ")
            ),
        )
    });
    (
        Variable {
            name: name.into(),
            type_expr,
            description,
            default: HclValue::obj(Vec::<(String, HclValue)>::new()),
            validation,
        },
        Local {
            name: name.into(),
            comment: comment.into(),
            defaults,
            drop_nulls,
        },
    )
}

/// The input variables, in the order `variables.tf` lists them, and the locals that merge
/// the map variables over the profile's values.
pub(super) fn variables(
    profile: &Profile,
    tags: &[(String, String)],
    monitoring: &MonitoringPlan,
    create_kms_key: bool,
    replica_regions: &[super::RegionPlan],
) -> (Vec<Variable>, Vec<Local>) {
    let mut locals = Vec::new();
    let (tags_var, tags_local) = merged(
        "tags",
        "map(string)",
        "Tags merged over the profile's tags on every resource the module creates; a tag set to null is removed.".into(),
        HclValue::obj(tags.iter().map(|(k, v)| (k.clone(), HclValue::string(v.clone())))),
        None,
        "The profile's tags, with var.tags merged over them (a tag set to null there is removed).",
        true,
    );
    locals.push(tags_local);
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
        tags_var,
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
    // a topic list for each that an alarm of the primary region notifies, in a fixed order
    for (name, description) in [
        (
            "alarm_sns_topic_arns",
            "SNS topic ARNs notified when an alarm fires and when it recovers (alarm_actions and ok_actions).",
        ),
        (
            "critical_alarm_sns_topic_arns",
            "SNS topic ARNs (paging) notified when a critical alarm fires and recovers: throttles, system errors, function errors, API 5XX, replication falling behind.",
        ),
        (
            "warning_alarm_sns_topic_arns",
            "SNS topic ARNs (tickets) notified when a warning alarm fires and recovers: capacity near its maximum, latency, function duration.",
        ),
    ] {
        let expr = format!("var.{name}");
        if monitoring
            .alarms
            .iter()
            .any(|a| a.actions.as_deref() == Some(expr.as_str()))
        {
            variables.push(Variable {
                name: name.into(),
                type_expr: "list(string)",
                description: description.into(),
                default: HclValue::List(vec![]),
                validation: None,
            });
        }
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
        let (v, l) = merged(
            "lambda_function_names",
            "map(string)",
            "Names of the monitored Lambda functions, by profile key, merged over the profile's; a function left out keeps the profile's name.".into(),
            HclValue::obj(profile.lambdas.iter().map(|(k, l)| (k.clone(), HclValue::string(l.function_name.clone())))),
            Some(profile.lambdas.keys().collect()),
            "The profile's Lambda function names, with var.lambda_function_names merged over them.",
            false,
        );
        variables.push(v);
        locals.push(l);
    }
    // REST APIs are named, HTTP APIs are identified: one map variable for each kind in use.
    for (kind, name, id_field, description) in [
        (
            ApiKind::Rest,
            "rest_apis",
            "name",
            "Monitored API Gateway REST APIs (metrics by ApiName and Stage), by profile key, merged over the profile's; an API left out keeps the profile's.",
        ),
        (
            ApiKind::Http,
            "http_apis",
            "api_id",
            "Monitored API Gateway HTTP APIs (metrics by ApiId and Stage), by profile key, merged over the profile's; an API left out keeps the profile's.",
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
        let (v, l) = merged(
            name,
            if kind == ApiKind::Rest {
                "map(object({ name = string, stage = string }))"
            } else {
                "map(object({ api_id = string, stage = string }))"
            },
            description.into(),
            HclValue::obj(apis.iter().map(|(k, a)| {
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
            Some(apis.iter().map(|(k, _)| *k).collect()),
            &format!("The profile's APIs, with var.{name} merged over them."),
            false,
        );
        variables.push(v);
        locals.push(l);
    }
    (variables, locals)
}

/// The outputs, in the order `outputs.tf` lists them.
pub(super) fn outputs(
    tables: &[TablePlan],
    monitoring: &MonitoringPlan,
    create_kms_key: bool,
) -> Vec<Output> {
    let any_stream = tables.iter().any(|t| t.stream_view_type.is_some());
    // output entries keyed by profile table key, of the tables `keep` picks
    let of_tables = |keep: fn(&TablePlan) -> bool, attr: &str| -> Vec<(String, String, String)> {
        tables
            .iter()
            .filter(|t| keep(t))
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
            of_tables(|_| true, "name"),
        ),
        Output::new(
            "table_arns",
            "Table ARNs, by profile key.",
            of_tables(|_| true, "arn"),
        ),
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
    let indexed: Vec<(String, String)> = tables
        .iter()
        .filter(|t| !t.indexes.is_empty())
        .map(|t| {
            (
                t.key.clone(),
                format!(
                    "[for i in aws_dynamodb_table.{}.global_secondary_index : i.name]",
                    t.key
                ),
            )
        })
        .collect();
    if !indexed.is_empty() {
        outputs.push(Output::of_exprs(
            "table_global_secondary_index_names",
            "Names of each table's global secondary indexes, by profile key (tables with indexes).",
            indexed,
        ));
    }
    let scaling: Vec<(String, String, String)> = by_label(
        &mut tables
            .iter()
            .flat_map(|t| t.scaling.iter().chain(&t.replica_scaling))
            .map(|s| s.label.as_str()),
        "aws_appautoscaling_target",
        "id",
    );
    if !scaling.is_empty() {
        outputs.push(Output::new(
            "autoscaling_target_ids",
            "IDs of the Application Auto Scaling targets, by resource label (`<table>_read`, `<table>__<index>_write`; a replica's ends in `_<region>`).",
            scaling,
        ));
    }
    if !monitoring.dashboards.is_empty() {
        outputs.push(Output::new(
            "dashboard_arns",
            "ARNs of the CloudWatch dashboards.",
            by_label(
                &mut monitoring.dashboards.iter().map(|d| d.label.as_str()),
                "aws_cloudwatch_dashboard",
                "dashboard_arn",
            ),
        ));
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
    // a table's alarms: its own, its indexes' and its replicas' (subjects `t`, `t.ix`, `t@region`)
    let by_table: Vec<(String, String)> = tables
        .iter()
        .filter_map(|t| {
            let arns: Vec<String> = monitoring
                .alarms
                .iter()
                .filter(|a| a.kind.starts_with("dynamodb-"))
                .filter(|a| {
                    a.subject == t.key
                        || a.subject
                            .strip_prefix(t.key.as_str())
                            .is_some_and(|rest| rest.starts_with('.') || rest.starts_with('@'))
                })
                .map(|a| format!("aws_cloudwatch_metric_alarm.{}.arn", a.label))
                .collect();
            // one reference a line, as reviewers read lists
            (!arns.is_empty()).then(|| (t.key.clone(), format!("[\n{},\n]", arns.join(",\n"))))
        })
        .collect();
    if !by_table.is_empty() {
        outputs.push(Output::of_exprs(
            "table_alarm_arns",
            "ARNs of each table's alarms (its indexes' and replicas' included), by profile key.",
            by_table,
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
        let streaming = |attr| of_tables(|t| t.stream_view_type.is_some(), attr);
        outputs.push(Output::new(
            "table_stream_labels",
            "Stream labels (timestamps) of the tables that stream, by profile key.",
            streaming("stream_label"),
        ));
        outputs.push(Output::new(
            "table_stream_arns",
            "Stream ARNs of the tables that stream, by profile key.",
            streaming("stream_arn"),
        ));
    }

    outputs
}
