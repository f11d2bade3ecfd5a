use crate::rules::prelude::*;

declare_rule! {
    /// A replication rule does not enable Replication Time Control, which the organization requires.
    ///
    /// ## What goes wrong
    /// Without S3 Replication Time Control, replication has no 15-minute objective and no
    /// `OperationMissedThreshold` events; `.repl-lint.toml` sets `[standards] require-rtc = true`.
    ///
    /// ## How to fix
    /// Add `metrics` and `replication_time` to the rule's `destination` (CloudFormation: `Metrics`
    /// and `ReplicationTime` in `Destination`), both with 15 minutes.
    ///
    /// ## Example
    /// With this `.repl-lint.toml`:
    /// ```toml
    /// [standards]
    /// require-rtc = true
    /// ```
    /// Terraform, failing:
    /// ```hcl
    /// rule {
    ///   id     = "all"
    ///   status = "Enabled"
    ///   filter {}
    ///   delete_marker_replication { status = "Enabled" }
    ///   destination {
    ///     bucket = aws_s3_bucket.dst.arn
    ///   }
    /// }
    /// ```
    /// Terraform, fixed:
    /// ```hcl
    /// rule {
    ///   id     = "all"
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
    /// CloudFormation, failing:
    /// ```yaml
    /// Rules:
    ///   - Id: all
    ///     Status: Enabled
    ///     Priority: 1
    ///     Filter: {Prefix: ""}
    ///     DeleteMarkerReplication: {Status: Enabled}
    ///     Destination:
    ///       Bucket: !GetAtt ReplicaBucket.Arn
    /// ```
    /// CloudFormation, fixed:
    /// ```yaml
    /// Rules:
    ///   - Id: all
    ///     Status: Enabled
    ///     Priority: 1
    ///     Filter: {Prefix: ""}
    ///     DeleteMarkerReplication: {Status: Enabled}
    ///     Destination:
    ///       Bucket: !GetAtt ReplicaBucket.Arn
    ///       Metrics: {Status: Enabled, EventThreshold: {Minutes: 15}}
    ///       ReplicationTime: {Status: Enabled, Time: {Minutes: 15}}
    /// ```
    ///
    /// ## Sources
    /// S3 User Guide, "Meeting compliance requirements with S3 Replication Time Control".
    pub StdRequireRtc { id: "std-require-rtc", code: "STD1", group: "standards", severity: Error }
}

impl Rule for StdRequireRtc {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, sink: &mut Sink<'_>) {
        if !cx.config.standards.require_rtc {
            return;
        }
        for r in cx.graph.each_rule().filter(|r| r.is_active()) {
            let status = r
                .rule
                .destination
                .replication_time
                .as_ref()
                .map(|t| &t.status);
            let loc = match status {
                Some(s) if s.is("Enabled") => continue,
                Some(s) if matches!(s, Value::Unknown(..)) => {
                    sink.cannot_verify(
                        s.loc(),
                        format!("whether {} enables Replication Time Control", r.label()),
                        "",
                    )
                    .resource(r.address())
                    .discriminator(r.key());
                    continue;
                }
                Some(s) => super::at(&r, s),
                None => super::at(&r, &Value::<String>::Absent(r.rule.destination.loc.clone())),
            };
            sink.report(&loc, format!("{} does not enable Replication Time Control", r.label()))
                .label(super::by(cx))
                .help("add to the destination:\nreplication_time {\n  status = \"Enabled\"\n  time {\n    minutes = 15\n  }\n}\nmetrics {\n  status = \"Enabled\"\n  event_threshold {\n    minutes = 15\n  }\n}\n(CloudFormation: `ReplicationTime` and `Metrics` in `Destination`)")
                .resource(r.address())
                .discriminator(r.key());
        }
    }
}
