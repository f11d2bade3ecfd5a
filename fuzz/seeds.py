#!/usr/bin/env python3
"""Writes OUT/<target>/: the project's samples and test inputs as seeds for each fuzz target.

The committed corpora are minimized, so a sample added later for a new rule is not in them
until a merge takes it in (fuzz/README.md, Seeds). Pass OUT/<target> as a further corpus folder
to every run and every merge. Run from anywhere:

    python3 fuzz/seeds.py /tmp/fz/seeds

When ../shared/tools/gen-plan.py (or $REPL_LINT_GEN_PLAN) exists, it also writes small generated
setups with a planted mistake in every one, as a plan, as one Terraform file and as
CloudFormation templates (scripts/gen-bench-inputs.py's translation): mistakes two at a time,
which the samples show one at a time. --generated N sets how many plans (default 64, 0 for none).
"""

import argparse
import hashlib
import importlib.util
import json
import os
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MAX_LEN = 65536
FOLDERS = ("samples", "tests")
GEN_PLAN = Path(os.environ.get("REPL_LINT_GEN_PLAN", ROOT.parent / "shared" / "tools" / "gen-plan.py"))
SETUPS_PER_SEED = 2


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


def bench_inputs_module():
    sys.dont_write_bytecode = True  # no __pycache__ left in scripts/
    spec = importlib.util.spec_from_file_location("gen_bench_inputs", ROOT / "scripts" / "gen-bench-inputs.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def generated(folders: dict, count: int) -> None:
    """Plans of SETUPS_PER_SEED setups, each with a planted mistake, in the three formats."""
    translate = bench_inputs_module()
    with tempfile.TemporaryDirectory() as scratch:
        for seed in range(1, count + 1):
            plan_path = Path(scratch) / f"plan-{seed}.json"
            subprocess.run(
                [sys.executable, str(GEN_PLAN), "--setups", str(SETUPS_PER_SEED), "--broken", "1.0",
                 "--seed", str(seed), "--out", str(plan_path)],
                check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            )
            plan = json.loads(plan_path.read_text())
            write(folders["plan_json"], json.dumps(plan, separators=(",", ":")).encode("utf-8"))
            for policy in policies(plan):
                write(folders["policy_document"], policy)
            tf_dir, cfn_dir = Path(scratch) / f"tf-{seed}", Path(scratch) / f"cfn-{seed}"
            translate.write_terraform(plan, str(tf_dir))
            text = b"\n".join(path.read_bytes() for path in sorted(tf_dir.rglob("*.tf")))
            write(folders["hcl"], text)
            translate.write_cloudformation(plan, str(cfn_dir))
            for path in sorted(cfn_dir.iterdir()):
                write(folders["cfn_yaml"], path.read_bytes())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", metavar="OUT", type=Path)
    parser.add_argument("--generated", metavar="N", type=int, default=64,
                        help="generated plans to write when gen-plan.py exists (default 64, 0 for none)")
    args = parser.parse_args()
    out, count = args.out, args.generated
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
    if count and GEN_PLAN.exists():
        generated(folders, count)
    elif count:
        print(f"no {GEN_PLAN}: samples and tests only")
    for target, folder in folders.items():
        print(f"{target}: {sum(1 for _ in folder.iterdir())} seeds in {folder}")


if __name__ == "__main__":
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # piped into head: end quietly
    main()
