#!/usr/bin/env bash
# Differential test of the IAM engine against an independent simulator (needs npm; not part of
# `cargo test`). Generates deterministic random cases, runs both, and prints agreement counts.
#   scripts/iam-differential.sh [SEED] [COUNT] [--session]
# With --session the oracle is called as the assumed-role session ARN and the random bucket
# policies may name session ARNs; without it the oracle is called as the role ARN.
# Disagreements in the categories of known oracle bugs (iam-semantics.md) are counted apart.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
seed=${1:-1}
count=${2:-3000}
session=${3:-}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

python3 "$root/scripts/iam_random_cases.py" --seed "$seed" --count "$count" --out "$work/cases.json" $session
cargo build --quiet --manifest-path "$root/Cargo.toml" --example simulate
"$root/target/debug/examples/simulate" "$work/cases.json" > "$work/ours.json"
/work/shared/tools/iam-oracle/run.sh - $session < "$work/cases.jsonl" > "$work/oracle.jsonl"
python3 "$root/scripts/iam_compare.py" "$work/cases.json" "$work/ours.json" "$work/oracle.jsonl"
