use foldhash::{HashMap, HashMapExt};

use crate::graph::{Link, RuleRef};
use crate::rules::prelude::*;

declare_rule! {
    /// A bucket that receives replicas also replicates onward: the replicas are not chained.
    ///
    /// ## What goes wrong
    /// S3 does not replicate replicas. When bucket A replicates to B and B replicates to C,
    /// only objects written directly to B reach C; the replicas that arrived from A stay in B.
    /// ("Objects in the source bucket that are replicas that were created by another replication
    /// rule" are not replicated.) Two-way replication A⇄B is not affected.
    ///
    /// ## How to fix
    /// Replicate A to C directly (a second destination on A's configuration), or copy the
    /// replicas with S3 Batch Replication.
    ///
    /// ## Example
    /// Terraform, failing:
    /// ```hcl
    /// resource "aws_s3_bucket_replication_configuration" "a" {
    ///   bucket = aws_s3_bucket.a.id
    ///   # rule ... destination { bucket = aws_s3_bucket.b.arn }
    /// }
    /// resource "aws_s3_bucket_replication_configuration" "b" {
    ///   bucket = aws_s3_bucket.b.id
    ///   # rule ... destination { bucket = aws_s3_bucket.c.arn }
    /// }
    /// ```
    /// Terraform, fixed:
    /// ```hcl
    /// resource "aws_s3_bucket_replication_configuration" "a" {
    ///   bucket = aws_s3_bucket.a.id
    ///   # rule { priority = 1 ... destination { bucket = aws_s3_bucket.b.arn } }
    ///   # rule { priority = 2 ... destination { bucket = aws_s3_bucket.c.arn } }
    /// }
    /// ```
    /// CloudFormation, failing:
    /// ```yaml
    /// A: {Type: AWS::S3::Bucket, Properties: {ReplicationConfiguration: {Role: !GetAtt R.Arn,
    ///     Rules: [{Status: Enabled, Prefix: "", Destination: {Bucket: !GetAtt B.Arn}}]}}}
    /// B: {Type: AWS::S3::Bucket, Properties: {ReplicationConfiguration: {Role: !GetAtt R.Arn,
    ///     Rules: [{Status: Enabled, Prefix: "", Destination: {Bucket: !GetAtt C.Arn}}]}}}
    /// ```
    /// CloudFormation, fixed:
    /// ```yaml
    /// A: {Type: AWS::S3::Bucket, Properties: {ReplicationConfiguration: {Role: !GetAtt R.Arn,
    ///     Rules: [{Status: Enabled, Priority: 1, Filter: {Prefix: ""}, DeleteMarkerReplication: {Status: Disabled}, Destination: {Bucket: !GetAtt B.Arn}},
    ///             {Status: Enabled, Priority: 2, Filter: {Prefix: ""}, DeleteMarkerReplication: {Status: Disabled}, Destination: {Bucket: !GetAtt C.Arn}}]}}}
    /// ```
    ///
    /// ## Sources
    /// S3 User Guide, "What does Amazon S3 replicate?"; "Troubleshooting replication".
    pub ChainNotTransitive { id: "chain-not-transitive", code: "N7", group: "multi-destination", severity: Warning }
}

impl Rule for ChainNotTransitive {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, sink: &mut Sink<'_>) {
        let g = cx.graph;
        let mut seen = foldhash::HashSet::default();
        // Active rules by the bucket they replicate into, in rule order: looking up the rules
        // that feed a middle bucket stays linear on plans with thousands of setups.
        let mut inbound_by_destination: HashMap<usize, Vec<RuleRef<'_, '_>>> = HashMap::new();
        for inbound in g.each_rule().filter(RuleRef::is_active) {
            if let Link::Found(destination) = inbound.rule_view.destination {
                inbound_by_destination
                    .entry(destination)
                    .or_default()
                    .push(inbound);
            }
        }
        for onward in g.each_rule() {
            if !onward.is_active() {
                continue;
            }
            let Link::Found(middle) = onward.view.source else {
                continue;
            };
            let last = &onward.rule_view.destination;
            let last_text = match last {
                Link::Found(_) | Link::External(_) => onward.destination_text(),
                _ => continue,
            };
            let feeding = inbound_by_destination
                .get(&middle)
                .map_or(&[][..], Vec::as_slice);
            for inbound in feeding {
                let Link::Found(first) = inbound.view.source else {
                    continue;
                };
                if first == middle || Link::Found(first) == *last {
                    continue;
                }
                if !seen.insert((first, middle, last_text.clone())) {
                    continue;
                }
                let (first_name, middle_name) = (
                    g.bucket_text(&g.buckets[first]),
                    g.bucket_text(&g.buckets[middle]),
                );
                sink.report(
                    onward.rule.destination.bucket.loc(),
                    format!(
                        "`{middle_name}` receives replicas from `{first_name}` and replicates to `{last_text}`, but S3 does not replicate replicas: objects from `{first_name}` never reach `{last_text}`"
                    ),
                )
                .label("replicas in the middle bucket are not replicated onward")
                .related(inbound.rule.destination.bucket.loc(), "replicas arrive here")
                .help(format!(
                    "add `{last_text}` as a second destination of `{first_name}`'s configuration, or copy the replicas with S3 Batch Replication"
                ))
                .resource(onward.address())
                .discriminator(format!("{}|{}", onward.key(), first_name));
            }
        }
    }
}
