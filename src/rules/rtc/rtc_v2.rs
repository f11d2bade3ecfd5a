use crate::rules::prelude::*;

declare_rule! {
    /// Replication Time Control on a rule without `Filter` (a V1-style rule).
    ///
    /// ## What goes wrong
    /// "XML V2 replication configurations are those that contain the Filter element for rules,
    /// and rules that specify S3 RTC." A rule with RTC is read as V2, where delete marker
    /// replication is off unless `DeleteMarkerReplication` says otherwise and `Priority` decides
    /// between overlapping rules; written as a V1 rule (no `Filter`, a rule-level `Prefix`) its
    /// behaviour differs from what the V1 form suggests, or the request is rejected.
    ///
    /// ## How to fix
    /// Write the rule in the V2 form: a `Filter` (empty for the whole bucket), a `Priority` and
    /// an explicit `DeleteMarkerReplication`.
    ///
    /// ## Example
    /// Terraform, failing:
    /// ```hcl
    /// rule {
    ///   status = "Enabled"
    ///   prefix = ""
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
    /// Terraform, fixed:
    /// ```hcl
    /// rule {
    ///   status   = "Enabled"
    ///   priority = 1
    ///   filter {}
    ///   delete_marker_replication { status = "Disabled" }
    ///   # destination: as above
    /// }
    /// ```
    /// CloudFormation, failing:
    /// ```yaml
    /// - Status: Enabled
    ///   Prefix: ""
    ///   Destination:
    ///     Bucket: !GetAtt Dst.Arn
    ///     Metrics: {Status: Enabled, EventThreshold: {Minutes: 15}}
    ///     ReplicationTime: {Status: Enabled, Time: {Minutes: 15}}
    /// ```
    /// CloudFormation, fixed:
    /// ```yaml
    /// - Status: Enabled
    ///   Priority: 1
    ///   Filter: {Prefix: ""}
    ///   DeleteMarkerReplication: {Status: Disabled}
    ///   Destination: ...   # as above
    /// ```
    ///
    /// ## Sources
    /// S3 User Guide, "Replication configuration file elements" (Backward compatibility
    /// considerations).
    pub RtcV2 { id: "rtc-v2", code: "M4", group: "rtc", severity: Warning }
}

impl Rule for RtcV2 {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, sink: &mut Sink<'_>) {
        for r in cx.graph.each_rule() {
            if r.rule.filter.is_some() {
                continue;
            }
            let Some(rtc) = &r.rule.destination.replication_time else {
                continue;
            };
            if !rtc.status.is("Enabled") {
                continue;
            }
            sink.report(
                &r.rule.loc,
                format!(
                    "{} enables Replication Time Control but has no filter: RTC rules are V2 rules, so write it in the V2 form",
                    r.label()
                ),
            )
            .label("V1 rule with RTC")
            .related(rtc.status.loc(), "replication time control enabled here")
            .help("add `filter {}` (or `filter { prefix = \"...\" }`), a `priority` and `delete_marker_replication { status = ... }` (CloudFormation: `Filter`, `Priority`, `DeleteMarkerReplication`)")
            .resource(r.address())
            .discriminator(r.key());
        }
    }
}
