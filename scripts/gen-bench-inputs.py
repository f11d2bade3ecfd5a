#!/usr/bin/env python3
"""Writes the benchmark inputs under target/bench-inputs/ (never committed).

For each N in --setups: the plan from /work/shared/tools/gen-plan.py (or $REPL_LINT_GEN_PLAN),
then the same setups as a Terraform tree and as a set of CloudFormation templates, derived from
that plan so that the three formats describe the same buckets, roles, keys and policies:

    plan-N.json         the `terraform show -json` plan
    tf-N/group-GGG/     one Terraform root module per 100 setups: providers.tf + setup_K.tf
                        (written from the plan's `configuration` expressions)
    cfn-N/setup-K.yaml  one source stack per setup, plus setup-K-destination.yaml for a
                        destination in another account (written from the planned values)

    python3 scripts/gen-bench-inputs.py --setups 300 --setups 5000

Existing outputs are kept (delete target/bench-inputs to regenerate).
"""
import argparse
import json
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
OUT = os.path.join(ROOT, "target", "bench-inputs")
GEN_PLAN = os.environ.get("REPL_LINT_GEN_PLAN", "/work/shared/tools/gen-plan.py")
SETUPS_PER_MODULE = 100
DEFAULT_ACCOUNT = "111111111111"


def setup_of(name):
    m = re.search(r"_(\d+)$", name)
    return int(m.group(1)) if m else 0


# ---------------------------------------------------------------- Terraform


def hcl_string(s):
    # JSON string escapes are HCL's, except that `${` and `%{` start templates.
    return json.dumps(s).replace("${", "$${").replace("%{", "%%{")


def hcl_literal(v, indent):
    pad = "  " * indent
    if isinstance(v, bool):
        return "true" if v else "false"
    if v is None:
        return "null"
    if isinstance(v, (int, float)):
        return json.dumps(v)
    if isinstance(v, str):
        return hcl_string(v)
    if isinstance(v, list):
        return "[" + ", ".join(hcl_literal(x, indent) for x in v) + "]"
    inner = "".join(f"{pad}  {hcl_string(k)} = {hcl_literal(x, indent + 1)}\n" for k, x in v.items())
    return "{\n" + inner + pad + "}"


def interpolated(document, references, known):
    """A planned JSON document (a policy built with jsonencode() from references) as an HCL
    string, with the values the references had in the plan written back as interpolations."""
    text = hcl_string(document)
    for ref in references:
        value = known.get(ref)
        if isinstance(value, str) and len(value) > 8:
            text = text.replace(json.dumps(value)[1:-1], "${" + ref + "}")
    return text


def hcl_body(expressions, indent, planned=None, known=None):
    """A configuration `expressions` object as HCL attributes and nested blocks. `planned` holds
    the resource's planned values and `known` every resource attribute's planned value by
    reference (`aws_iam_role.r.arn`), for the expressions the plan gives only as references."""
    pad = "  " * indent
    out = []
    for name, e in expressions.items():
        if isinstance(e, list):
            for block in e:
                out.append(f"{pad}{name} {{\n{hcl_body(block, indent + 1)}{pad}}}\n")
        elif isinstance(e, dict) and "constant_value" in e:
            out.append(f"{pad}{name} = {hcl_literal(e['constant_value'], indent)}\n")
        elif isinstance(e, dict) and e.get("references"):
            document = (planned or {}).get(name)
            if isinstance(document, str) and document.startswith(("{", "[")):
                text = interpolated(document, e["references"], known or {})
                out.append(f"{pad}{name} = {text}\n")
            else:
                out.append(f"{pad}{name} = {e['references'][0]}\n")
        elif isinstance(e, dict):
            out.append(f"{pad}{name} {{\n{hcl_body(e, indent + 1)}{pad}}}\n")
    return "".join(out)


def providers_tf(plan):
    out = []
    for key, p in plan["configuration"].get("provider_config", {}).items():
        body = dict(p.get("expressions", {}))
        if "alias" not in p and "assume_role" not in body:
            body["allowed_account_ids"] = {"constant_value": [DEFAULT_ACCOUNT]}
        alias = f'  alias = "{p["alias"]}"\n' if "alias" in p else ""
        out.append(f'provider "{p.get("name", "aws")}" {{\n{alias}{hcl_body(body, 1)}}}\n')
    return "\n".join(out)


def resource_tf(r, planned, known):
    body = hcl_body(r.get("expressions", {}), 1, planned.get(r["address"]), known)
    key = r.get("provider_config_key", "aws")
    if key != "aws":
        body = f"  provider = {key}\n" + body
    if r.get("depends_on"):
        body += f"  depends_on = [{', '.join(r['depends_on'])}]\n"
    kind = "data" if r.get("mode") == "data" else "resource"
    return f'{kind} "{r["type"]}" "{r["name"]}" {{\n{body}}}\n'


def write_terraform(plan, out_dir):
    providers = providers_tf(plan)
    planned = {
        r["address"]: r.get("values") or {}
        for r in plan.get("planned_values", {}).get("root_module", {}).get("resources", [])
    }
    known = {
        f"{address}.{name}": value
        for address, values in planned.items()
        for name, value in values.items()
        if isinstance(value, str)
    }
    by_setup = {}
    for r in plan["configuration"]["root_module"].get("resources", []):
        by_setup.setdefault(setup_of(r["name"]), []).append(r)
    for setup, resources in sorted(by_setup.items()):
        group = os.path.join(out_dir, f"group-{setup // SETUPS_PER_MODULE:03d}")
        if not os.path.isdir(group):
            os.makedirs(group)
            with open(os.path.join(group, "providers.tf"), "w") as f:
                f.write(providers)
        with open(os.path.join(group, f"setup_{setup}.tf"), "w") as f:
            f.write("\n".join(resource_tf(r, planned, known) for r in resources))


# ----------------------------------------------------------- CloudFormation

PLAIN = re.compile(r"^[A-Za-z/][A-Za-z0-9_./:*@-]*$")
RESERVED = {"true", "false", "yes", "no", "on", "off", "null", "y", "n", "~"}


class Tag:
    def __init__(self, name, value):
        self.name, self.value = name, value


def yaml_scalar(v):
    if isinstance(v, Tag) and isinstance(v.value, list):
        return f"!{v.name} [{', '.join(yaml_scalar(x) for x in v.value)}]"
    if isinstance(v, Tag):
        return f"!{v.name} {yaml_scalar(v.value)}"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, str) and PLAIN.match(v) and v.lower() not in RESERVED:
        return v
    return json.dumps(v)


def yaml_lines(v, indent):
    pad = "  " * indent
    lines = []
    if isinstance(v, dict):
        for k, x in v.items():
            if isinstance(x, (dict, list)) and x:
                lines.append(f"{pad}{k}:")
                lines.extend(yaml_lines(x, indent + 1))
            else:
                lines.append(f"{pad}{k}: {yaml_scalar(x) if x not in ({}, []) else json.dumps(x)}")
    else:
        for x in v:
            if isinstance(x, (dict, list)) and x:
                sub = yaml_lines(x, indent + 1)
                lines.append(f"{pad}- {sub[0].lstrip()}")
                lines.extend(sub[1:])
            else:
                lines.append(f"{pad}- {yaml_scalar(x)}")
    return lines


def first(blocks):
    return blocks[0] if isinstance(blocks, list) and blocks else {}


def replication_properties(rc, role_logical):
    rules = []
    for r in rc.get("rule", []):
        d = first(r.get("destination"))
        dest = {"Bucket": d.get("bucket")}
        if d.get("storage_class"):
            dest["StorageClass"] = d["storage_class"]
        if d.get("account"):
            dest["Account"] = d["account"]
        enc = first(d.get("encryption_configuration"))
        if enc.get("replica_kms_key_id"):
            dest["EncryptionConfiguration"] = {"ReplicaKmsKeyID": enc["replica_kms_key_id"]}
        act = first(d.get("access_control_translation"))
        if act.get("owner"):
            dest["AccessControlTranslation"] = {"Owner": act["owner"]}
        rule = {"Id": r.get("id") or "rule", "Status": r.get("status", "Enabled")}
        if r.get("priority") is not None:
            rule["Priority"] = r["priority"]
        f = first(r.get("filter"))
        rule["Filter"] = {"Prefix": f.get("prefix") or ""}
        dmr = first(r.get("delete_marker_replication"))
        if dmr.get("status"):
            rule["DeleteMarkerReplication"] = {"Status": dmr["status"]}
        ssc = first(r.get("source_selection_criteria"))
        kms = first(ssc.get("sse_kms_encrypted_objects"))
        if kms.get("status"):
            rule["SourceSelectionCriteria"] = {"SseKmsEncryptedObjects": {"Status": kms["status"]}}
        rule["Destination"] = dest
        rules.append(rule)
    return {"Role": Tag("GetAtt", f"{role_logical}.Arn"), "Rules": rules}


def logical(address):
    t, name = address.split(".")[-2:]
    kind = "".join(p.title() for p in t.removeprefix("aws_").split("_"))
    return kind + "".join(p.title() for p in name.split("_"))


def stacks_of(plan):
    """Setup → account → CloudFormation resources."""
    provider_of = {r["address"]: r.get("provider_config_key", "aws")
                   for r in plan["configuration"]["root_module"].get("resources", [])}
    accounts = {}
    for key, p in plan["configuration"].get("provider_config", {}).items():
        arn = first(p.get("expressions", {}).get("assume_role")).get("role_arn", {})
        m = re.match(r"arn:aws:iam::(\d{12}):", arn.get("constant_value", "") or "")
        accounts[key] = m.group(1) if m else DEFAULT_ACCOUNT
    values = {rc["address"]: rc for rc in plan.get("resource_changes", [])}
    buckets, stacks = {}, {}
    for address, rc in values.items():
        after = rc["change"].get("after") or {}
        account = accounts.get(provider_of.get(address, "aws"), DEFAULT_ACCOUNT)
        if rc["type"] == "aws_s3_bucket":
            buckets[after.get("bucket")] = (setup_of(address), account, logical(address))
    for address, rc in values.items():
        after = rc["change"].get("after") or {}
        account = accounts.get(provider_of.get(address, "aws"), DEFAULT_ACCOUNT)
        stack = stacks.setdefault(setup_of(address), {}).setdefault(account, {})
        t, name = rc["type"], logical(address)
        bucket = buckets.get(after.get("bucket"))
        target = stack.get(bucket[2]) if bucket and bucket[1] == account else None
        if t == "aws_s3_bucket":
            stack[name] = {"Type": "AWS::S3::Bucket", "Properties": {"BucketName": after["bucket"]}}
        elif t == "aws_s3_bucket_versioning" and target is not None:
            status = first(after.get("versioning_configuration")).get("status", "Enabled")
            target["Properties"]["VersioningConfiguration"] = {"Status": status}
        elif t == "aws_s3_bucket_replication_configuration" and target is not None:
            role = logical(values_role(values, after.get("role")))
            target["Properties"]["ReplicationConfiguration"] = replication_properties(after, role)
        elif t == "aws_iam_role":
            stack[name] = {"Type": "AWS::IAM::Role", "Properties": {
                "RoleName": after.get("name"), "Path": after.get("path", "/"),
                "AssumeRolePolicyDocument": json.loads(after.get("assume_role_policy") or "{}")}}
        elif t == "aws_iam_role_policy":
            role = stack.get(logical(values_role(values, after.get("role"))))
            if role is not None:
                role["Properties"].setdefault("Policies", []).append({
                    "PolicyName": after.get("name"),
                    "PolicyDocument": json.loads(after.get("policy") or "{}")})
        elif t == "aws_kms_key":
            stack[name] = {"Type": "AWS::KMS::Key", "Properties": {
                "Description": after.get("description", ""),
                "KeyPolicy": json.loads(after.get("policy") or "{}")}}
        elif t == "aws_s3_bucket_policy" and bucket:
            stack[name] = {"Type": "AWS::S3::BucketPolicy", "Properties": {
                "Bucket": Tag("Ref", bucket[2]) if bucket[1] == account else after["bucket"],
                "PolicyDocument": json.loads(after.get("policy") or "{}")}}
    return stacks


def values_role(values, text):
    """The address of the role a name or ARN stands for."""
    for address, rc in values.items():
        after = rc["change"].get("after") or {}
        if rc["type"] == "aws_iam_role" and text in (after.get("name"), after.get("arn")):
            return address
    return "aws_iam_role.unknown"


def write_cloudformation(plan, out_dir):
    os.makedirs(out_dir, exist_ok=True)
    for setup, by_account in sorted(stacks_of(plan).items()):
        for i, (account, resources) in enumerate(sorted(by_account.items(), key=lambda a: a[0] != DEFAULT_ACCOUNT)):
            template = {
                "AWSTemplateFormatVersion": "2010-09-09",
                "Rules": {"OnlyInAccount": {"Assertions": [{
                    "Assert": Tag("Equals", [Tag("Ref", "AWS::AccountId"), account]),
                    "AssertDescription": f"account {account} only"}]}},
                "Resources": resources,
            }
            name = f"setup-{setup}.yaml" if i == 0 else f"setup-{setup}-destination.yaml"
            with open(os.path.join(out_dir, name), "w") as f:
                f.write("\n".join(yaml_lines(template, 0)) + "\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--setups", type=int, action="append", required=True)
    ap.add_argument("--out", default=OUT)
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    for n in args.setups:
        plan_path = os.path.join(args.out, f"plan-{n}.json")
        if not os.path.exists(plan_path):
            subprocess.run([sys.executable, GEN_PLAN, "--setups", str(n), "--out", plan_path], check=True)
        tf_dir, cfn_dir = os.path.join(args.out, f"tf-{n}"), os.path.join(args.out, f"cfn-{n}")
        if os.path.isdir(tf_dir) and os.path.isdir(cfn_dir):
            continue
        with open(plan_path) as f:
            plan = json.load(f)
        if not os.path.isdir(tf_dir):
            write_terraform(plan, tf_dir)
        if not os.path.isdir(cfn_dir):
            write_cloudformation(plan, cfn_dir)
        print(f"wrote {plan_path}, {tf_dir}, {cfn_dir}", file=sys.stderr)


if __name__ == "__main__":
    main()
