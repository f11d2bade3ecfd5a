use crate::rules::prelude::*;

use super::{Blocker, exempt_role_help, report_kind};

declare_rule! {
    /// A Deny on `aws:SourceArn`/`aws:SourceAccount` matches the replication role's requests.
    ///
    /// ## What goes wrong
    /// `aws:SourceArn`, `aws:SourceAccount` and `aws:SourceOrgID` are present "only if a resource
    /// triggers a service to call another service". Replication requests are made with the
    /// role's session credentials, so the keys are (by inference, not documented for
    /// replication) absent, and a Deny with a negated operator on them matches. Such statements
    /// are usually confused-deputy snippets pasted into a destination bucket or key policy.
    /// Because the absence is inferred, this is a warning.
    ///
    /// ## How to fix
    /// Scope the statement to service principals (`"Bool": {"aws:PrincipalIsAWSService": "true"}`)
    /// or exempt the replication role with `"ArnNotEquals": {"aws:PrincipalArn": "<role ARN>"}`.
    ///
    /// ## Example
    /// Terraform, failing:
    /// ```hcl
    /// {
    ///   Effect    = "Deny"
    ///   Principal = "*"
    ///   Action    = "s3:*"
    ///   Resource  = ["${aws_s3_bucket.dst.arn}/*"]
    ///   Condition = { StringNotEquals = { "aws:SourceAccount" = "111111111111" } }
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
    ///     StringNotEquals = { "aws:SourceAccount" = "111111111111" }
    ///     Bool            = { "aws:PrincipalIsAWSService" = "true" }
    ///   }
    /// }
    /// ```
    /// CloudFormation, failing:
    /// ```yaml
    /// - Effect: Deny
    ///   Principal: "*"
    ///   Action: "s3:*"
    ///   Resource: !Sub "${Dst.Arn}/*"
    ///   Condition: {StringNotEquals: {"aws:SourceAccount": "111111111111"}}
    /// ```
    /// CloudFormation, fixed:
    /// ```yaml
    /// - Effect: Deny
    ///   Principal: "*"
    ///   Action: "s3:*"
    ///   Resource: !Sub "${Dst.Arn}/*"
    ///   Condition:
    ///     StringNotEquals: {"aws:SourceAccount": "111111111111"}
    ///     Bool: {"aws:PrincipalIsAWSService": "true"}
    /// ```
    ///
    /// ## Sources
    /// IAM User Guide, "AWS global condition context keys" (`aws:SourceArn`: present only when a
    /// resource triggers a service to call another service).
    pub DenySourceContextKeys { id: "deny-source-context-keys", code: "P5", group: "denies", severity: Warning }
}

impl Rule for DenySourceContextKeys {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, sink: &mut Sink<'_>) {
        report_kind(
            cx,
            sink,
            Blocker::SourceContext,
            |what| {
                format!(
                    "this Deny turns on aws:SourceArn/aws:SourceAccount, which replication's role-session requests do not carry, so it blocks the replication role: {what}"
                )
            },
            "absent on replication requests, so the negated condition is true",
            |b| {
                format!(
                    "limit the statement to service principals with \"Bool\": {{\"aws:PrincipalIsAWSService\": \"true\"}}, or {}",
                    exempt_role_help(cx, &b.needs)
                )
            },
        );
    }
}
