#!/usr/bin/env bash
# Apply every shipped profile's module for real, against moto (an AWS emulator) on 127.0.0.1,
# and check what `terraform plan` cannot:
#   1. apply, then `plan -detailed-exitcode` is 0 (no perpetual diff);
#   2. capacities changed behind Terraform's back, as Application Auto Scaling would (every
#      scalable target to its maximum): the plan is still 0;
#   3. an index added to an autoscaled table: `render` refuses without --manage-indexes, the
#      `--manage-indexes TABLE` render applies it (the index exists, at its maximum), and the
#      render without it plans 0 again;
#   4. deletion protection off, then destroy.
#
#   scripts/e2e-apply.sh [PROFILE.yaml ...]
#
# Needs terraform with a local provider mirror (scripts/tf-env.sh) and python3 with moto[server],
# boto3 and PyYAML (.ci/run installs them); without them it says so loudly and exits 0. moto runs
# with tests/e2e/moto_shim.py (the few calls it lacks); it is stopped by PID on exit, and every
# wait is bounded.
set -euo pipefail
cd "$(dirname "$0")/.."

# shellcheck source=scripts/tf-env.sh
. scripts/tf-env.sh
[ "$TF_OK" = 1 ] || exit 0
if ! python3 -c 'import moto, boto3, yaml' 2>/dev/null; then
  banner "moto NOT INSTALLED (pip install 'moto[server]'): modules were NOT applied"
  exit 0
fi

cargo build --quiet --bin capform
capform=$PWD/target/debug/capform
helper="python3 $PWD/tests/e2e/helper.py"
work=$(mktemp -d)
moto_pid=
stop() {
  if [ -n "$moto_pid" ]; then
    kill "$moto_pid" 2>/dev/null || true
    # bounded: give it 5 s, then kill -9
    for _ in $(seq 50); do kill -0 "$moto_pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$moto_pid" 2>/dev/null || true
    wait "$moto_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap stop EXIT
export TF_CLI_CONFIG_FILE=$work/terraformrc
: >"$TF_CLI_CONFIG_FILE"
export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
endpoint=http://127.0.0.1:$port
python3 tests/e2e/moto_shim.py "$port" >"$work/moto.log" 2>&1 &
moto_pid=$!
for i in $(seq 150); do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then break; fi
  if ! kill -0 "$moto_pid" 2>/dev/null || [ "$i" = 150 ]; then
    cat "$work/moto.log"; echo "moto did not start"; exit 1
  fi
  sleep 0.2
done

tf() { timeout 600 terraform "$@" -input=false -no-color; }

# The account ID is looked up (moto's STS answers): aws_dynamodb_table_replica reads its
# global_table_arn back with it, and without it every plan would replace the replicas.
provider_body() {
  cat <<TF
  access_key                  = "test"
  secret_key                  = "test"
  skip_credentials_validation = true
  skip_requesting_account_id  = false
  skip_metadata_api_check     = true
  skip_region_validation      = true
  endpoints {
    dynamodb               = "$endpoint"
    applicationautoscaling = "$endpoint"
    cloudwatch             = "$endpoint"
    kms                    = "$endpoint"
    sns                    = "$endpoint"
    sts                    = "$endpoint"
    iam                    = "$endpoint"
  }
TF
}

no_changes() { # what
  local rc=0
  tf plan -detailed-exitcode -lock=false >plan.log 2>&1 || rc=$?
  if [ "$rc" != 0 ]; then
    grep -E '^  [#~+-]|^Plan:|Error' plan.log | head -40
    echo "plan after $1 is not empty (exit $rc)"
    return 1
  fi
  echo "  $1: no changes"
}

e2e() { # profile
  local p=$1 name region dir module table
  name=$(basename "$p" .yaml)
  region=$(awk '/^region:/ {print $2; exit}' "$p")
  dir=$work/$name
  module=$dir/module
  "$capform" render "$p" -o "$module" 2>&1 | tail -n 1
  mkdir -p "$dir/root"
  write_root "$dir/root/main.tf" "${region:-us-east-1}" "$module"
  cd "$dir/root"
  tf init -backend=false -plugin-dir="$TF_PLUGIN_DIR" >init.log 2>&1 || { cat init.log; return 1; }
  tf init -plugin-dir="$TF_PLUGIN_DIR" >init.log 2>&1 || { cat init.log; return 1; }
  tf apply -auto-approve -lock=false >apply.log 2>&1 || { tail -40 apply.log; return 1; }
  grep -E '^Apply complete' apply.log
  no_changes "apply"

  echo "  autoscaling moved $($helper drift "$endpoint" "$region") tables and indexes to their maximum"
  no_changes "capacity changed behind Terraform's back"

  local rc=0 added=$p
  local table full_name existing before after
  read -r table full_name existing < <($helper add-index "$p" "$dir/added.json"; echo "rc $?") || true
  if [ "$table" = rc ]; then rc=$full_name; fi
  if [ "$rc" = 0 ]; then
    added=$dir/added.json
    if "$capform" render "$added" -o "$module" >render.log 2>&1; then
      cat render.log; echo "render did not stop at an index change hidden by ignore_changes"; return 1
    fi
    grep -q -- "--manage-indexes $table" render.log || { cat render.log; return 1; }
    "$capform" render "$added" -o "$module" --manage-indexes "$table" 2>&1 | grep -E -- '--manage-indexes|wrote'
    before=$($helper index "$endpoint" "$region" "$full_name" "$existing")
    tf apply -auto-approve -lock=false >apply.log 2>&1 || { tail -40 apply.log; return 1; }
    grep -E '^Apply complete' apply.log
    local capacity
    capacity=$($helper index "$endpoint" "$region" "$full_name" by_e2e_marker) \
      || { echo "the new index was not created"; return 1; }
    echo "  index by_e2e_marker of $table created at $capacity (RCU WCU)"
    after=$($helper index "$endpoint" "$region" "$full_name" "$existing")
    read -r br bw <<<"$before"
    read -r ar aw <<<"$after"
    if [ "$ar" -lt "$br" ] || [ "$aw" -lt "$bw" ]; then
      echo "the --manage-indexes apply lowered index $existing from $before to $after"; return 1
    fi
    echo "  index $existing kept its live capacity through that apply: $before -> $after"
    "$capform" render "$added" -o "$module" 2>&1 | tail -n 1
    no_changes "the --manage-indexes apply"
  elif [ "$rc" = 3 ]; then
    echo "  no autoscaled table with indexes: no index added"
  else
    return 1
  fi

  $helper unprotect "$added" "$dir/free.json"
  "$capform" render "$dir/free.json" -o "$module" 2>&1 | tail -n 1
  tf apply -auto-approve -lock=false >apply.log 2>&1 || { tail -40 apply.log; return 1; }
  tf destroy -auto-approve -lock=false >destroy.log 2>&1 || { tail -40 destroy.log; return 1; }
  grep -E '^Destroy complete' destroy.log
  cd - >/dev/null
}

profiles=("$@")
if [ ${#profiles[@]} -eq 0 ]; then profiles=(profiles/*.yaml); fi
# The profiles are independent (their own regions and table names): applied side by side, each
# in a subshell outside any condition, so that `set -e` stops it at its first failing step.
pids=()
for p in "${profiles[@]}"; do
  log=$work/$(basename "$p" .yaml).log
  (
    set -e
    start=$SECONDS
    e2e "$PWD/$p"
    echo "  $((SECONDS - start)) s"
  ) >"$log" 2>&1 &
  pids+=("$!")
done
passed=0
failed=0
for i in "${!profiles[@]}"; do
  p=${profiles[$i]}
  rc=0
  wait "${pids[$i]}" || rc=$?
  banner "apply $p against moto"
  grep -v '^module.under_test' "$work/$(basename "$p" .yaml).log" || true
  if [ "$rc" = 0 ]; then
    passed=$((passed + 1))
  else
    echo "FAILED: $p"
    failed=$((failed + 1))
  fi
done
echo
echo "e2e apply: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
