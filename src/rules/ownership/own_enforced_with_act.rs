use crate::rules::prelude::*;

declare_rule! {
    /// An owner override into a destination that already enforces bucket-owner ownership.
    ///
    /// ## What goes wrong
    /// Nothing breaks. With `BucketOwnerEnforced` on the destination, the destination account
    /// owns every replica by default, so the owner override is redundant ("you don't need …
    /// Change object ownership … This change occurs by default"). While it stays, the role still
    /// needs `s3:ObjectOwnerOverrideToBucketOwner` on the destination (`dstp-owner-override`,
    /// and `xdst-owner-override` in the destination bucket policy), or replication fails.
    ///
    /// ## How to fix
    /// Remove the access control translation, or keep it together with the
    /// `s3:ObjectOwnerOverrideToBucketOwner` grants.
    ///
    /// ## Example
    /// Terraform, reported:
    /// ```hcl
    /// resource "aws_s3_bucket_ownership_controls" "dst" {
    ///   bucket = aws_s3_bucket.dst.id
    ///   rule {
    ///     object_ownership = "BucketOwnerEnforced"
    ///   }
    /// }
    /// # in the replication rule
    /// destination {
    ///   bucket  = aws_s3_bucket.dst.arn
    ///   account = "222222222222"
    ///   access_control_translation {
    ///     owner = "Destination"
    ///   }
    /// }
    /// ```
    /// Terraform, fixed:
    /// ```hcl
    /// destination {
    ///   bucket = aws_s3_bucket.dst.arn
    /// }
    /// ```
    /// CloudFormation, reported:
    /// ```yaml
    /// Destination:
    ///   Bucket: !GetAtt Dst.Arn   # Dst has ObjectOwnership: BucketOwnerEnforced
    ///   Account: "222222222222"
    ///   AccessControlTranslation:
    ///     Owner: Destination
    /// ```
    /// CloudFormation, fixed:
    /// ```yaml
    /// Destination:
    ///   Bucket: !GetAtt Dst.Arn
    /// ```
    ///
    /// ## Sources
    /// SEED-000 (note on Object Ownership); S3 User Guide, "Troubleshooting replication";
    /// "Controlling ownership of objects and disabling ACLs".
    pub OwnEnforcedWithAct { id: "own-enforced-with-act", code: "H6", group: "ownership", severity: Info }
}

impl Rule for OwnEnforcedWithAct {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, sink: &mut Sink<'_>) {
        let g = cx.graph;
        for r in g.each_rule() {
            let owner = &r.rule.destination.owner_override;
            if owner.is_absent() {
                continue;
            }
            let Some(dst) = r.destination() else { continue };
            if !dst.ownership.value.is("BucketOwnerEnforced") {
                continue;
            }
            let name = g.bucket_text(dst);
            sink.report(
                owner.loc(),
                format!(
                    "{}: `{name}` enforces bucket-owner ownership, so the owner override is redundant",
                    r.label()
                ),
            )
            .label("redundant owner override")
            .related(dst.ownership.loc(), "BucketOwnerEnforced")
            .help("remove the access control translation, or keep the role's s3:ObjectOwnerOverrideToBucketOwner grants (dstp-owner-override, xdst-owner-override)")
            .resource(r.address())
            .discriminator(r.key());
        }
    }
}
