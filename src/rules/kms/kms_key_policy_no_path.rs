use crate::graph::Tri;
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
        for (c, loc) in super::key_policy_gaps(cx, Tri::Yes) {
            let role = &g.roles[c.role];
            sink.report(
                &loc,
                format!(
                    "the key policy of `{}` neither grants the replication role {} nor enables IAM policies, so the role's IAM permissions have no effect",
                    g.display(&c.need.grant),
                    c.need.action
                ),
            )
            .label("no statement for the role or the account root")
            .help(super::key_policy_fix(g, role.arn.known()))
            .resource(crate::rules::grants::resource_policy_address(g, c))
            .discriminator(c.need.action);
        }
    }
}
