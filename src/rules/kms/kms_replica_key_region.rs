use crate::graph::KeyLink;
use crate::rules::prelude::*;

declare_rule! {
    /// The replica KMS key is in another region than the destination bucket.
    ///
    /// ## What goes wrong
    /// "The KMS key must have been created in the same AWS Region as the destination bucket."
    /// `PutBucketReplication` does not check this and returns 200 OK, but every SSE-KMS object
    /// then fails to replicate.
    ///
    /// ## How to fix
    /// Create the replica key in the destination bucket's region (a key of the destination
    /// provider or stack) and name its ARN. When the key is a multi-Region key with a replica in
    /// the destination region, `kms-mrk-distinct` reports this instead.
    ///
    /// ## Example
    /// Terraform, failing:
    /// ```hcl
    /// provider "aws" { region = "us-east-1" }
    /// provider "aws" {
    ///   alias = "dst"
    ///   region = "eu-west-1"
    /// }
    /// resource "aws_kms_key" "replica" {}            # us-east-1, the source region
    /// resource "aws_s3_bucket" "dst" {
    ///   provider = aws.dst
    ///   bucket = "dst-bucket"
    /// }
    /// # rule destination:
    /// encryption_configuration { replica_kms_key_id = aws_kms_key.replica.arn }
    /// ```
    /// Terraform, fixed:
    /// ```hcl
    /// resource "aws_kms_key" "replica" { provider = aws.dst }   # eu-west-1
    /// encryption_configuration { replica_kms_key_id = aws_kms_key.replica.arn }
    /// ```
    /// CloudFormation, failing:
    /// ```yaml
    /// # stack in us-east-1, destination bucket in eu-west-1
    /// Destination:
    ///   Bucket: arn:aws:s3:::dst-bucket-in-eu-west-1
    ///   EncryptionConfiguration: {ReplicaKmsKeyID: !GetAtt SourceRegionKey.Arn}
    /// ```
    /// CloudFormation, fixed:
    /// ```yaml
    /// Destination:
    ///   Bucket: arn:aws:s3:::dst-bucket-in-eu-west-1
    ///   EncryptionConfiguration:
    ///     ReplicaKmsKeyID: arn:aws:kms:eu-west-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab
    /// ```
    ///
    /// ## Sources
    /// S3 User Guide, "Replicating encrypted objects" (Important box).
    pub KmsReplicaKeyRegion { id: "kms-replica-key-region", code: "K5", group: "kms", severity: Error }
}

impl Rule for KmsReplicaKeyRegion {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, sink: &mut Sink<'_>) {
        let g = cx.graph;
        for r in g.each_rule() {
            if !r.is_active() {
                continue;
            }
            let link = &r.rule_view.replica_key;
            let Some(key_region) = super::key_region(g, link) else {
                continue;
            };
            let Some(dst) = r.destination() else { continue };
            let loc = r.rule.destination.replica_kms_key.loc();
            let Some(dst_region) = dst.region.concrete() else {
                if dst.region.known().is_none() {
                    sink.cannot_verify(
                        loc,
                        format!(
                            "whether the replica key (in {key_region}) is in the region of destination `{}`: the bucket's region is not known",
                            g.bucket_text(dst)
                        ),
                        "set the destination provider's or stack's region (--region for a template)",
                    )
                    .resource(r.address())
                    .discriminator(r.key());
                }
                continue;
            };
            if key_region == dst_region {
                continue;
            }
            if let KeyLink::Found(k) = link
                && super::related_mrk_in(g, *k, dst_region).is_some()
            {
                continue;
            }
            sink.report(
                loc,
                format!(
                    "{} encrypts replicas with a key in {key_region}, but destination `{}` is in {dst_region}: SSE-KMS objects fail to replicate",
                    r.label(),
                    g.bucket_text(dst)
                ),
            )
            .label(format!("key in {key_region}"))
            .related(dst.region.known().map(|_| dst.bucket.region.loc()).unwrap_or(&dst.bucket.origin.header), format!("destination bucket in {dst_region}"))
            .help(format!("use a KMS key created in {dst_region}, the destination bucket's region"))
            .resource(r.address())
            .discriminator(r.key());
        }
    }
}
