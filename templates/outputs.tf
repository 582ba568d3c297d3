{{ header | safe }}
{% for o in outputs %}
output "{{ o.name }}" {
description = "{{ o.description }}"
value = {
{%- for e in o.entries %}
{{ e.0 }} = {{ e.1 }}.{{ e.2 }}
{%- endfor %}
}
}
{% endfor %}
