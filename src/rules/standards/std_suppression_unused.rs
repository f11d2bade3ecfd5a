use crate::rules::prelude::*;

declare_rule! {
    /// A suppression suppresses nothing.
    ///
    /// ## What goes wrong
    /// The rule it names reports nothing on this resource any more (or the id is misspelled), so
    /// the suppression would silently hide a future, unrelated failure.
    ///
    /// ## How to fix
    /// Remove the suppression, or correct the rule id.
    ///
    /// ## Example
    /// Always on (no `.repl-lint.toml` setting). Terraform, failing (the destination bucket has
    /// versioning now, so `ver-dst-not-enabled` reports nothing here):
    /// ```hcl
    /// # repl-lint:ignore=ver-dst-not-enabled versioning is enabled by the backup team
    /// resource "aws_s3_bucket_replication_configuration" "this" {
    ///   # ...
    /// }
    /// ```
    /// Terraform, fixed:
    /// ```hcl
    /// resource "aws_s3_bucket_replication_configuration" "this" {
    ///   # ...
    /// }
    /// ```
    /// CloudFormation, failing:
    /// ```yaml
    /// SourceBucket:
    ///   Type: AWS::S3::Bucket
    ///   Metadata:
    ///     repl-lint:
    ///       ignore:
    ///         - id: ver-dst-not-enabled
    ///           reason: versioning is enabled by the backup team
    /// ```
    /// CloudFormation, fixed:
    /// ```yaml
    /// SourceBucket:
    ///   Type: AWS::S3::Bucket
    ///   Properties:
    ///     # ...
    /// ```
    ///
    /// ## Sources
    /// repl-lint suppressions.
    pub StdSuppressionUnused { id: "std-suppression-unused", code: "STD8", group: "standards", severity: Warning }
}

impl Rule for StdSuppressionUnused {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    /// Reported by the engine when it applies suppressions: rules never see them.
    fn check(&self, _cx: &Context<'_>, _sink: &mut Sink<'_>) {}
}
