use crate::rules::prelude::*;

declare_rule! {
    /// The source of a Batch Replication job archives objects, which the job cannot replicate.
    ///
    /// ## What goes wrong
    /// Objects in S3 Glacier Flexible Retrieval or S3 Glacier Deep Archive must be restored
    /// before Batch Replication can copy them; the job skips or fails them, and a generated
    /// manifest may report "Manifest generation found no keys matching the filter criteria".
    /// A lifecycle rule on the source that transitions objects to `GLACIER` or `DEEP_ARCHIVE`
    /// means such objects exist. (S3 Intelligent-Tiering archive access tiers have the same
    /// effect; their configuration is not read.)
    ///
    /// Reported for buckets named by a job role (see `bat-initiate`); for rules with existing
    /// object replication the same situation is `sc-source-archived-not-replicated`.
    ///
    /// ## How to fix
    /// Restore the archived objects before the job, or exclude them from the manifest.
    ///
    /// ## Example
    /// Terraform, failing:
    /// ```hcl
    /// resource "aws_s3_bucket_lifecycle_configuration" "src" {
    ///   bucket = aws_s3_bucket.src.id
    ///   rule {
    ///     id     = "archive"
    ///     status = "Enabled"
    ///     filter {}
    ///     transition {
    ///       days          = 90
    ///       storage_class = "GLACIER"
    ///     }
    ///   }
    /// }
    /// ```
    /// Terraform, fixed:
    /// ```hcl
    ///     transition {
    ///       days          = 90
    ///       storage_class = "GLACIER_IR"   # instant retrieval: replicable without restore
    ///     }
    /// ```
    /// CloudFormation, failing:
    /// ```yaml
    /// LifecycleConfiguration:
    ///   Rules:
    ///     - {Id: archive, Status: Enabled,
    ///        Transitions: [{StorageClass: GLACIER, TransitionInDays: 90}]}
    /// ```
    /// CloudFormation, fixed:
    /// ```yaml
    /// LifecycleConfiguration:
    ///   Rules:
    ///     - {Id: archive, Status: Enabled,
    ///        Transitions: [{StorageClass: GLACIER_IR, TransitionInDays: 90}]}
    /// ```
    ///
    /// ## Sources
    /// S3 User Guide, "Replicating existing objects with Batch Replication"; "Troubleshooting
    /// replication".
    pub BatArchivedObjects { id: "bat-archived-objects", code: "O10", group: "batch", severity: Warning }
}

impl Rule for BatArchivedObjects {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, sink: &mut Sink<'_>) {
        let g = cx.graph;
        let jobs = super::job_roles(g);
        for bucket in &g.buckets {
            let Some(job) = super::job_roles_of(&jobs, bucket.index).next() else {
                continue;
            };
            let Some((lifecycle, origin)) = bucket.lifecycle else {
                continue;
            };
            let Some(class) = super::enabled_rules(lifecycle)
                .flat_map(|r| r.transitions.iter().chain(&r.noncurrent_transitions))
                .find(|c| {
                    c.as_str()
                        .is_some_and(|s| super::ARCHIVE_CLASSES.contains(&s))
                })
            else {
                continue;
            };
            let name = g.bucket_text(bucket);
            sink.report(
                class.loc(),
                format!(
                    "`{name}` is replicated by Batch Replication (job role `{}`) but archives objects to {}: archived objects are not replicated until restored",
                    g.model.roles[job.role].origin.address,
                    class.as_str().unwrap_or_default()
                ),
            )
            .label("archived objects need a restore before Batch Replication")
            .help("restore the archived objects before running the job, or exclude them from its manifest")
            .resource(origin.address.as_str())
            .discriminator(name);
        }
    }
}
