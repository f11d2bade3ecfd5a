use crate::rules::grants;
use crate::rules::prelude::*;

declare_rule! {
    /// The replication role may not encrypt replicas with the replica KMS key.
    ///
    /// ## What goes wrong
    /// S3 encrypts each replica with `kms:Encrypt` on the replica key named in the rule, as the
    /// replication role (via `s3.DST_REGION.amazonaws.com`). Without an identity grant on the key
    /// ARN the replicas fail.
    ///
    /// ## How to fix
    /// ```json
    /// {"Effect": "Allow", "Action": ["kms:Encrypt", "kms:GenerateDataKey"], "Resource": "arn:aws:kms:DST_REGION:DST_ACCOUNT:key/KEY-ID"}
    /// ```
    /// Cross-account, the key policy must grant the role too (`kms-xacct-both-sides`).
    ///
    /// ## Example
    /// Terraform, failing:
    /// ```hcl
    /// data "aws_iam_policy_document" "replication" {
    ///   # ...
    ///
    ///   statement {
    ///     sid       = "ReplicaKey"
    ///     actions   = ["kms:GenerateDataKey"]
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
    ///                 - kms:GenerateDataKey
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
    /// S3 User Guide, "Replicating encrypted objects"; "Troubleshooting replication".
    pub KmsDstEncrypt { id: "kms-dst-encrypt", code: "K9", group: "kms", severity: Error }
}

impl Rule for KmsDstEncrypt {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, sink: &mut Sink<'_>) {
        grants::report_identity(
            cx,
            sink,
            &["kms:Encrypt"],
            "replicas cannot be encrypted with the replica key",
        );
    }
}
