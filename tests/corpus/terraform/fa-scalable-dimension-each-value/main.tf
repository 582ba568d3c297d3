resource "aws_dynamodb_table" "this" {
  name           = "ledger"
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

variable "autoscaling" {
  type = map(object({
    dim    = string
    metric = string
    max    = optional(number, 200)
  }))
  default = {
    read  = { dim = "dynamodb:table:ReadCapacityUnits", metric = "DynamoDBReadCapacityUtilization" }
    write = { dim = "dynamodb:table:WriteCapacityUnits", metric = "DynamoDBWriteCapacityUtilization" }
  }
}

resource "aws_appautoscaling_target" "this" {
  for_each           = var.autoscaling
  service_namespace  = "dynamodb"
  resource_id        = "table/${aws_dynamodb_table.this.name}"
  scalable_dimension = each.value.dim
  min_capacity       = 5
  max_capacity       = each.value.max
}

resource "aws_appautoscaling_policy" "this" {
  for_each           = var.autoscaling
  name               = "ledger-${each.key}"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = "dynamodb"
  resource_id        = aws_appautoscaling_target.this[each.key].resource_id
  scalable_dimension = each.value.dim

  target_tracking_scaling_policy_configuration {
    target_value = 70
    predefined_metric_specification {
      predefined_metric_type = each.value.metric
    }
  }
}

resource "aws_cloudwatch_metric_alarm" "ledger_throttles" {
  alarm_name          = "ledger-throttles"
  namespace           = "AWS/DynamoDB"
  metric_name         = "ThrottledRequests"
  statistic           = "Sum"
  period              = 60
  evaluation_periods  = 5
  threshold           = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  dimensions = {
    TableName = aws_dynamodb_table.this.name
  }
}
