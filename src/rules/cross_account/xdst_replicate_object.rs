use crate::rules::prelude::*;

declare_rule! {
    /// The cross-account destination bucket policy does not let the role write replicas.
    ///
    /// ## What goes wrong
    /// Cross-account, both the role's policy and the destination bucket policy must allow `s3:ReplicateObject` on the destination objects. Without the bucket policy grant every replica fails with `DstPutObjectNotPermitted`.
    ///
    /// ## How to fix
    /// Add `s3:ReplicateObject` for the replication role (its ARN, or the source account) on
    /// `arn:aws:s3:::DST/*` to the destination bucket policy.
    ///
    /// ## Example
    /// Terraform, failing:
    /// ```hcl
    /// data "aws_iam_policy_document" "replica_bucket" {
    ///   statement {
    ///     sid       = "ReplicationObjects"
    ///     actions   = ["s3:ReplicateDelete", "s3:ReplicateTags"]
    ///     resources = ["${aws_s3_bucket.replica.arn}/*"]
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
    ///             - s3:ReplicateDelete
    ///             - s3:ReplicateTags
    ///           Resource: arn:aws:s3:::acme-data-replica/*
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
    /// S3 User Guide, "Setting up permissions for live replication"; AWS Knowledge Center,
    /// "Why aren't my Amazon S3 objects replicating" and cross-account troubleshooting.
    pub XdstReplicateObject { id: "xdst-replicate-object", code: "G2", group: "cross-account", severity: Error }
}

impl Rule for XdstReplicateObject {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, sink: &mut Sink<'_>) {
        super::report_policy_gap(
            cx,
            sink,
            "s3:ReplicateObject",
            "replicas are denied in the destination account",
        );
    }
}
