use crate::rules::prelude::*;

declare_rule! {
    /// A tag-based rule replicates only objects that carry the tags when they are written.
    ///
    /// ## What goes wrong
    /// Nothing is rejected. Replication decides when the object is created: only objects whose
    /// `PutObject` (or multipart upload) already carries the tags are replicated. Tagging an
    /// object later does not replicate it, and objects that existed before the rule are not
    /// replicated either.
    ///
    /// ## How to fix
    /// Tag objects in the upload request; replicate objects tagged later with S3 Batch
    /// Replication.
    ///
    /// ## Example
    /// Terraform, reported:
    /// ```hcl
    /// filter {
    ///   tag {
    ///     key   = "replicate"
    ///     value = "true"
    ///   }
    /// }
    /// ```
    /// Terraform: there is no configuration fix; upload objects with `x-amz-tagging`.
    /// CloudFormation, reported:
    /// ```yaml
    /// Filter:
    ///   TagFilter: {Key: replicate, Value: "true"}
    /// ```
    /// CloudFormation: there is no configuration fix; upload objects with `x-amz-tagging`.
    ///
    /// ## Sources
    /// S3 User Guide, "Replication configuration file elements"; "Troubleshooting replication".
    pub FltTagsAtCreate { id: "flt-tags-at-create", code: "J6", group: "filters", severity: Info }
}

impl Rule for FltTagsAtCreate {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, sink: &mut Sink<'_>) {
        for r in cx.graph.each_rule() {
            let Some(filter) = &r.rule.filter else {
                continue;
            };
            let Some(tag) = filter.tags.first() else {
                continue;
            };
            if !r.is_active() {
                continue;
            }
            sink.report(
                &tag.loc,
                format!(
                    "{} filters by tag: only objects uploaded with the tags are replicated; tagging an object later does not replicate it",
                    r.label()
                ),
            )
            .label("tags must be set at upload")
            .help("tag objects in the upload request; replicate objects tagged later with S3 Batch Replication")
            .resource(r.address())
            .discriminator(r.key());
        }
    }
}
