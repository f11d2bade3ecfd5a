use crate::rules::prelude::*;

declare_rule! {
    /// An `and` filter with several tags matches only objects that carry all of them.
    ///
    /// ## What goes wrong
    /// Nothing is rejected. The prefix and the tags of `And` are AND-ed, and every listed tag must
    /// be present on the object with exactly that value. A filter meant as "tag A or tag B"
    /// replicates only objects that have both; two tags with the same key and different values
    /// match no object at all. An OR needs one rule per condition, with priorities.
    ///
    /// ## How to fix
    /// Keep `and` when every object must carry all the tags; otherwise split the rule into one
    /// rule per tag, each with its own priority.
    ///
    /// ## Example
    /// Terraform, reported:
    /// ```hcl
    /// filter {
    ///   and {
    ///     tags = {
    ///       team = "data"
    ///       tier = "gold"
    ///     }
    ///   }
    /// }
    /// ```
    /// Terraform, OR as two rules:
    /// ```hcl
    /// rule {
    ///   priority = 1
    ///   filter {
    ///     tag {
    ///       key   = "team"
    ///       value = "data"
    ///     }
    ///   }
    ///   # ...
    /// }
    /// rule {
    ///   priority = 2
    ///   filter {
    ///     tag {
    ///       key   = "tier"
    ///       value = "gold"
    ///     }
    ///   }
    ///   # ...
    /// }
    /// ```
    /// CloudFormation, reported:
    /// ```yaml
    /// Filter:
    ///   And:
    ///     TagFilters:
    ///       - {Key: team, Value: data}
    ///       - {Key: tier, Value: gold}
    /// ```
    /// CloudFormation, OR as two rules:
    /// ```yaml
    /// - {Priority: 1, Filter: {TagFilter: {Key: team, Value: data}}, ...}
    /// - {Priority: 2, Filter: {TagFilter: {Key: tier, Value: gold}}, ...}
    /// ```
    ///
    /// ## Sources
    /// S3 User Guide, "Replication configuration file elements"; SEED-000 (Replication rule filter).
    pub FltAndSemantics { id: "flt-and-semantics", code: "J3", group: "filters", severity: Info }
}

impl Rule for FltAndSemantics {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, sink: &mut Sink<'_>) {
        for r in cx.graph.each_rule() {
            let Some(filter) = &r.rule.filter else {
                continue;
            };
            let Some(and) = &filter.and else { continue };
            if filter.tags.len() < 2 || !r.is_active() {
                continue;
            }
            let clash = filter.tags.iter().enumerate().find_map(|(i, a)| {
                let key = a.key.as_str()?;
                filter.tags.iter().skip(i + 1).find_map(|b| {
                    (b.key.as_str() == Some(key)
                        && a.value.is_known()
                        && b.value.is_known()
                        && a.value.as_str() != b.value.as_str())
                    .then(|| key.to_string())
                })
            });
            let message = match &clash {
                Some(key) => format!(
                    "the `and` filter of {} requires tag `{key}` to have two different values: it matches no object",
                    r.label()
                ),
                None => format!(
                    "the `and` filter of {} replicates only objects that carry all {} tags (AND, not OR)",
                    r.label(),
                    filter.tags.len()
                ),
            };
            sink.report(and, message)
                .label("every tag must be present")
                .help(
                    "for \"any of these tags\", write one rule per tag, each with its own priority",
                )
                .resource(r.address())
                .discriminator(r.key());
        }
    }
}
