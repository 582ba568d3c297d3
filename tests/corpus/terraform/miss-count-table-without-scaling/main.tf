variable "enabled" {
  default = true
}

resource "aws_dynamodb_table" "this" {
  count          = var.enabled ? 1 : 0
  name           = "counters"
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

resource "aws_cloudwatch_metric_alarm" "counters_throttles" {
  alarm_name          = "counters-throttles"
  namespace           = "AWS/DynamoDB"
  metric_name         = "ThrottledRequests"
  statistic           = "Sum"
  period              = 60
  evaluation_periods  = 5
  threshold           = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  dimensions = {
    TableName = "counters"
  }
}
