{#- The customer-managed key, when the module creates one. -#}
# Customer-managed key for the tables (profile: encryption.kms_key = customer_managed).
resource "aws_kms_key" "tables" {
{%- for c in k.checkov_skips %}
#checkov:skip={{ c.0 }}:{{ c.1 | comment }}
{%- endfor %}
description = "Encrypts the DynamoDB tables of ${var.name_prefix}"
enable_key_rotation = {{ k.rotation }}
deletion_window_in_days = {{ k.deletion_window_days }}
tags = var.tags
}

resource "aws_kms_alias" "tables" {
name = "alias/${var.name_prefix}-dynamodb"
target_key_id = aws_kms_key.tables.key_id
}
