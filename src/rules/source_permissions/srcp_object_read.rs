use crate::rules::grants;
use crate::rules::prelude::*;

declare_rule! {
    /// The replication role may not read source object versions and their ACLs.
    ///
    /// ## What goes wrong
    /// S3 reads every object version with `s3:GetObjectVersionForReplication` and its ACL with
    /// `s3:GetObjectVersionAcl`, on source **object** ARNs (`arn:aws:s3:::SRC/*`). Without them each
    /// object fails with `SrcGetObjectNotPermitted` or `SrcGetAclNotPermitted`.
    ///
    /// ## How to fix
    /// ```json
    /// {"Effect": "Allow", "Action": ["s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl", "s3:GetObjectVersionTagging"], "Resource": "arn:aws:s3:::SRC/*"}
    /// ```
    ///
    /// ## Example
    /// Terraform, failing:
    /// ```hcl
    /// data "aws_iam_policy_document" "replication" {
    ///   # ...
    ///
    ///   statement {
    ///     sid       = "SourceObjects"
    ///     actions   = ["s3:GetObjectVersionAcl", "s3:GetObjectVersionTagging"]
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
    ///                 - s3:GetObjectVersionAcl
    ///                 - s3:GetObjectVersionTagging
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
    /// S3 User Guide, "Setting up permissions for live replication"; replication failure reasons.
    pub SrcpObjectRead { id: "srcp-object-read", code: "E2", group: "source-permissions", severity: Error }
}

impl Rule for SrcpObjectRead {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, sink: &mut Sink<'_>) {
        grants::report_identity(
            cx,
            sink,
            &[
                "s3:GetObjectVersionForReplication",
                "s3:GetObjectVersionAcl",
            ],
            "objects cannot be read for replication (SrcGetObjectNotPermitted, SrcGetAclNotPermitted)",
        );
    }
}
