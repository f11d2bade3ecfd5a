use crate::rules::prelude::*;

use super::{replication_buckets, suspended_under_object_lock};

declare_rule! {
    /// A replication bucket with Object Lock is versioned implicitly; its versioning cannot be suspended.
    ///
    /// ## What goes wrong
    /// Enabling Object Lock enables versioning, and S3 never lets you suspend versioning on such a
    /// bucket ("you can't disable Object Lock or suspend versioning"). repl-lint therefore treats
    /// the bucket as versioned (`ver-src-not-enabled` and `ver-dst-not-enabled` are satisfied) and
    /// says so once as information. A versioning setting of `Suspended` (or Terraform `Disabled`)
    /// on such a bucket is rejected by S3, and is reported as an error.
    ///
    /// ## How to fix
    /// Nothing, for the information. For the error: set versioning to `Enabled`, or drop the
    /// versioning setting and rely on Object Lock.
    ///
    /// ## Example
    /// Terraform, failing:
    /// ```hcl
    /// resource "aws_s3_bucket" "dst" {
    ///   bucket              = "example-dst"
    ///   object_lock_enabled = true
    /// }
    /// resource "aws_s3_bucket_versioning" "dst" {
    ///   bucket = aws_s3_bucket.dst.id
    ///   versioning_configuration {
    ///     status = "Suspended"
    ///   }
    /// }
    /// ```
    /// Terraform, fixed:
    /// ```hcl
    /// resource "aws_s3_bucket_versioning" "dst" {
    ///   bucket = aws_s3_bucket.dst.id
    ///   versioning_configuration {
    ///     status = "Enabled"
    ///   }
    /// }
    /// ```
    /// CloudFormation, failing:
    /// ```yaml
    /// Dst:
    ///   Type: AWS::S3::Bucket
    ///   Properties:
    ///     ObjectLockEnabled: true
    ///     VersioningConfiguration:
    ///       Status: Suspended
    /// ```
    /// CloudFormation, fixed:
    /// ```yaml
    /// Dst:
    ///   Type: AWS::S3::Bucket
    ///   Properties:
    ///     ObjectLockEnabled: true
    ///     VersioningConfiguration:
    ///       Status: Enabled
    /// ```
    ///
    /// ## Sources
    /// S3 User Guide, "Object Lock considerations" (you can't disable Object Lock or suspend
    /// versioning for a bucket with Object Lock enabled).
    pub VerObjectLockImpliesVersioning { id: "ver-object-lock-implies-versioning", code: "B5", group: "versioning", severity: Info }
}

impl Rule for VerObjectLockImpliesVersioning {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, sink: &mut Sink<'_>) {
        let g = cx.graph;
        for (index, _) in replication_buckets(g) {
            let b = &g.buckets[index];
            if !b.object_lock.value.is_true() {
                continue;
            }
            let name = g.bucket_text(b);
            if suspended_under_object_lock(b) {
                sink.report(
                    b.versioning.loc(),
                    format!(
                        "bucket `{name}` has Object Lock enabled, so its versioning cannot be suspended; S3 rejects this versioning setting"
                    ),
                )
                .severity(Severity::Error)
                .label("must be Enabled with Object Lock")
                .related(b.object_lock.loc(), "Object Lock enabled here")
                .help("set the versioning status to \"Enabled\", or remove the versioning setting")
                .resource(b.versioning.origin.address.as_str());
            } else if b.versioning.value.is_absent() {
                sink.report(
                    b.object_lock.loc(),
                    format!(
                        "bucket `{name}` has no versioning setting, but Object Lock enables versioning, which can never be suspended: replication treats it as versioned"
                    ),
                )
                .resource(b.object_lock.origin.address.as_str());
            }
        }
    }
}
