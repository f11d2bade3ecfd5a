//! Random inputs never panic the parser, the policy reader or the evaluator.

use proptest::prelude::*;
use repl_lint::iam::{
    Policy, PolicyContext, PolicyKind, Principal, Request, RequestContext, ResourceKind, Slot,
    Unknowable, atom, evaluate, matching,
};
use repl_lint::source::FileId;
use repl_lint::syntax::json;

const TOKENS: &[&str] = &[
    "{",
    "}",
    "[",
    "]",
    "\"",
    ":",
    ",",
    " ",
    "\\",
    "\\u",
    "\\ud800",
    "0",
    "-",
    "1e5",
    ".",
    "true",
    "null",
    "fals",
    "\"Version\"",
    "\"2012-10-17\"",
    "\"Statement\"",
    "\"Effect\"",
    "\"Allow\"",
    "\"Deny\"",
    "\"Action\"",
    "\"NotAction\"",
    "\"Resource\"",
    "\"NotResource\"",
    "\"Principal\"",
    "\"NotPrincipal\"",
    "\"AWS\"",
    "\"Condition\"",
    "\"StringLike\"",
    "\"ForAllValues:StringEquals\"",
    "\"*\"",
    "\"s3:*\"",
    "${",
    "}",
    "\u{201C}",
    "\u{FEFF}",
    "\u{E000}",
    "\u{E001}",
    "\u{E002}x\u{E003}",
    "é",
    "\t",
    "\n",
];

fn tokens() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(TOKENS), 0..60).prop_map(|t| t.concat())
}

/// Policy-shaped JSON with random structure in the places that matter.
fn policy_json() -> impl Strategy<Value = String> {
    let text = prop::sample::select(vec![
        "*",
        "s3:*",
        "s3:Replicate*",
        "s3:ReplicateObject",
        "kms:Decrypt",
        "arn:aws:s3:::dst/*",
        "arn:aws:s3:::dst",
        "arn:aws:s3:::${aws:PrincipalAccount}/*",
        "${aws:missing, 'd'}",
        "${*}",
        "${",
        "?",
        "111111111111",
        "arn:aws:iam::111111111111:root",
        "arn:aws:iam::111111111111:role/r",
        "10.0.0.0/8",
        "2020-01-01",
        "true",
        "",
        "\u{E000}aws_s3_bucket.dst.arn\u{E001}/*",
        "\u{E002}unknown\u{E003}",
    ]);
    let value = prop_oneof![
        text.clone().prop_map(serde_json::Value::from),
        prop::collection::vec(text.clone(), 0..3).prop_map(serde_json::Value::from),
        any::<bool>().prop_map(serde_json::Value::from),
        any::<i32>().prop_map(serde_json::Value::from),
        Just(serde_json::Value::Null),
    ];
    let key = prop::sample::select(vec![
        "Effect",
        "Action",
        "NotAction",
        "Resource",
        "NotResource",
        "Principal",
        "NotPrincipal",
        "Condition",
        "Sid",
    ]);
    let op = prop::sample::select(vec![
        "StringEquals",
        "StringNotLike",
        "ArnLike",
        "IpAddress",
        "NotIpAddress",
        "DateLessThan",
        "NumericLessThan",
        "Bool",
        "Null",
        "ForAnyValue:StringLike",
        "ForAllValues:ArnNotEquals",
        "StringEqualsIfExists",
        "Bogus",
    ]);
    let ckey = prop::sample::select(vec![
        "aws:PrincipalArn",
        "aws:SourceIp",
        "aws:CurrentTime",
        "s3:prefix",
        "x",
    ]);
    let condition = prop::collection::vec((op, ckey, value.clone()), 0..3);
    let effect = prop::sample::select(vec!["Allow", "Deny", "allow"]);
    let statement =
        (effect, prop::collection::vec((key, value), 0..6), condition).prop_map(|(e, kv, cond)| {
            let mut m = serde_json::Map::new();
            m.insert("Effect".into(), e.into());
            for (k, v) in kv {
                m.insert(k.into(), v);
            }
            if !cond.is_empty() {
                let mut c = serde_json::Map::new();
                for (op, key, v) in cond {
                    c.insert(op.into(), serde_json::json!({ key: v }));
                }
                m.insert("Condition".into(), c.into());
            }
            serde_json::Value::Object(m)
        });
    let principal = prop_oneof![
        Just(serde_json::json!("*")),
        Just(serde_json::json!({"AWS": "*"})),
        Just(serde_json::json!({"AWS": ["arn:aws:iam::111111111111:role/r", "222222222222"]})),
        Just(serde_json::json!({"Service": "s3.amazonaws.com"})),
    ];
    (
        prop::collection::vec((statement, principal), 0..4),
        prop::sample::select(vec!["2012-10-17", "2008-10-17"]),
    )
        .prop_map(|(sts, version)| {
            let sts: Vec<_> = sts
                .into_iter()
                .map(|(mut s, p)| {
                    if let Some(o) = s.as_object_mut()
                        && !o.contains_key("NotPrincipal")
                    {
                        o.insert("Principal".into(), p);
                    }
                    s
                })
                .collect();
            serde_json::json!({"Version": version, "Statement": sts}).to_string()
        })
}

fn request_text() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        "arn:aws:s3:::dst/k",
        "arn:aws:s3:::dst",
        "\u{E000}aws_s3_bucket.dst.arn\u{E001}/k",
        "\u{E002}why\u{E003}",
        "",
        "*",
        "arn:aws:kms:us-east-1:111111111111:key/k",
    ])
    .prop_map(str::to_string)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn parse_never_panics(text in tokens()) {
        let _ = json::parse(&text, FileId(0));
    }

    #[test]
    fn arbitrary_strings_never_panic(text in any::<String>()) {
        if let Ok(node) = json::parse(&text, FileId(0)) {
            let _ = Policy::from_node(&node, PolicyKind::Bucket);
        }
        let _ = repl_lint::iam::simulate::simulate(&text);
    }

    #[test]
    fn glob_never_panics(p in tokens(), t in tokens(), ci in any::<bool>()) {
        let _ = matching::glob(&p, &t, ci);
        let _ = matching::literal(&p, &t, ci);
    }

    #[test]
    fn evaluate_never_panics(
        id in policy_json(),
        rp in policy_json(),
        bound in proptest::option::of(policy_json()),
        scp in proptest::option::of(policy_json()),
        action in prop::sample::select(vec!["s3:ReplicateObject", "kms:Decrypt", "sts:AssumeRole", "", "\u{E002}a\u{E003}"]),
        resource in request_text(),
        owner in proptest::option::of(prop::sample::select(vec!["111111111111", "222222222222", "\u{E002}o\u{E003}"])),
        role in prop::sample::select(vec!["arn:aws:iam::111111111111:role/r", "\u{E000}aws_iam_role.r.arn\u{E001}", "nonsense"]),
        unknown in any::<bool>(),
        kind in prop::sample::select(vec![ResourceKind::S3, ResourceKind::Kms, ResourceKind::Other, ResourceKind::RoleTrust]),
    ) {
        let read = |t: &str, k| json::parse(t, FileId(0)).map(|n| Policy::from_node(&n, k).0).ok();
        let id = read(&id, PolicyKind::Identity);
        let rp = read(&rp, PolicyKind::Bucket);
        let bound = bound.and_then(|b| read(&b, PolicyKind::Boundary));
        let scp = scp.and_then(|s| read(&s, PolicyKind::Scp));
        let principal = Principal::role_session(role);
        let mut ctx = RequestContext::for_role_session(&principal);
        ctx.set("s3:prefix", ["a", "b"]);
        ctx.set_one("aws:SourceIp", "10.1.2.3");
        let req = Request { principal: &principal, action, resource: &resource, resource_owner: owner, context: &ctx };
        let pc = PolicyContext {
            identity: id.iter().collect(),
            boundary: bound.as_ref(),
            resource_policy: rp.as_ref(),
            resource_kind: kind,
            scps: scp.iter().map(|s| vec![s]).collect(),
            unknown: if unknown { vec![Unknowable { slot: Slot::Scp(2), why: "x".into() }] } else { Vec::new() },
        };
        let _ = evaluate(&req, &pc);
        prop_assert!(!atom::contains_atoms("plain"));
    }
}
