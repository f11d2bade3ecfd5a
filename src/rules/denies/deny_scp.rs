use crate::rules::prelude::*;

use super::{Blocker, blocked, describe};

declare_rule! {
    /// A service control policy denies, or does not allow, what replication needs.
    ///
    /// ## What goes wrong
    /// SCPs cap every principal of the accounts they are attached to: a Deny of a replication
    /// action (`s3:Replicate*`, the source reads, the KMS actions) or an allow-list SCP that omits
    /// them at any level of the organization makes replication fail for the role of that account.
    /// SCP denies conditioned on `aws:RequestedRegion` are reported by `deny-scp-region`.
    ///
    /// ## How to fix
    /// Exempt the replication role in the SCP
    /// (`"ArnNotLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/<replication role>"}`), or allow the
    /// actions at every level.
    ///
    /// ## Example
    /// Terraform, failing:
    /// ```hcl
    /// resource "aws_organizations_policy" "guardrail" {
    ///   name    = "guardrail"
    ///   type    = "SERVICE_CONTROL_POLICY"
    ///   content = jsonencode({
    ///     Version   = "2012-10-17"
    ///     Statement = [
    ///       # ...
    ///       {
    ///         Effect   = "Deny"
    ///         Action   = "s3:ReplicateObject"
    ///         Resource = "*"
    ///       },
    ///     ]
    ///   })
    /// }
    /// ```
    /// Terraform, fixed:
    /// ```hcl
    /// resource "aws_organizations_policy" "guardrail" {
    ///   name    = "guardrail"
    ///   type    = "SERVICE_CONTROL_POLICY"
    ///   content = jsonencode({
    ///     Version   = "2012-10-17"
    ///     Statement = [
    ///       # ...
    ///       {
    ///         Effect   = "Deny"
    ///         Action   = "s3:DeleteBucket"
    ///         Resource = "*"
    ///       },
    ///     ]
    ///   })
    /// }
    /// ```
    /// CloudFormation, failing:
    /// ```yaml
    /// Guardrail:
    ///   Type: AWS::Organizations::Policy
    ///   Properties:
    ///     Name: guardrail
    ///     Type: SERVICE_CONTROL_POLICY
    ///     Content:
    ///       Version: "2012-10-17"
    ///       Statement:
    ///         # ...
    ///         - Effect: Deny
    ///           Action: s3:ReplicateObject
    ///           Resource: "*"
    ///     # ...
    /// ```
    /// CloudFormation, fixed:
    /// ```yaml
    /// Guardrail:
    ///   Type: AWS::Organizations::Policy
    ///   Properties:
    ///     Name: guardrail
    ///     Type: SERVICE_CONTROL_POLICY
    ///     Content:
    ///       Version: "2012-10-17"
    ///       Statement:
    ///         # ...
    ///         - Effect: Deny
    ///           Action: s3:DeleteBucket
    ///           Resource: "*"
    ///     # ...
    /// ```
    ///
    /// ## Sources
    /// S3 User Guide, "Troubleshooting replication"; AWS Knowledge Center, replication
    /// troubleshooting; IAM User Guide, "Policy evaluation logic".
    pub DenyScp { id: "deny-scp", code: "P8", group: "denies", severity: Error }
}

impl Rule for DenyScp {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, sink: &mut Sink<'_>) {
        let g = cx.graph;
        for b in blocked(cx, Blocker::Scp) {
            let Some(first) = b.needs.first() else {
                continue;
            };
            let role = &g.roles[first.role];
            let origin = &g.model.roles[role.index].origin;
            let loc = b.loc.or(&origin.header);
            let address = g
                .doc_of_statement(&b.loc)
                .map(|d| g.doc(d).address.clone())
                .unwrap_or_else(|| origin.address.clone());
            let verb = if b.loc.is_none() {
                "does not allow"
            } else {
                "denies"
            };
            sink.report(&loc, format!("a service control policy {verb} the replication role `{}`: {}", origin.address, describe(cx, &b.needs)))
                .label(format!("SCP {verb} replication"))
                .help(format!(
                    "exempt the replication role in the SCP statement:\n\"Condition\": {{\"ArnNotEquals\": {{\"aws:PrincipalArn\": \"{}\"}}}}",
                    g.display(role.arn.known().unwrap_or("<role ARN>"))
                ))
                .resource(address)
                .discriminator(format!("{:?}", b.by.as_ref().map(|s| (s.slot, s.statement, s.policy_index))));
        }
    }
}
