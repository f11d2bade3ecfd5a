use crate::rules::coverage;
use crate::rules::prelude::*;

declare_rule! {
    /// An encryption condition on the role's `s3:Replicate*` grant excludes some replication requests.
    ///
    /// ## What goes wrong
    /// Allow statements for `s3:Replicate*` conditioned on `s3:x-amz-server-side-encryption` or
    /// `s3:x-amz-server-side-encryption-aws-kms-key-id` fail when:
    /// (a) the operator is not `…IfExists`: `s3:ReplicateDelete` and `s3:ReplicateTags` requests
    /// (and unencrypted or SSE-S3 replicas, for the key id) carry no such header, so the Allow never
    /// applies and deletes or tags fail (`DstDelObjNotPermitted`);
    /// (b) the value list misses the encryption type the source uses (`AES256`, `aws:kms`,
    /// `aws:kms:dsse`; the 2023 walkthrough policy lists only `aws:kms` and `AES256`, so DSSE-KMS
    /// replicas are denied);
    /// (c) the key-id list misses the rule's replica key ARN.
    ///
    /// ## How to fix
    /// Use `StringLikeIfExists` with all three algorithms, and list the replica key ARNs.
    ///
    /// ## Example
    /// Terraform, failing:
    /// ```hcl
    /// statement {
    ///   actions   = ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"]
    ///   resources = ["${aws_s3_bucket.dst.arn}/*"]
    ///   condition {
    ///     test     = "StringLike"
    ///     variable = "s3:x-amz-server-side-encryption"
    ///     values   = ["aws:kms", "AES256"]
    ///   }
    /// }
    /// ```
    /// Terraform, fixed:
    /// ```hcl
    /// statement {
    ///   actions   = ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"]
    ///   resources = ["${aws_s3_bucket.dst.arn}/*"]
    ///   condition {
    ///     test     = "StringLikeIfExists"
    ///     variable = "s3:x-amz-server-side-encryption"
    ///     values   = ["aws:kms", "aws:kms:dsse", "AES256"]
    ///   }
    /// }
    /// ```
    /// CloudFormation, failing:
    /// ```yaml
    /// - Effect: Allow
    ///   Action: [s3:ReplicateObject, s3:ReplicateDelete, s3:ReplicateTags]
    ///   Resource: !Sub "${Dst.Arn}/*"
    ///   Condition:
    ///     StringLike: {"s3:x-amz-server-side-encryption": [aws:kms, AES256]}
    /// ```
    /// CloudFormation, fixed:
    /// ```yaml
    /// - Effect: Allow
    ///   Action: [s3:ReplicateObject, s3:ReplicateDelete, s3:ReplicateTags]
    ///   Resource: !Sub "${Dst.Arn}/*"
    ///   Condition:
    ///     StringLikeIfExists: {"s3:x-amz-server-side-encryption": [aws:kms, aws:kms:dsse, AES256]}
    /// ```
    ///
    /// ## Sources
    /// S3 User Guide, "Replicating encrypted objects" (walkthrough policy; the current version adds
    /// `aws:kms:dsse`); IAM User Guide, condition operators (`…IfExists`); Service Authorization
    /// Reference for Amazon S3 (condition keys per action).
    pub DstpSseCondition { id: "dstp-sse-condition", code: "F5", group: "destination-permissions", severity: Error }
}

impl Rule for DstpSseCondition {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, sink: &mut Sink<'_>) {
        let g = cx.graph;
        // (replication, statement) → (rule, condition, actions, request value per action)
        let mut groups: Vec<((usize, crate::source::Loc), Group<'_>)> = Vec::new();
        for c in cx.checked() {
            let Some((st, cond)) = coverage::sse_condition_gap(g, c) else {
                continue;
            };
            let key = cond.key.text.to_ascii_lowercase();
            let sent = c
                .need
                .context
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(&key))
                .map(|(_, v)| v.clone());
            let at = (c.replication, st.loc.clone());
            let index = match groups.iter().position(|(k, _)| *k == at) {
                Some(i) => i,
                None => {
                    groups.push((
                        at,
                        Group {
                            rule: c.rule,
                            condition: cond,
                            without_header: Vec::new(),
                            missing_value: None,
                        },
                    ));
                    groups.len() - 1
                }
            };
            let Some((_, entry)) = groups.get_mut(index) else {
                continue;
            };
            match sent {
                None => {
                    if !entry.without_header.contains(&c.need.action) {
                        entry.without_header.push(c.need.action);
                    }
                }
                Some(value) => entry.missing_value = Some((c.need.action, value)),
            }
        }
        for ((replication, statement), grp) in groups {
            let Some(r) = g.rule_ref(replication, grp.rule) else {
                continue;
            };
            let cond = grp.condition;
            let mut reasons = Vec::new();
            if !grp.without_header.is_empty() {
                reasons.push(format!(
                    "{} requests carry no `{}`, and `{}` is not an …IfExists operator, so the Allow never applies to them",
                    grp.without_header.join(", "),
                    cond.key.text,
                    cond.operator_text.text
                ));
            }
            if let Some((action, value)) = &grp.missing_value {
                let allowed: Vec<String> = cond.values.iter().map(|v| g.display(&v.text)).collect();
                reasons.push(format!(
                    "{action} requests of {} carry `{}` = `{}`, which is not among [{}]",
                    r.label(),
                    cond.key.text,
                    g.display(value),
                    allowed.join(", ")
                ));
            }
            let address = g
                .doc_of_statement(&statement)
                .map(|id| g.doc(id).address.clone())
                .unwrap_or_else(|| r.address().to_string());
            sink.report(
                &cond.key.loc,
                format!(
                    "the encryption condition on the role's replication grant excludes replication requests: {}",
                    reasons.join("; ")
                ),
            )
            .label("excludes replication requests")
            .related(&statement, "grant")
            .help(format!(
                "use StringLikeIfExists and allow every algorithm the source uses (AES256, aws:kms, aws:kms:dsse) and the replica key ARNs, e.g.\n\"Condition\": {{\"StringLikeIfExists\": {{\"{}\": [...]}}}}",
                cond.key.text
            ))
            .resource(address)
            .discriminator(format!("{}", grp.rule));
        }
    }
}

struct Group<'g> {
    rule: usize,
    condition: &'g crate::iam::policy::Condition,
    without_header: Vec<&'static str>,
    missing_value: Option<(&'static str, String)>,
}
