#!/usr/bin/env bash
# Render every shipped profile and run terraform init, validate, fmt -check and plan on each
# module, offline: the hashicorp/aws provider comes from a local filesystem mirror and the
# provider uses fake credentials with every account lookup skipped.
#
#   scripts/terraform-check.sh [PROFILE.yaml ...]
#
# The mirror is $TF_PLUGIN_DIR, else the first directory found holding
# registry.terraform.io/hashicorp/aws. Without terraform (or the mirror) the script says so
# loudly and exits 0, so the Rust tests still decide CI on machines without it.
set -euo pipefail
cd "$(dirname "$0")/.."

banner() { printf '\n==== %s ====\n' "$*"; }

if ! command -v terraform >/dev/null 2>&1; then
  banner "TERRAFORM NOT FOUND: generated modules were NOT checked with terraform validate/fmt/plan"
  exit 0
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
  exit 0
fi

cargo build --quiet --bin capform
capform=target/debug/capform
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export TF_IN_AUTOMATION=1 TF_INPUT=0 CHECKPOINT_DISABLE=1
export TF_CLI_CONFIG_FILE=$work/terraformrc
: >"$TF_CLI_CONFIG_FILE"
export AWS_ACCESS_KEY_ID=AKIAFAKEFAKEFAKEFAKE AWS_SECRET_ACCESS_KEY=fake AWS_EC2_METADATA_DISABLED=true

profiles=("$@")
if [ ${#profiles[@]} -eq 0 ]; then profiles=(profiles/*.yaml); fi

checked=0
failed=0
check_module() { # name, module dir, extra render args…
  local name=$1 module=$2
  local root=$work/root-$name
  mkdir -p "$root"
  region=$(awk '/^region:/ {print $2; exit}' "$3")
  cat >"$root/main.tf" <<TF
provider "aws" {
  region                      = "${region:-us-east-1}"
  access_key                  = "AKIAFAKEFAKEFAKEFAKE"
  secret_key                  = "fake"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
  skip_region_validation      = true
}

module "under_test" {
  source = "$module"
}
TF
  (
    set -e
    cd "$root"
    terraform init -backend=false -input=false -plugin-dir="$TF_PLUGIN_DIR" >init.log 2>&1 || { cat init.log; exit 1; }
    terraform validate -no-color
    terraform fmt -check -recursive -diff "$module"
    terraform plan -input=false -refresh=false -lock=false -no-color -out=plan.out >plan.log 2>&1 || { cat plan.log; exit 1; }
    grep -E '^Plan:' plan.log
  )
}

for p in "${profiles[@]}"; do
  name=$(basename "$p" .yaml)
  module=$work/modules/$name
  banner "$p"
  if "$capform" render "$p" -o "$module" && check_module "$name" "$module" "$p"; then
    checked=$((checked + 1))
  else
    echo "FAILED: $p"
    failed=$((failed + 1))
  fi
done

echo
echo "terraform: $checked passed, $failed failed"
[ "$failed" -eq 0 ]
