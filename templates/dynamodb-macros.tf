{#- Blocks written the same way in more than one place of dynamodb-table.tf. -#}
{% macro on_demand_throughput(max) -%}
on_demand_throughput {
{%- if max.read %}
max_read_request_units = {{ max.read }}
{%- endif %}
{%- if max.write %}
max_write_request_units = {{ max.write }}
{%- endif %}
}
{%- endmacro on_demand_throughput %}
