//! The plan loader on real plans (read from the shared corpus when it is next to this checkout)
//! and on a generated plan with known contents.

#[path = "common/corpus.rs"]
mod corpus;

use std::path::{Path, PathBuf};

use repl_lint::load::{Input, LoadOptions, load};
use repl_lint::model::{Model, PolicyContent, Versioning};
use repl_lint::source::SourceDb;

fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/plans")
        .join(name)
}

fn load_paths(paths: &[PathBuf]) -> (SourceDb, Model) {
    let mut db = SourceDb::new();
    let inputs: Vec<Input> = paths.iter().cloned().map(Input::Path).collect();
    let model = load(&inputs, &LoadOptions::default(), &mut db);
    (db, model)
}

/// Every plan of the shared corpus, when this checkout sits next to it.
#[test]
fn shared_corpus_plans_load_without_errors() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    let Ok(cases) = std::fs::read_dir(&corpus) else {
        return;
    };
    let mut plans = Vec::new();
    for case in cases.flatten() {
        if !case.file_name().to_string_lossy().starts_with("plan-") {
            continue;
        }
        for file in std::fs::read_dir(case.path())
            .into_iter()
            .flatten()
            .flatten()
        {
            if file.path().extension().is_some_and(|e| e == "json") {
                plans.push(file.path());
            }
        }
    }
    assert!(!plans.is_empty());
    for plan in plans {
        let (_, model) = load_paths(std::slice::from_ref(&plan));
        assert!(
            model.input_errors.is_empty(),
            "{}: {:?}",
            plan.display(),
            model.input_errors
        );
    }
}

#[test]
fn real_plan_with_split_s3_resources() {
    let Some(case) = corpus::case("plan-tfedit-import-full-s3-split-resources") else {
        return;
    };
    let (db, model) = load_paths(&[case.join("import_full.tfplan.json")]);
    assert_eq!(model.buckets.len(), 3);
    // Only the separate resource: the bucket's computed legacy block is not written in the
    // configuration.
    assert_eq!(model.replications.len(), 1);
    let rc = &model.replications[0];
    assert_eq!(
        rc.origin.address,
        "aws_s3_bucket_replication_configuration.example"
    );
    assert_eq!(rc.source.as_str(), Some("tfedit-test"));
    assert_eq!(
        rc.role.as_str(),
        Some("arn:aws:iam::123456789012:role/tfedit-role")
    );
    let rule = &rc.rules[0];
    assert!(rule.priority.is_absent());
    assert_eq!(rule.filter.as_ref().map(|f| f.top_level_children), Some(0));
    let rtc = rule.destination.replication_time.as_ref().unwrap();
    assert_eq!(rtc.minutes.get(), Some(&15));
    let span = db.resolve(rtc.minutes.loc()).unwrap();
    assert_eq!(
        &db.text(span.file)[span.start as usize..span.end as usize],
        "15"
    );
    let header = db.resolve(&rc.origin.header).unwrap();
    assert!(
        db.text(header.file)[header.start as usize..]
            .starts_with("\"aws_s3_bucket_replication_configuration.example\"")
    );
    let destination = model
        .buckets
        .iter()
        .find(|b| b.name.as_str() == Some("tfedit-destination"))
        .unwrap();
    assert_eq!(
        destination.settings.versioning.get(),
        Some(&Versioning::Disabled)
    );
    assert_eq!(destination.region.as_str(), Some("ap-northeast-1"));
}

#[test]
fn generated_plan_loads_into_the_expected_model() {
    let (db, model) = load_paths(&[data("gen30.json")]);
    assert!(model.input_errors.is_empty());
    assert_eq!(model.buckets.len(), 60);
    assert_eq!(model.replications.len(), 30);
    assert_eq!(model.roles.len(), 30);
    assert_eq!(model.keys.len(), 20);
    assert_eq!(model.role_policy_attachments.len(), 30);
    // 59 versioning resources (one setup lacks source versioning) and 11 bucket policies.
    assert_eq!(model.bucket_settings.len(), 70);

    let labels: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(data("gen30.labels.json")).unwrap()).unwrap();
    for label in labels.as_array().unwrap() {
        let setup = label["setup"].as_u64().unwrap();
        match label["mistake"].as_str().unwrap() {
            "source-versioning-missing" => {
                let name = format!("app-{setup}-source");
                assert!(!model.bucket_settings.iter().any(|s| {
                    s.bucket.as_str() == Some(&name) && s.settings.versioning.is_present()
                }));
            }
            "destination-versioning-suspended" => {
                let address = label["addresses"][0].as_str().unwrap();
                let s = model
                    .bucket_settings
                    .iter()
                    .find(|s| s.origin.address == address)
                    .unwrap();
                assert_eq!(s.settings.versioning.get(), Some(&Versioning::Suspended));
            }
            _ => {}
        }
    }

    for rc in &model.replications {
        assert!(rc.role.is_known() && rc.source.is_known());
        assert_eq!(rc.rules.len(), 1);
        assert_eq!(rc.rules[0].priority.get(), Some(&1));
        assert_eq!(rc.depends_on.len(), 4, "{:?}", rc.depends_on);
    }
    // Cross-account destination buckets use the aliased provider with an assumed role.
    let replica = model
        .buckets
        .iter()
        .find(|b| b.origin.address == "aws_s3_bucket.replica_9")
        .unwrap();
    assert_eq!(replica.account.as_str(), Some("222222222222"));
    assert_eq!(replica.region.as_str(), Some("us-west-2"));
    let source = &model.buckets[0];
    assert_eq!(source.region.as_str(), Some("us-east-1"));
    // Provider `aws` names no account, but the roles it creates carry it in their ARNs.
    assert_eq!(source.account.as_str(), Some("111111111111"));

    // Every policy string maps to its literal in the plan.
    for role in &model.roles {
        let trust = role.trust.as_ref().unwrap();
        let PolicyContent::Json { text, .. } = &trust.content else {
            panic!("{:?}", trust.content)
        };
        let span = db.resolve(&trust.loc).unwrap();
        let literal = &db.text(span.file)[span.start as usize..span.end as usize];
        assert_eq!(serde_json::from_str::<String>(literal).unwrap(), &**text);
    }
}

/// A statement of a policy held in a single-line escaped string maps to its exact bytes.
#[test]
fn policy_statement_locations_resolve_inside_the_plan_string() {
    let (db, model) = load_paths(&[data("gen30.json")]);
    let attachment = &model.role_policy_attachments[0];
    let repl_lint::model::AttachedPolicy::Inline(doc) = &attachment.policy else {
        panic!("{:?}", attachment.policy)
    };
    let PolicyContent::Json { text, origin } = &doc.content else {
        panic!("{:?}", doc.content)
    };
    let node = repl_lint::syntax::json::parse_embedded(text, origin.clone()).unwrap();
    let statement = &node.get("Statement").unwrap().as_list().unwrap()[1];
    let span = db.resolve(&statement.loc).unwrap();
    let raw = &db.text(span.file)[span.start as usize..span.end as usize];
    assert!(
        raw.starts_with(
            "{\\\"Effect\\\":\\\"Allow\\\",\\\"Action\\\":[\\\"s3:GetObjectVersionForReplication"
        ),
        "{raw}"
    );
    assert!(raw.ends_with("/*\\\"}"), "{raw}");
    let decoded: serde_json::Value =
        serde_json::from_str(&serde_json::from_str::<String>(&format!("\"{raw}\"")).unwrap())
            .unwrap();
    assert_eq!(decoded["Effect"], "Allow");
}

/// The sample plans of the rule catalogue load cleanly.
#[test]
fn sample_plans_load_without_errors() {
    let samples = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples");
    let mut stack = vec![samples];
    let mut count = 0;
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.file_name().is_some_and(|n| n == "plan.json") {
                let (_, model) = load_paths(std::slice::from_ref(&path));
                assert!(
                    model.input_errors.is_empty(),
                    "{}: {:?}",
                    path.display(),
                    model.input_errors
                );
                count += 1;
            }
        }
    }
    assert!(count > 0);
}
