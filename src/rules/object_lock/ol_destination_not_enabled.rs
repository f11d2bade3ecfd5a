use crate::rules::prelude::*;

declare_rule! {
    /// The source bucket has Object Lock but a destination does not.
    ///
    /// ## What goes wrong
    /// Objects from an Object Lock bucket can only be replicated into a bucket with Object Lock
    /// enabled; otherwise every object fails with `DstBucketObjectLockConfigMissing`. The reverse
    /// (only the destination locked) is fine.
    ///
    /// ## How to fix
    /// Enable Object Lock on the destination: Terraform `object_lock_enabled = true` on
    /// `aws_s3_bucket` (forces a new bucket) or `aws_s3_bucket_object_lock_configuration` on an
    /// existing versioned bucket; CloudFormation `ObjectLockEnabled: true`.
    ///
    /// ## Example
    /// Terraform, failing:
    /// ```hcl
    /// resource "aws_s3_bucket" "source" {
    ///   bucket              = "acme-data-source"
    ///   object_lock_enabled = true
    /// }
    ///
    /// resource "aws_s3_bucket" "replica" {
    ///   provider = aws.replica
    ///
    ///   bucket = "acme-data-replica"
    /// }
    /// ```
    /// Terraform, fixed:
    /// ```hcl
    /// resource "aws_s3_bucket" "source" {
    ///   bucket              = "acme-data-source"
    ///   object_lock_enabled = true
    /// }
    ///
    /// resource "aws_s3_bucket" "replica" {
    ///   provider = aws.replica
    ///
    ///   bucket              = "acme-data-replica"
    ///   object_lock_enabled = true
    /// }
    /// ```
    /// CloudFormation, failing:
    /// ```yaml
    /// SourceBucket:
    ///   Type: AWS::S3::Bucket
    ///   Properties:
    ///     BucketName: acme-data-source
    ///     ObjectLockEnabled: true
    ///     # ...
    /// ReplicaBucket:
    ///   Type: AWS::S3::Bucket
    ///   Properties:
    ///     BucketName: acme-data-replica
    ///     # ...
    /// ```
    /// CloudFormation, fixed:
    /// ```yaml
    /// SourceBucket:
    ///   Type: AWS::S3::Bucket
    ///   Properties:
    ///     BucketName: acme-data-source
    ///     ObjectLockEnabled: true
    ///     # ...
    /// ReplicaBucket:
    ///   Type: AWS::S3::Bucket
    ///   Properties:
    ///     BucketName: acme-data-replica
    ///     ObjectLockEnabled: true
    ///     # ...
    /// ```
    ///
    /// ## Sources
    /// S3 User Guide, "Requirements and considerations for replication"; Object Lock
    /// considerations; replication failure reasons.
    pub OlDestinationNotEnabled { id: "ol-destination-not-enabled", code: "L1", group: "object-lock", severity: Error }
}

impl Rule for OlDestinationNotEnabled {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, sink: &mut Sink<'_>) {
        let g = cx.graph;
        for r in g.each_rule() {
            let Some(src) = r.source() else { continue };
            if !src.object_lock.value.is_true() {
                continue;
            }
            match r.destination() {
                Some(dst) => {
                    match dst.object_lock.value {
                        Value::Known(true, _) => {}
                        Value::Known(false, _) | Value::Absent(_) => {
                            sink.report(
                            &dst.object_lock.loc().or(&dst.bucket.origin.header),
                            format!(
                                "source bucket `{}` has Object Lock but destination `{}` does not: replication fails with DstBucketObjectLockConfigMissing",
                                g.bucket_text(src),
                                g.bucket_text(dst)
                            ),
                        )
                        .label("Object Lock must be enabled")
                        .related(src.object_lock.loc(), "Object Lock enabled on the source")
                        .help("enable Object Lock on the destination bucket (`object_lock_enabled = true` / `ObjectLockEnabled: true`)")
                        .resource(dst.address())
                        .discriminator(r.key());
                        }
                        _ => {
                            sink.cannot_verify(
                            dst.object_lock.loc(),
                            format!("whether destination `{}` has Object Lock (known only after apply)", g.bucket_text(dst)),
                            "",
                        )
                        .resource(dst.address());
                        }
                    }
                }
                None => {
                    sink.cannot_verify(
                        r.rule.destination.bucket.loc(),
                        format!("the source has Object Lock; whether destination `{}` has it too: it is not in the input", r.destination_text()),
                        "pass the destination bucket's sources, plan or stack as well",
                    )
                    .resource(r.address())
                    .discriminator(r.key());
                }
            }
        }
    }
}
