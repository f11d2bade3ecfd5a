use crate::rules::prelude::*;

use super::{Blocker, exempt_role_help, report_kind};

declare_rule! {
    /// A Deny that requires requests to come through an access point also blocks replication.
    ///
    /// ## What goes wrong
    /// Replication does not go through S3 access points, so `s3:DataAccessPointArn` and
    /// `s3:DataAccessPointAccount` are absent on its requests. A Deny with a negated condition on
    /// them ("deny unless through our access point") matches the replication role: absent keys
    /// make negated operators true. Replication fails with `DstPutObjectNotPermitted` or
    /// `SrcGetObjectNotPermitted`.
    ///
    /// ## How to fix
    /// Exempt the replication role from the Deny with
    /// `"ArnNotEquals": {"aws:PrincipalArn": "<role ARN>"}` in the same Condition block.
    ///
    /// ## Example
    /// Terraform, failing:
    /// ```hcl
    /// {
    ///   Effect    = "Deny"
    ///   Principal = "*"
    ///   Action    = "s3:*"
    ///   Resource  = ["${aws_s3_bucket.dst.arn}/*"]
    ///   Condition = { StringNotEquals = { "s3:DataAccessPointAccount" = "222222222222" } }
    /// }
    /// ```
    /// Terraform, fixed:
    /// ```hcl
    /// {
    ///   Effect    = "Deny"
    ///   Principal = "*"
    ///   Action    = "s3:*"
    ///   Resource  = ["${aws_s3_bucket.dst.arn}/*"]
    ///   Condition = {
    ///     StringNotEquals = { "s3:DataAccessPointAccount" = "222222222222" }
    ///     ArnNotEquals    = { "aws:PrincipalArn" = aws_iam_role.replication.arn }
    ///   }
    /// }
    /// ```
    /// CloudFormation, failing:
    /// ```yaml
    /// - Effect: Deny
    ///   Principal: "*"
    ///   Action: "s3:*"
    ///   Resource: !Sub "${Dst.Arn}/*"
    ///   Condition: {StringNotEquals: {"s3:DataAccessPointAccount": "222222222222"}}
    /// ```
    /// CloudFormation, fixed:
    /// ```yaml
    /// - Effect: Deny
    ///   Principal: "*"
    ///   Action: "s3:*"
    ///   Resource: !Sub "${Dst.Arn}/*"
    ///   Condition:
    ///     StringNotEquals: {"s3:DataAccessPointAccount": "222222222222"}
    ///     ArnNotEquals: {"aws:PrincipalArn": !GetAtt ReplicationRole.Arn}
    /// ```
    ///
    /// ## Sources
    /// AWS Knowledge Center, "Why aren't my Amazon S3 objects replicating" (S3 access points);
    /// S3 User Guide, "Troubleshooting replication".
    pub DenyAccessPointOnly { id: "deny-access-point-only", code: "P3", group: "denies", severity: Error }
}

impl Rule for DenyAccessPointOnly {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, sink: &mut Sink<'_>) {
        report_kind(
            cx,
            sink,
            Blocker::AccessPoint,
            |what| {
                format!(
                    "this Deny requires an access point, which replication never uses, so it blocks the replication role: {what}"
                )
            },
            "replication requests carry no access point",
            |b| exempt_role_help(cx, &b.needs),
        );
    }
}
