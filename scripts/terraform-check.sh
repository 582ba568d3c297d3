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
if [ ${#profiles[@]} -eq 0 ]; then
  # the shipped profiles, and the starter `capform init` writes
  "$capform" init -o "$work/starter/starter.yaml" 2>/dev/null
  profiles=(profiles/*.yaml "$work/starter/starter.yaml")
fi
if [ "${profiles[0]}" = --corpus-only ]; then profiles=(); fi

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
    # the saved plan, judged by `validate --plan`: a clean module's plan is clean too
    terraform show -json plan.out >plan.json
    # with the configuration beside it: capform's `# capform:ignore` comments are in the source
    "$OLDPWD/$capform" validate --plan plan.json --terraform . --format json >findings.json || { cat findings.json; exit 1; }
    python3 - findings.json <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
print(f"validate --plan: {len(d['diagnostics'])} findings in the plan")
sys.exit(1 if d["diagnostics"] else 0)
PY
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

# A consumer who cannot re-render tunes the module through its map variables: tags merged over
# the profile's (null removes one), a partial lambda_function_names / rest_apis map keeping the
# profile's other entries, and a key the profile does not have refused at plan.
consumer_overrides() { # module dir
  local module=$1 root=$work/root-consumer
  mkdir -p "$root"
  write_root "$root/main.tf" us-east-1 "$module"
  python3 - "$root/main.tf" <<'PY'
import sys
p = sys.argv[1]
s = open(p).read()
s = s.replace('module "under_test" {\n', 'module "under_test" {\n  tags                  = { team = null, cost_center = "cc-42" }\n  lambda_function_names = { cost_forecasting = "forecasting-v2" }\n  rest_apis             = { public = { name = "public-v2", stage = "live" } }\n', 1)
open(p, "w").write(s)
PY
  (
    set -e
    cd "$root"
    terraform init -backend=false -input=false -plugin-dir="$TF_PLUGIN_DIR" >init.log 2>&1 || { cat init.log; exit 1; }
    terraform plan -input=false -refresh=false -lock=false -no-color -out=plan.out >plan.log 2>&1 || { cat plan.log; exit 1; }
    terraform show -json plan.out >plan.json
    python3 - plan.json <<'PY'
import json, sys
rc = json.load(open(sys.argv[1]))["resource_changes"]
def after(addr):
    return next(r["change"]["after"] for r in rc if r["address"] == addr)
tags = after("module.under_test.aws_dynamodb_table.support_tickets")["tags"]
assert tags == {"service": "phase3b", "cost_center": "cc-42"}, tags
dims = {r["address"]: r["change"]["after"].get("dimensions") for r in rc if r["type"] == "aws_cloudwatch_metric_alarm"}
fn = {d["FunctionName"] for d in dims.values() if d and "FunctionName" in d}
assert fn == {"forecasting-v2", "phase3b-webhooks"}, fn
api = {(d["ApiName"], d["Stage"]) for d in dims.values() if d and "ApiName" in d}
assert api == {("public-v2", "live")}, api
print("consumer overrides: tags merged (one removed), partial maps keep the profile's entries")
PY
    sed -i 's/cost_forecasting = "forecasting-v2"/cost_forcasting = "typo"/' main.tf
    if terraform plan -input=false -refresh=false -lock=false -no-color >typo.log 2>&1; then
      echo "a lambda_function_names key the profile lacks was accepted"; exit 1
    fi
    grep -q "lambda_function_names is keyed by the profile's keys" typo.log || { cat typo.log; exit 1; }
    echo "consumer overrides: an unknown key is refused at plan"
  )
}
if [ -d "$work/modules/phase3b" ]; then
  banner "consumer overrides (phase3b)"
  if consumer_overrides "$work/modules/phase3b"; then checked=$((checked + 1)); else echo "FAILED: consumer overrides"; failed=$((failed + 1)); fi
fi

# Hand-written corpus modules (tests/corpus/terraform): plan each offline, then check that
# `validate --plan PLAN --terraform DIR` reports what `validate --terraform DIR` reports, and
# `validate --plan PLAN` alone the same rules (located in the plan). Left out: cases that need
# the network (data sources, registry modules, import), input (variables without a value), or
# do not plan by design (syntax and encoding errors, an empty directory, a period the provider
# refuses at plan).
plan_case() { # case dir
  local case=$1 name dir
  name=$(basename "$case")
  dir=$work/corpus/$name
  mkdir -p "$work/corpus" && cp -r "$case" "$dir" && rm -f "$dir/case.json"
  local provider='provider "aws" {
  region                      = "us-east-1"
  access_key                  = "AKIAFAKEFAKEFAKEFAKE"
  secret_key                  = "fake"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
  skip_region_validation      = true
}'
  if cat "$dir"/*.tf 2>/dev/null | grep -q 'provider "aws"'; then
    printf '%s\n' "${provider/region                      = \"us-east-1\"/}" >"$dir/provider_override.tf"
  else
    printf '%s\n' "$provider" >"$dir/provider.tf"
  fi
  # the case's `vars`, given to terraform and capform alike
  local vars=()
  mapfile -t vars < <(python3 -c 'import json,sys; [print(f"-var={k}={v}") for k, v in json.load(open(sys.argv[1])).get("vars", {}).items()]' "$case/case.json")
  cp "$case/case.json" "$work/corpus/$name.case.json"
  (
    set -e
    cd "$dir"
    terraform init -backend=false -input=false -plugin-dir="$TF_PLUGIN_DIR" >init.log 2>&1 || { cat init.log; exit 1; }
    terraform plan -input=false -refresh=false -lock=false -no-color "${vars[@]}" -out=plan.out >plan.log 2>&1 || { cat plan.log; exit 1; }
    terraform show -json plan.out >plan.json
    rm -rf .terraform .terraform.lock.hcl init.log plan.log plan.out
    set +e
    "$OLDPWD/$capform" validate --terraform . "${vars[@]/#-var=/--var=}" --format json >source.json
    "$OLDPWD/$capform" validate --plan plan.json --terraform . "${vars[@]/#-var=/--var=}" --format json >both.json
    "$OLDPWD/$capform" validate --plan plan.json --format json >plan-only.json
    set -e
    python3 - "$work/corpus/$name.case.json" <<'PY'
import json, sys
case = json.load(open(sys.argv[1]))
def load(f):
    d = json.load(open(f))["diagnostics"]
    return sorted(f"{x['rule']} {x['file'].removeprefix('./')}:{x['line']}:{x['column']}" for x in d)
src, both = load("source.json"), load("both.json")
# with the plan, what the evaluator could not know is known: the case's truth
want = sorted(case.get("truth", case["expect"]))
# plan alone reads no source: CF701/CF704 (source rules) and CF703 (lifecycle) are not in it
plan_rules = sorted(w.split()[0] for w in want if w.split()[0] not in ("CF701", "CF703", "CF704"))
plan_only = sorted(x["rule"] for x in json.load(open("plan-only.json"))["diagnostics"])
ok = src == sorted(case["expect"]) and both == want and plan_rules == plan_only
print(("ok  " if ok else "FAIL"), f"{len(both)} findings", "" if ok else f"source {src} / plan+source {both} (want {want}) / plan {plan_only} (want {plan_rules})")
sys.exit(0 if ok else 1)
PY
  )
}

skip=" miss-syntax-error miss-tf-json-syntax-error miss-alarm-period-for-each fa-billing-mode-unknown fa-remote-autoscaler-module fa-import-block fa-check-scoped-data-source miss-unknown-table-name miss-no-terraform-files miss-invalid-utf8 miss-bom-and-undeclared-variable "
planned=0
for case in tests/corpus/terraform/*/; do
  name=$(basename "$case")
  case "$skip" in *" $name "*) continue ;; esac
  printf '%-48s ' "$name"
  if plan_case "$case"; then
    planned=$((planned + 1))
  else
    echo "FAILED: $name"
    failed=$((failed + 1))
  fi
done

echo
echo "terraform: $checked passed, $failed failed; validate --plan agreed on $planned corpus modules"
[ "$failed" -eq 0 ]
