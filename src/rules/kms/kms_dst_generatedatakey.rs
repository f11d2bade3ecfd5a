use crate::rules::access::{Gap, gaps};
use crate::rules::grants;
use crate::rules::prelude::*;

declare_rule! {
    /// The replication role may not generate data keys with the replica KMS key.
    ///
    /// ## What goes wrong
    /// AWS sources disagree on which destination-key actions replication needs: the S3 guide
    /// requires `kms:GenerateDataKey` for plaintext objects replicated into a bucket whose default
    /// encryption is SSE-KMS; the Knowledge Center and the failure reasons ask for
    /// `kms:GenerateDataKey*` together with `kms:Encrypt`. Hence a warning.
    ///
    /// ## How to fix
    /// Grant `kms:GenerateDataKey` (or `kms:GenerateDataKey*`) with `kms:Encrypt` on the replica
    /// key, in the role's policy and, cross-account, in the key policy.
    ///
    /// ## Example
    /// Terraform, failing:
    /// ```hcl
    /// data "aws_iam_policy_document" "replication" {
    ///   # ...
    ///
    ///   statement {
    ///     sid       = "ReplicaKey"
    ///     actions   = ["kms:Encrypt"]
    ///     resources = [aws_kms_key.replica.arn]
    ///   }
    /// }
    /// ```
    /// Terraform, fixed:
    /// ```hcl
    /// data "aws_iam_policy_document" "replication" {
    ///   # ...
    ///
    ///   statement {
    ///     sid       = "ReplicaKey"
    ///     actions   = ["kms:Encrypt", "kms:GenerateDataKey"]
    ///     resources = [aws_kms_key.replica.arn]
    ///   }
    /// }
    /// ```
    /// CloudFormation, failing:
    /// ```yaml
    /// ReplicationRole:
    ///   Type: AWS::IAM::Role
    ///   Properties:
    ///     RoleName: s3-replication
    ///     Policies:
    ///       - PolicyName: s3-replication
    ///         PolicyDocument:
    ///           Version: "2012-10-17"
    ///           Statement:
    ///             # ...
    ///             - Sid: ReplicaKey
    ///               Effect: Allow
    ///               Action:
    ///                 - kms:Encrypt
    ///               Resource: !GetAtt ReplicaKey.Arn
    ///     # ...
    /// ```
    /// CloudFormation, fixed:
    /// ```yaml
    /// ReplicationRole:
    ///   Type: AWS::IAM::Role
    ///   Properties:
    ///     RoleName: s3-replication
    ///     Policies:
    ///       - PolicyName: s3-replication
    ///         PolicyDocument:
    ///           Version: "2012-10-17"
    ///           Statement:
    ///             # ...
    ///             - Sid: ReplicaKey
    ///               Effect: Allow
    ///               Action:
    ///                 - kms:Encrypt
    ///                 - kms:GenerateDataKey
    ///               Resource: !GetAtt ReplicaKey.Arn
    ///     # ...
    /// ```
    ///
    /// ## Sources
    /// S3 User Guide, "Replicating encrypted objects"; "Troubleshooting replication"; replication
    /// failure reasons; catalogue §7.
    pub KmsDstGeneratedatakey { id: "kms-dst-generatedatakey", code: "K10", group: "kms", severity: Warning }
}

impl Rule for KmsDstGeneratedatakey {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, sink: &mut Sink<'_>) {
        grants::report_identity(
            cx,
            sink,
            &["kms:GenerateDataKey"],
            "replicas of unencrypted objects into an SSE-KMS bucket may fail",
        );
        let g = cx.graph;
        for c in cx
            .checked()
            .filter(|c| c.need.action == "kms:GenerateDataKey")
        {
            if !gaps(g, &c.decision)
                .iter()
                .any(|gap| matches!(gap, Gap::ResourcePolicy))
                || super::explained(g, c)
            {
                continue;
            }
            let Some(loc) = grants::resource_policy_loc(g, c) else {
                continue;
            };
            sink.report(&loc, format!("the key policy of `{}` does not let the replication role use kms:GenerateDataKey", g.display(&c.need.grant)))
                .label("no statement grants the role kms:GenerateDataKey")
                .help(format!(
                    "add to the key policy:\n{}",
                    crate::rules::access::allow_statement(g, g.roles[c.role].arn.known(), &["kms:Encrypt", "kms:GenerateDataKey"], "*")
                ))
                .resource(crate::rules::grants::resource_policy_address(g, c))
                .discriminator("key-policy");
        }
    }
}
