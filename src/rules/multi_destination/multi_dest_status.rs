use crate::rules::prelude::*;

declare_rule! {
    /// With several destinations, the source object's status is COMPLETED only when all succeed.
    ///
    /// ## What goes wrong
    /// Nothing is misconfigured. With multiple destinations the source object's
    /// `x-amz-replication-status` is `COMPLETED` only when replication to every destination
    /// succeeded, and `FAILED` when any one failed; per-destination status is only visible in
    /// replication metrics, S3 Inventory or event notifications. A single broken destination
    /// therefore marks every object FAILED.
    ///
    /// ## How to fix
    /// Nothing to fix. Monitor each destination (replication metrics per rule, event
    /// notifications for `s3:Replication:OperationFailedReplication`).
    ///
    /// ## Example
    /// Terraform (reported, informational):
    /// ```hcl
    /// rule {
    ///   id       = "to-b"
    ///   priority = 1
    ///   status   = "Enabled"
    ///   filter {}
    ///   delete_marker_replication { status = "Disabled" }
    ///   destination { bucket = aws_s3_bucket.b.arn }
    /// }
    /// rule {
    ///   id       = "to-c"
    ///   priority = 2
    ///   status   = "Enabled"
    ///   filter {}
    ///   delete_marker_replication { status = "Disabled" }
    ///   destination { bucket = aws_s3_bucket.c.arn }
    /// }
    /// ```
    /// Terraform, not reported: a configuration with one destination.
    /// ```hcl
    /// rule {
    ///   id       = "to-b"
    ///   priority = 1
    ///   status   = "Enabled"
    ///   filter {}
    ///   delete_marker_replication { status = "Disabled" }
    ///   destination { bucket = aws_s3_bucket.b.arn }
    /// }
    /// ```
    /// CloudFormation (reported, informational):
    /// ```yaml
    /// Rules:
    ///   - {Status: Enabled, Priority: 1, Filter: {Prefix: ""},
    ///      DeleteMarkerReplication: {Status: Disabled}, Destination: {Bucket: !GetAtt B.Arn}}
    ///   - {Status: Enabled, Priority: 2, Filter: {Prefix: ""},
    ///      DeleteMarkerReplication: {Status: Disabled}, Destination: {Bucket: !GetAtt C.Arn}}
    /// ```
    /// CloudFormation, not reported: a configuration with one destination.
    /// ```yaml
    /// Rules:
    ///   - {Status: Enabled, Priority: 1, Filter: {Prefix: ""},
    ///      DeleteMarkerReplication: {Status: Disabled}, Destination: {Bucket: !GetAtt B.Arn}}
    /// ```
    ///
    /// ## Sources
    /// S3 User Guide, "Getting replication status information" (replication status with multiple
    /// destination buckets).
    pub MultiDestStatus { id: "multi-dest-status", code: "N6", group: "multi-destination", severity: Info }
}

impl Rule for MultiDestStatus {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, sink: &mut Sink<'_>) {
        let g = cx.graph;
        for (ri, view) in g.replications.iter().enumerate() {
            let (destinations, _) = super::distinct_destinations(g, ri);
            if destinations.len() < 2 {
                continue;
            }
            let config = &g.model.replications[view.index];
            sink.report(
                &config.origin.header,
                format!(
                    "this configuration replicates to {} destination buckets: a source object's replication status is COMPLETED only when every destination succeeded, and FAILED when any one failed",
                    destinations.len()
                ),
            )
            .label("several destinations")
            .help("monitor each destination separately (replication metrics per rule, OperationFailedReplication events)")
            .resource(config.origin.address.as_str());
        }
    }
}
