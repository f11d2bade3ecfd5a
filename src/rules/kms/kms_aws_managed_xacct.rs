use crate::graph::{KeyLink, Tri};
use crate::rules::prelude::*;

declare_rule! {
    /// The AWS managed key `aws/s3` is the replica key of a cross-account destination.
    ///
    /// ## What goes wrong
    /// "AWS managed keys don't allow cross-account use, and therefore can't be used to perform
    /// cross-account replication." Replicas cannot be encrypted in the destination account.
    ///
    /// ## How to fix
    /// Create a customer managed key in the destination account and region, let the replication
    /// role use it in its key policy, and name its ARN as the replica key.
    ///
    /// ## Example
    /// Terraform, failing:
    /// ```hcl
    /// resource "aws_s3_bucket_replication_configuration" "replication" {
    ///   bucket = aws_s3_bucket.source.id
    ///   role   = aws_iam_role.replication.arn
    ///
    ///   rule {
    ///     id     = "everything"
    ///     status = "Enabled"
    ///     # ...
    ///
    ///     destination {
    ///       bucket  = aws_s3_bucket.replica.arn
    ///       account = "222222222222"
    ///       encryption_configuration {
    ///         replica_kms_key_id = "alias/aws/s3"
    ///       }
    ///     }
    ///   }
    /// }
    /// ```
    /// Terraform, fixed:
    /// ```hcl
    /// resource "aws_s3_bucket_replication_configuration" "replication" {
    ///   bucket = aws_s3_bucket.source.id
    ///   role   = aws_iam_role.replication.arn
    ///
    ///   rule {
    ///     id     = "everything"
    ///     status = "Enabled"
    ///     # ...
    ///
    ///     destination {
    ///       bucket  = aws_s3_bucket.replica.arn
    ///       account = "222222222222"
    ///       encryption_configuration {
    ///         replica_kms_key_id = aws_kms_key.replica.arn
    ///       }
    ///     }
    ///   }
    /// }
    /// ```
    /// CloudFormation, failing:
    /// ```yaml
    /// SourceBucket:
    ///   Type: AWS::S3::Bucket
    ///   Properties:
    ///     BucketName: acme-data-source
    ///     ReplicationConfiguration:
    ///       Role: !GetAtt ReplicationRole.Arn
    ///       Rules:
    ///         - Id: everything
    ///           Status: Enabled
    ///           Destination:
    ///             Bucket: arn:aws:s3:::acme-data-replica
    ///             Account: "222222222222"
    ///             EncryptionConfiguration:
    ///               ReplicaKmsKeyID: alias/aws/s3
    ///           # ...
    ///     # ...
    /// ```
    /// CloudFormation, fixed:
    /// ```yaml
    /// SourceBucket:
    ///   Type: AWS::S3::Bucket
    ///   Properties:
    ///     BucketName: acme-data-source
    ///     ReplicationConfiguration:
    ///       Role: !GetAtt ReplicationRole.Arn
    ///       Rules:
    ///         - Id: everything
    ///           Status: Enabled
    ///           Destination:
    ///             Bucket: arn:aws:s3:::acme-data-replica
    ///             Account: "222222222222"
    ///             EncryptionConfiguration:
    ///               ReplicaKmsKeyID: !ImportValue acme-replica-key-arn
    ///           # ...
    ///     # ...
    /// ```
    ///
    /// ## Sources
    /// S3 User Guide, "Replicating encrypted objects"; "Troubleshooting replication"; KMS
    /// Developer Guide, "AWS managed keys".
    pub KmsAwsManagedXacct { id: "kms-aws-managed-xacct", code: "K7", group: "kms", severity: Error }
}

impl Rule for KmsAwsManagedXacct {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, sink: &mut Sink<'_>) {
        for r in cx.graph.each_rule() {
            let KeyLink::AwsManaged(text) = &r.rule_view.replica_key else {
                continue;
            };
            let loc = r.rule.destination.replica_kms_key.loc();
            match r.cross_account() {
                Tri::No => {}
                Tri::Yes => {
                    sink.report(
                        loc,
                        format!("{} replicates to another account with the AWS managed key `{text}`, which cannot be used across accounts", r.label()),
                    )
                    .label("AWS managed key")
                    .help("use a customer managed key of the destination account and region, and grant the replication role kms:Encrypt and kms:GenerateDataKey in its key policy")
                    .resource(r.address())
                    .discriminator(r.key());
                }
                Tri::Unknown => {
                    sink.cannot_verify(
                        loc,
                        format!("{} uses the AWS managed key `{text}`, which fails if the destination is in another account; the accounts are not known", r.label()),
                        "pass --account for the providers or stacks involved",
                    )
                    .resource(r.address())
                    .discriminator(r.key());
                }
            }
        }
    }
}
