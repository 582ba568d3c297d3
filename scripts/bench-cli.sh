#!/usr/bin/env bash
# Time the whole CLI process rendering profiles/phase3b.yaml (process start to exit) against
# `terraform fmt` formatting the module it produces, in one run, and print the ratio.
#   scripts/bench-cli.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-20}
cargo build --quiet --release --bin capform
bin=target/release/capform
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export TF_CLI_CONFIG_FILE=$work/terraformrc CHECKPOINT_DISABLE=1
: >"$TF_CLI_CONFIG_FILE"

# ${EPOCHREALTIME/./} (bash 5): microseconds, read without starting a process.
median() { sort -n | awk '{a[NR]=$1} END {printf "%.1f", a[int((NR+1)/2)]/1000}'; }

# Interleaved: each round renders into a fresh directory (removed untimed), then times
# `terraform fmt -check` on what it wrote, so both see the same machine state.
"$bin" render profiles/phase3b.yaml -o "$work/m" 2>/dev/null
size=$(cat "$work/m"/*.tf | wc -c)
have_tf=$(command -v terraform >/dev/null 2>&1 && echo 1 || echo 0)
render_times=() fmt_times=()
for _ in $(seq "$runs"); do
  rm -rf "$work/m"
  t0=${EPOCHREALTIME/./}; "$bin" render profiles/phase3b.yaml -o "$work/m" >/dev/null 2>&1; t1=${EPOCHREALTIME/./}
  render_times+=($((t1 - t0)))
  if [ "$have_tf" = 1 ]; then
    t0=${EPOCHREALTIME/./}; terraform fmt -check -recursive "$work/m" >/dev/null 2>&1; t1=${EPOCHREALTIME/./}
    fmt_times+=($((t1 - t0)))
  fi
done
render_ms=$(printf '%s\n' "${render_times[@]}" | median)
echo "capform render phase3b (process): ${render_ms} ms median of $runs (module: $size bytes of HCL)"
if [ "$have_tf" = 1 ]; then
  fmt_ms=$(printf '%s\n' "${fmt_times[@]}" | median)
  echo "terraform fmt -check on that module (process, interleaved): ${fmt_ms} ms median of $runs"
  awk -v a="$render_ms" -v b="$fmt_ms" 'BEGIN {printf "ratio render / fmt: %.2f\n", a / b}'
else
  echo "terraform not found: no comparison"
fi

# The whole process on 1,000 tables (the profile the pipeline benchmark generates: two GSIs,
# TTL, alarms and dashboards each), with its peak resident memory.
big=$work/t1000.yaml
{
  printf 'name: bench\nenvironment: production\nregion: us-east-1\ncustomers: 1000\ntables:\n'
  for i in $(seq 0 999); do
    printf '  t%s:\n    hash_key: { name: tenant_id, type: S }\n    range_key: { name: id, type: S }\n    billing: provisioned\n    ttl: expires_at\n    workload: { reads_per_second: 0.01, writes_per_second: 0.005, item_size_kb: 2, peak_factor: 3, items_per_customer: 100 }\n    indexes:\n      by_a: { hash_key: { name: a, type: S }, range_key: { name: ts, type: N }, read_share: 0.2 }\n      by_b: { hash_key: { name: b, type: S }, projection: keys_only, read_share: 0.1 }\n' "$i"
  done
} >"$big"
big_runs=$(( runs < 5 ? runs : 5 ))
big_times=()
for _ in $(seq "$big_runs"); do
  rm -rf "$work/big"
  t0=${EPOCHREALTIME/./}; "$bin" render "$big" -o "$work/big" >/dev/null 2>&1; t1=${EPOCHREALTIME/./}
  big_times+=($((t1 - t0)))
done
big_ms=$(printf '%s\n' "${big_times[@]}" | median)
echo "capform render 1,000 tables (process): ${big_ms} ms median of $big_runs ($(cat "$work/big"/*.tf | wc -c) bytes of HCL)"
if [ -x /usr/bin/time ]; then
  rm -rf "$work/big"
  /usr/bin/time -f "capform render 1,000 tables: peak resident memory %M KB" "$bin" render "$big" -o "$work/big" 2>&1 | grep peak
fi
