{#- One dashboard; cloudwatch-monitoring.tf is the header and these, one after another.
   HCL values (names, descriptions, dimensions, bodies) arrive as HCL text already escaped by
   render::hcl, so they are printed `safe`; every other string is escaped on output. -#}
resource "aws_cloudwatch_dashboard" "{{ d.label }}" {
dashboard_name = {{ d.name | safe }}
dashboard_body = jsonencode({{ d.body | safe }})
}
