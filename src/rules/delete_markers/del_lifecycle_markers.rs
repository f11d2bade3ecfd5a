use crate::model::LifecycleRule;
use crate::rules::access::scope_prefix;
use crate::rules::filters::{prefixes_overlap, replicates_delete_markers};
use crate::rules::prelude::*;

declare_rule! {
    /// The source bucket's lifecycle creates or removes delete markers that replication never copies.
    ///
    /// ## What goes wrong
    /// Nothing is rejected, but the buckets drift apart. Delete markers that S3 Lifecycle adds
    /// (expiring current versions of a versioned bucket) or removes (`ExpiredObjectDeleteMarker`)
    /// are never replicated, even with delete marker replication enabled; version-specific
    /// deletes are not replicated either. repl-lint reports a rule that replicates delete
    /// markers when an enabled lifecycle rule of the source bucket with such an action covers
    /// its keys, and the destination bucket shows no lifecycle expiration of its own.
    ///
    /// ## How to fix
    /// Apply the same lifecycle expiration to the destination bucket.
    ///
    /// ## Example
    /// Terraform, reported:
    /// ```hcl
    /// resource "aws_s3_bucket_lifecycle_configuration" "src" {
    ///   bucket = aws_s3_bucket.src.id
    ///   rule {
    ///     id     = "expire"
    ///     status = "Enabled"
    ///     filter {}
    ///     expiration {
    ///       days = 30
    ///     }
    ///   }
    /// }
    /// ```
    /// Terraform, fixed (the same lifecycle on the destination):
    /// ```hcl
    /// resource "aws_s3_bucket_lifecycle_configuration" "dst" {
    ///   bucket = aws_s3_bucket.dst.id
    ///   rule {
    ///     id     = "expire"
    ///     status = "Enabled"
    ///     filter {}
    ///     expiration {
    ///       days = 30
    ///     }
    ///   }
    /// }
    /// ```
    /// CloudFormation, reported:
    /// ```yaml
    /// Src:
    ///   Type: AWS::S3::Bucket
    ///   Properties:
    ///     LifecycleConfiguration:
    ///       Rules:
    ///         - Status: Enabled
    ///           ExpirationInDays: 30
    /// ```
    /// CloudFormation, fixed:
    /// ```yaml
    /// Dst:
    ///   Type: AWS::S3::Bucket
    ///   Properties:
    ///     LifecycleConfiguration:
    ///       Rules:
    ///         - Status: Enabled
    ///           ExpirationInDays: 30
    /// ```
    ///
    /// ## Sources
    /// S3 User Guide, "Replicating delete markers between buckets"; "What does Amazon S3
    /// replicate?".
    pub DelLifecycleMarkers { id: "del-lifecycle-markers", code: "I6", group: "delete-markers", severity: Info }
}

impl Rule for DelLifecycleMarkers {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, sink: &mut Sink<'_>) {
        let g = cx.graph;
        for r in g.each_rule() {
            if !r.is_active() || replicates_delete_markers(r.rule) != Some(true) {
                continue;
            }
            let Some((lifecycle, _)) = r.source().and_then(|s| s.lifecycle) else {
                continue;
            };
            let scope = scope_prefix(&r);
            let Some((lc, action)) = lifecycle
                .rules
                .iter()
                .filter(|lc| !lc.status.is("Disabled"))
                .filter(|lc| prefixes_overlap(lc.prefix.as_str().unwrap_or(""), &scope))
                .find_map(|lc| marker_action(lc).map(|a| (lc, a)))
            else {
                continue;
            };
            if r.destination()
                .and_then(|d| d.lifecycle)
                .is_some_and(|(dst, _)| dst.rules.iter().any(|d| marker_action(d).is_some()))
            {
                continue;
            }
            sink.report(
                &lc.loc,
                format!(
                    "{} replicates delete markers, but the delete markers this lifecycle rule {action} are never replicated: {} will keep those objects",
                    r.label(),
                    r.destination_text()
                ),
            )
            .label("lifecycle delete markers are not replicated")
            .related(&r.rule.loc, "replication rule")
            .help("apply the same lifecycle expiration to the destination bucket")
            .resource(r.address())
            .discriminator(r.key());
        }
    }
}

/// What a lifecycle rule does to delete markers, if anything.
fn marker_action(lc: &LifecycleRule) -> Option<&'static str> {
    if lc.expiration.is_some() {
        Some("creates (expiring current versions)")
    } else if lc.expired_object_delete_marker.is_true() {
        Some("removes (expired object delete markers)")
    } else {
        None
    }
}
