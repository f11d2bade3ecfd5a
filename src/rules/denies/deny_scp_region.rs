use crate::rules::prelude::*;

use super::{Blocker, exempt_role_help, report_kind};

declare_rule! {
    /// A region-restricting SCP denies replication into a region it does not approve.
    ///
    /// ## What goes wrong
    /// Cross-Region replication writes (`s3:ReplicateObject`, ...) and the replica key's
    /// `kms:Encrypt` happen in the destination Region. An SCP of the role's account that denies
    /// requests outside approved Regions (`StringNotEquals aws:RequestedRegion`) denies them
    /// when the destination Region is not on its list. The value of `aws:RequestedRegion` on
    /// replication requests is inferred (the Region of the resource called), so this is a
    /// warning. Other SCP denies are reported by `deny-scp`.
    ///
    /// ## How to fix
    /// Add the destination Region to the SCP's list, or exempt the replication role.
    ///
    /// ## Example
    /// Terraform, failing:
    /// ```hcl
    /// resource "aws_organizations_policy" "regions" {
    ///   type = "SERVICE_CONTROL_POLICY"
    ///   content = jsonencode({ Version = "2012-10-17", Statement = [{
    ///     Effect = "Deny", NotAction = ["iam:*", "sts:*"], Resource = "*"
    ///     Condition = { StringNotEquals = { "aws:RequestedRegion" = ["eu-west-1"] } }
    ///   }] })
    /// }
    /// ```
    /// Terraform, fixed:
    /// ```hcl
    ///     Condition = { StringNotEquals = { "aws:RequestedRegion" = ["eu-west-1", "eu-central-1"] } }
    /// ```
    /// CloudFormation, failing:
    /// ```yaml
    /// Regions:
    ///   Type: AWS::Organizations::Policy
    ///   Properties:
    ///     Type: SERVICE_CONTROL_POLICY
    ///     Content:
    ///       Statement:
    ///         - {Effect: Deny, NotAction: ["iam:*", "sts:*"], Resource: "*",
    ///            Condition: {StringNotEquals: {"aws:RequestedRegion": [eu-west-1]}}}
    /// ```
    /// CloudFormation, fixed:
    /// ```yaml
    ///         - {Effect: Deny, NotAction: ["iam:*", "sts:*"], Resource: "*",
    ///            Condition: {StringNotEquals: {"aws:RequestedRegion": [eu-west-1, eu-central-1]}}}
    /// ```
    ///
    /// ## Sources
    /// IAM User Guide, "Policy evaluation logic" and service control policies; AWS
    /// Organizations, "Deny access to AWS based on the requested AWS Region".
    pub DenyScpRegion { id: "deny-scp-region", code: "P9", group: "denies", severity: Warning }
}

impl Rule for DenyScpRegion {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, sink: &mut Sink<'_>) {
        report_kind(
            cx,
            sink,
            Blocker::ScpRegion,
            |what| {
                format!(
                    "this region-restricting SCP denies the replication role in a region it does not approve: {what}"
                )
            },
            "the destination region is not approved",
            |b| {
                format!(
                    "add the destination region to the approved list, or {}",
                    exempt_role_help(cx, &b.needs)
                )
            },
        );
    }
}
