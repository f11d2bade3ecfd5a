use crate::graph::{Entity, KeyLink, Tri};
use crate::rules::prelude::*;

declare_rule! {
    /// The replica KMS key is named by a key ID or an alias instead of its key ARN.
    ///
    /// ## What goes wrong
    /// "If you use a KMS key alias instead, then AWS KMS resolves the key within the requester's
    /// account": a bare key ID, `alias/name` or an alias ARN is looked up in the account of the
    /// replication role. For a destination in another account the replica key is then not found
    /// or is the wrong key, and replicas fail (error). In the same account it works but breaks as
    /// soon as the destination moves (warning).
    ///
    /// ## How to fix
    /// Name the replica key by its full key ARN (`aws_kms_key.x.arn`, `!GetAtt Key.Arn`, or
    /// `arn:aws:kms:REGION:ACCOUNT:key/KEY-ID`).
    ///
    /// ## Example
    /// Terraform, failing:
    /// ```hcl
    /// destination {
    ///   bucket  = "arn:aws:s3:::dst-bucket"
    ///   account = "222222222222"
    ///   encryption_configuration { replica_kms_key_id = "alias/replica" }
    /// }
    /// ```
    /// Terraform, fixed:
    /// ```hcl
    /// destination {
    ///   bucket  = "arn:aws:s3:::dst-bucket"
    ///   account = "222222222222"
    ///   encryption_configuration {
    ///     replica_kms_key_id = "arn:aws:kms:eu-west-1:222222222222:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    ///   }
    /// }
    /// ```
    /// CloudFormation, failing:
    /// ```yaml
    /// Destination:
    ///   Bucket: arn:aws:s3:::dst-bucket
    ///   EncryptionConfiguration: {ReplicaKmsKeyID: !Ref ReplicaKey}   # Ref gives the key ID
    /// ```
    /// CloudFormation, fixed:
    /// ```yaml
    /// Destination:
    ///   Bucket: arn:aws:s3:::dst-bucket
    ///   EncryptionConfiguration: {ReplicaKmsKeyID: !GetAtt ReplicaKey.Arn}
    /// ```
    ///
    /// ## Sources
    /// S3 API Reference, `EncryptionConfiguration`; KMS Developer Guide, "Allowing users in other
    /// accounts to use a KMS key" (§ Using KMS keys in other accounts).
    pub KmsReplicaKeyFormat { id: "kms-replica-key-format", code: "K4", group: "kms", severity: Error }
}

/// How a replica key is named, when it is not a key ARN.
fn weak_form(g: &Graph<'_>, value: &Value<String>) -> Option<&'static str> {
    if let Value::Ref(r, _) = value {
        return match (g.resolver.entity(&r.target), &*r.attr) {
            (Some(Entity::Key(_)), "key_id" | "id" | "KeyId" | "") => Some("a key ID"),
            (Some(Entity::Key(_)), _) => None,
            (Some(Entity::Alias(_)), "name" | "id" | "") => Some("an alias name"),
            (Some(Entity::Alias(_)), "arn" | "Arn") => Some("an alias ARN"),
            _ => None,
        };
    }
    let text = g.resolver.resolve(value);
    let text = text.known()?;
    if text.starts_with("arn:") {
        return text.contains(":alias/").then_some("an alias ARN");
    }
    if text.starts_with("alias/") {
        return Some("an alias name");
    }
    // A computed value of unknown shape says nothing about its form.
    (!crate::graph::atoms::contains_atoms(text)).then_some("a key ID")
}

impl Rule for KmsReplicaKeyFormat {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, sink: &mut Sink<'_>) {
        let g = cx.graph;
        for r in g.each_rule() {
            let value = &r.rule.destination.replica_kms_key;
            // The AWS managed key is `kms-aws-managed-xacct`'s.
            if !r.is_active() || matches!(r.rule_view.replica_key, KeyLink::AwsManaged(_)) {
                continue;
            }
            let Some(form) = weak_form(g, value) else {
                continue;
            };
            let xacct = r.cross_account();
            let severity = if xacct == Tri::Yes {
                Severity::Error
            } else {
                Severity::Warning
            };
            let consequence = match xacct {
                Tri::Yes => {
                    "the destination is in another account, so KMS looks for the key in the replication role's account and replicas fail"
                }
                Tri::No => {
                    "KMS resolves it in the replication role's account; this works only while the destination stays in that account"
                }
                Tri::Unknown => {
                    "KMS resolves it in the replication role's account, which fails if the destination is in another account"
                }
            };
            sink.report(
                value.loc(),
                format!("{} names its replica KMS key by {form}: {consequence}", r.label()),
            )
            .severity(severity)
            .label("use the key ARN")
            .help("name the replica key by its full key ARN (Terraform `aws_kms_key.<name>.arn`, CloudFormation `!GetAtt <Key>.Arn`, or `arn:aws:kms:REGION:ACCOUNT:key/KEY-ID`)")
            .resource(r.address())
            .discriminator(r.key());
        }
    }
}
