use crate::rules::prelude::*;

declare_rule! {
    /// Metrics set an event threshold while Replication Time Control is off.
    ///
    /// ## What goes wrong
    /// The API rejects the configuration: `InvalidArgument: Metrics cannot contain an event
    /// threshold when ReplicationTime is not specified or Disabled`. Replication metrics can be
    /// enabled on their own, but then only with `Status: Enabled`.
    ///
    /// ## How to fix
    /// Drop the event threshold, or enable Replication Time Control (with 15 minutes) as well.
    ///
    /// ## Example
    /// Terraform, failing:
    /// ```hcl
    /// destination {
    ///   bucket = aws_s3_bucket.dst.arn
    ///   metrics {
    ///     status = "Enabled"
    ///     event_threshold { minutes = 15 }
    ///   }
    /// }
    /// ```
    /// Terraform, fixed:
    /// ```hcl
    /// destination {
    ///   bucket = aws_s3_bucket.dst.arn
    ///   metrics { status = "Enabled" }
    /// }
    /// ```
    /// CloudFormation, failing:
    /// ```yaml
    /// Destination:
    ///   Bucket: !GetAtt Dst.Arn
    ///   Metrics: {Status: Enabled, EventThreshold: {Minutes: 15}}
    /// ```
    /// CloudFormation, fixed:
    /// ```yaml
    /// Destination:
    ///   Bucket: !GetAtt Dst.Arn
    ///   Metrics: {Status: Enabled}
    /// ```
    ///
    /// ## Sources
    /// crossplane-contrib/provider-aws#1117, pulumi/pulumi-aws#5806,
    /// hashicorp/terraform-provider-aws#21895; S3 User Guide, "S3 Replication Time Control"
    /// ("Replication metrics can be enabled independently of S3 RTC").
    pub MetricsThresholdWithoutRtc { id: "metrics-threshold-without-rtc", code: "M3", group: "rtc", severity: Error }
}

impl Rule for MetricsThresholdWithoutRtc {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, sink: &mut Sink<'_>) {
        for r in cx.graph.each_rule() {
            let dest = &r.rule.destination;
            let Some(metrics) = &dest.metrics else {
                continue;
            };
            if !metrics.minutes.is_known() || legacy_plan_default(&r) {
                continue;
            }
            let rtc_status = dest.replication_time.as_ref().map(|t| &t.status);
            let rtc_off = match rtc_status {
                None => true,
                Some(s) => s.is("Disabled") || s.is_absent(),
            };
            if !rtc_off {
                continue;
            }
            let mut finding = sink
                .report(
                    metrics.minutes.loc(),
                    format!(
                        "{} sets a metrics event threshold without Replication Time Control: the API rejects it (\"Metrics cannot contain an event threshold when ReplicationTime is not specified or Disabled\")",
                        r.label()
                    ),
                )
                .label("event threshold without RTC")
                .help("remove the event threshold (keep `metrics { status = \"Enabled\" }`), or enable RTC in the destination:\nreplication_time {\n  status = \"Enabled\"\n  time {\n    minutes = 15\n  }\n}")
                .resource(r.address())
                .discriminator(r.key());
            if let Some(rtc) = &dest.replication_time {
                finding = finding.related(rtc.status.loc(), "replication time control is disabled");
            }
            drop(finding);
        }
    }
}

/// The legacy inline block of `aws_s3_bucket` in a plan: the provider fills `minutes = 15` there
/// whether or not it was written, so the plan does not show a threshold the user set.
fn legacy_plan_default(r: &crate::graph::RuleRef<'_, '_>) -> bool {
    let origin = &r.config.origin;
    origin.format == crate::model::Format::Plan
        && !origin
            .address
            .contains("aws_s3_bucket_replication_configuration")
}
