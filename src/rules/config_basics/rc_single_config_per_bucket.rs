use foldhash::{HashMap, HashMapExt};

use crate::rules::prelude::*;

declare_rule! {
    /// Two Terraform resources set the replication configuration of the same bucket.
    ///
    /// ## What goes wrong
    /// A bucket has exactly one replication configuration. Two
    /// `aws_s3_bucket_replication_configuration` resources for one bucket, or one next to the
    /// legacy inline `replication_configuration` block of `aws_s3_bucket`, overwrite each other on
    /// every apply: the rules of one are lost and the plan never settles.
    ///
    /// ## How to fix
    /// Merge all rules into one `aws_s3_bucket_replication_configuration` (give each rule its own
    /// `id` and `priority`), and drop the inline block.
    ///
    /// ## Example
    /// Terraform, failing:
    /// ```hcl
    /// resource "aws_s3_bucket_replication_configuration" "to_backup" {
    ///   bucket = aws_s3_bucket.src.id
    ///   # rule { ... destination backup ... }
    /// }
    /// resource "aws_s3_bucket_replication_configuration" "to_dr" {
    ///   bucket = aws_s3_bucket.src.id
    ///   # rule { ... destination dr ... }
    /// }
    /// ```
    /// Terraform, fixed:
    /// ```hcl
    /// resource "aws_s3_bucket_replication_configuration" "this" {
    ///   bucket = aws_s3_bucket.src.id
    ///   # rule { id = "backup", priority = 1, ... }
    ///   # rule { id = "dr", priority = 2, ... }
    /// }
    /// ```
    /// In CloudFormation the replication configuration is a property of the bucket, so a bucket
    /// cannot have two; this rule reports nothing for templates.
    ///
    /// ## Sources
    /// Terraform `aws_s3_bucket_replication_configuration` docs ("S3 Buckets only support a single
    /// replication configuration"); Terraform `aws_s3_bucket` docs (inline and standalone
    /// configuration "cannot be mixed").
    pub RcSingleConfigPerBucket { id: "rc-single-config-per-bucket", code: "C8", group: "config-basics", severity: Error }
}

impl Rule for RcSingleConfigPerBucket {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, sink: &mut Sink<'_>) {
        let g = cx.graph;
        // The first configuration seen per bucket (and input format: the same configuration read
        // from a plan and from its sources is one configuration).
        let mut first: HashMap<(String, crate::model::Format), usize> = HashMap::new();
        for view in &g.replications {
            let config = &g.model.replications[view.index];
            if !config.origin.format.is_terraform() {
                continue;
            }
            let bucket = match &view.source {
                Link::Found(i) => format!("#{i}"),
                Link::External(name) => name.clone(),
                _ => continue,
            };
            let key = (bucket, config.origin.format);
            let Some(&earlier) = first.get(&key) else {
                first.insert(key, view.index);
                continue;
            };
            let other = &g.model.replications[earlier];
            if other.origin.address == config.origin.address {
                continue;
            }
            let name = match view.source.found() {
                Some(i) => g.bucket_text(&g.buckets[i]),
                None => g.display(&key.0),
            };
            sink.report(
                &config.origin.header,
                format!(
                    "`{}` and `{}` both set the replication configuration of bucket `{name}`: each apply overwrites the other's rules",
                    other.origin.address, config.origin.address
                ),
            )
            .label("second replication configuration")
            .related(&other.origin.header, "first replication configuration")
            .help("merge all rules into one aws_s3_bucket_replication_configuration")
            .resource(config.origin.address.as_str());
        }
    }
}
