variable "global_secondary_indexes" {
  type = list(object({
    name            = string
    hash_key        = string
    projection_type = optional(string, "ALL")
  }))
  default = [
    { name = "by_tenant", hash_key = "tenant_id" },
    { name = "by_state", hash_key = "state", projection_type = "KEYS_ONLY" },
  ]
}

locals {
  index_dims = merge([
    for ix in var.global_secondary_indexes : {
      for d in ["Read", "Write"] : "${ix.name}-${d}" => { index = ix.name, dim = d }
    }
  ]...)
}

resource "aws_dynamodb_table" "this" {
  name           = "jobs"
  billing_mode   = "PROVISIONED"
  read_capacity  = 5
  write_capacity = 5
  hash_key       = "pk"

  attribute {
    name = "pk"
    type = "S"
  }

  dynamic "attribute" {
    for_each = var.global_secondary_indexes
    content {
      name = attribute.value.hash_key
      type = "S"
    }
  }

  dynamic "global_secondary_index" {
    for_each = var.global_secondary_indexes
    iterator = gsi
    content {
      name            = gsi.value.name
      hash_key        = gsi.value.hash_key
      projection_type = gsi.value.projection_type
      read_capacity   = 5
      write_capacity  = 5
    }
  }

  lifecycle {
    ignore_changes = all
  }
}

resource "aws_appautoscaling_target" "index" {
  for_each           = local.index_dims
  service_namespace  = "dynamodb"
  resource_id        = "table/${aws_dynamodb_table.this.name}/index/${each.value.index}"
  scalable_dimension = "dynamodb:index:${each.value.dim}CapacityUnits"
  min_capacity       = 5
  max_capacity       = 50
}

resource "aws_appautoscaling_policy" "index" {
  for_each           = aws_appautoscaling_target.index
  name               = each.key
  policy_type        = "TargetTrackingScaling"
  service_namespace  = each.value.service_namespace
  resource_id        = each.value.resource_id
  scalable_dimension = each.value.scalable_dimension

  target_tracking_scaling_policy_configuration {
    target_value = 70
    predefined_metric_specification {
      predefined_metric_type = "DynamoDB${local.index_dims[each.key].dim}CapacityUtilization"
    }
  }
}

resource "aws_appautoscaling_target" "table_read" {
  service_namespace  = "dynamodb"
  resource_id        = "table/${aws_dynamodb_table.this.name}"
  scalable_dimension = "dynamodb:table:ReadCapacityUnits"
  min_capacity       = 5
  max_capacity       = 100
}

resource "aws_appautoscaling_policy" "table_read" {
  name               = "table-read"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = aws_appautoscaling_target.table_read.service_namespace
  resource_id        = aws_appautoscaling_target.table_read.resource_id
  scalable_dimension = aws_appautoscaling_target.table_read.scalable_dimension

  target_tracking_scaling_policy_configuration {
    target_value = 70
    predefined_metric_specification {
      predefined_metric_type = "DynamoDBReadCapacityUtilization"
    }
  }
}

resource "aws_appautoscaling_target" "table_write" {
  service_namespace  = "dynamodb"
  resource_id        = "table/${aws_dynamodb_table.this.name}"
  scalable_dimension = "dynamodb:table:WriteCapacityUnits"
  min_capacity       = 5
  max_capacity       = 100
}

resource "aws_appautoscaling_policy" "table_write" {
  name               = "table-write"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = aws_appautoscaling_target.table_write.service_namespace
  resource_id        = aws_appautoscaling_target.table_write.resource_id
  scalable_dimension = aws_appautoscaling_target.table_write.scalable_dimension

  target_tracking_scaling_policy_configuration {
    target_value = 70
    predefined_metric_specification {
      predefined_metric_type = "DynamoDBWriteCapacityUtilization"
    }
  }
}

resource "aws_cloudwatch_metric_alarm" "jobs_throttles" {
  alarm_name          = "jobs-throttles"
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
