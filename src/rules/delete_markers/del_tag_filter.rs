use crate::rules::prelude::*;

declare_rule! {
    /// Delete marker replication is enabled on a rule that filters by tag.
    ///
    /// ## What goes wrong
    /// "If your Filter includes a Tag element, the DeleteMarkerReplication Status must be set to
    /// Disabled" (also for `And` with tags). S3 rejects the configuration: delete markers carry no
    /// tags, so a tag-based rule cannot select them.
    ///
    /// ## How to fix
    /// Disable delete marker replication on the tag-based rule, and add a separate prefix-only
    /// rule (with its own priority) that replicates delete markers.
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
    ///
    ///     filter {
    ///       tag {
    ///         key   = "replicate"
    ///         value = "true"
    ///       }
    ///     }
    ///
    ///     delete_marker_replication {
    ///       status = "Enabled"
    ///     }
    ///     # ...
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
    ///
    ///     filter {
    ///       tag {
    ///         key   = "replicate"
    ///         value = "true"
    ///       }
    ///     }
    ///
    ///     delete_marker_replication {
    ///       status = "Disabled"
    ///     }
    ///     # ...
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
    ///           Filter:
    ///             TagFilter:
    ///               Key: replicate
    ///               Value: "true"
    ///           DeleteMarkerReplication:
    ///             Status: Enabled
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
    ///           Filter:
    ///             TagFilter:
    ///               Key: replicate
    ///               Value: "true"
    ///           DeleteMarkerReplication:
    ///             Status: Disabled
    ///           # ...
    ///     # ...
    /// ```
    ///
    /// ## Sources
    /// CloudFormation `ReplicationRule.DeleteMarkerReplication`; S3 User Guide, "Replicating delete
    /// markers between buckets"; S3 API Reference, `ReplicationRule`.
    pub DelTagFilter { id: "del-tag-filter", code: "I1", group: "delete-markers", severity: Error }
}

impl Rule for DelTagFilter {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, sink: &mut Sink<'_>) {
        for r in cx.graph.each_rule() {
            let Some(filter) = &r.rule.filter else {
                continue;
            };
            if filter.tags.is_empty() || !r.rule.delete_marker_replication.is("Enabled") {
                continue;
            }
            sink.report(
                r.rule.delete_marker_replication.loc(),
                format!("{} replicates delete markers but filters by tag; S3 rejects this combination", r.label()),
            )
            .label("must be Disabled with a tag filter")
            .related(&filter.tags[0].loc, "tag filter")
            .help("set delete marker replication to \"Disabled\" here and replicate delete markers with a separate prefix-only rule")
            .resource(r.address())
            .discriminator(r.key());
        }
    }
}
