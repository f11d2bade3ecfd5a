use crate::model::arn;
use crate::rules::prelude::*;

declare_rule! {
    /// A replication source or destination is an S3 directory bucket (S3 Express One Zone).
    ///
    /// ## What goes wrong
    /// Directory buckets (names ending in `--x-s3`) do not support replication:
    /// `PutBucketReplication` answers "This operation is not supported for directory buckets", and
    /// a directory bucket cannot be a destination either.
    ///
    /// ## How to fix
    /// Replicate between general purpose buckets; copy into or out of a directory bucket with
    /// another mechanism (S3 Batch Operations copy, an event-driven copy).
    ///
    /// ## Example
    /// Terraform, failing:
    /// ```hcl
    /// rule {
    ///   status = "Enabled"
    ///   filter {}
    ///   destination {
    ///     bucket = "arn:aws:s3:::example-dst--use1-az4--x-s3"
    ///   }
    /// }
    /// ```
    /// Terraform, fixed:
    /// ```hcl
    /// rule {
    ///   status = "Enabled"
    ///   filter {}
    ///   destination {
    ///     bucket = aws_s3_bucket.dst.arn
    ///   }
    /// }
    /// ```
    /// CloudFormation, failing:
    /// ```yaml
    /// Destination:
    ///   Bucket: arn:aws:s3:::example-dst--use1-az4--x-s3
    /// ```
    /// CloudFormation, fixed:
    /// ```yaml
    /// Destination:
    ///   Bucket: !GetAtt Dst.Arn
    /// ```
    ///
    /// ## Sources
    /// Amazon S3 API Reference, `PutBucketReplication` ("This operation is not supported for
    /// directory buckets").
    pub RcDestDirectoryBucket { id: "rc-dest-directory-bucket", code: "C5", group: "config-basics", severity: Error }
}

const DIRECTORY_SUFFIX: &str = "--x-s3";

impl Rule for RcDestDirectoryBucket {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, sink: &mut Sink<'_>) {
        let g = cx.graph;
        for view in &g.replications {
            let config = &g.model.replications[view.index];
            let source_name = match view.source.found() {
                Some(s) => g.buckets[s].name.concrete().map(str::to_string),
                None => g
                    .resolver
                    .resolve(&config.source)
                    .concrete()
                    .map(|t| arn::bucket_name_of(t).unwrap_or(t).to_string()),
            };
            if let Some(name) = source_name.filter(|n| n.ends_with(DIRECTORY_SUFFIX)) {
                sink.report(
                    config.source.loc(),
                    format!("source bucket `{name}` is a directory bucket: directory buckets do not support replication"),
                )
                .label("directory bucket")
                .help("replicate from a general purpose bucket")
                .resource(config.origin.address.as_str());
            }
        }
        let mut seen = foldhash::HashSet::default();
        for r in g.each_rule() {
            let Some(name) = r
                .rule_view
                .destination_arn
                .concrete()
                .map(|t| arn::bucket_name_of(t).unwrap_or(t).to_string())
            else {
                continue;
            };
            if !name.ends_with(DIRECTORY_SUFFIX) || !seen.insert((r.address(), name.clone())) {
                continue;
            }
            sink.report(
                r.rule.destination.bucket.loc(),
                format!("{} replicates into `{name}`, a directory bucket: directory buckets cannot be replication destinations", r.label()),
            )
            .label("directory bucket")
            .help("replicate into a general purpose bucket")
            .resource(r.address())
            .discriminator(r.key());
        }
    }
}
