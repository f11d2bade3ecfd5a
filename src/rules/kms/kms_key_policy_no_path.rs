use crate::graph::Tri;
use crate::rules::access::{Gap, Side, gaps};
use crate::rules::prelude::*;

declare_rule! {
    /// A KMS key in the role's own account has a key policy that neither names the role nor enables IAM policies.
    ///
    /// ## What goes wrong
    /// A key policy must allow use of the key, directly or through the root "Enable IAM policies"
    /// statement (`arn:aws:iam::ACCOUNT:root`). Without either, IAM allows in the role's policy
    /// "have no effect" and KMS denies the replication role.
    ///
    /// ## How to fix
    /// Keep AWS's default statement in the key policy, or grant the role directly:
    /// ```json
    /// {"Effect": "Allow", "Principal": {"AWS": "<role ARN>"}, "Action": ["kms:Encrypt", "kms:GenerateDataKey", "kms:Decrypt"], "Resource": "*"}
    /// ```
    ///
    /// ## Sources
    /// KMS Developer Guide, "Default key policy"; AWS Knowledge Center, "Why aren't my Amazon S3
    /// objects replicating".
    pub KmsKeyPolicyNoPath { id: "kms-key-policy-no-path", code: "K12", group: "kms", severity: Error }
}

impl Rule for KmsKeyPolicyNoPath {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, sink: &mut Sink<'_>) {
        let g = cx.graph;
        for c in cx.checked() {
            if !matches!(c.need.side, Side::SourceKey | Side::DestinationKey)
                || c.need.action == "kms:GenerateDataKey"
            {
                continue;
            }
            let role = &g.roles[c.role];
            let same = Graph::same_account(
                &role.account,
                &Resolved::Known(c.need.owner.clone().unwrap_or_default()),
            );
            if same != Tri::Yes
                || !gaps(g, &c.decision)
                    .iter()
                    .any(|gap| matches!(gap, Gap::ResourcePolicy))
            {
                continue;
            }
            let Some(loc) = crate::rules::grants::resource_policy_loc(g, c) else {
                continue;
            };
            sink.report(
                &loc,
                format!(
                    "the key policy of `{}` neither grants the replication role {} nor enables IAM policies, so the role's IAM permissions have no effect",
                    g.display(&c.need.grant),
                    c.need.action
                ),
            )
            .label("no statement for the role or the account root")
            .help(format!(
                "add to the key policy:\n{}",
                crate::rules::access::allow_statement(g, role.arn.known(), &["kms:Encrypt", "kms:GenerateDataKey", "kms:Decrypt"], "*")
            ))
            .resource(c.need.grant.as_str())
            .discriminator(c.need.action);
        }
    }
}
