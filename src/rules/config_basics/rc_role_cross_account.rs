use crate::graph::{Resolved, Tri};
use crate::model::arn;
use crate::rules::prelude::*;

declare_rule! {
    /// The replication role belongs to another account than the source bucket.
    ///
    /// ## What goes wrong
    /// Whoever puts the replication configuration needs `iam:PassRole` on the role, and "you cannot
    /// use the PassRole permission to pass a cross-account role". `PutBucketReplication` fails
    /// with `AccessDenied`. AWS's design keeps the role in the source account; the destination
    /// account grants that role in its bucket policy.
    ///
    /// ## How to fix
    /// Create the replication role in the source bucket's account and grant it in the
    /// destination bucket policy (and key policy) instead.
    ///
    /// ## Example
    /// Terraform, failing (source bucket in 111111111111):
    /// ```hcl
    /// resource "aws_s3_bucket_replication_configuration" "this" {
    ///   bucket = aws_s3_bucket.src.id
    ///   role   = "arn:aws:iam::222222222222:role/replication"
    ///   # ...
    /// }
    /// ```
    /// Terraform, fixed:
    /// ```hcl
    /// resource "aws_s3_bucket_replication_configuration" "this" {
    ///   bucket = aws_s3_bucket.src.id
    ///   role   = aws_iam_role.replication.arn # created by the source account's provider
    ///   # ...
    /// }
    /// ```
    /// CloudFormation, failing (stack in 111111111111):
    /// ```yaml
    /// Src:
    ///   Type: AWS::S3::Bucket
    ///   Properties:
    ///     ReplicationConfiguration:
    ///       Role: arn:aws:iam::222222222222:role/replication
    /// ```
    /// CloudFormation, fixed:
    /// ```yaml
    /// Src:
    ///   Type: AWS::S3::Bucket
    ///   Properties:
    ///     ReplicationConfiguration:
    ///       Role: !GetAtt ReplicationRole.Arn
    /// ```
    ///
    /// ## Sources
    /// IAM User Guide, "Granting a user permissions to pass a role to an AWS service"; S3 User
    /// Guide, "Setting up permissions for live replication" (steps 2 and 3).
    pub RcRoleCrossAccount { id: "rc-role-cross-account", code: "C2", group: "config-basics", severity: Error }
}

impl Rule for RcRoleCrossAccount {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, sink: &mut Sink<'_>) {
        let g = cx.graph;
        for view in &g.replications {
            let config = &g.model.replications[view.index];
            let Some(src) = view.source.found().map(|i| &g.buckets[i]) else {
                continue;
            };
            let role_account = match view.role.found() {
                Some(r) => g.roles[r].account.clone(),
                None => match view.role_arn.concrete().and_then(arn::account_of) {
                    Some(a) => Resolved::Known(a.to_string()),
                    None => continue,
                },
            };
            if Graph::same_account(&src.account, &role_account) != Tri::No {
                continue;
            }
            let (Some(role_acct), Some(src_acct)) =
                (role_account.concrete(), src.account.concrete())
            else {
                continue;
            };
            sink.report(
                config.role.loc(),
                format!(
                    "the replication role is in account {role_acct}, but source bucket `{}` is in account {src_acct}: a role cannot be passed across accounts",
                    g.bucket_text(src)
                ),
            )
            .label("role of another account")
            .related(&src.bucket.origin.header, "source bucket")
            .help(format!(
                "create the replication role in account {src_acct} and grant it in the destination's bucket policy"
            ))
            .resource(config.origin.address.as_str());
        }
    }
}
