#!/usr/bin/env python3
"""Writes the CloudFormation samples under samples/: `bad-cfn` and `good-cfn` per rule.

The setups are the ones `generate.py` builds for the Terraform plans (same base, same one change
per rule), written as CloudFormation YAML with short tags. A same-account setup is one template
(`template.yaml`); a cross-account setup adds the destination stack (`destination.yaml`) in the
same folder. Each template pins its account with a template rule (`Rules`, an assertion
`!Equals [!Ref AWS::AccountId, "111111111111"]`), which the loader reads as the stack's account;
literal ARNs are used only where the other account's resource is named (the destination bucket,
the replication role). Run from the
repository root after editing:

    python3 samples/generate_cfn.py

The templates are committed; tests read them, never this script.
"""
import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import generate  # noqa: E402
from generate import SRC, DST  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
# Rules that cannot be written as CloudFormation, with the reason.
SKIPPED = {}


class Tag:
    def __init__(self, name, value):
        self.name, self.value = name, value


def get_att(logical, attr="Arn"):
    return Tag("GetAtt", f"{logical}.{attr}")


def ref(logical):
    return Tag("Ref", logical)


def sub(text):
    return Tag("Sub", text)


PLAIN = re.compile(r"^[A-Za-z/][A-Za-z0-9_./:*@-]*$")
RESERVED = {"true", "false", "yes", "no", "on", "off", "null", "y", "n", "~"}


def scalar(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, Tag):
        if isinstance(v.value, list):
            return f"!{v.name} [{', '.join(scalar(x) for x in v.value)}]"
        return f"!{v.name} {scalar(v.value)}"
    if PLAIN.match(v) and v.lower() not in RESERVED and ": " not in v and not v.endswith(":"):
        return v
    return json.dumps(v)


def dump(v, indent=0):
    pad = "  " * indent
    out = []
    if isinstance(v, dict):
        for k, x in v.items():
            if isinstance(x, (dict, list)) and x:
                out.append(f"{pad}{k}:")
                out.extend(dump(x, indent + (1 if isinstance(x, dict) else 1)))
            elif isinstance(x, dict):
                out.append(f"{pad}{k}: {{}}")
            elif isinstance(x, list):
                out.append(f"{pad}{k}: []")
            else:
                out.append(f"{pad}{k}: {scalar(x)}")
    elif isinstance(v, list):
        for x in v:
            if isinstance(x, (dict, list)) and x:
                inner = dump(x, indent + 1)
                out.append(f"{pad}- {inner[0].lstrip()}")
                out.extend(inner[1:])
            else:
                out.append(f"{pad}- {scalar(x)}")
    return out


def replace(v, subs):
    """Replaces literal strings of a policy by intrinsic functions."""
    if isinstance(v, dict):
        return {k: replace(x, subs) for k, x in v.items()}
    if isinstance(v, list):
        return [replace(x, subs) for x in v]
    if isinstance(v, str) and v in subs:
        return subs[v]
    return v


def policy(text, subs):
    """A policy document as YAML when it is valid JSON, else the JSON text as it was."""
    try:
        return replace(json.loads(text), subs)
    except json.JSONDecodeError:
        return text


def account_rule(account):
    """Template rules that pin the stack to one account (the linter reads its account from them)."""
    return {"OnlyInAccount": {"Assertions": [{
        "Assert": Tag("Equals", [ref("AWS::AccountId"), account]),
        "AssertDescription": f"This stack deploys to account {account} only"}]}}


def templates(st):
    """The templates of one setup: {file name: template}."""
    source, dest = {}, ({} if st.cross else None)
    replica = dest if st.cross else source
    own_root = sub("arn:aws:iam::${AWS::AccountId}:root")
    dst_key = (Tag("ImportValue", "acme-replica-key-arn") if st.cross else get_att("ReplicaKey"))
    subs = {st.src_key: get_att("SourceKey"), st.dst_key: dst_key,
            f"arn:aws:iam::{SRC}:root": own_root}
    if st.cross:
        dst_subs = {f"arn:aws:iam::{DST}:root": own_root}
    else:
        dst_subs = subs

    # ---- source bucket with its replication configuration
    props = {"BucketName": st.src}
    if st.src_object_lock:
        props["ObjectLockEnabled"] = True
    if st.src_versioning:
        props["VersioningConfiguration"] = {"Status": st.src_versioning}
    if st.src_sse:
        default = {"SSEAlgorithm": st.src_sse}
        if st.kms:
            default["KMSMasterKeyID"] = get_att("SourceKey")
        props["BucketEncryption"] = {"ServerSideEncryptionConfiguration": [
            {"ServerSideEncryptionByDefault": default, "BucketKeyEnabled": False}]}
    if st.dest_value == "acme-data-replica":
        bucket = ref("ReplicaBucket")  # Ref gives the name, not the ARN
    elif st.dest_value:
        bucket = st.dest_value
    elif st.cross:
        bucket = f"arn:aws:s3:::{st.dst}"
    else:
        bucket = get_att("ReplicaBucket")
    destination = {"Bucket": bucket, "StorageClass": "STANDARD"}
    if st.dest_account:
        destination["Account"] = st.dest_account
    if st.owner_override:
        destination["AccessControlTranslation"] = {"Owner": "Destination"}
    replica_key = None if st.replica_key is False else (st.replica_key or (dst_key if st.kms else None))
    if isinstance(replica_key, str) and replica_key in subs:
        replica_key = subs[replica_key]
    if replica_key:
        destination["EncryptionConfiguration"] = {"ReplicaKmsKeyID": replica_key}
    if st.metrics:
        destination["Metrics"] = {"Status": "Enabled", "EventThreshold": {"Minutes": 15}}
    if st.rtc:
        destination["ReplicationTime"] = {"Status": "Enabled", "Time": {"Minutes": 15}}
    f = st.filter
    filt = {"TagFilter": {"Key": f["tag"][0], "Value": f["tag"][1]}} if "tag" in f else {"Prefix": f.get("prefix", "")}
    rule = {"Id": "everything", "Priority": 1, "Status": st.rule_status, "Filter": filt}
    if st.dmr:
        rule["DeleteMarkerReplication"] = {"Status": st.dmr}
    if st.ssc:
        rule["SourceSelectionCriteria"] = {"SseKmsEncryptedObjects": {"Status": st.ssc}}
    rule["Destination"] = destination
    role = ref("ReplicationRole") if st.role_value == "s3-replication" else (st.role_value or get_att("ReplicationRole"))
    props["ReplicationConfiguration"] = {"Role": role, "Rules": [rule]}
    source["SourceBucket"] = {"Type": "AWS::S3::Bucket", "Properties": props}

    # ---- destination bucket
    rprops = {"BucketName": st.dst}
    if st.dst_object_lock:
        rprops["ObjectLockEnabled"] = True
    if st.dst_versioning:
        rprops["VersioningConfiguration"] = {"Status": st.dst_versioning}
    replica["ReplicaBucket"] = {"Type": "AWS::S3::Bucket", "Properties": rprops}

    # ---- role and its policies
    trust = json.loads(generate.doc(st.trust, st.trust_version))
    role_props = {"RoleName": st.role_name, "Path": st.role_path, "AssumeRolePolicyDocument": trust}
    if st.boundary:
        role_props["PermissionsBoundary"] = ref("ReplicationBoundary")
    role_props["Policies"] = [{"PolicyName": "s3-replication", "PolicyDocument": policy(st.role_policy(), subs)}]
    source["ReplicationRole"] = {"Type": "AWS::IAM::Role", "Properties": role_props}
    if st.boundary:
        source["ReplicationBoundary"] = {"Type": "AWS::IAM::ManagedPolicy", "Properties": {
            "ManagedPolicyName": "replication-boundary",
            "PolicyDocument": json.loads(generate.doc(st.boundary))}}
    if st.scp:
        source["Guardrail"] = {"Type": "AWS::Organizations::Policy", "Properties": {
            "Name": "guardrail", "Type": "SERVICE_CONTROL_POLICY",
            "Content": json.loads(generate.doc(st.scp)), "TargetIds": [SRC]}}

    # ---- keys
    if st.kms:
        root_policy = {"Version": "2012-10-17", "Statement": [
            {"Sid": "EnableIamPolicies", "Effect": "Allow", "Principal": {"AWS": own_root},
             "Action": "kms:*", "Resource": "*"}]}
        source["SourceKey"] = {"Type": "AWS::KMS::Key", "Properties": {
            "EnableKeyRotation": True, "KeyPolicy": root_policy}}
        replica["ReplicaKey"] = {"Type": "AWS::KMS::Key", "Properties": {
            "EnableKeyRotation": True, "KeyPolicy": policy(st.key_policy(), dst_subs)}}

    # ---- destination bucket policy
    if st.cross and not st.no_bucket_policy:
        dest["ReplicaBucketPolicy"] = {"Type": "AWS::S3::BucketPolicy", "Properties": {
            "Bucket": ref("ReplicaBucket"), "PolicyDocument": policy(st.bucket_policy(), dst_subs)}}

    out = {"template.yaml": {"AWSTemplateFormatVersion": "2010-09-09",
                             "Description": "Source stack: bucket acme-data-source replicating to acme-data-replica",
                             "Rules": account_rule(SRC), "Resources": source}}
    if st.cross:
        d = {"AWSTemplateFormatVersion": "2010-09-09",
             "Description": f"Destination stack in account {DST}: bucket acme-data-replica",
             "Rules": account_rule(DST), "Resources": dest}
        if st.kms:
            d["Outputs"] = {"ReplicaKeyArn": {"Value": get_att("ReplicaKey"),
                                              "Export": {"Name": "acme-replica-key-arn"}}}
        out["destination.yaml"] = d
    return out


def write(folder, st):
    os.makedirs(folder, exist_ok=True)
    for name in os.listdir(folder):
        if name.endswith(".yaml"):
            os.remove(os.path.join(folder, name))
    for name, template in templates(st).items():
        with open(os.path.join(folder, name), "w") as fh:
            fh.write("\n".join(dump(template)) + "\n")


def main():
    for rule, (bad, good) in generate.bad_good().items():
        if rule in SKIPPED:
            continue
        for side, st in (("bad-cfn", bad), ("good-cfn", good)):
            write(os.path.join(HERE, rule, side), st)


if __name__ == "__main__":
    main()
