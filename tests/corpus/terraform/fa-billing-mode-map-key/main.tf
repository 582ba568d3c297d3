variable "table" {
  type = map(string)
  default = {
    "name"         = "sessions"
    "billing-mode" = "PAY_PER_REQUEST"
  }
}

resource "aws_dynamodb_table" "this" {
  name         = var.table["name"]
  billing_mode = var.table["billing-mode"]
  hash_key     = "pk"

  attribute {
    name = "pk"
    type = "S"
  }
}

resource "aws_cloudwatch_metric_alarm" "sessions_throttles" {
  alarm_name          = "sessions-throttles"
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
