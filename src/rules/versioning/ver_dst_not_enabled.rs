use crate::graph::{Link, Tri};
use crate::rules::prelude::*;

declare_rule! {
    /// A destination bucket of a replication rule is not versioned.
    ///
    /// ## What goes wrong
    /// S3 rejects `PutBucketReplication` with `InvalidRequest: Destination bucket must have
    /// versioning enabled`. If versioning is suspended later, replication fails with the failure
    /// reason `DstBucketUnversioned`. A bucket with Object Lock enabled is always versioned.
    ///
    /// ## How to fix
    /// Enable versioning on the destination bucket (Terraform `aws_s3_bucket_versioning`,
    /// CloudFormation `VersioningConfiguration: {Status: Enabled}`). When the destination is in
    /// another stack or account, pass that stack too so repl-lint can check it.
    ///
    /// ## Example
    /// Terraform, failing:
    /// ```hcl
    /// resource "aws_s3_bucket_versioning" "replica" {
    ///   provider = aws.replica
    ///
    ///   bucket = aws_s3_bucket.replica.id
    ///
    ///   versioning_configuration {
    ///     status = "Suspended"
    ///   }
    /// }
    /// ```
    /// Terraform, fixed:
    /// ```hcl
    /// resource "aws_s3_bucket_versioning" "replica" {
    ///   provider = aws.replica
    ///
    ///   bucket = aws_s3_bucket.replica.id
    ///
    ///   versioning_configuration {
    ///     status = "Enabled"
    ///   }
    /// }
    /// ```
    /// CloudFormation, failing:
    /// ```yaml
    /// ReplicaBucket:
    ///   Type: AWS::S3::Bucket
    ///   Properties:
    ///     BucketName: acme-data-replica
    ///     VersioningConfiguration:
    ///       Status: Suspended
    /// ```
    /// CloudFormation, fixed:
    /// ```yaml
    /// ReplicaBucket:
    ///   Type: AWS::S3::Bucket
    ///   Properties:
    ///     BucketName: acme-data-replica
    ///     VersioningConfiguration:
    ///       Status: Enabled
    /// ```
    ///
    /// ## Sources
    /// S3 User Guide, "Requirements and considerations for replication"; replication failure
    /// reasons; hashicorp/terraform-provider-aws#23578.
    pub VerDstNotEnabled { id: "ver-dst-not-enabled", code: "B2", group: "versioning", severity: Error }
}

impl Rule for VerDstNotEnabled {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, sink: &mut Sink<'_>) {
        let g = cx.graph;
        let mut seen = foldhash::HashSet::default();
        for r in g.each_rule() {
            let Some(dst) = r.destination() else {
                if let Link::External(arn) = &r.rule_view.destination
                    && seen.insert(arn.clone())
                {
                    sink.cannot_verify(
                        r.rule.destination.bucket.loc(),
                        format!(
                            "whether destination bucket `{}` is versioned: it is not in the input",
                            g.display(arn)
                        ),
                        "pass the destination bucket's Terraform sources, plan or stack as well",
                    )
                    .resource(r.address())
                    .discriminator(r.key());
                }
                continue;
            };
            if r.source().is_some_and(|s| s.index == dst.index)
                || !seen.insert(dst.address().to_string())
            {
                continue;
            }
            if super::suspended_by_plan(g, dst) {
                continue;
            }
            let name = g.bucket_text(dst);
            match dst.versioning_enabled() {
                Tri::Yes => {}
                Tri::Unknown => {
                    sink.cannot_verify(
                        &dst.versioning.loc().or(&dst.bucket.origin.header),
                        format!("whether destination bucket `{name}` has versioning enabled (known only after apply)"),
                        "set the versioning status to a literal \"Enabled\", or pass the Terraform sources",
                    )
                    .resource(dst.versioning.origin.address.as_str());
                }
                Tri::No => {
                    let state = match dst.versioning.value {
                        Value::Known(v, _) => format!("versioning is {v:?}"),
                        _ => "versioning is not configured".to_string(),
                    };
                    sink.report(
                        &dst.versioning.loc().or(&dst.bucket.origin.header),
                        format!(
                            "destination bucket `{name}` of {} is not versioned ({state}): S3 rejects the configuration with \"Destination bucket must have versioning enabled\"",
                            r.label()
                        ),
                    )
                    .label("versioning must be Enabled")
                    .related(r.rule.destination.bucket.loc(), "destination named here")
                    .help(super::ver_src_not_enabled::fix(dst.bucket.origin.format, &name))
                    .resource(dst.versioning.origin.address.as_str());
                }
            }
        }
    }
}
