use crate::rules::prelude::*;

declare_rule! {
    /// A replication rule has an empty `SourceSelectionCriteria`.
    ///
    /// ## What goes wrong
    /// A `SourceSelectionCriteria` element without `SseKmsEncryptedObjects` or
    /// `ReplicaModifications` is rejected: `InvalidRequest: SourceSelectionCriteria cannot be
    /// empty`.
    ///
    /// ## How to fix
    /// Remove the empty block, or put the criterion in it that you meant (usually
    /// `sse_kms_encrypted_objects { status = "Enabled" }`).
    ///
    /// ## Example
    /// Terraform, failing:
    /// ```hcl
    /// rule {
    ///   status = "Enabled"
    ///   filter {}
    ///   source_selection_criteria {}
    ///   destination { bucket = aws_s3_bucket.dst.arn }
    /// }
    /// ```
    /// Terraform, fixed:
    /// ```hcl
    /// rule {
    ///   status = "Enabled"
    ///   filter {}
    ///   source_selection_criteria {
    ///     sse_kms_encrypted_objects { status = "Enabled" }
    ///   }
    ///   destination { bucket = aws_s3_bucket.dst.arn }
    /// }
    /// ```
    /// CloudFormation, failing:
    /// ```yaml
    /// - Status: Enabled
    ///   Filter: {}
    ///   SourceSelectionCriteria: {}
    ///   Destination: {Bucket: !GetAtt Dst.Arn}
    /// ```
    /// CloudFormation, fixed:
    /// ```yaml
    /// - Status: Enabled
    ///   Filter: {}
    ///   SourceSelectionCriteria:
    ///     SseKmsEncryptedObjects: {Status: Enabled}
    ///   Destination: {Bucket: !GetAtt Dst.Arn}
    /// ```
    ///
    /// ## Sources
    /// hashicorp/terraform-provider-aws#44192 (`InvalidRequest: SourceSelectionCriteria cannot be empty`).
    pub RcSscEmpty { id: "rc-ssc-empty", code: "C11", group: "config-basics", severity: Error }
}

impl Rule for RcSscEmpty {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, sink: &mut Sink<'_>) {
        for r in cx.graph.each_rule() {
            let Some(ssc) = &r.rule.source_selection else {
                continue;
            };
            if ssc.sse_kms.is_present() || ssc.replica_modifications.is_present() {
                continue;
            }
            sink.report(
                &ssc.loc,
                format!(
                    "{} has an empty source selection criteria block: S3 rejects it (\"SourceSelectionCriteria cannot be empty\")",
                    r.label()
                ),
            )
            .label("empty")
            .help(if r.config.origin.format == crate::model::Format::CloudFormation {
                "remove SourceSelectionCriteria, or add SseKmsEncryptedObjects: {Status: Enabled}"
            } else {
                "remove the block, or add sse_kms_encrypted_objects { status = \"Enabled\" }"
            })
            .resource(r.address())
            .discriminator(r.key());
        }
    }
}
