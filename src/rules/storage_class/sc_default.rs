use crate::rules::batch::enabled_rules;
use crate::rules::prelude::*;

declare_rule! {
    /// Without a storage class, replicas keep the class the source object has when replicated.
    ///
    /// ## What goes wrong
    /// Nothing is misconfigured. With no `StorageClass` in the destination, a replica is stored
    /// in the storage class the source object has when it is replicated, which is almost always
    /// its initial class: the source's lifecycle transitions do not apply to replicas (replicas
    /// follow the destination bucket's lifecycle). For S3 Intelligent-Tiering objects, Batch
    /// Replication counts as an access.
    ///
    /// Reported when the source has lifecycle transitions, the rule sets no storage class and the
    /// destination (in the input) has no lifecycle transitions of its own: the replicas then stay
    /// in the source's initial class for good.
    ///
    /// ## How to fix
    /// Set the destination storage class (`STANDARD_IA`, `GLACIER_IR`, ...), or give the
    /// destination its own lifecycle rules.
    ///
    /// ## Example
    /// Terraform (reported, informational):
    /// ```hcl
    /// destination {
    ///   bucket = aws_s3_bucket.dst.arn
    /// }
    /// ```
    /// Terraform, not reported:
    /// ```hcl
    /// destination {
    ///   bucket        = aws_s3_bucket.dst.arn
    ///   storage_class = "STANDARD_IA"
    /// }
    /// ```
    /// CloudFormation (reported, informational):
    /// ```yaml
    /// Destination:
    ///   Bucket: !GetAtt Dst.Arn
    /// ```
    /// CloudFormation, not reported:
    /// ```yaml
    /// Destination:
    ///   Bucket: !GetAtt Dst.Arn
    ///   StorageClass: STANDARD_IA
    /// ```
    ///
    /// ## Sources
    /// S3 User Guide, "Replication configuration file elements" (StorageClass); "Requirements and
    /// considerations for replication".
    pub ScDefault { id: "sc-default", code: "R3", group: "storage-class", severity: Info }
}

fn transitions(bucket: &crate::graph::BucketView<'_>) -> bool {
    bucket.lifecycle.is_some_and(|(l, _)| {
        enabled_rules(l).any(|r| !r.transitions.is_empty() || !r.noncurrent_transitions.is_empty())
    })
}

/// An existing bucket read by a data source: its lifecycle is not in the input.
fn is_data_source(bucket: &crate::graph::BucketView<'_>) -> bool {
    let address = bucket.address();
    address.starts_with("data.") || address.contains(".data.")
}

impl Rule for ScDefault {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, sink: &mut Sink<'_>) {
        let g = cx.graph;
        let mut seen = foldhash::HashSet::default();
        for r in g.each_rule() {
            if !r.is_active() || r.rule.destination.storage_class.is_present() {
                continue;
            }
            let (Some(src), Some(dst)) = (r.source(), r.destination()) else {
                continue;
            };
            if src.index == dst.index
                || !transitions(src)
                || transitions(dst)
                || is_data_source(dst)
                || !seen.insert((src.index, dst.index))
            {
                continue;
            }
            let (src_name, dst_name) = (g.bucket_text(src), g.bucket_text(dst));
            sink.report(
                &r.rule.destination.loc,
                format!(
                    "{} sets no storage class: replicas in `{dst_name}` keep the class objects have in `{src_name}` when replicated, and `{src_name}`'s lifecycle transitions do not apply to them",
                    r.label()
                ),
            )
            .label("no storage class")
            .help("set the destination storage class, or add lifecycle transitions to the destination bucket")
            .resource(r.address())
            .discriminator(r.key());
        }
    }
}
