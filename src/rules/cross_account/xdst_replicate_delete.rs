use crate::rules::prelude::*;

declare_rule! {
    /// The cross-account destination bucket policy does not let the role replicate delete markers.
    ///
    /// ## What goes wrong
    /// With delete marker replication (or a V1 rule), "the destination bucket owner must also grant this permission through the bucket policy": `s3:ReplicateDelete` on the destination objects.
    ///
    /// ## How to fix
    /// Add `s3:ReplicateDelete` for the replication role (its ARN, or the source account) on
    /// `arn:aws:s3:::DST/*` to the destination bucket policy.
    ///
    /// ## Sources
    /// S3 User Guide, "Setting up permissions for live replication"; AWS Knowledge Center,
    /// "Why aren't my Amazon S3 objects replicating" and cross-account troubleshooting.
    pub XdstReplicateDelete { id: "xdst-replicate-delete", code: "G3", group: "cross-account", severity: Error }
}

impl Rule for XdstReplicateDelete {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, sink: &mut Sink<'_>) {
        super::report_policy_gap(
            cx,
            sink,
            "s3:ReplicateDelete",
            "delete markers are denied in the destination account",
        );
    }
}
