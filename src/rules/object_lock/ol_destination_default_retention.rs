use crate::rules::prelude::*;

declare_rule! {
    /// The destination's Object Lock default retention applies to replicas that carry no retention of their own.
    ///
    /// ## What goes wrong
    /// Nothing fails, but replicas may be locked differently from their sources: a replica keeps
    /// the retention of its source object, which overrides the destination's default; a replica of
    /// an object without retention (for example every object of a source without Object Lock)
    /// gets the destination's default retention and cannot be deleted until it expires. Delete
    /// markers are not WORM-protected.
    ///
    /// ## How to fix
    /// Nothing to fix if this is intended. Otherwise remove the destination's default retention
    /// or set retention on the source objects.
    ///
    /// ## Example
    /// Terraform, failing (reported at info):
    /// ```hcl
    /// resource "aws_s3_bucket_object_lock_configuration" "dst" {
    ///   bucket = aws_s3_bucket.dst.id
    ///   rule {
    ///     default_retention {
    ///       mode = "COMPLIANCE"
    ///       days = 30
    ///     }
    ///   }
    /// }
    /// ```
    /// Terraform, fixed:
    /// ```hcl
    /// resource "aws_s3_bucket_object_lock_configuration" "dst" {
    ///   bucket = aws_s3_bucket.dst.id
    /// }
    /// ```
    /// CloudFormation, failing (reported at info):
    /// ```yaml
    /// Dst:
    ///   Type: AWS::S3::Bucket
    ///   Properties:
    ///     ObjectLockEnabled: true
    ///     ObjectLockConfiguration:
    ///       ObjectLockEnabled: Enabled
    ///       Rule: {DefaultRetention: {Mode: COMPLIANCE, Days: 30}}
    /// ```
    /// CloudFormation, fixed:
    /// ```yaml
    /// Dst:
    ///   Type: AWS::S3::Bucket
    ///   Properties:
    ///     ObjectLockEnabled: true
    /// ```
    ///
    /// ## Sources
    /// S3 User Guide, "What does Amazon S3 replicate?"; Object Lock considerations.
    pub OlDestinationDefaultRetention { id: "ol-destination-default-retention", code: "L6", group: "object-lock", severity: Info }
}

impl Rule for OlDestinationDefaultRetention {
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
            let Some(dst) = r.destination() else { continue };
            let retention = &dst.object_lock_default_retention;
            let Value::Known(mode, loc) = retention.value else {
                continue;
            };
            if !seen.insert((r.address().to_string(), dst.index)) {
                continue;
            }
            let mode = if mode.is_empty() {
                String::new()
            } else {
                format!(" ({mode})")
            };
            let source_locked = r.source().is_some_and(|s| s.object_lock.value.is_true());
            let which = if source_locked {
                "replicas of source objects without retention get it; objects with retention keep their own"
            } else {
                "the source has no Object Lock, so every replica gets it and cannot be deleted before it expires"
            };
            sink.report(
                loc,
                format!(
                    "destination `{}` has a default retention{mode}: {which}; delete markers are not protected",
                    g.bucket_text(dst)
                ),
            )
            .label("default retention of the destination")
            .help("nothing to change if intended; replicas keep the source's retention, others get this default")
            .resource(r.address())
            .discriminator(dst.address());
        }
    }
}
