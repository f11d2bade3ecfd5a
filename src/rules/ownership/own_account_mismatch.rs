use crate::graph::Resolved;
use crate::rules::prelude::*;

declare_rule! {
    /// The destination `Account` is not the account that owns the destination bucket.
    ///
    /// ## What goes wrong
    /// The `Account` element "specifies the AWS account of the destination bucket owner". When it
    /// names another account, the owner override hands the replicas to the wrong account, or the
    /// `s3:ObjectOwnerOverrideToBucketOwner` write fails and objects end up `FAILED`. AWS does not
    /// document which of the two happens; both lose the replicas.
    ///
    /// ## How to fix
    /// Set `account` / `Account` to the id of the account that owns the destination bucket
    /// (in Terraform, often `data.aws_caller_identity.<destination provider>.account_id`).
    ///
    /// ## Example
    /// Terraform, failing:
    /// ```hcl
    /// provider "aws" {
    ///   alias               = "dst"
    ///   allowed_account_ids = ["222222222222"]
    /// }
    /// resource "aws_s3_bucket" "dst" {
    ///   provider = aws.dst
    ///   bucket   = "dst-bucket"
    /// }
    /// # in the replication rule
    /// destination {
    ///   bucket  = aws_s3_bucket.dst.arn
    ///   account = "333333333333"
    /// }
    /// ```
    /// Terraform, fixed:
    /// ```hcl
    /// destination {
    ///   bucket  = aws_s3_bucket.dst.arn
    ///   account = "222222222222"
    /// }
    /// ```
    /// CloudFormation, failing (the destination stack is deployed in 222222222222):
    /// ```yaml
    /// Destination:
    ///   Bucket: arn:aws:s3:::dst-bucket
    ///   Account: "333333333333"
    /// ```
    /// CloudFormation, fixed:
    /// ```yaml
    /// Destination:
    ///   Bucket: arn:aws:s3:::dst-bucket
    ///   Account: "222222222222"
    /// ```
    ///
    /// ## Sources
    /// S3 User Guide, "Changing the replica owner" ("Account element, which specifies the AWS
    /// account of the destination bucket owner").
    pub OwnAccountMismatch { id: "own-account-mismatch", code: "H3", group: "ownership", severity: Error }
}

impl Rule for OwnAccountMismatch {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, sink: &mut Sink<'_>) {
        let g = cx.graph;
        for r in g.each_rule() {
            let Some(dst) = r.destination() else { continue };
            let account = &r.rule.destination.account;
            let Resolved::Known(written) = g.resolver.resolve(account) else {
                continue;
            };
            let (Some(written), Some(owner)) = (
                Resolved::Known(written.clone())
                    .concrete()
                    .map(str::to_string),
                dst.account.concrete(),
            ) else {
                continue;
            };
            if written == owner {
                continue;
            }
            let name = g.bucket_text(dst);
            sink.report(
                account.loc(),
                format!(
                    "{} names account {written} as the destination owner, but bucket `{name}` belongs to account {owner}",
                    r.label()
                ),
            )
            .label(format!("should be {owner}"))
            .related(&dst.bucket.origin.header, format!("`{name}` is in account {owner}"))
            .help(format!("set the destination account to \"{owner}\", the owner of `{name}`"))
            .resource(r.address())
            .discriminator(r.key());
        }
    }
}
