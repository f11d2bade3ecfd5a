use crate::rules::prelude::*;

declare_rule! {
    /// A Batch Replication job role names a source bucket that has no replication configuration.
    ///
    /// ## What goes wrong
    /// Batch Replication replays the source bucket's live replication configuration: its rules
    /// decide what is replicated where, and its role performs the copy. A job on a bucket without
    /// one fails with `SrcBucketReplicationConfigMissing`. Everything the live rules check (B–N)
    /// must hold for the batch job too.
    ///
    /// Reported when a job role (see `bat-initiate`) names a bucket declared in the input and no
    /// replication configuration of the input has that bucket as its source.
    ///
    /// ## How to fix
    /// Add the replication configuration to the source bucket (or pass the input that declares
    /// it), then create the job.
    ///
    /// ## Example
    /// Terraform, failing:
    /// ```hcl
    /// resource "aws_s3_bucket" "src" { bucket = "src-bucket" }
    /// # a job role grants s3:InitiateReplication on "${aws_s3_bucket.src.arn}/*",
    /// # but no aws_s3_bucket_replication_configuration has bucket = aws_s3_bucket.src.id
    /// ```
    /// Terraform, fixed:
    /// ```hcl
    /// resource "aws_s3_bucket_replication_configuration" "src" {
    ///   bucket = aws_s3_bucket.src.id
    ///   role   = aws_iam_role.replication.arn
    ///   rule {
    ///     status   = "Enabled"
    ///     priority = 1
    ///     filter {}
    ///     delete_marker_replication { status = "Disabled" }
    ///     destination { bucket = aws_s3_bucket.dst.arn }
    ///   }
    /// }
    /// ```
    /// CloudFormation, failing:
    /// ```yaml
    /// Src:
    ///   Type: AWS::S3::Bucket
    ///   Properties:
    ///     VersioningConfiguration: {Status: Enabled}
    /// ```
    /// CloudFormation, fixed:
    /// ```yaml
    /// Src:
    ///   Type: AWS::S3::Bucket
    ///   Properties:
    ///     VersioningConfiguration: {Status: Enabled}
    ///     ReplicationConfiguration:
    ///       Role: !GetAtt ReplicationRole.Arn
    ///       Rules: [{Status: Enabled, Priority: 1, Filter: {Prefix: ""},
    ///                DeleteMarkerReplication: {Status: Disabled}, Destination: {Bucket: !GetAtt Dst.Arn}}]
    /// ```
    ///
    /// ## Sources
    /// S3 User Guide, "Replicating existing objects with Batch Replication"; "Troubleshooting
    /// replication" (`SrcBucketReplicationConfigMissing`).
    pub BatRequiresLiveConfig { id: "bat-requires-live-config", code: "O8", group: "batch", severity: Error }
}

impl Rule for BatRequiresLiveConfig {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, sink: &mut Sink<'_>) {
        let g = cx.graph;
        let mut seen = foldhash::HashSet::default();
        for job in super::job_roles(g) {
            let role_origin = &g.model.roles[job.role].origin;
            for &b in &job.buckets {
                if super::has_replication(g, b) || !seen.insert(b) {
                    continue;
                }
                let bucket = &g.buckets[b];
                let name = g.bucket_text(bucket);
                sink.report(
                    &bucket.bucket.origin.header,
                    format!("Batch Replication job role `{}` names `{name}`, which has no replication configuration in the input: a job on it fails with SrcBucketReplicationConfigMissing", role_origin.address),
                )
                .label("no replication configuration")
                .related(&role_origin.header, "job role")
                .help("add a replication configuration to the bucket (or pass the input that declares it) before creating the job")
                .resource(bucket.address())
                .discriminator(name);
            }
        }
    }
}
