use super::near_miss::{Kind, NearMiss, SSE, of_kind};
use crate::iam::Decision;
use crate::rules::prelude::*;

declare_rule! {
    /// An encryption condition on replication lists `aws:kms` but not `aws:kms:dsse` for a DSSE-KMS source.
    ///
    /// ## What goes wrong
    /// DSSE-KMS objects replicate like SSE-KMS objects (the same opt-in and replica key,
    /// `kms-opt-in-missing` / `kms-replica-key-missing`, and the same KMS permissions), but
    /// `s3:ReplicateObject` carries `s3:x-amz-server-side-encryption = aws:kms:dsse`. A policy
    /// condition that lists the allowed encryption types without `aws:kms:dsse`, as AWS's
    /// examples do, allows no replica of a DSSE-KMS object (or, in a Deny with
    /// `StringNotEquals`, denies them).
    ///
    /// ## How to fix
    /// Add `aws:kms:dsse` to the condition values.
    ///
    /// ## Example
    /// Terraform, failing:
    /// ```hcl
    /// {
    ///   Effect    = "Allow"
    ///   Action    = ["s3:ReplicateObject"]
    ///   Resource  = "${aws_s3_bucket.dst.arn}/*"
    ///   Condition = { StringLikeIfExists = { "s3:x-amz-server-side-encryption" = ["aws:kms", "AES256"] } }
    /// }
    /// # the source encrypts with sse_algorithm = "aws:kms:dsse"
    /// ```
    /// Terraform, fixed:
    /// ```hcl
    ///   Condition = { StringLikeIfExists = { "s3:x-amz-server-side-encryption" = ["aws:kms", "aws:kms:dsse", "AES256"] } }
    /// ```
    /// CloudFormation, failing:
    /// ```yaml
    /// - Effect: Allow
    ///   Action: s3:ReplicateObject
    ///   Resource: !Sub "${Dst.Arn}/*"
    ///   Condition: {StringLikeIfExists: {"s3:x-amz-server-side-encryption": [aws:kms, AES256]}}
    /// ```
    /// CloudFormation, fixed:
    /// ```yaml
    ///   Condition: {StringLikeIfExists: {"s3:x-amz-server-side-encryption": [aws:kms, aws:kms:dsse, AES256]}}
    /// ```
    ///
    /// ## Sources
    /// S3 User Guide, "Replicating encrypted objects".
    pub KmsDsse { id: "kms-dsse", code: "K18", group: "kms", severity: Error }
}

/// The encryption condition that decided: the Deny's, else the one of the Allow that would match.
fn condition_loc(g: &Graph<'_>, decision: &Decision, m: &NearMiss) -> crate::source::Loc {
    let statements: Vec<&crate::source::Loc> = match decision {
        Decision::ExplicitDeny { by } => vec![&by.loc],
        _ => m.by.iter().map(|b| &b.loc).collect(),
    };
    for loc in &statements {
        if let Some(st) = g.statement_at(loc)
            && let Some(cond) = st
                .conditions
                .iter()
                .find(|c| c.key.text.eq_ignore_ascii_case(SSE))
        {
            return cond
                .values
                .first()
                .map(|v| v.loc.clone())
                .unwrap_or_else(|| cond.key.loc.clone());
        }
    }
    statements.first().map(|l| (*l).clone()).unwrap_or_default()
}

impl Rule for KmsDsse {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, sink: &mut Sink<'_>) {
        let g = cx.graph;
        for (c, m) in of_kind(cx, Kind::Dsse) {
            let loc = condition_loc(g, &c.decision, &m);
            sink.report(
                &loc,
                format!(
                    "the source encrypts with DSSE-KMS, but the encryption condition on s3:ReplicateObject for `{}` does not accept `aws:kms:dsse`: replicas of DSSE-KMS objects are denied",
                    g.display(&c.need.grant)
                ),
            )
            .label("aws:kms:dsse missing")
            .help("add \"aws:kms:dsse\" to the condition's values")
            .resource(&*c.need.grant)
            .discriminator(&*c.need.grant);
        }
    }
}
