use crate::rules::access::Side;
use crate::rules::coverage;
use crate::rules::prelude::*;

declare_rule! {
    /// The role may write replicas only under other key prefixes than a replication rule selects.
    ///
    /// ## What goes wrong
    /// The role's `s3:Replicate*` grants on the destination are prefix-scoped
    /// (`arn:aws:s3:::DST/key-prefix1*`) and do not cover the prefix of an active rule: replicas
    /// of that rule fail with `DstPutObjectNotPermitted` (and deletes with
    /// `DstDelObjNotPermitted`). S3 ARNs are case-sensitive. (When the role has no grant on the
    /// destination objects at all, `dstp-replicate-object` and its siblings report it instead.)
    ///
    /// ## How to fix
    /// Widen the Resource to cover every active rule's prefix on the destination.
    ///
    /// ## Example
    /// Terraform, failing:
    /// ```hcl
    /// # rule { filter { prefix = "reports/" } ... }
    /// statement {
    ///   actions   = ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"]
    ///   resources = ["${aws_s3_bucket.dst.arn}/logs/*"]
    /// }
    /// ```
    /// Terraform, fixed:
    /// ```hcl
    /// statement {
    ///   actions   = ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"]
    ///   resources = ["${aws_s3_bucket.dst.arn}/reports/*"]
    /// }
    /// ```
    /// CloudFormation, failing:
    /// ```yaml
    /// - Effect: Allow
    ///   Action: [s3:ReplicateObject, s3:ReplicateDelete, s3:ReplicateTags]
    ///   Resource: !Sub "${Dst.Arn}/logs/*"
    /// ```
    /// CloudFormation, fixed:
    /// ```yaml
    /// - Effect: Allow
    ///   Action: [s3:ReplicateObject, s3:ReplicateDelete, s3:ReplicateTags]
    ///   Resource: !Sub "${Dst.Arn}/reports/*"
    /// ```
    ///
    /// ## Sources
    /// S3 User Guide, "Replicating encrypted objects" (example policies scoped to
    /// `key-prefix1*`).
    pub DstpPrefixCoverage { id: "dstp-prefix-coverage", code: "F6", group: "destination-permissions", severity: Error }
}

impl Rule for DstpPrefixCoverage {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, sink: &mut Sink<'_>) {
        coverage::report_prefix_gaps(
            cx,
            sink,
            Side::DestinationObjects,
            "replicas under it are denied (DstPutObjectNotPermitted)",
        );
    }
}
