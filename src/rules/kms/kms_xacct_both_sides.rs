use crate::graph::Tri;
use crate::rules::prelude::*;

declare_rule! {
    /// A KMS key of another account does not grant the replication role in its key policy.
    ///
    /// ## What goes wrong
    /// When the key belongs to another account than the role (the usual case for a replica key in
    /// the destination account), "neither the key policy nor the IAM policy alone is sufficient":
    /// the key policy must allow the role (or the source account root) and the role's policy must
    /// allow the key ARN.
    ///
    /// ## How to fix
    /// Add to the key policy:
    /// ```json
    /// {"Sid": "AllowS3ReplicationSourceRoleToUseTheKey", "Effect": "Allow", "Principal": {"AWS": "<role ARN>"}, "Action": ["kms:GenerateDataKey", "kms:Encrypt", "kms:Decrypt"], "Resource": "*"}
    /// ```
    ///
    /// ## Example
    /// Terraform, failing:
    /// ```hcl
    /// resource "aws_kms_key" "replica" {
    ///   provider = aws.replica
    ///
    ///   description         = "Encrypts the replicas in acme-data-replica"
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
    /// Terraform, fixed:
    /// ```hcl
    /// resource "aws_kms_key" "replica" {
    ///   provider = aws.replica
    ///
    ///   enable_key_rotation = true
    ///   policy              = jsonencode({
    ///     Version   = "2012-10-17"
    ///     Statement = [
    ///       # ...
    ///       {
    ///         Sid       = "ReplicationRole"
    ///         Effect    = "Allow"
    ///         Principal = { AWS = aws_iam_role.replication.arn }
    ///         Action    = ["kms:Encrypt", "kms:GenerateDataKey"]
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
    ///         - Sid: EnableIamPolicies
    ///           Effect: Allow
    ///           Principal:
    ///             AWS: !Sub "arn:aws:iam::${AWS::AccountId}:root"
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
    ///         # ...
    ///         - Sid: ReplicationRole
    ///           Effect: Allow
    ///           Principal:
    ///             AWS: arn:aws:iam::111111111111:role/s3-replication
    ///           Action:
    ///             - kms:Encrypt
    ///             - kms:GenerateDataKey
    ///           Resource: "*"
    /// ```
    ///
    /// ## Sources
    /// KMS Developer Guide, "Allowing users in other accounts to use a KMS key"; S3 User Guide,
    /// "Replicating encrypted objects".
    pub KmsXacctBothSides { id: "kms-xacct-both-sides", code: "K13", group: "kms", severity: Error }
}

impl Rule for KmsXacctBothSides {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, sink: &mut Sink<'_>) {
        let g = cx.graph;
        for (c, loc) in super::key_policy_gaps(cx, Tri::No) {
            let role = &g.roles[c.role];
            sink.report(
                &loc,
                format!(
                    "the key policy of `{}` (account {}) does not grant the replication role of account {} {}",
                    g.display(&c.need.grant),
                    c.need.owner.as_deref().unwrap_or("?"),
                    role.account.known().unwrap_or("?"),
                    c.need.action
                ),
            )
            .label("no statement for the role or its account")
            .help(super::key_policy_fix(g, role.arn.known()))
            .resource(crate::rules::grants::resource_policy_address(g, c))
            .discriminator(c.need.action);
        }
    }
}
