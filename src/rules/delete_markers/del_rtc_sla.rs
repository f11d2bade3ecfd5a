use crate::rules::prelude::*;

declare_rule! {
    /// Replication Time Control's 15-minute SLA does not cover the delete markers this rule replicates.
    ///
    /// ## What goes wrong
    /// Nothing is rejected. S3 RTC replicates 99.99% of new objects within 15 minutes, but
    /// "delete marker replication is not covered by the S3 RTC SLA": deletes may arrive later,
    /// and RTC metrics and `OperationMissedThreshold` events do not account for them.
    /// (`rtc-scope` describes the RTC scope in general; this rule reports the rules where
    /// delete markers are actually replicated under RTC.)
    ///
    /// ## How to fix
    /// Nothing to change in the configuration; do not rely on the SLA for deletes.
    ///
    /// ## Example
    /// Terraform, reported:
    /// ```hcl
    /// delete_marker_replication {
    ///   status = "Enabled"
    /// }
    /// destination {
    ///   bucket = aws_s3_bucket.dst.arn
    ///   replication_time {
    ///     status = "Enabled"
    ///     time {
    ///       minutes = 15
    ///     }
    ///   }
    ///   metrics {
    ///     status = "Enabled"
    ///     event_threshold {
    ///       minutes = 15
    ///     }
    ///   }
    /// }
    /// ```
    /// Terraform: there is no fix; this is a property of RTC.
    /// CloudFormation, reported:
    /// ```yaml
    /// DeleteMarkerReplication: {Status: Enabled}
    /// Destination:
    ///   Bucket: !GetAtt Dst.Arn
    ///   ReplicationTime: {Status: Enabled, Time: {Minutes: 15}}
    ///   Metrics: {Status: Enabled, EventThreshold: {Minutes: 15}}
    /// ```
    /// CloudFormation: there is no fix; this is a property of RTC.
    ///
    /// ## Sources
    /// S3 User Guide, "Replicating delete markers between buckets"; "Meeting compliance
    /// requirements with S3 Replication Time Control".
    pub DelRtcSla { id: "del-rtc-sla", code: "I8", group: "delete-markers", severity: Info }
}

impl Rule for DelRtcSla {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, sink: &mut Sink<'_>) {
        for r in cx.graph.each_rule() {
            let rule = r.rule;
            let Some(rtc) = &rule.destination.replication_time else {
                continue;
            };
            if !r.is_active()
                || !rtc.status.is("Enabled")
                || !rule.delete_marker_replication.is("Enabled")
            {
                continue;
            }
            sink.report(
                rule.delete_marker_replication.loc(),
                format!(
                    "{} replicates delete markers under S3 RTC, but the 15-minute SLA does not cover delete markers",
                    r.label()
                ),
            )
            .label("delete markers are outside the RTC SLA")
            .related(&rtc.loc, "Replication Time Control")
            .help("nothing to change: do not rely on the RTC SLA or its metrics for deletes")
            .resource(r.address())
            .discriminator(r.key());
        }
    }
}
