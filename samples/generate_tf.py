#!/usr/bin/env python3
"""Writes the Terraform source samples under samples/: `bad-tf/main.tf` and `good-tf/main.tf` per rule.

The setups are the ones `generate.py` builds for the plans (same base, same one change per rule),
written as the Terraform configuration a user would have: one root module with a default provider
(the source account) and an aliased `aws.replica` provider (the destination account and region),
each pinned with `allowed_account_ids`. Resource addresses are those of the plans, so a plan and
its source give the same findings (`tests/tf_plan_parity.rs`). ARNs of resources declared in the
configuration are references (`aws_s3_bucket.replica.arn`); the role policy and the bucket policy
are `aws_iam_policy_document` data sources, the other documents `jsonencode`. Run from the
repository root after editing:

    python3 samples/generate_tf.py

The sources are committed; tests read them, never this script.
"""
import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import generate  # noqa: E402
from generate import SRC, DST  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")


class Expr:
    """An HCL expression written as is (a reference, a function call)."""

    def __init__(self, text):
        self.text = text


class JsonEncode:
    """`jsonencode(value)`: a policy written as an HCL object."""

    def __init__(self, value):
        self.value = value


class Attr:
    def __init__(self, name, value):
        self.name, self.value = name, value


class Block:
    def __init__(self, kind, labels=(), items=()):
        self.kind, self.labels, self.items = kind, list(labels), list(items)


class Blank:
    """An empty line between groups of attributes."""


def render_value(v, indent):
    """An HCL value; `indent` is the indentation of the line the value starts on."""
    pad = "  " * indent
    if isinstance(v, Expr):
        return v.text
    if isinstance(v, JsonEncode):
        return "jsonencode(" + render_value(v.value, indent) + ")"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return str(v)
    if isinstance(v, str):
        return json.dumps(v, ensure_ascii=False)
    if isinstance(v, list):
        if all(not isinstance(x, (dict, list)) for x in v):
            inline = "[" + ", ".join(render_value(x, indent) for x in v) + "]"
            if len(pad) + len(inline) < 90:
                return inline
        inner = "  " * (indent + 1)
        lines = [f"{inner}{render_value(x, indent + 1)}," for x in v]
        return "[\n" + "\n".join(lines) + f"\n{pad}]"
    if isinstance(v, dict):
        if not v:
            return "{}"
        if len(v) == 1 and not isinstance(next(iter(v.values())), (dict, list)):
            (k, x), = v.items()
            return "{ " + (k if IDENT.match(k) else json.dumps(k)) + " = " + render_value(x, indent) + " }"
        inner = "  " * (indent + 1)
        keys = [k if IDENT.match(k) else json.dumps(k) for k in v]
        rendered = [render_value(x, indent + 1) for x in v.values()]
        lines = aligned(keys, rendered, inner)
        return "{\n" + "\n".join(lines) + f"\n{pad}}}"
    raise TypeError(v)


def aligned(keys, values, pad):
    """`key = value` lines with the `=` of consecutive one-line values aligned, as terraform fmt does."""
    lines, group = [], []

    def flush():
        width = max((len(k) for k, _ in group), default=0)
        lines.extend(f"{pad}{k.ljust(width)} = {val}" for k, val in group)
        group.clear()

    for k, val in zip(keys, values):
        group.append((k, val))
        if "\n" in val:
            flush()
    flush()
    return lines


def render_block(b, indent=0):
    pad = "  " * indent
    head = " ".join([b.kind] + [json.dumps(label) for label in b.labels])
    if not b.items:
        return [f"{pad}{head} {{}}"]
    out = [f"{pad}{head} {{"]
    pending = []

    def flush():
        if pending:
            out.extend(aligned([a.name for a in pending],
                               [render_value(a.value, indent + 1) for a in pending], pad + "  "))
            pending.clear()

    previous = None
    for item in b.items:
        if isinstance(item, Attr):
            if isinstance(previous, Block):
                out.append("")
            pending.append(item)
        elif isinstance(item, Blank):
            flush()
            out.append("")
        else:
            flush()
            if previous is not None and not isinstance(previous, Blank):
                out.append("")
            out.extend(render_block(item, indent + 1))
        previous = item
    flush()
    out.append(f"{pad}}}")
    return out


# ---- one setup as a configuration ------------------------------------------------------------
class Config:
    def __init__(self, st):
        self.st = st
        self.refs = {
            f"arn:aws:s3:::{st.src}": "aws_s3_bucket.source.arn",
            f"arn:aws:s3:::{st.dst}": "aws_s3_bucket.replica.arn",
            st.role_arn: "aws_iam_role.replication.arn",
        }
        if st.kms:
            self.refs[st.src_key] = "aws_kms_key.source.arn"
            self.refs[st.dst_key] = "aws_kms_key.replica.arn"
        self.blocks = []

    def ref(self, value):
        """A literal of the plan as the configuration writes it: a reference where it names a resource."""
        if isinstance(value, list):
            return [self.ref(x) for x in value]
        if isinstance(value, dict):
            return {k: self.ref(x) for k, x in value.items()}
        if not isinstance(value, str):
            return value
        if value in self.refs:
            return Expr(self.refs[value])
        for literal, expr in self.refs.items():
            if value.startswith(literal + "/"):
                return "${" + expr + "}" + value[len(literal):]
        return value

    def add(self, kind, labels, items):
        self.blocks.append(Block(kind, labels, items))

    def build(self):
        st = self.st
        replica_provider = [Attr("provider", Expr("aws.replica"))]
        self.add("terraform", [], [Block("required_providers", [], [
            Attr("aws", {"source": "hashicorp/aws", "version": "~> 5.0"})])])
        self.add("provider", ["aws"], [Attr("region", "us-east-1"), Attr("allowed_account_ids", [SRC])])
        self.add("provider", ["aws"], [Attr("alias", "replica"), Attr("region", st.dst_region),
                                       Attr("allowed_account_ids", [st.dst_account])])

        # ---- buckets
        src = [Attr("bucket", st.src)]
        if st.src_object_lock:
            src.append(Attr("object_lock_enabled", True))
        self.add("resource", ["aws_s3_bucket", "source"], src)
        dst = replica_provider + [Blank(), Attr("bucket", st.dst)]
        if st.dst_object_lock:
            dst.append(Attr("object_lock_enabled", True))
        self.add("resource", ["aws_s3_bucket", "replica"], dst)
        if st.src_versioning:
            self.add("resource", ["aws_s3_bucket_versioning", "source"], [
                Attr("bucket", Expr("aws_s3_bucket.source.id")),
                Block("versioning_configuration", [], [Attr("status", st.src_versioning)])])
        if st.dst_versioning:
            self.add("resource", ["aws_s3_bucket_versioning", "replica"], replica_provider + [
                Blank(), Attr("bucket", Expr("aws_s3_bucket.replica.id")),
                Block("versioning_configuration", [], [Attr("status", st.dst_versioning)])])
        if st.src_sse:
            default = [Attr("sse_algorithm", st.src_sse)]
            if st.kms:
                default.append(Attr("kms_master_key_id", Expr("aws_kms_key.source.arn")))
            self.add("resource", ["aws_s3_bucket_server_side_encryption_configuration", "source"], [
                Attr("bucket", Expr("aws_s3_bucket.source.id")),
                Block("rule", [], [Block("apply_server_side_encryption_by_default", [], default),
                                   Attr("bucket_key_enabled", False)])])

        # ---- role
        role = [Attr("name", st.role_name),
                Attr("assume_role_policy", self.document(st.trust, st.trust_version))]
        if st.boundary:
            role.append(Attr("permissions_boundary", Expr("aws_iam_policy.boundary.arn")))
        self.add("resource", ["aws_iam_role", "replication"], role)
        if st.role_policy_raw is not None:
            policy = Expr("<<-EOT\n" + indent_text(pretty(st.role_policy_raw), 2) + "\n  EOT")
        else:
            policy = Expr("data.aws_iam_policy_document.replication.json")
        self.add("resource", ["aws_iam_role_policy", "replication"], [
            Attr("name", "s3-replication"), Attr("role", Expr("aws_iam_role.replication.name")),
            Attr("policy", policy)])
        if st.role_policy_raw is None:
            self.policy_document("replication", json.loads(st.role_policy()), [])
        if st.boundary:
            self.add("resource", ["aws_iam_policy", "boundary"], [
                Attr("name", "replication-boundary"), Attr("policy", self.document(st.boundary))])
        if st.scp:
            self.add("resource", ["aws_organizations_policy", "guardrail"], [
                Attr("name", "guardrail"), Attr("type", "SERVICE_CONTROL_POLICY"),
                Attr("content", self.document(st.scp))])
            self.add("resource", ["aws_organizations_policy_attachment", "guardrail"], [
                Attr("policy_id", Expr("aws_organizations_policy.guardrail.id")), Attr("target_id", SRC)])

        # ---- keys
        if st.kms:
            self.add("resource", ["aws_kms_key", "source"], [
                Attr("description", "Encrypts acme-data-source"), Attr("enable_key_rotation", True)])
            key = replica_provider + [Blank(), Attr("description", "Encrypts the replicas in acme-data-replica"),
                                      Attr("enable_key_rotation", True)]
            key.append(Attr("policy", self.document_text(st.key_policy())))
            self.add("resource", ["aws_kms_key", "replica"], key)
            self.add("data", ["aws_caller_identity", "replica"], replica_provider)

        # ---- destination bucket policy
        if st.cross and not st.no_bucket_policy:
            self.add("resource", ["aws_s3_bucket_policy", "replica"], replica_provider + [
                Blank(), Attr("bucket", Expr("aws_s3_bucket.replica.id")),
                Attr("policy", Expr("data.aws_iam_policy_document.replica_bucket.json"))])
            self.policy_document("replica_bucket", json.loads(st.bucket_policy()), replica_provider)

        # ---- replication configuration
        self.add("resource", ["aws_s3_bucket_replication_configuration", "replication"], self.replication())
        return "\n\n".join("\n".join(render_block(b)) for b in self.blocks) + "\n"

    def replication(self):
        st = self.st
        if st.role_value == "s3-replication":
            role = Expr("aws_iam_role.replication.name")
        elif st.role_value:
            role = self.ref(st.role_value)
        else:
            role = Expr("aws_iam_role.replication.arn")
        if st.dest_value == st.dst:
            bucket = Expr("aws_s3_bucket.replica.id")
        else:
            bucket = self.ref(st.dest_value or f"arn:aws:s3:::{st.dst}")
        destination = [Attr("bucket", bucket), Attr("storage_class", "STANDARD")]
        if st.dest_account:
            destination.append(Attr("account", st.dest_account))
        if st.owner_override:
            destination.append(Block("access_control_translation", [], [Attr("owner", "Destination")]))
        replica_key = None if st.replica_key is False else (st.replica_key or (st.dst_key if st.kms else None))
        if replica_key:
            destination.append(Block("encryption_configuration", [], [
                Attr("replica_kms_key_id", self.ref(replica_key))]))
        if st.metrics:
            destination.append(Block("metrics", [], [Attr("status", "Enabled"),
                                                      Block("event_threshold", [], [Attr("minutes", 15)])]))
        if st.rtc:
            destination.append(Block("replication_time", [], [Attr("status", "Enabled"),
                                                               Block("time", [], [Attr("minutes", 15)])]))
        f = st.filter
        if "tag" in f:
            filt = Block("filter", [], [Block("tag", [], [Attr("key", f["tag"][0]), Attr("value", f["tag"][1])])])
        else:
            filt = Block("filter", [], [Attr("prefix", f.get("prefix", ""))] if f.get("prefix") else [])
        rule = [Attr("id", "everything"), Attr("priority", 1), Attr("status", st.rule_status), filt]
        if st.dmr:
            rule.append(Block("delete_marker_replication", [], [Attr("status", st.dmr)]))
        if st.ssc:
            rule.append(Block("source_selection_criteria", [], [
                Block("sse_kms_encrypted_objects", [], [Attr("status", st.ssc)])]))
        rule.append(Block("destination", [], destination))
        return [Attr("depends_on", Expr("[aws_s3_bucket_versioning.source, aws_s3_bucket_versioning.replica]")),
                Blank(), Attr("bucket", Expr("aws_s3_bucket.source.id")), Attr("role", role),
                Block("rule", [], rule)]

    def document(self, statements, version="2012-10-17"):
        return self.document_text(generate.doc(statements, version))

    def document_text(self, text):
        d = json.loads(text)
        if "Statement" in d:
            d["Statement"] = [self.ref(s) for s in d["Statement"]]
            d["Statement"] = [self.caller_root(s) for s in d["Statement"]]
        return JsonEncode(d)

    def caller_root(self, statement):
        """The destination account's root as the key's own account, read from the replica provider."""
        principal = statement.get("Principal")
        if isinstance(principal, dict) and principal.get("AWS") == f"arn:aws:iam::{self.st.dst_account}:root":
            statement = dict(statement, Principal={
                "AWS": "arn:aws:iam::${data.aws_caller_identity.replica.account_id}:root"})
        return statement

    def policy_document(self, name, doc, provider):
        items = []
        if doc.get("Version") != "2012-10-17":
            items.append(Attr("version", doc.get("Version")))
        for s in doc["Statement"]:
            items.append(self.statement(s))
        self.add("data", ["aws_iam_policy_document", name], items)

    def statement(self, s):
        items = []
        if "Sid" in s:
            items.append(Attr("sid", s["Sid"]))
        if s.get("Effect", "Allow") != "Allow":
            items.append(Attr("effect", s["Effect"]))
        principal = s.get("Principal")
        actions = s["Action"] if isinstance(s["Action"], list) else [s["Action"]]
        items.append(Attr("actions", actions))
        resources = s["Resource"] if isinstance(s["Resource"], list) else [s["Resource"]]
        items.append(Attr("resources", self.ref(resources)))
        if principal == "*":
            items.append(Block("principals", [], [Attr("type", "*"), Attr("identifiers", ["*"])]))
        elif isinstance(principal, dict):
            for kind, ids in principal.items():
                ids = ids if isinstance(ids, list) else [ids]
                items.append(Block("principals", [], [Attr("type", kind), Attr("identifiers", self.ref(ids))]))
        for test, entries in s.get("Condition", {}).items():
            for variable, values in entries.items():
                values = values if isinstance(values, list) else [values]
                items.append(Block("condition", [], [Attr("test", test), Attr("variable", variable),
                                                     Attr("values", self.ref(values))]))
        return Block("statement", [], items)


def pretty(text):
    """A policy as a person would write it in a heredoc: indented, even when it is not valid JSON."""
    try:
        return json.dumps(json.loads(text), indent=2)
    except json.JSONDecodeError:
        # The trailing-comma sample: indent the valid part, keep the mistake.
        head = text[:-len(",]}")]
        body = json.dumps(json.loads(head + "]}"), indent=2)
        return body[: body.rindex("}", 0, body.rindex("]")) + 1] + ",\n  ]\n}"


def indent_text(text, n):
    return "\n".join(" " * n + line for line in text.splitlines())


def write(folder, st, comment):
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "main.tf"), "w") as fh:
        fh.write(comment + "\n\n" + Config(st).build())


def summary(rule):
    """The first line of the rule's documentation."""
    name = rule.replace("-", "_") + ".rs"
    for root, _, files in os.walk(os.path.join(HERE, "..", "src", "rules")):
        if name in files:
            with open(os.path.join(root, name)) as fh:
                for line in fh:
                    if line.strip().startswith("///"):
                        return line.strip()[3:].strip()
    return ""


def main():
    for rule, (bad, good) in generate.bad_good().items():
        write(os.path.join(HERE, rule, "bad-tf"), bad,
              f"# Fails `{rule}`: {summary(rule)}\n# The same setup as a plan: ../bad/plan.json.")
        write(os.path.join(HERE, rule, "good-tf"), good,
              f"# Passes `{rule}`: the setup of ../bad-tf with the mistake fixed.\n"
              "# The same setup as a plan: ../good/plan.json.")


if __name__ == "__main__":
    main()
