use crate::iam::Decision;
use crate::rules::access::identity_anchor;
use crate::rules::prelude::*;

declare_rule! {
    /// The Batch Replication job role may not call `s3:InitiateReplication` on the source objects.
    ///
    /// ## What goes wrong
    /// A Batch Replication job replicates each object of its manifest by calling
    /// `s3:InitiateReplication` on the object, as the job role. The permission must be granted on
    /// the source **objects** (`arn:aws:s3:::SRC/*`), not the bucket ARN; otherwise every task
    /// fails with `InitiateReplicationNotPermitted`.
    ///
    /// Batch Operations jobs are not declared in Terraform or CloudFormation; repl-lint checks
    /// roles that `batchoperations.s3.amazonaws.com` may assume and whose policies name a
    /// replication-job action (`s3:InitiateReplication`, `s3:GetReplicationConfiguration`,
    /// `s3:PutInventoryConfiguration`) on a bucket of the input.
    ///
    /// ## How to fix
    /// Grant `s3:InitiateReplication` on `arn:aws:s3:::SRC/*` in the job role's policy.
    ///
    /// ## Example
    /// Terraform, failing:
    /// ```hcl
    /// statement {
    ///   actions   = ["s3:InitiateReplication"]
    ///   resources = [aws_s3_bucket.src.arn]
    /// }
    /// ```
    /// Terraform, fixed:
    /// ```hcl
    /// statement {
    ///   actions   = ["s3:InitiateReplication"]
    ///   resources = ["${aws_s3_bucket.src.arn}/*"]
    /// }
    /// ```
    /// CloudFormation, failing:
    /// ```yaml
    /// - Effect: Allow
    ///   Action: s3:InitiateReplication
    ///   Resource: !GetAtt Src.Arn
    /// ```
    /// CloudFormation, fixed:
    /// ```yaml
    /// - Effect: Allow
    ///   Action: s3:InitiateReplication
    ///   Resource: !Sub "${Src.Arn}/*"
    /// ```
    ///
    /// ## Sources
    /// S3 User Guide, "Configuring an IAM role for S3 Batch Replication"; replication failure
    /// reasons (`InitiateReplicationNotPermitted`).
    pub BatInitiate { id: "bat-initiate", code: "O3", group: "batch", severity: Error }
}

impl Rule for BatInitiate {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, sink: &mut Sink<'_>) {
        let g = cx.graph;
        for job in super::job_roles(g) {
            let role = &g.roles[job.role];
            let (anchor, address) = identity_anchor(g, role);
            let role_name = &g.model.roles[job.role].origin.address;
            for &b in &job.buckets {
                let bucket = &g.buckets[b];
                let name = g.bucket_text(bucket);
                let Some(decision) =
                    super::decide(g, job.role, bucket, "s3:InitiateReplication", true)
                else {
                    continue;
                };
                match decision {
                    Decision::Allow { .. } => {}
                    Decision::Unknown { why, .. } => {
                        sink.cannot_verify(
                            &anchor,
                            format!("whether job role `{role_name}` may s3:InitiateReplication on `{name}/*`: {}", g.display(&why)),
                            "pass the policies the decision depends on",
                        )
                        .resource(address.as_str())
                        .discriminator(name);
                    }
                    Decision::ExplicitDeny { by } => {
                        sink.report(
                            &by.loc.or(&anchor),
                            format!("a Deny blocks s3:InitiateReplication on `{name}/*` for Batch Replication job role `{role_name}`: every task fails with InitiateReplicationNotPermitted"),
                        )
                        .label("denies the job role")
                        .resource(address.as_str())
                        .discriminator(name);
                    }
                    Decision::ImplicitDeny { .. } => {
                        sink.report(
                            &anchor,
                            format!("Batch Replication job role `{role_name}` names `{name}` but may not s3:InitiateReplication on its objects: every task fails with InitiateReplicationNotPermitted"),
                        )
                        .label("no s3:InitiateReplication on the source objects")
                        .help(format!(
                            "add to the job role's policy:\n{{\"Effect\": \"Allow\", \"Action\": \"s3:InitiateReplication\", \"Resource\": \"{}/*\"}}",
                            g.display(bucket.arn.known().unwrap_or_default())
                        ))
                        .resource(address.as_str())
                        .discriminator(name);
                    }
                }
            }
        }
    }
}
