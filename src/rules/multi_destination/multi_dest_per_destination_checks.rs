use crate::rules::prelude::*;

declare_rule! {
    /// Each destination of a multi-destination configuration needs its own complete setup.
    ///
    /// ## What goes wrong
    /// With several destinations every per-destination requirement applies to each destination
    /// separately: versioning, a bucket ARN, requester pays off, the role's write permissions on
    /// each bucket, each cross-account bucket policy, a replica KMS key in each destination's
    /// own region with its own key policy, Object Lock and RTC settings. A setup that works for
    /// the first destination says nothing about the second.
    ///
    /// ## How to fix
    /// Repeat the destination-side setup for every destination. repl-lint runs every
    /// per-destination rule once per destination and reports each gap under that rule
    /// (`ver-dst-not-enabled`, `rc-dest-not-bucket-arn`, `dstp-*`, `xdst-*`,
    /// `kms-replica-key-region`, `kms-dst-*`, `ol-destination-not-enabled`, `rtc-*`, ...), naming
    /// the destination. This id itself reports nothing, so that no gap is reported twice.
    ///
    /// ## Example
    /// Terraform, failing (one replica key for destinations in two regions):
    /// ```hcl
    /// rule {
    ///   priority = 1
    ///   destination {
    ///     bucket = aws_s3_bucket.west.arn
    ///     encryption_configuration { replica_kms_key_id = aws_kms_key.west.arn }
    ///   }
    /// }
    /// rule {
    ///   priority = 2
    ///   destination {
    ///     bucket = aws_s3_bucket.east.arn
    ///     encryption_configuration { replica_kms_key_id = aws_kms_key.west.arn }
    ///   }
    /// }
    /// ```
    /// Terraform, fixed:
    /// ```hcl
    /// rule {
    ///   priority = 2
    ///   destination {
    ///     bucket = aws_s3_bucket.east.arn
    ///     encryption_configuration { replica_kms_key_id = aws_kms_key.east.arn }
    ///   }
    /// }
    /// ```
    /// CloudFormation, failing:
    /// ```yaml
    /// - Priority: 2
    ///   Destination:
    ///     Bucket: arn:aws:s3:::east-bucket
    ///     EncryptionConfiguration: {ReplicaKmsKeyID: !GetAtt WestKey.Arn}
    /// ```
    /// CloudFormation, fixed:
    /// ```yaml
    /// - Priority: 2
    ///   Destination:
    ///     Bucket: arn:aws:s3:::east-bucket
    ///     EncryptionConfiguration: {ReplicaKmsKeyID: arn:aws:kms:us-east-1:111111111111:key/EXAMPLE}
    /// ```
    ///
    /// ## Sources
    /// S3 User Guide, "Replicating encrypted objects" (separate statements per destination);
    /// "Replication configuration file elements".
    pub MultiDestPerDestinationChecks { id: "multi-dest-per-destination-checks", code: "N5", group: "multi-destination", severity: Error }
}

impl Rule for MultiDestPerDestinationChecks {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    /// The per-destination rules already run once per destination; see the docs.
    fn check(&self, _cx: &Context<'_>, _sink: &mut Sink<'_>) {}
}
