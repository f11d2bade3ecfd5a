use crate::rules::prelude::*;

declare_rule! {
    /// A replica KMS key is set but the rule does not replicate SSE-KMS objects.
    ///
    /// ## What goes wrong
    /// The replica key is only used for objects selected by
    /// `SourceSelectionCriteria.SseKmsEncryptedObjects`. Without that opt-in, SSE-KMS and
    /// DSSE-KMS objects are skipped ("By default, Amazon S3 doesn't replicate objects that are
    /// encrypted with SSE-KMS or DSSE-KMS") and the key does nothing; the Terraform provider
    /// documents the replica key as "Must be used in conjunction with sse_kms_encrypted_objects".
    /// Usually the opt-in was forgotten.
    ///
    /// ## How to fix
    /// Enable `sse_kms_encrypted_objects` in the rule's source selection criteria (and grant the
    /// role the KMS permissions), or drop the replica key if the source holds no KMS objects.
    /// When the source bucket's default encryption is SSE-KMS, `kms-opt-in-missing` reports this
    /// instead.
    ///
    /// ## Example
    /// Terraform, failing:
    /// ```hcl
    /// rule {
    ///   status = "Enabled"
    ///   filter {}
    ///   delete_marker_replication { status = "Disabled" }
    ///   destination {
    ///     bucket = aws_s3_bucket.dst.arn
    ///     encryption_configuration { replica_kms_key_id = aws_kms_key.dst.arn }
    ///   }
    /// }
    /// ```
    /// Terraform, fixed:
    /// ```hcl
    /// rule {
    ///   status = "Enabled"
    ///   filter {}
    ///   delete_marker_replication { status = "Disabled" }
    ///   source_selection_criteria {
    ///     sse_kms_encrypted_objects { status = "Enabled" }
    ///   }
    ///   destination {
    ///     bucket = aws_s3_bucket.dst.arn
    ///     encryption_configuration { replica_kms_key_id = aws_kms_key.dst.arn }
    ///   }
    /// }
    /// ```
    /// CloudFormation, failing:
    /// ```yaml
    /// Rules:
    ///   - Status: Enabled
    ///     Prefix: ""
    ///     Destination:
    ///       Bucket: !GetAtt Dst.Arn
    ///       EncryptionConfiguration: {ReplicaKmsKeyID: !GetAtt DstKey.Arn}
    /// ```
    /// CloudFormation, fixed:
    /// ```yaml
    /// Rules:
    ///   - Status: Enabled
    ///     Prefix: ""
    ///     SourceSelectionCriteria:
    ///       SseKmsEncryptedObjects: {Status: Enabled}
    ///     Destination:
    ///       Bucket: !GetAtt Dst.Arn
    ///       EncryptionConfiguration: {ReplicaKmsKeyID: !GetAtt DstKey.Arn}
    /// ```
    ///
    /// ## Sources
    /// Terraform `aws_s3_bucket` (legacy `replica_kms_key_id`); S3 User Guide, "Replicating
    /// encrypted objects".
    pub KmsReplicaKeyWithoutOptIn { id: "kms-replica-key-without-opt-in", code: "K3", group: "kms", severity: Warning }
}

impl Rule for KmsReplicaKeyWithoutOptIn {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, sink: &mut Sink<'_>) {
        for r in cx.graph.each_rule() {
            let key = &r.rule.destination.replica_kms_key;
            if key.is_absent() || !r.is_active() || source_encrypts_with_kms(&r) {
                continue;
            }
            let opt_in = r.rule.source_selection.as_ref().map(|s| &s.sse_kms);
            match opt_in {
                Some(v) if v.is("Enabled") => {}
                // Decided at apply: kms-opt-in-missing and this rule cannot tell yet.
                Some(v) if v.is_present() && !v.is_known() => {}
                _ => {
                    let related = opt_in.map(|v| v.loc()).unwrap_or(&r.rule.loc);
                    sink.report(
                        key.loc(),
                        format!(
                            "{} names a replica KMS key but does not replicate SSE-KMS objects: KMS-encrypted objects are skipped and the key is unused",
                            r.label()
                        ),
                    )
                    .label("replica key without SSE-KMS opt-in")
                    .related(related, "SSE-KMS objects are not selected here")
                    .help("add to the rule:\nsource_selection_criteria {\n  sse_kms_encrypted_objects {\n    status = \"Enabled\"\n  }\n}\n(CloudFormation: `SourceSelectionCriteria: {SseKmsEncryptedObjects: {Status: Enabled}}`), or remove the replica key")
                    .resource(r.address())
                    .discriminator(r.key());
                }
            }
        }
    }
}

/// The source's default encryption is SSE-KMS: `kms-opt-in-missing` reports the missing opt-in.
fn source_encrypts_with_kms(r: &crate::graph::RuleRef<'_, '_>) -> bool {
    r.source()
        .and_then(|s| s.sse)
        .and_then(|(sse, _)| sse.algorithm.as_str())
        .is_some_and(|a| a.starts_with("aws:kms"))
}
