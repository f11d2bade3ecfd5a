use crate::rules::prelude::*;

declare_rule! {
    /// Replication Time Control is enabled without replication metrics.
    ///
    /// ## What goes wrong
    /// S3 RTC "must be specified together with a Metrics block"; the Terraform provider says
    /// "Replication Time Control must be used in conjunction with metrics". The configuration is
    /// rejected.
    ///
    /// ## How to fix
    /// ```hcl
    /// metrics {
    ///   status = "Enabled"
    ///   event_threshold { minutes = 15 }
    /// }
    /// replication_time {
    ///   status = "Enabled"
    ///   time { minutes = 15 }
    /// }
    /// ```
    ///
    /// ## Example
    /// Terraform, failing:
    /// ```hcl
    /// resource "aws_s3_bucket_replication_configuration" "replication" {
    ///   # ...
    ///   rule {
    ///     id     = "everything"
    ///     status = "Enabled"
    ///     # ...
    ///
    ///     destination {
    ///       bucket = aws_s3_bucket.replica.arn
    ///       replication_time {
    ///         status = "Enabled"
    ///         time {
    ///           minutes = 15
    ///         }
    ///       }
    ///     }
    ///   }
    /// }
    /// ```
    /// Terraform, fixed:
    /// ```hcl
    /// resource "aws_s3_bucket_replication_configuration" "replication" {
    ///   # ...
    ///   rule {
    ///     id     = "everything"
    ///     status = "Enabled"
    ///     # ...
    ///
    ///     destination {
    ///       bucket = aws_s3_bucket.replica.arn
    ///       metrics {
    ///         status = "Enabled"
    ///         event_threshold {
    ///           minutes = 15
    ///         }
    ///       }
    ///       replication_time {
    ///         status = "Enabled"
    ///         time {
    ///           minutes = 15
    ///         }
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
    ///             ReplicationTime:
    ///               Status: Enabled
    ///               Time:
    ///                 Minutes: 15
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
    ///             Metrics:
    ///               Status: Enabled
    ///               EventThreshold:
    ///                 Minutes: 15
    ///             ReplicationTime:
    ///               Status: Enabled
    ///               Time:
    ///                 Minutes: 15
    ///           # ...
    ///     # ...
    /// ```
    ///
    /// ## Sources
    /// CloudFormation `ReplicationDestination.ReplicationTime`; Terraform
    /// `aws_s3_bucket_replication_configuration`; S3 User Guide, "S3 Replication Time Control".
    pub RtcRequiresMetrics { id: "rtc-requires-metrics", code: "M1", group: "rtc", severity: Error }
}

impl Rule for RtcRequiresMetrics {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, sink: &mut Sink<'_>) {
        for r in cx.graph.each_rule() {
            let dest = &r.rule.destination;
            let Some(rtc) = &dest.replication_time else {
                continue;
            };
            if !rtc.status.is("Enabled") {
                continue;
            }
            let metrics_on = dest.metrics.as_ref().map(|m| &m.status);
            match metrics_on {
                Some(status) if status.is("Enabled") => {}
                Some(status) if !status.is_known() && status.is_present() => {}
                _ => {
                    let at = dest
                        .metrics
                        .as_ref()
                        .map(|m| m.loc.clone())
                        .unwrap_or_else(|| rtc.loc.clone());
                    sink.report(&at, format!("{} enables Replication Time Control without enabling metrics", r.label()))
                        .label("metrics must be Enabled with RTC")
                        .related(&rtc.loc, "replication time control enabled here")
                        .help("add to the destination:\nmetrics {\n  status = \"Enabled\"\n  event_threshold {\n    minutes = 15\n  }\n}\n(CloudFormation: `Metrics: {Status: Enabled, EventThreshold: {Minutes: 15}}`)")
                        .resource(r.address())
                        .discriminator(r.key());
                }
            }
        }
    }
}
