#!/usr/bin/env bash
# Render every production profile in profiles/ and run checkov (a Terraform security analyser)
# on each module: no check may fail. Checks a profile opted out of are skipped by
# `#checkov:skip=ID:reason` comments capform writes into the HCL; every skip must give a reason.
# Without checkov on the machine the script says so loudly and exits 0.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v checkov >/dev/null 2>&1; then
  printf '\n==== CHECKOV NOT FOUND: generated modules were NOT security-checked ====\n'
  exit 0
fi
export BC_SKIP_MAPPING=TRUE CHECKOV_RUN_SCA_PACKAGE_SCAN_V2=false
cargo build --quiet --bin capform
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
passed=0 failed=0
for p in profiles/*.yaml; do
  grep -q '^environment: production' "$p" || continue
  name=$(basename "$p" .yaml)
  target/debug/capform render "$p" -o "$work/$name" 2>/dev/null
  if grep -rn 'checkov:skip=[A-Z0-9_]*:\s*$' "$work/$name"; then
    echo "FAILED: $p: a checkov skip without a reason"; failed=$((failed + 1)); continue
  fi
  out=$(checkov -d "$work/$name" --quiet --compact --framework terraform 2>/dev/null || true)
  summary=$(echo "$out" | grep -E 'Passed checks' || echo "no checkov summary")
  echo "$p: $summary"
  if echo "$summary" | grep -q 'Failed checks: 0,'; then
    passed=$((passed + 1))
  else
    echo "$out"; failed=$((failed + 1))
  fi
done
echo
echo "checkov: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
