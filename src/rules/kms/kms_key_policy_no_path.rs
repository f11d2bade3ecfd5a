use crate::graph::Tri;
use crate::rules::prelude::*;

declare_rule! {
    /// A KMS key in the role's own account has a key policy that neither names the role nor enables IAM policies.
    ///
    /// ## What goes wrong
    /// A key policy must allow use of the key, directly or through the root "Enable IAM policies"
    /// statement (`arn:aws:iam::ACCOUNT:root`). Without either, IAM allows in the role's policy
    /// "have no effect" and KMS denies the replication role.
    ///
    /// ## How to fix
    /// Keep AWS's default statement in the key policy, or grant the role directly:
    /// ```json
    /// {"Effect": "Allow", "Principal": {"AWS": "<role ARN>"}, "Action": ["kms:Encrypt", "kms:GenerateDataKey", "kms:Decrypt"], "Resource": "*"}
    /// ```
    ///
    /// ## Example
    /// Terraform, failing:
    /// ```hcl
    /// resource "aws_kms_key" "replica" {
    ///   provider = aws.replica
    ///
    ///   enable_key_rotation = true
    ///   policy              = jsonencode({
    ///     Version   = "2012-10-17"
    ///     Statement = [
    ///       {
    ///         Sid       = "Admins"
    ///         Effect    = "Allow"
    ///         Principal = { AWS = "arn:aws:iam::111111111111:role/key-admin" }
    ///         Action    = "kms:*"
    ///         Resource  = "*"
    ///       },
    ///     ]
    ///   })
    /// }
    /// ```
    /// Terraform, fixed:
    /// ```hcl
    /// resource "aws_kms_key" "replica" {
    ///   provider = aws.replica
    ///
    ///   enable_key_rotation = true
    ///   policy              = jsonencode({
    ///     Version   = "2012-10-17"
    ///     Statement = [
    ///       {
    ///         Sid       = "EnableIamPolicies"
    ///         Effect    = "Allow"
    ///         Principal = { AWS = "arn:aws:iam::${data.aws_caller_identity.replica.account_id}:root" }
    ///         Action    = "kms:*"
    ///         Resource  = "*"
    ///       },
    ///     ]
    ///   })
    /// }
    /// ```
    /// CloudFormation, failing:
    /// ```yaml
    /// ReplicaKey:
    ///   Type: AWS::KMS::Key
    ///   Properties:
    ///     EnableKeyRotation: true
    ///     KeyPolicy:
    ///       Version: "2012-10-17"
    ///       Statement:
    ///         - Sid: Admins
    ///           Effect: Allow
    ///           Principal:
    ///             AWS: arn:aws:iam::111111111111:role/key-admin
    ///           Action: kms:*
    ///           Resource: "*"
    /// ```
    /// CloudFormation, fixed:
    /// ```yaml
    /// ReplicaKey:
    ///   Type: AWS::KMS::Key
    ///   Properties:
    ///     EnableKeyRotation: true
    ///     KeyPolicy:
    ///       Version: "2012-10-17"
    ///       Statement:
    ///         - Sid: EnableIamPolicies
    ///           Effect: Allow
    ///           Principal:
    ///             AWS: !Sub "arn:aws:iam::${AWS::AccountId}:root"
    ///           Action: kms:*
    ///           Resource: "*"
    /// ```
    ///
    /// ## Sources
    /// KMS Developer Guide, "Default key policy"; AWS Knowledge Center, "Why aren't my Amazon S3
    /// objects replicating".
    pub KmsKeyPolicyNoPath { id: "kms-key-policy-no-path", code: "K12", group: "kms", severity: Error }
}

impl Rule for KmsKeyPolicyNoPath {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, sink: &mut Sink<'_>) {
        let g = cx.graph;
        for (c, loc) in super::key_policy_gaps(cx, Tri::Yes) {
            let role = &g.roles[c.role];
            sink.report(
                &loc,
                format!(
                    "the key policy of `{}` neither grants the replication role {} nor enables IAM policies, so the role's IAM permissions have no effect",
                    g.display(&c.need.grant),
                    c.need.action
                ),
            )
            .label("no statement for the role or the account root")
            .help(super::key_policy_fix(g, role.arn.known()))
            .resource(crate::rules::grants::resource_policy_address(g, c))
            .discriminator(c.need.action);
        }
    }
}
