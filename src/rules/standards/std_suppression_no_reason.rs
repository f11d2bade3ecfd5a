use crate::rules::prelude::*;

declare_rule! {
    /// A suppression comment gives no reason.
    ///
    /// ## What goes wrong
    /// A `repl-lint:ignore=RULE` comment (or a CloudFormation `Metadata.repl-lint.ignore` entry)
    /// without a reason hides a failure without telling reviewers why; it is not applied.
    ///
    /// ## How to fix
    /// ```hcl
    /// # repl-lint:ignore=rtc-requires-metrics metrics are enabled by the platform module
    /// ```
    /// ```yaml
    /// Metadata:
    ///   repl-lint:
    ///     ignore:
    ///       - id: rtc-requires-metrics
    ///         reason: metrics are enabled by the platform stack
    /// ```
    ///
    /// ## Example
    /// Always on (no `.repl-lint.toml` setting). Terraform, failing:
    /// ```hcl
    /// # repl-lint:ignore=rtc-requires-metrics
    /// resource "aws_s3_bucket_replication_configuration" "this" {
    ///   # ...
    /// }
    /// ```
    /// Terraform, fixed:
    /// ```hcl
    /// # repl-lint:ignore=rtc-requires-metrics metrics are enabled by the platform module
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
    ///         - id: rtc-requires-metrics
    /// ```
    /// CloudFormation, fixed:
    /// ```yaml
    /// SourceBucket:
    ///   Type: AWS::S3::Bucket
    ///   Metadata:
    ///     repl-lint:
    ///       ignore:
    ///         - id: rtc-requires-metrics
    ///           reason: metrics are enabled by the platform stack
    /// ```
    ///
    /// ## Sources
    /// repl-lint suppressions.
    pub StdSuppressionNoReason { id: "std-suppression-no-reason", code: "STD7", group: "standards", severity: Warning }
}

impl Rule for StdSuppressionNoReason {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    /// Reported by the engine when it applies suppressions: rules never see them.
    fn check(&self, _cx: &Context<'_>, _sink: &mut Sink<'_>) {}
}
