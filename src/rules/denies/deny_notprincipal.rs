use crate::rules::prelude::*;

use std::collections::BTreeMap;

use crate::iam::matching::glob;
use crate::iam::{Effect, Match, PrincipalSpec, ResourceSpec, Statement};
use crate::rules::access::{Checked, ResourcePolicy};
use crate::rules::grants::covers_action;
use crate::source::Loc;

use super::{Blocker, describe, holder, report_kind};

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
    /// The offline IAM engine (like the simulator it is tested against) spares a session whose
    /// role ARN is listed; this rule follows the IAM User Guide instead and reports the statement.
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

/// A Deny with `NotPrincipal` that names the role or its account but no session ARN, and that
/// covers `c`'s request without conditions: AWS denies the role's session, although the role
/// seems exempted.
fn spares_role_only<'g>(g: &'g Graph<'_>, c: &Checked) -> Option<&'g Statement> {
    let ResourcePolicy::Doc(id) = c.need.resource_policy else {
        return None;
    };
    let policy = g.policy(id)?;
    let role = &g.roles[c.role];
    let role_arn = role.arn.known()?;
    let account = role.account.known();
    policy.statements.iter().find(|st| {
        let Some(PrincipalSpec::NotPrincipal(items)) = &st.principal else {
            return false;
        };
        let names_role = items.iter().any(|i| {
            i.value.text == role_arn
                || account.is_some_and(|a| {
                    i.value.text == a || i.value.text == format!("arn:aws:iam::{a}:root")
                })
        });
        let names_session = items
            .iter()
            .any(|i| i.value.text == "*" || i.value.text.contains(":assumed-role/"));
        st.effect == Some(Effect::Deny)
            && st.conditions.is_empty()
            && names_role
            && !names_session
            && covers_action(st, c.need.action)
            && matches!(&st.resource, Some(ResourceSpec::Resource(rs))
                if rs.iter().any(|r| glob(&r.text, &c.need.resource, false) == Match::Yes))
    })
}

impl Rule for DenyNotprincipal {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, sink: &mut Sink<'_>) {
        let g = cx.graph;
        // Statements that do not name the role at all are denies the engine decides.
        report_kind(
            cx,
            sink,
            Blocker::NotPrincipal,
            |what| {
                format!(
                    "this NotPrincipal Deny does not exempt the replication role's session and blocks it: {what}"
                )
            },
            "NotPrincipal must name the session, which cannot be done for replication",
            |b| help(cx, &b.needs),
        );
        let mut by_statement: BTreeMap<String, (Loc, Vec<&Checked>)> = BTreeMap::new();
        for c in cx.checked() {
            if let Some(st) = spares_role_only(g, c) {
                by_statement
                    .entry(format!("{:?}|{}", st.loc, c.role))
                    .or_insert_with(|| (st.loc.clone(), Vec::new()))
                    .1
                    .push(c);
            }
        }
        for (loc, needs) in by_statement.into_values() {
            sink.report(
                &loc,
                format!(
                    "this Deny exempts the replication role by NotPrincipal, but replication runs as a role session, which NotPrincipal must name by its session ARN: it blocks {}",
                    describe(cx, &needs)
                ),
            )
            .label("the role ARN in NotPrincipal does not exempt its sessions")
            .help(help(cx, &needs))
            .resource(holder(cx, &loc))
            .discriminator(format!("{loc:?}"));
        }
    }
}

fn help(cx: &Context<'_>, needs: &[&Checked]) -> String {
    let role = needs
        .first()
        .and_then(|c| cx.graph.roles[c.role].arn.known())
        .unwrap_or("<role ARN>");
    format!(
        "replace NotPrincipal with \"Principal\": \"*\" and\n\"Condition\": {{\"ArnNotEquals\": {{\"aws:PrincipalArn\": \"{}\"}}}}",
        cx.graph.display(role)
    )
}
