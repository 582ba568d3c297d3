provider "aws" {
  region = "eu-west-1"

  default_tags {
    tags = {
      Environment = "staging"
    }
  }
}
resource "aws_dynamodb_table" "this" {
  name         = "previews"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "pk"

  attribute {
    name = "pk"
    type = "S"
  }
}

resource "aws_cloudwatch_metric_alarm" "previews_throttles" {
  alarm_name          = "previews-throttles"
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
