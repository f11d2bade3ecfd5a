use crate::rules::prelude::*;

declare_rule! {
    /// A configuration with several destinations has a rule without a Filter (V1 schema).
    ///
    /// ## What goes wrong
    /// Only the V2 schema supports more than one destination bucket. "Replication to multiple
    /// destination buckets requires that priority is specified in the rules object. If the
    /// corresponding rule requires no filter, an empty configuration block `filter {}` must be
    /// specified." A rule without `Filter` makes the configuration V1 and S3 rejects it
    /// (`InvalidRequest: Number of distinct destination bucket ARNs cannot exceed 1`).
    ///
    /// ## How to fix
    /// Give every rule a `Filter` (Terraform `filter {}`), a unique `Priority` and a
    /// `DeleteMarkerReplication` element. A V2 rule without `Priority` is reported by
    /// `flt-priority-required`.
    ///
    /// ## Example
    /// Terraform, failing:
    /// ```hcl
    /// rule {
    ///   id     = "to-b"
    ///   status = "Enabled"
    ///   destination { bucket = aws_s3_bucket.b.arn }
    /// }
    /// rule {
    ///   id     = "to-c"
    ///   status = "Enabled"
    ///   destination { bucket = aws_s3_bucket.c.arn }
    /// }
    /// ```
    /// Terraform, fixed:
    /// ```hcl
    /// rule {
    ///   id       = "to-b"
    ///   status   = "Enabled"
    ///   priority = 1
    ///   filter {}
    ///   delete_marker_replication { status = "Disabled" }
    ///   destination { bucket = aws_s3_bucket.b.arn }
    /// }
    /// # likewise "to-c" with priority = 2
    /// ```
    /// CloudFormation, failing:
    /// ```yaml
    /// Rules:
    ///   - {Status: Enabled, Prefix: "", Destination: {Bucket: !GetAtt B.Arn}}
    ///   - {Status: Enabled, Prefix: "", Destination: {Bucket: !GetAtt C.Arn}}
    /// ```
    /// CloudFormation, fixed:
    /// ```yaml
    /// Rules:
    ///   - {Status: Enabled, Priority: 1, Filter: {Prefix: ""},
    ///      DeleteMarkerReplication: {Status: Disabled}, Destination: {Bucket: !GetAtt B.Arn}}
    ///   - {Status: Enabled, Priority: 2, Filter: {Prefix: ""},
    ///      DeleteMarkerReplication: {Status: Disabled}, Destination: {Bucket: !GetAtt C.Arn}}
    /// ```
    ///
    /// ## Sources
    /// Terraform `aws_s3_bucket_replication_configuration` (multiple destinations);
    /// hashicorp/terraform-provider-aws issue on V1 rules with several destinations; S3 User
    /// Guide, "Replication configuration file elements".
    pub MultiDestRequiresV2Priority { id: "multi-dest-requires-v2-priority", code: "N4", group: "multi-destination", severity: Error }
}

impl Rule for MultiDestRequiresV2Priority {
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
            for i in 0..view.rules.len() {
                let Some(r) = g.rule_ref(ri, i) else { continue };
                if !r.is_active() || r.rule.filter.is_some() {
                    continue;
                }
                sink.report(
                    &r.rule.loc,
                    format!(
                        "{} has no Filter (V1 schema), but this configuration replicates to {} destination buckets, which only the V2 schema allows",
                        r.label(),
                        destinations.len()
                    ),
                )
                .label("needs a Filter and a Priority")
                .help("add `filter {}` (CloudFormation `Filter: {Prefix: \"\"}`), a unique priority and delete_marker_replication to every rule")
                .resource(r.address())
                .discriminator(r.key());
            }
        }
    }
}
