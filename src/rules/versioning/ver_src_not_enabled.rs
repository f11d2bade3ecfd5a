use crate::graph::Tri;
use crate::rules::prelude::*;

declare_rule! {
    /// The source bucket of a replication configuration is not versioned.
    ///
    /// ## What goes wrong
    /// S3 replicates object versions: `PutBucketReplication` is rejected unless the source bucket
    /// has versioning `Enabled` (a bucket with Object Lock counts as versioned). Suspended or
    /// never-enabled versioning, or no versioning resource at all, all fail.
    ///
    /// ## How to fix
    /// Terraform: `aws_s3_bucket_versioning` with `versioning_configuration { status = "Enabled" }`
    /// for the source bucket. CloudFormation: `VersioningConfiguration: {Status: Enabled}`.
    ///
    /// ## Example
    /// Terraform, failing:
    /// ```hcl
    /// resource "aws_s3_bucket" "source" {
    ///   bucket = "acme-data-source"
    /// }
    ///
    /// # no aws_s3_bucket_versioning for aws_s3_bucket.source
    ///
    /// resource "aws_s3_bucket_replication_configuration" "replication" {
    ///   bucket = aws_s3_bucket.source.id
    ///   role   = aws_iam_role.replication.arn
    ///   # ...
    /// }
    /// ```
    /// Terraform, fixed:
    /// ```hcl
    /// resource "aws_s3_bucket" "source" {
    ///   bucket = "acme-data-source"
    /// }
    ///
    /// resource "aws_s3_bucket_versioning" "source" {
    ///   bucket = aws_s3_bucket.source.id
    ///
    ///   versioning_configuration {
    ///     status = "Enabled"
    ///   }
    /// }
    ///
    /// resource "aws_s3_bucket_replication_configuration" "replication" {
    ///   depends_on = [aws_s3_bucket_versioning.source]
    ///
    ///   bucket = aws_s3_bucket.source.id
    ///   role   = aws_iam_role.replication.arn
    ///   # ...
    /// }
    /// ```
    /// CloudFormation, failing:
    /// ```yaml
    /// SourceBucket:
    ///   Type: AWS::S3::Bucket
    ///   Properties:
    ///     BucketName: acme-data-source
    ///     ReplicationConfiguration:
    ///       Role: !GetAtt ReplicationRole.Arn
    ///       # ...
    /// ```
    /// CloudFormation, fixed:
    /// ```yaml
    /// SourceBucket:
    ///   Type: AWS::S3::Bucket
    ///   Properties:
    ///     BucketName: acme-data-source
    ///     VersioningConfiguration:
    ///       Status: Enabled
    ///     ReplicationConfiguration:
    ///       Role: !GetAtt ReplicationRole.Arn
    ///       # ...
    /// ```
    ///
    /// ## Sources
    /// S3 User Guide, "Requirements and considerations for replication"; "Troubleshooting replication".
    pub VerSrcNotEnabled { id: "ver-src-not-enabled", code: "B1", group: "versioning", severity: Error }
}

impl Rule for VerSrcNotEnabled {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, sink: &mut Sink<'_>) {
        let g = cx.graph;
        for view in &g.replications {
            let config = &g.model.replications[view.index];
            let Some(src) = view.source.found().map(|i| &g.buckets[i]) else {
                continue;
            };
            if super::suspended_by_plan(g, src) {
                continue;
            }
            let name = g.bucket_text(src);
            match src.versioning_enabled() {
                Tri::Yes => {}
                Tri::Unknown => {
                    sink.cannot_verify(
                        &src.versioning.loc().or(&src.bucket.origin.header),
                        format!("whether source bucket `{name}` has versioning enabled (known only after apply)"),
                        "set the versioning status to a literal \"Enabled\", or pass the Terraform sources",
                    )
                    .resource(src.versioning.origin.address.as_str());
                }
                Tri::No => {
                    let state = match src.versioning.value {
                        Value::Known(v, _) => format!("versioning is {v:?}"),
                        _ => "versioning is not configured".to_string(),
                    };
                    sink.report(
                        &src.versioning.loc().or(&src.bucket.origin.header),
                        format!("source bucket `{name}` replicates but {state}; S3 rejects the replication configuration"),
                    )
                    .label("versioning must be Enabled")
                    .related(&config.origin.header, "replication configured here")
                    .help(fix(src.bucket.origin.format, &name))
                    .resource(src.versioning.origin.address.as_str());
                }
            }
        }
    }
}

pub(crate) fn fix(format: crate::model::Format, name: &str) -> String {
    if format == crate::model::Format::CloudFormation {
        "add to the bucket's Properties:\n  VersioningConfiguration:\n    Status: Enabled"
            .to_string()
    } else {
        format!(
            "add:\nresource \"aws_s3_bucket_versioning\" \"this\" {{\n  bucket = \"{name}\"\n  versioning_configuration {{\n    status = \"Enabled\"\n  }}\n}}"
        )
    }
}
