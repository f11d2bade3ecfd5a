use crate::rules::access::Side;
use crate::rules::coverage;
use crate::rules::prelude::*;

declare_rule! {
    /// The role may read source objects only under other key prefixes than a replication rule selects.
    ///
    /// ## What goes wrong
    /// The role's object grants are prefix-scoped (`arn:aws:s3:::SRC/key-prefix1*`) and do not
    /// cover the prefix of an active rule, so the objects that rule selects cannot be read:
    /// `SrcGetObjectNotPermitted` / `SrcGetAclNotPermitted`. S3 ARNs are case-sensitive: `tax/*`
    /// does not cover `Tax/`. (When the role has no object grant on the source at all,
    /// `srcp-object-read` reports it instead.)
    ///
    /// ## How to fix
    /// Widen the Resource to cover every active rule's prefix (`arn:aws:s3:::SRC/*`, or one item
    /// per rule prefix).
    ///
    /// ## Example
    /// Terraform, failing:
    /// ```hcl
    /// # rule { filter { prefix = "reports/" } ... }
    /// statement {
    ///   actions   = ["s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl"]
    ///   resources = ["${aws_s3_bucket.src.arn}/logs/*"]
    /// }
    /// ```
    /// Terraform, fixed:
    /// ```hcl
    /// statement {
    ///   actions   = ["s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl"]
    ///   resources = ["${aws_s3_bucket.src.arn}/reports/*"]
    /// }
    /// ```
    /// CloudFormation, failing:
    /// ```yaml
    /// # Rules: [{Prefix: reports/, ...}]
    /// - Effect: Allow
    ///   Action: [s3:GetObjectVersionForReplication, s3:GetObjectVersionAcl]
    ///   Resource: !Sub "${Src.Arn}/logs/*"
    /// ```
    /// CloudFormation, fixed:
    /// ```yaml
    /// - Effect: Allow
    ///   Action: [s3:GetObjectVersionForReplication, s3:GetObjectVersionAcl]
    ///   Resource: !Sub "${Src.Arn}/reports/*"
    /// ```
    ///
    /// ## Sources
    /// S3 User Guide, "Replicating encrypted objects" (example policies scoped to
    /// `key-prefix1*`); IAM User Guide, "IAM JSON policy elements: Resource" (case-sensitive
    /// matching).
    pub SrcpPrefixCoverage { id: "srcp-prefix-coverage", code: "E5", group: "source-permissions", severity: Error }
}

impl Rule for SrcpPrefixCoverage {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, sink: &mut Sink<'_>) {
        coverage::report_prefix_gaps(
            cx,
            sink,
            Side::SourceObjects,
            "those objects cannot be read for replication (SrcGetObjectNotPermitted)",
        );
    }
}
