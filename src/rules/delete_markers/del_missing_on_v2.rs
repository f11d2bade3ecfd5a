use crate::model::DeployDefaults;
use crate::rules::filters::shape_known;
use crate::rules::prelude::*;

declare_rule! {
    /// A rule with a filter (V2 schema) has no delete marker replication element.
    ///
    /// ## What goes wrong
    /// "When you add the Filter element in the configuration, you must also add …
    /// DeleteMarkerReplication, Status, and Priority". S3 rejects `PutBucketReplication` with a
    /// `MalformedXML`/`InvalidRequest` error. An empty filter (`filter {}`, `Filter: {}`) is a
    /// filter too. Terraform's legacy inline `replication_configuration` adds `Disabled` by
    /// itself, so this rule does not report it.
    ///
    /// ## How to fix
    /// Add `delete_marker_replication { status = "Disabled" }` (or `"Enabled"`) to the rule;
    /// in CloudFormation `DeleteMarkerReplication: {Status: Disabled}`.
    ///
    /// ## Example
    /// Terraform, failing:
    /// ```hcl
    /// rule {
    ///   id       = "all"
    ///   priority = 1
    ///   status   = "Enabled"
    ///   filter {}
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
    ///     status = "Disabled"
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
    ///     Priority: 1
    ///     Status: Enabled
    ///     Filter: {Prefix: ""}
    ///     Destination: {Bucket: !GetAtt Dst.Arn}
    /// ```
    /// CloudFormation, fixed:
    /// ```yaml
    /// Rules:
    ///   - Id: all
    ///     Priority: 1
    ///     Status: Enabled
    ///     Filter: {Prefix: ""}
    ///     DeleteMarkerReplication: {Status: Disabled}
    ///     Destination: {Bucket: !GetAtt Dst.Arn}
    /// ```
    ///
    /// ## Sources
    /// S3 API Reference, `PutBucketReplication`; S3 User Guide, "Replication configuration file
    /// elements"; alphagov/govuk-infrastructure#4834.
    pub DelMissingOnV2 { id: "del-missing-on-v2", code: "I2", group: "delete-markers", severity: Error }
}

impl Rule for DelMissingOnV2 {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, sink: &mut Sink<'_>) {
        for r in cx.graph.each_rule() {
            let rule = r.rule;
            let Some(filter) = &rule.filter else { continue };
            if rule.deploy_defaults == DeployDefaults::LegacyProvider
                || rule.delete_marker_replication.is_present()
                || !shape_known(rule)
            {
                continue;
            }
            sink.report(
                &rule.loc,
                format!(
                    "{} has a filter (V2 schema) but no delete marker replication element: S3 rejects the configuration",
                    r.label()
                ),
            )
            .label("needs delete_marker_replication")
            .related(&filter.loc, "the filter makes this a V2 rule")
            .help("add `delete_marker_replication { status = \"Disabled\" }` (Terraform) or `DeleteMarkerReplication: {Status: Disabled}` (CloudFormation); use \"Enabled\" to replicate delete markers")
            .resource(r.address())
            .discriminator(r.key());
        }
    }
}
