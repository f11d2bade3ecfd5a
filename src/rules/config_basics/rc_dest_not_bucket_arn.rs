use crate::graph::{Entity, atoms};
use crate::model::arn;
use crate::rules::prelude::*;

declare_rule! {
    /// A replication destination is not a bucket ARN.
    ///
    /// ## What goes wrong
    /// `Destination.Bucket` must be `arn:aws:s3:::NAME`. A bare bucket name, `aws_s3_bucket.x.id`,
    /// an access point or Multi-Region Access Point ARN, or an object path is rejected with
    /// `InvalidArgument: Invalid bucket ARN`.
    ///
    /// ## How to fix
    /// Terraform: `bucket = aws_s3_bucket.destination.arn`. CloudFormation: `!GetAtt Dst.Arn` or
    /// `arn:aws:s3:::NAME`.
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
    ///       bucket = aws_s3_bucket.replica.id
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
    ///       bucket = aws_s3_bucket.replica.arn
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
    ///             Bucket: !Ref ReplicaBucket
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
    ///           # ...
    ///     # ...
    /// ```
    ///
    /// ## Sources
    /// S3 API Reference, `Destination`; crossplane-contrib/provider-aws#745.
    pub RcDestNotBucketArn { id: "rc-dest-not-bucket-arn", code: "C3", group: "config", severity: Error }
}

impl Rule for RcDestNotBucketArn {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, sink: &mut Sink<'_>) {
        let g = cx.graph;
        for r in g.each_rule() {
            let dest = &r.rule.destination.bucket;
            if let Value::Ref(reference, loc) = dest
                && let Some(Entity::Bucket(_)) = g.resolver.entity(&reference.target)
            {
                if !reference.attr.eq_ignore_ascii_case("arn") {
                    sink.report(
                        loc,
                        format!(
                            "the destination of {} is `{reference}`, the bucket's {}, not its ARN",
                            r.label(),
                            reference.attr
                        ),
                    )
                    .label("must be a bucket ARN")
                    .help(format!("use `{}.arn`", reference.target))
                    .resource(r.address())
                    .discriminator(r.key());
                }
                continue;
            }
            match g.resolver.resolve(dest) {
                Resolved::Known(text) => {
                    let ok = if atoms::contains_atoms(&text) {
                        !text.starts_with("arn:")
                            || text.starts_with("arn:")
                                && text.contains(":s3:::")
                                && !text.contains('/')
                    } else {
                        arn::bucket_name_of(&text).is_some()
                    };
                    // A directory bucket ARN is `rc-dest-directory-bucket`'s finding.
                    if !ok && !text.ends_with("--x-s3") {
                        let name = text
                            .rsplit(':')
                            .next()
                            .unwrap_or(&text)
                            .split('/')
                            .next()
                            .unwrap_or("");
                        sink.report(
                            dest.loc(),
                            format!("the destination `{}` of {} is not a bucket ARN; S3 answers \"Invalid bucket ARN\"", g.display(&text), r.label()),
                        )
                        .label("must be arn:aws:s3:::BUCKET")
                        .help(format!("use the bucket ARN, e.g. `arn:aws:s3:::{}`", g.display(name)))
                        .resource(r.address())
                        .discriminator(r.key());
                    }
                }
                Resolved::Absent => {
                    sink.report(
                        &r.rule.destination.loc.or(&r.rule.loc),
                        format!("{} has no destination bucket", r.label()),
                    )
                    .resource(r.address())
                    .discriminator(r.key());
                }
                Resolved::Unknown(_) => {}
            }
        }
    }
}
