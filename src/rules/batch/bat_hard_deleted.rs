use crate::rules::prelude::*;

declare_rule! {
    /// Objects permanently deleted from the destination cannot be replicated again.
    ///
    /// ## What goes wrong
    /// When an object version was deleted from the destination by version ID, Batch Replication
    /// cannot replicate it again: the task fails with `DstObjectHardDeleted`. Which versions were
    /// deleted is only known at run time.
    ///
    /// Batch Operations jobs are created by API calls (console, `s3control create-job`); neither
    /// Terraform nor CloudFormation can declare one, so the input never states what this rule
    /// needs. repl-lint reports nothing for it; the rule documents the requirement.
    ///
    /// ## How to fix
    /// Copy such objects in place with Batch Operations Copy instead of Batch Replication.
    ///
    /// ## Example
    /// Terraform cannot declare a Batch Operations job; this rule reports nothing for Terraform.
    ///
    /// CloudFormation cannot declare a Batch Operations job; this rule reports nothing for
    /// templates.
    ///
    /// ## Sources
    /// S3 User Guide, "Replicating existing objects with Batch Replication"; "What does Amazon S3
    /// replicate?".
    pub BatHardDeleted { id: "bat-hard-deleted", code: "O12", group: "batch", severity: Info }
}

impl Rule for BatHardDeleted {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    /// What this rule needs lives only in the job request; see the docs.
    fn check(&self, _cx: &Context<'_>, _sink: &mut Sink<'_>) {}
}
