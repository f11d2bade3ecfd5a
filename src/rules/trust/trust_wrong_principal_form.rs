use crate::rules::prelude::*;

use super::{replication_trusts, trusts_s3, wrong_s3_forms};

declare_rule! {
    /// The trust policy names S3 in a form that does not match the service principal.
    ///
    /// ## What goes wrong
    /// The principal S3 assumes roles as is exactly `{"Service": "s3.amazonaws.com"}`. A regional
    /// form (`s3.us-east-1.amazonaws.com`), an `AWS` principal, a service ARN, a misspelling, or
    /// `NotPrincipal` (not allowed in trust policies) never matches, so S3 cannot assume the role.
    ///
    /// ## How to fix
    /// `"Principal": {"Service": "s3.amazonaws.com"}`.
    ///
    /// ## Example
    /// Terraform, failing:
    /// ```hcl
    /// resource "aws_iam_role" "replication" {
    ///   name               = "s3-replication"
    ///   assume_role_policy = jsonencode({
    ///     Version   = "2012-10-17"
    ///     Statement = [
    ///       {
    ///         Effect    = "Allow"
    ///         Principal = { Service = "s3.us-east-1.amazonaws.com" }
    ///         Action    = "sts:AssumeRole"
    ///       },
    ///     ]
    ///   })
    /// }
    /// ```
    /// Terraform, fixed:
    /// ```hcl
    /// resource "aws_iam_role" "replication" {
    ///   name               = "s3-replication"
    ///   assume_role_policy = jsonencode({
    ///     Version   = "2012-10-17"
    ///     Statement = [
    ///       {
    ///         Effect    = "Allow"
    ///         Principal = { Service = "s3.amazonaws.com" }
    ///         Action    = "sts:AssumeRole"
    ///       },
    ///     ]
    ///   })
    /// }
    /// ```
    /// CloudFormation, failing:
    /// ```yaml
    /// ReplicationRole:
    ///   Type: AWS::IAM::Role
    ///   Properties:
    ///     RoleName: s3-replication
    ///     AssumeRolePolicyDocument:
    ///       Version: "2012-10-17"
    ///       Statement:
    ///         - Effect: Allow
    ///           Principal:
    ///             Service: s3.us-east-1.amazonaws.com
    ///           Action: sts:AssumeRole
    ///     # ...
    /// ```
    /// CloudFormation, fixed:
    /// ```yaml
    /// ReplicationRole:
    ///   Type: AWS::IAM::Role
    ///   Properties:
    ///     RoleName: s3-replication
    ///     AssumeRolePolicyDocument:
    ///       Version: "2012-10-17"
    ///       Statement:
    ///         - Effect: Allow
    ///           Principal:
    ///             Service: s3.amazonaws.com
    ///           Action: sts:AssumeRole
    ///     # ...
    /// ```
    ///
    /// ## Sources
    /// IAM User Guide, "Principal" (service principals) and "NotPrincipal".
    pub TrustWrongPrincipalForm { id: "trust-wrong-principal-form", code: "D2", group: "trust", severity: Error }
}

impl Rule for TrustWrongPrincipalForm {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, sink: &mut Sink<'_>) {
        let g = cx.graph;
        for (role, trust) in replication_trusts(g) {
            let Some(policy) = trust.and_then(|id| g.policy(id)) else {
                continue;
            };
            if trusts_s3(policy) {
                continue;
            }
            let origin = &g.model.roles[role].origin;
            for (item, why) in wrong_s3_forms(policy) {
                sink.report(
                    &item.loc,
                    format!(
                        "the trust policy of replication role `{}` cannot let S3 assume it: {why}",
                        origin.address
                    ),
                )
                .label("not the S3 service principal")
                .help("use \"Principal\": {\"Service\": \"s3.amazonaws.com\"}")
                .resource(origin.address.as_str())
                .discriminator(item.text.as_str());
            }
        }
    }
}
