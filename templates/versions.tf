{{ header | safe }}

terraform {
required_version = ">= 1.5.0"

required_providers {
aws = {
source = "hashicorp/aws"
version = "{{ provider_version }}"
{%- if replica_regions | length > 0 %}
configuration_aliases = [{% for r in replica_regions %}{{ r.provider }}{% if not loop.last %}, {% endif %}{% endfor %}]
{%- endif %}
}
}
}
