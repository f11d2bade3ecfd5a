use crate::rules::prelude::*;

use super::{Blocker, exempt_role_help, report_kind};

declare_rule! {
    /// A Deny in the source or replica key's policy blocks the replication role.
    ///
    /// ## What goes wrong
    /// Replication of SSE-KMS objects calls `kms:Decrypt` on the source key and `kms:Encrypt` /
    /// `kms:GenerateDataKey` on the replica key as the replication role. Granting them is
    /// "sufficient unless there are deny statements in the source KMS key policy": a matching
    /// Deny in either key policy wins over every Allow, and the objects are not replicated
    /// (`SrcKmsKeyNotPermitted`, `DstKmsKeyNotPermitted`-style failures). Key-policy denies on
    /// network origin, access points or `aws:Source*` keys are reported by `deny-network-origin`,
    /// `deny-access-point-only` and `deny-source-context-keys`, and those on the organization by
    /// `deny-org-boundary`.
    ///
    /// ## How to fix
    /// Narrow the Deny, or exempt the replication role with
    /// `"ArnNotEquals": {"aws:PrincipalArn": "<role ARN>"}`.
    ///
    /// ## Example
    /// Terraform, failing:
    /// ```hcl
    /// {
    ///   Sid       = "DenyDecryptOutsideApp"
    ///   Effect    = "Deny"
    ///   Principal = "*"
    ///   Action    = "kms:Decrypt"
    ///   Resource  = "*"
    ///   Condition = { ArnNotLike = { "aws:PrincipalArn" = "arn:aws:iam::111111111111:role/app-*" } }
    /// }
    /// ```
    /// Terraform, fixed:
    /// ```hcl
    /// {
    ///   Sid       = "DenyDecryptOutsideApp"
    ///   Effect    = "Deny"
    ///   Principal = "*"
    ///   Action    = "kms:Decrypt"
    ///   Resource  = "*"
    ///   Condition = { ArnNotLike = { "aws:PrincipalArn" = [
    ///     "arn:aws:iam::111111111111:role/app-*",
    ///     "arn:aws:iam::111111111111:role/replication",
    ///   ] } }
    /// }
    /// ```
    /// CloudFormation, failing:
    /// ```yaml
    /// - Effect: Deny
    ///   Principal: "*"
    ///   Action: kms:Decrypt
    ///   Resource: "*"
    ///   Condition: {ArnNotLike: {"aws:PrincipalArn": "arn:aws:iam::111111111111:role/app-*"}}
    /// ```
    /// CloudFormation, fixed:
    /// ```yaml
    /// - Effect: Deny
    ///   Principal: "*"
    ///   Action: kms:Decrypt
    ///   Resource: "*"
    ///   Condition:
    ///     ArnNotLike: {"aws:PrincipalArn": ["arn:aws:iam::111111111111:role/app-*", !GetAtt ReplicationRole.Arn]}
    /// ```
    ///
    /// ## Sources
    /// AWS Knowledge Center, "Why aren't my Amazon S3 objects replicating"; S3 User Guide,
    /// "Troubleshooting replication".
    pub DenyKeyPolicy { id: "deny-key-policy", code: "P12", group: "denies", severity: Error }
}

impl Rule for DenyKeyPolicy {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, sink: &mut Sink<'_>) {
        report_kind(
            cx,
            sink,
            Blocker::KeyPolicy,
            |what| format!("this key policy Deny blocks the replication role: {what}"),
            "denies the replication role",
            |b| exempt_role_help(cx, &b.needs),
        );
    }
}
