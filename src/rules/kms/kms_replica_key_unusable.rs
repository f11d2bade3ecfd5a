use crate::graph::KeyLink;
use crate::rules::prelude::*;

declare_rule! {
    /// A KMS key that replication uses is disabled, asymmetric or not an encryption key.
    ///
    /// ## What goes wrong
    /// "Amazon S3 only supports symmetric encryption KMS keys." A replica key (or the source
    /// bucket's key) that is disabled, has a `key_spec` other than `SYMMETRIC_DEFAULT`, or a
    /// `key_usage` other than `ENCRYPT_DECRYPT` cannot encrypt or decrypt: objects fail with
    /// `DstKmsKeyInvalidState` / `DstKmsKeyNotFound` (replica key) or `SrcKmsKeyInvalidState`
    /// (source key). A key pending deletion fails the same way; no input format states that.
    ///
    /// ## How to fix
    /// Use an enabled symmetric encryption key (`SYMMETRIC_DEFAULT`, `ENCRYPT_DECRYPT`).
    ///
    /// ## Example
    /// Terraform, failing:
    /// ```hcl
    /// resource "aws_kms_key" "replica" {
    ///   customer_master_key_spec = "RSA_2048"
    ///   key_usage                = "ENCRYPT_DECRYPT"
    /// }
    /// ```
    /// Terraform, fixed:
    /// ```hcl
    /// resource "aws_kms_key" "replica" {
    ///   is_enabled = true   # the defaults: SYMMETRIC_DEFAULT, ENCRYPT_DECRYPT
    /// }
    /// ```
    /// CloudFormation, failing:
    /// ```yaml
    /// ReplicaKey:
    ///   Type: AWS::KMS::Key
    ///   Properties: {Enabled: false}
    /// ```
    /// CloudFormation, fixed:
    /// ```yaml
    /// ReplicaKey:
    ///   Type: AWS::KMS::Key
    ///   Properties: {Enabled: true, KeySpec: SYMMETRIC_DEFAULT, KeyUsage: ENCRYPT_DECRYPT}
    /// ```
    ///
    /// ## Sources
    /// S3 User Guide, replication failure reasons; S3 API Reference, `EncryptionConfiguration`.
    pub KmsReplicaKeyUnusable { id: "kms-replica-key-unusable", code: "K6", group: "kms", severity: Error }
}

/// What makes a key unusable for S3, with the attribute that says so.
fn defect(key: &crate::model::Key) -> Option<(String, &crate::source::Loc)> {
    if let Value::Known(false, loc) = &key.enabled {
        return Some(("is disabled".into(), loc));
    }
    if let Value::Known(spec, loc) = &key.key_spec
        && !spec.eq_ignore_ascii_case("SYMMETRIC_DEFAULT")
    {
        return Some((
            format!("has key spec {spec}; S3 supports only SYMMETRIC_DEFAULT keys"),
            loc,
        ));
    }
    if let Value::Known(usage, loc) = &key.key_usage
        && !usage.eq_ignore_ascii_case("ENCRYPT_DECRYPT")
    {
        return Some((
            format!("has key usage {usage}; S3 needs ENCRYPT_DECRYPT"),
            loc,
        ));
    }
    None
}

impl Rule for KmsReplicaKeyUnusable {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, sink: &mut Sink<'_>) {
        let g = cx.graph;
        let mut seen = std::collections::BTreeSet::new();
        for r in g.each_rule() {
            if !r.is_active() {
                continue;
            }
            let opted_in = r
                .rule
                .source_selection
                .as_ref()
                .is_some_and(|s| s.sse_kms.is("Enabled"));
            let mut uses = Vec::new();
            if let KeyLink::Found(k) = r.rule_view.replica_key {
                uses.push((
                    k,
                    "replica key",
                    "DstKmsKeyInvalidState",
                    r.rule.destination.replica_kms_key.loc().clone(),
                ));
            }
            if opted_in && let Some(KeyLink::Found(k)) = r.source_key() {
                let at = r
                    .source()
                    .and_then(|s| s.sse)
                    .map(|(sse, _)| sse.kms_key.loc().clone())
                    .unwrap_or_default();
                uses.push((k, "source bucket key", "SrcKmsKeyInvalidState", at));
            }
            for (k, role, reason, used_at) in uses {
                let Some(key) = g.model.keys.get(k) else {
                    continue;
                };
                let Some((what, loc)) = defect(key) else {
                    continue;
                };
                if !seen.insert((k, r.address().to_string())) {
                    continue;
                }
                sink.report(
                    loc,
                    format!(
                        "`{}`, the {role} of {}, {what}: objects fail with {reason}",
                        key.origin.address,
                        r.label()
                    ),
                )
                .label(what.clone())
                .related(&used_at, "the key is used here")
                .help("use an enabled symmetric encryption key (key spec SYMMETRIC_DEFAULT, key usage ENCRYPT_DECRYPT)")
                .resource(key.origin.address.as_str())
                .discriminator(format!("{}|{}", r.address(), role));
            }
        }
    }
}
