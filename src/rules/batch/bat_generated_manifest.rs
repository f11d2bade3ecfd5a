use crate::rules::access::identity_anchor;
use crate::rules::prelude::*;

declare_rule! {
    /// A job role set up for an S3-generated manifest lacks half of what generating it needs.
    ///
    /// ## What goes wrong
    /// When Batch Replication generates its manifest from the replication configuration, the job
    /// role needs both `s3:GetReplicationConfiguration` and `s3:PutInventoryConfiguration` on the
    /// source **bucket** ARN. With only one of them the job fails before replicating anything.
    ///
    /// The manifest choice is made when the job is created, which no format declares; repl-lint
    /// reports a job role (see `bat-initiate`) that is granted exactly one of the two on a bucket
    /// of the input, which only makes sense for a generated manifest. A role that is also the
    /// role of a live replication configuration needs `s3:GetReplicationConfiguration` for that
    /// alone, so only a missing `s3:GetReplicationConfiguration` is reported for it.
    ///
    /// ## How to fix
    /// Grant both actions on `arn:aws:s3:::SRC`.
    ///
    /// ## Example
    /// Terraform, failing:
    /// ```hcl
    /// statement {
    ///   actions   = ["s3:GetReplicationConfiguration"]
    ///   resources = [aws_s3_bucket.src.arn]
    /// }
    /// ```
    /// Terraform, fixed:
    /// ```hcl
    /// statement {
    ///   actions   = ["s3:GetReplicationConfiguration", "s3:PutInventoryConfiguration"]
    ///   resources = [aws_s3_bucket.src.arn]
    /// }
    /// ```
    /// CloudFormation, failing:
    /// ```yaml
    /// - Effect: Allow
    ///   Action: s3:GetReplicationConfiguration
    ///   Resource: !GetAtt Src.Arn
    /// ```
    /// CloudFormation, fixed:
    /// ```yaml
    /// - Effect: Allow
    ///   Action: [s3:GetReplicationConfiguration, s3:PutInventoryConfiguration]
    ///   Resource: !GetAtt Src.Arn
    /// ```
    ///
    /// ## Sources
    /// S3 User Guide, "Configuring an IAM role for S3 Batch Replication" (S3-generated manifest).
    pub BatGeneratedManifest { id: "bat-generated-manifest", code: "O4", group: "batch", severity: Error }
}

impl Rule for BatGeneratedManifest {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, sink: &mut Sink<'_>) {
        let g = cx.graph;
        const PAIR: [&str; 2] = [
            "s3:GetReplicationConfiguration",
            "s3:PutInventoryConfiguration",
        ];
        let mut live = vec![false; g.roles.len()];
        for view in &g.replications {
            if let crate::graph::Link::Found(r) = view.role
                && let Some(l) = live.get_mut(r)
            {
                *l = true;
            }
        }
        for job in super::job_roles(g) {
            let role = &g.roles[job.role];
            let (anchor, address) = identity_anchor(g, role);
            let role_name = &g.model.roles[job.role].origin.address;
            for &b in &job.buckets {
                let bucket = &g.buckets[b];
                let decisions: Vec<_> = PAIR
                    .iter()
                    .map(|a| super::decide(g, job.role, bucket, a, false))
                    .collect();
                let allowed = |i: usize| {
                    decisions
                        .get(i)
                        .and_then(Option::as_ref)
                        .is_some_and(|d| d.is_allow())
                };
                let denied = |i: usize| {
                    matches!(
                        decisions.get(i).and_then(Option::as_ref),
                        Some(crate::iam::Decision::ImplicitDeny { .. })
                    )
                };
                // A role that also serves live replication needs GetReplicationConfiguration for
                // that alone, which says nothing about the job's manifest.
                let (has, lacks) =
                    if allowed(0) && denied(1) && !live.get(job.role).copied().unwrap_or(false) {
                        (PAIR[0], PAIR[1])
                    } else if allowed(1) && denied(0) {
                        (PAIR[1], PAIR[0])
                    } else {
                        continue;
                    };
                let name = g.bucket_text(bucket);
                sink.report(
                    &anchor,
                    format!("Batch Replication job role `{role_name}` may {has} but not {lacks} on `{name}`: generating the job's manifest needs both"),
                )
                .label(format!("missing {lacks}"))
                .help(format!(
                    "add to the job role's policy:\n{{\"Effect\": \"Allow\", \"Action\": \"{lacks}\", \"Resource\": \"{}\"}}",
                    g.display(bucket.arn.known().unwrap_or_default())
                ))
                .resource(address.as_str())
                .discriminator(name);
            }
        }
    }
}
