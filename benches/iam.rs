//! One evaluation of a realistic cross-account replication request should take microseconds.

use criterion::{Criterion, criterion_group, criterion_main};
use repl_lint::iam::{
    Policy, PolicyContext, PolicyKind, Principal, Request, RequestContext, evaluate,
};
use repl_lint::source::FileId;

const IDENTITY: &str = r#"{"Version": "2012-10-17", "Statement": [
  {"Sid": "Source", "Effect": "Allow", "Action": ["s3:GetReplicationConfiguration", "s3:ListBucket"], "Resource": "arn:aws:s3:::src-bucket"},
  {"Sid": "SourceObjects", "Effect": "Allow", "Action": ["s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl", "s3:GetObjectVersionTagging"], "Resource": "arn:aws:s3:::src-bucket/*"},
  {"Sid": "Destination", "Effect": "Allow", "Action": ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"], "Resource": "arn:aws:s3:::dest-bucket/*"},
  {"Sid": "Keys", "Effect": "Allow", "Action": ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"], "Resource": "*",
   "Condition": {"StringLike": {"kms:ViaService": "s3.*.amazonaws.com"}}}]}"#;

const BUCKET: &str = r#"{"Version": "2012-10-17", "Statement": [
  {"Sid": "Replication", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111111111111:role/s3-repl-role"},
   "Action": ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"], "Resource": "arn:aws:s3:::dest-bucket/*"},
  {"Sid": "TLS", "Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": ["arn:aws:s3:::dest-bucket", "arn:aws:s3:::dest-bucket/*"],
   "Condition": {"Bool": {"aws:SecureTransport": "false"}}},
  {"Sid": "Org", "Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "arn:aws:s3:::dest-bucket/*",
   "Condition": {"StringNotEqualsIfExists": {"aws:PrincipalAccount": ["111111111111", "222222222222"]}}}]}"#;

const BOUNDARY: &str = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["s3:*", "kms:*"], "Resource": "*"}]}"#;
const SCP: &str = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"},
  {"Effect": "Deny", "Action": "s3:PutBucketPolicy", "Resource": "*"}]}"#;

fn read(text: &str, kind: PolicyKind) -> Policy {
    Policy::parse(text, FileId(0), kind)
        .map(|(p, _)| p)
        .unwrap_or_else(|e| panic!("bench policy: {e}"))
}

fn bench(c: &mut Criterion) {
    let identity = read(IDENTITY, PolicyKind::Identity);
    let bucket = read(BUCKET, PolicyKind::Bucket);
    let boundary = read(BOUNDARY, PolicyKind::Boundary);
    let scp = read(SCP, PolicyKind::Scp);
    let principal = Principal::role_session("arn:aws:iam::111111111111:role/s3-repl-role");
    let ctx = RequestContext::for_role_session(&principal);
    let req = Request {
        principal: &principal,
        action: "s3:ReplicateObject",
        resource: "arn:aws:s3:::dest-bucket/photos/2024/cat.jpg",
        resource_owner: Some("222222222222"),
        context: &ctx,
    };
    let pc = PolicyContext {
        identity: vec![&identity],
        boundary: Some(&boundary),
        resource_policy: Some(&bucket),
        scps: vec![vec![&scp], vec![&scp]],
        ..Default::default()
    };
    assert!(evaluate(&req, &pc).is_allow());
    c.bench_function("evaluate cross-account ReplicateObject", |b| {
        b.iter(|| evaluate(std::hint::black_box(&req), std::hint::black_box(&pc)))
    });
    c.bench_function("parse + read bucket policy", |b| {
        b.iter(|| read(std::hint::black_box(BUCKET), PolicyKind::Bucket))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
