use crate::rules::prelude::*;

declare_rule! {
    /// A prefix without a trailing `/` also matches sibling "folders".
    ///
    /// ## What goes wrong
    /// Nothing is rejected. A prefix is a plain string match: `Tax` matches `Tax/2024.pdf` but
    /// also `Taxes/…` and `TaxArchive.zip`, so the rule may replicate more than the folder it
    /// names. repl-lint reports prefixes that end in a letter or digit.
    ///
    /// ## How to fix
    /// To select a folder, end the prefix with `/`: `Tax/`. Keep it as is when the partial
    /// match is intended.
    ///
    /// ## Example
    /// Terraform, reported:
    /// ```hcl
    /// filter {
    ///   prefix = "Tax"
    /// }
    /// ```
    /// Terraform, a folder:
    /// ```hcl
    /// filter {
    ///   prefix = "Tax/"
    /// }
    /// ```
    /// CloudFormation, reported:
    /// ```yaml
    /// Filter:
    ///   Prefix: Tax
    /// ```
    /// CloudFormation, a folder:
    /// ```yaml
    /// Filter:
    ///   Prefix: Tax/
    /// ```
    ///
    /// ## Sources
    /// S3 User Guide, "Configuring replication for buckets in the same account" (console note
    /// on prefixes); "Troubleshooting replication".
    pub FltPrefixFolder { id: "flt-prefix-folder", code: "J5", group: "filters", severity: Info }
}

impl Rule for FltPrefixFolder {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, sink: &mut Sink<'_>) {
        for r in cx.graph.each_rule() {
            let prefix = super::written_prefix(r.rule);
            let Some(text) = prefix.as_str() else {
                continue;
            };
            // A leading slash is flt-prefix-leading-slash's finding.
            if !r.is_active()
                || text.starts_with('/')
                || !text.ends_with(|c: char| c.is_ascii_alphanumeric())
            {
                continue;
            }
            sink.report(
                prefix.loc(),
                format!(
                    "the prefix `{text}` of {} has no trailing `/`: it also matches every key that merely starts with it (`{text}_old/...`, `{text}-archive.zip`)",
                    r.label()
                ),
            )
            .label("also matches sibling names")
            .help(format!("to select the folder only, write \"{text}/\""))
            .resource(r.address())
            .discriminator(r.key());
        }
    }
}
