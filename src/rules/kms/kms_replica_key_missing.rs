use crate::rules::prelude::*;

declare_rule! {
    /// The rule replicates SSE-KMS objects but names no replica key.
    ///
    /// ## What goes wrong
    /// With `SseKmsEncryptedObjects` enabled, the destination's
    /// `EncryptionConfiguration.ReplicaKmsKeyID` is required: "If SourceSelectionCriteria is
    /// specified, you must specify this element." The configuration is rejected.
    ///
    /// ## How to fix
    /// Terraform: `encryption_configuration { replica_kms_key_id = aws_kms_key.replica.arn }` in
    /// the destination. CloudFormation: `EncryptionConfiguration: {ReplicaKmsKeyID: !GetAtt Key.Arn}`.
    /// Use a key in the destination bucket's region (and account).
    ///
    /// ## Example
    /// Terraform, failing:
    /// ```hcl
    /// resource "aws_s3_bucket_replication_configuration" "replication" {
    ///   bucket = aws_s3_bucket.source.id
    ///   role   = aws_iam_role.replication.arn
    ///
    ///   rule {
    ///     id     = "everything"
    ///     status = "Enabled"
    ///     # ...
    ///
    ///     source_selection_criteria {
    ///       sse_kms_encrypted_objects {
    ///         status = "Enabled"
    ///       }
    ///     }
    ///
    ///     destination {
    ///       bucket = aws_s3_bucket.replica.arn
    ///     }
    ///   }
    /// }
    /// ```
    /// Terraform, fixed:
    /// ```hcl
    /// resource "aws_s3_bucket_replication_configuration" "replication" {
    ///   bucket = aws_s3_bucket.source.id
    ///   role   = aws_iam_role.replication.arn
    ///
    ///   rule {
    ///     id     = "everything"
    ///     status = "Enabled"
    ///     # ...
    ///
    ///     source_selection_criteria {
    ///       sse_kms_encrypted_objects {
    ///         status = "Enabled"
    ///       }
    ///     }
    ///
    ///     destination {
    ///       bucket = aws_s3_bucket.replica.arn
    ///       encryption_configuration {
    ///         replica_kms_key_id = aws_kms_key.replica.arn
    ///       }
    ///     }
    ///   }
    /// }
    /// ```
    /// CloudFormation, failing:
    /// ```yaml
    /// SourceBucket:
    ///   Type: AWS::S3::Bucket
    ///   Properties:
    ///     BucketName: acme-data-source
    ///     ReplicationConfiguration:
    ///       Role: !GetAtt ReplicationRole.Arn
    ///       Rules:
    ///         - Id: everything
    ///           Status: Enabled
    ///           SourceSelectionCriteria:
    ///             SseKmsEncryptedObjects:
    ///               Status: Enabled
    ///           Destination:
    ///             Bucket: !GetAtt ReplicaBucket.Arn
    ///           # ...
    ///     # ...
    /// ```
    /// CloudFormation, fixed:
    /// ```yaml
    /// SourceBucket:
    ///   Type: AWS::S3::Bucket
    ///   Properties:
    ///     BucketName: acme-data-source
    ///     ReplicationConfiguration:
    ///       Role: !GetAtt ReplicationRole.Arn
    ///       Rules:
    ///         - Id: everything
    ///           Status: Enabled
    ///           SourceSelectionCriteria:
    ///             SseKmsEncryptedObjects:
    ///               Status: Enabled
    ///           Destination:
    ///             Bucket: !GetAtt ReplicaBucket.Arn
    ///             EncryptionConfiguration:
    ///               ReplicaKmsKeyID: !GetAtt ReplicaKey.Arn
    ///           # ...
    ///     # ...
    /// ```
    ///
    /// ## Sources
    /// S3 API Reference, `Destination` / `EncryptionConfiguration`; S3 User Guide, "Replicating
    /// encrypted objects".
    pub KmsReplicaKeyMissing { id: "kms-replica-key-missing", code: "K2", group: "kms", severity: Error }
}

impl Rule for KmsReplicaKeyMissing {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, sink: &mut Sink<'_>) {
        for r in cx.graph.each_rule() {
            let Some(ssc) = &r.rule.source_selection else {
                continue;
            };
            if !ssc.sse_kms.is("Enabled") || r.rule.destination.replica_kms_key.is_present() {
                continue;
            }
            sink.report(
                &r.rule.destination.loc.or(&r.rule.loc),
                format!("{} replicates SSE-KMS objects but its destination names no replica KMS key", r.label()),
            )
            .label("replica key required")
            .related(ssc.sse_kms.loc(), "SSE-KMS objects selected here")
            .help("add `encryption_configuration { replica_kms_key_id = <ARN of a key in the destination region> }` (CloudFormation: `EncryptionConfiguration: {ReplicaKmsKeyID: ...}`)")
            .resource(r.address())
            .discriminator(r.key());
        }
    }
}
