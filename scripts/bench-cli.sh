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

ms() { # median wall time in ms of running "$@" $runs times
  local times=()
  for _ in $(seq "$runs"); do
    local t0 t1
    t0=$(date +%s%N)
    "$@" >/dev/null 2>&1
    t1=$(date +%s%N)
    times+=($(( (t1 - t0) / 1000 )))
  done
  printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {printf "%.1f", a[int((NR+1)/2)]/1000}'
}

render() { rm -rf "$work/m"; "$bin" render profiles/phase3b.yaml -o "$work/m"; }
render_ms=$(ms render)
"$bin" render profiles/phase3b.yaml -o "$work/m" 2>/dev/null
size=$(cat "$work/m"/*.tf | wc -c)
echo "capform render phase3b (process): ${render_ms} ms median of $runs (module: $size bytes of HCL)"
if command -v terraform >/dev/null 2>&1; then
  fmt() { cp -r "$work/m" "$work/f"; terraform fmt -recursive "$work/f"; rm -rf "$work/f"; }
  fmt_ms=$(ms fmt)
  echo "terraform fmt on that module (process): ${fmt_ms} ms median of $runs"
  awk -v a="$render_ms" -v b="$fmt_ms" 'BEGIN {printf "ratio render / fmt: %.2f\n", a / b}'
else
  echo "terraform not found: no comparison"
fi
