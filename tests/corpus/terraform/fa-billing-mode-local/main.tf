locals {
  on_demand    = true
  billing_mode = local.on_demand ? "PAY_PER_REQUEST" : "PROVISIONED"
}

resource "aws_dynamodb_table" "this" {
  name         = "events"
  billing_mode = local.billing_mode
  hash_key     = "pk"

  attribute {
    name = "pk"
    type = "S"
  }
}

resource "aws_cloudwatch_metric_alarm" "events_throttles" {
  alarm_name          = "events-throttles"
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
