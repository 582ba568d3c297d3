variable "environment" {
  default = "production"
}

variable "point_in_time_recovery_enabled" {
  type    = bool
  default = true
}
resource "aws_dynamodb_table" "this" {
  name         = "accounts"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "pk"

  attribute {
    name = "pk"
    type = "S"
  }

  point_in_time_recovery {
    enabled = var.point_in_time_recovery_enabled
  }
}

resource "aws_cloudwatch_metric_alarm" "accounts_throttles" {
  alarm_name          = "accounts-throttles"
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
