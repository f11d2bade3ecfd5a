use crate::rules::prelude::*;

declare_rule! {
    /// A replication rule stores replicas in another storage class than the organization requires.
    ///
    /// ## What goes wrong
    /// Without `storage_class`, replicas keep the source object's class; `.repl-lint.toml` sets
    /// `[standards] require-storage-class` to the class replicas must use (cost, retrieval time).
    ///
    /// ## How to fix
    /// ```hcl
    /// destination { storage_class = "STANDARD_IA" }
    /// ```
    ///
    /// ## Example
    /// With this `.repl-lint.toml`:
    /// ```toml
    /// [standards]
    /// require-storage-class = "STANDARD_IA"
    /// ```
    /// Terraform, failing:
    /// ```hcl
    /// destination {
    ///   bucket = aws_s3_bucket.dst.arn
    ///   # no storage_class: replicas keep the source object's class
    /// }
    /// ```
    /// Terraform, fixed:
    /// ```hcl
    /// destination {
    ///   bucket        = aws_s3_bucket.dst.arn
    ///   storage_class = "STANDARD_IA"
    /// }
    /// ```
    /// CloudFormation, failing:
    /// ```yaml
    /// Destination:
    ///   Bucket: !GetAtt ReplicaBucket.Arn
    ///   StorageClass: STANDARD
    /// ```
    /// CloudFormation, fixed:
    /// ```yaml
    /// Destination:
    ///   Bucket: !GetAtt ReplicaBucket.Arn
    ///   StorageClass: STANDARD_IA
    /// ```
    ///
    /// ## Sources
    /// S3 API Reference, `Destination.StorageClass`.
    pub StdRequireStorageClass { id: "std-require-storage-class", code: "STD6", group: "standards", severity: Error }
}

impl Rule for StdRequireStorageClass {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, sink: &mut Sink<'_>) {
        let Some(required) = &cx.config.standards.require_storage_class else {
            return;
        };
        for r in cx.graph.each_rule().filter(|r| r.is_active()) {
            let class = &r.rule.destination.storage_class;
            let message = match cx.graph.resolver.resolve(class) {
                Resolved::Known(c) if c.eq_ignore_ascii_case(required) => continue,
                Resolved::Known(c) if crate::graph::atoms::contains_atoms(&c) => {
                    sink.cannot_verify(
                        class.loc(),
                        format!("the storage class of {}", r.label()),
                        "",
                    )
                    .resource(r.address())
                    .discriminator(r.key());
                    continue;
                }
                Resolved::Known(c) => {
                    format!("{} stores replicas as {c}, not {required}", r.label())
                }
                Resolved::Unknown(_) => {
                    sink.cannot_verify(
                        class.loc(),
                        format!("the storage class of {}", r.label()),
                        "",
                    )
                    .resource(r.address())
                    .discriminator(r.key());
                    continue;
                }
                Resolved::Absent => format!(
                    "{} keeps the source storage class instead of {required}",
                    r.label()
                ),
            };
            sink.report(&super::at(&r, class), message)
                .label(super::by(cx))
                .help(format!("set `storage_class = \"{required}\"` in `destination` (CloudFormation: `StorageClass: {required}`)"))
                .resource(r.address())
                .discriminator(r.key());
        }
    }
}
