resource "aws_dynamodb_table" "this" {
  for_each     = toset(["a", "b"])
  name         = each.key
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "pk"

  attribute {
    name = "pk"
    type = "S"
  }
}

resource "aws_cloudwatch_metric_alarm" "t_throttles" {
  for_each            = aws_dynamodb_table.this
  alarm_name          = "${each.key}-throttles"
  namespace           = "AWS/DynamoDB"
  metric_name         = "ThrottledRequests"
  statistic           = "Sum"
  period              = 45
  evaluation_periods  = 5
  threshold           = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  dimensions = {
    TableName = each.value.name
  }
}
