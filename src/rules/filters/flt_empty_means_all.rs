use crate::rules::prelude::*;

declare_rule! {
    /// A prefix that a variable or module argument leaves empty selects every object.
    ///
    /// ## What goes wrong
    /// Nothing is rejected. An empty prefix, like an empty filter, applies the rule to every
    /// object of the bucket. Written in place (`filter {}`, `prefix = ""`, `Prefix: ""`) that
    /// is the usual way to say "everything" and is not reported. When the empty value comes
    /// from a variable default, a local or a module argument, it is often a prefix that was
    /// meant to narrow the rule and was never set; repl-lint reports those. CloudFormation
    /// parameters and plans do not show where a value came from, so this rule reports
    /// Terraform sources only.
    ///
    /// ## How to fix
    /// Set the intended prefix, or write `filter {}` when every object is meant.
    ///
    /// ## Example
    /// Terraform, reported:
    /// ```hcl
    /// variable "prefix" {
    ///   default = ""
    /// }
    /// # in the rule
    /// filter {
    ///   prefix = var.prefix
    /// }
    /// ```
    /// Terraform, explicit:
    /// ```hcl
    /// filter {}
    /// ```
    /// CloudFormation templates do not show whether a prefix came from a parameter; this rule
    /// reports nothing for templates.
    ///
    /// ## Sources
    /// S3 User Guide, "Replication configuration file elements"; Terraform
    /// `aws_s3_bucket_replication_configuration` (`filter {}`).
    pub FltEmptyMeansAll { id: "flt-empty-means-all", code: "J12", group: "filters", severity: Info }
}

impl Rule for FltEmptyMeansAll {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, sink: &mut Sink<'_>) {
        for r in cx.graph.each_rule() {
            if !r.is_active() || r.rule.filter.as_ref().is_some_and(|f| !f.tags.is_empty()) {
                continue;
            }
            let prefix = super::written_prefix(r.rule);
            let Some(origin) = &r.rule.prefix_origin else {
                continue;
            };
            if prefix.as_str() != Some("") {
                continue;
            }
            sink.report(
                prefix.loc(),
                format!("the prefix of {} is left empty by a variable or argument: the rule replicates every object of the bucket", r.label()),
            )
            .label("empty prefix selects all objects")
            .related(origin, "the empty value is set here")
            .help("set the intended prefix, or write `filter {}` when every object is meant")
            .resource(r.address())
            .discriminator(r.key());
        }
    }
}
