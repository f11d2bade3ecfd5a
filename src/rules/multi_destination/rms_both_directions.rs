use crate::graph::Link;
use crate::rules::prelude::*;

declare_rule! {
    /// Replica modification sync is enabled in one direction only.
    ///
    /// ## What goes wrong
    /// "You must enable replica modification sync on both buckets to replicate replica metadata
    /// changes." With `ReplicaModifications` enabled only on A→B, changes made to replicas in B
    /// (tags, ACLs, Object Lock settings) are not synced back to A; the setting does nothing on
    /// its own.
    ///
    /// ## How to fix
    /// Add the reverse configuration on the destination bucket (B→A, with its own role in B's
    /// account) and enable `ReplicaModifications` in both.
    ///
    /// ## Example
    /// Terraform, failing:
    /// ```hcl
    /// resource "aws_s3_bucket_replication_configuration" "a_to_b" {
    ///   bucket = aws_s3_bucket.a.id
    ///   role   = aws_iam_role.a.arn
    ///   rule {
    ///     status = "Enabled"
    ///     filter {}
    ///     delete_marker_replication { status = "Disabled" }
    ///     source_selection_criteria {
    ///       replica_modifications { status = "Enabled" }
    ///     }
    ///     destination { bucket = aws_s3_bucket.b.arn }
    ///   }
    /// }
    /// # b_to_a replicates to A without replica_modifications
    /// ```
    /// Terraform, fixed:
    /// ```hcl
    /// resource "aws_s3_bucket_replication_configuration" "b_to_a" {
    ///   bucket = aws_s3_bucket.b.id
    ///   role   = aws_iam_role.b.arn
    ///   rule {
    ///     status = "Enabled"
    ///     filter {}
    ///     delete_marker_replication { status = "Disabled" }
    ///     source_selection_criteria {
    ///       replica_modifications { status = "Enabled" }
    ///     }
    ///     destination { bucket = aws_s3_bucket.a.arn }
    ///   }
    /// }
    /// ```
    /// CloudFormation, failing:
    /// ```yaml
    /// B:
    ///   Type: AWS::S3::Bucket
    ///   Properties:
    ///     ReplicationConfiguration:
    ///       Role: !GetAtt RoleB.Arn
    ///       Rules:
    ///         - {Status: Enabled, Priority: 1, Filter: {Prefix: ""},
    ///            DeleteMarkerReplication: {Status: Disabled},
    ///            Destination: {Bucket: !GetAtt A.Arn}}
    /// ```
    /// CloudFormation, fixed:
    /// ```yaml
    ///         - {Status: Enabled, Priority: 1, Filter: {Prefix: ""},
    ///            DeleteMarkerReplication: {Status: Disabled},
    ///            SourceSelectionCriteria: {ReplicaModifications: {Status: Enabled}},
    ///            Destination: {Bucket: !GetAtt A.Arn}}
    /// ```
    ///
    /// ## Sources
    /// S3 User Guide, "Replicating metadata changes with replica modification sync".
    pub RmsBothDirections { id: "rms-both-directions", code: "N2", group: "multi-destination", severity: Warning }
}

fn syncs_replicas(r: &crate::graph::RuleRef<'_, '_>) -> bool {
    r.is_active()
        && r.rule
            .source_selection
            .as_ref()
            .is_some_and(|s| s.replica_modifications.is("Enabled"))
}

impl Rule for RmsBothDirections {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, sink: &mut Sink<'_>) {
        let g = cx.graph;
        for r in g.each_rule() {
            if !syncs_replicas(&r) {
                continue;
            }
            let Link::Found(src) = r.view.source else {
                continue;
            };
            let loc = r
                .rule
                .source_selection
                .as_ref()
                .map(|s| s.replica_modifications.loc().clone())
                .unwrap_or_else(|| r.rule.loc.clone());
            let Link::Found(dst) = r.rule_view.destination else {
                if let Link::External(text) = &r.rule_view.destination {
                    sink.cannot_verify(
                        &loc,
                        format!(
                            "whether `{}` replicates replica modifications back to `{}`: its replication configuration is not in the input",
                            g.display(text),
                            g.bucket_text(&g.buckets[src])
                        ),
                        "pass the destination bucket's Terraform sources, plan or stack as well",
                    )
                    .resource(r.address())
                    .discriminator(r.key());
                }
                continue;
            };
            if dst == src {
                continue;
            }
            let reverse: Vec<_> = g
                .each_rule()
                .filter(|x| x.view.source == Link::Found(dst))
                .collect();
            let (src_name, dst_name) = (
                g.bucket_text(&g.buckets[src]),
                g.bucket_text(&g.buckets[dst]),
            );
            if reverse.is_empty() {
                sink.cannot_verify(
                    &loc,
                    format!("whether `{dst_name}` replicates replica modifications back to `{src_name}`: no replication configuration of `{dst_name}` is in the input"),
                    "pass the configuration that replicates the destination bucket back, or remove replica modification sync",
                )
                .resource(r.address())
                .discriminator(r.key());
                continue;
            }
            let back = reverse
                .iter()
                .filter(|x| x.rule_view.destination == Link::Found(src));
            if back.clone().any(syncs_replicas) {
                continue;
            }
            let mut finding = sink
                .report(
                    &loc,
                    format!(
                        "{} syncs replica modifications from `{src_name}` to `{dst_name}`, but `{dst_name}` does not replicate them back: replica metadata changes are synced only when both directions enable ReplicaModifications",
                        r.label()
                    ),
                )
                .label("enabled in one direction only")
                .help(format!(
                    "enable ReplicaModifications on a rule of `{dst_name}`'s configuration that replicates to `{src_name}`"
                ))
                .resource(r.address())
                .discriminator(r.key());
            if let Some(x) = back.clone().next() {
                finding = finding.related(
                    &x.rule.loc,
                    "the reverse rule, without replica modification sync",
                );
            }
            drop(finding);
        }
    }
}
