use crate::rules::prelude::*;

use super::{Blocker, exempt_role_help, report_kind};

declare_rule! {
    /// A destination bucket policy that enforces an encryption header also denies replicas.
    ///
    /// ## What goes wrong
    /// Replicas keep their source encryption: an SSE-S3 object is written with
    /// `s3:x-amz-server-side-encryption = AES256`, an SSE-KMS one with the replica key. A Deny
    /// "unless `s3:x-amz-server-side-encryption` is `aws:kms`" (or a given key) whose Action
    /// covers `s3:ReplicateObject` (`s3:*`, `s3:Replicate*`, `NotAction`) therefore denies those
    /// replicas (`DstPutObjectNotPermitted`). Statements limited to `s3:PutObject` are harmless.
    /// The value on replication requests follows the documented walkthrough policies; this is a
    /// warning.
    ///
    /// ## How to fix
    /// Limit the statement's Action to `s3:PutObject`, or exempt the replication role. Default
    /// encryption on the destination does not re-encrypt replicas; use a replica KMS key
    /// (`ReplicaKmsKeyID`) to encrypt them with KMS.
    ///
    /// ## Example
    /// Terraform, failing:
    /// ```hcl
    /// {
    ///   Effect    = "Deny"
    ///   Principal = "*"
    ///   Action    = "s3:*"
    ///   Resource  = ["${aws_s3_bucket.dst.arn}/*"]
    ///   Condition = { StringNotEquals = { "s3:x-amz-server-side-encryption" = "aws:kms" } }
    /// }
    /// ```
    /// Terraform, fixed:
    /// ```hcl
    /// {
    ///   Effect    = "Deny"
    ///   Principal = "*"
    ///   Action    = "s3:PutObject"
    ///   Resource  = ["${aws_s3_bucket.dst.arn}/*"]
    ///   Condition = { StringNotEquals = { "s3:x-amz-server-side-encryption" = "aws:kms" } }
    /// }
    /// ```
    /// CloudFormation, failing:
    /// ```yaml
    /// - Effect: Deny
    ///   Principal: "*"
    ///   Action: "s3:*"
    ///   Resource: !Sub "${Dst.Arn}/*"
    ///   Condition: {StringNotEquals: {"s3:x-amz-server-side-encryption": "aws:kms"}}
    /// ```
    /// CloudFormation, fixed:
    /// ```yaml
    /// - Effect: Deny
    ///   Principal: "*"
    ///   Action: s3:PutObject
    ///   Resource: !Sub "${Dst.Arn}/*"
    ///   Condition: {StringNotEquals: {"s3:x-amz-server-side-encryption": "aws:kms"}}
    /// ```
    ///
    /// ## Sources
    /// S3 User Guide, "Replicating encrypted objects" (default encryption and replicas); Service
    /// Authorization Reference, Amazon S3 (`s3:ReplicateObject` supports the encryption keys);
    /// IAM User Guide, condition operators.
    pub DenySseEnforcement { id: "deny-sse-enforcement", code: "P11", group: "denies", severity: Warning }
}

impl Rule for DenySseEnforcement {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, sink: &mut Sink<'_>) {
        report_kind(
            cx,
            sink,
            Blocker::SseEnforcement,
            |what| {
                format!(
                    "this encryption-enforcing Deny also matches replicas, which keep their source encryption: {what}"
                )
            },
            "covers s3:ReplicateObject, not only s3:PutObject",
            |b| {
                format!(
                    "limit the statement's Action to \"s3:PutObject\", or {}",
                    exempt_role_help(cx, &b.needs)
                )
            },
        );
    }
}
