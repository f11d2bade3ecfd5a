use std::collections::BTreeMap;

use crate::rules::prelude::*;

use super::{describe, holder, org_boundary_reported, rcp_verdicts};

declare_rule! {
    /// A Deny limited to the organization blocks a replication role from another organization.
    ///
    /// ## What goes wrong
    /// A Deny with `StringNotEquals aws:PrincipalOrgID` (in a destination bucket policy, a key
    /// policy or a resource control policy) denies every principal outside the organization.
    /// Replication requests carry the role's organization, so a cross-account replication role
    /// whose account is not a member is denied. The input does not show organization
    /// membership, so this is reported as a warning for cross-account roles and not at all when
    /// the role and the resource share an account. An Allow whose only path for the role is an
    /// `aws:PrincipalOrgID` condition is reported as "cannot verify" by the permission rules.
    ///
    /// ## How to fix
    /// Make sure the source account is a member of the organization, or exempt the replication
    /// role with `"ArnNotEquals": {"aws:PrincipalArn": "<role ARN>"}`.
    ///
    /// ## Example
    /// Terraform, failing:
    /// ```hcl
    /// {
    ///   Effect    = "Deny"
    ///   Principal = "*"
    ///   Action    = "s3:*"
    ///   Resource  = ["${aws_s3_bucket.dst.arn}/*"]
    ///   Condition = { StringNotEquals = { "aws:PrincipalOrgID" = "o-exampleorg" } }
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
    ///     StringNotEquals = { "aws:PrincipalOrgID" = "o-exampleorg" }
    ///     ArnNotEquals    = { "aws:PrincipalArn" = "arn:aws:iam::111111111111:role/replication" }
    ///   }
    /// }
    /// ```
    /// CloudFormation, failing:
    /// ```yaml
    /// - Effect: Deny
    ///   Principal: "*"
    ///   Action: "s3:*"
    ///   Resource: !Sub "${Dst.Arn}/*"
    ///   Condition: {StringNotEquals: {"aws:PrincipalOrgID": o-exampleorg}}
    /// ```
    /// CloudFormation, fixed:
    /// ```yaml
    /// - Effect: Deny
    ///   Principal: "*"
    ///   Action: "s3:*"
    ///   Resource: !Sub "${Dst.Arn}/*"
    ///   Condition:
    ///     StringNotEquals: {"aws:PrincipalOrgID": o-exampleorg}
    ///     ArnNotEquals: {"aws:PrincipalArn": "arn:aws:iam::111111111111:role/replication"}
    /// ```
    ///
    /// ## Sources
    /// IAM User Guide, "AWS global condition context keys" (`aws:PrincipalOrgID`); S3 User
    /// Guide, "Troubleshooting replication" (RCPs).
    pub DenyOrgBoundary { id: "deny-org-boundary", code: "P4", group: "denies", severity: Error }
}

impl Rule for DenyOrgBoundary {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, sink: &mut Sink<'_>) {
        let g = cx.graph;
        let mut by_statement: BTreeMap<
            String,
            (crate::source::Loc, Vec<&crate::rules::access::Checked>),
        > = BTreeMap::new();
        let rcp_denies = rcp_verdicts(cx);
        let from_rcps = rcp_denies.iter().filter_map(|v| {
            let by = super::org_boundary_deny(g, &v.decision)?;
            let role_account = g.roles[v.checked.role].account.concrete();
            let same = role_account.is_some() && role_account == v.checked.need.owner.as_deref();
            (!same).then_some((by.loc.clone(), v.checked))
        });
        let from_policies = cx
            .checked()
            .filter_map(|c| org_boundary_reported(g, c).map(|by| (by.loc.clone(), c)));
        for (loc, c) in from_policies.chain(from_rcps) {
            by_statement
                .entry(format!("{loc:?}|{}", c.role))
                .or_insert_with(|| (loc, Vec::new()))
                .1
                .push(c);
        }
        for (loc, needs) in by_statement.into_values() {
            let Some(first) = needs.first() else { continue };
            let role = &g.roles[first.role];
            let account = role
                .account
                .known()
                .map(|a| format!("account {}", g.display(a)))
                .unwrap_or_else(|| "its account".to_string());
            sink.report(
                &loc,
                format!(
                    "this Deny admits only principals of one organization; the replication role ({account}) is denied unless that account is a member: {}",
                    describe(cx, &needs)
                ),
            )
            .severity(Severity::Warning)
            .label("denies principals outside the organization")
            .help(format!(
                "check that {account} is in the organization, or exempt the role:\n\"ArnNotEquals\": {{\"aws:PrincipalArn\": \"{}\"}}",
                g.display(role.arn.known().unwrap_or("<role ARN>"))
            ))
            .resource(holder(cx, &loc))
            .discriminator(format!("{}", first.role));
        }
    }
}
