use crate::graph::Tri;
use crate::rules::prelude::*;

declare_rule! {
    /// Cross-account replicas stay owned by the source account.
    ///
    /// ## What goes wrong
    /// Without an owner override, "the replicas are owned by the same AWS account that owns the
    /// source object". When the destination bucket still uses ACLs (`ObjectWriter` or
    /// `BucketOwnerPreferred`), the destination account does not own the replicas and cannot
    /// read them or change their ACLs.
    ///
    /// Buckets created since April 2023 default to `BucketOwnerEnforced`; repl-lint reports only a
    /// destination whose ownership setting says otherwise (an unset setting reports nothing, an
    /// unknown one "cannot verify").
    ///
    /// ## How to fix
    /// Set Object Ownership of the destination bucket to `BucketOwnerEnforced` (it "mimics the
    /// existing owner override behavior without the need of
    /// `s3:ObjectOwnerOverrideToBucketOwner`"), or add `access_control_translation` with
    /// `account` plus the `s3:ObjectOwnerOverrideToBucketOwner` grants (`dstp-owner-override`,
    /// `xdst-owner-override`).
    ///
    /// ## Example
    /// Terraform, failing:
    /// ```hcl
    /// resource "aws_s3_bucket_ownership_controls" "dst" {
    ///   provider = aws.dst
    ///   bucket   = aws_s3_bucket.dst.id
    ///   rule {
    ///     object_ownership = "ObjectWriter"
    ///   }
    /// }
    /// ```
    /// Terraform, fixed:
    /// ```hcl
    /// resource "aws_s3_bucket_ownership_controls" "dst" {
    ///   provider = aws.dst
    ///   bucket   = aws_s3_bucket.dst.id
    ///   rule {
    ///     object_ownership = "BucketOwnerEnforced"
    ///   }
    /// }
    /// ```
    /// CloudFormation, failing (destination stack):
    /// ```yaml
    /// Dst:
    ///   Type: AWS::S3::Bucket
    ///   Properties:
    ///     OwnershipControls:
    ///       Rules:
    ///         - ObjectOwnership: ObjectWriter
    /// ```
    /// CloudFormation, fixed:
    /// ```yaml
    /// Dst:
    ///   Type: AWS::S3::Bucket
    ///   Properties:
    ///     OwnershipControls:
    ///       Rules:
    ///         - ObjectOwnership: BucketOwnerEnforced
    /// ```
    ///
    /// ## Sources
    /// S3 User Guide, "Replication configuration file elements" (Change replica ownership);
    /// "Controlling ownership of objects and disabling ACLs"; SEED-003.
    pub OwnXacctReplicasOwnedBySource { id: "own-xacct-replicas-owned-by-source", code: "H5", group: "ownership", severity: Warning }
}

impl Rule for OwnXacctReplicasOwnedBySource {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, sink: &mut Sink<'_>) {
        let g = cx.graph;
        for r in g.each_rule() {
            if !r.is_active()
                || r.rule.destination.owner_override.is_present()
                || r.cross_account() != Tri::Yes
            {
                continue;
            }
            let Some(dst) = r.destination() else { continue };
            let name = g.bucket_text(dst);
            let ownership = &dst.ownership;
            match ownership.value {
                Value::Known(mode, loc) if mode != "BucketOwnerEnforced" => {
                    sink.report(
                        loc,
                        format!(
                            "{} replicates into another account without an owner override, and `{name}` uses `{mode}`: the replicas stay owned by the source account",
                            r.label()
                        ),
                    )
                    .label("replicas will not belong to the destination account")
                    .related(r.rule.destination.bucket.loc(), "cross-account destination")
                    .help("set object ownership of the destination bucket to \"BucketOwnerEnforced\", or add an owner override (access control translation with the destination account)")
                    .resource(r.address())
                    .discriminator(r.key());
                }
                Value::Unknown(..) | Value::Ref(..) | Value::Template(..) => {
                    sink.cannot_verify(
                        ownership.loc(),
                        format!("who owns the replicas in `{name}`: its object ownership setting is known only after apply"),
                        "set object ownership to a literal value, or pass the Terraform sources",
                    )
                    .resource(r.address())
                    .discriminator(r.key());
                }
                _ => {}
            }
        }
    }
}
