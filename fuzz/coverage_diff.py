#!/usr/bin/env python3
"""Compares two `-print_coverage=1` outputs of a fuzz target: which edges of this project's own
code (src/) the second corpus covers that the first does not.

libFuzzer's `cov` count mixes this project's edges with the standard library's, serde's, the
parsers' and rayon's, and it moves by up to 200 between runs of the same corpus: hash tables
seeded at random probe differently, threads interleave differently. Counting edges per function
of src/ leaves mostly what inputs decide; running the same corpus twice shows what noise is left
(10-20 edges each way). A target has stopped finding new coverage when a round's last hour adds
no more than that. Usage:

    BIN=target/x86_64-unknown-linux-gnu/release/hcl
    $BIN -runs=0 -max_len=65536 -print_coverage=1 corpus/hcl > before.txt 2>&1
    $BIN -runs=0 -max_len=65536 -print_coverage=1 corpus/hcl /tmp/fz/hcl > after.txt 2>&1
    python3 coverage_diff.py before.txt after.txt [--list]
"""

import re
import signal
import sys
from pathlib import Path

FUNCTION = re.compile(r"COVERED_FUNC: hits: \d+ edges: (\d+)/\d+ (.*?) (/\S+)$")
OWN = str(Path(__file__).resolve().parent.parent / "src") + "/"


def load(path: str) -> dict[tuple[str, str], int]:
    covered = {}
    with open(path, encoding="utf-8", errors="replace") as lines:
        for line in lines:
            found = FUNCTION.match(line.strip())
            if found:
                covered[(found.group(2), found.group(3))] = int(found.group(1))
    return covered


def own(key: tuple[str, str]) -> bool:
    return key[1].startswith(OWN)


def main() -> None:
    args = [a for a in sys.argv[1:] if a != "--list"]
    if len(args) != 2:
        sys.exit(__doc__)
    before, after = load(args[0]), load(args[1])
    keys = set(before) | set(after)
    for label, keep in (("src/", own), ("all code", lambda _: True)):
        gained = sorted(
            ((after.get(k, 0) - before.get(k, 0), k) for k in keys
             if keep(k) and after.get(k, 0) > before.get(k, 0)),
            reverse=True,
        )
        lost = sum(before.get(k, 0) - after.get(k, 0) for k in keys
                   if keep(k) and after.get(k, 0) < before.get(k, 0))
        total_before = sum(v for k, v in before.items() if keep(k))
        total_after = sum(v for k, v in after.items() if keep(k))
        print(f"{label}: {total_before} -> {total_after} edges; "
              f"+{sum(g for g, _ in gained)} in {len(gained)} functions, -{lost}")
        if keep is own and "--list" in sys.argv:
            for edges, (function, location) in gained[:30]:
                print(f"  +{edges:<4} {location.split(OWN, 1)[1]}  {function[:80]}")


if __name__ == "__main__":
    # Piped into `head`, end quietly like other command-line tools.
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    main()
