#!/usr/bin/env bash
# Regenerate the files that are generated from the code: the profile JSON Schema, the README's
# profile reference and docs/rules.md. Tests fail when any of them is stale.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --quiet --bin capform
bin=target/debug/capform
"$bin" schema > profiles/profile.schema.json
"$bin" explain --markdown > docs/rules.md
python3 - "$bin" <<'PY'
import subprocess, sys
ref = subprocess.run([sys.argv[1], "schema", "--markdown"], capture_output=True, text=True, check=True).stdout
text = open("README.md").read()
start = text.index("<!-- profile-reference:start")
start = text.index("\n", start) + 1
end = text.index("<!-- profile-reference:end")
open("README.md", "w").write(text[:start] + ref + text[end:])
PY
# the README's precision/recall table of the module rules, counted from the corpus
CAPFORM_REGEN=1 cargo test --quiet --test terraform_corpus the_readme_precision_table >/dev/null
