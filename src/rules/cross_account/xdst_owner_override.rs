use crate::rules::prelude::*;

declare_rule! {
    /// The cross-account destination bucket policy does not allow changing the replica owner.
    ///
    /// ## What goes wrong
    /// With access control translation, the destination owner must grant `s3:ObjectOwnerOverrideToBucketOwner` on the destination objects to the role (or the source account id) in the bucket policy.
    ///
    /// ## How to fix
    /// Add `s3:ObjectOwnerOverrideToBucketOwner` for the replication role (its ARN, or the source account) on
    /// `arn:aws:s3:::DST/*` to the destination bucket policy.
    ///
    /// ## Sources
    /// S3 User Guide, "Setting up permissions for live replication"; AWS Knowledge Center,
    /// "Why aren't my Amazon S3 objects replicating" and cross-account troubleshooting.
    pub XdstOwnerOverride { id: "xdst-owner-override", code: "G5", group: "cross-account", severity: Error }
}

impl Rule for XdstOwnerOverride {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, sink: &mut Sink<'_>) {
        super::report_policy_gap(
            cx,
            sink,
            "s3:ObjectOwnerOverrideToBucketOwner",
            "the replica owner cannot be changed in the destination account",
        );
    }
}
