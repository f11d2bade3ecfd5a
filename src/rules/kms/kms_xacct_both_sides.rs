use crate::graph::Tri;
use crate::rules::prelude::*;

declare_rule! {
    /// A KMS key of another account does not grant the replication role in its key policy.
    ///
    /// ## What goes wrong
    /// When the key belongs to another account than the role (the usual case for a replica key in
    /// the destination account), "neither the key policy nor the IAM policy alone is sufficient":
    /// the key policy must allow the role (or the source account root) and the role's policy must
    /// allow the key ARN.
    ///
    /// ## How to fix
    /// Add to the key policy:
    /// ```json
    /// {"Sid": "AllowS3ReplicationSourceRoleToUseTheKey", "Effect": "Allow", "Principal": {"AWS": "<role ARN>"}, "Action": ["kms:GenerateDataKey", "kms:Encrypt", "kms:Decrypt"], "Resource": "*"}
    /// ```
    ///
    /// ## Sources
    /// KMS Developer Guide, "Allowing users in other accounts to use a KMS key"; S3 User Guide,
    /// "Replicating encrypted objects".
    pub KmsXacctBothSides { id: "kms-xacct-both-sides", code: "K13", group: "kms", severity: Error }
}

impl Rule for KmsXacctBothSides {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, sink: &mut Sink<'_>) {
        let g = cx.graph;
        for (c, loc) in super::key_policy_gaps(cx, Tri::No) {
            let role = &g.roles[c.role];
            sink.report(
                &loc,
                format!(
                    "the key policy of `{}` (account {}) does not grant the replication role of account {} {}",
                    g.display(&c.need.grant),
                    c.need.owner.as_deref().unwrap_or("?"),
                    role.account.known().unwrap_or("?"),
                    c.need.action
                ),
            )
            .label("no statement for the role or its account")
            .help(super::key_policy_fix(g, role.arn.known()))
            .resource(crate::rules::grants::resource_policy_address(g, c))
            .discriminator(c.need.action);
        }
    }
}
