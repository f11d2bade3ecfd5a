use crate::rules::prelude::*;

declare_rule! {
    /// A prefix written as an empty string selects every object.
    ///
    /// ## What goes wrong
    /// Nothing is rejected. An empty prefix (`prefix = ""`, `Prefix: ""`), like an empty filter,
    /// applies the rule to every object of the bucket. That is right for "replicate everything",
    /// but an empty string often comes from a variable or parameter that was meant to narrow the
    /// rule. `filter {}` is Terraform's documented way to say "no filter" in V2; an empty filter
    /// written that way is not reported. Plans show an omitted and an empty prefix alike, so
    /// this rule reports Terraform sources and templates only.
    ///
    /// ## How to fix
    /// To replicate everything, keep it (in Terraform, `filter {}` says so without a prefix);
    /// otherwise set the intended prefix.
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
    /// CloudFormation, reported:
    /// ```yaml
    /// Filter:
    ///   Prefix: !Ref ReplicatedPrefix   # defaults to ""
    /// ```
    /// CloudFormation, explicit:
    /// ```yaml
    /// Filter:
    ///   Prefix: reports/
    /// ```
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
            if prefix.as_str() != Some("") {
                continue;
            }
            sink.report(
                prefix.loc(),
                format!("the prefix of {} is empty: the rule replicates every object of the bucket", r.label()),
            )
            .label("empty prefix selects all objects")
            .help("if every object is meant, keep it (Terraform can say so with `filter {}`); otherwise set the intended prefix")
            .resource(r.address())
            .discriminator(r.key());
        }
    }
}
