use crate::rules::access::allow_statement;
use crate::rules::prelude::*;

use super::{cross_account_destinations, grants_role_anything, wrong_principal_forms};

declare_rule! {
    /// A cross-account destination bucket has no bucket policy for the replication role.
    ///
    /// ## What goes wrong
    /// When source and destination belong to different accounts, the destination owner must
    /// grant the source account's replication role in the destination **bucket policy**; the
    /// role's own permissions are not enough. Without it every replica is denied.
    ///
    /// ## How to fix
    /// Add a bucket policy on the destination that grants the role `s3:ReplicateObject`,
    /// `s3:ReplicateDelete` and `s3:ReplicateTags` on `arn:aws:s3:::DST/*` (in the console:
    /// Replication rules → Actions → "Receive replicated objects" generates it).
    ///
    /// ## Example
    /// Terraform, failing:
    /// ```hcl
    /// provider "aws" {
    ///   alias               = "replica"
    ///   region              = "us-west-2"
    ///   allowed_account_ids = ["222222222222"]
    /// }
    ///
    /// resource "aws_s3_bucket" "replica" {
    ///   provider = aws.replica
    ///
    ///   bucket = "acme-data-replica"
    /// }
    ///
    /// # no aws_s3_bucket_policy for aws_s3_bucket.replica
    /// ```
    /// Terraform, fixed:
    /// ```hcl
    /// resource "aws_s3_bucket_policy" "replica" {
    ///   provider = aws.replica
    ///
    ///   bucket = aws_s3_bucket.replica.id
    ///   policy = data.aws_iam_policy_document.replica_bucket.json
    /// }
    ///
    /// data "aws_iam_policy_document" "replica_bucket" {
    ///   statement {
    ///     sid       = "ReplicationObjects"
    ///     actions   = ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"]
    ///     resources = ["${aws_s3_bucket.replica.arn}/*"]
    ///
    ///     principals {
    ///       type        = "AWS"
    ///       identifiers = [aws_iam_role.replication.arn]
    ///     }
    ///   }
    /// }
    /// ```
    /// CloudFormation, failing:
    /// ```yaml
    /// # destination.yaml, deployed to account 222222222222
    /// ReplicaBucket:
    ///   Type: AWS::S3::Bucket
    ///   Properties:
    ///     BucketName: acme-data-replica
    ///     VersioningConfiguration:
    ///       Status: Enabled
    /// # no AWS::S3::BucketPolicy for ReplicaBucket
    /// ```
    /// CloudFormation, fixed:
    /// ```yaml
    /// ReplicaBucketPolicy:
    ///   Type: AWS::S3::BucketPolicy
    ///   Properties:
    ///     Bucket: !Ref ReplicaBucket
    ///     PolicyDocument:
    ///       Version: "2012-10-17"
    ///       Statement:
    ///         - Sid: ReplicationObjects
    ///           Effect: Allow
    ///           Principal:
    ///             AWS: arn:aws:iam::111111111111:role/s3-replication
    ///           Action:
    ///             - s3:ReplicateObject
    ///             - s3:ReplicateDelete
    ///             - s3:ReplicateTags
    ///           Resource: arn:aws:s3:::acme-data-replica/*
    /// ```
    ///
    /// ## Sources
    /// S3 User Guide, "Requirements and considerations for replication"; "Setting up permissions
    /// for live replication"; AWS Knowledge Center, cross-account replication troubleshooting.
    pub XdstPolicyMissing { id: "xdst-policy-missing", code: "G1", group: "cross-account", severity: Error }
}

impl Rule for XdstPolicyMissing {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, sink: &mut Sink<'_>) {
        let g = cx.graph;
        let mut external = Vec::new();
        let destinations = cross_account_destinations(g, |r| {
            external.push((
                r.rule.destination.bucket.loc().clone(),
                r.destination_text(),
                r.address().to_string(),
                r.key(),
            ))
        });
        for (loc, text, address, key) in external {
            sink.cannot_verify(
                &loc,
                format!("the destination `{text}` is in another account and not in the input, so its bucket policy cannot be checked"),
                "pass the destination account's stack, plan or Terraform sources as well",
            )
            .resource(address)
            .discriminator(key);
        }
        let mut seen = foldhash::HashSet::default();
        for d in destinations {
            if !seen.insert((d.bucket, d.role.index)) {
                continue;
            }
            let bucket = &g.buckets[d.bucket];
            let dst_arn = bucket.arn.known().unwrap_or_default().to_string();
            let statement = allow_statement(
                g,
                d.role.arn.known(),
                &[
                    "s3:ReplicateObject",
                    "s3:ReplicateDelete",
                    "s3:ReplicateTags",
                ],
                &format!("{dst_arn}/*"),
            );
            match d.policy {
                None => {
                    sink.report(
                        &bucket.bucket.origin.header,
                        format!(
                            "destination bucket `{}` is in another account than the replication role but has no bucket policy granting it",
                            g.bucket_text(bucket)
                        ),
                    )
                    .label("no bucket policy")
                    .related(d.r.rule.destination.bucket.loc(), "replicated to from here")
                    .help(format!(
                        "add a bucket policy to the destination (aws_s3_bucket_policy / AWS::S3::BucketPolicy):\n{{\"Version\": \"2012-10-17\", \"Statement\": [{statement}]}}"
                    ))
                    .resource(bucket.address());
                }
                Some(id) => {
                    let Some(policy) = g.policy(id) else { continue };
                    if grants_role_anything(policy, d.role)
                        || !wrong_principal_forms(policy, d.role).is_empty()
                    {
                        continue;
                    }
                    sink.report(
                        &g.doc(id).doc.loc,
                        format!(
                            "the bucket policy of `{}` grants nothing to the replication role `{}` of another account",
                            g.bucket_text(bucket),
                            g.display(d.role.arn.known().unwrap_or("?"))
                        ),
                    )
                    .label("no statement names the replication role")
                    .related(d.r.rule.destination.bucket.loc(), "replicated to from here")
                    .help(format!("add this statement to the bucket policy:\n{statement}"))
                    .resource(g.doc(id).address.as_str());
                }
            }
        }
    }
}
