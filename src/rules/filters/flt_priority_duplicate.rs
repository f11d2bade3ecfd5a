use super::{configurations, effective_priority, is_v2};
use crate::rules::prelude::*;

declare_rule! {
    /// Two rules of one replication configuration have the same priority.
    ///
    /// ## What goes wrong
    /// Priorities decide which rule applies when rules overlap ("Amazon S3 … replicates according
    /// to the rule with the highest priority"); Terraform says "Priority must be unique between
    /// multiple rules". With equal priorities the outcome for overlapping keys is undefined, or
    /// S3 rejects the configuration. In Terraform an omitted `priority` counts as `0`.
    ///
    /// ## How to fix
    /// Give each rule a distinct priority.
    ///
    /// ## Example
    /// Terraform, failing:
    /// ```hcl
    /// rule {
    ///   id       = "logs"
    ///   priority = 1
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
    ///   # ...
    /// }
    /// rule {
    ///   id       = "all"
    ///   priority = 1
    ///   # ...
    /// }
    /// ```
    /// CloudFormation, failing:
    /// ```yaml
    /// Rules:
    ///   - {Id: logs, Priority: 1, Filter: {Prefix: logs/}, ...}
    ///   - {Id: all, Priority: 1, Filter: {Prefix: ""}, ...}
    /// ```
    /// CloudFormation, fixed:
    /// ```yaml
    /// Rules:
    ///   - {Id: logs, Priority: 2, Filter: {Prefix: logs/}, ...}
    ///   - {Id: all, Priority: 1, Filter: {Prefix: ""}, ...}
    /// ```
    ///
    /// ## Sources
    /// Terraform `aws_s3_bucket_replication_configuration`; CloudFormation `ReplicationRule`
    /// (`Priority`); S3 User Guide, "Replication configuration file elements" (Example 3).
    pub FltPriorityDuplicate { id: "flt-priority-duplicate", code: "J8", group: "filters", severity: Warning }
}

impl Rule for FltPriorityDuplicate {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, sink: &mut Sink<'_>) {
        for rules in configurations(cx.graph) {
            let v2: Vec<_> = rules
                .iter()
                .filter(|r| is_v2(r.rule))
                .filter_map(|r| effective_priority(r.rule).map(|p| (r, p)))
                .collect();
            for (i, (r, p)) in v2.iter().enumerate() {
                let Some((first, _)) = v2.iter().take(i).find(|(_, q)| q == p) else {
                    continue;
                };
                let implicit = if r.rule.priority.is_absent() {
                    " (omitted, so Terraform sends 0)"
                } else {
                    ""
                };
                sink.report(
                    &r.rule.priority.loc().or(&r.rule.loc),
                    format!(
                        "{} has priority {p}{implicit}, the same as {}",
                        r.label(),
                        first.label()
                    ),
                )
                .label("duplicate priority")
                .related(
                    &first.rule.priority.loc().or(&first.rule.loc),
                    format!("{} has priority {p}", first.label()),
                )
                .help("give each rule a distinct priority; the higher one wins where rules overlap")
                .resource(r.address())
                .discriminator(r.key());
            }
        }
    }
}
