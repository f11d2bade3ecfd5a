use crate::rules::prelude::*;

declare_rule! {
    /// A replication rule replicates a bucket into itself.
    ///
    /// ## What goes wrong
    /// Source and destination of a replication rule must be different buckets. Pointing a rule at
    /// its own bucket replicates nothing.
    ///
    /// ## How to fix
    /// Point `destination.bucket` at the ARN of a different bucket.
    ///
    /// ## Example
    /// Terraform, failing:
    /// ```hcl
    /// resource "aws_s3_bucket_replication_configuration" "replication" {
    ///   bucket = aws_s3_bucket.source.id
    ///   role   = aws_iam_role.replication.arn
    ///
    ///   rule {
    ///     id     = "everything"
    ///     status = "Enabled"
    ///     # ...
    ///
    ///     destination {
    ///       bucket = aws_s3_bucket.source.arn
    ///     }
    ///   }
    /// }
    /// ```
    /// Terraform, fixed:
    /// ```hcl
    /// resource "aws_s3_bucket_replication_configuration" "replication" {
    ///   bucket = aws_s3_bucket.source.id
    ///   role   = aws_iam_role.replication.arn
    ///
    ///   rule {
    ///     id     = "everything"
    ///     status = "Enabled"
    ///     # ...
    ///
    ///     destination {
    ///       bucket = aws_s3_bucket.replica.arn
    ///     }
    ///   }
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
    ///       Rules:
    ///         - Id: everything
    ///           Status: Enabled
    ///           Destination:
    ///             Bucket: arn:aws:s3:::acme-data-source
    ///           # ...
    ///     # ...
    /// ```
    /// CloudFormation, fixed:
    /// ```yaml
    /// SourceBucket:
    ///   Type: AWS::S3::Bucket
    ///   Properties:
    ///     BucketName: acme-data-source
    ///     ReplicationConfiguration:
    ///       Role: !GetAtt ReplicationRole.Arn
    ///       Rules:
    ///         - Id: everything
    ///           Status: Enabled
    ///           Destination:
    ///             Bucket: !GetAtt ReplicaBucket.Arn
    ///           # ...
    ///     # ...
    /// ```
    ///
    /// ## Sources
    /// S3 User Guide, "Replication configuration file elements".
    pub RcDestIsSource { id: "rc-dest-is-source", code: "C4", group: "config", severity: Error }
}

impl Rule for RcDestIsSource {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, sink: &mut Sink<'_>) {
        let g = cx.graph;
        for r in g.each_rule() {
            let Some(src) = r.source() else { continue };
            let same = match r.destination() {
                Some(dst) => dst.index == src.index,
                None => false,
            };
            if same {
                sink.report(
                    r.rule.destination.bucket.loc(),
                    format!(
                        "{} replicates bucket `{}` into itself",
                        r.label(),
                        g.bucket_text(src)
                    ),
                )
                .label("destination is the source bucket")
                .related(&src.bucket.origin.header, "source bucket")
                .help("point the destination at a different bucket's ARN")
                .resource(r.address())
                .discriminator(r.key());
            }
        }
    }
}
