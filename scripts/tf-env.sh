# Sourced by the terraform scripts: finds terraform and the local hashicorp/aws provider mirror
# (TF_PLUGIN_DIR, else the first directory holding registry.terraform.io/hashicorp/aws), and
# sets up an offline environment. Defines `banner`; sets TF_OK=1 when both were found.
banner() { printf '\n==== %s ====\n' "$*"; }

# A root module for a module that may declare provider aliases (configuration_aliases =
# [aws.eu_west_1, …], one per replica region): the default provider, one provider per alias
# in the region it is named after, and the module passing them in. `provider_body` (defined by
# the caller) prints what every provider block holds besides its region.
alias_names() { sed -n 's/.*configuration_aliases *= *\[\(.*\)\]/\1/p' "$1/versions.tf" | tr -d ' ' | tr ',' '\n' | sed 's/^aws\.//'; }
write_root() { # file, default region, module dir
  local a names
  names=$(alias_names "$3")
  {
    printf 'provider "aws" {\n  region = "%s"\n%s\n}\n\n' "$2" "$(provider_body)"
    for a in $names; do
      printf 'provider "aws" {\n  alias  = "%s"\n  region = "%s"\n%s\n}\n\n' "$a" "${a//_/-}" "$(provider_body)"
    done
    printf 'module "under_test" {\n  source = "%s"\n' "$3"
    if [ -n "$names" ]; then
      printf '\n  providers = {\n    aws = aws\n'
      for a in $names; do printf '    aws.%s = aws.%s\n' "$a" "$a"; done
      printf '  }\n'
    fi
    printf '}\n'
  } >"$1"
}
TF_OK=0
if ! command -v terraform >/dev/null 2>&1; then
  banner "TERRAFORM NOT FOUND: generated modules were NOT checked with terraform"
  return 0
fi
if [ -z "${TF_PLUGIN_DIR:-}" ]; then
  for d in /opt/tf-plugins /usr/share/terraform/plugins "$HOME/.terraform.d/plugins"; do
    if [ -d "$d/registry.terraform.io/hashicorp/aws" ]; then TF_PLUGIN_DIR=$d; break; fi
  done
fi
if [ -z "${TF_PLUGIN_DIR:-}" ]; then
  found=$(find / -path /proc -prune -o -name 'terraform-provider-aws*' -print 2>/dev/null | head -n1 || true)
  if [ -n "$found" ]; then
    TF_PLUGIN_DIR=${found%%/registry.terraform.io/*}
  fi
fi
if [ -z "${TF_PLUGIN_DIR:-}" ] || [ ! -d "$TF_PLUGIN_DIR" ]; then
  banner "NO LOCAL hashicorp/aws PROVIDER MIRROR: generated modules were NOT checked with terraform"
  return 0
fi
export TF_PLUGIN_DIR TF_IN_AUTOMATION=1 TF_INPUT=0 CHECKPOINT_DISABLE=1
export AWS_EC2_METADATA_DISABLED=true
TF_OK=1
