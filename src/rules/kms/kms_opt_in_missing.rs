use crate::rules::prelude::*;

declare_rule! {
    /// The source bucket encrypts with SSE-KMS but the rule does not opt in to replicating KMS objects.
    ///
    /// ## What goes wrong
    /// "By default, Amazon S3 doesn't replicate objects that are encrypted with SSE-KMS or
    /// DSSE-KMS." Without `SourceSelectionCriteria.SseKmsEncryptedObjects` set to `Enabled`, every
    /// KMS-encrypted object in the source is silently skipped.
    ///
    /// ## How to fix
    /// ```hcl
    /// source_selection_criteria {
    ///   sse_kms_encrypted_objects { status = "Enabled" }
    /// }
    /// ```
    /// and a replica key in the destination (`encryption_configuration { replica_kms_key_id = ... }`).
    ///
    /// ## Example
    /// Terraform, failing:
    /// ```hcl
    /// resource "aws_s3_bucket_server_side_encryption_configuration" "source" {
    ///   bucket = aws_s3_bucket.source.id
    ///
    ///   rule {
    ///     apply_server_side_encryption_by_default {
    ///       sse_algorithm     = "aws:kms"
    ///       kms_master_key_id = aws_kms_key.source.arn
    ///     }
    ///   }
    /// }
    ///
    /// resource "aws_s3_bucket_replication_configuration" "replication" {
    ///   # ...
    ///   rule {
    ///     # ...
    ///     destination {
    ///       bucket = aws_s3_bucket.replica.arn
    ///     }
    ///   }
    /// }
    /// ```
    /// Terraform, fixed:
    /// ```hcl
    /// resource "aws_s3_bucket_replication_configuration" "replication" {
    ///   # ...
    ///   rule {
    ///     # ...
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
    ///     BucketEncryption:
    ///       ServerSideEncryptionConfiguration:
    ///         - ServerSideEncryptionByDefault:
    ///             SSEAlgorithm: aws:kms
    ///             KMSMasterKeyID: !GetAtt SourceKey.Arn
    ///     ReplicationConfiguration:
    ///       Role: !GetAtt ReplicationRole.Arn
    ///       Rules:
    ///         - Id: everything
    ///           Status: Enabled
    ///           # ...
    ///           Destination:
    ///             Bucket: !GetAtt ReplicaBucket.Arn
    /// ```
    /// CloudFormation, fixed:
    /// ```yaml
    /// SourceBucket:
    ///   Type: AWS::S3::Bucket
    ///   Properties:
    ///     # ... BucketEncryption as above
    ///     ReplicationConfiguration:
    ///       Role: !GetAtt ReplicationRole.Arn
    ///       Rules:
    ///         - Id: everything
    ///           Status: Enabled
    ///           # ...
    ///           SourceSelectionCriteria:
    ///             SseKmsEncryptedObjects:
    ///               Status: Enabled
    ///           Destination:
    ///             Bucket: !GetAtt ReplicaBucket.Arn
    ///             EncryptionConfiguration:
    ///               ReplicaKmsKeyID: !GetAtt ReplicaKey.Arn
    /// ```
    ///
    /// ## Sources
    /// S3 User Guide, "Replicating encrypted objects"; "Troubleshooting replication".
    pub KmsOptInMissing { id: "kms-opt-in-missing", code: "K1", group: "kms", severity: Error }
}

impl Rule for KmsOptInMissing {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, sink: &mut Sink<'_>) {
        let g = cx.graph;
        for r in g.each_rule() {
            if !r.is_active() {
                continue;
            }
            let Some(src) = r.source() else { continue };
            let Some((sse, _)) = src.sse else { continue };
            let kms = match &sse.algorithm {
                Value::Known(a, _) => a.starts_with("aws:kms"),
                _ => continue,
            };
            if !kms {
                continue;
            }
            let opted_in = r.rule.source_selection.as_ref().map(|s| &s.sse_kms);
            match opted_in {
                Some(v) if v.is("Enabled") => {}
                Some(v) if v.is_present() && !v.is_known() => {
                    sink.cannot_verify(
                        v.loc(),
                        format!(
                            "whether {} replicates SSE-KMS objects (known only after apply)",
                            r.label()
                        ),
                        "",
                    )
                    .resource(r.address())
                    .discriminator(r.key());
                }
                _ => {
                    let at = r
                        .rule
                        .source_selection
                        .as_ref()
                        .map(|s| s.sse_kms.loc().or(&s.loc))
                        .unwrap_or_else(|| r.rule.loc.clone());
                    sink.report(
                        &at,
                        format!(
                            "source bucket `{}` encrypts with {} but {} does not replicate KMS-encrypted objects: they are silently skipped",
                            g.bucket_text(src),
                            sse.algorithm.as_str().unwrap_or("SSE-KMS"),
                            r.label()
                        ),
                    )
                    .label("SSE-KMS objects are not selected")
                    .related(sse.algorithm.loc(), "default encryption is SSE-KMS")
                    .help("add to the rule:\nsource_selection_criteria {\n  sse_kms_encrypted_objects {\n    status = \"Enabled\"\n  }\n}\n(CloudFormation: `SourceSelectionCriteria: {SseKmsEncryptedObjects: {Status: Enabled}}`) and a replica key in the destination's encryption configuration")
                    .resource(r.address())
                    .discriminator(r.key());
                }
            }
        }
    }
}
