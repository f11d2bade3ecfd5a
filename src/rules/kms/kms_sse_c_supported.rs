use super::SseC;
use crate::rules::prelude::*;

declare_rule! {
    /// SSE-C objects replicate without extra configuration or permissions.
    ///
    /// ## What goes wrong
    /// Nothing. Objects encrypted with customer-provided keys (SSE-C) are replicated like
    /// unencrypted objects: no source selection opt-in, replica key or KMS permission is needed.
    /// The rule reports this where the source bucket explicitly accepts SSE-C
    /// (`blocked_encryption_types = ["NONE"]`) and the destination accepts it too; when the
    /// destination blocks SSE-C, `kms-sse-c-blocked-destination` reports instead.
    ///
    /// ## How to fix
    /// Nothing to fix. Do not add KMS settings for SSE-C objects.
    ///
    /// ## Example
    /// Terraform, failing (reported at info):
    /// ```hcl
    /// resource "aws_s3_bucket_server_side_encryption_configuration" "src" {
    ///   bucket = aws_s3_bucket.src.id
    ///   rule {
    ///     apply_server_side_encryption_by_default { sse_algorithm = "AES256" }
    ///     blocked_encryption_types = ["NONE"]
    ///   }
    /// }
    /// ```
    /// Terraform, fixed (not reported): the source blocks SSE-C.
    /// ```hcl
    ///     blocked_encryption_types = ["SSE-C"]
    /// ```
    /// CloudFormation, failing (reported at info):
    /// ```yaml
    /// BucketEncryption:
    ///   ServerSideEncryptionConfiguration:
    ///     - ServerSideEncryptionByDefault: {SSEAlgorithm: AES256}
    ///       BlockedEncryptionTypes: {EncryptionType: [NONE]}
    /// ```
    /// CloudFormation, fixed (not reported):
    /// ```yaml
    ///       BlockedEncryptionTypes: {EncryptionType: [SSE-C]}
    /// ```
    ///
    /// ## Sources
    /// S3 User Guide, "Replicating encrypted objects" (§ Replicating objects encrypted with SSE-C).
    pub KmsSseCSupported { id: "kms-sse-c-supported", code: "K19", group: "kms", severity: Info }
}

impl Rule for KmsSseCSupported {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, sink: &mut Sink<'_>) {
        let g = cx.graph;
        let mut seen = std::collections::BTreeSet::new();
        for r in g.each_rule() {
            if !r.is_active() {
                continue;
            }
            let (Some(src), Some(dst)) = (r.source(), r.destination()) else {
                continue;
            };
            let (src_state, src_loc) = super::sse_c(src);
            if src_state != SseC::Allowed || super::sse_c(dst).0 != SseC::Allowed {
                continue;
            }
            if !seen.insert(r.address().to_string()) {
                continue;
            }
            sink.report(
                &src_loc,
                format!(
                    "source `{}` accepts SSE-C objects; they replicate without any KMS setting or permission",
                    g.bucket_text(src)
                ),
            )
            .label("SSE-C objects replicate as they are")
            .help("nothing to change")
            .resource(r.address());
        }
    }
}
