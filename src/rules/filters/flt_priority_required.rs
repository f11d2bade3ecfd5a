use super::{as_written, configurations, effective_priority, is_v2};
use crate::rules::prelude::*;

declare_rule! {
    /// A rule with a filter (V2 schema) has no priority.
    ///
    /// ## What goes wrong
    /// S3 requires `Priority` on every rule that has a `Filter`. CloudFormation passes the rule
    /// through as written, so the stack fails with a `MalformedXML`/`InvalidRequest` error
    /// (error). The Terraform provider sends `0` for an omitted `priority`, so the request is
    /// accepted: with several rules the omitted ones silently get the lowest priority (warning;
    /// when that collides with another rule's priority, `flt-priority-duplicate` reports it
    /// instead). A configuration with a single rule is not reported in Terraform.
    ///
    /// ## How to fix
    /// Give every V2 rule an explicit, unique priority (higher wins for overlapping rules).
    ///
    /// ## Example
    /// Terraform, reported:
    /// ```hcl
    /// rule {
    ///   id     = "logs"
    ///   status = "Enabled"
    ///   filter {
    ///     prefix = "logs/"
    ///   }
    ///   # ...
    /// }
    /// rule {
    ///   id       = "all"
    ///   priority = 1
    ///   # ...
    /// }
    /// ```
    /// Terraform, fixed:
    /// ```hcl
    /// rule {
    ///   id       = "logs"
    ///   priority = 2
    ///   status   = "Enabled"
    ///   filter {
    ///     prefix = "logs/"
    ///   }
    ///   # ...
    /// }
    /// ```
    /// CloudFormation, failing:
    /// ```yaml
    /// Rules:
    ///   - Id: logs
    ///     Status: Enabled
    ///     Filter: {Prefix: logs/}
    ///     DeleteMarkerReplication: {Status: Disabled}
    ///     Destination: {Bucket: !GetAtt Dst.Arn}
    /// ```
    /// CloudFormation, fixed:
    /// ```yaml
    /// Rules:
    ///   - Id: logs
    ///     Priority: 1
    ///     Status: Enabled
    ///     Filter: {Prefix: logs/}
    ///     DeleteMarkerReplication: {Status: Disabled}
    ///     Destination: {Bucket: !GetAtt Dst.Arn}
    /// ```
    ///
    /// ## Sources
    /// S3 API Reference, `PutBucketReplication`; S3 User Guide, "Replication configuration file
    /// elements"; Terraform `aws_s3_bucket_replication_configuration` ("If not provided,
    /// defaults to 0").
    pub FltPriorityRequired { id: "flt-priority-required", code: "J7", group: "filters", severity: Error }
}

impl Rule for FltPriorityRequired {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, sink: &mut Sink<'_>) {
        for rules in configurations(cx.graph) {
            let v2: Vec<_> = rules.iter().filter(|r| is_v2(r.rule)).collect();
            for r in &v2 {
                let rule = r.rule;
                if !rule.priority.is_absent() || !super::shape_known(rule) {
                    continue;
                }
                if as_written(rule) {
                    sink.report(
                        &rule.loc,
                        format!(
                            "{} has a filter but no priority: S3 requires a priority on every rule with a filter",
                            r.label()
                        ),
                    )
                    .label("needs Priority")
                    .help("add `Priority: 1` (unique within the configuration; higher wins for overlapping rules)")
                    .resource(r.address())
                    .discriminator(r.key());
                    continue;
                }
                // Terraform sends 0: harmless alone, flt-priority-duplicate's when it collides.
                let collides = v2.iter().any(|o| {
                    o.rule_view.index != r.rule_view.index && effective_priority(o.rule) == Some(0)
                });
                if v2.len() < 2 || collides {
                    continue;
                }
                sink.report(
                    &rule.loc,
                    format!(
                        "{} has a filter but no priority: Terraform sends priority 0, the lowest, so every overlapping rule takes precedence",
                        r.label()
                    ),
                )
                .severity(Severity::Warning)
                .label("priority defaults to 0")
                .help("write the priority explicitly (`priority = 1`, unique within the configuration)")
                .resource(r.address())
                .discriminator(r.key());
            }
        }
    }
}
