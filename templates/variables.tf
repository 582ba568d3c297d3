{{ header | safe }}
{% for v in variables %}
variable "{{ v.name }}" {
description = "{{ v.description }}"
type = {{ v.type_expr | safe }}
default = {{ v.default | safe }}
{%- if v.validation %}

validation {
condition = {{ v.validation.0 | safe }}
error_message = "{{ v.validation.1 }}"
}
{%- endif %}
}
{% endfor %}
{%- if locals | length > 0 %}

locals {
{%- for l in locals %}
# {{ l.comment }}
profile_{{ l.name }} = {{ l.defaults | safe }}
{%- if l.drop_nulls %}
{{ l.name }} = { for k, v in merge(local.profile_{{ l.name }}, var.{{ l.name }}) : k => v if v != null }
{%- else %}
{{ l.name }} = merge(local.profile_{{ l.name }}, var.{{ l.name }})
{%- endif %}
{%- endfor %}
}
{%- endif %}
