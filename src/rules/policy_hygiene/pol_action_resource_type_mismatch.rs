use crate::graph::{DocId, DocOwner};
use crate::iam::{ActionSpec, Effect, ResourceSpec, catalogue};
use crate::rules::prelude::*;

use super::lost_grants;

declare_rule! {
    /// An S3 action is granted only on resources of a type it does not apply to.
    ///
    /// ## What goes wrong
    /// Every S3 action applies to certain resource types: `s3:GetReplicationConfiguration` and
    /// `s3:ListBucket` to the bucket (`arn:aws:s3:::B`), `s3:ReplicateObject` and the other
    /// object actions to objects (`arn:aws:s3:::B/*`). Granted only on the other type, the
    /// statement grants that action on nothing. When that was the role's only grant of a
    /// permission replication needs, replication fails (error; the permission rules `srcp-*`,
    /// `dstp-*` then leave that need to this rule). Otherwise the grant is only dead weight
    /// (info). The resource types come from the embedded Service Authorization Reference data.
    /// Object actions on `arn:aws:s3:::B/` (a slash but no `*`) are `pol-object-arn-no-wildcard`'s;
    /// actions of the right type on the wrong bucket (source reads on the destination,
    /// `s3:Replicate*` on the source) are `dstp-overbroad`'s.
    ///
    /// ## How to fix
    /// Split the statement by resource type: bucket actions on `arn:aws:s3:::B`, object actions
    /// on `arn:aws:s3:::B/*`.
    ///
    /// ## Example
    /// Terraform, failing:
    /// ```hcl
    /// data "aws_iam_policy_document" "replication" {
    ///   statement {
    ///     actions   = ["s3:GetReplicationConfiguration", "s3:ListBucket"]
    ///     resources = ["arn:aws:s3:::src-bucket/*"]
    ///   }
    /// }
    /// ```
    /// Terraform, fixed:
    /// ```hcl
    /// data "aws_iam_policy_document" "replication" {
    ///   statement {
    ///     actions   = ["s3:GetReplicationConfiguration", "s3:ListBucket"]
    ///     resources = ["arn:aws:s3:::src-bucket"]
    ///   }
    /// }
    /// ```
    /// CloudFormation, failing:
    /// ```yaml
    /// - Effect: Allow
    ///   Action: [s3:GetReplicationConfiguration, s3:ListBucket]
    ///   Resource: arn:aws:s3:::src-bucket/*
    /// ```
    /// CloudFormation, fixed:
    /// ```yaml
    /// - Effect: Allow
    ///   Action: [s3:GetReplicationConfiguration, s3:ListBucket]
    ///   Resource: arn:aws:s3:::src-bucket
    /// ```
    ///
    /// ## Sources
    /// Service Authorization Reference for Amazon S3 (resource types); S3 User Guide, "Setting
    /// up permissions for live replication" (example policy); AWS Knowledge Center, Object Lock
    /// cross-account replication (`s3:GetObjectVersionTagging` on the destination objects).
    pub PolActionResourceTypeMismatch { id: "pol-action-resource-type-mismatch", code: "A4", group: "policy", severity: Error }
}

impl Rule for PolActionResourceTypeMismatch {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, sink: &mut Sink<'_>) {
        let g = cx.graph;
        for (i, d) in g.docs.iter().enumerate() {
            let id = DocId(i);
            if d.owner == DocOwner::Trust {
                continue;
            }
            let Some(policy) = g.policy(id) else { continue };
            for st in policy
                .statements
                .iter()
                .filter(|st| st.effect == Some(Effect::Allow))
            {
                let (Some(ActionSpec::Action(actions)), Some(ResourceSpec::Resource(resources))) =
                    (&st.action, &st.resource)
                else {
                    continue;
                };
                if resources.is_empty() {
                    continue;
                }
                for item in actions {
                    let Some(info) = explicit_s3_action(&item.text) else {
                        continue;
                    };
                    if info.resources.is_empty()
                        || resources
                            .iter()
                            .any(|r| lost_grants::fits_resource_type(&info.name, &r.text))
                    {
                        continue;
                    }
                    let lost = lost_grants::lost_needs(cx, id, |c| {
                        c.need.action.eq_ignore_ascii_case(&info.name)
                            && lost_grants::mismatched_grant(g, &[id], c).is_some()
                    });
                    let severity = if lost.iter().any(|c| lost_grants::is_required(c.need.action)) {
                        Severity::Error
                    } else if lost.is_empty() {
                        Severity::Info
                    } else {
                        Severity::Warning
                    };
                    let types: Vec<&str> = info.resources.iter().map(|r| r.name.as_str()).collect();
                    let fix = info
                        .resources
                        .iter()
                        .map(|r| format!("`{}`", r.arn))
                        .collect::<Vec<_>>()
                        .join(" or ");
                    let mut help = format!("grant {} on resources of the form {fix}", info.name);
                    if let Some(c) = lost.first() {
                        help.push_str(&format!(
                            "; replication needs it on `{}` and no other statement grants it (the permission rules do not report that need separately)",
                            g.display(&c.need.grant)
                        ));
                    }
                    sink.report(
                        &item.loc,
                        format!(
                            "{} applies to {} resources, but this statement of `{}` grants it only on {}",
                            info.name,
                            types.join("/"),
                            d.address,
                            resources
                                .iter()
                                .map(|r| format!("`{}`", g.display(&r.text)))
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                    )
                    .severity(severity)
                    .label(format!("applies to {} resources", types.join("/")))
                    .related(&st.loc, "the statement")
                    .help(help)
                    .resource(d.address.as_str())
                    .discriminator(format!("{}|{}", st.index, info.name));
                }
            }
        }
    }
}

/// A known S3 action named without wildcards: where the author's intent is one action.
fn explicit_s3_action(text: &str) -> Option<&'static catalogue::ActionInfo> {
    if text.contains(['*', '?']) || crate::iam::atom::contains_atoms(text) {
        return None;
    }
    catalogue::lookup(text).filter(|a| a.service == "s3")
}
