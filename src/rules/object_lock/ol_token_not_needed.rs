use crate::rules::prelude::*;

declare_rule! {
    /// An Object Lock token is committed in the configuration; it is no longer needed.
    ///
    /// ## What goes wrong
    /// Nothing fails. The `token` of `aws_s3_bucket_replication_configuration` and of
    /// `aws_s3_bucket_object_lock_configuration` (`x-amz-bucket-object-lock-token`) date from the
    /// time when Object Lock on an existing bucket needed AWS Support. Object Lock can now be
    /// enabled on existing buckets ("You can enable Object Lock for new or existing buckets"), and
    /// replication from Object Lock buckets is configured without Support. A token in the
    /// configuration is a secret in version control for no benefit.
    ///
    /// ## How to fix
    /// Remove the `token` argument (and the secret it came from).
    ///
    /// ## Example
    /// Terraform, failing (reported at info):
    /// ```hcl
    /// resource "aws_s3_bucket_object_lock_configuration" "src" {
    ///   bucket = aws_s3_bucket.src.id
    ///   token  = var.object_lock_token
    /// }
    /// ```
    /// Terraform, fixed:
    /// ```hcl
    /// resource "aws_s3_bucket_object_lock_configuration" "src" {
    ///   bucket = aws_s3_bucket.src.id
    /// }
    /// ```
    /// CloudFormation has no Object Lock or replication token property; this rule reports nothing
    /// for templates.
    ///
    /// ## Sources
    /// S3 User Guide, "Requirements and considerations for replication"; Object Lock
    /// considerations; S3 API Reference, `PutObjectLockConfiguration` and `PutBucketReplication`
    /// (`Token`); Terraform `aws_s3_bucket_replication_configuration`,
    /// `aws_s3_bucket_object_lock_configuration`.
    pub OlTokenNotNeeded { id: "ol-token-not-needed", code: "L5", group: "object-lock", severity: Info }
}

impl Rule for OlTokenNotNeeded {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, sink: &mut Sink<'_>) {
        let g = cx.graph;
        let help = "remove the `token` argument: Object Lock and replication on Object Lock buckets no longer need an AWS Support token";
        for (rc, view) in g.model.replications.iter().zip(&g.replications) {
            if rc.token.is_absent() || !involves_object_lock(g, view) {
                continue;
            }
            sink.report(
                rc.token.loc(),
                "the replication configuration passes an Object Lock token, which is no longer needed",
            )
            .label("not needed")
            .help(help)
            .resource(rc.origin.address.as_str());
        }
        for b in &g.buckets {
            let token = &b.object_lock_token;
            if token.value.is_absent() {
                continue;
            }
            sink.report(
                token.loc(),
                format!(
                    "the Object Lock configuration of `{}` passes a token, which is no longer needed",
                    g.bucket_text(b)
                ),
            )
            .label("not needed")
            .help(help)
            .resource(token.origin.address.as_str());
        }
    }
}

/// A replication token only matters (and is only accepted) with Object Lock on the source.
fn involves_object_lock(g: &Graph<'_>, view: &crate::graph::ReplicationView) -> bool {
    match view.source.found() {
        Some(b) => !matches!(g.buckets[b].object_lock.value, Value::Known(false, _)),
        None => true,
    }
}
