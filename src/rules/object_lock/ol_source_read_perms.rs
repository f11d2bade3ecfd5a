use crate::rules::grants;
use crate::rules::prelude::*;

declare_rule! {
    /// The source bucket uses Object Lock but the role may not read retention and legal holds.
    ///
    /// ## What goes wrong
    /// Replicating from an Object Lock bucket needs `s3:GetObjectRetention` and
    /// `s3:GetObjectLegalHold` on the source objects (`s3:Get*` covers both). Otherwise objects
    /// fail with `SrcGetRetentionNotPermitted` / `SrcGetLegalHoldNotPermitted`.
    ///
    /// ## How to fix
    /// Add `s3:GetObjectRetention` and `s3:GetObjectLegalHold` on `arn:aws:s3:::SRC/*`.
    ///
    /// ## Example
    /// Terraform, failing:
    /// ```hcl
    /// resource "aws_s3_bucket" "source" {
    ///   bucket              = "acme-data-source"
    ///   object_lock_enabled = true
    /// }
    ///
    /// data "aws_iam_policy_document" "replication" {
    ///   # ...
    ///
    ///   statement {
    ///     sid     = "SourceObjects"
    ///     actions = [
    ///       "s3:GetObjectVersionForReplication",
    ///       "s3:GetObjectVersionAcl",
    ///       "s3:GetObjectVersionTagging",
    ///     ]
    ///     resources = ["${aws_s3_bucket.source.arn}/*"]
    ///   }
    ///   # ...
    /// }
    /// ```
    /// Terraform, fixed:
    /// ```hcl
    /// resource "aws_s3_bucket" "source" {
    ///   bucket              = "acme-data-source"
    ///   object_lock_enabled = true
    /// }
    ///
    /// data "aws_iam_policy_document" "replication" {
    ///   # ...
    ///
    ///   statement {
    ///     sid     = "SourceObjects"
    ///     actions = [
    ///       "s3:GetObjectVersionForReplication",
    ///       "s3:GetObjectVersionAcl",
    ///       "s3:GetObjectVersionTagging",
    ///       "s3:GetObjectRetention",
    ///       "s3:GetObjectLegalHold",
    ///     ]
    ///     resources = ["${aws_s3_bucket.source.arn}/*"]
    ///   }
    ///   # ...
    /// }
    /// ```
    /// CloudFormation, failing:
    /// ```yaml
    /// # SourceBucket has ObjectLockEnabled: true
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
    ///             - Sid: SourceObjects
    ///               Effect: Allow
    ///               Action:
    ///                 - s3:GetObjectVersionForReplication
    ///                 - s3:GetObjectVersionAcl
    ///                 - s3:GetObjectVersionTagging
    ///               Resource: arn:aws:s3:::acme-data-source/*
    ///             # ...
    ///     # ...
    /// ```
    /// CloudFormation, fixed:
    /// ```yaml
    /// # SourceBucket has ObjectLockEnabled: true
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
    ///             - Sid: SourceObjects
    ///               Effect: Allow
    ///               Action:
    ///                 - s3:GetObjectVersionForReplication
    ///                 - s3:GetObjectVersionAcl
    ///                 - s3:GetObjectVersionTagging
    ///                 - s3:GetObjectRetention
    ///                 - s3:GetObjectLegalHold
    ///               Resource: arn:aws:s3:::acme-data-source/*
    ///             # ...
    ///     # ...
    /// ```
    ///
    /// ## Sources
    /// S3 User Guide, Object Lock considerations; "Setting up permissions for live replication";
    /// replication failure reasons.
    pub OlSourceReadPerms { id: "ol-source-read-perms", code: "L2", group: "object-lock", severity: Error }
}

impl Rule for OlSourceReadPerms {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, sink: &mut Sink<'_>) {
        grants::report_identity(
            cx,
            sink,
            &["s3:GetObjectRetention", "s3:GetObjectLegalHold"],
            "Object Lock retention and legal holds cannot be read (SrcGetRetentionNotPermitted, SrcGetLegalHoldNotPermitted)",
        );
    }
}
