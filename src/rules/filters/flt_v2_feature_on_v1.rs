use crate::model::DeployDefaults;
use crate::rules::prelude::*;

declare_rule! {
    /// A rule without a filter (V1 schema) uses an element only V2 rules accept.
    ///
    /// ## What goes wrong
    /// V2-only elements on a V1 rule make S3 reject the configuration. Each has its own, more
    /// specific rule: delete marker replication (`del-on-v1-rule`), replica modification sync
    /// (`rms-requires-v2`), Replication Time Control (`rtc-v2`) and several destinations
    /// (`multi-dest-requires-v2-priority`); tag filters only exist inside a filter. This rule
    /// reports the one left: `existing_object_replication` on a V1 rule, which S3 answers with
    /// `MalformedXML` (hashicorp/terraform-provider-aws#21961).
    ///
    /// ## How to fix
    /// Make the rule V2: add `filter {}` (or move the prefix into the filter), a `priority`, and
    /// `delete_marker_replication`.
    ///
    /// ## Example
    /// Terraform, failing:
    /// ```hcl
    /// rule {
    ///   id     = "all"
    ///   status = "Enabled"
    ///   existing_object_replication {
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
    ///     status = "Disabled"
    ///   }
    ///   existing_object_replication {
    ///     status = "Enabled"
    ///   }
    ///   destination {
    ///     bucket = aws_s3_bucket.dst.arn
    ///   }
    /// }
    /// ```
    /// CloudFormation has no existing object replication property; this rule reports nothing for
    /// templates.
    ///
    /// ## Sources
    /// S3 User Guide, "Replication configuration file elements" (Backward compatibility
    /// considerations); S3 User Guide, "Replicating metadata changes with replica modification
    /// sync"; aws/aws-cdk#30966; hashicorp/terraform-provider-aws#21961.
    pub FltV2FeatureOnV1 { id: "flt-v2-feature-on-v1", code: "J11", group: "filters", severity: Error }
}

impl Rule for FltV2FeatureOnV1 {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, sink: &mut Sink<'_>) {
        for r in cx.graph.each_rule() {
            let rule = r.rule;
            let eor = &rule.existing_object_replication;
            if rule.filter.is_some()
                || eor.is_absent()
                || !super::shape_known(rule)
                || rule.deploy_defaults == DeployDefaults::LegacyProvider
            {
                continue;
            }
            sink.report(
                eor.loc(),
                format!(
                    "{} has no filter (V1 schema) but sets existing object replication, which only V2 rules accept",
                    r.label()
                ),
            )
            .label("V2-only element on a V1 rule")
            .help("make the rule V2: add `filter {}`, a priority and delete marker replication")
            .resource(r.address())
            .discriminator(r.key());
        }
    }
}
