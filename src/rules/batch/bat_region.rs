use crate::rules::prelude::*;

declare_rule! {
    /// The Batch Replication job is not created in the source bucket's Region.
    ///
    /// ## What goes wrong
    /// A Batch Replication job must be created in the source bucket's Region, and a generated
    /// manifest must be stored in a bucket of that Region; otherwise tasks fail with
    /// `SrcBucketInvalidRegion` or `DstBucketInvalidRegion`.
    ///
    /// Batch Operations jobs are created by API calls (console, `s3control create-job`); neither
    /// Terraform nor CloudFormation can declare one, so the input never states what this rule
    /// needs. repl-lint reports nothing for it; the rule documents the requirement.
    ///
    /// ## How to fix
    /// Create the job in the source bucket's Region, and store generated manifests in a bucket of
    /// that Region.
    ///
    /// ## Example
    /// Terraform cannot declare a Batch Operations job; this rule reports nothing for Terraform.
    ///
    /// CloudFormation cannot declare a Batch Operations job; this rule reports nothing for
    /// templates.
    ///
    /// ## Sources
    /// S3 User Guide, "Replicating existing objects with Batch Replication"; "Batch Replication for
    /// existing replication rules"; replication failure reasons.
    pub BatRegion { id: "bat-region", code: "O7", group: "batch", severity: Error }
}

impl Rule for BatRegion {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    /// What this rule needs lives only in the job request; see the docs.
    fn check(&self, _cx: &Context<'_>, _sink: &mut Sink<'_>) {}
}
