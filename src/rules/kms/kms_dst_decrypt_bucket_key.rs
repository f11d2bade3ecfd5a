use crate::rules::access::{self, Gap, Side, gaps};
use crate::rules::grants;
use crate::rules::prelude::*;

declare_rule! {
    /// With an S3 Bucket Key, the replication role may not `kms:Decrypt` with the replica key.
    ///
    /// ## What goes wrong
    /// "To use replication with an S3 Bucket Key, the AWS KMS key policy for the KMS key that's
    /// used to encrypt the object replica must include the kms:Decrypt permission for the calling
    /// principal." With a Bucket Key S3 decrypts the bucket-level data key with the replica key;
    /// without `kms:Decrypt` replicas fail (`DstPutObjectNotPermitted`). The rule reports when a
    /// Bucket Key is enabled on the source or destination bucket; uploads that request a Bucket
    /// Key per object need it too, which the configuration cannot show.
    ///
    /// ## How to fix
    /// Add `kms:Decrypt` next to `kms:Encrypt` and `kms:GenerateDataKey` on the replica key, in
    /// the role's policy and in the key policy.
    ///
    /// ## Example
    /// Terraform, failing:
    /// ```hcl
    /// resource "aws_s3_bucket_server_side_encryption_configuration" "dst" {
    ///   bucket = aws_s3_bucket.dst.id
    ///   rule {
    ///     apply_server_side_encryption_by_default {
    ///       sse_algorithm = "aws:kms"
    ///       kms_master_key_id = aws_kms_key.dst.arn
    ///     }
    ///     bucket_key_enabled = true
    ///   }
    /// }
    /// # role policy: { Effect = "Allow", Action = ["kms:Encrypt", "kms:GenerateDataKey"], Resource = aws_kms_key.dst.arn }
    /// ```
    /// Terraform, fixed:
    /// ```hcl
    /// { Effect = "Allow", Action = ["kms:Encrypt", "kms:GenerateDataKey", "kms:Decrypt"], Resource = aws_kms_key.dst.arn }
    /// ```
    /// CloudFormation, failing:
    /// ```yaml
    /// BucketEncryption:
    ///   ServerSideEncryptionConfiguration:
    ///     - ServerSideEncryptionByDefault: {SSEAlgorithm: aws:kms, KMSMasterKeyID: !GetAtt DstKey.Arn}
    ///       BucketKeyEnabled: true
    /// # role policy: {Effect: Allow, Action: [kms:Encrypt, kms:GenerateDataKey], Resource: !GetAtt DstKey.Arn}
    /// ```
    /// CloudFormation, fixed:
    /// ```yaml
    /// - {Effect: Allow, Action: [kms:Encrypt, kms:GenerateDataKey, kms:Decrypt], Resource: !GetAtt DstKey.Arn}
    /// ```
    ///
    /// ## Sources
    /// S3 User Guide, "Replicating encrypted objects" (§ S3 Bucket Keys and replication);
    /// replication failure reasons.
    pub KmsDstDecryptBucketKey { id: "kms-dst-decrypt-bucket-key", code: "K11", group: "kms", severity: Error }
}

impl Rule for KmsDstDecryptBucketKey {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, sink: &mut Sink<'_>) {
        let g = cx.graph;
        let mut seen = foldhash::HashSet::default();
        for c in cx
            .checked()
            .filter(|c| c.need.side == Side::DestinationKey && c.need.action == "kms:Encrypt")
        {
            let Some(r) = g.rule_ref(c.replication, c.rule) else {
                continue;
            };
            let bucket_key = [r.source(), r.destination()]
                .into_iter()
                .flatten()
                .find_map(|b| {
                    b.sse
                        .map(|(sse, _)| &sse.bucket_key)
                        .filter(|v| v.is_true())
                });
            let Some(bucket_key) = bucket_key else {
                continue;
            };
            let decision = access::decide_with_action(g, c, "kms:Decrypt");
            let role = &g.roles[c.role];
            for gap in gaps(g, &decision) {
                let (loc, address, where_) = match gap {
                    Gap::Identity => {
                        let (anchor, address) = access::identity_anchor(g, role);
                        (anchor, address, "the role's permissions policy")
                    }
                    Gap::ResourcePolicy => match grants::resource_policy_loc(g, c) {
                        Some(loc) => (loc, c.need.grant.to_string(), "the key policy"),
                        None => continue,
                    },
                    _ => continue,
                };
                if !seen.insert((loc.clone(), c.need.grant.clone())) {
                    continue;
                }
                let principal = (where_ == "the key policy")
                    .then(|| role.arn.known())
                    .flatten();
                let resource = if principal.is_some() {
                    "*"
                } else {
                    &*c.need.grant
                };
                sink.report(
                    &loc,
                    format!(
                        "an S3 Bucket Key is enabled, but {where_} does not allow replication role `{}` kms:Decrypt on the replica key `{}`: replicas fail",
                        grants::role_text(g, role),
                        g.display(&c.need.grant)
                    ),
                )
                .label("kms:Decrypt missing")
                .related(bucket_key.loc(), "Bucket Key enabled here")
                .help(format!(
                    "add to {where_}:\n{}",
                    access::allow_statement(g, principal, &["kms:Decrypt"], resource)
                ))
                .resource(address)
                .discriminator(format!("{}|{where_}", c.need.grant));
            }
        }
    }
}
