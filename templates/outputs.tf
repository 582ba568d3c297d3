{{ header | safe }}
{% for o in outputs %}
output "{{ o.name }}" {
description = "{{ o.description }}"
{%- if o.groups | length == 1 %}
value = {
{%- for e in o.groups.0 %}
{{ e.0 | key | safe }} = {{ e.1 | safe }}
{%- endfor %}
}
{%- else %}
value = merge(
{%- for g in o.groups %}
{
{%- for e in g %}
{{ e.0 | key | safe }} = {{ e.1 | safe }}
{%- endfor %}
},
{%- endfor %}
)
{%- endif %}
}
{% endfor %}
