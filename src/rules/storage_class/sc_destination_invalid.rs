use crate::rules::prelude::*;

/// The storage classes a replication destination accepts on general purpose buckets.
pub const VALID: &[&str] = &[
    "STANDARD",
    "REDUCED_REDUNDANCY",
    "STANDARD_IA",
    "ONEZONE_IA",
    "INTELLIGENT_TIERING",
    "GLACIER",
    "DEEP_ARCHIVE",
    "GLACIER_IR",
];

declare_rule! {
    /// The destination storage class is not one replication accepts.
    ///
    /// ## What goes wrong
    /// A replication destination's `StorageClass` must be one of `STANDARD`,
    /// `REDUCED_REDUNDANCY`, `STANDARD_IA`, `ONEZONE_IA`, `INTELLIGENT_TIERING`, `GLACIER`,
    /// `DEEP_ARCHIVE` or `GLACIER_IR`. Values that some schemas accept, such as `OUTPOSTS`,
    /// `SNOW` or `EXPRESS_ONEZONE`, or a misspelling such as `STANDARD-IA`, are rejected for
    /// general purpose buckets (`InvalidStorageClass` / `MalformedXML`).
    ///
    /// ## How to fix
    /// Use one of the valid values, or omit the storage class to keep the source object's class.
    ///
    /// ## Example
    /// Terraform, failing:
    /// ```hcl
    /// destination {
    ///   bucket        = aws_s3_bucket.dst.arn
    ///   storage_class = "EXPRESS_ONEZONE"
    /// }
    /// ```
    /// Terraform, fixed:
    /// ```hcl
    /// destination {
    ///   bucket        = aws_s3_bucket.dst.arn
    ///   storage_class = "ONEZONE_IA"
    /// }
    /// ```
    /// CloudFormation, failing:
    /// ```yaml
    /// Destination:
    ///   Bucket: !GetAtt Dst.Arn
    ///   StorageClass: STANDARD-IA
    /// ```
    /// CloudFormation, fixed:
    /// ```yaml
    /// Destination:
    ///   Bucket: !GetAtt Dst.Arn
    ///   StorageClass: STANDARD_IA
    /// ```
    ///
    /// ## Sources
    /// CloudFormation `AWS::S3::Bucket ReplicationDestination.StorageClass` (allowed values);
    /// S3 API Reference, `Destination`; S3 User Guide, "Using Amazon S3 storage classes".
    pub ScDestinationInvalid { id: "sc-destination-invalid", code: "R1", group: "storage-class", severity: Error }
}

impl Rule for ScDestinationInvalid {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, sink: &mut Sink<'_>) {
        for r in cx.graph.each_rule() {
            let class = &r.rule.destination.storage_class;
            let Some(text) = class.as_str() else { continue };
            if VALID.contains(&text) {
                continue;
            }
            let suggestion = VALID
                .iter()
                .find(|v| v.eq_ignore_ascii_case(&text.replace('-', "_")))
                .map(|v| format!("write `{v}`"))
                .unwrap_or_else(|| format!("use one of {}", VALID.join(", ")));
            sink.report(
                class.loc(),
                format!(
                    "{} replicates into storage class `{text}`, which replication does not accept for general purpose buckets",
                    r.label()
                ),
            )
            .label("not a valid replication storage class")
            .help(format!("{suggestion}, or omit the storage class to keep the source object's class"))
            .resource(r.address())
            .discriminator(r.key());
        }
    }
}
