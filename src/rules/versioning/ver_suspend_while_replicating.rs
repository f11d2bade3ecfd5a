use crate::rules::prelude::*;

use super::{replication_buckets, suspended_by_plan};

declare_rule! {
    /// The plan suspends versioning on a bucket that replicates or receives replicas.
    ///
    /// ## What goes wrong
    /// S3 does not let you suspend versioning on a source bucket while it has a replication
    /// configuration: the apply fails, and you must remove the replication configuration first.
    /// On a destination bucket the change is accepted, and every replica then fails with
    /// `DstBucketUnversioned` (status `FAILED`). Terraform's `Disabled` is only valid for a bucket
    /// that was never versioned, so it fails on a bucket that was.
    ///
    /// ## How to fix
    /// Keep versioning `Enabled` on every bucket taking part in replication. To stop replicating,
    /// remove the replication configuration first (or set its rules to `Disabled`).
    ///
    /// ## Example
    /// Terraform, failing (the plan shows `Enabled` → `Suspended`):
    /// ```hcl
    /// resource "aws_s3_bucket_versioning" "src" {
    ///   bucket = aws_s3_bucket.src.id
    ///   versioning_configuration {
    ///     status = "Suspended" # was "Enabled"
    ///   }
    /// }
    /// ```
    /// Terraform, fixed:
    /// ```hcl
    /// resource "aws_s3_bucket_versioning" "src" {
    ///   bucket = aws_s3_bucket.src.id
    ///   versioning_configuration {
    ///     status = "Enabled"
    ///   }
    /// }
    /// ```
    /// A CloudFormation template is the desired state, not a change: this rule reads only
    /// Terraform plans (`terraform show -json`), which show the status before and after. For a
    /// template, `ver-src-not-enabled` and `ver-dst-not-enabled` report a suspended status.
    ///
    /// ## Sources
    /// S3 User Guide, "Requirements and considerations for replication" (versioning
    /// configuration and replication configuration); Terraform `aws_s3_bucket_versioning` docs.
    pub VerSuspendWhileReplicating { id: "ver-suspend-while-replicating", code: "B4", group: "versioning", severity: Error }
}

impl Rule for VerSuspendWhileReplicating {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, sink: &mut Sink<'_>) {
        let g = cx.graph;
        for (index, is_source) in replication_buckets(g) {
            let b = &g.buckets[index];
            if !suspended_by_plan(g, b) {
                continue;
            }
            let Value::Known(status, _) = b.versioning.value else {
                continue;
            };
            let name = g.bucket_text(b);
            let consequence = if is_source {
                "S3 refuses to suspend versioning on a bucket with a replication configuration, so the apply fails; remove the replication configuration first"
            } else {
                "every replica then fails with DstBucketUnversioned"
            };
            let role = if is_source { "source" } else { "destination" };
            sink.report(
                b.versioning.loc(),
                format!(
                    "the plan changes versioning of {role} bucket `{name}` from Enabled to {status:?}: {consequence}"
                ),
            )
            .label("was Enabled")
            .help("keep versioning_configuration.status = \"Enabled\" while the bucket replicates")
            .resource(b.versioning.origin.address.as_str());
        }
    }
}
