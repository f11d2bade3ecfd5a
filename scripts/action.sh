#!/usr/bin/env bash
# The logic of the repl-lint GitHub Action (action.yml), kept here so it can run and be tested
# outside GitHub with a simulated runner:
#   GITHUB_WORKSPACE=$PWD GITHUB_OUTPUT=out.txt GITHUB_STEP_SUMMARY=summary.md \
#   INPUT_PATHS=samples INPUT_FAIL_ON=error REPL_LINT_BIN=target/release/repl-lint scripts/action.sh
# One run of repl-lint prints the annotations (workflow commands on stdout), writes the SARIF
# file and the step summary, and its exit code (0 clean, 1 findings at or above fail-on, 2 input
# or usage error) is the step's.
set -uo pipefail

bin=${REPL_LINT_BIN:-repl-lint}
workspace=${GITHUB_WORKSPACE:-$PWD}
fail_on=${INPUT_FAIL_ON:-error}
sarif=${INPUT_SARIF_FILE:-repl-lint.sarif}
output=${GITHUB_OUTPUT:-/dev/null}
step_summary=${GITHUB_STEP_SUMMARY:-/dev/null}

case $fail_on in
  error|warning|info|never) ;;
  *) echo "::error title=repl-lint::fail-on must be error, warning, info or never, not '$fail_on'"; exit 2 ;;
esac

cd "$workspace" || { echo "::error title=repl-lint::cannot enter $workspace"; exit 2; }
# Inputs are word lists: several paths, several extra arguments.
read -ra paths <<< "${INPUT_PATHS:-.}"
[ ${#paths[@]} -gt 0 ] || paths=(.)
read -ra extra <<< "${INPUT_ARGS:-}"
config=()
[ -n "${INPUT_CONFIG:-}" ] && config=(--config "$INPUT_CONFIG")

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$bin" "${paths[@]}" --root "$workspace" --format github --fail-on "$fail_on" \
  --sarif "$sarif" --summary "$tmp/summary.md" "${config[@]}" "${extra[@]}" | tee "$tmp/log"
status=${PIPESTATUS[0]}

# The last line of the github format: `repl-lint: E error(s), W warning(s), I info`.
counts=$(grep -E '^repl-lint: [0-9]+ error' "$tmp/log" | tail -n 1)
errors=$(sed -E 's/^repl-lint: ([0-9]+) error.*/\1/' <<< "$counts")
warnings=$(sed -E 's/.* ([0-9]+) warning.*/\1/' <<< "$counts")
infos=$(sed -E 's/.* ([0-9]+) info.*/\1/' <<< "$counts")
if [ -z "$counts" ]; then
  errors=0 warnings=0 infos=0
fi

if [ -s "$tmp/summary.md" ]; then
  cat "$tmp/summary.md" >> "$step_summary"
else
  printf '## repl-lint: S3 replication\n\nrepl-lint could not run (exit code %s); see the step log.\n' "$status" >> "$step_summary"
fi

{
  echo "findings=$((errors + warnings + infos))"
  echo "errors=$errors"
  echo "warnings=$warnings"
  echo "sarif-file=$sarif"
  echo "exit-code=$status"
} >> "$output"

if [ "$status" -eq 2 ]; then
  echo "::error title=repl-lint::repl-lint could not analyze the inputs (exit code 2); see the log above."
fi
exit "$status"
