use crate::graph::DocId;
use crate::iam::{ActionSpec, catalogue};
use crate::rules::prelude::*;

use super::lost_grants::{self, is_unknown_action};

declare_rule! {
    /// An action in a policy names no action of its service: a misspelling grants nothing.
    ///
    /// ## What goes wrong
    /// IAM accepts any action name in a known service's namespace, so a misspelled action is
    /// stored without complaint and simply matches no request. `s3:ReplicationTags` (written in
    /// AWS's own CloudFormation sample templates for `s3:ReplicateTags`) grants nothing: object
    /// tags then fail to replicate. The rule is an error when the misspelled item was the only
    /// grant of a permission replication needs (the permission rules `srcp-*`, `dstp-*`, `kms-*`
    /// then stay silent about that need, since this finding names the item to correct), and a
    /// warning otherwise. Actions of services repl-lint's catalogue does not cover are not
    /// checked.
    ///
    /// ## How to fix
    /// Write the action as the Service Authorization Reference spells it; the help names the
    /// closest real action (`s3:ReplicateTags`).
    ///
    /// ## Example
    /// Terraform, failing:
    /// ```hcl
    /// data "aws_iam_policy_document" "replication" {
    ///   statement {
    ///     actions   = ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicationTags"]
    ///     resources = ["arn:aws:s3:::dst-bucket/*"]
    ///   }
    /// }
    /// ```
    /// Terraform, fixed:
    /// ```hcl
    /// data "aws_iam_policy_document" "replication" {
    ///   statement {
    ///     actions   = ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"]
    ///     resources = ["arn:aws:s3:::dst-bucket/*"]
    ///   }
    /// }
    /// ```
    /// CloudFormation, failing:
    /// ```yaml
    /// PolicyDocument:
    ///   Version: "2012-10-17"
    ///   Statement:
    ///     - Effect: Allow
    ///       Action: [s3:ReplicateObject, s3:ReplicateDelete, s3:ReplicationTags]
    ///       Resource: arn:aws:s3:::dst-bucket/*
    /// ```
    /// CloudFormation, fixed:
    /// ```yaml
    /// PolicyDocument:
    ///   Version: "2012-10-17"
    ///   Statement:
    ///     - Effect: Allow
    ///       Action: [s3:ReplicateObject, s3:ReplicateDelete, s3:ReplicateTags]
    ///       Resource: arn:aws:s3:::dst-bucket/*
    /// ```
    ///
    /// ## Sources
    /// Service Authorization Reference, "Actions, resources, and condition keys for Amazon S3";
    /// aws-cloudformation/aws-cloudformation-templates `S3/compliant-bucket.yaml`
    /// (`s3:ReplicationTags`, also flagged by cfn-lint W3037).
    pub PolUnknownAction { id: "pol-unknown-action", code: "A11", group: "policy", severity: Error }
}

impl Rule for PolUnknownAction {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, sink: &mut Sink<'_>) {
        let g = cx.graph;
        for (i, d) in g.docs.iter().enumerate() {
            let id = DocId(i);
            let Some(policy) = g.policy(id) else { continue };
            for st in &policy.statements {
                let (items, negated) = match &st.action {
                    Some(ActionSpec::Action(items)) => (items, false),
                    Some(ActionSpec::NotAction(items)) => (items, true),
                    None => continue,
                };
                for item in items.iter().filter(|i| is_unknown_action(&i.text)) {
                    let closest = catalogue::closest(&item.text);
                    let lost = if negated {
                        Vec::new()
                    } else {
                        lost_grants::lost_needs(cx, id, |c| {
                            lost_grants::misspelled_grant(g, &[id], c)
                                .is_some_and(|found| found.loc == item.loc)
                        })
                    };
                    let severity = if lost.iter().any(|c| lost_grants::is_required(c.need.action)) {
                        Severity::Error
                    } else {
                        Severity::Warning
                    };
                    let mut help = match closest {
                        Some(a) => format!("did you mean `{a}`?"),
                        None => "write the action as the Service Authorization Reference spells it"
                            .to_string(),
                    };
                    if let Some(c) = lost.first() {
                        help.push_str(&format!(
                            " This was the role's only grant of {} on `{}`, which replication needs; the permission rules do not report that need separately.",
                            c.need.action,
                            g.display(&c.need.grant)
                        ));
                    } else if closest.is_some() && !negated {
                        help.push_str(" If a replication role relies on it, the permission rules (srcp-*, dstp-*, xdst-*, kms-*) report the grant it lacks.");
                    }
                    let consequence = if negated {
                        "this NotAction entry excludes nothing"
                    } else {
                        "it matches no request and grants or denies nothing"
                    };
                    sink.report(
                        &item.loc,
                        format!(
                            "`{}` in the policy of `{}` is not an action: {consequence}",
                            g.display(&item.text),
                            d.address
                        ),
                    )
                    .severity(severity)
                    .label(match closest {
                        Some(a) => format!("no such action; `{a}`?"),
                        None => "no such action".to_string(),
                    })
                    .help(help)
                    .resource(d.address.as_str())
                    .discriminator(format!("{}|{}", st.index, item.text));
                }
            }
        }
    }
}
