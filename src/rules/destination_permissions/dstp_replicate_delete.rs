use crate::rules::grants;
use crate::rules::prelude::*;

declare_rule! {
    /// The replication role may not replicate delete markers.
    ///
    /// ## What goes wrong
    /// With delete marker replication enabled (or any V1 rule, which replicates delete markers),
    /// S3 needs `s3:ReplicateDelete` on the destination objects; otherwise delete markers fail with
    /// `DstDelObjNotPermitted`.
    ///
    /// ## How to fix
    /// Add `s3:ReplicateDelete` on `arn:aws:s3:::DST/*` to the role's policy (and, cross-account,
    /// to the destination bucket policy).
    ///
    /// ## Example
    /// Terraform, failing:
    /// ```hcl
    /// data "aws_iam_policy_document" "replication" {
    ///   # ...
    ///
    ///   statement {
    ///     sid       = "DestinationObjects"
    ///     actions   = ["s3:ReplicateObject", "s3:ReplicateTags"]
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
    ///                 - s3:ReplicateTags
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
    /// S3 User Guide, "Setting up permissions for live replication"; replication failure reasons;
    /// AWS Knowledge Center, "Why aren't my Amazon S3 objects replicating".
    pub DstpReplicateDelete { id: "dstp-replicate-delete", code: "F2", group: "destination-permissions", severity: Error }
}

impl Rule for DstpReplicateDelete {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, sink: &mut Sink<'_>) {
        grants::report_identity(
            cx,
            sink,
            &["s3:ReplicateDelete"],
            "delete markers cannot be replicated (DstDelObjNotPermitted)",
        );
    }
}
