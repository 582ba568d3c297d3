#!/usr/bin/env bash
# The project's test command (README § Quick start; .ci/run calls it):
#   1. formatting and lints,
#   2. the Rust test suite (unit, integration, snapshot and property tests),
#   3. no snapshot left pending review,
#   4. every shipped and edge-case profile rendered and checked with terraform
#      init/validate/fmt -check/plan, and the production modules with checkov,
#   5. every shipped profile's module applied against moto (scripts/e2e-apply.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

cargo fmt --check
cargo clippy --locked --all-targets --quiet -- -D warnings
INSTA_UPDATE=${INSTA_UPDATE:-no} cargo test --locked
pending=$(find . -path ./target -prune -o \( -name '*.snap.new' -o -name '*.pending-snap' \) -print)
if [ -n "$pending" ]; then
  echo "snapshots awaiting review (run cargo insta review, read each diff):" >&2
  echo "$pending" >&2
  exit 1
fi
scripts/terraform-check.sh profiles/*.yaml tests/profiles/*.yaml
scripts/checkov-check.sh
scripts/e2e-apply.sh
