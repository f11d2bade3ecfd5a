use crate::rules::prelude::*;

declare_rule! {
    /// The Batch Replication job role cannot read a user-supplied manifest.
    ///
    /// ## What goes wrong
    /// With a CSV or S3 Inventory manifest (or a saved generated manifest), the job role needs
    /// `s3:GetObject` and `s3:GetObjectVersion` on the manifest objects
    /// (`arn:aws:s3:::MANIFEST_BUCKET/*`), and `kms:Decrypt` and `kms:GenerateDataKey` when the
    /// manifest is KMS-encrypted. Without them the job fails before replicating anything.
    ///
    /// Batch Operations jobs are created by API calls (console, `s3control create-job`); neither
    /// Terraform nor CloudFormation can declare one, so the input never states what this rule
    /// needs. repl-lint reports nothing for it; the rule documents the requirement.
    ///
    /// ## How to fix
    /// Grant the job role `s3:GetObject` and `s3:GetObjectVersion` on the manifest objects, and
    /// the KMS actions on the manifest's key when it is encrypted.
    ///
    /// ## Example
    /// Terraform cannot declare a Batch Operations job; this rule reports nothing for Terraform.
    ///
    /// CloudFormation cannot declare a Batch Operations job; this rule reports nothing for
    /// templates.
    ///
    /// ## Sources
    /// S3 User Guide, "Configuring an IAM role for S3 Batch Replication"; "Granting permissions
    /// for Batch Operations".
    pub BatManifestRead { id: "bat-manifest-read", code: "O5", group: "batch", severity: Error }
}

impl Rule for BatManifestRead {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    /// What this rule needs lives only in the job request; see the docs.
    fn check(&self, _cx: &Context<'_>, _sink: &mut Sink<'_>) {}
}
