use super::{configurations, is_v2};
use crate::graph::Resolved;
use crate::model::{DeployDefaults, Value};
use crate::rules::prelude::*;

declare_rule! {
    /// A rule sets both a rule-level prefix and a filter, or a configuration mixes V1 and V2 rules.
    ///
    /// ## What goes wrong
    /// The rule-level `Prefix` belongs to the V1 schema and `Filter` to V2; a rule cannot have
    /// both (Terraform: `prefix` "Conflicts with `filter`"; CloudFormation: `Filter` "isn't
    /// supported in a V1 replication configuration"), and S3 rejects a configuration whose rules
    /// do not all use the same schema. (With several destinations, `multi-dest-requires-v2-priority`
    /// reports the mix instead.) Terraform's legacy inline block ignores the rule-level prefix of
    /// a rule with a filter, so only the mix is reported there.
    ///
    /// ## How to fix
    /// Use V2 throughout: move each rule-level prefix into `filter { prefix = ... }` (or
    /// `filter {}`), with a priority and delete marker replication on every rule.
    ///
    /// ## Example
    /// Terraform, failing:
    /// ```hcl
    /// rule {
    ///   id     = "logs"
    ///   prefix = "logs/"
    ///   filter {
    ///     prefix = "logs/"
    ///   }
    ///   # ...
    /// }
    /// ```
    /// Terraform, fixed:
    /// ```hcl
    /// rule {
    ///   id = "logs"
    ///   filter {
    ///     prefix = "logs/"
    ///   }
    ///   # ...
    /// }
    /// ```
    /// CloudFormation, failing:
    /// ```yaml
    /// Rules:
    ///   - {Id: logs, Prefix: logs/, Status: Enabled, Destination: {Bucket: !GetAtt Dst.Arn}}
    ///   - {Id: all, Priority: 1, Filter: {Prefix: ""}, DeleteMarkerReplication: {Status: Disabled}, Status: Enabled, Destination: {Bucket: !GetAtt Dst.Arn}}
    /// ```
    /// CloudFormation, fixed:
    /// ```yaml
    /// Rules:
    ///   - {Id: logs, Priority: 2, Filter: {Prefix: logs/}, DeleteMarkerReplication: {Status: Disabled}, Status: Enabled, Destination: {Bucket: !GetAtt Dst.Arn}}
    ///   - {Id: all, Priority: 1, Filter: {Prefix: ""}, DeleteMarkerReplication: {Status: Disabled}, Status: Enabled, Destination: {Bucket: !GetAtt Dst.Arn}}
    /// ```
    ///
    /// ## Sources
    /// Terraform `aws_s3_bucket_replication_configuration` (`prefix` conflicts with `filter`);
    /// CloudFormation `ReplicationRule` (`Filter`).
    pub FltV1V2Mix { id: "flt-v1-v2-mix", code: "J10", group: "filters", severity: Error }
}

impl Rule for FltV1V2Mix {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, sink: &mut Sink<'_>) {
        for rules in configurations(cx.graph) {
            for r in &rules {
                let rule = r.rule;
                // A plan shows an unset rule-level prefix as unknown (the provider computes
                // it): only a prefix known to be non-empty, or written as an expression, counts.
                let written = match &rule.prefix {
                    Value::Known(p, _) => !p.is_empty(),
                    Value::Ref(..) | Value::Template(..) => true,
                    Value::Unknown(..) | Value::Absent(_) => false,
                };
                if !is_v2(rule)
                    || !written
                    || rule.deploy_defaults == DeployDefaults::LegacyProvider
                {
                    continue;
                }
                sink.report(
                    rule.prefix.loc(),
                    format!("{} sets both a rule-level prefix (V1) and a filter (V2)", r.label()),
                )
                .label("rule-level prefix next to a filter")
                .help("move the prefix into the filter (`filter { prefix = ... }`) and remove the rule-level one")
                .resource(r.address())
                .discriminator(r.key());
            }
            if !rules.iter().all(|r| super::shape_known(r.rule)) {
                continue;
            }
            let v1 = rules.iter().find(|r| !is_v2(r.rule));
            let v2 = rules.iter().find(|r| is_v2(r.rule));
            let (Some(v1), Some(v2)) = (v1, v2) else {
                continue;
            };
            let mut destinations: Vec<&Resolved> =
                rules.iter().map(|r| &r.rule_view.destination_arn).collect();
            destinations.dedup();
            if destinations.len() > 1 {
                continue;
            }
            sink.report(
                &v1.rule.loc,
                format!(
                    "{} has no filter (V1 schema) while {} has one (V2): S3 rejects a configuration that mixes both",
                    v1.label(),
                    v2.label()
                ),
            )
            .label("V1 rule in a V2 configuration")
            .related(&v2.rule.loc, "V2 rule")
            .help("use V2 throughout: give every rule a filter (`filter {}` for all objects), a priority and delete marker replication")
            .resource(v1.address())
            .discriminator(format!("mix:{}", v1.key()));
        }
    }
}
