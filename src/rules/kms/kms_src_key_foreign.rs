use crate::graph::{Graph, KeyLink, Tri};
use crate::rules::prelude::*;

declare_rule! {
    /// The source objects' KMS key belongs to another account, whose key policy is not in the input.
    ///
    /// ## What goes wrong
    /// "If the KMS keys are owned by another AWS account, the owner of the KMS keys must grant
    /// these permissions": to replicate objects encrypted with a key of another account (an
    /// uploader's key, a central key account), that key's policy must allow the replication role
    /// (or the source account) `kms:Decrypt`, and the role's policy must allow the key ARN. When
    /// the key and its policy are in the input, `kms-xacct-both-sides` checks the grant; this rule
    /// reports the keys it cannot see.
    ///
    /// ## How to fix
    /// Have the key's owner add to its key policy
    /// `{"Effect": "Allow", "Principal": {"AWS": "<role ARN>"}, "Action": "kms:Decrypt", "Resource": "*"}`,
    /// or pass that account's configuration to repl-lint so the grant can be checked.
    ///
    /// ## Example
    /// Terraform, failing:
    /// ```hcl
    /// resource "aws_s3_bucket_server_side_encryption_configuration" "src" {
    ///   bucket = aws_s3_bucket.src.id
    ///   rule {
    ///     apply_server_side_encryption_by_default {
    ///       sse_algorithm     = "aws:kms"
    ///       kms_master_key_id = "arn:aws:kms:us-east-1:333333333333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    ///     }
    ///   }
    /// }
    /// ```
    /// Terraform, fixed:
    /// ```hcl
    ///       kms_master_key_id = aws_kms_key.src.arn   # a key of the source account
    /// ```
    /// CloudFormation, failing:
    /// ```yaml
    /// BucketEncryption:
    ///   ServerSideEncryptionConfiguration:
    ///     - ServerSideEncryptionByDefault:
    ///         SSEAlgorithm: aws:kms
    ///         KMSMasterKeyID: arn:aws:kms:us-east-1:333333333333:key/1234abcd-12ab-34cd-56ef-1234567890ab
    /// ```
    /// CloudFormation, fixed:
    /// ```yaml
    ///         KMSMasterKeyID: !GetAtt SourceKey.Arn
    /// ```
    ///
    /// ## Sources
    /// S3 User Guide, "Replicating encrypted objects".
    pub KmsSrcKeyForeign { id: "kms-src-key-foreign", code: "K21", group: "kms", severity: Warning }
}

/// Whether the key's policy is in the input (then `kms-xacct-both-sides` decides).
fn policy_visible(g: &Graph<'_>, link: &KeyLink) -> bool {
    match link {
        KeyLink::Found(k) => g.keys[*k].policy.is_none_or(|id| g.policy(id).is_some()),
        _ => false,
    }
}

impl Rule for KmsSrcKeyForeign {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, sink: &mut Sink<'_>) {
        let g = cx.graph;
        let mut seen = std::collections::BTreeSet::new();
        for r in g.each_rule() {
            let opted_in = r
                .rule
                .source_selection
                .as_ref()
                .is_some_and(|s| s.sse_kms.is("Enabled"));
            if !r.is_active() || !opted_in {
                continue;
            }
            let Some(link) = r.source_key() else { continue };
            if policy_visible(g, &link) {
                continue;
            }
            let Some(src) = r.source() else { continue };
            let key_account = super::key_account(g, &link);
            if Graph::same_account(&src.account, &key_account) != Tri::No {
                continue;
            }
            let Some((sse, _)) = src.sse else { continue };
            if !seen.insert((src.index, r.address().to_string())) {
                continue;
            }
            sink.report(
                sse.kms_key.loc(),
                format!(
                    "source `{}` (account {}) encrypts with a KMS key of account {}: that key's policy, not in the input, must grant the replication role kms:Decrypt",
                    g.bucket_text(src),
                    src.account.known().map(|a| g.display(a)).unwrap_or_default(),
                    key_account.known().map(|a| g.display(a)).unwrap_or_default()
                ),
            )
            .label("key of another account")
            .help(format!(
                "the key owner must add to the key policy:\n{}\nor pass that account's configuration as well",
                crate::rules::access::allow_statement(
                    g,
                    r.view.role.found().and_then(|i| g.roles[i].arn.known()),
                    &["kms:Decrypt"],
                    "*"
                )
            ))
            .resource(r.address());
        }
    }
}
