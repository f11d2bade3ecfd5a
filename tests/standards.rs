//! Organization standards (`std-*`) on a hand-built model, configured as `.repl-lint.toml` says.

use repl_lint::config::{self, Config};
use repl_lint::finding::{Finding, Severity};
use repl_lint::graph::Graph;
use repl_lint::model::{
    Bucket, Destination, Format, Model, Origin, Replication, ReplicationRule, Toggle, Value,
};
use repl_lint::rules::{Context, RULES, Sink};
use repl_lint::source::{FileId, Loc};

fn origin(address: &str) -> Origin {
    Origin {
        address: address.into(),
        file: FileId(0),
        header: Loc::span(FileId(0), 0, 1),
        format: Format::Terraform,
    }
}

fn known(text: &str) -> Value<String> {
    Value::known(text.to_string(), Loc::span(FileId(0), 2, 3))
}

fn bucket(address: &str, name: &str, account: &str, region: &str) -> Bucket {
    Bucket {
        origin: origin(address),
        name: known(name),
        arn: Value::default(),
        account: known(account),
        region: known(region),
        settings: Default::default(),
    }
}

/// `src` (111111111111, eu-west-1) replicates to `dst` (222222222222, us-east-1) with rule `r1`:
/// no RTC, no replica key, delete markers disabled, storage class STANDARD.
fn model(rtc: bool) -> Model {
    let rule = ReplicationRule {
        loc: Loc::span(FileId(0), 4, 5),
        id: known("r1"),
        status: known("Enabled"),
        filter: Some(Default::default()),
        delete_marker_replication: known("Disabled"),
        destination: Destination {
            loc: Loc::span(FileId(0), 6, 7),
            bucket: known("arn:aws:s3:::dst"),
            storage_class: known("STANDARD"),
            replication_time: rtc.then(|| Toggle {
                status: known("Enabled"),
                ..Default::default()
            }),
            ..Default::default()
        },
        ..Default::default()
    };
    Model {
        buckets: vec![
            bucket("aws_s3_bucket.src", "src", "111111111111", "eu-west-1"),
            bucket("aws_s3_bucket.dst", "dst", "222222222222", "us-east-1"),
        ],
        replications: vec![Replication {
            origin: origin("aws_s3_bucket_replication_configuration.r"),
            source: known("src"),
            role: known("arn:aws:iam::111111111111:role/replication"),
            token: Value::default(),
            rules: vec![rule],
            depends_on: Vec::new(),
        }],
        ..Default::default()
    }
}

fn run(model: &Model, config: &Config, id: &str) -> Vec<Finding> {
    let graph = Graph::build(model);
    let cx = Context::with_config(&graph, config);
    let rule = RULES.iter().find(|r| r.meta().id == id).unwrap();
    let mut out = Vec::new();
    rule.check(&cx, &mut Sink::new(rule.meta(), &mut out));
    out
}

fn config(text: &str) -> Config {
    config::parse(std::path::Path::new(".repl-lint.toml"), text).unwrap()
}

const ALL: &[&str] = &[
    "std-require-rtc",
    "std-require-replica-kms",
    "std-allowed-destination-accounts",
    "std-allowed-destination-regions",
    "std-require-delete-marker-replication",
    "std-require-storage-class",
];

#[test]
fn standards_are_off_without_config() {
    let m = model(false);
    for id in ALL {
        assert!(run(&m, &Config::default(), id).is_empty(), "{id}");
    }
}

#[test]
fn each_standard_reports_its_violation() {
    let m = model(false);
    let c = config(
        r#"[standards]
require-rtc = true
require-replica-kms = true
allowed-destination-accounts = ["333333333333"]
allowed-destination-regions = ["eu-west-1", "eu-central-1"]
require-delete-marker-replication = true
require-storage-class = "GLACIER_IR"
"#,
    );
    for id in ALL {
        let found = run(&m, &c, id);
        assert_eq!(found.len(), 1, "{id}: {found:?}");
        let f = &found[0];
        assert_eq!(f.severity, Severity::Error, "{id}");
        assert_eq!(f.resource, "aws_s3_bucket_replication_configuration.r");
        assert_eq!(f.discriminator, "r1");
        assert!(!f.primary.is_none(), "{id} has no location");
    }
    let msg = |id| run(&m, &c, id)[0].message.clone();
    assert!(msg("std-allowed-destination-accounts").contains("222222222222"));
    assert!(msg("std-allowed-destination-regions").contains("us-east-1"));
    assert!(msg("std-require-storage-class").contains("STANDARD, not GLACIER_IR"));
}

#[test]
fn compliant_configuration_passes() {
    let mut m = model(true);
    let rule = &mut m.replications[0].rules[0];
    rule.delete_marker_replication = known("Enabled");
    rule.destination.replica_kms_key = known("arn:aws:kms:us-east-1:222222222222:key/abc");
    let c = config(
        r#"[standards]
require-rtc = true
require-replica-kms = true
allowed-destination-accounts = ["222222222222"]
allowed-destination-regions = ["us-east-1"]
require-delete-marker-replication = true
require-storage-class = "STANDARD"
"#,
    );
    for id in ALL {
        assert!(run(&m, &c, id).is_empty(), "{id}");
    }
}

#[test]
fn unknown_destination_account_cannot_be_verified() {
    let mut m = model(false);
    m.buckets[1].account = Value::default();
    let c = config("[standards]\nallowed-destination-accounts = [\"222222222222\"]\n");
    let found = run(&m, &c, "std-allowed-destination-accounts");
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].severity, Severity::Info);
    assert!(found[0].message.starts_with("cannot verify"));
}
