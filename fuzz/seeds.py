#!/usr/bin/env python3
"""Writes OUT/<target>/: the project's samples and test inputs as seeds for each fuzz target.

The committed corpora are minimized, so a sample added later for a new rule is not in them
until a merge takes it in (fuzz/README.md, Seeds). Pass OUT/<target> as a further corpus folder
to every run and every merge. Run from anywhere:

    python3 fuzz/seeds.py /tmp/fz/seeds
"""

import hashlib
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MAX_LEN = 65536
FOLDERS = ("samples", "tests")


def inputs(*suffixes: str):
    for folder in FOLDERS:
        for path in sorted((ROOT / folder).rglob("*")):
            if path.is_file() and path.suffix in suffixes and "snapshots" not in path.parts:
                yield path


def is_plan(data: bytes) -> bool:
    try:
        return "format_version" in json.loads(data)
    except (ValueError, TypeError):
        return False


def policies(value):
    """The policy documents a plan holds as JSON strings (policy, assume_role_policy, ...)."""
    if isinstance(value, dict):
        for item in value.values():
            yield from policies(item)
    elif isinstance(value, list):
        for item in value:
            yield from policies(item)
    elif isinstance(value, str) and '"Statement"' in value:
        try:
            json.loads(value)
        except ValueError:
            return
        yield value.encode("utf-8")


def write(folder: Path, data: bytes) -> None:
    if len(data) <= MAX_LEN:
        (folder / hashlib.sha1(data).hexdigest()).write_bytes(data)


def main() -> None:
    if len(sys.argv) != 2:
        sys.exit("usage: seeds.py OUT")
    out = Path(sys.argv[1])
    folders = {t: out / t for t in ("plan_json", "policy_document", "cfn_yaml", "hcl")}
    for folder in folders.values():
        folder.mkdir(parents=True, exist_ok=True)
    for path in inputs(".json"):
        data = path.read_bytes()
        if is_plan(data):
            write(folders["plan_json"], data)
            for policy in policies(json.loads(data)):
                write(folders["policy_document"], policy)
    for path in inputs(".yaml", ".yml"):
        write(folders["cfn_yaml"], path.read_bytes())
    for path in inputs(".tf"):
        write(folders["hcl"], path.read_bytes())
    for target, folder in folders.items():
        print(f"{target}: {sum(1 for _ in folder.iterdir())} seeds in {folder}")


if __name__ == "__main__":
    main()
