use crate::rules::grants;
use crate::rules::prelude::*;

declare_rule! {
    /// The replication role may not decrypt source objects with the source bucket's KMS key.
    ///
    /// ## What goes wrong
    /// To replicate SSE-KMS objects S3 calls `kms:Decrypt` with the role on the source key (via
    /// `s3.SRC_REGION.amazonaws.com`, with the object ARN as encryption context). The identity
    /// policy must allow it on the key **ARN** (not an alias), and the key policy must allow it
    /// directly or by delegating to IAM.
    ///
    /// ## How to fix
    /// ```json
    /// {"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "arn:aws:kms:REGION:ACCOUNT:key/KEY-ID"}
    /// ```
    ///
    /// ## Sources
    /// S3 User Guide, "Replicating encrypted objects"; "Troubleshooting replication".
    pub KmsSrcDecrypt { id: "kms-src-decrypt", code: "K8", group: "kms", severity: Error }
}

impl Rule for KmsSrcDecrypt {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, sink: &mut Sink<'_>) {
        grants::report_identity(
            cx,
            sink,
            &["kms:Decrypt"],
            "SSE-KMS objects cannot be decrypted for replication",
        );
    }
}
