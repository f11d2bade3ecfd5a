use crate::graph::DocId;
use crate::iam::operators::{OpBase, SetQualifier};
use crate::iam::policy::Condition;
use crate::iam::{Effect, atom, catalogue};
use crate::rules::prelude::*;

declare_rule! {
    /// A condition key is not a known global, S3, KMS, STS or IAM key: a typo that makes the condition never match.
    ///
    /// ## What goes wrong
    /// IAM does not validate condition key names. A misspelled key is simply absent from every
    /// request, so a positive condition on it (`StringEquals`, `ArnLike`, ...) is false and the
    /// statement never applies: an Allow grants nothing (error), a Deny with a negated operator
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

/// The encryption context key S3 sets on every KMS request it makes.
const S3_CONTEXT_KEY: &str = "kms:EncryptionContext:aws:s3:arn";

/// Key prefixes whose keys repl-lint knows completely (global keys and the catalogue's services).
const CHECKED_PREFIXES: &[&str] = &["aws", "s3", "kms", "sts", "iam"];

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
                    let Some(suggestion) = misspelled(&c.key.text) else {
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

/// `Some(suggestion)` when `key` is not a known key of a prefix repl-lint checks.
fn misspelled(key: &str) -> Option<Option<String>> {
    if atom::contains_atoms(key) {
        return None;
    }
    let prefix = key
        .split(':')
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    if !CHECKED_PREFIXES.contains(&prefix.as_str()) {
        return None;
    }
    if let Some(context_key) = key
        .get(..22)
        .filter(|p| p.eq_ignore_ascii_case("kms:EncryptionContext:"))
        .and(key.get(22..))
    {
        // Any context key is legal, but one that looks like S3's and is not is a typo.
        let looks_like_s3 = context_key.starts_with("arn:")
            || (context_key.contains("s3") && context_key.contains("arn"));
        return (looks_like_s3 && context_key != "aws:s3:arn")
            .then(|| Some(S3_CONTEXT_KEY.to_string()));
    }
    if catalogue::condition_key_type(key).is_some() {
        return None;
    }
    Some(closest_key(key))
}

/// The known key nearest to `key`, when it is close enough to be a typo.
fn closest_key(key: &str) -> Option<String> {
    let lower = key.to_ascii_lowercase();
    catalogue::GLOBAL_CONDITION_KEYS
        .iter()
        .map(|(k, _)| *k)
        .chain(catalogue::catalogue().condition_keys())
        .filter(|k| !k.contains("${"))
        .map(|k| (distance(&lower, &k.to_ascii_lowercase()), k))
        .filter(|(d, _)| *d <= (lower.len() / 4).max(2))
        .min()
        .map(|(_, k)| k.to_string())
}

/// Whether the condition is false when its key is absent (so an Allow with it is dead).
fn needs_the_key(c: &Condition) -> bool {
    c.operator.is_some_and(|op| {
        !op.base.is_negated()
            && !op.if_exists
            && op.set != SetQualifier::ForAllValues
            && op.base != OpBase::Null
    })
}

fn distance(a: &str, b: &str) -> usize {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = Vec::with_capacity(b.len() + 1);
        cur.push(i + 1);
        for (j, cb) in b.iter().enumerate() {
            let sub = prev.get(j).copied().unwrap_or(0) + usize::from(ca != cb);
            let del = prev.get(j + 1).copied().unwrap_or(0) + 1;
            let ins = cur.get(j).copied().unwrap_or(0) + 1;
            cur.push(sub.min(del).min(ins));
        }
        prev = cur;
    }
    prev.last().copied().unwrap_or(0)
}
