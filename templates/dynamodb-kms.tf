{#- A customer-managed key, when the module creates one: for the tables, and one in each
   replica region (KMS keys are regional). -#}
# Customer-managed key for the tables{% if region %} in {{ region }}{% endif %} (profile: encryption.kms_key = customer_managed).
resource "aws_kms_key" "{{ label }}" {
{%- for c in k.checkov_skips %}
#checkov:skip={{ c.0 }}:{{ c.1 | comment }}
{%- endfor %}
{%- if provider %}
provider = {{ provider | safe }}
{%- endif %}
description = "Encrypts the DynamoDB tables of ${var.name_prefix}{% if region %} in {{ region }}{% endif %}"
enable_key_rotation = {{ k.rotation }}
deletion_window_in_days = {{ k.deletion_window_days }}
tags = local.tags
}

resource "aws_kms_alias" "{{ label }}" {
{%- if provider %}
provider = {{ provider | safe }}
{%- endif %}
name = "alias/${var.name_prefix}-dynamodb"
target_key_id = aws_kms_key.{{ label }}.key_id
}
