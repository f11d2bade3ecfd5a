#!/usr/bin/env python3
"""Writes the sample plans under samples/: one bad and one good per rule, plus scenario folders.

Each sample is a `terraform show -json` plan of one replication setup, derived from a correct
base setup by one change. Run from the repository root after editing:

    python3 samples/generate.py

The plans are committed; tests read them, never this script.
"""
import json
import os

SRC = "111111111111"
DST = "222222222222"
PROVIDER = "registry.terraform.io/hashicorp/aws"
HERE = os.path.dirname(os.path.abspath(__file__))


def doc(statements, version="2012-10-17"):
    d = {"Version": version, "Statement": statements} if version is not None else {"Statement": statements}
    return json.dumps(d, separators=(",", ":"))


class Setup:
    """A replication setup: source bucket, destination bucket, role, policies, configuration."""

    def __init__(self, cross=False, kms=False):
        self.cross = cross
        self.kms = kms
        self.src = "acme-data-source"
        self.dst = "acme-data-replica"
        self.dst_account = DST if cross else SRC
        self.dst_region = "us-west-2"
        self.role_name = "s3-replication"
        self.role_path = "/"
        self.role_arn = f"arn:aws:iam::{SRC}:role/{self.role_name}"
        self.src_versioning = "Enabled"
        self.dst_versioning = "Enabled"
        self.src_object_lock = False
        self.dst_object_lock = False
        self.trust = [{"Effect": "Allow", "Principal": {"Service": "s3.amazonaws.com"}, "Action": "sts:AssumeRole"}]
        self.trust_version = "2012-10-17"
        self.src_bucket_actions = ["s3:GetReplicationConfiguration", "s3:ListBucket"]
        self.src_object_actions = ["s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl",
                                   "s3:GetObjectVersionTagging"]
        self.dst_actions = ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"]
        self.dst_object_resource = f"arn:aws:s3:::{self.dst}/*"
        self.extra_role_statements = []
        self.role_policy_raw = None
        self.boundary = None
        self.scp = None
        self.src_key = f"arn:aws:kms:us-east-1:{SRC}:key/0b6c1b9e-0000-4000-8000-000000000001"
        self.dst_key = f"arn:aws:kms:{self.dst_region}:{self.dst_account}:key/0b6c1b9e-0000-4000-8000-000000000002"
        self.kms_src_actions = ["kms:Decrypt"]
        self.kms_dst_actions = ["kms:Encrypt", "kms:GenerateDataKey"]
        self.dst_key_policy = None  # default: root delegation (+ role when cross-account)
        self.replica_key = None  # default: dst_key when kms; False: none
        self.src_sse = "aws:kms" if kms else None
        self.ssc = "Enabled" if kms else None
        self.dst_bucket_policy = None  # default: generated when cross-account
        self.dst_bucket_policy_version = "2012-10-17"
        self.bucket_policy_principal = None
        self.bucket_policy_actions = ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"]
        self.bucket_policy_resource = f"arn:aws:s3:::{self.dst}/*"
        self.extra_bucket_policy_statements = []
        self.no_bucket_policy = False
        self.rule_status = "Enabled"
        self.dmr = "Enabled"
        self.filter = {"prefix": ""}
        self.owner_override = False
        self.dest_account = DST if cross else None
        self.rtc = False
        self.metrics = False
        self.role_value = None  # default: role ARN
        self.dest_value = None  # default: destination bucket ARN

    # ---- building the plan -------------------------------------------------------------
    def role_policy(self):
        if self.role_policy_raw is not None:
            return self.role_policy_raw
        statements = [
            {"Sid": "SourceBucket", "Effect": "Allow", "Action": self.src_bucket_actions,
             "Resource": f"arn:aws:s3:::{self.src}"},
            {"Sid": "SourceObjects", "Effect": "Allow", "Action": self.src_object_actions,
             "Resource": f"arn:aws:s3:::{self.src}/*"},
            {"Sid": "DestinationObjects", "Effect": "Allow", "Action": self.dst_actions,
             "Resource": self.dst_object_resource},
        ]
        if self.kms:
            if self.kms_src_actions:
                statements.append({"Sid": "SourceKey", "Effect": "Allow", "Action": self.kms_src_actions,
                                   "Resource": self.src_key})
            if self.kms_dst_actions:
                statements.append({"Sid": "ReplicaKey", "Effect": "Allow", "Action": self.kms_dst_actions,
                                   "Resource": self.dst_key})
        statements += self.extra_role_statements
        return doc([s for s in statements if s["Action"]])

    def bucket_policy(self):
        if self.dst_bucket_policy is not None:
            return self.dst_bucket_policy
        principal = self.bucket_policy_principal or {"AWS": self.role_arn}
        statements = [{"Sid": "ReplicationObjects", "Effect": "Allow", "Principal": principal,
                       "Action": self.bucket_policy_actions, "Resource": self.bucket_policy_resource}]
        statements += self.extra_bucket_policy_statements
        return doc(statements, self.dst_bucket_policy_version)

    def key_policy(self):
        if self.dst_key_policy is not None:
            return self.dst_key_policy
        statements = [{"Sid": "EnableIamPolicies", "Effect": "Allow",
                       "Principal": {"AWS": f"arn:aws:iam::{self.dst_account}:root"},
                       "Action": "kms:*", "Resource": "*"}]
        if self.cross:
            statements.append({"Sid": "ReplicationRole", "Effect": "Allow", "Principal": {"AWS": self.role_arn},
                               "Action": ["kms:Encrypt", "kms:GenerateDataKey"], "Resource": "*"})
        return doc(statements)

    def plan(self):
        p = Plan(self.cross)
        dst_provider = "aws.replica"
        p.add("aws_s3_bucket", "source", {"bucket": self.src, "arn": f"arn:aws:s3:::{self.src}",
                                          "object_lock_enabled": self.src_object_lock, "force_destroy": False})
        p.add("aws_s3_bucket", "replica", {"bucket": self.dst, "arn": f"arn:aws:s3:::{self.dst}",
                                           "object_lock_enabled": self.dst_object_lock, "force_destroy": False},
              provider=dst_provider)
        if self.src_versioning:
            p.add("aws_s3_bucket_versioning", "source",
                  {"bucket": self.src, "versioning_configuration": [{"status": self.src_versioning}]},
                  refs={"bucket": ["aws_s3_bucket.source.id", "aws_s3_bucket.source"]})
        if self.dst_versioning:
            p.add("aws_s3_bucket_versioning", "replica",
                  {"bucket": self.dst, "versioning_configuration": [{"status": self.dst_versioning}]},
                  refs={"bucket": ["aws_s3_bucket.replica.id", "aws_s3_bucket.replica"]}, provider=dst_provider)
        if self.src_sse:
            rule = {"sse_algorithm": self.src_sse}
            if self.kms:
                rule["kms_master_key_id"] = self.src_key
            p.add("aws_s3_bucket_server_side_encryption_configuration", "source",
                  {"bucket": self.src, "rule": [{"apply_server_side_encryption_by_default": [rule],
                                                  "bucket_key_enabled": False}]},
                  refs={"bucket": ["aws_s3_bucket.source.id", "aws_s3_bucket.source"]})
        p.add("aws_iam_role", "replication", {
            "name": self.role_name, "path": self.role_path, "arn": self.role_arn,
            "assume_role_policy": doc(self.trust, self.trust_version),
            "permissions_boundary": self.boundary and f"arn:aws:iam::{SRC}:policy/replication-boundary",
        }, refs={"permissions_boundary": ["aws_iam_policy.boundary.arn", "aws_iam_policy.boundary"]} if self.boundary else None)
        p.add("aws_iam_role_policy", "replication", {"name": "s3-replication", "role": self.role_name,
                                                     "policy": self.role_policy()},
              refs={"role": ["aws_iam_role.replication.name", "aws_iam_role.replication"]})
        if self.boundary:
            p.add("aws_iam_policy", "boundary", {"name": "replication-boundary",
                                                 "arn": f"arn:aws:iam::{SRC}:policy/replication-boundary",
                                                 "policy": doc(self.boundary)})
        if self.scp:
            p.add("aws_organizations_policy", "guardrail", {"name": "guardrail", "type": "SERVICE_CONTROL_POLICY",
                                                            "id": "p-guardrail1", "content": doc(self.scp)})
            p.add("aws_organizations_policy_attachment", "guardrail", {"policy_id": "p-guardrail1", "target_id": SRC},
                  refs={"policy_id": ["aws_organizations_policy.guardrail.id", "aws_organizations_policy.guardrail"]})
        if self.kms:
            p.add("aws_kms_key", "source", {"arn": self.src_key, "key_id": self.src_key.rsplit("/", 1)[1],
                                            "enable_key_rotation": True})
            p.add("aws_kms_key", "replica", {"arn": self.dst_key, "key_id": self.dst_key.rsplit("/", 1)[1],
                                             "policy": self.key_policy()}, provider=dst_provider)
        if self.cross and not self.no_bucket_policy:
            p.add("aws_s3_bucket_policy", "replica", {"bucket": self.dst, "policy": self.bucket_policy()},
                  refs={"bucket": ["aws_s3_bucket.replica.id", "aws_s3_bucket.replica"]}, provider=dst_provider)
        destination = {"bucket": self.dest_value or f"arn:aws:s3:::{self.dst}", "storage_class": "STANDARD"}
        if self.dest_account:
            destination["account"] = self.dest_account
        if self.owner_override:
            destination["access_control_translation"] = [{"owner": "Destination"}]
        if self.replica_key is False:
            replica_key = None
        else:
            replica_key = self.replica_key or (self.dst_key if self.kms else None)
        if replica_key:
            destination["encryption_configuration"] = [{"replica_kms_key_id": replica_key}]
        if self.metrics:
            destination["metrics"] = [{"status": "Enabled", "event_threshold": [{"minutes": 15}]}]
        if self.rtc:
            destination["replication_time"] = [{"status": "Enabled", "time": [{"minutes": 15}]}]
        rule = {"id": "everything", "priority": 1, "status": self.rule_status,
                "filter": [self.filter_block()], "destination": [destination]}
        if self.dmr:
            rule["delete_marker_replication"] = [{"status": self.dmr}]
        if self.ssc:
            rule["source_selection_criteria"] = [{"sse_kms_encrypted_objects": [{"status": self.ssc}]}]
        p.add("aws_s3_bucket_replication_configuration", "replication",
              {"bucket": self.src, "role": self.role_value or self.role_arn, "rule": [rule]},
              refs={"bucket": ["aws_s3_bucket.source.id", "aws_s3_bucket.source"],
                    **({} if self.role_value else {"role": ["aws_iam_role.replication.arn", "aws_iam_role.replication"]})},
              depends_on=["aws_s3_bucket_versioning.source", "aws_s3_bucket_versioning.replica"])
        return p.to_json()

    def filter_block(self):
        f = self.filter
        if "tag" in f:
            return {"tag": [{"key": f["tag"][0], "value": f["tag"][1]}]}
        return {"prefix": f.get("prefix", "")}


class Plan:
    def __init__(self, cross):
        self.cross = cross
        self.planned, self.changes, self.config = [], [], []

    def add(self, rtype, name, values, refs=None, provider="aws", depends_on=None):
        values = {k: v for k, v in values.items() if v is not None}
        address = f"{rtype}.{name}"
        self.planned.append({"address": address, "mode": "managed", "type": rtype, "name": name,
                             "provider_name": PROVIDER, "schema_version": 0, "values": values,
                             "sensitive_values": {}})
        self.changes.append({"address": address, "mode": "managed", "type": rtype, "name": name,
                             "provider_name": PROVIDER,
                             "change": {"actions": ["create"], "before": None, "after": values,
                                        "after_unknown": {} if "id" in values else {"id": True}, "before_sensitive": False,
                                        "after_sensitive": {}}})
        expressions = {}
        for key, value in values.items():
            if refs and key in refs:
                expressions[key] = {"references": refs[key]}
            elif key not in ("arn", "id", "key_id"):
                expressions[key] = expression(value)
        entry = {"address": address, "mode": "managed", "type": rtype, "name": name,
                 "provider_config_key": provider, "expressions": expressions, "schema_version": 0}
        if depends_on:
            entry["depends_on"] = depends_on
        self.config.append(entry)

    def to_json(self):
        replica_account = DST if self.cross else SRC
        return {
            "format_version": "1.2",
            "terraform_version": "1.9.5",
            "planned_values": {"root_module": {"resources": self.planned}},
            "resource_changes": self.changes,
            "configuration": {
                "provider_config": {
                    "aws": {"name": "aws", "full_name": PROVIDER, "expressions": {
                        "region": {"constant_value": "us-east-1"},
                        "allowed_account_ids": {"constant_value": [SRC]}}},
                    "aws.replica": {"name": "aws", "full_name": PROVIDER, "alias": "replica", "expressions": {
                        "region": {"constant_value": "us-west-2"},
                        "allowed_account_ids": {"constant_value": [replica_account]}}},
                },
                "root_module": {"resources": self.config},
            },
        }


def expression(value):
    if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        return [{k: expression(v) for k, v in block.items()} for block in value]
    return {"constant_value": value}


def write(folder, setup):
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "plan.json"), "w") as f:
        json.dump(setup.plan(), f, indent=2)
        f.write("\n")


# ---- one bad and one good setup per rule ----------------------------------------------------
def s(cross=False, kms=False, **changes):
    setup = Setup(cross=cross, kms=kms)
    for k, v in changes.items():
        setattr(setup, k, v)
    return setup


def bad_good():
    cases = {}

    def case(rule, bad, good=None):
        cases[rule] = (bad, good or s(cross=bad.cross, kms=bad.kms))

    trailing_comma = doc([{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}])[:-2] + ",]}"
    case("pol-json-invalid", s(role_policy_raw=trailing_comma))
    case("pol-version-invalid", s(trust_version="2012\u201310\u201317"))
    case("pol-object-arn-no-wildcard", s(dst_object_resource="arn:aws:s3:::acme-data-replica/"))
    case("pol-resource-policy-principal-missing",
         s(cross=True, dst_bucket_policy=doc([{"Sid": "ReplicateDelete", "Effect": "Allow",
                                              "Action": ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"],
                                              "Resource": "arn:aws:s3:::acme-data-replica/*"}])))
    case("ver-src-not-enabled", s(src_versioning=None))
    case("ver-dst-not-enabled", s(dst_versioning="Suspended"))
    case("rc-role-not-role-arn", s(role_value="s3-replication"))
    case("rc-dest-not-bucket-arn", s(dest_value="acme-data-replica"))
    case("rc-dest-is-source", s(dest_value="arn:aws:s3:::acme-data-source"))
    case("rc-rule-disabled", s(rule_status="Disabled"))
    case("trust-missing-s3-principal",
         s(trust=[{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]))
    case("trust-wrong-principal-form",
         s(trust=[{"Effect": "Allow", "Principal": {"Service": "s3.us-east-1.amazonaws.com"}, "Action": "sts:AssumeRole"}]))
    case("srcp-bucket-level", s(src_bucket_actions=["s3:GetReplicationConfiguration"]))
    case("srcp-object-read", s(src_object_actions=["s3:GetObjectVersionAcl", "s3:GetObjectVersionTagging"]))
    case("srcp-getobjectversion-substitute",
         s(src_object_actions=["s3:GetObjectVersion", "s3:GetObjectVersionAcl", "s3:GetObjectVersionTagging"]))
    case("srcp-tagging", s(src_object_actions=["s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl"]))
    case("dstp-replicate-object", s(dst_actions=["s3:ReplicateDelete", "s3:ReplicateTags"]))
    case("dstp-replicate-delete", s(dst_actions=["s3:ReplicateObject", "s3:ReplicateTags"]))
    case("dstp-replicate-tags", s(dst_actions=["s3:ReplicateObject", "s3:ReplicateDelete"]))
    case("dstp-owner-override", s(cross=True, owner_override=True,
                                  bucket_policy_actions=["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags",
                                                         "s3:ObjectOwnerOverrideToBucketOwner"]),
         s(cross=True, owner_override=True,
           dst_actions=["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags",
                        "s3:ObjectOwnerOverrideToBucketOwner"],
           bucket_policy_actions=["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags",
                                  "s3:ObjectOwnerOverrideToBucketOwner"]))
    case("xdst-policy-missing", s(cross=True, no_bucket_policy=True))
    case("xdst-replicate-object", s(cross=True, bucket_policy_actions=["s3:ReplicateDelete", "s3:ReplicateTags"]))
    case("xdst-replicate-delete", s(cross=True, bucket_policy_actions=["s3:ReplicateObject", "s3:ReplicateTags"]))
    case("xdst-replicate-tags", s(cross=True, bucket_policy_actions=["s3:ReplicateObject", "s3:ReplicateDelete"]))
    case("xdst-owner-override", s(cross=True, owner_override=True,
                                  dst_actions=["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags",
                                               "s3:ObjectOwnerOverrideToBucketOwner"]),
         s(cross=True, owner_override=True,
           dst_actions=["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags",
                        "s3:ObjectOwnerOverrideToBucketOwner"],
           bucket_policy_actions=["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags",
                                  "s3:ObjectOwnerOverrideToBucketOwner"]))
    case("xdst-principal-form", s(cross=True, bucket_policy_principal={"Service": "s3.amazonaws.com"}))
    case("xdst-object-resource", s(cross=True, bucket_policy_resource="arn:aws:s3:::acme-data-replica/"))
    case("own-act-needs-account", s(owner_override=True, dest_account=None,
                                    dst_actions=["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags",
                                                 "s3:ObjectOwnerOverrideToBucketOwner"]),
         # Cross-account: an owner override between buckets of one account is own-act-same-account.
         s(cross=True, owner_override=True,
           dst_actions=["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags",
                        "s3:ObjectOwnerOverrideToBucketOwner"],
           bucket_policy_actions=["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags",
                                  "s3:ObjectOwnerOverrideToBucketOwner"]))
    case("del-tag-filter", s(filter={"tag": ["replicate", "true"]}), s(filter={"tag": ["replicate", "true"]}, dmr="Disabled"))
    case("kms-opt-in-missing", s(kms=True, ssc=None, replica_key=False), s(kms=True))
    case("kms-replica-key-missing", s(kms=True, replica_key=False))
    case("kms-aws-managed-xacct", s(cross=True, kms=True, replica_key="alias/aws/s3"))
    case("kms-src-decrypt", s(kms=True, kms_src_actions=[]))
    case("kms-dst-encrypt", s(kms=True, kms_dst_actions=["kms:GenerateDataKey"]))
    case("kms-dst-generatedatakey", s(kms=True, kms_dst_actions=["kms:Encrypt"]))
    case("kms-key-policy-no-path",
         s(kms=True, dst_key_policy=doc([{"Sid": "Admins", "Effect": "Allow",
                                         "Principal": {"AWS": f"arn:aws:iam::{SRC}:role/key-admin"},
                                         "Action": "kms:*", "Resource": "*"}])))
    case("kms-xacct-both-sides",
         s(cross=True, kms=True, dst_key_policy=doc([{"Sid": "EnableIamPolicies", "Effect": "Allow",
                                                      "Principal": {"AWS": f"arn:aws:iam::{DST}:root"},
                                                      "Action": "kms:*", "Resource": "*"}])))
    # Replicas of locked objects carry retention and legal holds (ol-destination-put-perms).
    LOCKED_DST_ACTIONS = ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags",
                          "s3:PutObjectRetention", "s3:PutObjectLegalHold"]
    case("ol-destination-not-enabled", s(src_object_lock=True, src_object_actions=[
        "s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl", "s3:GetObjectVersionTagging",
        "s3:GetObjectRetention", "s3:GetObjectLegalHold"]),
         s(src_object_lock=True, dst_object_lock=True, src_object_actions=[
             "s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl", "s3:GetObjectVersionTagging",
             "s3:GetObjectRetention", "s3:GetObjectLegalHold"], dst_actions=LOCKED_DST_ACTIONS))
    case("ol-source-read-perms", s(src_object_lock=True, dst_object_lock=True),
         s(src_object_lock=True, dst_object_lock=True, src_object_actions=[
             "s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl", "s3:GetObjectVersionTagging",
             "s3:GetObjectRetention", "s3:GetObjectLegalHold"], dst_actions=LOCKED_DST_ACTIONS))
    case("rtc-requires-metrics", s(rtc=True), s(rtc=True, metrics=True))
    case("deny-replication-actions",
         s(cross=True, extra_bucket_policy_statements=[{"Sid": "NoReplication", "Effect": "Deny", "Principal": "*",
                                                        "Action": "s3:Replicate*",
                                                        "Resource": "arn:aws:s3:::acme-data-replica/*"}]))
    case("deny-network-origin",
         s(cross=True, extra_bucket_policy_statements=[{"Sid": "OfficeOnly", "Effect": "Deny", "Principal": "*",
                                                        "Action": "s3:*",
                                                        "Resource": ["arn:aws:s3:::acme-data-replica",
                                                                     "arn:aws:s3:::acme-data-replica/*"],
                                                        "Condition": {"NotIpAddress": {"aws:SourceIp": "203.0.113.0/24"}}}]),
         s(cross=True, extra_bucket_policy_statements=[{"Sid": "OfficeOnly", "Effect": "Deny", "Principal": "*",
                                                        "Action": "s3:*",
                                                        "Resource": ["arn:aws:s3:::acme-data-replica",
                                                                     "arn:aws:s3:::acme-data-replica/*"],
                                                        "Condition": {"NotIpAddress": {"aws:SourceIp": "203.0.113.0/24"},
                                                                      "ArnNotEquals": {"aws:PrincipalArn": f"arn:aws:iam::{SRC}:role/s3-replication"}}}]))
    case("deny-permissions-boundary",
         s(boundary=[{"Effect": "Allow", "Action": ["s3:Get*", "s3:List*"], "Resource": "*"}]),
         s(boundary=[{"Effect": "Allow", "Action": ["s3:Get*", "s3:List*", "s3:Replicate*"], "Resource": "*"}]))
    case("deny-scp",
         s(scp=[{"Effect": "Allow", "Action": "*", "Resource": "*"},
                {"Effect": "Deny", "Action": "s3:ReplicateObject", "Resource": "*"}]),
         s(scp=[{"Effect": "Allow", "Action": "*", "Resource": "*"},
                {"Effect": "Deny", "Action": "s3:DeleteBucket", "Resource": "*"}]))
    return cases


def scenarios():
    return {
        "same-account": s(),
        "cross-account": s(cross=True, no_bucket_policy=True),
        "cross-region-sse-kms": s(kms=True, kms_src_actions=[], ssc=None),
        "object-lock": s(src_object_lock=True),
        "delete-markers": s(filter={"tag": ["replicate", "true"]}, dst_actions=["s3:ReplicateObject", "s3:ReplicateTags"]),
        "owner-override": s(cross=True, owner_override=True, dest_account=None),
    }


def main():
    for rule, (bad, good) in bad_good().items():
        for side, setup in (("bad", bad), ("good", good)):
            write(os.path.join(HERE, rule, side), setup)
    for name, setup in scenarios().items():
        write(os.path.join(HERE, "scenarios", name), setup)


if __name__ == "__main__":
    main()
