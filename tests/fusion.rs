//! A plan given with the Terraform sources it was made from: one resource per address, values
//! from the plan where it knows them, from the sources where it does not, spans into the .tf files.

use std::path::{Path, PathBuf};

use repl_lint::engine::{self, Options};
use repl_lint::finding::Severity;
use repl_lint::load::{Input, LoadOptions, load};
use repl_lint::model::{Format, Model, PolicyContent, Value, Versioning};
use repl_lint::report;
use repl_lint::source::{Loc, SourceDb};

const SETUP: &str = "tests/data/fusion/cross-account";

fn setup() -> PathBuf {
    PathBuf::from(SETUP)
}

fn load_paths(paths: &[PathBuf]) -> (Model, SourceDb) {
    let mut db = SourceDb::new();
    let inputs: Vec<Input> = paths.iter().cloned().map(Input::Path).collect();
    let model = load(&inputs, &LoadOptions::default(), &mut db);
    (model, db)
}

fn file_of(db: &SourceDb, loc: &Loc) -> String {
    let span = db.resolve(loc).expect("location resolves");
    db.path(span.file).display().to_string()
}

fn text(db: &SourceDb, loc: &Loc) -> String {
    let span = db.resolve(loc).expect("location resolves");
    db.text(span.file)[span.start as usize..span.end as usize].to_string()
}

fn counts(m: &Model) -> [usize; 5] {
    [
        m.buckets.len(),
        m.bucket_settings.len(),
        m.replications.len(),
        m.roles.len(),
        m.role_policy_attachments.len(),
    ]
}

/// Two buckets, two versionings and a bucket policy, one replication, one role, one role policy.
const ONE_EACH: [usize; 5] = [2, 3, 1, 1, 1];

#[test]
fn plan_and_sources_become_one_resource_per_address() {
    let (plan_first, db) = load_paths(&[setup().join("plan.json"), setup().join("main.tf")]);
    assert!(
        plan_first.input_errors.is_empty(),
        "{:?}",
        plan_first.input_errors
    );
    assert_eq!(counts(&plan_first), ONE_EACH);
    let (sources_first, _) = load_paths(&[setup(), setup().join("plan.json")]);
    assert_eq!(counts(&sources_first), ONE_EACH);
    for b in &plan_first.buckets {
        assert_eq!(b.origin.format, Format::Terraform, "{}", b.origin.address);
        assert!(file_of(&db, &b.origin.header).ends_with("main.tf"));
    }
}

#[test]
fn a_folder_with_sources_and_plan_is_fused() {
    // The folder holds main.tf and plan.json.
    let (model, _) = load_paths(&[setup()]);
    assert_eq!(counts(&model), ONE_EACH);
}

#[test]
fn an_unknown_plan_policy_is_taken_from_the_sources() {
    let (model, db) = load_paths(&[setup().join("plan.json"), setup()]);
    let policy = model
        .bucket_settings
        .iter()
        .find(|s| s.origin.address == "aws_s3_bucket_policy.dst")
        .and_then(|s| s.settings.policy.as_ref())
        .expect("bucket policy");
    assert!(
        matches!(policy.content, PolicyContent::Parsed(_)),
        "{:?}",
        policy.content
    );
    assert!(file_of(&db, &policy.loc).ends_with("main.tf"));
    assert!(text(&db, &policy.loc).starts_with("jsonencode("));
}

#[test]
fn a_value_known_in_the_plan_wins_over_an_unknown_variable() {
    let dst = |m: &Model| {
        m.bucket_settings
            .iter()
            .find(|s| s.origin.address == "aws_s3_bucket_versioning.dst")
            .map(|s| s.settings.versioning.clone())
            .expect("versioning of dst")
    };
    let (sources, _) = load_paths(&[setup().join("main.tf")]);
    assert!(matches!(dst(&sources), Value::Unknown(..)));
    let (fused, db) = load_paths(&[setup().join("plan.json"), setup()]);
    let versioning = dst(&fused);
    assert!(
        matches!(versioning, Value::Known(Versioning::Enabled, _)),
        "{versioning:?}"
    );
    assert_eq!(text(&db, versioning.loc()), "var.replica_versioning");
}

fn run(paths: &[&Path]) -> engine::Outcome {
    let inputs: Vec<Input> = paths.iter().map(|p| Input::Path(p.to_path_buf())).collect();
    engine::run(&inputs, &Options::default())
}

#[test]
fn the_fused_run_reports_what_the_plan_alone_cannot_verify() {
    let plan = setup().join("plan.json");
    let alone = run(&[&plan]);
    assert!(
        alone.findings.iter().all(|f| f.severity == Severity::Info),
        "{}",
        report::human::render(&alone, false)
    );
    assert!(
        alone
            .findings
            .iter()
            .any(|f| f.rule.id == "dstp-replicate-object"
                && f.message.starts_with("cannot verify"))
    );

    let fused = run(&[&plan, &setup()]);
    let rendered = report::human::render(&fused, false);
    let errors: Vec<_> = fused
        .findings
        .iter()
        .filter(|f| f.severity >= Severity::Warning)
        .collect();
    assert_eq!(errors.len(), 1, "{rendered}");
    assert_eq!(errors[0].rule.id, "xdst-replicate-object");
    assert!(file_of(&fused.sources, &errors[0].primary).ends_with("main.tf"));
    // The plan knows the replica's versioning, which the sources alone cannot.
    assert!(
        !fused
            .findings
            .iter()
            .any(|f| f.rule.id == "ver-dst-not-enabled"),
        "{rendered}"
    );
    insta::assert_snapshot!(rendered);
}

#[test]
fn unrelated_plan_and_sources_stay_apart() {
    let other = Path::new("samples/dstp-replicate-object/bad/plan.json").to_path_buf();
    let (alone, _) = load_paths(std::slice::from_ref(&other));
    let (together, _) = load_paths(&[other, setup().join("main.tf")]);
    let expected: Vec<usize> = counts(&alone)
        .iter()
        .zip(ONE_EACH)
        .map(|(a, b)| a + b)
        .collect();
    assert_eq!(counts(&together).to_vec(), expected);
}

fn addresses(m: &Model) -> Vec<(String, Format)> {
    let mut out: Vec<(String, Format)> = m
        .buckets
        .iter()
        .map(|b| &b.origin)
        .chain(m.bucket_settings.iter().map(|s| &s.origin))
        .map(|o| (o.address.clone(), o.format))
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

#[test]
fn module_instances_pair_by_full_address_and_plan_only_resources_stay() {
    let dir = Path::new("tests/data/fusion/module-count");
    let (fused, _) = load_paths(&[dir.to_path_buf()]);
    assert_eq!(
        addresses(&fused),
        vec![
            ("aws_s3_bucket.src".to_string(), Format::Terraform),
            (
                "aws_s3_bucket_versioning.src".to_string(),
                Format::Terraform
            ),
            (
                "module.archive.aws_s3_bucket.this[0]".to_string(),
                Format::Plan
            ),
            (
                "module.replica[\"eu\"].aws_s3_bucket.this[0]".to_string(),
                Format::Terraform
            ),
            (
                "module.replica[\"eu\"].aws_s3_bucket_versioning.this[0]".to_string(),
                Format::Terraform
            ),
        ]
    );
}

#[test]
fn a_resource_only_in_the_sources_stays() {
    // The plan without the role policy, as `terraform plan -target` would leave it out.
    let text = std::fs::read_to_string(setup().join("plan.json")).unwrap();
    let mut plan: serde_json::Value = serde_json::from_str(&text).unwrap();
    let keep = |r: &serde_json::Value| r["address"] != "aws_iam_role_policy.replication";
    for pointer in ["/resource_changes", "/planned_values/root_module/resources"] {
        if let Some(serde_json::Value::Array(items)) = plan.pointer_mut(pointer) {
            items.retain(keep);
        }
    }
    let dir = std::env::temp_dir().join(format!("repl-lint-fusion-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::copy(setup().join("main.tf"), dir.join("main.tf")).unwrap();
    std::fs::write(dir.join("plan.json"), plan.to_string()).unwrap();
    let (model, _) = load_paths(std::slice::from_ref(&dir));
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(counts(&model), ONE_EACH);
    let attachment = &model.role_policy_attachments[0];
    assert_eq!(attachment.origin.format, Format::Terraform);
}

#[test]
fn the_bundled_scenario_reports_the_missing_kms_encrypt_in_main_tf() {
    let dir = Path::new("samples/scenarios/plan-with-sources");
    let alone = run(&[&dir.join("plan.json")]);
    assert_eq!(alone.count(Severity::Error), 0);
    let fused = run(&[dir]);
    let rendered = report::human::render(&fused, false);
    let rules: Vec<&str> = fused
        .findings
        .iter()
        .filter(|f| f.severity >= Severity::Warning)
        .map(|f| f.rule.id)
        .collect();
    assert_eq!(rules, ["kms-dst-encrypt"], "{rendered}");
    insta::assert_snapshot!(rendered);
}

#[test]
fn a_document_both_know_keeps_the_tf_spans() {
    let (model, db) = load_paths(&[setup()]);
    let trust = model.roles[0].trust.as_ref().expect("trust policy");
    let PolicyContent::Parsed(node) = &trust.content else {
        panic!("{:?}", trust.content)
    };
    let statement = node
        .get("Statement")
        .and_then(|s| s.as_list())
        .and_then(|s| s.first())
        .expect("a statement");
    assert!(file_of(&db, &statement.loc).ends_with("main.tf"));
}

#[test]
fn a_suppression_in_the_sources_applies_to_the_fused_finding() {
    let dir = std::env::temp_dir().join(format!("repl-lint-fusion-ignore-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let main = std::fs::read_to_string(setup().join("main.tf"))
        .unwrap()
        .replace(
            "resource \"aws_s3_bucket_policy\" \"dst\" {",
            "# repl-lint:ignore=xdst-replicate-object a batch job copies the objects\n\
         resource \"aws_s3_bucket_policy\" \"dst\" {",
        );
    std::fs::write(dir.join("main.tf"), main).unwrap();
    std::fs::copy(setup().join("plan.json"), dir.join("plan.json")).unwrap();
    let outcome = run(&[&dir]);
    let _ = std::fs::remove_dir_all(&dir);
    assert!(
        outcome.findings.is_empty(),
        "{}",
        report::human::render(&outcome, false)
    );
    assert_eq!(outcome.suppressed, 1);
}

#[test]
fn a_resource_the_sources_cannot_expand_is_fused_with_each_planned_instance() {
    let from = Path::new("tests/data/fusion/module-count");
    let dir = std::env::temp_dir().join(format!("repl-lint-fusion-expand-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("modules/replica")).unwrap();
    let main = std::fs::read_to_string(from.join("main.tf"))
        .unwrap()
        .replace(
            "for_each = toset([\"eu\"])",
            "for_each = toset([\"eu\"])\n  enabled  = var.replica_enabled",
        );
    // `count = var.enabled ? 1 : 0` in the module: unknown without the variable.
    std::fs::write(
        dir.join("main.tf"),
        format!("variable \"replica_enabled\" {{\n  type = bool\n}}\n{main}"),
    )
    .unwrap();
    for file in ["plan.json", "modules/replica/main.tf"] {
        std::fs::copy(from.join(file), dir.join(file)).unwrap();
    }
    let (sources, _) = load_paths(&[dir.join("main.tf")]);
    let (fused, db) = load_paths(std::slice::from_ref(&dir));
    let _ = std::fs::remove_dir_all(&dir);
    assert!(
        addresses(&sources)
            .iter()
            .any(|(a, _)| a == "module.replica[\"eu\"].aws_s3_bucket.this"),
        "{:?}",
        addresses(&sources)
    );
    assert_eq!(
        addresses(&fused),
        vec![
            ("aws_s3_bucket.src".to_string(), Format::Terraform),
            (
                "aws_s3_bucket_versioning.src".to_string(),
                Format::Terraform
            ),
            (
                "module.archive.aws_s3_bucket.this[0]".to_string(),
                Format::Plan
            ),
            (
                "module.replica[\"eu\"].aws_s3_bucket.this[0]".to_string(),
                Format::Terraform
            ),
            (
                "module.replica[\"eu\"].aws_s3_bucket_versioning.this[0]".to_string(),
                Format::Terraform
            ),
        ]
    );
    let replica = fused
        .buckets
        .iter()
        .find(|b| b.origin.address.starts_with("module.replica"))
        .expect("replica bucket");
    assert_eq!(replica.name.as_str(), Some("acme-logs-replica-eu"));
    assert!(file_of(&db, replica.name.loc()).ends_with("modules/replica/main.tf"));
}
