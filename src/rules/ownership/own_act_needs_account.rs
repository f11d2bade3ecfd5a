use crate::rules::prelude::*;

declare_rule! {
    /// Owner override (access control translation) without the destination account.
    ///
    /// ## What goes wrong
    /// `AccessControlTranslation` (owner override) requires `Destination.Account`: CloudFormation
    /// says "If you specify the AccessControlTranslation property, the Account property is
    /// required", and the Terraform provider says it "must be used in conjunction with account".
    /// The configuration is rejected.
    ///
    /// ## How to fix
    /// Set `account` (Terraform) / `Account` (CloudFormation) in the destination to the
    /// destination bucket owner's account id.
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
    ///       bucket = aws_s3_bucket.replica.arn
    ///       access_control_translation {
    ///         owner = "Destination"
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
    ///       account = "111111111111"
    ///       access_control_translation {
    ///         owner = "Destination"
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
    ///             Bucket: !GetAtt ReplicaBucket.Arn
    ///             AccessControlTranslation:
    ///               Owner: Destination
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
    ///             Bucket: !GetAtt ReplicaBucket.Arn
    ///             Account: "111111111111"
    ///             AccessControlTranslation:
    ///               Owner: Destination
    ///           # ...
    ///     # ...
    /// ```
    ///
    /// ## Sources
    /// CloudFormation `ReplicationDestination`; S3 User Guide, "Changing the replica owner".
    pub OwnActNeedsAccount { id: "own-act-needs-account", code: "H1", group: "ownership", severity: Error }
}

impl Rule for OwnActNeedsAccount {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, sink: &mut Sink<'_>) {
        for r in cx.graph.each_rule() {
            let dest = &r.rule.destination;
            if dest.owner_override.is_present() && dest.account.is_absent() {
                sink.report(
                    dest.owner_override.loc(),
                    format!("{} overrides the replica owner but names no destination account", r.label()),
                )
                .label("access control translation needs `account`")
                .related(&dest.loc, "destination")
                .help("add the destination bucket owner's account id: `account = \"222222222222\"` (Terraform) or `Account: '222222222222'` (CloudFormation)")
                .resource(r.address())
                .discriminator(r.key());
            }
        }
    }
}
