use crate::iam::matching::{Match, glob};
use crate::iam::{ActionSpec, Effect};
use crate::rules::grants::covers_action;
use crate::rules::prelude::*;

use super::{cross_account_destinations, names_role, principals};

declare_rule! {
    /// The destination bucket policy lets the source account's role change the destination's versioning.
    ///
    /// ## What goes wrong
    /// AWS's example destination policy grants the replication role `s3:PutBucketVersioning`
    /// (with `s3:GetBucketVersioning`, `s3:List*`) on the destination bucket, for the console.
    /// Replication never calls them. With `s3:PutBucketVersioning` the source account can suspend
    /// versioning on the destination, which makes every replica fail (`DstBucketUnversioned`).
    ///
    /// ## How to fix
    /// Drop `s3:PutBucketVersioning` from the destination bucket policy (keep the `s3:Replicate*`
    /// object grants).
    ///
    /// ## Example
    /// Terraform, failing:
    /// ```hcl
    /// statement {
    ///   principals {
    ///     type        = "AWS"
    ///     identifiers = [var.source_replication_role_arn]
    ///   }
    ///   actions   = ["s3:GetBucketVersioning", "s3:PutBucketVersioning"]
    ///   resources = [aws_s3_bucket.dst.arn]
    /// }
    /// ```
    /// Terraform, fixed:
    /// ```hcl
    /// statement {
    ///   principals {
    ///     type        = "AWS"
    ///     identifiers = [var.source_replication_role_arn]
    ///   }
    ///   actions   = ["s3:GetBucketVersioning"]
    ///   resources = [aws_s3_bucket.dst.arn]
    /// }
    /// ```
    /// CloudFormation, failing:
    /// ```yaml
    /// - Effect: Allow
    ///   Principal: {AWS: !Ref SourceReplicationRoleArn}
    ///   Action: [s3:GetBucketVersioning, s3:PutBucketVersioning]
    ///   Resource: !GetAtt Dst.Arn
    /// ```
    /// CloudFormation, fixed:
    /// ```yaml
    /// - Effect: Allow
    ///   Principal: {AWS: !Ref SourceReplicationRoleArn}
    ///   Action: [s3:GetBucketVersioning]
    ///   Resource: !GetAtt Dst.Arn
    /// ```
    ///
    /// ## Sources
    /// S3 User Guide, "Setting up permissions for live replication" (example destination policy)
    /// and cross-account walkthrough; AWS Knowledge Center on cross-account replication with
    /// Object Lock; S3 User Guide, "Requirements and considerations for replication".
    pub XdstPutbucketversioningOvergrant { id: "xdst-putbucketversioning-overgrant", code: "G8", group: "cross-account", severity: Info }
}

const ACTION: &str = "s3:PutBucketVersioning";

impl Rule for XdstPutbucketversioningOvergrant {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, sink: &mut Sink<'_>) {
        let g = cx.graph;
        let mut seen = foldhash::HashSet::default();
        for d in cross_account_destinations(g, |_| {}) {
            let Some(id) = d.policy else { continue };
            let Some(policy) = g.policy(id) else { continue };
            for st in &policy.statements {
                if st.effect != Some(Effect::Allow)
                    || !covers_action(st, ACTION)
                    || !principals(st)
                        .iter()
                        .any(|p| names_role(&p.value, &p.kind, d.role))
                    || !seen.insert(st.loc.clone())
                {
                    continue;
                }
                let at = match &st.action {
                    Some(ActionSpec::Action(items)) => items
                        .iter()
                        .find(|i| glob(&i.text, ACTION, true) == Match::Yes)
                        .map_or(&st.loc, |i| &i.loc),
                    _ => &st.loc,
                };
                sink.report(
                    at,
                    format!(
                        "the bucket policy of `{}` lets the source account's replication role call s3:PutBucketVersioning: replication never needs it, and suspending versioning there would make every replica fail",
                        g.bucket_text(&g.buckets[d.bucket])
                    ),
                )
                .label("grants s3:PutBucketVersioning")
                .help("remove s3:PutBucketVersioning from this statement")
                .resource(g.doc(id).address.as_str());
            }
        }
    }
}
