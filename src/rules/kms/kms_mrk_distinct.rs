use super::near_miss::{Kind, of_kind};
use crate::graph::KeyLink;
use crate::rules::prelude::*;

declare_rule! {
    /// A multi-Region key is used as if its regional copies were one key.
    ///
    /// ## What goes wrong
    /// S3 "treats multi-Region keys as though they were single-Region keys": cross-region
    /// replication "decrypts and re-encrypts data under a KMS key in the destination Region,
    /// even when replicating objects protected by a multi-Region key". Each regional ARN is a
    /// separate resource: the replica key must be the destination-region replica's ARN, the role
    /// needs `kms:Decrypt` on the source-region ARN and `kms:Encrypt` on the destination-region
    /// ARN, and each regional key's own key policy must allow the role (key policies are not
    /// shared; `kms-key-policy-no-path` / `kms-xacct-both-sides` report those).
    ///
    /// ## How to fix
    /// Name the destination-region replica (`aws_kms_replica_key.x.arn`) as the replica key and
    /// grant each regional ARN separately.
    ///
    /// ## Example
    /// Terraform, failing:
    /// ```hcl
    /// resource "aws_kms_key" "primary" { multi_region = true }                  # us-east-1
    /// resource "aws_kms_replica_key" "dst" {
    ///   provider        = aws.dst                                              # eu-west-1
    ///   primary_key_arn = aws_kms_key.primary.arn
    /// }
    /// # rule destination:
    /// encryption_configuration { replica_kms_key_id = aws_kms_key.primary.arn }
    /// ```
    /// Terraform, fixed:
    /// ```hcl
    /// encryption_configuration { replica_kms_key_id = aws_kms_replica_key.dst.arn }
    /// # and the role's policy allows kms:Encrypt on aws_kms_replica_key.dst.arn
    /// ```
    /// CloudFormation, failing:
    /// ```yaml
    /// # us-east-1 stack; the destination bucket is in eu-west-1
    /// EncryptionConfiguration:
    ///   ReplicaKmsKeyID: arn:aws:kms:us-east-1:111111111111:key/mrk-1234abcd12ab34cd56ef1234567890ab
    /// ```
    /// CloudFormation, fixed:
    /// ```yaml
    /// EncryptionConfiguration:
    ///   ReplicaKmsKeyID: arn:aws:kms:eu-west-1:111111111111:key/mrk-1234abcd12ab34cd56ef1234567890ab
    /// ```
    ///
    /// ## Sources
    /// S3 User Guide, "Replicating encrypted objects"; KMS Developer Guide, "Multi-Region keys
    /// in AWS KMS"; "Setting up the correct permissions for cross-region replication of
    /// KMS-encrypted objects" (blog).
    pub KmsMrkDistinct { id: "kms-mrk-distinct", code: "K17", group: "kms", severity: Error }
}

impl Rule for KmsMrkDistinct {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, sink: &mut Sink<'_>) {
        let g = cx.graph;
        // The replica key is a multi-Region key of another region that has a copy in the
        // destination's region (kms-replica-key-region leaves this case here).
        for r in g.each_rule() {
            if !r.is_active() {
                continue;
            }
            let KeyLink::Found(k) = r.rule_view.replica_key else {
                continue;
            };
            let Some(dst_region) = r.destination().and_then(|d| d.region.concrete()) else {
                continue;
            };
            let Some(key_region) = g.keys[k].region.concrete() else {
                continue;
            };
            if key_region == dst_region {
                continue;
            }
            let Some(copy) = super::related_mrk_in(g, k, dst_region) else {
                continue;
            };
            let copy_origin = &g.model.keys[copy].origin;
            sink.report(
                r.rule.destination.replica_kms_key.loc(),
                format!(
                    "{} names the {key_region} copy of a multi-Region key as replica key; S3 treats each regional copy as its own key and needs the {dst_region} copy `{}`",
                    r.label(),
                    copy_origin.address
                ),
            )
            .label(format!("the {key_region} copy"))
            .related(&copy_origin.header, format!("the copy in {dst_region}"))
            .help(format!("name `{}`'s ARN as the replica key and grant the role kms:Encrypt on it", copy_origin.address))
            .resource(r.address())
            .discriminator(r.key());
        }
        // The role is granted another regional copy than the one S3 uses.
        for (c, m) in of_kind(cx, Kind::RelatedMrk) {
            let role = &g.roles[c.role];
            let (anchor, address) = crate::rules::access::identity_anchor(g, role);
            let at =
                m.by.iter()
                    .find(|b| b.slot == crate::iam::Slot::Identity)
                    .map(|b| b.loc.clone())
                    .unwrap_or(anchor);
            sink.report(
                &at,
                format!(
                    "{} is granted on `{}` but S3 uses the related multi-Region key `{}`: each regional copy must be granted separately",
                    c.need.action,
                    g.display(&m.would_match),
                    g.display(&c.need.grant)
                ),
            )
            .label("another regional copy")
            .help(format!(
                "add this statement to the role's permissions policy:\n{}",
                crate::rules::access::allow_statement(g, None, actions_for(c), &c.need.grant)
            ))
            .resource(address)
            .discriminator(format!("{}|{}", c.need.action, c.need.grant));
        }
    }
}

/// What S3 needs on a key of this side.
fn actions_for(c: &crate::rules::access::Checked) -> &'static [&'static str] {
    if c.need.side == crate::rules::access::Side::SourceKey {
        &["kms:Decrypt"]
    } else {
        &["kms:Encrypt", "kms:GenerateDataKey"]
    }
}
