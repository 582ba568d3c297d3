{#- One dashboard; cloudwatch-monitoring.tf is the header and these, one after another. -#}
resource "aws_cloudwatch_dashboard" "{{ d.label }}" {
dashboard_name = {{ d.name | hcl | safe }}
dashboard_body = jsonencode({{ d.body | hcl | safe }})
}
