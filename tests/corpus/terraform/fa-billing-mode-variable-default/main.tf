variable "billing_mode" {
  description = "Controls how you are billed for read/write throughput."
  type        = string
  default     = "PAY_PER_REQUEST"
}

resource "aws_dynamodb_table" "this" {
  name         = "orders"
  billing_mode = var.billing_mode
  hash_key     = "pk"

  attribute {
    name = "pk"
    type = "S"
  }
}

resource "aws_cloudwatch_metric_alarm" "orders_throttles" {
  alarm_name          = "orders-throttles"
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
