use crate::rules::access::{self, Side};
use crate::rules::grants;
use crate::rules::prelude::*;

declare_rule! {
    /// Replicating existing objects whose encryption changed from SSE-S3 to SSE-KMS needs `kms:Decrypt` on the replica key too.
    ///
    /// ## What goes wrong
    /// Batch Replication (and existing object replication) of objects that were re-encrypted from
    /// SSE-S3 to SSE-KMS needs `kms:Decrypt` on the source-region key and `kms:Decrypt` plus
    /// `kms:Encrypt` on the destination-region key; live replication needs only `kms:Encrypt` on
    /// the latter. Neither Terraform nor CloudFormation can describe a Batch Operations job, so the
    /// rule looks at rules with existing object replication enabled: it notes, at info, when the
    /// role may not `kms:Decrypt` with the replica key.
    ///
    /// ## How to fix
    /// Add `kms:Decrypt` on the replica key if existing objects were re-encrypted with SSE-KMS.
    ///
    /// ## Example
    /// Terraform, failing (reported at info):
    /// ```hcl
    /// rule {
    ///   status = "Enabled"
    ///   filter {}
    ///   delete_marker_replication { status = "Disabled" }
    ///   existing_object_replication { status = "Enabled" }
    ///   source_selection_criteria {
    ///     sse_kms_encrypted_objects { status = "Enabled" }
    ///   }
    ///   # destination: as above (the role has only kms:Encrypt, kms:GenerateDataKey on the replica key)
    /// }
    /// ```
    /// Terraform, fixed:
    /// ```hcl
    /// { Effect = "Allow", Action = ["kms:Encrypt", "kms:GenerateDataKey", "kms:Decrypt"], Resource = aws_kms_key.dst.arn }
    /// ```
    /// CloudFormation has no existing object replication setting and no Batch Operations job
    /// resource; this rule reports nothing for templates.
    ///
    /// ## Sources
    /// S3 User Guide, "Replicating encrypted objects"; "Troubleshooting replication".
    pub KmsBatchAfterSseChange { id: "kms-batch-after-sse-change", code: "K25", group: "kms", severity: Info }
}

impl Rule for KmsBatchAfterSseChange {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, sink: &mut Sink<'_>) {
        let g = cx.graph;
        let mut seen = foldhash::HashSet::default();
        for c in cx
            .checked()
            .filter(|c| c.need.side == Side::DestinationKey && c.need.action == "kms:Encrypt")
        {
            let Some(r) = g.rule_ref(c.replication, c.rule) else {
                continue;
            };
            let existing = &r.rule.existing_object_replication;
            if !existing.is("Enabled") || !seen.insert((c.replication, c.rule)) {
                continue;
            }
            if access::decide_with_action(g, c, "kms:Decrypt").is_allow() {
                continue;
            }
            let role = &g.roles[c.role];
            sink.report(
                existing.loc(),
                format!(
                    "{} replicates existing objects; those re-encrypted from SSE-S3 to SSE-KMS also need kms:Decrypt on the replica key `{}`, which role `{}` lacks",
                    r.label(),
                    g.display(&c.need.grant),
                    grants::role_text(g, role)
                ),
            )
            .label("existing objects replicated")
            .help(format!(
                "if existing objects were re-encrypted with SSE-KMS, add:\n{}",
                access::allow_statement(g, None, &["kms:Decrypt"], &c.need.grant)
            ))
            .resource(r.address())
            .discriminator(r.key());
        }
    }
}
