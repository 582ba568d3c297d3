resource "aws_dynamodb_table" "this" {
  name           = "carts"
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
  dimensions = {
    read  = "dynamodb:table:ReadCapacityUnits"
    write = "dynamodb:table:WriteCapacityUnits"
  }
}

resource "aws_appautoscaling_target" "this" {
  for_each           = local.dimensions
  service_namespace  = "dynamodb"
  resource_id        = "table/${aws_dynamodb_table.this.name}"
  scalable_dimension = each.value
  min_capacity       = 5
  max_capacity       = 100
}

resource "aws_appautoscaling_policy" "this" {
  for_each           = aws_appautoscaling_target.this
  name               = "carts-${each.key}"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = each.value.service_namespace
  resource_id        = each.value.resource_id
  scalable_dimension = each.value.scalable_dimension

  target_tracking_scaling_policy_configuration {
    target_value = 70
    predefined_metric_specification {
      predefined_metric_type = each.key == "read" ? "DynamoDBReadCapacityUtilization" : "DynamoDBWriteCapacityUtilization"
    }
  }
}

resource "aws_cloudwatch_metric_alarm" "carts_throttles" {
  alarm_name          = "carts-throttles"
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
