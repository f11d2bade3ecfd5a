use crate::rules::grants;
use crate::rules::prelude::*;

declare_rule! {
    /// The replication role may not write replicas into the destination.
    ///
    /// ## What goes wrong
    /// S3 writes each replica with `s3:ReplicateObject` on destination **object** ARNs
    /// (`arn:aws:s3:::DST/*`). Without it every object fails with `DstPutObjectNotPermitted`.
    ///
    /// ## How to fix
    /// ```json
    /// {"Effect": "Allow", "Action": ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"], "Resource": "arn:aws:s3:::DST/*"}
    /// ```
    /// Cross-account, the destination bucket policy must grant the same actions to the role
    /// (`xdst-replicate-object`).
    ///
    /// ## Example
    /// Terraform, failing:
    /// ```hcl
    /// data "aws_iam_policy_document" "replication" {
    ///   # ...
    ///
    ///   statement {
    ///     sid       = "DestinationObjects"
    ///     actions   = ["s3:ReplicateDelete", "s3:ReplicateTags"]
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
    ///                 - s3:ReplicateDelete
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
    /// S3 User Guide, "Setting up permissions for live replication"; replication failure reasons.
    pub DstpReplicateObject { id: "dstp-replicate-object", code: "F1", group: "destination-permissions", severity: Error }
}

impl Rule for DstpReplicateObject {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, sink: &mut Sink<'_>) {
        grants::report_identity(
            cx,
            sink,
            &["s3:ReplicateObject"],
            "replicas cannot be written (DstPutObjectNotPermitted)",
        );
    }
}
