use crate::model::DeployDefaults;
use crate::rules::filters::shape_known;
use crate::rules::prelude::*;

declare_rule! {
    /// A rule without a filter (V1 schema) replicates delete markers with no way to turn it off.
    ///
    /// ## What goes wrong
    /// Nothing is rejected. V1 rules replicate delete markers that users create (a `DELETE`
    /// without a version id) and there is no switch for it; delete markers created by S3
    /// Lifecycle are never replicated, and neither are version-specific deletes. The V1 schema
    /// also cannot use tag filters, RTC, replica modification sync or several destinations.
    ///
    /// ## How to fix
    /// To decide explicitly, make the rule V2: `filter {}` (or `filter { prefix = ... }`), a
    /// `priority`, and `delete_marker_replication { status = "Enabled" }` or `"Disabled"`.
    ///
    /// ## Example
    /// Terraform, reported:
    /// ```hcl
    /// rule {
    ///   id     = "logs"
    ///   prefix = "logs/"
    ///   status = "Enabled"
    ///   destination {
    ///     bucket = aws_s3_bucket.dst.arn
    ///   }
    /// }
    /// ```
    /// Terraform, explicit:
    /// ```hcl
    /// rule {
    ///   id       = "logs"
    ///   priority = 1
    ///   status   = "Enabled"
    ///   filter {
    ///     prefix = "logs/"
    ///   }
    ///   delete_marker_replication {
    ///     status = "Enabled"
    ///   }
    ///   destination {
    ///     bucket = aws_s3_bucket.dst.arn
    ///   }
    /// }
    /// ```
    /// CloudFormation, reported:
    /// ```yaml
    /// Rules:
    ///   - Id: logs
    ///     Prefix: logs/
    ///     Status: Enabled
    ///     Destination: {Bucket: !GetAtt Dst.Arn}
    /// ```
    /// CloudFormation, explicit:
    /// ```yaml
    /// Rules:
    ///   - Id: logs
    ///     Priority: 1
    ///     Status: Enabled
    ///     Filter: {Prefix: logs/}
    ///     DeleteMarkerReplication: {Status: Enabled}
    ///     Destination: {Bucket: !GetAtt Dst.Arn}
    /// ```
    ///
    /// ## Sources
    /// S3 User Guide, "Replication configuration file elements" (Backward compatibility
    /// considerations); "What does Amazon S3 replicate?".
    pub DelV1Implicit { id: "del-v1-implicit", code: "I5", group: "delete-markers", severity: Info }
}

impl Rule for DelV1Implicit {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, sink: &mut Sink<'_>) {
        for r in cx.graph.each_rule() {
            let rule = r.rule;
            if rule.filter.is_some() || !r.is_active() || !shape_known(rule) {
                continue;
            }
            let dmr_written = rule.delete_marker_replication.is_present();
            // Where the element is sent, S3 rejects the rule: del-on-v1-rule reports it.
            if dmr_written && rule.deploy_defaults != DeployDefaults::LegacyProvider {
                continue;
            }
            let ignored = if dmr_written {
                " (the provider drops this rule's delete_marker_replication_status, which only V2 rules accept)"
            } else {
                ""
            };
            sink.report(
                &rule.prefix.loc().or(&rule.loc),
                format!(
                    "{} has no filter (V1 schema): it replicates user delete markers, with no switch to turn that off, but never lifecycle delete markers{ignored}",
                    r.label()
                ),
            )
            .label("V1 rule")
            .help("to decide explicitly, make the rule V2: `filter {}`, a priority and `delete_marker_replication { status = \"Enabled\" }` or \"Disabled\"")
            .resource(r.address())
            .discriminator(r.key());
        }
    }
}
