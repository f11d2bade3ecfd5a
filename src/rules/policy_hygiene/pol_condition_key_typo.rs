use crate::graph::DocId;
use crate::iam::Effect;
use crate::rules::prelude::*;

use super::lost_grants::{misspelled_condition_key, needs_the_key};

declare_rule! {
    /// A condition key is not a known global, S3, KMS, STS or IAM key: a typo that makes the condition never match.
    ///
    /// ## What goes wrong
    /// IAM does not validate condition key names. A misspelled key is simply absent from every
    /// request, so a positive condition on it (`StringEquals`, `ArnLike`, ...) is false and the
    /// statement never applies: an Allow grants nothing (error; when it was the replication
    /// role's grant of a permission replication needs, the permission rules leave that need to
    /// this rule), a Deny with a negated operator
    /// denies everything (warning: the deny rules report what it blocks). AWS's replication
    /// troubleshooting page writes `kms:EncryptionContext:arn:aws:arn`, which S3 never sends;
    /// the key is `kms:EncryptionContext:aws:s3:arn`. Keys are checked against the embedded
    /// Service Authorization Reference data and the IAM User Guide's list of global keys; keys
    /// of other services are not checked.
    ///
    /// ## How to fix
    /// Spell the key as documented; the help names the closest known key. For S3 encryption
    /// contexts the key is `kms:EncryptionContext:aws:s3:arn`.
    ///
    /// ## Example
    /// Terraform, failing:
    /// ```hcl
    /// statement {
    ///   actions   = ["kms:Decrypt"]
    ///   resources = [aws_kms_key.src.arn]
    ///   condition {
    ///     test     = "StringLike"
    ///     variable = "kms:EncryptionContext:arn:aws:arn"
    ///     values   = ["arn:aws:s3:::src-bucket/*"]
    ///   }
    /// }
    /// ```
    /// Terraform, fixed:
    /// ```hcl
    ///     variable = "kms:EncryptionContext:aws:s3:arn"
    /// ```
    /// CloudFormation, failing:
    /// ```yaml
    /// - Effect: Allow
    ///   Action: kms:Decrypt
    ///   Resource: !GetAtt SrcKey.Arn
    ///   Condition:
    ///     StringLike:
    ///       kms:EncryptionContext:arn:aws:arn: arn:aws:s3:::src-bucket/*
    /// ```
    /// CloudFormation, fixed:
    /// ```yaml
    ///     StringLike:
    ///       kms:EncryptionContext:aws:s3:arn: arn:aws:s3:::src-bucket/*
    /// ```
    ///
    /// ## Sources
    /// S3 User Guide, "Troubleshooting replication" (the typo); "Replicating encrypted objects"
    /// (the correct key); IAM User Guide, "AWS global condition context keys" and "Condition
    /// operators"; Service Authorization Reference for Amazon S3, AWS KMS, AWS STS and IAM.
    pub PolConditionKeyTypo { id: "pol-condition-key-typo", code: "A8", group: "policy", severity: Error }
}

impl Rule for PolConditionKeyTypo {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, sink: &mut Sink<'_>) {
        let g = cx.graph;
        for (i, d) in g.docs.iter().enumerate() {
            let Some(policy) = g.policy(DocId(i)) else {
                continue;
            };
            for st in &policy.statements {
                for c in &st.conditions {
                    let Some(suggestion) = misspelled_condition_key(&c.key.text) else {
                        continue;
                    };
                    let dead_allow = st.effect == Some(Effect::Allow) && needs_the_key(c);
                    let consequence = if dead_allow {
                        "the key is never in the request, so this Allow never applies"
                    } else {
                        "the key is never in the request, so this condition does not test what it says"
                    };
                    let severity = if dead_allow {
                        Severity::Error
                    } else {
                        Severity::Warning
                    };
                    let finding = sink
                        .report(
                            &c.key.loc,
                            format!(
                                "condition key `{}` in the policy of `{}` is not a known key: {consequence}",
                                g.display(&c.key.text),
                                d.address
                            ),
                        )
                        .label("unknown condition key")
                        .resource(d.address.as_str())
                        .severity(severity)
                        .discriminator(format!("{}|{}", st.index, c.key.text));
                    let _ = match &suggestion {
                        Some(k) => finding.help(format!("did you mean `{k}`?")),
                        None => finding.help(
                            "use a key from the IAM User Guide's global keys or the Service Authorization Reference",
                        ),
                    };
                }
            }
        }
    }
}
