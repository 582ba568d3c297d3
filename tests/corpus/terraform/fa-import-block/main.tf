resource "aws_dynamodb_table" "adopted" {
  name         = "legacy-orders"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "pk"

  attribute {
    name = "pk"
    type = "S"
  }
}

import {
  to = aws_dynamodb_table.adopted
  id = "legacy-orders"
}

resource "aws_cloudwatch_metric_alarm" "legacy_throttles" {
  alarm_name          = "legacy-throttles"
  namespace           = "AWS/DynamoDB"
  metric_name         = "ThrottledRequests"
  statistic           = "Sum"
  period              = 60
  evaluation_periods  = 5
  threshold           = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  dimensions = {
    TableName = aws_dynamodb_table.adopted.name
  }
}
