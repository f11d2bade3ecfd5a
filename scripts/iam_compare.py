#!/usr/bin/env python3
"""Compares repl-lint's simulate output with the oracle's JSON lines; prints agreement counts.

Known oracle bugs are whitelisted by the case tags set by iam_random_cases.py. Cases where we
answer "unknown" (documented ambiguities, unknown resource owner) are counted apart. A
disagreement in an untagged, decided case is "unexplained" and makes the script exit non-zero.
"""
import collections
import json
import sys

WHITELIST = {"v2008-variables", "kms-context", "owner-omitted"}


def main():
    cases = json.load(open(sys.argv[1]))
    ours = {r["name"]: r for r in json.load(open(sys.argv[2]))}
    oracle = {}
    for line in open(sys.argv[3]):
        if line.strip():
            r = json.loads(line)
            oracle[r["name"]] = r
    counts = collections.Counter()
    unexplained = []
    for c in cases:
        o, t = ours.get(c["name"]), oracle.get(c["name"])
        if o is None or t is None:
            counts["missing"] += 1
            continue
        if t["decision"] == "error":
            counts["oracle-error"] += 1
            continue
        if o.get("reason") == "unknown":
            # We refuse to decide (ambiguous semantics or unknown owner): not an agreement.
            counts["undecided-by-us (oracle says %s)" % t["decision"]] += 1
            continue
        if o["decision"] == t["decision"]:
            counts["agree"] += 1
            continue
        tags = [x for x in c.get("tags", []) if x in WHITELIST]
        if tags:
            counts["disagree-whitelisted:" + "+".join(sorted(tags))] += 1
        else:
            counts["disagree-unexplained"] += 1
            unexplained.append((c, o, t))
    total = len(cases)
    print(f"{total} cases")
    for k, v in sorted(counts.items()):
        print(f"  {k:45} {v:6}  ({100.0 * v / max(total, 1):.2f}%)")
    for c, o, t in unexplained[:10]:
        print("\n--- unexplained:", c["name"], "ours:", o["decision"], o.get("reason"), o.get("why", ""), "oracle:", t["decision"], t.get("detail"))
        print(json.dumps({k: v for k, v in c.items() if k != "tags"}))
    sys.exit(1 if unexplained else 0)


if __name__ == "__main__":
    main()
