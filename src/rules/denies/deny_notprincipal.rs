use crate::rules::prelude::*;

use super::{Blocker, report_kind};

declare_rule! {
    /// A resource-policy Deny with `NotPrincipal` does not exempt the replication role's session.
    ///
    /// ## What goes wrong
    /// Replication requests are made by a session of the role
    /// (`arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION`). A `Deny` with `NotPrincipal` that lists
    /// only the role ARN (or the account) still denies that session: the session ARN must be
    /// listed too, it cannot be wildcarded in `NotPrincipal`, and replication's session names are
    /// not yours to choose.
    ///
    /// ## How to fix
    /// Replace `NotPrincipal` with `Principal: "*"` and a condition that exempts the role:
    /// `"ArnNotEquals": {"aws:PrincipalArn": "<role ARN>"}`.
    ///
    /// ## Example
    /// Terraform, failing:
    /// ```hcl
    /// {
    ///   Effect       = "Deny"
    ///   NotPrincipal = { AWS = aws_iam_role.replication.arn }
    ///   Action       = "s3:*"
    ///   Resource     = ["${aws_s3_bucket.dst.arn}/*"]
    /// }
    /// ```
    /// Terraform, fixed:
    /// ```hcl
    /// {
    ///   Effect    = "Deny"
    ///   Principal = "*"
    ///   Action    = "s3:*"
    ///   Resource  = ["${aws_s3_bucket.dst.arn}/*"]
    ///   Condition = { ArnNotEquals = { "aws:PrincipalArn" = aws_iam_role.replication.arn } }
    /// }
    /// ```
    /// CloudFormation, failing:
    /// ```yaml
    /// - Effect: Deny
    ///   NotPrincipal: {AWS: !GetAtt ReplicationRole.Arn}
    ///   Action: "s3:*"
    ///   Resource: !Sub "${Dst.Arn}/*"
    /// ```
    /// CloudFormation, fixed:
    /// ```yaml
    /// - Effect: Deny
    ///   Principal: "*"
    ///   Action: "s3:*"
    ///   Resource: !Sub "${Dst.Arn}/*"
    ///   Condition: {ArnNotEquals: {"aws:PrincipalArn": !GetAtt ReplicationRole.Arn}}
    /// ```
    ///
    /// ## Sources
    /// IAM User Guide, "AWS JSON policy elements: NotPrincipal" (using NotPrincipal with Deny;
    /// assumed-role sessions must be listed).
    pub DenyNotprincipal { id: "deny-notprincipal", code: "P6", group: "denies", severity: Error }
}

impl Rule for DenyNotprincipal {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, sink: &mut Sink<'_>) {
        report_kind(
            cx,
            sink,
            Blocker::NotPrincipal,
            |what| format!("this NotPrincipal Deny does not exempt the replication role's session and blocks it: {what}"),
            "NotPrincipal must name the session, which cannot be done for replication",
            |b| {
                let role = b
                    .needs
                    .first()
                    .and_then(|c| cx.graph.roles[c.role].arn.known())
                    .unwrap_or("<role ARN>");
                format!(
                    "replace NotPrincipal with \"Principal\": \"*\" and\n\"Condition\": {{\"ArnNotEquals\": {{\"aws:PrincipalArn\": \"{}\"}}}}",
                    cx.graph.display(role)
                )
            },
        );
    }
}
