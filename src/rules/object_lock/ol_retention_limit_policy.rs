use crate::iam::Effect;
use crate::rules::grants;
use crate::rules::prelude::*;

declare_rule! {
    /// The destination bucket policy limits Object Lock retention with a Deny that also covers replication.
    ///
    /// ## What goes wrong
    /// A bucket policy can cap retention periods with `s3:object-lock-remaining-retention-days`,
    /// `s3:object-lock-mode` or `s3:object-lock-retain-until-date`. Replicas carry the source's
    /// retention, so when such a Deny covers `s3:ReplicateObject`, replicas of source objects whose
    /// retention exceeds the limit are denied and fail to replicate. S3 warns: "If your bucket is
    /// the destination bucket for a replication configuration … you must allow the
    /// `s3:ReplicateObject` action in your bucket policy."
    ///
    /// ## How to fix
    /// Restrict the Deny to `s3:PutObjectRetention` (and `s3:PutObject`) for other principals, or
    /// exclude the replication role with an `aws:PrincipalArn` condition; keep the source's
    /// retention within the destination's limit.
    ///
    /// ## Example
    /// Terraform, failing:
    /// ```hcl
    /// { Effect = "Deny", Principal = "*", Action = "s3:*", Resource = "${aws_s3_bucket.dst.arn}/*"
    ///   Condition = { NumericGreaterThan = { "s3:object-lock-remaining-retention-days" = "30" } } }
    /// ```
    /// Terraform, fixed:
    /// ```hcl
    /// { Effect = "Deny", Principal = "*", Action = "s3:PutObjectRetention", Resource = "${aws_s3_bucket.dst.arn}/*"
    ///   Condition = { NumericGreaterThan = { "s3:object-lock-remaining-retention-days" = "30" } } }
    /// ```
    /// CloudFormation, failing:
    /// ```yaml
    /// - Effect: Deny
    ///   Principal: "*"
    ///   Action: s3:*
    ///   Resource: !Sub "${Dst.Arn}/*"
    ///   Condition: {NumericGreaterThan: {"s3:object-lock-remaining-retention-days": "30"}}
    /// ```
    /// CloudFormation, fixed:
    /// ```yaml
    /// - Effect: Deny
    ///   Principal: "*"
    ///   Action: s3:PutObjectRetention
    ///   Resource: !Sub "${Dst.Arn}/*"
    ///   Condition: {NumericGreaterThan: {"s3:object-lock-remaining-retention-days": "30"}}
    /// ```
    ///
    /// ## Sources
    /// S3 User Guide, Object Lock considerations (§ Setting limits on retention periods).
    pub OlRetentionLimitPolicy { id: "ol-retention-limit-policy", code: "L4", group: "object-lock", severity: Warning }
}

const RETENTION_KEYS: [&str; 3] = [
    "s3:object-lock-remaining-retention-days",
    "s3:object-lock-mode",
    "s3:object-lock-retain-until-date",
];

impl Rule for OlRetentionLimitPolicy {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, sink: &mut Sink<'_>) {
        let g = cx.graph;
        let mut seen = foldhash::HashSet::default();
        for r in g.each_rule() {
            if !r.is_active() {
                continue;
            }
            // Replicas carry retention only from a locked source.
            let Some(src) = r.source() else { continue };
            let locked = &src.object_lock.value;
            if !locked.is_true() && (locked.is_known() || locked.is_absent()) {
                continue;
            }
            let Some(dst) = r.destination() else { continue };
            let Some(id) = dst.policy else { continue };
            let Some(policy) = g.policy(id) else { continue };
            for st in &policy.statements {
                if st.effect != Some(Effect::Deny)
                    || !grants::covers_action(st, "s3:ReplicateObject")
                {
                    continue;
                }
                let Some(cond) = st.conditions.iter().find(|c| {
                    RETENTION_KEYS
                        .iter()
                        .any(|k| c.key.text.eq_ignore_ascii_case(k))
                }) else {
                    continue;
                };
                if !seen.insert(st.loc.clone()) {
                    continue;
                }
                sink.report(
                    &cond.key.loc,
                    format!(
                        "the bucket policy of destination `{}` limits Object Lock retention with a Deny that covers s3:ReplicateObject: replicas of source objects beyond the limit fail",
                        g.bucket_text(dst)
                    ),
                )
                .label("retention limit applies to replication")
                .related(&st.loc, "this Deny statement")
                .help("limit the Deny to s3:PutObjectRetention / s3:PutObject for other principals, or exclude the replication role (`aws:PrincipalArn`), and keep source retention within the limit")
                .resource(g.doc(id).address.as_str())
                .discriminator(format!("{}", st.index));
            }
        }
    }
}
