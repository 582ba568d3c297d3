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
