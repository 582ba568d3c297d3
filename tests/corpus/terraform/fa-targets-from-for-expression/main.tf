resource "aws_dynamodb_table" "a" {
  name           = "alpha"
  billing_mode   = "PROVISIONED"
  read_capacity  = 5
  write_capacity = 5
  hash_key       = "pk"

  attribute {
    name = "pk"
    type = "S"
  }

  lifecycle {
    ignore_changes = [read_capacity, write_capacity]
  }
}
resource "aws_dynamodb_table" "b" {
  name           = "beta"
  billing_mode   = "PROVISIONED"
  read_capacity  = 5
  write_capacity = 5
  hash_key       = "pk"

  attribute {
    name = "pk"
    type = "S"
  }

  lifecycle {
    ignore_changes = [read_capacity, write_capacity]
  }
}

locals {
  scaled = [
    for pair in setproduct([aws_dynamodb_table.a.name, aws_dynamodb_table.b.name], ["Read", "Write"]) : {
      table = pair[0]
      dim   = pair[1]
    }
  ]
  by_key = { for t in local.scaled : "${t.table}-${lower(t.dim)}" => t }
}

resource "aws_appautoscaling_target" "this" {
  for_each           = local.by_key
  service_namespace  = "dynamodb"
  resource_id        = "table/${each.value.table}"
  scalable_dimension = "dynamodb:table:${each.value.dim}CapacityUnits"
  min_capacity       = 5
  max_capacity       = 100
}

resource "aws_appautoscaling_policy" "this" {
  for_each           = local.by_key
  name               = each.key
  policy_type        = "TargetTrackingScaling"
  service_namespace  = "dynamodb"
  resource_id        = aws_appautoscaling_target.this[each.key].resource_id
  scalable_dimension = aws_appautoscaling_target.this[each.key].scalable_dimension

  target_tracking_scaling_policy_configuration {
    target_value = 70
    predefined_metric_specification {
      predefined_metric_type = "DynamoDB${each.value.dim}CapacityUtilization"
    }
  }
}

resource "aws_cloudwatch_metric_alarm" "alpha_throttles" {
  alarm_name          = "alpha-throttles"
  namespace           = "AWS/DynamoDB"
  metric_name         = "ThrottledRequests"
  statistic           = "Sum"
  period              = 60
  evaluation_periods  = 5
  threshold           = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  dimensions = {
    TableName = aws_dynamodb_table.a.name
  }
}

resource "aws_cloudwatch_metric_alarm" "beta_throttles" {
  alarm_name          = "beta-throttles"
  namespace           = "AWS/DynamoDB"
  metric_name         = "ThrottledRequests"
  statistic           = "Sum"
  period              = 60
  evaluation_periods  = 5
  threshold           = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  dimensions = {
    TableName = aws_dynamodb_table.b.name
  }
}
