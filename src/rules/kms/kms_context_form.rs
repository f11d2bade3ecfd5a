use super::near_miss::{CONTEXT, Kind, bucket_of, condition_loc, of_kind, sent};
use crate::graph::{RuleRef, Tri};
use crate::iam::Decision;
use crate::rules::access::{Checked, RoleAccess, Side};
use crate::rules::prelude::*;

declare_rule! {
    /// A `kms:EncryptionContext:aws:s3:arn` condition does not cover the form S3 sends.
    ///
    /// ## What goes wrong
    /// S3 passes the encryption context `aws:s3:arn` to KMS: the **object** ARN
    /// (`arn:aws:s3:::B/key`) normally, the **bucket** ARN (`arn:aws:s3:::B`) when the object uses
    /// an S3 Bucket Key. A grant conditioned on the bucket ARN alone never matches objects
    /// written without a Bucket Key, and one on `B/*` alone never matches Bucket Key objects; KMS
    /// then denies the replication role. Objects keep the form they were written with and
    /// replicas keep their source's Bucket Key setting, so unless the Bucket Key setting is
    /// uniform, list both forms. Error when the listed form is never sent under the buckets'
    /// settings; warning when a Bucket Key is enabled and only one form is listed.
    ///
    /// ## How to fix
    /// List both forms, naming the source bucket on the Decrypt grant and the destination bucket
    /// on the Encrypt grant, with `StringLike`:
    /// `"kms:EncryptionContext:aws:s3:arn": ["arn:aws:s3:::B", "arn:aws:s3:::B/*"]`.
    ///
    /// ## Example
    /// Terraform, failing:
    /// ```hcl
    /// {
    ///   Effect    = "Allow"
    ///   Action    = ["kms:Decrypt"]
    ///   Resource  = aws_kms_key.src.arn
    ///   Condition = { StringLike = { "kms:EncryptionContext:aws:s3:arn" = [aws_s3_bucket.src.arn] } }
    /// }
    /// ```
    /// Terraform, fixed:
    /// ```hcl
    ///   Condition = { StringLike = { "kms:EncryptionContext:aws:s3:arn" = [
    ///     aws_s3_bucket.src.arn, "${aws_s3_bucket.src.arn}/*"] } }
    /// ```
    /// CloudFormation, failing:
    /// ```yaml
    /// - Effect: Allow
    ///   Action: kms:Decrypt
    ///   Resource: !GetAtt SourceKey.Arn
    ///   Condition: {StringLike: {"kms:EncryptionContext:aws:s3:arn": !GetAtt Src.Arn}}
    /// ```
    /// CloudFormation, fixed:
    /// ```yaml
    ///   Condition: {StringLike: {"kms:EncryptionContext:aws:s3:arn": [!GetAtt Src.Arn, !Sub "${Src.Arn}/*"]}}
    /// ```
    ///
    /// ## Sources
    /// S3 User Guide, "Replicating encrypted objects"; "Reducing the cost of SSE-KMS with S3
    /// Bucket Keys" ("S3 Bucket Keys use the bucket ARN as encryption context … update your IAM
    /// policies or AWS KMS key policies"); "Using server-side encryption with AWS KMS keys"
    /// (§ Encryption context); AWS Knowledge Center replication troubleshooting.
    pub KmsContextForm { id: "kms-context-form", code: "K15", group: "kms", severity: Error }
}

/// Whether a Bucket Key is enabled on the source or destination bucket of the rule.
fn bucket_key(r: &RuleRef<'_, '_>) -> Tri {
    let states: Vec<&Value<bool>> = [r.source(), r.destination()]
        .into_iter()
        .flatten()
        .filter_map(|b| b.sse.map(|(sse, _)| &sse.bucket_key))
        .collect();
    if states.iter().any(|v| v.is_true()) {
        Tri::Yes
    } else if states.iter().all(|v| v.is_known() || v.is_absent()) {
        Tri::No
    } else {
        Tri::Unknown
    }
}

fn which_bucket(c: &Checked) -> &'static str {
    if c.need.side == Side::SourceKey {
        "source"
    } else {
        "destination"
    }
}

impl Rule for KmsContextForm {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, sink: &mut Sink<'_>) {
        let g = cx.graph;
        // Denied with the object ARN, allowed with another form.
        for (c, m) in of_kind(cx, Kind::ContextForm) {
            let Some(r) = g.rule_ref(c.replication, c.rule) else {
                continue;
            };
            let object = sent(c, CONTEXT);
            let bucket_form = m.would_match == bucket_of(&object);
            let (severity, message) = if !bucket_form {
                (
                    Severity::Error,
                    format!(
                        "the {} grant on `{}` compares the encryption context with `{}` exactly, which never equals an object ARN: use StringLike",
                        c.need.action,
                        g.display(&c.need.grant),
                        g.display(&m.would_match)
                    ),
                )
            } else {
                let severity = match bucket_key(&r) {
                    Tri::No => Severity::Error,
                    _ => Severity::Warning,
                };
                (
                    severity,
                    format!(
                        "the {} grant on `{}` allows only the encryption context `{}` (the {} bucket ARN, sent only for objects with an S3 Bucket Key); objects without a Bucket Key send their object ARN and are denied",
                        c.need.action,
                        g.display(&c.need.grant),
                        g.display(&m.would_match),
                        which_bucket(c)
                    ),
                )
            };
            let bucket = g.display(bucket_of(&object));
            sink.report(&condition_loc(g, &m, CONTEXT), message)
                .severity(severity)
                .label("does not cover the object ARN form")
                .help(format!(
                    "use StringLike with both forms: [\"{bucket}\", \"{bucket}/*\"]"
                ))
                .resource(&*c.need.grant)
                .discriminator(format!("{}|{}", c.need.action, c.need.grant));
        }
        // Allowed with the object ARN, but a Bucket Key makes S3 send the bucket ARN.
        let mut seen = foldhash::HashSet::default();
        for c in cx.checked().filter(|c| {
            matches!(c.need.side, Side::SourceKey | Side::DestinationKey) && c.decision.is_allow()
        }) {
            let Some(r) = g.rule_ref(c.replication, c.rule) else {
                continue;
            };
            if bucket_key(&r) != Tri::Yes {
                continue;
            }
            let bucket = bucket_of(&sent(c, CONTEXT)).to_string();
            let access = RoleAccess::new(g, &g.roles[c.role]);
            let mut need = c.need.clone();
            need.set_context(CONTEXT, bucket.clone());
            if !matches!(access.decide(g, &need), Decision::ImplicitDeny { .. }) {
                continue;
            }
            let Decision::Allow { by } = &c.decision else {
                continue;
            };
            let m = super::near_miss::NearMiss {
                kind: Kind::ContextForm,
                would_match: bucket.clone(),
                by: by.clone(),
            };
            let loc = condition_loc(g, &m, CONTEXT);
            if !seen.insert((loc.clone(), c.need.action)) {
                continue;
            }
            sink.report(
                &loc,
                format!(
                    "an S3 Bucket Key is enabled, so S3 sends the {} bucket ARN `{}` as encryption context, but the {} grant on `{}` allows only object ARNs",
                    which_bucket(c),
                    g.display(&bucket),
                    c.need.action,
                    g.display(&c.need.grant)
                ),
            )
            .label("does not cover the bucket ARN form")
            .help(format!("use StringLike with both forms: [\"{0}\", \"{0}/*\"]", g.display(&bucket)))
            .resource(&*c.need.grant)
            .discriminator(format!("{}|{}|bucket-key", c.need.action, c.need.grant));
        }
    }
}
