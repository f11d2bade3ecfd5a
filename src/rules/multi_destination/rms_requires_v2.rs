use crate::rules::prelude::*;

declare_rule! {
    /// Replica modification sync is set on a rule of the V1 (prefix-only) schema.
    ///
    /// ## What goes wrong
    /// `ReplicaModifications` belongs to the V2 configuration schema: "In the earlier version,
    /// this element is not allowed". A rule without a `Filter` is read as V1, and S3 rejects the
    /// configuration with `InvalidRequest` / `MalformedXML`.
    ///
    /// ## How to fix
    /// Give the rule a `Filter` (Terraform: `filter {}` or `filter { prefix = "..." }`, not the
    /// rule-level `prefix`), a `Priority` and a `DeleteMarkerReplication` element. `flt-v2-feature-on-v1`
    /// covers the other V2-only elements; replica modifications are reported here only.
    ///
    /// ## Example
    /// Terraform, failing:
    /// ```hcl
    /// rule {
    ///   id     = "all"
    ///   status = "Enabled"
    ///   source_selection_criteria {
    ///     replica_modifications { status = "Enabled" }
    ///   }
    ///   destination { bucket = aws_s3_bucket.dst.arn }
    /// }
    /// ```
    /// Terraform, fixed:
    /// ```hcl
    /// rule {
    ///   id       = "all"
    ///   status   = "Enabled"
    ///   priority = 1
    ///   filter {}
    ///   delete_marker_replication { status = "Disabled" }
    ///   source_selection_criteria {
    ///     replica_modifications { status = "Enabled" }
    ///   }
    ///   destination { bucket = aws_s3_bucket.dst.arn }
    /// }
    /// ```
    /// CloudFormation, failing:
    /// ```yaml
    /// Rules:
    ///   - Status: Enabled
    ///     Prefix: ""
    ///     SourceSelectionCriteria:
    ///       ReplicaModifications: {Status: Enabled}
    ///     Destination: {Bucket: !GetAtt Dst.Arn}
    /// ```
    /// CloudFormation, fixed:
    /// ```yaml
    /// Rules:
    ///   - Status: Enabled
    ///     Priority: 1
    ///     Filter: {Prefix: ""}
    ///     DeleteMarkerReplication: {Status: Disabled}
    ///     SourceSelectionCriteria:
    ///       ReplicaModifications: {Status: Enabled}
    ///     Destination: {Bucket: !GetAtt Dst.Arn}
    /// ```
    ///
    /// ## Sources
    /// S3 API Reference, `ReplicaModifications` ("In the earlier version, this element is not
    /// allowed"); Terraform `aws_s3_bucket_replication_configuration`.
    pub RmsRequiresV2 { id: "rms-requires-v2", code: "N1", group: "multi-destination", severity: Error }
}

impl Rule for RmsRequiresV2 {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, sink: &mut Sink<'_>) {
        for r in cx.graph.each_rule() {
            if r.rule.filter.is_some() {
                continue;
            }
            let Some(ssc) = &r.rule.source_selection else {
                continue;
            };
            if ssc.replica_modifications.is_absent() {
                continue;
            }
            sink.report(
                ssc.replica_modifications.loc(),
                format!(
                    "{} sets replica modification sync but has no Filter, so it uses the V1 schema, where S3 rejects ReplicaModifications",
                    r.label()
                ),
            )
            .label("not allowed in a V1 rule")
            .related(&r.rule.loc, "rule without a Filter")
            .help("add a Filter (Terraform `filter {}`), a Priority and DeleteMarkerReplication to make the rule V2")
            .resource(r.address())
            .discriminator(r.key());
        }
    }
}
