{%- import "dynamodb-macros.tf" as m -%}
{#- One table with its scaling targets and policies; dynamodb-autoscaling.tf is the header and these. -#}
# {{ t.key }}: {{ t.billing_mode }}{% if capacity_note %}, {{ capacity_note }}{% endif %}.
{%- for s in t.suppressions %}
# capform:ignore {{ s.0 }} -- {{ s.1 | comment }}
{%- endfor %}
resource "aws_dynamodb_table" "{{ t.key }}" {
{%- for c in t.checkov_skips %}
#checkov:skip={{ c.0 }}:{{ c.1 | comment }}
{%- endfor %}
name = "${var.name_prefix}-{{ t.suffix }}"
billing_mode = "{{ t.billing_mode }}"
{%- if t.capacity %}
read_capacity = {{ t.capacity.read.initial }}
write_capacity = {{ t.capacity.write.initial }}
{%- endif %}
hash_key = "{{ t.hash_key }}"
{%- if t.range_key %}
range_key = "{{ t.range_key }}"
{%- endif %}
table_class = "{{ t.table_class }}"
deletion_protection_enabled = {{ t.deletion_protection }}
{%- if t.stream_view_type %}
stream_enabled = true
stream_view_type = "{{ t.stream_view_type }}"
{%- endif %}
{%- if t.on_demand_max %}

{{ m::on_demand_throughput(max=t.on_demand_max) }}
{%- endif %}
{% for a in t.attributes %}
attribute {
name = "{{ a.0 }}"
type = "{{ a.1 }}"
}
{%- endfor %}
{% for ix in t.indexes %}
global_secondary_index {
name = "{{ ix.name }}"
hash_key = "{{ ix.hash_key }}"
{%- if ix.range_key %}
range_key = "{{ ix.range_key }}"
{%- endif %}
projection_type = "{{ ix.projection_type }}"
{%- if ix.non_key_attributes | length > 0 %}
non_key_attributes = [{% for a in ix.non_key_attributes %}"{{ a }}"{% if not loop.last %}, {% endif %}{% endfor %}]
{%- endif %}
{%- if ix.capacity %}
read_capacity = {{ ix.capacity.read.initial }}
write_capacity = {{ ix.capacity.write.initial }}
{%- endif %}
{%- if ix.on_demand_max %}

{{ m::on_demand_throughput(max=ix.on_demand_max) }}
{%- endif %}
}
{% endfor %}
{%- for ix in t.local_indexes %}
local_secondary_index {
name = "{{ ix.name }}"
range_key = "{{ ix.range_key }}"
projection_type = "{{ ix.projection_type }}"
{%- if ix.non_key_attributes | length > 0 %}
non_key_attributes = [{% for a in ix.non_key_attributes %}"{{ a }}"{% if not loop.last %}, {% endif %}{% endfor %}]
{%- endif %}
}
{% endfor %}
{%- if t.ttl %}
ttl {
attribute_name = "{{ t.ttl }}"
enabled = true
}
{% endif %}
point_in_time_recovery {
enabled = {{ t.pitr }}
{%- if t.pitr_days %}
recovery_period_in_days = {{ t.pitr_days }}
{%- endif %}
}
{%- if kms_key_expr %}

server_side_encryption {
enabled = true
kms_key_arn = {{ kms_key_expr | safe }}
}
{%- endif %}

tags = local.tags
{%- if t.ignore_changes | length > 0 %}

lifecycle {
ignore_changes = [{% for i in t.ignore_changes %}{{ i | safe }}{% if not loop.last %}, {% endif %}{% endfor %}]
}
{%- endif %}
}
{% for r in t.replicas %}
# {{ t.key }} in {{ r.region }}: a replica of the global table{% if t.autoscaled %}, created once the
# primary autoscales its writes{% endif %} (README § Global tables).
resource "aws_dynamodb_table_replica" "{{ r.label }}" {
provider = {{ r.provider | safe }}
global_table_arn = aws_dynamodb_table.{{ t.key }}.arn
{%- if r.kms_key_expr %}
kms_key_arn = {{ r.kms_key_expr | safe }}
{%- endif %}
point_in_time_recovery = {{ r.pitr }}
deletion_protection_enabled = {{ r.deletion_protection }}
tags = local.tags
{%- if r.after | length > 0 %}

depends_on = [{% for a in r.after %}{{ a | safe }}{% if not loop.last %}, {% endif %}{% endfor %}]
{%- endif %}
}
{% endfor %}{% for s in t.scaling | concat(with=t.replica_scaling) %}
resource "aws_appautoscaling_target" "{{ s.label }}" {
{%- if s.provider %}
provider = {{ s.provider | safe }}
{%- endif %}
min_capacity = {{ s.min }}
max_capacity = {{ s.max }}
resource_id = "table/${aws_dynamodb_table.{{ s.table }}.name}{% if s.index %}/index/{{ s.index }}{% endif %}"
scalable_dimension = "{{ s.scalable_dimension }}"
service_namespace = "dynamodb"
tags = local.tags
{%- if s.after %}

depends_on = [{{ s.after | safe }}]
{%- endif %}
{%- if s.schedules | length > 0 %}

lifecycle {
ignore_changes = [min_capacity, max_capacity]
}
{%- endif %}
}

resource "aws_appautoscaling_policy" "{{ s.label }}" {
{%- if s.provider %}
provider = {{ s.provider | safe }}
{%- endif %}
name = "{{ s.metric }}:${aws_appautoscaling_target.{{ s.label }}.resource_id}"
policy_type = "TargetTrackingScaling"
resource_id = aws_appautoscaling_target.{{ s.label }}.resource_id
scalable_dimension = aws_appautoscaling_target.{{ s.label }}.scalable_dimension
service_namespace = aws_appautoscaling_target.{{ s.label }}.service_namespace

target_tracking_scaling_policy_configuration {
target_value = {{ s.target }}
scale_in_cooldown = {{ s.scale_in_cooldown }}
scale_out_cooldown = {{ s.scale_out_cooldown }}

predefined_metric_specification {
predefined_metric_type = "{{ s.metric }}"
}
}
}
{% for a in s.schedules %}
resource "aws_appautoscaling_scheduled_action" "{{ a.label }}" {
{%- if s.provider %}
provider = {{ s.provider | safe }}
{%- endif %}
name = "{{ a.name }}"
service_namespace = aws_appautoscaling_target.{{ s.label }}.service_namespace
resource_id = aws_appautoscaling_target.{{ s.label }}.resource_id
scalable_dimension = aws_appautoscaling_target.{{ s.label }}.scalable_dimension
schedule = "{{ a.schedule }}"
timezone = "{{ a.timezone }}"

scalable_target_action {
{%- if a.min %}
min_capacity = {{ a.min }}
{%- endif %}
{%- if a.max %}
max_capacity = {{ a.max }}
{%- endif %}
}

depends_on = [{{ a.after | safe }}]
}
{% endfor %}
{%- endfor %}
