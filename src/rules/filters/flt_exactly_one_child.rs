use crate::rules::prelude::*;

declare_rule! {
    /// A filter sets more than one of prefix, tag and `and` side by side.
    ///
    /// ## What goes wrong
    /// A replication filter "must specify exactly one Prefix, TagFilter, or an And child
    /// element". With a prefix and a tag side by side, S3 rejects the configuration
    /// (`MalformedXML`). The Terraform provider documents exactly one of `prefix`, `tag`, `and`
    /// (or an empty `filter {}`); depending on its version it sends them all (and S3 rejects
    /// the rule) or silently keeps one and drops the others, so the rule selects other objects
    /// than written. An empty `prefix = ""` next to another condition is harmless in Terraform
    /// and not reported there.
    ///
    /// ## How to fix
    /// Wrap a combined prefix and tags in `and`.
    ///
    /// ## Example
    /// Terraform, failing:
    /// ```hcl
    /// filter {
    ///   prefix = "logs/"
    ///   tag {
    ///     key   = "replicate"
    ///     value = "true"
    ///   }
    /// }
    /// ```
    /// Terraform, fixed:
    /// ```hcl
    /// filter {
    ///   and {
    ///     prefix = "logs/"
    ///     tags   = { replicate = "true" }
    ///   }
    /// }
    /// ```
    /// CloudFormation, failing:
    /// ```yaml
    /// Filter:
    ///   Prefix: logs/
    ///   TagFilter: {Key: replicate, Value: "true"}
    /// ```
    /// CloudFormation, fixed:
    /// ```yaml
    /// Filter:
    ///   And:
    ///     Prefix: logs/
    ///     TagFilters:
    ///       - {Key: replicate, Value: "true"}
    /// ```
    ///
    /// ## Sources
    /// CloudFormation `ReplicationRuleFilter`; Terraform `aws_s3_bucket_replication_configuration`.
    pub FltExactlyOneChild { id: "flt-exactly-one-child", code: "J1", group: "filters", severity: Error }
}

impl Rule for FltExactlyOneChild {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, sink: &mut Sink<'_>) {
        for r in cx.graph.each_rule() {
            let Some(filter) = &r.rule.filter else {
                continue;
            };
            // Terraform does not send an empty prefix next to another condition.
            let empty_prefix = !super::as_written(r.rule) && filter.prefix.as_str() == Some("");
            let children = filter
                .top_level_children
                .saturating_sub(usize::from(empty_prefix));
            if children <= 1 {
                continue;
            }
            sink.report(
                &filter.loc,
                format!(
                    "the filter of {} sets {} conditions (prefix, tag, and) side by side; S3 accepts exactly one",
                    r.label(),
                    children
                ),
            )
            .label("more than one filter condition at the top level")
            .help("combine a prefix and tags inside `and { prefix = ..., tags = {...} }` (Terraform) or `And: {Prefix: ..., TagFilters: [...]}` (CloudFormation)")
            .resource(r.address())
            .discriminator(r.key());
        }
    }
}
