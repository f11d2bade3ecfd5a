use crate::rules::prelude::*;

declare_rule! {
    /// Two-way replication needs a complete setup in each direction.
    ///
    /// ## What goes wrong
    /// Two-way replication A⇄B is two independent configurations: each bucket needs its own
    /// replication configuration, a role in **its own** account, the source and destination
    /// permissions with the roles reversed, the other bucket's bucket policy when cross-account,
    /// and a replica KMS key in the other bucket's region. Any gap breaks one direction only,
    /// which is easy to miss.
    ///
    /// ## How to fix
    /// Write the reverse configuration as a full mirror of the forward one. repl-lint checks
    /// each direction as a configuration of its own and reports each gap under the most
    /// specific rule: `rc-role-cross-account` (role in the wrong account), `srcp-*`/`dstp-*`
    /// (role permissions), `xdst-*` (bucket policy), `kms-replica-key-region` and the other
    /// `kms-*` rules (replica key), `rms-both-directions` (replica modification sync). This id
    /// itself reports nothing, so that no gap is reported twice.
    ///
    /// ## Example
    /// Terraform, failing (the reverse direction reuses A's role and has no replica key):
    /// ```hcl
    /// resource "aws_s3_bucket_replication_configuration" "b_to_a" {
    ///   bucket = aws_s3_bucket.b.id
    ///   role   = aws_iam_role.a.arn
    ///   rule {
    ///     status = "Enabled"
    ///     filter {}
    ///     delete_marker_replication { status = "Disabled" }
    ///     source_selection_criteria {
    ///       sse_kms_encrypted_objects { status = "Enabled" }
    ///     }
    ///     destination { bucket = aws_s3_bucket.a.arn }
    ///   }
    /// }
    /// ```
    /// Terraform, fixed:
    /// ```hcl
    /// resource "aws_s3_bucket_replication_configuration" "b_to_a" {
    ///   provider = aws.b
    ///   bucket   = aws_s3_bucket.b.id
    ///   role     = aws_iam_role.b.arn
    ///   rule {
    ///     status = "Enabled"
    ///     filter {}
    ///     delete_marker_replication { status = "Disabled" }
    ///     source_selection_criteria {
    ///       sse_kms_encrypted_objects { status = "Enabled" }
    ///     }
    ///     destination {
    ///       bucket = aws_s3_bucket.a.arn
    ///       encryption_configuration { replica_kms_key_id = aws_kms_key.a.arn }
    ///     }
    ///   }
    /// }
    /// ```
    /// CloudFormation, failing:
    /// ```yaml
    /// B:
    ///   Type: AWS::S3::Bucket
    ///   Properties:
    ///     ReplicationConfiguration:
    ///       Role: !ImportValue RoleOfA        # a role of the other account
    ///       Rules: [{Status: Enabled, Priority: 1, Filter: {Prefix: ""},
    ///                DeleteMarkerReplication: {Status: Disabled},
    ///                Destination: {Bucket: !ImportValue BucketAArn}}]
    /// ```
    /// CloudFormation, fixed:
    /// ```yaml
    ///     ReplicationConfiguration:
    ///       Role: !GetAtt RoleB.Arn           # a role in B's account
    ///       Rules: [{Status: Enabled, Priority: 1, Filter: {Prefix: ""},
    ///                DeleteMarkerReplication: {Status: Disabled},
    ///                Destination: {Bucket: !ImportValue BucketAArn, Account: "111111111111"}}]
    /// ```
    ///
    /// ## Sources
    /// S3 User Guide, "Replicating metadata changes with replica modification sync";
    /// Terraform `aws_s3_bucket_replication_configuration` (bi-directional example).
    pub TwoWayEachDirection { id: "two-way-each-direction", code: "N3", group: "multi-destination", severity: Error }
}

impl Rule for TwoWayEachDirection {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    /// Each direction is a configuration of its own, checked by the specific rules named in the
    /// docs; reporting here too would report every gap twice.
    fn check(&self, _cx: &Context<'_>, _sink: &mut Sink<'_>) {}
}
