use crate::rules::prelude::*;

declare_rule! {
    /// An `and` filter holds a single condition.
    ///
    /// ## What goes wrong
    /// `And` "is required only if you specify more than one filter". The Terraform provider
    /// requires `tags` whenever `and` sets `prefix`, so `and { prefix = ... }` alone fails; an
    /// `and` with a single tag is accepted but reads like a combination that is not there, and is
    /// often a condition that was meant to be added and never was.
    ///
    /// ## How to fix
    /// Use `prefix` or `tag` directly in the filter, or add the missing condition to `and`.
    ///
    /// ## Example
    /// Terraform, failing:
    /// ```hcl
    /// filter {
    ///   and {
    ///     prefix = "logs/"
    ///   }
    /// }
    /// ```
    /// Terraform, fixed:
    /// ```hcl
    /// filter {
    ///   prefix = "logs/"
    /// }
    /// ```
    /// CloudFormation, failing:
    /// ```yaml
    /// Filter:
    ///   And:
    ///     Prefix: logs/
    /// ```
    /// CloudFormation, fixed:
    /// ```yaml
    /// Filter:
    ///   Prefix: logs/
    /// ```
    ///
    /// ## Sources
    /// CloudFormation `ReplicationRuleAndOperator`; Terraform
    /// `aws_s3_bucket_replication_configuration` (`and`).
    pub FltAndUnderspecified { id: "flt-and-underspecified", code: "J2", group: "filters", severity: Warning }
}

impl Rule for FltAndUnderspecified {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, sink: &mut Sink<'_>) {
        for r in cx.graph.each_rule() {
            let Some(filter) = &r.rule.filter else {
                continue;
            };
            let Some(and) = &filter.and else { continue };
            // Side-by-side children are flt-exactly-one-child; unknown tags may be several.
            if filter.top_level_children > 1 || filter.tags.iter().any(|t| !t.key.is_known()) {
                continue;
            }
            let prefix = filter.prefix.as_str().is_some_and(|p| !p.is_empty());
            let prefix_unknown = !filter.prefix.is_known() && filter.prefix.is_present();
            let conditions = usize::from(prefix || prefix_unknown) + filter.tags.len();
            if conditions > 1 {
                continue;
            }
            let what = match (prefix, filter.tags.len()) {
                (true, _) => "only a prefix",
                (false, 1) => "only one tag",
                _ => "no condition",
            };
            sink.report(
                and,
                format!("the `and` filter of {} holds {what}", r.label()),
            )
            .label("`and` needs at least two conditions")
            .help("put the prefix or tag directly in the filter (`filter { prefix = ... }` / `filter { tag { ... } }`), or add the missing condition to `and`")
            .resource(r.address())
            .discriminator(r.key());
        }
    }
}
