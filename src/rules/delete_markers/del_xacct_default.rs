use crate::graph::Tri;
use crate::model::{DeployDefaults, Value};
use crate::rules::access::scope_prefix;
use crate::rules::filters::{configurations, is_v2};
use crate::rules::prelude::*;

declare_rule! {
    /// Deletes in the source do not reach the other account: delete markers are not replicated.
    ///
    /// ## What goes wrong
    /// Nothing is rejected. By default delete markers are not replicated: a delete in the source
    /// account leaves the object visible in the destination account. That is often intended
    /// (protection against deletes) but should be a decision. Only Terraform's legacy inline
    /// `replication_configuration` leaves it to the default (it sends `Disabled` when
    /// `delete_marker_replication_status` is omitted from a rule with a filter; elsewhere an
    /// omitted element is rejected, see `del-missing-on-v2`, and an explicit `Disabled` is a
    /// decision). repl-lint reports such a cross-account rule unless another rule replicates
    /// delete markers for the same keys to the same bucket; tag-based rules are skipped (they
    /// cannot replicate delete markers, see `del-tag-filter`).
    ///
    /// ## How to fix
    /// Decide explicitly: `delete_marker_replication_status = "Enabled"` if deletes should reach
    /// the other account; otherwise migrate to `aws_s3_bucket_replication_configuration` and
    /// write `delete_marker_replication { status = "Disabled" }`.
    ///
    /// ## Example
    /// Terraform, reported (legacy inline block, destination in another account):
    /// ```hcl
    /// rules {
    ///   id       = "all"
    ///   priority = 1
    ///   status   = "Enabled"
    ///   filter {}
    ///   destination {
    ///     bucket     = aws_s3_bucket.dst.arn
    ///     account_id = "222222222222"
    ///   }
    /// }
    /// ```
    /// Terraform, decided:
    /// ```hcl
    /// rules {
    ///   id                               = "all"
    ///   priority                         = 1
    ///   status                           = "Enabled"
    ///   delete_marker_replication_status = "Enabled"
    ///   filter {}
    ///   destination {
    ///     bucket     = aws_s3_bucket.dst.arn
    ///     account_id = "222222222222"
    ///   }
    /// }
    /// ```
    /// CloudFormation sends rules as written and rejects a filter without
    /// `DeleteMarkerReplication` (`del-missing-on-v2`); this rule reports nothing for templates.
    ///
    /// ## Sources
    /// S3 User Guide, "What does Amazon S3 replicate?".
    pub DelXacctDefault { id: "del-xacct-default", code: "I7", group: "delete-markers", severity: Info }
}

impl Rule for DelXacctDefault {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, sink: &mut Sink<'_>) {
        for rules in configurations(cx.graph) {
            for r in &rules {
                let rule = r.rule;
                // Only the default: an explicit "Disabled" is a decision, and an omitted element
                // is rejected (del-missing-on-v2) except where the legacy provider fills it in.
                let off = matches!(rule.delete_marker_replication, Value::Absent(_))
                    && rule.deploy_defaults == DeployDefaults::LegacyProvider;
                let tag_based = rule.filter.as_ref().is_some_and(|f| !f.tags.is_empty());
                if !off
                    || tag_based
                    || !is_v2(rule)
                    || !r.is_active()
                    || r.cross_account() != Tri::Yes
                {
                    continue;
                }
                let scope = scope_prefix(r);
                let covered = rules.iter().any(|o| {
                    o.is_active()
                        && o.rule.delete_marker_replication.is("Enabled")
                        && o.rule_view.destination_arn == r.rule_view.destination_arn
                        && scope.starts_with(&scope_prefix(o))
                });
                if covered {
                    continue;
                }
                sink.report(
                    &rule.delete_marker_replication.loc().or(&rule.loc),
                    format!(
                        "{} leaves delete marker replication to the default (off): deletes in the source account leave the objects visible in {}",
                        r.label(),
                        r.destination_text()
                    ),
                )
                .label("delete markers stay in the source account")
                .help("decide explicitly: `delete_marker_replication_status = \"Enabled\"` if deletes should reach the destination account")
                .resource(r.address())
                .discriminator(r.key());
            }
        }
    }
}
