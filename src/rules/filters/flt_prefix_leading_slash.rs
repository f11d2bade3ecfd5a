use crate::rules::prelude::*;

declare_rule! {
    /// A replication prefix starts with `/`.
    ///
    /// ## What goes wrong
    /// Object keys rarely start with `/`: the console and the SDKs write `Tax/2024.pdf`, not
    /// `/Tax/2024.pdf`. A rule whose prefix is `/Tax/` matches nothing and replicates nothing,
    /// silently; Batch Replication on such a rule reports "Manifest generation found no keys".
    ///
    /// ## How to fix
    /// Drop the leading slash: `Tax/`.
    ///
    /// ## Example
    /// Terraform, failing:
    /// ```hcl
    /// filter {
    ///   prefix = "/Tax/"
    /// }
    /// ```
    /// Terraform, fixed:
    /// ```hcl
    /// filter {
    ///   prefix = "Tax/"
    /// }
    /// ```
    /// CloudFormation, failing:
    /// ```yaml
    /// Filter:
    ///   Prefix: /Tax/
    /// ```
    /// CloudFormation, fixed:
    /// ```yaml
    /// Filter:
    ///   Prefix: Tax/
    /// ```
    ///
    /// ## Sources
    /// S3 User Guide, "Troubleshooting replication" (Batch Replication errors: "Manifest
    /// generation found no keys matching the filter criteria", `/Tax/` vs `Tax/`).
    pub FltPrefixLeadingSlash { id: "flt-prefix-leading-slash", code: "J4", group: "filters", severity: Warning }
}

impl Rule for FltPrefixLeadingSlash {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, sink: &mut Sink<'_>) {
        for r in cx.graph.each_rule() {
            let prefix = super::written_prefix(r.rule);
            let Some(text) = prefix.as_str().filter(|p| p.starts_with('/')) else {
                continue;
            };
            let fixed = text.trim_start_matches('/');
            sink.report(
                prefix.loc(),
                format!(
                    "the prefix `{text}` of {} starts with `/`: object keys rarely do, so the rule probably matches nothing",
                    r.label()
                ),
            )
            .label("leading slash")
            .help(format!("write the prefix without the leading slash: \"{fixed}\""))
            .resource(r.address())
            .discriminator(r.key());
        }
    }
}
