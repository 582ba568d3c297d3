{#- The customer-managed key, when the module creates one. -#}
# Customer-managed key for the tables (profile: encryption.kms_key = customer_managed).
resource "aws_kms_key" "tables" {
#checkov:skip=CKV2_AWS_64:the default key policy (the account's root principal) applies; narrow it with aws_kms_key_policy if required
description = "Encrypts the DynamoDB tables of ${var.name_prefix}"
enable_key_rotation = true
deletion_window_in_days = 30
tags = var.tags
}

resource "aws_kms_alias" "tables" {
name = "alias/${var.name_prefix}-dynamodb"
target_key_id = aws_kms_key.tables.key_id
}
