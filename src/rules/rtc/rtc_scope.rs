use crate::rules::prelude::*;

declare_rule! {
    /// Replication Time Control's 15-minute SLA does not cover delete markers or existing objects.
    ///
    /// ## What goes wrong
    /// Nothing fails. The S3 RTC SLA (99.99% of objects within 15 minutes) covers new object
    /// versions only: delete markers replicated by the rule and objects replicated as existing
    /// objects (existing object replication, Batch Replication) are outside it, and their delays
    /// do not show up as SLA misses. RTC metrics are billed as CloudWatch custom metrics. The rule
    /// reports this only where the rule also replicates existing objects; delete markers outside
    /// the SLA are reported by `del-rtc-sla`.
    ///
    /// ## How to fix
    /// Nothing to fix; do not rely on the SLA for delete markers or existing objects.
    ///
    /// ## Example
    /// Terraform, failing (reported at info):
    /// ```hcl
    /// rule {
    ///   status = "Enabled"
    ///   filter {}
    ///   delete_marker_replication { status = "Enabled" }
    ///   destination {
    ///     bucket = aws_s3_bucket.dst.arn
    ///     metrics {
    ///       status = "Enabled"
    ///       event_threshold { minutes = 15 }
    ///     }
    ///     replication_time {
    ///       status = "Enabled"
    ///       time { minutes = 15 }
    ///     }
    ///   }
    /// }
    /// ```
    /// Terraform, fixed (not reported):
    /// ```hcl
    /// delete_marker_replication { status = "Disabled" }
    /// ```
    /// CloudFormation, failing (reported at info):
    /// ```yaml
    /// - Status: Enabled
    ///   Filter: {Prefix: ""}
    ///   DeleteMarkerReplication: {Status: Enabled}
    ///   Destination:
    ///     Bucket: !GetAtt Dst.Arn
    ///     Metrics: {Status: Enabled, EventThreshold: {Minutes: 15}}
    ///     ReplicationTime: {Status: Enabled, Time: {Minutes: 15}}
    /// ```
    /// CloudFormation, fixed (not reported):
    /// ```yaml
    ///   DeleteMarkerReplication: {Status: Disabled}
    /// ```
    ///
    /// ## Sources
    /// S3 User Guide, "S3 Replication Time Control"; "Replicating delete markers between
    /// buckets"; Amazon S3 replication overview.
    pub RtcScope { id: "rtc-scope", code: "M5", group: "rtc", severity: Info }
}

impl Rule for RtcScope {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, sink: &mut Sink<'_>) {
        for r in cx.graph.each_rule() {
            let Some(rtc) = &r.rule.destination.replication_time else {
                continue;
            };
            if !rtc.status.is("Enabled") || !r.is_active() {
                continue;
            }
            // Delete markers outside the SLA are `del-rtc-sla`'s to report: one id per fact.
            let mut outside = Vec::new();
            if r.rule.existing_object_replication.is("Enabled") {
                outside.push("existing objects");
            }
            if outside.is_empty() {
                continue;
            }
            sink.report(
                rtc.status.loc(),
                format!(
                    "{} uses Replication Time Control; its 15-minute SLA does not cover the {} this rule also replicates",
                    r.label(),
                    outside.join(" and ")
                ),
            )
            .label("RTC SLA: new object versions only")
            .help("nothing to change; do not rely on the RTC SLA or its metrics for these")
            .resource(r.address())
            .discriminator(r.key());
        }
    }
}
