use crate::rules::prelude::*;

declare_rule! {
    /// Replicating SSE-KMS objects adds KMS requests in both regions, which count against KMS quotas.
    ///
    /// ## What goes wrong
    /// Nothing, until traffic grows: each replicated SSE-KMS object costs a `kms:Decrypt` in the
    /// source region and a `kms:Encrypt`/`GenerateDataKey` in the destination region, on top of
    /// the application's own KMS calls ("doubles KMS requests in the source region"). Beyond the
    /// KMS request quota, replication is throttled (HTTP 503) and lags.
    ///
    /// ## How to fix
    /// Nothing to fix. For heavy traffic, enable S3 Bucket Keys (fewer KMS calls) or request a
    /// KMS quota increase. The quota is per account and region, so the rule notes it once per
    /// source account and region.
    ///
    /// ## Example
    /// Terraform, failing (reported at info):
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
    /// Terraform, fixed (not reported): a rule that does not replicate SSE-KMS objects.
    /// ```hcl
    ///   destination { bucket = aws_s3_bucket.dst.arn }
    /// ```
    /// CloudFormation, failing (reported at info):
    /// ```yaml
    /// - Status: Enabled
    ///   Filter: {Prefix: ""}
    ///   SourceSelectionCriteria: {SseKmsEncryptedObjects: {Status: Enabled}}
    ///   Destination:
    ///     Bucket: !GetAtt Dst.Arn
    ///     EncryptionConfiguration: {ReplicaKmsKeyID: !GetAtt DstKey.Arn}
    /// ```
    /// CloudFormation, fixed (not reported):
    /// ```yaml
    ///   Destination: {Bucket: !GetAtt Dst.Arn}
    /// ```
    ///
    /// ## Sources
    /// S3 User Guide, "Replicating encrypted objects"; "Configuring replication for buckets in
    /// the same account".
    pub KmsRequestQuota { id: "kms-request-quota", code: "K23", group: "kms", severity: Info }
}

impl Rule for KmsRequestQuota {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, sink: &mut Sink<'_>) {
        let mut seen = std::collections::BTreeSet::new();
        for r in cx.graph.each_rule() {
            let Some(ssc) = &r.rule.source_selection else {
                continue;
            };
            if !r.is_active() || !ssc.sse_kms.is("Enabled") {
                continue;
            }
            // The KMS request quota is per account and region: one note for each.
            let scope = match r.source() {
                Some(src) => match (src.account.known(), src.region.known()) {
                    (Some(a), Some(region)) => format!("{a}|{region}"),
                    _ => r.address().to_string(),
                },
                None => r.address().to_string(),
            };
            if !seen.insert(scope) {
                continue;
            }
            sink.report(
                ssc.sse_kms.loc(),
                "replicating SSE-KMS objects adds a KMS request per object in the source region and in the destination region; beyond the KMS request quota replication is throttled (503)",
            )
            .label("KMS requests per replicated object")
            .help("nothing to change; for heavy traffic enable S3 Bucket Keys or raise the KMS request quota")
            .resource(r.address());
        }
    }
}
