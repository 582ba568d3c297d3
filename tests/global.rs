//! Global tables: what the module renders for replicas (ordering, per-region autoscaling,
//! keys, monitoring) and what `plan` charges for them.

mod common;

use common::*;

fn global() -> capform::render::Files {
    render_files(&root().join("profiles/global-saas.yaml"), None)
}

/// The body of `resource "TYPE" "LABEL" {` up to its closing brace at column 0.
fn block<'a>(hcl: &'a str, kind: &str, label: &str) -> &'a str {
    let head = format!("resource \"{kind}\" \"{label}\" {{");
    let start = hcl
        .find(&head)
        .unwrap_or_else(|| panic!("no {kind}.{label}"));
    let end = hcl[start..].find("\n}\n").unwrap() + start;
    &hcl[start..end]
}

fn labels<'a>(hcl: &'a str, kind: &str) -> Vec<&'a str> {
    let head = format!("resource \"{kind}\" \"");
    hcl.lines()
        .filter_map(|l| l.strip_prefix(head.as_str()))
        .map(|l| l.trim_end_matches("\" {"))
        .collect()
}

#[test]
fn replicas_follow_the_primary_write_policies_one_region_at_a_time() {
    let files = global();
    let hcl = &files["dynamodb-autoscaling.tf"];
    assert!(
        files["versions.tf"]
            .contains("configuration_aliases = [aws.eu_west_1, aws.ap_southeast_2]")
    );
    assert_eq!(
        labels(hcl, "aws_dynamodb_table_replica"),
        [
            "workspaces_eu_west_1",
            "workspaces_ap_southeast_2",
            "activity_eu_west_1",
            "activity_ap_southeast_2"
        ]
    );
    let first = block(hcl, "aws_dynamodb_table_replica", "workspaces_eu_west_1");
    assert!(
        first.contains("provider                    = aws.eu_west_1"),
        "{first}"
    );
    assert!(first.contains("global_table_arn            = aws_dynamodb_table.workspaces.arn"));
    assert!(first.contains("point_in_time_recovery      = true"));
    assert!(first.contains("deletion_protection_enabled = true"));
    // a provisioned table may have replicas only once its writes (and its indexes') autoscale
    assert!(first.contains(
        "depends_on = [aws_appautoscaling_policy.workspaces_write, aws_appautoscaling_policy.workspaces__by_owner_write]"
    ));
    let second = block(
        hcl,
        "aws_dynamodb_table_replica",
        "workspaces_ap_southeast_2",
    );
    assert!(second.contains("depends_on = [aws_dynamodb_table_replica.workspaces_eu_west_1]"));
    // an on-demand table's first replica waits for nothing
    let on_demand = block(hcl, "aws_dynamodb_table_replica", "activity_eu_west_1");
    assert!(!on_demand.contains("depends_on"), "{on_demand}");
    // the tables stream new and old images and leave `replica` to the replica resources
    for t in ["workspaces", "activity"] {
        let table = block(hcl, "aws_dynamodb_table", t);
        assert!(
            table.contains("stream_view_type            = \"NEW_AND_OLD_IMAGES\""),
            "{table}"
        );
        assert!(table.contains("ignore_changes = [replica"), "{table}");
    }
}

#[test]
fn each_replica_region_scales_its_reads_and_leaves_writes_to_dynamodb() {
    let files = global();
    let hcl = &files["dynamodb-autoscaling.tf"];
    let targets = labels(hcl, "aws_appautoscaling_target");
    for region in ["eu_west_1", "ap_southeast_2"] {
        for subject in ["workspaces", "workspaces__by_owner"] {
            let label = format!("{subject}_read_{region}");
            let target = block(hcl, "aws_appautoscaling_target", &label);
            assert!(
                target.contains(&format!("provider           = aws.{region}")),
                "{target}"
            );
            assert!(target.contains(&format!(
                "depends_on = [aws_dynamodb_table_replica.workspaces_{region}]"
            )));
            // the policy has the name DynamoDB gives the policy it copies to a new replica, so
            // Terraform updates that policy instead of adding a second one (provider #41179)
            let policy = block(hcl, "aws_appautoscaling_policy", &label);
            assert!(policy.contains(
                "name               = \"DynamoDBReadCapacityUtilization:${aws_appautoscaling_target."
            ));
            // write capacity is kept equal across replicas by DynamoDB: no target of ours
            assert!(!targets.contains(&format!("{subject}_write_{region}").as_str()));
        }
        // the business-hours schedule moves each replica's read range too
        let action = block(
            hcl,
            "aws_appautoscaling_scheduled_action",
            &format!("workspaces_read_{region}-business_hours"),
        );
        assert!(action.contains(&format!("provider           = aws.{region}")));
    }
}

#[test]
fn replication_is_watched_from_every_region_to_every_other_in_the_sending_region() {
    let files = global();
    let hcl = &files["cloudwatch-monitoring.tf"];
    let alarms = labels(hcl, "aws_cloudwatch_metric_alarm");
    let replication: Vec<&&str> = alarms
        .iter()
        .filter(|a| a.starts_with("workspaces_replication_"))
        .collect();
    assert_eq!(replication.len(), 6, "{replication:?}");
    let from_primary = block(
        hcl,
        "aws_cloudwatch_metric_alarm",
        "workspaces_replication_us_east_1_to_eu_west_1",
    );
    for expected in [
        "metric_name         = \"ReplicationLatency\"",
        "statistic           = \"Average\"",
        "period              = 60",
        "evaluation_periods  = 15",
        "datapoints_to_alarm = 15",
        "threshold           = 60000",
        "ReceivingRegion = \"eu-west-1\"",
        "alarm_actions = var.alarm_sns_topic_arns",
    ] {
        assert!(
            from_primary.contains(expected),
            "{expected} in {from_primary}"
        );
    }
    assert!(!from_primary.contains("provider"));
    let from_replica = block(
        hcl,
        "aws_cloudwatch_metric_alarm",
        "workspaces_replication_ap_southeast_2_to_us_east_1",
    );
    assert!(from_replica.contains("provider            = aws.ap_southeast_2"));
    assert!(from_replica.contains(
        "alarm_actions = lookup(var.replica_alarm_sns_topic_arns, \"ap-southeast-2\", [])"
    ));
    // the replica's own throttles, in its region
    let throttles = block(
        hcl,
        "aws_cloudwatch_metric_alarm",
        "workspaces_eu_west_1_write_throttles",
    );
    assert!(throttles.contains("provider            = aws.eu_west_1"));
    // the dashboard reads each replica's metrics in its region, and pending replication
    assert!(hcl.contains("title   = \"Capacity: workspaces in eu-west-1\""));
    assert!(hcl.contains("region  = \"eu-west-1\""));
    assert!(hcl.contains("visible = false, region = \"eu-west-1\" }"));
    assert!(hcl.contains("\"PendingReplicationCount\""));
}

#[test]
fn a_created_key_gets_a_twin_in_every_replica_region() {
    let text = std::fs::read_to_string(root().join("profiles/global-saas.yaml"))
        .unwrap()
        .replace(
            "monitoring:\n",
            "encryption:\n  kms_key: customer_managed\nmonitoring:\n",
        );
    let (_dir, path) = profile_file("keys.yaml", text.as_bytes());
    let files = render_files(&path, None);
    let hcl = &files["dynamodb-autoscaling.tf"];
    assert_eq!(
        labels(hcl, "aws_kms_key"),
        ["tables", "tables_eu_west_1", "tables_ap_southeast_2"]
    );
    let key = block(hcl, "aws_kms_key", "tables_eu_west_1");
    assert!(
        key.contains("provider") && key.contains("= aws.eu_west_1"),
        "{key}"
    );
    assert!(
        block(hcl, "aws_dynamodb_table_replica", "activity_ap_southeast_2")
            .contains("kms_key_arn                 = aws_kms_key.tables_ap_southeast_2.arn")
    );
    // the given-key variable is not needed when the module makes the keys
    assert!(!files["variables.tf"].contains("replica_kms_key_arns"));
}

#[test]
fn plan_charges_every_replica_for_every_write_and_its_storage() {
    let (code, out, err) = run(&[
        "plan",
        &root()
            .join("profiles/global-saas.yaml")
            .display()
            .to_string(),
        "--format",
        "json",
    ]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let tier = v["tiers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["customers"] == 10_000)
        .unwrap();
    let lines = tier["costs"].as_array().unwrap();
    let quantity = |prefix: &str| -> f64 {
        let l = lines
            .iter()
            .find(|l| l["item"].as_str().unwrap().starts_with(prefix))
            .unwrap_or_else(|| panic!("no line {prefix}"));
        l["quantity"].as_f64().unwrap()
    };
    // two replicas: twice the primary's write units, on demand and provisioned
    let writes = quantity("activity: write requests on demand");
    let replicated = quantity("activity: replicated writes on demand");
    assert!(
        (replicated - 2.0 * writes).abs() < 1e-6,
        "{replicated} vs {writes}"
    );
    let wcu = quantity("workspaces: write capacity");
    let rwcu = quantity("workspaces: replicated write capacity");
    assert!((rwcu - 2.0 * wcu).abs() < 1e-3, "{rwcu} vs {wcu}");
    let storage = quantity("activity: storage");
    let replica_storage = quantity("activity: replica storage");
    assert!((replica_storage - 2.0 * storage).abs() < 1e-3);
}
