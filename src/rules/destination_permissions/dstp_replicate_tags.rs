use crate::rules::grants;
use crate::rules::prelude::*;

declare_rule! {
    /// The replication role may not replicate object tags.
    ///
    /// ## What goes wrong
    /// AWS documents disagree: one passage says `s3:ReplicateObject` also covers tags, another
    /// (and the cross-account Knowledge Center article) that tags replicate only with
    /// `s3:ReplicateTags`. Hence a warning: grant it to be safe.
    ///
    /// ## How to fix
    /// Add `s3:ReplicateTags` on `arn:aws:s3:::DST/*` to the role's policy.
    ///
    /// ## Example
    /// Terraform, failing:
    /// ```hcl
    /// data "aws_iam_policy_document" "replication" {
    ///   # ...
    ///
    ///   statement {
    ///     sid       = "DestinationObjects"
    ///     actions   = ["s3:ReplicateObject", "s3:ReplicateDelete"]
    ///     resources = ["${aws_s3_bucket.replica.arn}/*"]
    ///   }
    /// }
    /// ```
    /// Terraform, fixed:
    /// ```hcl
    /// data "aws_iam_policy_document" "replication" {
    ///   # ...
    ///
    ///   statement {
    ///     sid       = "DestinationObjects"
    ///     actions   = ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"]
    ///     resources = ["${aws_s3_bucket.replica.arn}/*"]
    ///   }
    /// }
    /// ```
    /// CloudFormation, failing:
    /// ```yaml
    /// ReplicationRole:
    ///   Type: AWS::IAM::Role
    ///   Properties:
    ///     RoleName: s3-replication
    ///     Policies:
    ///       - PolicyName: s3-replication
    ///         PolicyDocument:
    ///           Version: "2012-10-17"
    ///           Statement:
    ///             # ...
    ///             - Sid: DestinationObjects
    ///               Effect: Allow
    ///               Action:
    ///                 - s3:ReplicateObject
    ///                 - s3:ReplicateDelete
    ///               Resource: arn:aws:s3:::acme-data-replica/*
    ///     # ...
    /// ```
    /// CloudFormation, fixed:
    /// ```yaml
    /// ReplicationRole:
    ///   Type: AWS::IAM::Role
    ///   Properties:
    ///     RoleName: s3-replication
    ///     Policies:
    ///       - PolicyName: s3-replication
    ///         PolicyDocument:
    ///           Version: "2012-10-17"
    ///           Statement:
    ///             # ...
    ///             - Sid: DestinationObjects
    ///               Effect: Allow
    ///               Action:
    ///                 - s3:ReplicateObject
    ///                 - s3:ReplicateDelete
    ///                 - s3:ReplicateTags
    ///               Resource: arn:aws:s3:::acme-data-replica/*
    ///     # ...
    /// ```
    ///
    /// ## Sources
    /// S3 User Guide, "Setting up permissions for live replication"; AWS Knowledge Center,
    /// cross-account replication troubleshooting; catalogue §7.
    pub DstpReplicateTags { id: "dstp-replicate-tags", code: "F3", group: "destination-permissions", severity: Warning }
}

impl Rule for DstpReplicateTags {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, sink: &mut Sink<'_>) {
        grants::report_identity(
            cx,
            sink,
            &["s3:ReplicateTags"],
            "object tags may not be replicated",
        );
    }
}
