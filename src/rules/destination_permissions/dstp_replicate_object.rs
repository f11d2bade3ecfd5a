use crate::rules::grants;
use crate::rules::prelude::*;

declare_rule! {
    /// The replication role may not write replicas into the destination.
    ///
    /// ## What goes wrong
    /// S3 writes each replica with `s3:ReplicateObject` on destination **object** ARNs
    /// (`arn:aws:s3:::DST/*`). Without it every object fails with `DstPutObjectNotPermitted`.
    ///
    /// ## How to fix
    /// ```json
    /// {"Effect": "Allow", "Action": ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"], "Resource": "arn:aws:s3:::DST/*"}
    /// ```
    /// Cross-account, the destination bucket policy must grant the same actions to the role
    /// (`xdst-replicate-object`).
    ///
    /// ## Sources
    /// S3 User Guide, "Setting up permissions for live replication"; replication failure reasons.
    pub DstpReplicateObject { id: "dstp-replicate-object", code: "F1", group: "destination-permissions", severity: Error }
}

impl Rule for DstpReplicateObject {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, sink: &mut Sink<'_>) {
        grants::report_identity(
            cx,
            sink,
            &["s3:ReplicateObject"],
            "replicas cannot be written (DstPutObjectNotPermitted)",
        );
    }
}
