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

# shellcheck source=scripts/tf-env.sh
. scripts/tf-env.sh
[ "$TF_OK" = 1 ] || exit 0

cargo build --quiet --bin capform
capform=target/debug/capform
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export TF_CLI_CONFIG_FILE=$work/terraformrc
: >"$TF_CLI_CONFIG_FILE"
export AWS_ACCESS_KEY_ID=AKIAFAKEFAKEFAKEFAKE AWS_SECRET_ACCESS_KEY=fake

profiles=("$@")
if [ ${#profiles[@]} -eq 0 ]; then profiles=(profiles/*.yaml); fi

checked=0
failed=0
provider_body() {
  cat <<TF
  access_key                  = "AKIAFAKEFAKEFAKEFAKE"
  secret_key                  = "fake"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
  skip_region_validation      = true
TF
}

check_module() { # name, module dir, extra render args…
  local name=$1 module=$2
  local root=$work/root-$name
  mkdir -p "$root"
  region=$(awk '/^region:/ {print $2; exit}' "$3")
  write_root "$root/main.tf" "${region:-us-east-1}" "$module"
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
