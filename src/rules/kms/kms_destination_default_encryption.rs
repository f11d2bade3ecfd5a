use crate::rules::prelude::*;

declare_rule! {
    /// The destination's default encryption differs from the source's; replicas keep the source's encryption.
    ///
    /// ## What goes wrong
    /// Nothing fails, but replicas may not be encrypted the way the destination suggests: the
    /// destination's default encryption applies only to replicas of unencrypted source objects.
    /// Replicas of SSE-S3, SSE-KMS and DSSE-KMS objects keep the source's encryption type (KMS
    /// replicas use the rule's replica key). Re-encrypted replicas have other ETags than their
    /// sources.
    ///
    /// ## How to fix
    /// Nothing to fix if intended. To have KMS-encrypted replicas, encrypt the source objects
    /// with SSE-KMS and replicate them with a replica key.
    ///
    /// ## Example
    /// Terraform, failing (reported at info):
    /// ```hcl
    /// resource "aws_s3_bucket_server_side_encryption_configuration" "dst" {
    ///   bucket = aws_s3_bucket.dst.id
    ///   rule {
    ///     apply_server_side_encryption_by_default { sse_algorithm = "aws:kms" }
    ///   }
    /// }
    /// # while the source uses the default SSE-S3
    /// ```
    /// Terraform, fixed (not reported): the same default encryption on both buckets.
    /// ```hcl
    ///     apply_server_side_encryption_by_default { sse_algorithm = "AES256" }
    /// ```
    /// CloudFormation, failing (reported at info):
    /// ```yaml
    /// Dst:
    ///   Type: AWS::S3::Bucket
    ///   Properties:
    ///     BucketEncryption:
    ///       ServerSideEncryptionConfiguration:
    ///         - ServerSideEncryptionByDefault: {SSEAlgorithm: aws:kms}
    /// ```
    /// CloudFormation, fixed (not reported):
    /// ```yaml
    ///         - ServerSideEncryptionByDefault: {SSEAlgorithm: AES256}
    /// ```
    ///
    /// ## Sources
    /// S3 User Guide, "Replicating encrypted objects"; "What does Amazon S3 replicate?";
    /// "Reducing the cost of SSE-KMS with S3 Bucket Keys".
    pub KmsDestinationDefaultEncryption { id: "kms-destination-default-encryption", code: "K24", group: "kms", severity: Info }
}

/// A bucket's default encryption algorithm; S3 encrypts with SSE-S3 when none is configured.
fn algorithm(b: &crate::graph::BucketView<'_>) -> Option<String> {
    match b.sse {
        None => Some("AES256".into()),
        Some((sse, _)) => match &sse.algorithm {
            Value::Known(a, _) => Some(a.to_ascii_lowercase()),
            Value::Absent(_) => Some("AES256".into()),
            _ => None,
        },
    }
}

impl Rule for KmsDestinationDefaultEncryption {
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
            let Some((dst_sse, _)) = dst.sse else {
                continue;
            };
            let (Some(src_alg), Some(dst_alg)) = (algorithm(src), algorithm(dst)) else {
                continue;
            };
            if src_alg.eq_ignore_ascii_case(&dst_alg)
                || !seen.insert((r.address().to_string(), dst.index))
            {
                continue;
            }
            let src_text = if src_alg.eq_ignore_ascii_case("AES256") {
                "SSE-S3".to_string()
            } else {
                src_alg.clone()
            };
            sink.report(
                dst_sse.algorithm.loc(),
                format!(
                    "destination `{}` encrypts with {dst_alg} by default, but replicas of the source's {src_text} objects keep {src_text}: the destination default applies only to unencrypted source objects",
                    g.bucket_text(dst)
                ),
            )
            .label("applies only to unencrypted source objects")
            .help("nothing to change if intended; replicas keep the source object's encryption type")
            .resource(r.address())
            .discriminator(dst.address());
        }
    }
}
