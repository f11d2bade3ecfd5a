use crate::rules::prelude::*;

declare_rule! {
    /// A replication rule is disabled.
    ///
    /// ## What goes wrong
    /// A rule with `Status: Disabled` replicates nothing for its scope. AWS uses disabling to
    /// pause replication; left behind by mistake, objects silently stop replicating.
    ///
    /// ## How to fix
    /// Set the rule's status to `Enabled`, or remove the rule if it is no longer wanted.
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
    ///     status = "Disabled"
    ///     # ...
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
    ///           Status: Disabled
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
    ///           # ...
    ///     # ...
    /// ```
    ///
    /// ## Sources
    /// S3 User Guide, "Troubleshooting replication"; "Requirements and considerations for replication".
    pub RcRuleDisabled { id: "rc-rule-disabled", code: "C6", group: "config", severity: Warning }
}

impl Rule for RcRuleDisabled {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, sink: &mut Sink<'_>) {
        for r in cx.graph.each_rule() {
            if r.rule.status.is("Disabled") {
                sink.report(
                    r.rule.status.loc(),
                    format!(
                        "{} is disabled: nothing in its scope is replicated",
                        r.label()
                    ),
                )
                .label("Disabled")
                .help("set the status to \"Enabled\" if this rule should replicate")
                .resource(r.address())
                .discriminator(r.key());
            }
        }
    }
}
