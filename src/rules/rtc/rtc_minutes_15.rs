use crate::rules::prelude::*;

declare_rule! {
    /// Replication Time Control or the metrics event threshold uses a value other than 15 minutes.
    ///
    /// ## What goes wrong
    /// For `ReplicationTime.Time.Minutes` and `Metrics.EventThreshold.Minutes`, "only a value of
    /// `<Minutes>15</Minutes>` is accepted". Any other value makes `PutBucketReplication` fail.
    ///
    /// ## How to fix
    /// Set both to 15.
    ///
    /// ## Example
    /// Terraform, failing:
    /// ```hcl
    /// destination {
    ///   bucket = aws_s3_bucket.dst.arn
    ///   metrics {
    ///     status = "Enabled"
    ///     event_threshold { minutes = 30 }
    ///   }
    ///   replication_time {
    ///     status = "Enabled"
    ///     time { minutes = 30 }
    ///   }
    /// }
    /// ```
    /// Terraform, fixed:
    /// ```hcl
    /// destination {
    ///   bucket = aws_s3_bucket.dst.arn
    ///   metrics {
    ///     status = "Enabled"
    ///     event_threshold { minutes = 15 }
    ///   }
    ///   replication_time {
    ///     status = "Enabled"
    ///     time { minutes = 15 }
    ///   }
    /// }
    /// ```
    /// CloudFormation, failing:
    /// ```yaml
    /// Destination:
    ///   Bucket: !GetAtt Dst.Arn
    ///   Metrics: {Status: Enabled, EventThreshold: {Minutes: 30}}
    ///   ReplicationTime: {Status: Enabled, Time: {Minutes: 30}}
    /// ```
    /// CloudFormation, fixed:
    /// ```yaml
    /// Destination:
    ///   Bucket: !GetAtt Dst.Arn
    ///   Metrics: {Status: Enabled, EventThreshold: {Minutes: 15}}
    ///   ReplicationTime: {Status: Enabled, Time: {Minutes: 15}}
    /// ```
    ///
    /// ## Sources
    /// S3 User Guide, "Replication configuration file elements"; Terraform
    /// `aws_s3_bucket_replication_configuration`.
    pub RtcMinutes15 { id: "rtc-minutes-15", code: "M2", group: "rtc", severity: Error }
}

impl Rule for RtcMinutes15 {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, sink: &mut Sink<'_>) {
        for r in cx.graph.each_rule() {
            let dest = &r.rule.destination;
            let blocks = [
                (&dest.replication_time, "replication time", "rtc"),
                (&dest.metrics, "metrics event threshold", "metrics"),
            ];
            for (block, what, tag) in blocks {
                let Some(Value::Known(minutes, loc)) = block.as_ref().map(|b| &b.minutes) else {
                    continue;
                };
                if *minutes == 15 {
                    continue;
                }
                sink.report(
                    loc,
                    format!(
                        "{} sets the {what} to {minutes} minutes; S3 accepts only 15",
                        r.label()
                    ),
                )
                .label("must be 15")
                .help("set `minutes = 15` (CloudFormation: `Minutes: 15`)")
                .resource(r.address())
                .discriminator(format!("{}|{tag}", r.key()));
            }
        }
    }
}
