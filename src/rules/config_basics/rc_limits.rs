use crate::rules::prelude::*;

declare_rule! {
    /// The replication configuration exceeds an S3 limit (rule count, rule ID length or uniqueness, prefix length).
    ///
    /// ## What goes wrong
    /// S3 rejects `PutBucketReplication` when the configuration has more than 1,000 rules, a rule
    /// `ID` longer than 255 characters, two rules with the same `ID`, or a prefix longer than 1,024
    /// characters. (The whole configuration may also not exceed 2 MB; repl-lint does not measure
    /// the XML size.)
    ///
    /// ## How to fix
    /// Merge rules (one rule can cover a shorter common prefix), give every rule a unique, short
    /// `ID`, and shorten prefixes.
    ///
    /// ## Example
    /// Terraform, failing:
    /// ```hcl
    /// rule {
    ///   id     = "logs"
    ///   status = "Enabled"
    ///   filter { prefix = "logs/" }
    ///   destination { bucket = aws_s3_bucket.dst.arn }
    /// }
    /// rule {
    ///   id     = "logs"
    ///   status = "Enabled"
    ///   filter { prefix = "audit/" }
    ///   destination { bucket = aws_s3_bucket.dst.arn }
    /// }
    /// ```
    /// Terraform, fixed:
    /// ```hcl
    /// rule {
    ///   id     = "logs"
    ///   # ...
    /// }
    /// rule {
    ///   id     = "audit"
    ///   # ...
    /// }
    /// ```
    /// CloudFormation, failing:
    /// ```yaml
    /// Rules:
    ///   - Id: logs
    ///     Prefix: logs/
    ///   - Id: logs
    ///     Prefix: audit/
    /// ```
    /// CloudFormation, fixed:
    /// ```yaml
    /// Rules:
    ///   - Id: logs
    ///     Prefix: logs/
    ///   - Id: audit
    ///     Prefix: audit/
    /// ```
    ///
    /// ## Sources
    /// CloudFormation `AWS::S3::Bucket` ReplicationConfiguration ("up to 1,000 rules", "maximum
    /// size of 2 MB") and ReplicationRule (`Id` maximum 255, `Prefix` maximum 1,024); Terraform
    /// `aws_s3_bucket_replication_configuration` docs.
    pub RcLimits { id: "rc-limits", code: "C7", group: "config-basics", severity: Error }
}

const MAX_RULES: usize = 1000;
const MAX_ID: usize = 255;
const MAX_PREFIX: usize = 1024;

impl Rule for RcLimits {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, sink: &mut Sink<'_>) {
        let g = cx.graph;
        for view in &g.replications {
            let config = &g.model.replications[view.index];
            let address = config.origin.address.as_str();
            if config.rules.len() > MAX_RULES {
                sink.report(
                    &config.origin.header,
                    format!(
                        "the replication configuration has {} rules; S3 accepts at most {MAX_RULES}",
                        config.rules.len()
                    ),
                )
                .help("merge rules that share a destination and settings")
                .resource(address);
            }
            let mut ids: Vec<(&str, &crate::source::Loc)> = Vec::new();
            for (i, rule) in config.rules.iter().enumerate() {
                if let Value::Known(id, loc) = &rule.id {
                    let length = id.chars().count();
                    if length > MAX_ID {
                        sink.report(
                            loc,
                            format!(
                                "rule ID is {length} characters long; S3 accepts at most {MAX_ID}"
                            ),
                        )
                        .label("ID too long")
                        .resource(address)
                        .discriminator(format!("id-length|{i}"));
                    }
                    if !id.is_empty() {
                        match ids.iter().find(|(other, _)| *other == id) {
                            Some((_, first)) => {
                                sink.report(
                                    loc,
                                    format!(
                                        "two rules have the ID `{id}`; S3 requires unique rule IDs"
                                    ),
                                )
                                .label("duplicate ID")
                                .related(first, "first used here")
                                .help("give every rule its own ID")
                                .resource(address)
                                .discriminator(format!("id-duplicate|{i}"));
                            }
                            None => ids.push((id, loc)),
                        }
                    }
                }
                let prefixes = [rule.filter.as_ref().map(|f| &f.prefix), Some(&rule.prefix)];
                for prefix in prefixes.into_iter().flatten() {
                    if let Value::Known(p, loc) = prefix {
                        let length = p.chars().count();
                        if length > MAX_PREFIX {
                            sink.report(
                                loc,
                                format!("prefix is {length} characters long; S3 accepts at most {MAX_PREFIX}"),
                            )
                            .label("prefix too long")
                            .resource(address)
                            .discriminator(format!("prefix-length|{i}"));
                        }
                    }
                }
            }
        }
    }
}
