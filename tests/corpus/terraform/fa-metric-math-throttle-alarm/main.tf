resource "aws_dynamodb_table" "this" {
  name         = "feeds"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "pk"

  attribute {
    name = "pk"
    type = "S"
  }
}

resource "aws_cloudwatch_metric_alarm" "throttles" {
  alarm_name          = "feeds-throttles"
  comparison_operator = "GreaterThanOrEqualToThreshold"
  evaluation_periods  = 5
  threshold           = 1

  metric_query {
    id          = "total"
    expression  = "r + w"
    return_data = true
  }

  dynamic "metric_query" {
    for_each = { r = "ReadThrottleEvents", w = "WriteThrottleEvents" }
    content {
      id = metric_query.key
      metric {
        namespace   = "AWS/DynamoDB"
        metric_name = metric_query.value
        period      = 60
        stat        = "Sum"
        dimensions = {
          TableName = aws_dynamodb_table.this.name
        }
      }
    }
  }
}
