use crate::rules::prelude::*;

declare_rule! {
    /// A replication rule does not replicate delete markers, which the organization requires.
    ///
    /// ## What goes wrong
    /// With `delete_marker_replication` disabled, objects deleted in the source stay visible in
    /// the destination; `.repl-lint.toml` sets `[standards] require-delete-marker-replication = true`.
    /// Rules of the V1 schema (a rule-level prefix, no filter) always replicate delete markers.
    ///
    /// ## How to fix
    /// ```hcl
    /// delete_marker_replication { status = "Enabled" }
    /// ```
    ///
    /// ## Example
    /// With this `.repl-lint.toml`:
    /// ```toml
    /// [standards]
    /// require-delete-marker-replication = true
    /// ```
    /// Terraform, failing:
    /// ```hcl
    /// rule {
    ///   id     = "all"
    ///   status = "Enabled"
    ///   filter {}
    ///   delete_marker_replication { status = "Disabled" }
    ///   destination { bucket = aws_s3_bucket.dst.arn }
    /// }
    /// ```
    /// Terraform, fixed:
    /// ```hcl
    /// rule {
    ///   id     = "all"
    ///   status = "Enabled"
    ///   filter {}
    ///   delete_marker_replication { status = "Enabled" }
    ///   destination { bucket = aws_s3_bucket.dst.arn }
    /// }
    /// ```
    /// CloudFormation, failing:
    /// ```yaml
    /// - Id: all
    ///   Status: Enabled
    ///   Priority: 1
    ///   Filter: {Prefix: ""}
    ///   DeleteMarkerReplication: {Status: Disabled}
    ///   Destination: {Bucket: !GetAtt ReplicaBucket.Arn}
    /// ```
    /// CloudFormation, fixed:
    /// ```yaml
    /// - Id: all
    ///   Status: Enabled
    ///   Priority: 1
    ///   Filter: {Prefix: ""}
    ///   DeleteMarkerReplication: {Status: Enabled}
    ///   Destination: {Bucket: !GetAtt ReplicaBucket.Arn}
    /// ```
    ///
    /// ## Sources
    /// S3 User Guide, "Replicating delete markers between buckets".
    pub StdRequireDeleteMarkerReplication { id: "std-require-delete-marker-replication", code: "STD5", group: "standards", severity: Error }
}

impl Rule for StdRequireDeleteMarkerReplication {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, sink: &mut Sink<'_>) {
        if !cx.config.standards.require_delete_marker_replication {
            return;
        }
        for r in cx.graph.each_rule().filter(|r| r.is_active()) {
            let dmr = &r.rule.delete_marker_replication;
            let v1 = r.rule.filter.is_none() && r.rule.prefix.is_present();
            if v1 || dmr.is("Enabled") {
                continue;
            }
            if matches!(dmr, Value::Unknown(..)) {
                sink.cannot_verify(
                    dmr.loc(),
                    format!("whether {} replicates delete markers", r.label()),
                    "",
                )
                .resource(r.address())
                .discriminator(r.key());
                continue;
            }
            let loc = dmr.loc().or(&r.rule.loc).or(&r.config.origin.header);
            sink.report(&loc, format!("{} does not replicate delete markers", r.label()))
                .label(super::by(cx))
                .help("set `delete_marker_replication { status = \"Enabled\" }` (CloudFormation: `DeleteMarkerReplication: {Status: Enabled}`)")
                .resource(r.address())
                .discriminator(r.key());
        }
    }
}
