use crate::rules::prelude::*;

declare_rule! {
    /// The cross-account destination bucket policy does not let the role replicate tags.
    ///
    /// ## What goes wrong
    /// AWS sources disagree on whether `s3:ReplicateTags` is needed (see `dstp-replicate-tags`); AWS's cross-account guidance grants it in the destination bucket policy. An explicit Deny of ReplicateTags is the documented way to refuse tags.
    ///
    /// ## How to fix
    /// Add `s3:ReplicateTags` for the replication role (its ARN, or the source account) on
    /// `arn:aws:s3:::DST/*` to the destination bucket policy.
    ///
    /// ## Sources
    /// S3 User Guide, "Setting up permissions for live replication"; AWS Knowledge Center,
    /// "Why aren't my Amazon S3 objects replicating" and cross-account troubleshooting.
    pub XdstReplicateTags { id: "xdst-replicate-tags", code: "G4", group: "cross-account", severity: Warning }
}

impl Rule for XdstReplicateTags {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, sink: &mut Sink<'_>) {
        super::report_policy_gap(
            cx,
            sink,
            "s3:ReplicateTags",
            "object tags may not be replicated",
        );
    }
}
