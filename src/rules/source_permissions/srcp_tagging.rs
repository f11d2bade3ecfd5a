use crate::rules::grants;
use crate::rules::prelude::*;

declare_rule! {
    /// The replication role may not read the tags of source object versions.
    ///
    /// ## What goes wrong
    /// Without `s3:GetObjectVersionTagging` on the source objects, objects replicate without their
    /// tags (per "Setting up permissions") or fail with `SrcGetTaggingNotPermitted` (per the failure
    /// reasons). Either way, data is not replicated.
    ///
    /// ## How to fix
    /// Add `s3:GetObjectVersionTagging` on `arn:aws:s3:::SRC/*` to the role's policy.
    ///
    /// ## Example
    /// Terraform, failing:
    /// ```hcl
    /// data "aws_iam_policy_document" "replication" {
    ///   # ...
    ///
    ///   statement {
    ///     sid       = "SourceObjects"
    ///     actions   = ["s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl"]
    ///     resources = ["${aws_s3_bucket.source.arn}/*"]
    ///   }
    ///   # ...
    /// }
    /// ```
    /// Terraform, fixed:
    /// ```hcl
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
    ///             - Sid: SourceObjects
    ///               Effect: Allow
    ///               Action:
    ///                 - s3:GetObjectVersionForReplication
    ///                 - s3:GetObjectVersionAcl
    ///               Resource: arn:aws:s3:::acme-data-source/*
    ///             # ...
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
    ///
    /// ## Sources
    /// S3 User Guide, "Setting up permissions for live replication"; replication failure reasons;
    /// AWS Knowledge Center, cross-account replication troubleshooting.
    pub SrcpTagging { id: "srcp-tagging", code: "E4", group: "source-permissions", severity: Error }
}

impl Rule for SrcpTagging {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, sink: &mut Sink<'_>) {
        grants::report_identity(
            cx,
            sink,
            &["s3:GetObjectVersionTagging"],
            "object tags are not replicated (SrcGetTaggingNotPermitted)",
        );
    }
}
