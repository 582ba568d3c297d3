variable "statistic" {
  default = "p99"
}

resource "aws_dynamodb_table" "this" {
  name         = "feeds"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "pk"

  attribute {
    name = "pk"
    type = "S"
  }
}

resource "aws_cloudwatch_metric_alarm" "feeds_throttles" {
  alarm_name          = "feeds-throttles"
  namespace           = "AWS/DynamoDB"
  metric_name         = "ThrottledRequests"
  extended_statistic  = var.statistic
  period              = 60
  evaluation_periods  = 5
  threshold           = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  dimensions = {
    TableName = aws_dynamodb_table.this.name
  }
}
