use crate::rules::prelude::*;

declare_rule! {
    /// The cross-account destination bucket policy does not allow changing the replica owner.
    ///
    /// ## What goes wrong
    /// With access control translation, the destination owner must grant `s3:ObjectOwnerOverrideToBucketOwner` on the destination objects to the role (or the source account id) in the bucket policy.
    ///
    /// ## How to fix
    /// Add `s3:ObjectOwnerOverrideToBucketOwner` for the replication role (its ARN, or the source account) on
    /// `arn:aws:s3:::DST/*` to the destination bucket policy.
    ///
    /// ## Example
    /// Terraform, failing:
    /// ```hcl
    /// # the rule's destination has access_control_translation { owner = "Destination" }
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
    /// Terraform, fixed:
    /// ```hcl
    /// # the rule's destination has access_control_translation { owner = "Destination" }
    /// data "aws_iam_policy_document" "replica_bucket" {
    ///   statement {
    ///     sid     = "ReplicationObjects"
    ///     actions = [
    ///       "s3:ReplicateObject",
    ///       "s3:ReplicateDelete",
    ///       "s3:ReplicateTags",
    ///       "s3:ObjectOwnerOverrideToBucketOwner",
    ///     ]
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
    /// # the rule's Destination has AccessControlTranslation: {Owner: Destination}
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
    /// CloudFormation, fixed:
    /// ```yaml
    /// # the rule's Destination has AccessControlTranslation: {Owner: Destination}
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
    ///             - s3:ObjectOwnerOverrideToBucketOwner
    ///           Resource: arn:aws:s3:::acme-data-replica/*
    /// ```
    ///
    /// ## Sources
    /// S3 User Guide, "Setting up permissions for live replication"; AWS Knowledge Center,
    /// "Why aren't my Amazon S3 objects replicating" and cross-account troubleshooting.
    pub XdstOwnerOverride { id: "xdst-owner-override", code: "G5", group: "cross-account", severity: Error }
}

impl Rule for XdstOwnerOverride {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, sink: &mut Sink<'_>) {
        super::report_policy_gap(
            cx,
            sink,
            "s3:ObjectOwnerOverrideToBucketOwner",
            "the replica owner cannot be changed in the destination account",
        );
    }
}
