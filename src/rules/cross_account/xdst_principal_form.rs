use crate::rules::prelude::*;

use super::{cross_account_destinations, wrong_principal_forms};

declare_rule! {
    /// The destination bucket policy grants replication to a principal that is not the replication role.
    ///
    /// ## What goes wrong
    /// Replication requests are made with the replication role's session. A grant to
    /// `{"Service": "s3.amazonaws.com"}`, to a role ARN that differs from the configured role (a
    /// missing `service-role/` path: console-created roles live under `/service-role/`), or to an
    /// assumed-role ARN with a wildcard never matches them.
    ///
    /// ## How to fix
    /// Use the exact role ARN (Terraform `aws_iam_role.x.arn`) or `arn:aws:iam::SRC_ACCOUNT:root`.
    ///
    /// ## Example
    /// Terraform, failing:
    /// ```hcl
    /// data "aws_iam_policy_document" "replica_bucket" {
    ///   statement {
    ///     sid       = "ReplicationObjects"
    ///     actions   = ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"]
    ///     resources = ["${aws_s3_bucket.replica.arn}/*"]
    ///
    ///     principals {
    ///       type        = "Service"
    ///       identifiers = ["s3.amazonaws.com"]
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
    ///             Service: s3.amazonaws.com
    ///           Action:
    ///             - s3:ReplicateObject
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
    /// S3 User Guide, "Setting up permissions for live replication"; replication walkthrough 2;
    /// IAM User Guide, "Principal".
    pub XdstPrincipalForm { id: "xdst-principal-form", code: "G6", group: "cross-account", severity: Error }
}

impl Rule for XdstPrincipalForm {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, sink: &mut Sink<'_>) {
        let g = cx.graph;
        for d in cross_account_destinations(g, |_| {}) {
            let Some(id) = d.policy else { continue };
            let Some(policy) = g.policy(id) else { continue };
            for (item, why) in wrong_principal_forms(policy, d.role) {
                sink.report(
                    &item.loc,
                    format!(
                        "the destination bucket policy grants replication to `{}`, {why}",
                        g.display(&item.text)
                    ),
                )
                .label("does not match the replication role")
                .related(d.r.config.role.loc(), "the replication role")
                .help(format!(
                    "use {{\"AWS\": \"{}\"}} as the principal",
                    g.display(d.role.arn.known().unwrap_or("<role ARN>"))
                ))
                .resource(g.doc(id).address.as_str())
                .discriminator(item.text.as_str());
            }
        }
    }
}
