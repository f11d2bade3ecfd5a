//! A hand-built outcome: findings in two files of a temporary repository, as reporters see them.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use repl_lint::engine::Outcome;
use repl_lint::finding::{Finding, Related, Severity};
use repl_lint::model::InputError;
use repl_lint::rules::RULES;
use repl_lint::source::{Loc, SourceDb};
use repl_lint::topology::{Edge, EdgeKind, Node, NodeKind, Topology};

pub const MAIN_TF: &str = r#"resource "aws_s3_bucket" "src" {
  bucket = "src-bucket"
}

resource "aws_s3_bucket_replication_configuration" "r" {
  bucket = aws_s3_bucket.src.id
  role   = aws_iam_role.replication.arn
  rule {
    id     = "all"
    status = "Enabled"
    destination {
      bucket = "arn:aws:s3:::dst-bucket"
    }
  }
}
"#;

pub const ROLE_TF: &str = r#"resource "aws_iam_role" "replication" {
  name = "replication, \"quoted\": 100%"
}
"#;

/// A temporary directory removed on drop.
pub struct TempRepo(pub PathBuf);

impl TempRepo {
    pub fn new(tag: &str) -> TempRepo {
        let dir = std::env::temp_dir().join(format!(
            "repl-lint-{tag}-{}-{:?}",
            std::process::id(),
            std::thread::current().id()
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        TempRepo(dir)
    }

    pub fn write(&self, rel: &str, text: &str) -> PathBuf {
        let p = self.0.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(&p, text).unwrap();
        p
    }

    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempRepo {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn loc_of(db: &SourceDb, file: repl_lint::source::FileId, needle: &str) -> Loc {
    let text = db.text(file);
    let start = text
        .find(needle)
        .unwrap_or_else(|| panic!("{needle} not in file"));
    Loc::span(file, start, start + needle.len())
}

/// Two findings and an input error over `main_tf` (which may have lines added above).
pub fn outcome(repo: &TempRepo, main_tf: &str) -> Outcome {
    let main = repo.write("infra/main.tf", main_tf);
    let role = repo.write("infra/iam/role.tf", ROLE_TF);
    let mut sources = SourceDb::new();
    let m = sources.add(main, main_tf);
    let r = sources.add(role, ROLE_TF);
    let rule = RULES[0].meta();
    let other = RULES[1].meta();
    let findings = vec![
        Finding {
            rule,
            severity: Severity::Error,
            message: "destination `dst-bucket` is not versioned".into(),
            primary: loc_of(&sources, m, "\"arn:aws:s3:::dst-bucket\""),
            label: "here".into(),
            related: vec![Related {
                loc: loc_of(&sources, r, "resource \"aws_iam_role\" \"replication\""),
                message: "role defined here".into(),
            }],
            help: Some("enable versioning:\n  versioning { enabled = true }".into()),
            resource: "aws_s3_bucket_replication_configuration.r".into(),
            discriminator: "all".into(),
        },
        Finding {
            rule: other,
            severity: Severity::Warning,
            message: "a message, with: commas\nand 100% newlines".into(),
            primary: loc_of(&sources, m, "rule {\n    id     = \"all\""),
            label: String::new(),
            related: Vec::new(),
            help: None,
            resource: "aws_s3_bucket.src".into(),
            discriminator: String::new(),
        },
        Finding {
            rule: other,
            severity: Severity::Info,
            message: "cannot verify: the key is known only after apply".into(),
            primary: loc_of(&sources, r, "name"),
            label: String::new(),
            related: Vec::new(),
            help: Some("pass --account".into()),
            resource: "aws_iam_role.replication".into(),
            discriminator: "k".into(),
        },
    ];
    let input_errors = vec![InputError {
        loc: loc_of(&sources, r, "100%"),
        file: r,
        message: "unknown YAML tag".into(),
        warning: true,
    }];
    let topology = Topology {
        nodes: vec![
            Node {
                kind: NodeKind::Bucket,
                label: "src-bucket".into(),
                address: Some("aws_s3_bucket.src".into()),
                account: Some("111111111111".into()),
                parts: Vec::new(),
            },
            Node {
                kind: NodeKind::Bucket,
                label: "dst-bucket".into(),
                address: None,
                account: None,
                parts: Vec::new(),
            },
            Node {
                kind: NodeKind::Role,
                label: "replication".into(),
                address: Some("aws_iam_role.replication".into()),
                account: Some("111111111111".into()),
                parts: Vec::new(),
            },
        ],
        edges: vec![
            Edge {
                from: 0,
                to: 1,
                kind: EdgeKind::Replicates,
                label: "all".into(),
                replication: "aws_s3_bucket_replication_configuration.r".into(),
            },
            Edge {
                from: 2,
                to: 0,
                kind: EdgeKind::RoleOf,
                label: String::new(),
                replication: "aws_s3_bucket_replication_configuration.r".into(),
            },
        ],
    };
    Outcome {
        sources,
        findings,
        input_errors,
        notes: Vec::new(),
        topology,
        suppressed: 0,
        baselined: 0,
    }
}

pub fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_repl-lint"))
}

/// Validates against `tests/data/sarif-schema-2.1.0.json`: from the npm package
/// `@microsoft/sarif-multitool-linux` 5.7.0 (MIT), the schema the SARIF Multitool validates with.
pub fn validate(doc: &serde_json::Value) {
    static VALIDATOR: std::sync::OnceLock<jsonschema::Validator> = std::sync::OnceLock::new();
    let validator = VALIDATOR.get_or_init(|| {
        let schema: serde_json::Value =
            serde_json::from_str(include_str!("../data/sarif-schema-2.1.0.json")).unwrap();
        jsonschema::options()
            .should_validate_formats(true)
            .build(&schema)
            .expect("schema compiles")
    });
    let errors: Vec<String> = validator
        .iter_errors(doc)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "SARIF schema errors:\n{}",
        errors.join("\n")
    );
}
