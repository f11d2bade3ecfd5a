use crate::model::DeployDefaults;
use crate::rules::filters::shape_known;
use crate::rules::prelude::*;

declare_rule! {
    /// Delete marker replication on a rule without a filter (V1 schema).
    ///
    /// ## What goes wrong
    /// A rule without `Filter` uses the V1 schema, which has no delete marker switch. S3 rejects
    /// the configuration with `InvalidRequest: DeleteMarkerReplication cannot be used for this
    /// version of Cross Region Replication configuration schema`. Terraform documents the block as
    /// "only valid with V2 replication configurations". (The legacy inline
    /// `replication_configuration` of `aws_s3_bucket` drops the setting instead; V1 rules
    /// replicate user delete markers anyway, see `del-v1-implicit`.)
    ///
    /// ## How to fix
    /// Make the rule V2: replace the rule-level `prefix` by `filter { prefix = "..." }` (or
    /// `filter {}`), and give it a `priority`.
    ///
    /// ## Example
    /// Terraform, failing:
    /// ```hcl
    /// rule {
    ///   id     = "all"
    ///   status = "Enabled"
    ///   delete_marker_replication {
    ///     status = "Enabled"
    ///   }
    ///   destination {
    ///     bucket = aws_s3_bucket.dst.arn
    ///   }
    /// }
    /// ```
    /// Terraform, fixed:
    /// ```hcl
    /// rule {
    ///   id       = "all"
    ///   priority = 1
    ///   status   = "Enabled"
    ///   filter {}
    ///   delete_marker_replication {
    ///     status = "Enabled"
    ///   }
    ///   destination {
    ///     bucket = aws_s3_bucket.dst.arn
    ///   }
    /// }
    /// ```
    /// CloudFormation, failing:
    /// ```yaml
    /// Rules:
    ///   - Id: all
    ///     Status: Enabled
    ///     Prefix: ""
    ///     DeleteMarkerReplication: {Status: Enabled}
    ///     Destination: {Bucket: !GetAtt Dst.Arn}
    /// ```
    /// CloudFormation, fixed:
    /// ```yaml
    /// Rules:
    ///   - Id: all
    ///     Priority: 1
    ///     Status: Enabled
    ///     Filter: {Prefix: ""}
    ///     DeleteMarkerReplication: {Status: Enabled}
    ///     Destination: {Bucket: !GetAtt Dst.Arn}
    /// ```
    ///
    /// ## Sources
    /// rust-lang/simpleinfra#468; Terraform `aws_s3_bucket_replication_configuration` and
    /// `aws_s3_bucket` (`delete_marker_replication_status`).
    pub DelOnV1Rule { id: "del-on-v1-rule", code: "I3", group: "delete-markers", severity: Error }
}

impl Rule for DelOnV1Rule {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, sink: &mut Sink<'_>) {
        for r in cx.graph.each_rule() {
            let rule = r.rule;
            let dmr = &rule.delete_marker_replication;
            if rule.filter.is_some()
                || dmr.is_absent()
                || !shape_known(rule)
                || rule.deploy_defaults == DeployDefaults::LegacyProvider
            {
                continue;
            }
            sink.report(
                dmr.loc(),
                format!(
                    "{} has no filter (V1 schema) but sets delete marker replication: S3 rejects it (\"DeleteMarkerReplication cannot be used for this version of Cross Region Replication configuration schema\")",
                    r.label()
                ),
            )
            .label("only valid in a rule with a filter")
            .help("make the rule V2: add `filter {}` (or move the rule-level prefix into `filter { prefix = ... }`) and a `priority`")
            .resource(r.address())
            .discriminator(r.key());
        }
    }
}
