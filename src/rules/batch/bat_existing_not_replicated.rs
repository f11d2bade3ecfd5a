use crate::graph::Link;
use crate::rules::prelude::*;

declare_rule! {
    /// Live replication does not copy the objects a bucket already holds.
    ///
    /// ## What goes wrong
    /// Nothing is misconfigured. Live replication copies objects written after the
    /// configuration is in place. Objects that existed before, objects whose status is `FAILED`
    /// or `REPLICA`, and objects already replicated to an earlier destination are not copied.
    ///
    /// Reported when the source bucket is not declared in the input (an existing bucket named by
    /// its name or ARN), which likely holds objects already, unless a rule enables existing
    /// object replication.
    ///
    /// ## How to fix
    /// Replicate the existing objects once with S3 Batch Replication (console "Replicate existing
    /// objects?", or `s3control create-job --operation '{"S3ReplicateObject":{}}'`).
    ///
    /// ## Example
    /// Terraform (reported, informational):
    /// ```hcl
    /// resource "aws_s3_bucket_replication_configuration" "existing" {
    ///   bucket = "bucket-created-years-ago"
    ///   role   = aws_iam_role.replication.arn
    ///   # rule { ... }
    /// }
    /// ```
    /// Terraform, not reported: the source bucket is created with the configuration.
    /// ```hcl
    /// resource "aws_s3_bucket_replication_configuration" "new" {
    ///   bucket = aws_s3_bucket.src.id
    ///   role   = aws_iam_role.replication.arn
    ///   # rule { ... }
    /// }
    /// ```
    /// CloudFormation has the replication configuration on the bucket resource itself, so the
    /// source is always declared; this rule reports nothing for templates.
    ///
    /// ## Sources
    /// S3 User Guide, "What does Amazon S3 replicate?"; "Replicating existing objects with Batch
    /// Replication"; AWS Knowledge Center, "Why aren't my Amazon S3 objects replicating".
    pub BatExistingNotReplicated { id: "bat-existing-not-replicated", code: "O1", group: "batch", severity: Info }
}

impl Rule for BatExistingNotReplicated {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, sink: &mut Sink<'_>) {
        let g = cx.graph;
        for view in &g.replications {
            let Link::External(name) = &view.source else {
                continue;
            };
            let config = &g.model.replications[view.index];
            if config
                .rules
                .iter()
                .any(|r| r.existing_object_replication.is("Enabled"))
            {
                continue;
            }
            let name = g.display(name);
            sink.report(
                config.source.loc(),
                format!("`{name}` is an existing bucket (not declared in the input): objects it already holds are not replicated by this configuration"),
            )
            .label("existing objects are not replicated")
            .help("replicate the existing objects once with S3 Batch Replication")
            .resource(config.origin.address.as_str());
        }
    }
}
