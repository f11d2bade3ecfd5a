use crate::rules::prelude::*;

use super::{cross_account_destinations, object_resource_misses};

declare_rule! {
    /// The destination bucket policy grants replication on the bucket ARN or `bucket/` instead of its objects.
    ///
    /// ## What goes wrong
    /// `s3:ReplicateObject` and the other replicate actions apply to **objects**. A Resource of
    /// `arn:aws:s3:::DST/` (trailing slash, no `*`) or `arn:aws:s3:::DST` matches no object key,
    /// so the grant is dead and every replica is denied.
    ///
    /// ## How to fix
    /// Use `arn:aws:s3:::DST/*` (or `DST/<prefix>*`).
    ///
    /// ## Example
    /// Terraform, failing:
    /// ```hcl
    /// data "aws_iam_policy_document" "replica_bucket" {
    ///   statement {
    ///     sid       = "ReplicationObjects"
    ///     actions   = ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"]
    ///     resources = ["${aws_s3_bucket.replica.arn}/"]
    ///
    ///     principals {
    ///       type        = "AWS"
    ///       identifiers = [aws_iam_role.replication.arn]
    ///     }
    ///   }
    /// }
    /// ```
    /// Terraform, fixed:
    /// ```hcl
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
    ///           Resource: arn:aws:s3:::acme-data-replica/
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
    /// AWS Knowledge Center, cross-account replication troubleshooting (its example uses
    /// `…-bucket/`); Service Authorization Reference for Amazon S3.
    pub XdstObjectResource { id: "xdst-object-resource", code: "G7", group: "cross-account", severity: Error }
}

impl Rule for XdstObjectResource {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, sink: &mut Sink<'_>) {
        let g = cx.graph;
        for d in cross_account_destinations(g, |_| {}) {
            let Some(id) = d.policy else { continue };
            let Some(policy) = g.policy(id) else { continue };
            let Some(bucket_arn) = g.buckets[d.bucket].arn.known() else {
                continue;
            };
            for item in object_resource_misses(policy, d.role, bucket_arn) {
                sink.report(
                    &item.loc,
                    format!(
                        "`{}` matches no object, so this replication grant has no effect",
                        g.display(&item.text)
                    ),
                )
                .label("needs /* to match objects")
                .help(format!("use \"{}/*\"", g.display(bucket_arn)))
                .resource(g.doc(id).address.as_str())
                .discriminator(item.text.as_str());
            }
        }
    }
}
