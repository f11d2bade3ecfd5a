use super::SseC;
use crate::rules::prelude::*;

declare_rule! {
    /// The destination blocks SSE-C while the source accepts SSE-C objects.
    ///
    /// ## What goes wrong
    /// "When SSE-C is blocked for a bucket, any PutObject, CopyObject, PostObject, Multipart
    /// Upload, or replication request that specifies SSE-C encryption will be rejected with an
    /// HTTP 403 AccessDenied error." Replicas of SSE-C objects then fail. Since April 2026 AWS
    /// blocks SSE-C on every new general purpose bucket unless `blocked_encryption_types` is set
    /// to `["NONE"]`. Error when the source explicitly allows SSE-C and the destination blocks it;
    /// warning when only one side is explicit (a source created before April 2026 accepts SSE-C;
    /// a new destination without the setting blocks it).
    ///
    /// ## How to fix
    /// Allow SSE-C on the destination (`blocked_encryption_types = ["NONE"]`), or block it on the
    /// source too if no SSE-C objects are written.
    ///
    /// ## Example
    /// Terraform, failing:
    /// ```hcl
    /// resource "aws_s3_bucket_server_side_encryption_configuration" "src" {
    ///   bucket = aws_s3_bucket.src.id
    ///   rule {
    ///     apply_server_side_encryption_by_default { sse_algorithm = "AES256" }
    ///     blocked_encryption_types = ["NONE"]
    ///   }
    /// }
    /// resource "aws_s3_bucket_server_side_encryption_configuration" "dst" {
    ///   bucket = aws_s3_bucket.dst.id
    ///   rule {
    ///     apply_server_side_encryption_by_default { sse_algorithm = "AES256" }
    ///     blocked_encryption_types = ["SSE-C"]
    ///   }
    /// }
    /// ```
    /// Terraform, fixed:
    /// ```hcl
    /// resource "aws_s3_bucket_server_side_encryption_configuration" "dst" {
    ///   bucket = aws_s3_bucket.dst.id
    ///   rule {
    ///     apply_server_side_encryption_by_default { sse_algorithm = "AES256" }
    ///     blocked_encryption_types = ["NONE"]
    ///   }
    /// }
    /// ```
    /// CloudFormation, failing:
    /// ```yaml
    /// Dst:
    ///   Type: AWS::S3::Bucket
    ///   Properties:
    ///     BucketEncryption:
    ///       ServerSideEncryptionConfiguration:
    ///         - ServerSideEncryptionByDefault: {SSEAlgorithm: AES256}
    ///           BlockedEncryptionTypes: {EncryptionType: [SSE-C]}
    /// ```
    /// CloudFormation, fixed:
    /// ```yaml
    ///           BlockedEncryptionTypes: {EncryptionType: [NONE]}
    /// ```
    ///
    /// ## Sources
    /// S3 User Guide, "Blocking or unblocking SSE-C for a general purpose bucket"; S3 API
    /// Reference, `BlockedEncryptionTypes`.
    pub KmsSseCBlockedDestination { id: "kms-sse-c-blocked-destination", code: "K20", group: "kms", severity: Error }
}

impl Rule for KmsSseCBlockedDestination {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, sink: &mut Sink<'_>) {
        let g = cx.graph;
        for r in g.each_rule() {
            if !r.is_active() {
                continue;
            }
            let (Some(src), Some(dst)) = (r.source(), r.destination()) else {
                continue;
            };
            let (src_state, src_loc) = super::sse_c(src);
            let (dst_state, dst_loc) = super::sse_c(dst);
            let (severity, why) = match (src_state, dst_state) {
                (SseC::Allowed, SseC::Blocked) => (
                    Severity::Error,
                    "the source explicitly accepts SSE-C objects",
                ),
                (SseC::Default, SseC::Blocked) => (
                    Severity::Warning,
                    "the source accepts SSE-C objects if it was created before April 2026",
                ),
                (SseC::Allowed, SseC::Default) => (
                    Severity::Warning,
                    "the source explicitly accepts SSE-C objects, and a destination created since April 2026 blocks SSE-C unless it sets blocked_encryption_types = [\"NONE\"]",
                ),
                _ => continue,
            };
            let blocked = if dst_state == SseC::Blocked {
                format!("destination `{}` blocks SSE-C", g.bucket_text(dst))
            } else {
                format!("destination `{}` may block SSE-C", g.bucket_text(dst))
            };
            sink.report(
                &dst_loc,
                format!(
                    "{blocked} but {why}: replicas of SSE-C objects are rejected with 403 AccessDenied"
                ),
            )
            .severity(severity)
            .label("SSE-C blocked for replicas")
            .related(&src_loc, "the source's SSE-C setting")
            .help("set `blocked_encryption_types = [\"NONE\"]` on the destination (CloudFormation: `BlockedEncryptionTypes: {EncryptionType: [NONE]}`), or block SSE-C on the source as well")
            .resource(r.address())
            .discriminator(r.key());
        }
    }
}
