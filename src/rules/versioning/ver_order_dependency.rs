use crate::graph::Link;
use crate::model::{Format, Replication};
use crate::rules::prelude::*;

declare_rule! {
    /// The replication configuration does not depend on the versioning resources of its buckets.
    ///
    /// ## What goes wrong
    /// Terraform creates independent resources in parallel. When
    /// `aws_s3_bucket_replication_configuration` neither references nor `depends_on` the
    /// `aws_s3_bucket_versioning` of its source and of each destination in the same
    /// configuration, it may be created first, and S3 rejects it with `InvalidRequest: Destination
    /// bucket must have versioning enabled` (or the source equivalent). A second apply then
    /// succeeds, which hides the race. In CloudFormation versioning is a property of the bucket,
    /// but a same-stack destination given as a literal ARN (instead of `!GetAtt Dst.Arn` or a
    /// `DependsOn`) may not exist yet when the source bucket is created.
    ///
    /// ## How to fix
    /// Add `depends_on = [aws_s3_bucket_versioning.src, aws_s3_bucket_versioning.dst]` to the
    /// replication configuration; in CloudFormation, `!GetAtt Dst.Arn` or `DependsOn: Dst`. (Only
    /// Terraform resources of the same module instance are checked: across
    /// modules the ordering belongs on the module call, which repl-lint does not follow.)
    ///
    /// ## Example
    /// Terraform, failing:
    /// ```hcl
    /// resource "aws_s3_bucket_replication_configuration" "this" {
    ///   bucket = aws_s3_bucket.src.id
    ///   role   = aws_iam_role.replication.arn
    ///   rule {
    ///     status = "Enabled"
    ///     destination { bucket = aws_s3_bucket.dst.arn }
    ///   }
    /// }
    /// ```
    /// Terraform, fixed:
    /// ```hcl
    /// resource "aws_s3_bucket_replication_configuration" "this" {
    ///   depends_on = [aws_s3_bucket_versioning.src, aws_s3_bucket_versioning.dst]
    ///   bucket     = aws_s3_bucket.src.id
    ///   role       = aws_iam_role.replication.arn
    ///   rule {
    ///     status = "Enabled"
    ///     destination { bucket = aws_s3_bucket.dst.arn }
    ///   }
    /// }
    /// ```
    /// CloudFormation, failing (the destination is in the same template):
    /// ```yaml
    /// Src:
    ///   Type: AWS::S3::Bucket
    ///   Properties:
    ///     ReplicationConfiguration:
    ///       Rules:
    ///         - Destination:
    ///             Bucket: arn:aws:s3:::example-dst
    /// ```
    /// CloudFormation, fixed:
    /// ```yaml
    /// Src:
    ///   Type: AWS::S3::Bucket
    ///   Properties:
    ///     ReplicationConfiguration:
    ///       Rules:
    ///         - Destination:
    ///             Bucket: !GetAtt Dst.Arn
    /// ```
    ///
    /// ## Sources
    /// Terraform `aws_s3_bucket_replication_configuration` docs (example: "Must have bucket
    /// versioning enabled first"); hashicorp/terraform-provider-aws#23578; CloudFormation
    /// `AWS::S3::Bucket` ReplicationConfiguration.
    pub VerOrderDependency { id: "ver-order-dependency", code: "B3", group: "versioning", severity: Warning }
}

/// A Terraform address without instance keys (`module.m["a"].x.y[0]` → `module.m.x.y`), the form
/// of `depends_on` entries.
fn unindexed(address: &str) -> String {
    let mut out = String::with_capacity(address.len());
    let mut depth = 0usize;
    for c in address.chars() {
        match c {
            '[' => depth += 1,
            ']' => depth = depth.saturating_sub(1),
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

/// Whether the configuration waits for `address` (named itself, or its whole module).
fn waits_for(config: &Replication, address: &str) -> bool {
    let target = unindexed(address);
    config
        .depends_on
        .iter()
        .map(|d| unindexed(d))
        .any(|d| d == target || target.starts_with(&format!("{d}.")))
}

/// The module instance part of an S3 resource's address (`module.a["k"].`; empty at the root).
fn module_of(address: &str) -> &str {
    address
        .rfind("aws_s3_bucket")
        .map_or("", |i| address.get(..i).unwrap_or(""))
}

fn by_reference(value: &Value<String>) -> bool {
    matches!(value, Value::Ref(..) | Value::Template(..))
}

/// The stack part of a template address (`source:Bucket` → `source`).
fn stack_of(address: &str) -> &str {
    address.split_once(':').map_or("", |(stack, _)| stack)
}

/// A destination bucket of the same template that the source bucket neither refers to
/// (`!GetAtt Dst.Arn`) nor `DependsOn`: CloudFormation may create the source first.
fn literal_same_stack_destinations(
    g: &Graph<'_>,
    view: &crate::graph::ReplicationView,
    config: &Replication,
    sink: &mut Sink<'_>,
) {
    let mut seen = Vec::new();
    for rv in &view.rules {
        let (Link::Found(d), Some(rule)) = (&rv.destination, config.rules.get(rv.index)) else {
            continue;
        };
        let dst = &g.buckets[*d];
        let origin = &dst.bucket.origin;
        let same_stack = origin.format == Format::CloudFormation
            && origin.file == config.origin.file
            && stack_of(&origin.address) == stack_of(&config.origin.address);
        if !same_stack
            || view.source == Link::Found(*d)
            || config.depends_on.contains(&origin.address)
            || seen.contains(d)
        {
            continue;
        }
        seen.push(*d);
        let logical = origin.address.rsplit(':').next().unwrap_or(&origin.address);
        sink.report(
            rule.destination.bucket.loc(),
            format!(
                "destination bucket `{logical}` is in the same template but named by a literal ARN, and the source bucket has no DependsOn on it: CloudFormation may create the source bucket first, and S3 then rejects the replication configuration because the destination does not exist yet"
            ),
        )
        .label("literal ARN of a bucket in this template")
        .related(&origin.header, "destination bucket declared here")
        .help(format!(
            "write `!GetAtt {logical}.Arn`, or add `DependsOn: {logical}` to the source bucket"
        ))
        .resource(config.origin.address.as_str());
    }
}

impl Rule for VerOrderDependency {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, sink: &mut Sink<'_>) {
        let g = cx.graph;
        for view in &g.replications {
            let config = &g.model.replications[view.index];
            // A state or a plan without its configuration shows no dependencies at all.
            let unknown_dependencies =
                config.origin.format == Format::Plan && config.depends_on.is_empty();
            if config.origin.format == Format::CloudFormation {
                literal_same_stack_destinations(g, view, config, sink);
                continue;
            }
            if !config.origin.format.is_terraform() || unknown_dependencies {
                continue;
            }
            let mut buckets: Vec<(usize, &Value<String>)> = Vec::new();
            if let Link::Found(s) = view.source {
                buckets.push((s, &config.source));
            }
            for rv in &view.rules {
                let Some(rule) = config.rules.get(rv.index) else {
                    continue;
                };
                if let Link::Found(d) = rv.destination
                    && !buckets.iter().any(|(b, _)| *b == d)
                {
                    buckets.push((d, &rule.destination.bucket));
                }
            }
            let mut missing = Vec::new();
            for (index, named_by) in buckets {
                let b = &g.buckets[index];
                let origin = b.versioning.origin;
                // Object Lock keeps a bucket versioned from its creation on: nothing to wait for.
                if b.versioning.value.is_absent()
                    || std::ptr::eq(origin, &b.bucket.origin)
                    || b.object_lock.value.is_true()
                {
                    continue;
                }
                let Some(settings) = b
                    .settings_resources
                    .iter()
                    .map(|&i| &g.model.bucket_settings[i])
                    .find(|s| std::ptr::eq(&s.origin, origin))
                else {
                    continue;
                };
                // A plan that keeps versioning that was already on does not race with it.
                let already_enabled = settings
                    .settings
                    .change
                    .is_some_and(crate::model::ChangeActions::keeps_resource)
                    && matches!(
                        settings.settings.versioning_before,
                        Value::Known(crate::model::Versioning::Enabled, _)
                    );
                if already_enabled {
                    continue;
                }
                // Only a resource of the same configuration can be waited for: the same plan, or
                // sources where both refer to the bucket resource.
                // Only the same module instance: across modules the fix is a `depends_on` on
                // the module call, which the inputs do not always show.
                let same_configuration = origin.format == config.origin.format
                    && module_of(&origin.address) == module_of(&config.origin.address)
                    && (origin.file == config.origin.file
                        || (config.origin.format == Format::Terraform
                            && by_reference(&settings.bucket)
                            && by_reference(named_by)));
                if !same_configuration || waits_for(config, &origin.address) {
                    continue;
                }
                missing.push((unindexed(&origin.address), b.versioning.loc()));
            }
            if missing.is_empty() {
                continue;
            }
            let names: Vec<&str> = missing.iter().map(|(a, _)| a.as_str()).collect();
            let mut finding = sink
                .report(
                    &config.origin.header,
                    format!(
                        "`{}` does not depend on {}: Terraform may create it before versioning is enabled, and S3 then rejects it",
                        config.origin.address,
                        names
                            .iter()
                            .map(|n| format!("`{n}`"))
                            .collect::<Vec<_>>()
                            .join(" and ")
                    ),
                )
                .label("may be created before versioning is enabled")
                .help(format!("add:\n  depends_on = [{}]", names.join(", ")))
                .resource(config.origin.address.as_str());
            for (_, loc) in &missing {
                finding = finding.related(loc, "versioning enabled here");
            }
        }
    }
}
