variable "environment" {
  default = "preprod"
}

variable "tags" {
  default = {
    Environment = "preprod"
  }
}
resource "aws_dynamodb_table" "this" {
  name         = "drafts-${var.environment}"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "pk"

  attribute {
    name = "pk"
    type = "S"
  }

  tags = var.tags
}

resource "aws_cloudwatch_metric_alarm" "drafts_throttles" {
  alarm_name          = "drafts-throttles"
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
