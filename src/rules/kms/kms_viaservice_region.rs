use super::near_miss::{Kind, condition_loc, of_kind, sent};
use crate::rules::prelude::*;

declare_rule! {
    /// A `kms:ViaService` condition names another region than the key's.
    ///
    /// ## What goes wrong
    /// S3 calls KMS in the key's region: `kms:Decrypt` on the source key arrives via
    /// `s3.SRC_REGION.amazonaws.com`, `kms:Encrypt` on the replica key via
    /// `s3.DST_REGION.amazonaws.com`. A grant whose `kms:ViaService` names another region never
    /// matches, and KMS denies the replication role. Copying AWS's same-region example (the same
    /// region in both statements) into a cross-region setup breaks the Encrypt grant.
    ///
    /// ## How to fix
    /// Use `s3.<region of the key>.amazonaws.com` in each statement.
    ///
    /// ## Example
    /// Terraform, failing:
    /// ```hcl
    /// {
    ///   Effect    = "Allow"
    ///   Action    = ["kms:Encrypt", "kms:GenerateDataKey"]
    ///   Resource  = aws_kms_key.dst.arn            # in eu-west-1
    ///   Condition = { StringLike = { "kms:ViaService" = "s3.us-east-1.amazonaws.com" } }
    /// }
    /// ```
    /// Terraform, fixed:
    /// ```hcl
    ///   Condition = { StringLike = { "kms:ViaService" = "s3.eu-west-1.amazonaws.com" } }
    /// ```
    /// CloudFormation, failing:
    /// ```yaml
    /// - Effect: Allow
    ///   Action: [kms:Encrypt, kms:GenerateDataKey]
    ///   Resource: arn:aws:kms:eu-west-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab
    ///   Condition: {StringLike: {kms:ViaService: s3.us-east-1.amazonaws.com}}
    /// ```
    /// CloudFormation, fixed:
    /// ```yaml
    ///   Condition: {StringLike: {kms:ViaService: s3.eu-west-1.amazonaws.com}}
    /// ```
    ///
    /// ## Sources
    /// KMS Developer Guide, "AWS KMS condition keys" (`kms:ViaService`); S3 User Guide,
    /// "Replicating encrypted objects" (walkthrough: us-east-1 source, us-west-2 destination).
    pub KmsViaserviceRegion { id: "kms-viaservice-region", code: "K14", group: "kms", severity: Error }
}

impl Rule for KmsViaserviceRegion {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, sink: &mut Sink<'_>) {
        let g = cx.graph;
        for (c, m) in of_kind(cx, Kind::ViaService) {
            let expected = sent(c, "kms:ViaService");
            sink.report(
                &condition_loc(g, &m, "kms:ViaService"),
                format!(
                    "the grant of {} on `{}` requires kms:ViaService `{}`, but S3 calls KMS for this key via `{expected}`: the replication role is denied",
                    c.need.action,
                    g.display(&c.need.grant),
                    g.display(&m.would_match)
                ),
            )
            .label(format!("should be {expected}"))
            .help(format!("use `{expected}`, the S3 endpoint of the key's region"))
            .resource(&*c.need.grant)
            .discriminator(format!("{}|{}", c.need.action, m.would_match));
        }
    }
}
