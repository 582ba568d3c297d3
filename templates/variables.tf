{{ header | safe }}
{% for v in variables %}
variable "{{ v.name }}" {
description = "{{ v.description }}"
type = {{ v.type_expr | safe }}
{%- if v.default.kind == "null" %}
default = null
{%- elif v.default.kind == "string" %}
default = "{{ v.default.value }}"
{%- elif v.default.kind == "string_map" %}
{%- if v.default.value | length == 0 %}
default = {}
{%- else %}
default = {
{%- for e in v.default.value %}
"{{ e.0 }}" = "{{ e.1 }}"
{%- endfor %}
}
{%- endif %}
{%- endif %}
{%- if v.validation %}

validation {
condition = {{ v.validation.0 | safe }}
error_message = "{{ v.validation.1 }}"
}
{%- endif %}
}
{% endfor %}
