{#- One alarm; cloudwatch-monitoring.tf is the header and these, one after another.
   HCL values (names, descriptions, dimensions, bodies) arrive as HCL text already escaped by
   render::hcl, so they are printed `safe`; every other string is escaped on output. -#}
resource "aws_cloudwatch_metric_alarm" "{{ a.label }}" {
{%- if a.provider %}
provider = {{ a.provider | safe }}
{%- endif %}
alarm_name = {{ a.name | safe }}
alarm_description = {{ a.description | safe }}
comparison_operator = "{{ a.comparison_operator }}"
threshold = {{ a.threshold }}
evaluation_periods = {{ a.evaluation_periods }}
datapoints_to_alarm = {{ a.datapoints_to_alarm }}
treat_missing_data = "{{ a.treat_missing_data }}"
{%- if a.metric %}
namespace = "{{ a.metric.namespace }}"
metric_name = "{{ a.metric.metric_name }}"
period = {{ a.metric.period }}
{%- if a.metric.statistic %}
statistic = "{{ a.metric.statistic }}"
{%- endif %}
{%- if a.metric.extended_statistic %}
extended_statistic = "{{ a.metric.extended_statistic }}"
{%- endif %}
dimensions = {
{%- for dim in a.metric.dimensions %}
{{ dim.0 }} = {{ dim.1 | safe }}
{%- endfor %}
}
{%- endif %}
{% for q in a.queries %}
metric_query {
id = "{{ q.id }}"
{%- if q.expression %}
expression = "{{ q.expression }}"
{%- endif %}
{%- if q.label %}
label = "{{ q.label }}"
{%- endif %}
return_data = {{ q.return_data }}
{%- if q.metric %}

metric {
namespace = "{{ q.metric.namespace }}"
metric_name = "{{ q.metric.metric_name }}"
period = {{ q.metric.period }}
stat = "{{ q.metric.statistic }}"
dimensions = {
{%- for dim in q.metric.dimensions %}
{{ dim.0 }} = {{ dim.1 | safe }}
{%- endfor %}
}
}
{%- endif %}
}
{% endfor %}
{%- if a.actions %}
alarm_actions = {{ a.actions | safe }}
ok_actions = {{ a.actions | safe }}
{%- endif %}
tags = local.tags
}
