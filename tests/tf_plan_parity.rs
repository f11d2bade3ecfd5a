//! A Terraform configuration and the plan of the same configuration give the same findings.
//!
//! Every tier 1 rule has `samples/<id>/bad/plan.json` (`samples/generate.py`) and
//! `samples/<id>/bad-tf/main.tf` (`samples/generate_tf.py`) built from one setup, likewise `good`
//! and `good-tf`. All rules run on both; the findings must agree on rule, severity and resource
//! address. The plan knows values that the sources leave to apply (the ARN of a new key or role),
//! so this also checks that references in the sources lead to the same conclusions.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use repl_lint::engine::{self, Options};
use repl_lint::finding::Severity;
use repl_lint::load::Input;

#[path = "common/tier1.rs"]
mod tier1;
use tier1::TIER1;

/// Findings expected to differ between a plan and its sources, with the reason:
/// (sample folder of the plan, rule id, resource address, why). None so far: the sources mirror
/// the plans' addresses and values, and what only apply knows (key and role ARNs) stays a
/// reference that leads to the same finding on the same resource.
const EXCEPTIONS: &[(&str, &str, &str, &str)] = &[];

type Key = (String, Severity, String);

fn sample(id: &str, side: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("samples")
        .join(id)
        .join(side)
}

/// (rule, severity, resource) of every finding of all rules, and the input errors.
fn findings(dir: &Path) -> (BTreeSet<Key>, Vec<String>) {
    let outcome = engine::run(&[Input::Path(dir.to_path_buf())], &Options::default());
    let keys = outcome
        .findings
        .iter()
        .map(|f| (f.rule.id.to_string(), f.severity, f.resource.clone()))
        .collect();
    let errors = outcome
        .input_errors
        .iter()
        .map(|e| format!("{e:?}"))
        .collect();
    (keys, errors)
}

fn excepted(plan_dir: &Path, key: &Key) -> bool {
    EXCEPTIONS.iter().any(|(dir, rule, resource, _why)| {
        plan_dir.ends_with(dir) && key.0 == *rule && key.2 == *resource
    })
}

#[test]
fn sources_and_plans_of_the_same_setup_give_the_same_findings() {
    let mut mismatches = Vec::new();
    for id in TIER1 {
        for (plan_side, tf_side) in [("bad", "bad-tf"), ("good", "good-tf")] {
            let plan_dir = sample(id, plan_side);
            let tf_dir = sample(id, tf_side);
            assert!(
                tf_dir.join("main.tf").is_file(),
                "{} is missing",
                tf_dir.display()
            );
            let (plan, plan_errors) = findings(&plan_dir);
            let (tf, tf_errors) = findings(&tf_dir);
            assert!(
                plan_errors.is_empty(),
                "{}: {plan_errors:?}",
                plan_dir.display()
            );
            assert!(tf_errors.is_empty(), "{}: {tf_errors:?}", tf_dir.display());
            let only_plan: Vec<&Key> = plan
                .difference(&tf)
                .filter(|k| !excepted(&plan_dir, k))
                .collect();
            let only_tf: Vec<&Key> = tf
                .difference(&plan)
                .filter(|k| !excepted(&plan_dir, k))
                .collect();
            if !only_plan.is_empty() || !only_tf.is_empty() {
                mismatches.push(format!(
                    "{}: only in the plan {only_plan:?}, only in the sources {only_tf:?}",
                    plan_dir.display()
                ));
            }
            if plan_side == "bad" {
                assert!(
                    tf.iter()
                        .any(|(rule, sev, _)| rule == id && *sev >= Severity::Warning),
                    "{id} does not report on {}",
                    tf_dir.display()
                );
            } else {
                assert!(
                    tf.iter().all(|(_, sev, _)| *sev < Severity::Warning),
                    "{} is not clean: {tf:?}",
                    tf_dir.display()
                );
            }
        }
    }
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
}

/// `policy = data.aws_iam_policy_document.x.json`: the data source is checked as the role's
/// policy, not a second time as a document of its own.
#[test]
fn a_policy_document_data_source_is_reported_once_where_it_is_attached() {
    let dir = sample("pol-object-arn-no-wildcard", "bad-tf");
    let (keys, _) = findings(&dir);
    let reported: Vec<&Key> = keys
        .iter()
        .filter(|k| k.0 == "pol-object-arn-no-wildcard")
        .collect();
    assert_eq!(
        reported,
        [&(
            "pol-object-arn-no-wildcard".to_string(),
            Severity::Error,
            "aws_iam_role_policy.replication".to_string()
        )]
    );
}

/// Key policy findings name the key's address, also where its ARN is only known after apply.
#[test]
fn key_policy_findings_name_the_key() {
    let dir = sample("kms-key-policy-no-path", "bad-tf");
    let (keys, _) = findings(&dir);
    for rule in ["kms-key-policy-no-path", "kms-dst-generatedatakey"] {
        assert!(
            keys.iter()
                .any(|k| k.0 == rule && k.2 == "aws_kms_key.replica"),
            "{rule}: {keys:?}"
        );
    }
}
