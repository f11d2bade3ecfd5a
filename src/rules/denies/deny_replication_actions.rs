use crate::rules::prelude::*;

use super::{Blocker, blocked, describe};

declare_rule! {
    /// A Deny statement blocks an action replication needs.
    ///
    /// ## What goes wrong
    /// An explicit Deny wins over every Allow. A Deny in the role's policies, the source or
    /// destination bucket policy or a key policy that matches the replication role and one of
    /// the actions replication uses (source: GetReplicationConfiguration, ListBucket,
    /// GetObjectVersionForReplication, GetObjectVersionAcl, GetObjectVersionTagging; destination:
    /// ReplicateObject, ReplicateDelete, ReplicateTags; KMS Decrypt/Encrypt) makes replication fail.
    ///
    /// Denies explained by a more specific cause are reported by that rule instead:
    /// `deny-network-origin`, `deny-access-point-only`, `deny-source-context-keys`,
    /// `deny-org-boundary`, `deny-notprincipal`, `deny-sse-enforcement` and `deny-key-policy`.
    ///
    /// ## How to fix
    /// Narrow the Deny, or exempt the replication role with
    /// `"Condition": {"ArnNotEquals": {"aws:PrincipalArn": "<role ARN>"}}`.
    ///
    /// ## Example
    /// Terraform, failing:
    /// ```hcl
    /// data "aws_iam_policy_document" "replica_bucket" {
    ///   # ...
    ///
    ///   statement {
    ///     sid       = "NoReplication"
    ///     effect    = "Deny"
    ///     actions   = ["s3:Replicate*"]
    ///     resources = ["${aws_s3_bucket.replica.arn}/*"]
    ///
    ///     principals {
    ///       type        = "*"
    ///       identifiers = ["*"]
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
    ///         # ...
    ///         - Sid: NoReplication
    ///           Effect: Deny
    ///           Principal: "*"
    ///           Action: s3:Replicate*
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
    /// S3 User Guide, "Troubleshooting replication"; AWS Knowledge Center, "Why aren't my Amazon S3
    /// objects replicating".
    pub DenyReplicationActions { id: "deny-replication-actions", code: "P1", group: "denies", severity: Error }
}

impl Rule for DenyReplicationActions {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, sink: &mut Sink<'_>) {
        let g = cx.graph;
        for b in blocked(cx, Blocker::Statement) {
            let Some(first) = b.needs.first() else {
                continue;
            };
            let role = &g.roles[first.role];
            let address = g
                .doc_of_statement(&b.loc)
                .map(|d| g.doc(d).address.clone())
                .unwrap_or_default();
            sink.report(&b.loc, format!("this Deny blocks the replication role: {}", describe(cx, &b.needs)))
                .label("denies the replication role")
                .help(format!(
                    "exempt the replication role from this statement:\n\"Condition\": {{\"ArnNotEquals\": {{\"aws:PrincipalArn\": \"{}\"}}}}",
                    g.display(role.arn.known().unwrap_or("<role ARN>"))
                ))
                .resource(address)
                .discriminator(format!("{:?}", b.by.as_ref().map(|s| (s.statement, s.policy_index))));
        }
    }
}
