use crate::rules::prelude::*;

declare_rule! {
    /// A replication rule does not enable Replication Time Control, which the organization requires.
    ///
    /// ## What goes wrong
    /// Without S3 Replication Time Control, replication has no 15-minute objective and no
    /// `OperationMissedThreshold` events; `.repl-lint.toml` sets `[standards] require-rtc = true`.
    ///
    /// ## How to fix
    /// ```hcl
    /// metrics { status = "Enabled"  event_threshold { minutes = 15 } }
    /// replication_time { status = "Enabled"  time { minutes = 15 } }
    /// ```
    ///
    /// ## Sources
    /// S3 User Guide, "Meeting compliance requirements with S3 Replication Time Control".
    pub StdRequireRtc { id: "std-require-rtc", code: "S1", group: "standards", severity: Error }
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
                .help("add `replication_time { status = \"Enabled\"  time { minutes = 15 } }` and `metrics { status = \"Enabled\"  event_threshold { minutes = 15 } }` (CloudFormation: `ReplicationTime` and `Metrics` in `Destination`)")
                .resource(r.address())
                .discriminator(r.key());
        }
    }
}
