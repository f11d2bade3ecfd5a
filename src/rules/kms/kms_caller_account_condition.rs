use super::near_miss::{Kind, condition_loc, of_kind, sent};
use crate::rules::prelude::*;

declare_rule! {
    /// A KMS grant for replication is limited to callers of the key's own account.
    ///
    /// ## What goes wrong
    /// The replication role of the source account calls KMS, so `kms:CallerAccount` (and
    /// `aws:PrincipalAccount`) is the source account. A key-policy statement conditioned on the
    /// key's (destination) account, like the AWS-managed-key style "all principals in this
    /// account via S3" statement, never matches the replication requests, and a cross-account
    /// replica key denies the role.
    ///
    /// ## How to fix
    /// Grant the replication role by its ARN in a statement without the account condition, or
    /// set the condition to the source account.
    ///
    /// ## Example
    /// Terraform, failing:
    /// ```hcl
    /// # key policy of the replica key in account 222222222222
    /// {
    ///   Effect = "Allow", Principal = { AWS = "*" }, Resource = "*"
    ///   Action = ["kms:Encrypt", "kms:GenerateDataKey"]
    ///   Condition = { StringEquals = { "kms:CallerAccount" = "222222222222" } }
    /// }
    /// ```
    /// Terraform, fixed:
    /// ```hcl
    /// {
    ///   Effect = "Allow", Principal = { AWS = "arn:aws:iam::111111111111:role/replication" }
    ///   Action = ["kms:Encrypt", "kms:GenerateDataKey"], Resource = "*"
    /// }
    /// ```
    /// CloudFormation, failing:
    /// ```yaml
    /// - Effect: Allow
    ///   Principal: {AWS: "*"}
    ///   Action: [kms:Encrypt, kms:GenerateDataKey]
    ///   Resource: "*"
    ///   Condition: {StringEquals: {kms:CallerAccount: !Ref AWS::AccountId}}
    /// ```
    /// CloudFormation, fixed:
    /// ```yaml
    /// - Effect: Allow
    ///   Principal: {AWS: arn:aws:iam::111111111111:role/replication}
    ///   Action: [kms:Encrypt, kms:GenerateDataKey]
    ///   Resource: "*"
    /// ```
    ///
    /// ## Sources
    /// KMS Developer Guide, "AWS KMS condition keys" (`kms:CallerAccount`); "Allowing users in
    /// other accounts to use a KMS key".
    pub KmsCallerAccountCondition { id: "kms-caller-account-condition", code: "K16", group: "kms", severity: Error }
}

impl Rule for KmsCallerAccountCondition {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, sink: &mut Sink<'_>) {
        let g = cx.graph;
        for (c, m) in of_kind(cx, Kind::CallerAccount) {
            let caller = sent(c, "kms:CallerAccount");
            sink.report(
                &caller_condition_loc(g, &m),
                format!(
                    "the grant of {} on `{}` requires the caller to be account {}, but the replication role calls KMS from account {}",
                    c.need.action,
                    g.display(&c.need.grant),
                    g.display(&m.would_match),
                    g.display(&caller)
                ),
            )
            .label("the replication caller is the source account")
            .help(super::key_policy_fix(g, g.roles[c.role].arn.known()))
            .resource(&*c.need.grant)
            .discriminator(format!("{}|{}", c.need.action, c.need.grant));
        }
    }
}

fn caller_condition_loc(g: &Graph<'_>, m: &super::near_miss::NearMiss) -> crate::source::Loc {
    let loc = condition_loc(g, m, "kms:CallerAccount");
    let statement = m.by.first().map(|b| b.loc.clone()).unwrap_or_default();
    if loc == statement {
        condition_loc(g, m, "aws:PrincipalAccount")
    } else {
        loc
    }
}
