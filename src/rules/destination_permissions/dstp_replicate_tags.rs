use crate::rules::grants;
use crate::rules::prelude::*;

declare_rule! {
    /// The replication role may not replicate object tags.
    ///
    /// ## What goes wrong
    /// AWS documents disagree: one passage says `s3:ReplicateObject` also covers tags, another
    /// (and the cross-account Knowledge Center article) that tags replicate only with
    /// `s3:ReplicateTags`. Hence a warning: grant it to be safe.
    ///
    /// ## How to fix
    /// Add `s3:ReplicateTags` on `arn:aws:s3:::DST/*` to the role's policy.
    ///
    /// ## Sources
    /// S3 User Guide, "Setting up permissions for live replication"; AWS Knowledge Center,
    /// cross-account replication troubleshooting; catalogue §7.
    pub DstpReplicateTags { id: "dstp-replicate-tags", code: "F3", group: "destination-permissions", severity: Warning }
}

impl Rule for DstpReplicateTags {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, sink: &mut Sink<'_>) {
        grants::report_identity(
            cx,
            sink,
            &["s3:ReplicateTags"],
            "object tags may not be replicated",
        );
    }
}
