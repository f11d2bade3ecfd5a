use crate::rules::prelude::*;

declare_rule! {
    /// A replication rule does not encrypt replicas with SSE-KMS, which the organization requires.
    ///
    /// ## What goes wrong
    /// Without `replica_kms_key_id`, replicas are encrypted as the destination bucket's default
    /// says, not with a customer managed key; `.repl-lint.toml` sets
    /// `[standards] require-replica-kms = true`.
    ///
    /// ## How to fix
    /// ```hcl
    /// source_selection_criteria {
    ///   sse_kms_encrypted_objects { status = "Enabled" }
    /// }
    /// destination {
    ///   encryption_configuration { replica_kms_key_id = aws_kms_key.replica.arn }
    /// }
    /// ```
    ///
    /// ## Example
    /// With this `.repl-lint.toml`:
    /// ```toml
    /// [standards]
    /// require-replica-kms = true
    /// ```
    /// Terraform, failing:
    /// ```hcl
    /// rule {
    ///   id     = "all"
    ///   status = "Enabled"
    ///   filter {}
    ///   delete_marker_replication { status = "Enabled" }
    ///   destination {
    ///     bucket = aws_s3_bucket.dst.arn
    ///   }
    /// }
    /// ```
    /// Terraform, fixed:
    /// ```hcl
    /// rule {
    ///   id     = "all"
    ///   status = "Enabled"
    ///   filter {}
    ///   delete_marker_replication { status = "Enabled" }
    ///   source_selection_criteria {
    ///     sse_kms_encrypted_objects { status = "Enabled" }
    ///   }
    ///   destination {
    ///     bucket = aws_s3_bucket.dst.arn
    ///     encryption_configuration { replica_kms_key_id = aws_kms_key.replica.arn }
    ///   }
    /// }
    /// ```
    /// CloudFormation, failing:
    /// ```yaml
    /// Rules:
    ///   - Id: all
    ///     Status: Enabled
    ///     Priority: 1
    ///     Filter: {Prefix: ""}
    ///     DeleteMarkerReplication: {Status: Enabled}
    ///     Destination:
    ///       Bucket: !GetAtt ReplicaBucket.Arn
    /// ```
    /// CloudFormation, fixed:
    /// ```yaml
    /// Rules:
    ///   - Id: all
    ///     Status: Enabled
    ///     Priority: 1
    ///     Filter: {Prefix: ""}
    ///     DeleteMarkerReplication: {Status: Enabled}
    ///     SourceSelectionCriteria:
    ///       SseKmsEncryptedObjects: {Status: Enabled}
    ///     Destination:
    ///       Bucket: !GetAtt ReplicaBucket.Arn
    ///       EncryptionConfiguration:
    ///         ReplicaKmsKeyID: !GetAtt ReplicaKey.Arn
    /// ```
    ///
    /// ## Sources
    /// S3 User Guide, "Replicating objects created with server-side encryption (SSE-C, SSE-S3,
    /// SSE-KMS, DSSE-KMS)".
    pub StdRequireReplicaKms { id: "std-require-replica-kms", code: "STD2", group: "standards", severity: Error }
}

impl Rule for StdRequireReplicaKms {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, sink: &mut Sink<'_>) {
        if !cx.config.standards.require_replica_kms {
            return;
        }
        for r in cx.graph.each_rule().filter(|r| r.is_active()) {
            let key = &r.rule.destination.replica_kms_key;
            if key.is_present() {
                continue;
            }
            sink.report(&super::at(&r, key), format!("{} does not encrypt replicas with a KMS key", r.label()))
                .label(super::by(cx))
                .help("set `encryption_configuration { replica_kms_key_id = <key ARN> }` in `destination` (CloudFormation: `EncryptionConfiguration.ReplicaKmsKeyID`)")
                .resource(r.address())
                .discriminator(r.key());
        }
    }
}
