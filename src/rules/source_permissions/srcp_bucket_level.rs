use crate::rules::grants;
use crate::rules::prelude::*;

declare_rule! {
    /// The replication role may not read the source bucket's replication configuration or list it.
    ///
    /// ## What goes wrong
    /// S3 assumes the role and calls `s3:GetReplicationConfiguration` and `s3:ListBucket` on the
    /// source **bucket** ARN (`arn:aws:s3:::SRC`, no `/*`). Without them nothing replicates.
    ///
    /// ## How to fix
    /// ```json
    /// {"Effect": "Allow", "Action": ["s3:GetReplicationConfiguration", "s3:ListBucket"], "Resource": "arn:aws:s3:::SRC"}
    /// ```
    ///
    /// ## Example
    /// Terraform, failing:
    /// ```hcl
    /// data "aws_iam_policy_document" "replication" {
    ///   statement {
    ///     sid       = "SourceBucket"
    ///     actions   = ["s3:GetReplicationConfiguration"]
    ///     resources = [aws_s3_bucket.source.arn]
    ///   }
    ///   # ...
    /// }
    /// ```
    /// Terraform, fixed:
    /// ```hcl
    /// data "aws_iam_policy_document" "replication" {
    ///   statement {
    ///     sid       = "SourceBucket"
    ///     actions   = ["s3:GetReplicationConfiguration", "s3:ListBucket"]
    ///     resources = [aws_s3_bucket.source.arn]
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
    ///             - Sid: SourceBucket
    ///               Effect: Allow
    ///               Action:
    ///                 - s3:GetReplicationConfiguration
    ///               Resource: arn:aws:s3:::acme-data-source
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
    ///             - Sid: SourceBucket
    ///               Effect: Allow
    ///               Action:
    ///                 - s3:GetReplicationConfiguration
    ///                 - s3:ListBucket
    ///               Resource: arn:aws:s3:::acme-data-source
    ///             # ...
    ///     # ...
    /// ```
    ///
    /// ## Sources
    /// S3 User Guide, "Setting up permissions for live replication"; "Troubleshooting replication".
    pub SrcpBucketLevel { id: "srcp-bucket-level", code: "E1", group: "source-permissions", severity: Error }
}

impl Rule for SrcpBucketLevel {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, sink: &mut Sink<'_>) {
        grants::report_identity(
            cx,
            sink,
            &["s3:GetReplicationConfiguration", "s3:ListBucket"],
            "S3 cannot read the replication configuration or list the source bucket (ListBucket is needed for delete markers)",
        );
    }
}
