variable "billing_mode" {
  default = "PROVISIONED"
}
resource "aws_dynamodb_table" "this" {
  name           = "catalog"
  billing_mode   = var.billing_mode
  hash_key       = "pk"

  attribute {
    name = "pk"
    type = "S"
  }
}

resource "aws_cloudwatch_metric_alarm" "catalog_throttles" {
  alarm_name          = "catalog-throttles"
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
