use std::collections::BTreeMap;

use crate::rules::prelude::*;

use super::{describe, holder, rcp_verdicts};

declare_rule! {
    /// A resource control policy denies the replication role.
    ///
    /// ## What goes wrong
    /// Resource control policies (RCPs) cap what any principal may do to the resources of the
    /// accounts they are attached to. "Deny statements in AWS Organizations resource control
    /// policies (RCPs) … can cause replication to fail": an RCP on the destination account (or on
    /// the account of the source bucket or a key) that denies, for example, principals outside a
    /// list of accounts, matches the replication role's writes. RCPs attached to organizational
    /// units are not placed (the input rarely shows OU membership); those on the root and on
    /// accounts are. Organization-membership denies are reported by `deny-org-boundary`.
    ///
    /// ## How to fix
    /// Exempt the replication role in the RCP statement
    /// (`"ArnNotLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/<replication role>"}`), or
    /// narrow the statement.
    ///
    /// ## Example
    /// Terraform, failing:
    /// ```hcl
    /// resource "aws_organizations_policy" "data_perimeter" {
    ///   type = "RESOURCE_CONTROL_POLICY"
    ///   content = jsonencode({ Version = "2012-10-17", Statement = [{
    ///     Effect = "Deny", Principal = "*", Action = "s3:*", Resource = "*"
    ///     Condition = { StringNotEquals = { "aws:PrincipalAccount" = ["222222222222"] } }
    ///   }] })
    /// }
    /// ```
    /// Terraform, fixed:
    /// ```hcl
    ///     Condition = { StringNotEquals = { "aws:PrincipalAccount" = ["222222222222", "111111111111"] } }
    /// ```
    /// CloudFormation, failing:
    /// ```yaml
    /// DataPerimeter:
    ///   Type: AWS::Organizations::Policy
    ///   Properties:
    ///     Type: RESOURCE_CONTROL_POLICY
    ///     TargetIds: ["222222222222"]
    ///     Content:
    ///       Statement:
    ///         - {Effect: Deny, Principal: "*", Action: "s3:*", Resource: "*",
    ///            Condition: {StringNotEquals: {"aws:PrincipalAccount": ["222222222222"]}}}
    /// ```
    /// CloudFormation, fixed:
    /// ```yaml
    ///         - {Effect: Deny, Principal: "*", Action: "s3:*", Resource: "*",
    ///            Condition: {StringNotEquals: {"aws:PrincipalAccount": ["222222222222", "111111111111"]}}}
    /// ```
    ///
    /// ## Sources
    /// S3 User Guide, "Troubleshooting replication" (resource control policies); AWS
    /// Organizations User Guide, "Resource control policies".
    pub DenyRcp { id: "deny-rcp", code: "P10", group: "denies", severity: Error }
}

impl Rule for DenyRcp {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, sink: &mut Sink<'_>) {
        let g = cx.graph;
        let mut denied: BTreeMap<
            String,
            (
                crate::source::Loc,
                bool,
                Vec<&crate::rules::access::Checked>,
            ),
        > = BTreeMap::new();
        for v in rcp_verdicts(cx) {
            let (loc, certain) = match &v.decision {
                crate::iam::Decision::ExplicitDeny { by } => (by.loc.clone(), true),
                crate::iam::Decision::Unknown { by, .. } => match by.first() {
                    Some(b) => (b.loc.clone(), false),
                    None => continue,
                },
                _ => continue,
            };
            if super::org_boundary_deny(g, &v.decision).is_some() {
                continue;
            }
            denied
                .entry(format!("{loc:?}|{}|{certain}", v.checked.role))
                .or_insert_with(|| (loc, certain, Vec::new()))
                .2
                .push(v.checked);
        }
        for (loc, certain, needs) in denied.into_values() {
            let Some(first) = needs.first() else { continue };
            let role = &g.roles[first.role];
            let role_arn = g.display(role.arn.known().unwrap_or("<role ARN>"));
            if !certain {
                sink.cannot_verify(
                    &loc,
                    format!(
                        "whether this resource control policy denies the replication role: {}",
                        describe(cx, &needs)
                    ),
                    "the statement depends on values known only after apply",
                )
                .resource(holder(cx, &loc));
                continue;
            }
            sink.report(
                &loc,
                format!("this resource control policy denies the replication role: {}", describe(cx, &needs)),
            )
            .label("RCP denies replication")
            .help(format!(
                "exempt the replication role in the RCP statement:\n\"ArnNotEquals\": {{\"aws:PrincipalArn\": \"{role_arn}\"}}"
            ))
            .resource(holder(cx, &loc))
            .discriminator(format!("{}", first.role));
        }
    }
}
