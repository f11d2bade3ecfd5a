use crate::rules::prelude::*;

declare_rule! {
    /// The owner override names an owner other than `Destination`.
    ///
    /// ## What goes wrong
    /// `AccessControlTranslation.Owner` has exactly one valid value, `Destination` (the
    /// CloudFormation schema declares it as a constant). Any other value makes S3 reject
    /// `PutBucketReplication` with a `MalformedXML`/`InvalidArgument` error, so no rule of the
    /// configuration replicates.
    ///
    /// ## How to fix
    /// Write `owner = "Destination"` (Terraform) or `Owner: Destination` (CloudFormation), or drop
    /// the owner override when the destination bucket uses `BucketOwnerEnforced`
    /// (see `own-enforced-with-act`).
    ///
    /// ## Example
    /// Terraform, failing:
    /// ```hcl
    /// destination {
    ///   bucket  = aws_s3_bucket.dst.arn
    ///   account = "222222222222"
    ///   access_control_translation {
    ///     owner = "BucketOwner"
    ///   }
    /// }
    /// ```
    /// Terraform, fixed:
    /// ```hcl
    /// destination {
    ///   bucket  = aws_s3_bucket.dst.arn
    ///   account = "222222222222"
    ///   access_control_translation {
    ///     owner = "Destination"
    ///   }
    /// }
    /// ```
    /// CloudFormation, failing:
    /// ```yaml
    /// Destination:
    ///   Bucket: arn:aws:s3:::dst-bucket
    ///   Account: "222222222222"
    ///   AccessControlTranslation:
    ///     Owner: BucketOwner
    /// ```
    /// CloudFormation, fixed:
    /// ```yaml
    /// Destination:
    ///   Bucket: arn:aws:s3:::dst-bucket
    ///   Account: "222222222222"
    ///   AccessControlTranslation:
    ///     Owner: Destination
    /// ```
    ///
    /// ## Sources
    /// CloudFormation `AccessControlTranslation` (`Owner` is the constant `Destination`);
    /// Terraform `aws_s3_bucket_replication_configuration` (`access_control_translation.owner`).
    pub OwnActOwnerValue { id: "own-act-owner-value", code: "H2", group: "ownership", severity: Error }
}

impl Rule for OwnActOwnerValue {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, sink: &mut Sink<'_>) {
        for r in cx.graph.each_rule() {
            let owner = &r.rule.destination.owner_override;
            let Some(value) = owner.as_str() else {
                continue;
            };
            if value == "Destination" {
                continue;
            }
            sink.report(
                owner.loc(),
                format!(
                    "{} sets the replica owner to `{value}`; the only valid value is `Destination`",
                    r.label()
                ),
            )
            .label("must be \"Destination\"")
            .help("write `owner = \"Destination\"` (Terraform) or `Owner: Destination` (CloudFormation)")
            .resource(r.address())
            .discriminator(r.key());
        }
    }
}
