use crate::graph::{DocId, DocOwner};
use crate::iam::{Effect, ResourceSpec};
use crate::rules::grants::covers_action;
use crate::rules::prelude::*;

declare_rule! {
    /// An object-level replication action is granted on `bucket/` or the bucket ARN, which match no object.
    ///
    /// ## What goes wrong
    /// Object actions (`s3:GetObjectVersionForReplication`, `s3:ReplicateObject`, ...) apply to
    /// object ARNs. `arn:aws:s3:::B/` (trailing slash, no `*`) or `arn:aws:s3:::B` matches no
    /// object key, so the grant is dead: every object fails with `SrcGetObjectNotPermitted` or
    /// `DstPutObjectNotPermitted`. AWS's own troubleshooting examples contain this mistake.
    ///
    /// ## How to fix
    /// `arn:aws:s3:::B/*` (or `B/<prefix>*`).
    ///
    /// ## Example
    /// Terraform, failing:
    /// ```hcl
    /// data "aws_iam_policy_document" "replication" {
    ///   # ...
    ///
    ///   statement {
    ///     sid       = "DestinationObjects"
    ///     actions   = ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"]
    ///     resources = ["${aws_s3_bucket.replica.arn}/"]
    ///   }
    /// }
    /// ```
    /// Terraform, fixed:
    /// ```hcl
    /// data "aws_iam_policy_document" "replication" {
    ///   # ...
    ///
    ///   statement {
    ///     sid       = "DestinationObjects"
    ///     actions   = ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"]
    ///     resources = ["${aws_s3_bucket.replica.arn}/*"]
    ///   }
    /// }
    /// ```
    /// CloudFormation, failing:
    /// ```yaml
    /// ReplicationRole:
    ///   Type: AWS::IAM::Role
    ///   Properties:
    ///     RoleName: s3-replication
    ///     Policies:
    ///       - PolicyName: s3-replication
    ///         PolicyDocument:
    ///           Version: "2012-10-17"
    ///           Statement:
    ///             # ...
    ///             - Sid: DestinationObjects
    ///               Effect: Allow
    ///               Action:
    ///                 - s3:ReplicateObject
    ///                 - s3:ReplicateDelete
    ///                 - s3:ReplicateTags
    ///               Resource: arn:aws:s3:::acme-data-replica/
    ///     # ...
    /// ```
    /// CloudFormation, fixed:
    /// ```yaml
    /// ReplicationRole:
    ///   Type: AWS::IAM::Role
    ///   Properties:
    ///     RoleName: s3-replication
    ///     Policies:
    ///       - PolicyName: s3-replication
    ///         PolicyDocument:
    ///           Version: "2012-10-17"
    ///           Statement:
    ///             # ...
    ///             - Sid: DestinationObjects
    ///               Effect: Allow
    ///               Action:
    ///                 - s3:ReplicateObject
    ///                 - s3:ReplicateDelete
    ///                 - s3:ReplicateTags
    ///               Resource: arn:aws:s3:::acme-data-replica/*
    ///     # ...
    /// ```
    ///
    /// ## Sources
    /// Service Authorization Reference for Amazon S3 (resource types); AWS Knowledge Center,
    /// cross-account replication troubleshooting.
    pub PolObjectArnNoWildcard { id: "pol-object-arn-no-wildcard", code: "A3", group: "policy", severity: Error }
}

/// Object-level actions replication uses.
const OBJECT_ACTIONS: &[&str] = &[
    "s3:GetObjectVersionForReplication",
    "s3:GetObjectVersionAcl",
    "s3:GetObjectVersionTagging",
    "s3:GetObjectRetention",
    "s3:GetObjectLegalHold",
    "s3:ReplicateObject",
    "s3:ReplicateDelete",
    "s3:ReplicateTags",
    "s3:ObjectOwnerOverrideToBucketOwner",
];

impl Rule for PolObjectArnNoWildcard {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, sink: &mut Sink<'_>) {
        let g = cx.graph;
        // Destination bucket policies of cross-account rules are `xdst-object-resource`'s.
        let xacct_policies: foldhash::HashSet<DocId> =
            crate::rules::cross_account::cross_account_destinations(g, |_| {})
                .iter()
                .filter_map(|d| d.policy)
                .collect();
        for (i, d) in g.docs.iter().enumerate() {
            let id = DocId(i);
            if d.owner == DocOwner::BucketPolicy && xacct_policies.contains(&id) {
                continue;
            }
            let Some(policy) = g.policy(id) else { continue };
            for st in policy
                .statements
                .iter()
                .filter(|st| st.effect == Some(Effect::Allow))
            {
                let Some(ResourceSpec::Resource(items)) = &st.resource else {
                    continue;
                };
                // The object actions the statement grants, matched only for statements with a
                // suspicious item: most statements have none.
                let mut granted: Option<Vec<&str>> = None;
                for item in items {
                    let Some(bucket) = item
                        .text
                        .strip_prefix("arn:aws:s3:::")
                        .and_then(|r| r.strip_suffix('/'))
                    else {
                        continue;
                    };
                    if bucket.is_empty() || bucket.contains('/') || bucket.contains('*') {
                        continue;
                    }
                    let covered = items
                        .iter()
                        .any(|o| o.text.starts_with(&item.text) && o.text.len() > item.text.len());
                    if covered {
                        continue;
                    }
                    let actions = granted.get_or_insert_with(|| {
                        OBJECT_ACTIONS
                            .iter()
                            .copied()
                            .filter(|a| covers_action(st, a))
                            .collect()
                    });
                    if actions.is_empty() {
                        continue;
                    }
                    sink.report(
                        &item.loc,
                        format!(
                            "`{}` matches no object, so {} granted here has no effect",
                            g.display(&item.text),
                            actions.join(", ")
                        ),
                    )
                    .label("needs * to match objects")
                    .help(format!("use \"{}*\"", g.display(&item.text)))
                    .resource(d.address.as_str())
                    .discriminator(format!("{}|{}", st.index, item.text));
                }
            }
        }
    }
}
