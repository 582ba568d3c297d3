#!/usr/bin/env bash
# Time `capform validate --terraform` as a whole process, with its peak resident memory, on
# capform's own modules of 100 and 1,000 tables (with and without --profile) and on
# hand-written modules of 100, 1,000 and 10,000 tables (a table, two scaling targets and
# policies, and a throttle alarm each), interleaved with `terraform fmt -check` on the same
# module as the yardstick (when terraform is installed).
#   scripts/bench-validate.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
cargo build --quiet --release --bin capform
bin=$PWD/target/release/capform
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export TF_CLI_CONFIG_FILE=$work/terraformrc CHECKPOINT_DISABLE=1
: >"$TF_CLI_CONFIG_FILE"
have_tf=$(command -v terraform >/dev/null 2>&1 && echo 1 || echo 0)

python3 - "$work" <<'PY'
import os, sys
work = sys.argv[1]
for n in (100, 1000):
    s = "name: bench\nenvironment: production\nregion: us-east-1\ncustomers: 1000\ntables:\n"
    for i in range(n):
        s += (f"  t{i}:\n    hash_key: {{ name: tenant_id, type: S }}\n    range_key: {{ name: id, type: S }}\n"
              "    billing: provisioned\n    ttl: expires_at\n"
              "    workload: { reads_per_second: 0.01, writes_per_second: 0.005, item_size_kb: 2, peak_factor: 3, items_per_customer: 100 }\n"
              "    indexes:\n      by_a: { hash_key: { name: a, type: S }, range_key: { name: ts, type: N }, read_share: 0.2 }\n"
              "      by_b: { hash_key: { name: b, type: S }, projection: keys_only, read_share: 0.1 }\n")
    open(f"{work}/capform-{n}.yaml", "w").write(s)
for n in (100, 1000, 10000):
    d = f"{work}/hand-{n}"
    os.makedirs(d)
    with open(f"{d}/main.tf", "w") as f:
        f.write('variable "prefix" {\n  default = "app"\n}\n\n')
        for i in range(n):
            f.write(f'''resource "aws_dynamodb_table" "t{i}" {{
  name           = "${{var.prefix}}-t{i}"
  billing_mode   = "PROVISIONED"
  read_capacity  = 5
  write_capacity = 5
  hash_key       = "pk"

  attribute {{
    name = "pk"
    type = "S"
  }}

  point_in_time_recovery {{
    enabled = true
  }}

  lifecycle {{
    ignore_changes = [read_capacity, write_capacity]
  }}
}}

''')
            for d_, D in (("read", "Read"), ("write", "Write")):
                f.write(f'''resource "aws_appautoscaling_target" "t{i}_{d_}" {{
  service_namespace  = "dynamodb"
  resource_id        = "table/${{aws_dynamodb_table.t{i}.name}}"
  scalable_dimension = "dynamodb:table:{D}CapacityUnits"
  min_capacity       = 5
  max_capacity       = 100
}}

resource "aws_appautoscaling_policy" "t{i}_{d_}" {{
  name               = "t{i}-{d_}"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = aws_appautoscaling_target.t{i}_{d_}.service_namespace
  resource_id        = aws_appautoscaling_target.t{i}_{d_}.resource_id
  scalable_dimension = aws_appautoscaling_target.t{i}_{d_}.scalable_dimension

  target_tracking_scaling_policy_configuration {{
    target_value = 70
    predefined_metric_specification {{
      predefined_metric_type = "DynamoDB{D}CapacityUtilization"
    }}
  }}
}}

''')
            f.write(f'''resource "aws_cloudwatch_metric_alarm" "t{i}_throttles" {{
  alarm_name          = "t{i}-throttles"
  namespace           = "AWS/DynamoDB"
  metric_name         = "ThrottledRequests"
  statistic           = "Sum"
  period              = 60
  evaluation_periods  = 5
  threshold           = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  dimensions = {{
    TableName = aws_dynamodb_table.t{i}.name
  }}
}}

''')
PY
for n in 100 1000; do "$bin" render "$work/capform-$n.yaml" -o "$work/capform-$n" >/dev/null 2>&1; done
# the same 1,000-table module with one file edited by hand: its manifest no longer vouches for
# it, so --profile renders the profile again (drift's slow path)
cp -r "$work/capform-1000" "$work/capform-1000-edited"
echo '# edited' >>"$work/capform-1000-edited/variables.tf"

# one timed process: prints "seconds peak-KB"
timed() { /usr/bin/time -f '%e %M' -o "$work/t" "$@" >/dev/null 2>&1 || true; cat "$work/t"; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

printf '| Module | Size | capform validate (median of %s) | Peak RSS | terraform fmt -check (interleaved) |\n|---|---:|---:|---:|---:|\n' "$runs"
bench() { # label, dir, extra args…
  local label=$1 dir=$2; shift 2
  local ts=() ms=() fs=()
  for _ in $(seq "$runs"); do
    read -r t m < <(timed "$bin" validate --terraform "$dir" "$@")
    ts+=("$t") ms+=("$m")
    if [ "$have_tf" = 1 ]; then
      read -r f _ < <(timed terraform fmt -check -recursive "$dir")
      fs+=("$f")
    fi
  done
  local size fmt="n/a"
  size=$(du -sm "$dir" | cut -f1)
  [ "$have_tf" = 1 ] && fmt="$(printf '%s\n' "${fs[@]}" | median) s"
  printf '| %s | %s MB | %s s | %s MB | %s |\n' "$label" "$size" \
    "$(printf '%s\n' "${ts[@]}" | median)" \
    "$(( $(printf '%s\n' "${ms[@]}" | sort -n | tail -1) / 1024 ))" "$fmt"
}
bench "capform, 100 tables" "$work/capform-100"
bench "capform, 100 tables, --profile" "$work/capform-100" --profile "$work/capform-100.yaml"
bench "capform, 1,000 tables" "$work/capform-1000"
bench "capform, 1,000 tables, --profile" "$work/capform-1000" --profile "$work/capform-1000.yaml"
bench "capform, 1,000 tables, --profile, a file edited" "$work/capform-1000-edited" --profile "$work/capform-1000.yaml"
bench "hand-written, 100 tables" "$work/hand-100"
bench "hand-written, 1,000 tables" "$work/hand-1000"
bench "hand-written, 10,000 tables" "$work/hand-10000"
