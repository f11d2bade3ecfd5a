use crate::rules::grants;
use crate::rules::prelude::*;

declare_rule! {
    /// The rule changes the replica owner but the role may not.
    ///
    /// ## What goes wrong
    /// With access control translation (owner `Destination`), S3 needs
    /// `s3:ObjectOwnerOverrideToBucketOwner` on the destination **object** ARN; otherwise replicas
    /// fail with `DstPutObjectNotPermitted`.
    ///
    /// ## How to fix
    /// Add `s3:ObjectOwnerOverrideToBucketOwner` on `arn:aws:s3:::DST/*` to the role's policy (and,
    /// cross-account, to the destination bucket policy).
    ///
    /// ## Sources
    /// S3 User Guide, "Changing the replica owner"; "Troubleshooting replication".
    pub DstpOwnerOverride { id: "dstp-owner-override", code: "F4", group: "destination-permissions", severity: Error }
}

impl Rule for DstpOwnerOverride {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, sink: &mut Sink<'_>) {
        grants::report_identity(
            cx,
            sink,
            &["s3:ObjectOwnerOverrideToBucketOwner"],
            "the replica owner cannot be changed (DstPutObjectNotPermitted)",
        );
    }
}
