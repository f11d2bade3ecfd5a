use serde_json::json;

use super::load;
use crate::load::LoadOptions;
use crate::model::{AttachedPolicy, Model, PolicyContent, Value, Versioning};
use crate::source::{FileId, Loc, SourceDb, StringOrigin};
use crate::syntax::{NodeKind, Part, Reference};

fn run(text: &str) -> (SourceDb, FileId, Model) {
    run_with(text, &LoadOptions::default())
}

fn run_with(text: &str, options: &LoadOptions) -> (SourceDb, FileId, Model) {
    let mut db = SourceDb::new();
    let file = db.add("plan.json", text);
    let model = load(file, text, options);
    (db, file, model)
}

fn text_at<'a>(db: &'a SourceDb, loc: &Loc) -> &'a str {
    let span = db.resolve(loc).expect("location resolves");
    &db.text(span.file)[span.start as usize..span.end as usize]
}

fn reference(target: &str, attr: &str) -> Reference {
    Reference::new(target, attr)
}

/// A plan with one replication whose role and bucket are unknown until apply.
fn replication_plan() -> serde_json::Value {
    json!({
        "format_version": "1.2",
        "resource_changes": [
            {
                "address": "aws_iam_role.replication", "mode": "managed",
                "type": "aws_iam_role", "name": "replication",
                "change": {
                    "actions": ["create"],
                    "after": {
                        "name": "repl", "path": "/",
                        "assume_role_policy": "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"s3.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}"
                    },
                    "after_unknown": {"arn": true, "id": true, "inline_policy": true, "managed_policy_arns": true}
                }
            },
            {
                "address": "aws_s3_bucket_replication_configuration.r", "mode": "managed",
                "type": "aws_s3_bucket_replication_configuration", "name": "r",
                "change": {
                    "actions": ["create"],
                    "after": {
                        "bucket": "src", "token": null,
                        "rule": [
                            {"id": "a", "priority": 0, "status": "Enabled", "prefix": "",
                             "filter": [{"prefix": "logs/", "tag": [], "and": []}],
                             "delete_marker_replication": [{"status": "Enabled"}],
                             "destination": [{"bucket": "arn:aws:s3:::dst", "account": null,
                                              "storage_class": "STANDARD",
                                              "access_control_translation": [],
                                              "encryption_configuration": [],
                                              "metrics": [], "replication_time": []}],
                             "source_selection_criteria": [], "existing_object_replication": []},
                            {"id": "b", "priority": 2, "status": "Enabled",
                             "filter": [{"prefix": null, "tag": [],
                                         "and": [{"prefix": "x/", "tags": {"k": "v"}}]}],
                             "destination": [{"bucket": null}]}
                        ]
                    },
                    "after_unknown": {
                        "id": true, "role": true,
                        "rule": [{}, {"destination": [{"bucket": true}]}]
                    }
                }
            }
        ],
        "configuration": {
            "provider_config": {
                "aws": {"name": "aws", "expressions": {
                    "region": {"constant_value": "eu-west-1"},
                    "assume_role": [{"role_arn": {"constant_value": "arn:aws:iam::111122223333:role/deploy"}}]
                }}
            },
            "root_module": {"resources": [
                {"address": "aws_iam_role.replication", "mode": "managed", "type": "aws_iam_role",
                 "name": "replication", "provider_config_key": "aws",
                 "expressions": {"name": {"constant_value": "repl"}}},
                {"address": "aws_s3_bucket_replication_configuration.r", "mode": "managed",
                 "type": "aws_s3_bucket_replication_configuration", "name": "r",
                 "provider_config_key": "aws",
                 "depends_on": ["aws_s3_bucket_versioning.src"],
                 "expressions": {
                     "bucket": {"constant_value": "src"},
                     "role": {"references": ["aws_iam_role.replication.arn", "aws_iam_role.replication"]},
                     "rule": [
                         {"id": {"constant_value": "a"}, "status": {"constant_value": "Enabled"}},
                         {"id": {"constant_value": "b"}, "priority": {"constant_value": 2},
                          "destination": [{"bucket": {"references": ["aws_s3_bucket.dst.arn", "aws_s3_bucket.dst"]}}]}
                     ]
                 }}
            ]}
        }
    })
}

#[test]
fn unknown_values_become_references() {
    let (db, _, model) = run(&replication_plan().to_string());
    assert!(model.input_errors.is_empty(), "{:?}", model.input_errors);
    let rc = &model.replications[0];
    match &rc.role {
        Value::Ref(r, loc) => {
            assert_eq!(r, &reference("aws_iam_role.replication", "arn"));
            // The role is missing from `after`: the location falls back to the values object.
            assert!(text_at(&db, loc).starts_with("{\"bucket\""));
        }
        other => panic!("role: {other:?}"),
    }
    assert_eq!(rc.source.as_str(), Some("src"));
    assert!(matches!(&rc.rules[1].destination.bucket,
        Value::Ref(r, _) if *r == reference("aws_s3_bucket.dst", "arn")));
    assert!(
        rc.depends_on
            .contains(&"aws_s3_bucket_versioning.src".to_string())
    );
    assert!(
        rc.depends_on
            .contains(&"aws_iam_role.replication".to_string())
    );
    let role = &model.roles[0];
    assert!(matches!(&role.arn, Value::Unknown(why, _) if why.0.contains("after apply")));
    assert!(role.managed_policy_arns.is_empty() && role.inline_policies.is_empty());
    assert_eq!(role.account.as_str(), Some("111122223333"));
}

#[test]
fn priority_comes_from_the_configuration() {
    let (_, _, model) = run(&replication_plan().to_string());
    let rules = &model.replications[0].rules;
    assert!(rules[0].priority.is_absent(), "{:?}", rules[0].priority);
    assert_eq!(rules[1].priority.get(), Some(&2));
    let f0 = rules[0].filter.as_ref().unwrap();
    assert_eq!(
        (f0.prefix.as_str(), f0.top_level_children),
        (Some("logs/"), 1)
    );
    let f1 = rules[1].filter.as_ref().unwrap();
    assert_eq!(f1.prefix.as_str(), Some("x/"));
    assert!(f1.and.is_some());
    assert_eq!(f1.tags.len(), 1);
    assert_eq!(f1.top_level_children, 1);
    assert_eq!(rules[0].delete_marker_replication.as_str(), Some("Enabled"));
    assert!(rules[0].prefix.is_absent());
}

#[test]
fn without_configuration_a_zero_priority_is_not_trusted() {
    let mut plan = replication_plan();
    plan.as_object_mut().unwrap().remove("configuration");
    let (_, _, model) = run(&plan.to_string());
    let rules = &model.replications[0].rules;
    assert!(matches!(rules[0].priority, Value::Unknown(..)));
    assert_eq!(rules[1].priority.get(), Some(&2));
    assert!(matches!(&model.replications[0].role, Value::Unknown(..)));
    assert!(matches!(&model.roles[0].account, Value::Unknown(why, _)
        if why.0.contains("--account aws=ID")));
}

#[test]
fn policy_strings_keep_their_location() {
    let text = serde_json::to_string_pretty(&replication_plan()).unwrap();
    let (db, _, model) = run(&text);
    let trust = model.roles[0].trust.as_ref().unwrap();
    let PolicyContent::Json {
        text: policy,
        origin,
    } = &trust.content
    else {
        panic!("trust: {:?}", trust.content);
    };
    let StringOrigin::JsonLiteral(literal) = origin.as_ref() else {
        panic!("origin");
    };
    assert!(text_at(&db, literal).starts_with("\"{\\\"Version\\\""));
    // A range of the decoded policy maps to the escaped bytes of the plan.
    let start = policy.find("s3.amazonaws.com").unwrap();
    let inner = Loc::InString {
        string: origin.clone(),
        start: start as u32 - 1,
        end: (start + "s3.amazonaws.com".len() + 1) as u32,
    };
    assert_eq!(text_at(&db, &inner), "\\\"s3.amazonaws.com\\\"");
}

/// The character an "invalid JSON" input error points at.
fn invalid_json_at(text: &str) -> &str {
    let (_, file, model) = run(text);
    let error = &model.input_errors[0];
    assert!(
        error.message.starts_with("invalid JSON"),
        "{}",
        error.message
    );
    let Loc::Span(span) = error.loc else {
        panic!("{:?}", error.loc)
    };
    assert_eq!(span.file, file);
    &text[span.start as usize..span.start as usize + 1]
}

#[test]
fn invalid_json_reports_the_offset() {
    let text = "{\n  \"format_version\": \"1.2\",\n  \"planned_values\": {,}\n}";
    assert_eq!(invalid_json_at(text), ",");
    let (_, _, model) = run("{\"format_version\": \"1.0\", \"resource_changes\": [");
    assert!(model.input_errors[0].message.contains("EOF"));
}

/// A plan large enough for its sections to be parsed on all cores: its errors and its model are
/// those of one parse.
#[test]
fn a_large_plan_reads_as_a_small_one() {
    let change = |i: usize| {
        format!(
            r#"{{"address": "aws_s3_bucket.b{i}", "mode": "managed", "type": "aws_s3_bucket", "name": "b{i}", "change": {{"actions": ["create"], "after": {{"bucket": "bucket-{i}"}}, "after_unknown": {{}}}}}}"#
        )
    };
    let changes: Vec<String> = (0..40_000).map(change).collect();
    let text = format!(
        "{{\"format_version\": \"1.2\", \"planned_values\": {{\"root_module\": {{}}}}, \"resource_changes\": [{}], \"configuration\": {{\"root_module\": {{}}}}}}",
        changes.join(",\n")
    );
    assert!(text.len() > 4 << 20, "{}", text.len());
    let (_, _, model) = run(&text);
    assert!(model.input_errors.is_empty(), "{:?}", model.input_errors);
    assert_eq!(model.buckets.len(), 40_000);

    // An error late in a section is reported where one parse reports it.
    let broken = text.replacen("\"bucket-39990\"}", "\"bucket-39990\" x}", 1);
    assert_eq!(invalid_json_at(&broken), "x");
}

#[test]
fn rejects_what_is_not_a_plan() {
    for (text, needle) in [
        ("[1, 2]", "not a Terraform plan"),
        ("{\"format_version\": \"1.0\"}", "not a Terraform plan"),
        ("{\"resource_changes\": []}", "format_version"),
        (
            "{\"format_version\": \"2.0\", \"planned_values\": {}}",
            "unsupported",
        ),
        (
            "{\"format_version\": \"1.0\", \"resource_changes\": 3}",
            "not a Terraform plan",
        ),
        ("", "invalid JSON"),
    ] {
        let (db, _, model) = run(text);
        assert_eq!(model.input_errors.len(), 1, "{text}");
        let e = &model.input_errors[0];
        assert!(e.message.contains(needle), "{text}: {}", e.message);
        assert!(!e.loc.is_none() || text.is_empty());
        if text.contains("2.0") {
            assert_eq!(text_at(&db, &e.loc), "\"2.0\"");
        }
    }
}

/// `count` on both sides: the role policy of instance 1 names role instance 1.
#[test]
fn count_instances_reference_the_same_key() {
    let plan = json!({
        "format_version": "1.1",
        "resource_changes": [
            {"address": "aws_iam_role.r[0]", "mode": "managed", "type": "aws_iam_role", "name": "r",
             "index": 0, "change": {"actions": ["create"], "after": {"name": "r0"}, "after_unknown": {"arn": true}}},
            {"address": "aws_iam_role.r[1]", "mode": "managed", "type": "aws_iam_role", "name": "r",
             "index": 1, "change": {"actions": ["create"], "after": {"name": "r1"}, "after_unknown": {"arn": true}}},
            {"address": "aws_iam_role.single", "mode": "managed", "type": "aws_iam_role", "name": "single",
             "change": {"actions": ["create"], "after": {"name": "s"}, "after_unknown": {"arn": true}}},
            {"address": "aws_iam_role_policy.p[1]", "mode": "managed", "type": "aws_iam_role_policy",
             "name": "p", "index": 1,
             "change": {"actions": ["create"], "after": {"policy": "{}"},
                        "after_unknown": {"role": true}}},
            {"address": "aws_iam_role_policy_attachment.a[\"x.y\"]", "mode": "managed",
             "type": "aws_iam_role_policy_attachment", "name": "a", "index": "x.y",
             "change": {"actions": ["create"], "after": {},
                        "after_unknown": {"role": true, "policy_arn": true}}}
        ],
        "configuration": {"root_module": {"resources": [
            {"address": "aws_iam_role_policy.p", "mode": "managed", "type": "aws_iam_role_policy",
             "name": "p", "expressions": {"role": {"references": ["aws_iam_role.r.name", "aws_iam_role.r"]}}},
            {"address": "aws_iam_role_policy_attachment.a", "mode": "managed",
             "type": "aws_iam_role_policy_attachment", "name": "a",
             "expressions": {"role": {"references": ["aws_iam_role.single.name", "aws_iam_role.single"]},
                             "policy_arn": {"references": ["aws_iam_policy.p.arn", "aws_iam_policy.p"]}}}
        ]}}
    });
    let (_, _, model) = run(&plan.to_string());
    let roles: Vec<_> = model
        .role_policy_attachments
        .iter()
        .map(|a| a.roles[0].clone())
        .collect();
    assert!(matches!(&roles[0], Value::Ref(r, _) if *r == reference("aws_iam_role.r[1]", "name")));
    assert!(
        matches!(&roles[1], Value::Ref(r, _) if *r == reference("aws_iam_role.single", "name"))
    );
    let AttachedPolicy::Managed(arn) = &model.role_policy_attachments[1].policy else {
        panic!()
    };
    // No instance of the policy in the plan: the unindexed address is left to the graph.
    assert!(matches!(arn, Value::Ref(r, _) if *r == reference("aws_iam_policy.p", "arn")));
}

/// A role in a module instance whose name comes from a variable set from a root resource.
#[test]
fn references_follow_module_variables_and_outputs() {
    let plan = json!({
        "format_version": "1.2",
        "resource_changes": [
            {"address": "module.m[\"a\"].aws_iam_role_policy.p", "module_address": "module.m[\"a\"]",
             "mode": "managed", "type": "aws_iam_role_policy", "name": "p",
             "change": {"actions": ["create"], "after": {"policy": "{}"}, "after_unknown": {"role": true}}},
            {"address": "aws_iam_role.r[\"a\"]", "mode": "managed", "type": "aws_iam_role", "name": "r",
             "change": {"actions": ["create"], "after": {"name": "ra"}, "after_unknown": {}}},
            {"address": "aws_iam_role.r[\"b\"]", "mode": "managed", "type": "aws_iam_role", "name": "r",
             "change": {"actions": ["create"], "after": {"name": "rb"}, "after_unknown": {}}},
            {"address": "module.k.aws_kms_key.k", "mode": "managed", "type": "aws_kms_key", "name": "k",
             "change": {"actions": ["create"], "after": {}, "after_unknown": {"arn": true, "policy": true}}},
            {"address": "aws_s3_bucket_policy.bp", "mode": "managed", "type": "aws_s3_bucket_policy",
             "name": "bp",
             "change": {"actions": ["create"], "after": {}, "after_unknown": {"bucket": true, "policy": true}}}
        ],
        "configuration": {"root_module": {
            "resources": [
                {"address": "aws_s3_bucket_policy.bp", "mode": "managed", "type": "aws_s3_bucket_policy",
                 "name": "bp", "expressions": {
                    "bucket": {"references": ["module.k.bucket_id", "module.k"]},
                    "policy": {"references": ["module.k.doc", "module.k"]}}}
            ],
            "module_calls": {
                "m": {"expressions": {"role_name": {"references": ["aws_iam_role.r.name", "aws_iam_role.r"]}},
                      "module": {"resources": [
                        {"address": "aws_iam_role_policy.p", "mode": "managed", "type": "aws_iam_role_policy",
                         "name": "p", "expressions": {"role": {"references": ["var.role_name"]}}}
                      ]}},
                "k": {"module": {
                    "resources": [
                        {"address": "aws_kms_key.k", "mode": "managed", "type": "aws_kms_key", "name": "k",
                         "expressions": {"description": {"constant_value": "k"}}}
                    ],
                    "outputs": {
                        "bucket_id": {"expression": {"references": ["aws_s3_bucket.b.id", "aws_s3_bucket.b"]}},
                        "doc": {"expression": {"references": ["data.aws_iam_policy_document.d.json", "data.aws_iam_policy_document.d"]}}
                    }
                }}
            }
        }}
    });
    let (_, _, model) = run(&plan.to_string());
    assert!(model.input_errors.is_empty());
    let role = &model.role_policy_attachments[0].roles[0];
    assert!(
        matches!(role, Value::Ref(r, _) if *r == reference("aws_iam_role.r[\"a\"]", "name")),
        "{role:?}"
    );
    // An unknown key policy that the configuration does not set is the default policy.
    assert!(model.keys[0].policy.is_none());
    let settings = &model.bucket_settings[0];
    assert!(
        matches!(&settings.bucket, Value::Ref(r, _) if *r == reference("module.k.aws_s3_bucket.b", "id"))
    );
    let policy = settings.settings.policy.as_ref().unwrap();
    assert!(matches!(&policy.content, PolicyContent::Ref(r)
        if *r == reference("module.k.data.aws_iam_policy_document.d", "json")));
}

#[test]
fn key_policies_absent_unknown_and_known() {
    let plan = json!({
        "format_version": "1.0",
        "resource_changes": [
            {"address": "aws_kms_key.set", "mode": "managed", "type": "aws_kms_key", "name": "set",
             "change": {"actions": ["create"], "after": {"is_enabled": true},
                        "after_unknown": {"arn": true, "policy": true}}},
            {"address": "aws_kms_key.jsonencoded", "mode": "managed", "type": "aws_kms_key", "name": "jsonencoded",
             "change": {"actions": ["create"], "after": {}, "after_unknown": {"policy": true}}},
            {"address": "aws_kms_key.known", "mode": "managed", "type": "aws_kms_key", "name": "known",
             "change": {"actions": ["update"],
                        "after": {"arn": "arn:aws:kms:us-east-2:444455556666:key/1", "policy": "{\"Statement\":[]}"},
                        "after_unknown": {}}},
            {"address": "aws_kms_key.gone", "mode": "managed", "type": "aws_kms_key", "name": "gone",
             "change": {"actions": ["delete"], "after": null}}
        ],
        "configuration": {"root_module": {"resources": [
            {"address": "aws_kms_key.set", "mode": "managed", "type": "aws_kms_key", "name": "set",
             "expressions": {"policy": {"references": ["data.aws_iam_policy_document.k.json", "data.aws_iam_policy_document.k"]}}},
            {"address": "aws_kms_key.jsonencoded", "mode": "managed", "type": "aws_kms_key", "name": "jsonencoded",
             "expressions": {"policy": {"references": ["aws_iam_role.r.arn", "aws_iam_role.r"]}}}
        ]}}
    });
    let (_, _, model) = run(&plan.to_string());
    assert_eq!(model.keys.len(), 3);
    let policy = |i: usize| &model.keys[i].policy.as_ref().unwrap().content;
    assert!(
        matches!(policy(0), PolicyContent::Ref(r) if *r == reference("data.aws_iam_policy_document.k", "json"))
    );
    assert!(
        matches!(policy(1), PolicyContent::Unknown(why) if why.0.contains("aws_iam_role.r.arn"))
    );
    assert!(matches!(policy(2), PolicyContent::Json { .. }));
    assert_eq!(model.keys[2].account.as_str(), Some("444455556666"));
    assert_eq!(model.keys[2].region.as_str(), Some("us-east-2"));
    assert_eq!(model.keys[0].enabled.get(), Some(&true));
}

#[test]
fn accounts_and_regions_of_providers() {
    let plan = json!({
        "format_version": "1.2",
        "resource_changes": [
            {"address": "aws_s3_bucket.a", "mode": "managed", "type": "aws_s3_bucket", "name": "a",
             "change": {"actions": ["create"], "after": {"bucket": "a"}, "after_unknown": {"region": true}}},
            {"address": "aws_s3_bucket.b", "mode": "managed", "type": "aws_s3_bucket", "name": "b",
             "change": {"actions": ["create"], "after": {"bucket": "b"}, "after_unknown": {"region": true}}},
            {"address": "aws_s3_bucket.c", "mode": "managed", "type": "aws_s3_bucket", "name": "c",
             "change": {"actions": ["create"], "after": {"bucket": "c", "region": "ap-south-1"}, "after_unknown": {}}},
            {"address": "aws_s3_bucket.d", "mode": "managed", "type": "aws_s3_bucket", "name": "d",
             "change": {"actions": ["create"], "after": {"bucket": "d"}, "after_unknown": {}}}
        ],
        "prior_state": {"values": {"root_module": {"resources": [
            {"address": "data.aws_caller_identity.me", "mode": "data", "type": "aws_caller_identity",
             "name": "me", "values": {"account_id": "777788889999"}}
        ]}}},
        "configuration": {
            "provider_config": {
                "aws": {"name": "aws"},
                "aws.backup": {"name": "aws", "alias": "backup", "expressions": {
                    "region": {"constant_value": "us-west-2"},
                    "allowed_account_ids": {"constant_value": ["222233334444"]}}},
                "aws.third": {"name": "aws", "alias": "third"}
            },
            "root_module": {"resources": [
                {"address": "aws_s3_bucket.a", "mode": "managed", "type": "aws_s3_bucket", "name": "a", "provider_config_key": "aws"},
                {"address": "aws_s3_bucket.b", "mode": "managed", "type": "aws_s3_bucket", "name": "b", "provider_config_key": "aws.backup"},
                {"address": "aws_s3_bucket.c", "mode": "managed", "type": "aws_s3_bucket", "name": "c", "provider_config_key": "aws.third",
                 "expressions": {"region": {"constant_value": "ap-south-1"}}},
                {"address": "aws_s3_bucket.d", "mode": "managed", "type": "aws_s3_bucket", "name": "d", "provider_config_key": "aws.third"},
                {"address": "data.aws_caller_identity.me", "mode": "data", "type": "aws_caller_identity", "name": "me", "provider_config_key": "aws"}
            ]}
        }
    });
    let mut options = LoadOptions::default();
    options
        .accounts
        .insert("aws.third".into(), "555566667777".into());
    let (db, _, model) = run_with(&plan.to_string(), &options);
    let b = &model.buckets;
    assert_eq!(b[0].account.as_str(), Some("777788889999"));
    assert!(
        matches!(&b[0].region, Value::Unknown(why, _) if why.0.contains("region of provider aws"))
    );
    assert_eq!(b[1].account.as_str(), Some("222233334444"));
    assert_eq!(b[1].region.as_str(), Some("us-west-2"));
    assert_eq!(text_at(&db, b[1].region.loc()), "\"us-west-2\"");
    assert_eq!(b[2].account.as_str(), Some("555566667777"));
    assert_eq!(b[2].region.as_str(), Some("ap-south-1"));
    assert!(matches!(&b[3].region, Value::Unknown(..)));
}

#[test]
fn legacy_inline_bucket_settings() {
    let plan = json!({
        "format_version": "0.1",
        "resource_changes": [
            {"address": "aws_s3_bucket.src", "mode": "managed", "type": "aws_s3_bucket", "name": "src",
             "change": {"actions": ["create"],
                "after": {
                    "bucket": "src",
                    "versioning": [{"enabled": true, "mfa_delete": false}],
                    "replication_configuration": [{
                        "role": "arn:aws:iam::111122223333:role/r",
                        "rules": [{"id": "all", "status": "Enabled", "priority": 0, "prefix": "",
                                   "delete_marker_replication_status": "",
                                   "filter": [{"prefix": "", "tags": {"a": "1", "b": "2"}}],
                                   "source_selection_criteria": [{"sse_kms_encrypted_objects": [{"enabled": true}]}],
                                   "destination": [{"bucket": "arn:aws:s3:::dst", "account_id": "",
                                                    "replica_kms_key_id": "arn:aws:kms:us-east-1:1:key/k",
                                                    "access_control_translation": [{"owner": "Destination"}],
                                                    "storage_class": "", "metrics": [{"status": "Enabled", "minutes": 15}],
                                                    "replication_time": []}]}]
                    }],
                    "server_side_encryption_configuration": []
                },
                "after_unknown": {"arn": true, "policy": true, "request_payer": true}}},
            {"address": "aws_s3_bucket.other", "mode": "managed", "type": "aws_s3_bucket", "name": "other",
             "change": {"actions": ["create"], "after": {"bucket": "other"},
                        "after_unknown": {"versioning": true, "replication_configuration": true}}}
        ],
        "configuration": {"root_module": {"resources": [
            {"address": "aws_s3_bucket.src", "mode": "managed", "type": "aws_s3_bucket", "name": "src",
             "expressions": {"bucket": {"constant_value": "src"},
                             "replication_configuration": [{"rules": [{"id": {"constant_value": "all"}}]}]}},
            {"address": "aws_s3_bucket.other", "mode": "managed", "type": "aws_s3_bucket", "name": "other",
             "expressions": {"bucket": {"constant_value": "other"}}}
        ]}}
    });
    let (_, _, model) = run(&plan.to_string());
    let src = &model.buckets[0];
    assert_eq!(src.settings.versioning.get(), Some(&Versioning::Enabled));
    assert!(src.settings.policy.is_none());
    assert!(src.settings.request_payer.is_absent());
    assert!(model.buckets[1].settings.versioning.is_absent());
    assert_eq!(model.replications.len(), 1);
    let rc = &model.replications[0];
    assert!(
        matches!(&rc.source, Value::Ref(r, _) if *r == reference("aws_s3_bucket.src", "bucket"))
    );
    let rule = &rc.rules[0];
    assert!(rule.priority.is_absent());
    assert!(rule.delete_marker_replication.is_absent());
    let filter = rule.filter.as_ref().unwrap();
    assert_eq!((filter.tags.len(), filter.top_level_children), (2, 1));
    assert!(filter.and.is_some());
    assert_eq!(
        rule.source_selection.as_ref().unwrap().sse_kms.as_str(),
        Some("Enabled")
    );
    let d = &rule.destination;
    assert!(d.account.is_absent());
    assert_eq!(d.owner_override.as_str(), Some("Destination"));
    assert_eq!(d.metrics.as_ref().unwrap().minutes.get(), Some(&15));
    assert!(d.replication_time.is_none());
}

/// A policy document read at apply time is rebuilt from its arguments.
#[test]
fn unknown_policy_documents_are_rebuilt() {
    // A real plan of the shared corpus, read in place (not ours to copy) when it is present.
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/corpus/plan-checkov-iam-data-block/tfplan.json");
    let Ok(text) = std::fs::read_to_string(&path) else {
        eprintln!("skipped: {} is not next to this checkout", path.display());
        return;
    };
    let (db, _, model) = run(&text);
    let doc = &model.documents[0].document;
    let PolicyContent::Parsed(node) = &doc.content else {
        panic!("{:?}", doc.content)
    };
    let statement = &node.get("Statement").unwrap().as_list().unwrap()[0];
    assert_eq!(statement.get("Effect").unwrap().as_str(), Some("Allow"));
    let action = &statement.get("Action").unwrap().as_list().unwrap()[0];
    assert_eq!(action.as_str(), Some("*"));
    assert_eq!(text_at(&db, &action.loc), "\"*\"");
    let principal = statement.get("Principal").unwrap().get("AWS").unwrap();
    assert_eq!(
        principal.as_list().unwrap()[0].as_str(),
        Some("123456789012")
    );
    let resources = statement.get("Resource").unwrap().as_list().unwrap();
    assert_eq!(resources.len(), 2);
    for r in resources {
        let NodeKind::Template(parts) = &r.kind else {
            panic!("{r:?}")
        };
        assert!(parts.contains(&Part::Ref(reference("aws_s3_bucket.example", "arn"))));
    }
    let policy = model.bucket_settings[0].settings.policy.as_ref().unwrap();
    assert!(matches!(&policy.content, PolicyContent::Ref(r)
        if *r == reference("data.aws_iam_policy_document.allow_access_from_another_account", "json")));
}

#[test]
fn lifecycle_configuration_rules_are_read() {
    let plan = json!({
        "format_version": "1.2",
        "resource_changes": [{
            "address": "aws_s3_bucket_lifecycle_configuration.src", "mode": "managed",
            "type": "aws_s3_bucket_lifecycle_configuration", "name": "src",
            "change": {
                "actions": ["create"],
                "after": {
                    "bucket": "src",
                    "rule": [{
                        "id": "archive", "status": "Enabled",
                        "filter": [{"prefix": ""}],
                        "transition": [{"days": 90, "date": null, "storage_class": "GLACIER"}],
                        "noncurrent_version_transition": [],
                        "expiration": [{"days": 0, "date": null, "expired_object_delete_marker": true}],
                        "noncurrent_version_expiration": [{"noncurrent_days": 30}]
                    }]
                },
                "after_unknown": {"id": true}
            }
        }]
    })
    .to_string();
    let (db, _, model) = run(&plan);
    assert!(model.input_errors.is_empty(), "{:?}", model.input_errors);
    let lifecycle = model
        .bucket_settings
        .iter()
        .find_map(|s| s.settings.lifecycle.as_ref())
        .expect("lifecycle");
    let rule = &lifecycle.rules[0];
    assert!(rule.status.is("Enabled"));
    assert_eq!(text_at(&db, rule.transitions[0].loc()), "\"GLACIER\"");
    assert!(
        rule.expiration.is_none(),
        "days 0 and no date is no expiration"
    );
    assert!(rule.expired_object_delete_marker.is_true());
    assert!(rule.noncurrent_expiration.is_some());
}

#[test]
fn versioning_changes_and_account_settings() {
    let plan = json!({
        "format_version": "1.2",
        "resource_changes": [
            {"address": "aws_s3_bucket_versioning.src", "mode": "managed",
             "type": "aws_s3_bucket_versioning", "name": "src",
             "change": {"actions": ["update"],
                        "before": {"bucket": "src", "versioning_configuration": [{"status": "Enabled"}]},
                        "after": {"bucket": "src", "versioning_configuration": [{"status": "Suspended"}]},
                        "after_unknown": {}}},
            {"address": "aws_s3_account_public_access_block.this", "mode": "managed",
             "type": "aws_s3_account_public_access_block", "name": "this",
             "change": {"actions": ["create"],
                        "after": {"restrict_public_buckets": true, "block_public_acls": false},
                        "after_unknown": {"account_id": true}}},
            {"address": "aws_account_region.milan", "mode": "managed",
             "type": "aws_account_region", "name": "milan",
             "change": {"actions": ["create"],
                        "after": {"region_name": "eu-south-1", "enabled": false},
                        "after_unknown": {"account_id": true}}}
        ]
    });
    let (db, _, model) = run(&plan.to_string());
    let settings = &model.bucket_settings[0].settings;
    assert_eq!(settings.change, Some(crate::model::ChangeActions::Update));
    assert_eq!(settings.versioning.get(), Some(&Versioning::Suspended));
    assert_eq!(settings.versioning_before.get(), Some(&Versioning::Enabled));
    assert_eq!(
        text_at(&db, settings.versioning_before.loc()),
        "\"Enabled\""
    );
    let block = &model.account_public_access_blocks[0];
    assert!(block.settings.restrict_public_buckets.is_true());
    assert!(!matches!(block.account, Value::Known(..)));
    let region = &model.account_regions[0];
    assert_eq!(region.region.as_str(), Some("eu-south-1"));
    assert_eq!(region.enabled.get(), Some(&false));
}

#[test]
fn lifecycle_rules_and_rule_defaults() {
    let plan = json!({
        "format_version": "1.2",
        "resource_changes": [
            {"address": "aws_s3_bucket_lifecycle_configuration.src", "mode": "managed",
             "type": "aws_s3_bucket_lifecycle_configuration", "name": "src",
             "change": {"actions": ["create"],
                "after": {"bucket": "src", "rule": [
                    {"id": "expire", "status": "Enabled", "prefix": "",
                     "filter": [{"prefix": "logs/", "and": [], "tag": []}],
                     "expiration": [{"days": 30, "date": null, "expired_object_delete_marker": false}]},
                    {"id": "markers", "status": "Enabled",
                     "filter": [],
                     "expiration": [{"days": 0, "date": null, "expired_object_delete_marker": true}]}
                ]},
                "after_unknown": {}}},
            {"address": "aws_s3_bucket_replication_configuration.r", "mode": "managed",
             "type": "aws_s3_bucket_replication_configuration", "name": "r",
             "change": {"actions": ["create"],
                "after": {"bucket": "src", "role": "arn:aws:iam::111122223333:role/r",
                    "rule": [{"id": "a", "status": "Enabled", "priority": 0,
                              "filter": [{"prefix": "", "and": [], "tag": []}],
                              "destination": [{"bucket": "arn:aws:s3:::dst"}]}]},
                "after_unknown": {}}}
        ]
    });
    let (db, _, m) = run(&plan.to_string());
    let rules = &m.bucket_settings[0]
        .settings
        .lifecycle
        .as_ref()
        .expect("lifecycle")
        .rules;
    assert_eq!(rules.len(), 2);
    assert_eq!(rules[0].prefix.as_str(), Some("logs/"));
    let expires = rules[0]
        .expiration
        .as_ref()
        .expect("expires current versions");
    assert!(text_at(&db, expires).contains("30"));
    assert!(rules[1].expiration.is_none());
    assert!(rules[1].expired_object_delete_marker.is_true());
    let rule = &m.replications[0].rules[0];
    assert_eq!(
        rule.deploy_defaults,
        crate::model::DeployDefaults::PriorityZero
    );
    assert!(
        rule.filter
            .as_ref()
            .is_some_and(|f| f.top_level_children == 0)
    );
}

/// Locations are byte spans of the plan text: a value's literal, the deepest existing block for a
/// value the plan leaves out, the resource's `address` for its header (escaped or not), and the
/// text after a byte order mark counts it.
#[test]
fn locations_are_spans_of_the_values() {
    let plan = r#"{"format_version": "1.2", "resource_changes": [
      {"address": "aws_s3_bucket_versioning.v[\"a\"]", "mode": "managed",
       "type": "aws_s3_bucket_versioning", "name": "v",
       "change": {"actions": ["delete", "create"],
                  "after": {"bucket": "b", "versioning_configuration": [{"mfa_delete": null}],
                            "expected_bucket_owner": "1", "expected_bucket_owner": "x"},
                  "after_unknown": {}}}]}"#;
    for text in [plan.to_string(), format!("\u{feff}{plan}")] {
        let (db, _, model) = run(&text);
        let s = &model.bucket_settings[0];
        assert_eq!(
            text_at(&db, &s.origin.header),
            r#""aws_s3_bucket_versioning.v[\"a\"]""#
        );
        let Value::Known(bucket, loc) = &s.bucket else {
            panic!("{:?}", s.bucket)
        };
        assert_eq!((bucket.as_str(), text_at(&db, loc)), ("b", "\"b\""));
        // Versioning is not set: it would be added to the configuration block.
        assert_eq!(
            text_at(&db, s.settings.versioning.loc()),
            r#"{"mfa_delete": null}"#
        );
        // With a repeated key the last one counts, for the value and its location.
        let Value::Known(owner, loc) = &s.expected_owner else {
            panic!("{:?}", s.expected_owner)
        };
        assert_eq!((owner.as_str(), text_at(&db, loc)), ("x", "\"x\""));
    }
}

#[test]
fn a_provider_account_comes_from_its_first_role_with_a_known_arn() {
    // The first role's ARN is unknown until apply; the second spells `arn` with an escape.
    let plan = r#"{
        "format_version": "1.2",
        "resource_changes": [
            {"address": "aws_iam_role.new", "mode": "managed", "type": "aws_iam_role", "name": "new",
             "change": {"actions": ["create"], "after": {"name": "new"}, "after_unknown": {"arn": true}}},
            {"address": "aws_iam_role.escaped", "mode": "managed", "type": "aws_iam_role", "name": "escaped",
             "change": {"actions": ["no-op"], "after": {"name": "escaped", "\u0061rn": "arn:aws:iam::111122223333:role/escaped"}}},
            {"address": "aws_iam_role.later", "mode": "managed", "type": "aws_iam_role", "name": "later",
             "change": {"actions": ["no-op"], "after": {"name": "later", "arn": "arn:aws:iam::444455556666:role/later"}}},
            {"address": "aws_s3_bucket.a", "mode": "managed", "type": "aws_s3_bucket", "name": "a",
             "change": {"actions": ["create"], "after": {"bucket": "a"}, "after_unknown": {}}}
        ]
    }"#;
    let (_, _, model) = run_with(plan, &LoadOptions::default());
    assert_eq!(model.buckets[0].account.as_str(), Some("111122223333"));
}
