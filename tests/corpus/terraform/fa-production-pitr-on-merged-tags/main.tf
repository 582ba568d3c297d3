variable "tags" {
  default = { Team = "payments" }
}
resource "aws_dynamodb_table" "this" {
  name         = "refunds"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "pk"

  attribute {
    name = "pk"
    type = "S"
  }

  point_in_time_recovery {
    enabled = true
  }

  tags = merge(var.tags, { Environment = "production" })
}

resource "aws_cloudwatch_metric_alarm" "refunds_throttles" {
  alarm_name          = "refunds-throttles"
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
