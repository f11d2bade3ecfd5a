use crate::rules::prelude::*;

declare_rule! {
    /// The Batch Replication job role cannot write its completion report or saved manifest.
    ///
    /// ## What goes wrong
    /// A job with a completion report (or that saves its generated manifest) needs `s3:PutObject`
    /// on `arn:aws:s3:::REPORT_BUCKET/*` (and on the manifest bucket). Otherwise the job fails with
    /// "The job report could not be written to your report bucket".
    ///
    /// Batch Operations jobs are created by API calls (console, `s3control create-job`); neither
    /// Terraform nor CloudFormation can declare one, so the input never states what this rule
    /// needs. repl-lint reports nothing for it; the rule documents the requirement.
    ///
    /// ## How to fix
    /// Grant the job role `s3:PutObject` on the report bucket's objects (and on the manifest
    /// bucket when saving a generated manifest).
    ///
    /// ## Example
    /// Terraform cannot declare a Batch Operations job; this rule reports nothing for Terraform.
    ///
    /// CloudFormation cannot declare a Batch Operations job; this rule reports nothing for
    /// templates.
    ///
    /// ## Sources
    /// S3 User Guide, "Configuring an IAM role for S3 Batch Replication"; "Troubleshooting
    /// replication".
    pub BatReportWrite { id: "bat-report-write", code: "O6", group: "batch", severity: Error }
}

impl Rule for BatReportWrite {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    /// What this rule needs lives only in the job request; see the docs.
    fn check(&self, _cx: &Context<'_>, _sink: &mut Sink<'_>) {}
}
