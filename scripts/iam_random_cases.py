#!/usr/bin/env python3
"""Deterministic random IAM authorization cases for differential testing.

    scripts/iam_random_cases.py --seed 1 --count 3000 --out /tmp/cases.json

Writes a JSON list in the format of tests/data/iam-cases.json. Each case carries "tags": the
categories of known oracle disagreements it touches (see iam-semantics.md), which the
differential script whitelists:
  v2008-variables   a 2008-10-17 policy contains ${...} (the oracle substitutes anyway)
  kms-context       a condition on kms:EncryptionContext:* (the oracle does not match these keys)
  owner-omitted     no resource_owner (the harness assumes the principal's account)
"""
import argparse
import fnmatch
import json
import os
import random

HERE = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(HERE, "..", "data", "iam_catalogue.json"), encoding="utf-8") as _f:
    _CATALOGUE = json.load(_f)["services"]


def supports_key(action, key):
    """Whether a request for `action` can carry condition key `key`: AWS (and the oracle) only
    put service keys into the context of actions that support them, global keys always."""
    if key.lower().startswith("aws:"):
        return True
    svc, name = action.split(":", 1)
    info = _CATALOGUE.get(svc, {}).get("actions", {}).get(name)
    if info is None:
        return False
    keys = set(info["conditions"])
    for k in keys:
        pattern = k
        while "${" in pattern and "}" in pattern[pattern.index("${"):]:
            i = pattern.index("${")
            j = pattern.index("}", i)
            pattern = pattern[:i] + "*" + pattern[j + 1:]
        if fnmatch.fnmatchcase(key.lower(), pattern.lower()):
            return True
    return False

ACCOUNTS = ["111111111111", "222222222222"]
ROLES = ["s3-repl-role", "team/s3-repl-role", "other"]
ACTIONS = [
    "s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags", "s3:GetObjectVersionForReplication",
    "s3:ListBucket", "s3:GetReplicationConfiguration", "kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey",
]
ACTION_PATTERNS = [
    "*", "s3:*", "s3:Replicate*", "s3:ReplicateObject", "S3:REPLICATEOBJECT", "s3:Replicat?Object", "s3:*Object*",
    "s3:Get*", "s3:List*", "kms:*", "kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey*", "iam:*", "s3:ReplicateTags",
]
KEY = "arn:aws:kms:us-east-1:{acct}:key/1234abcd-12ab-34cd-56ef-1234567890ab"
CONTEXT_KEYS = {
    "aws:SourceIp": ["10.1.2.3", "192.168.1.1", "2001:db8::5"],
    "s3:x-amz-server-side-encryption": ["AES256", "aws:kms", "none"],
    "kms:ViaService": ["s3.us-east-1.amazonaws.com", "s3.us-west-2.amazonaws.com"],
    "kms:CallerAccount": ACCOUNTS,
    "s3:max-keys": ["5", "50"],
    "aws:TagKeys": [["a"], ["a", "b"], ["c"], []],
    "aws:SecureTransport": ["true", "false"],
    "kms:EncryptionContext:aws:s3:arn": ["arn:aws:s3:::dest-bucket/k", "arn:aws:s3:::other/k"],
}


def resource_patterns(r, acct):
    return [
        "*", "arn:aws:s3:::dest-bucket/*", "arn:aws:s3:::dest-bucket", "arn:aws:s3:::dest-bucket*",
        "arn:aws:s3:::Dest-Bucket/*", "arn:aws:s3:::other-bucket/*", "arn:aws:s3:::dest-bucket/photos/*",
        "arn:aws:s3:::dest-bucket/${aws:PrincipalAccount}/*", "arn:aws:s3:::dest-bucket/?hotos/*",
        "arn:aws:s3:::dest-bucket/${aws:username}/*", "arn:aws:s3:::dest-bucket/${aws:username, 'photos'}/*",
        "arn:aws:s3:::dest-bucket${*}", "arn:aws:s3:::dest-bucket/${?}hotos/*",
        KEY.format(acct=acct), "arn:aws:kms:*:*:key/*", "arn:aws:kms:us-east-1:" + acct + ":key/*",
    ]


def condition(r):
    ops = [
        ("StringEquals", "s3:x-amz-server-side-encryption", ["AES256", "aws:kms"]),
        ("StringNotEquals", "s3:x-amz-server-side-encryption", ["AES256", "aws:kms"]),
        ("StringEqualsIfExists", "s3:x-amz-server-side-encryption", "aws:kms"),
        ("StringEquals", "KMS:VIASERVICE", "s3.us-east-1.amazonaws.com"),
        ("StringLike", "kms:ViaService", "s3.*.amazonaws.com"),
        ("StringEquals", "aws:PrincipalAccount", r.choice(ACCOUNTS)),
        ("StringEquals", "kms:CallerAccount", r.choice(ACCOUNTS)),
        ("ArnLike", "aws:PrincipalArn", "arn:aws:iam::*:role/s3-repl-*"),
        ("ArnEquals", "aws:PrincipalArn", "arn:aws:iam::111111111111:role/s3-repl-role"),
        ("ArnNotLike", "aws:PrincipalArn", "arn:aws:iam::222222222222:role/*"),
        ("IpAddress", "aws:SourceIp", "10.0.0.0/8"),
        ("NotIpAddress", "aws:SourceIp", ["10.0.0.0/8", "2001:db8::/32"]),
        ("Bool", "aws:SecureTransport", r.choice([False, "false", True])),
        ("NumericLessThanIfExists", "s3:max-keys", "10"),
        ("Null", "s3:x-amz-server-side-encryption", r.choice(["true", "false"])),
        ("ForAnyValue:StringEquals", "aws:TagKeys", ["a"]),
        ("ForAllValues:StringEquals", "aws:TagKeys", ["a", "b"]),
        ("DateLessThan", "aws:CurrentTime", "2020-01-01T00:00:00Z"),
        ("DateGreaterThan", "aws:CurrentTime", "2020-01-01T00:00:00Z"),
        ("StringLike", "kms:EncryptionContext:aws:s3:arn", "arn:aws:s3:::dest-bucket/*"),
        ("StringNotEqualsIfExists", "aws:SourceVpce", "vpce-1"),
        ("StringEqualsIgnoreCase", "s3:x-amz-server-side-encryption", "AWS:KMS"),
        ("StringNotEqualsIgnoreCase", "s3:x-amz-server-side-encryption", ["aes256"]),
        ("StringLike", "aws:PrincipalArn", "arn:aws:iam::1111111111??:role/*"),
        ("StringLike", "aws:userid", "${aws:userid}"),
        ("StringEquals", "aws:PrincipalAccount", "${aws:PrincipalAccount}"),
        ("StringEquals", "aws:PrincipalAccount", "${aws:nonexistent, '111111111111'}"),
        ("StringLike", "aws:PrincipalArn", "arn:aws:iam::${aws:PrincipalAccount}:role/*"),
        ("ForAllValues:StringNotEquals", "aws:TagKeys", ["c"]),
        ("ForAnyValue:StringNotLike", "aws:TagKeys", ["a*"]),
        ("ForAnyValue:StringEqualsIfExists", "aws:TagKeys", ["b"]),
        ("DateGreaterThan", "aws:EpochTime", "1577836800"),
        ("DateLessThanEquals", "aws:CurrentTime", "2999-01-01"),
        ("NumericGreaterThanEquals", "s3:max-keys", ["5", "100"]),
        ("NumericNotEquals", "s3:max-keys", "5"),
        ("ArnNotEquals", "aws:PrincipalArn", ["arn:aws:iam::111111111111:role/other", "arn:aws:iam::222222222222:role/other"]),
        ("BoolIfExists", "aws:SecureTransport", "false"),
        ("IpAddress", "aws:SourceIp", "2001:db8::/32"),
        ("NotIpAddressIfExists", "aws:SourceIp", "192.168.0.0/16"),
        ("Null", "aws:TagKeys", "false"),
    ]
    op, key, value = r.choice(ops)
    return {op: {key: value}}


SESSION = False  # set by --session: callers are sessions and principals may name the session ARN


def session_arn(acct, role_name):
    return "arn:aws:sts::%s:assumed-role/%s/oracle-session" % (acct, role_name.split("/")[-1])


def statement(r, effect, acct, with_principal, principal_acct, role_name):
    s = {"Effect": effect}
    if r.random() < 0.2:
        s["Sid"] = "S%d" % r.randrange(100)
    acts = r.sample(ACTION_PATTERNS, r.randint(1, 3))
    s["NotAction" if r.random() < 0.12 else "Action"] = acts if len(acts) > 1 or r.random() < 0.5 else acts[0]
    res = r.sample(resource_patterns(r, acct), r.randint(1, 2))
    s["NotResource" if r.random() < 0.1 else "Resource"] = res if len(res) > 1 else res[0]
    if with_principal:
        role_arn = "arn:aws:iam::%s:role/%s" % (principal_acct, role_name)
        forms = [
            "*", {"AWS": "*"}, {"AWS": principal_acct}, {"AWS": "arn:aws:iam::%s:root" % principal_acct},
            {"AWS": "arn:aws:iam::%s:root" % r.choice(ACCOUNTS)}, {"AWS": role_arn},
            {"AWS": "arn:aws:iam::%s:role/other" % principal_acct}, {"Service": "s3.amazonaws.com"},
            {"AWS": [role_arn, "arn:aws:iam::%s:root" % principal_acct]},
        ]
        if SESSION:
            forms += [{"AWS": session_arn(principal_acct, role_name)},
                      {"AWS": [session_arn(principal_acct, role_name), role_arn]},
                      {"AWS": session_arn(principal_acct, "other")}]
        p = r.choice(forms)
        if effect == "Deny" and r.random() < 0.25 and p != "*":
            s["NotPrincipal"] = p
        else:
            s["Principal"] = p
    if r.random() < 0.35:
        s["Condition"] = condition(r)
        if r.random() < 0.2:
            s["Condition"].update(condition(r))
    return s


def policy(r, acct, n, with_principal=False, principal_acct=None, role_name=None, deny_rate=0.2):
    version = "2008-10-17" if r.random() < 0.05 else "2012-10-17"
    sts = [
        statement(r, "Deny" if r.random() < deny_rate else "Allow", acct, with_principal, principal_acct, role_name)
        for _ in range(n)
    ]
    return {"Version": version, "Statement": sts}


def case(r, i):
    pacct = r.choice(ACCOUNTS)
    role_name = r.choice(ROLES)
    owner = r.choice(ACCOUNTS)
    action = r.choice(ACTIONS)
    if action.startswith("kms:"):
        resource = KEY.format(acct=owner)
    elif action in ("s3:ListBucket", "s3:GetReplicationConfiguration"):
        resource = "arn:aws:s3:::" + r.choice(["dest-bucket", "dest-bucket-2", "other-bucket"])
    else:
        resource = "arn:aws:s3:::" + r.choice(["dest-bucket/photos/cat.jpg", "dest-bucket/222222222222/k", "dest-bucket-2/k", "other-bucket/k"])
    c = {
        "name": "rand-%05d" % i,
        "principal_arn": "arn:aws:iam::%s:role/%s" % (pacct, role_name),
        "identity_policies": [policy(r, owner, r.randint(1, 3)) for _ in range(r.choice([0, 1, 1, 1, 2]))],
        "action": action,
        "resource": resource,
    }
    # Bias towards requests that some statement grants, so that allow paths get exercised.
    def helpful(with_principal):
        st = {"Effect": "Allow",
              "Action": r.choice([action, action.split(":")[0] + ":*", "*", action.upper()]),
              "Resource": r.choice([resource, "*", resource.rsplit("/", 1)[0] + "/*" if "/" in resource[13:] else resource + "*"])}
        if with_principal:
            role_arn = "arn:aws:iam::%s:role/%s" % (pacct, role_name)
            st["Principal"] = r.choice(["*", {"AWS": role_arn}, {"AWS": pacct}, {"AWS": "arn:aws:iam::%s:root" % pacct}]
                                       + ([{"AWS": session_arn(pacct, role_name)}] if SESSION else []))
        if r.random() < 0.3:
            st["Condition"] = condition(r)
        return st
    if r.random() < 0.5:
        if not c["identity_policies"]:
            c["identity_policies"].append({"Version": "2012-10-17", "Statement": []})
        c["identity_policies"][0]["Statement"].append(helpful(False))
    if SESSION:
        c["session_name"] = "oracle-session"
    if r.random() < 0.97:
        c["resource_owner"] = owner
    if r.random() < 0.8:
        c["resource_policy"] = policy(r, owner, r.randint(0, 3), True, pacct, role_name)
        if r.random() < 0.5:
            c["resource_policy"]["Statement"].append(helpful(True))
    if r.random() < 0.2:
        c["permissions_boundary"] = {"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": r.choice(["s3:*", "s3:Get*", "*", "kms:*", "sts:GetCallerIdentity"]), "Resource": "*"}]}
    if r.random() < 0.2:
        c["scps"] = [[{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}]
                     for _ in range(r.randint(1, 2))]
        if r.random() < 0.5:
            c["scps"][-1].append(policy(r, owner, 1, deny_rate=0.6))
    ctx = {}
    for k, vals in CONTEXT_KEYS.items():
        if r.random() < 0.3 and supports_key(action, k):
            ctx[k] = r.choice(vals)
    if ctx:
        c["context"] = ctx
    text = json.dumps(c)
    tags = []
    docs = c["identity_policies"] + [c.get("resource_policy") or {}, c.get("permissions_boundary") or {}]
    docs += [p for level in c.get("scps", []) for p in level]
    if any(d.get("Version") == "2008-10-17" and "${" in json.dumps(d) for d in docs):
        tags.append("v2008-variables")
    if "kms:EncryptionContext:" in text:
        tags.append("kms-context")
    if "resource_owner" not in c:
        tags.append("owner-omitted")
    c["tags"] = tags
    return c


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--count", type=int, default=3000)
    ap.add_argument("--out", required=True)
    ap.add_argument("--session", action="store_true", help="call as the role session (oracle --session)")
    a = ap.parse_args()
    global SESSION
    SESSION = a.session
    r = random.Random(a.seed)
    cases = [case(r, i) for i in range(a.count)]
    with open(a.out, "w") as f:
        json.dump(cases, f)
    with open(a.out + "l", "w") as f:
        for c in cases:
            f.write(json.dumps(c) + "\n")


if __name__ == "__main__":
    main()
