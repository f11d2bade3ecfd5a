use crate::graph::Tri;
use crate::rules::prelude::*;

declare_rule! {
    /// A cross-account destination bucket is a Requester Pays bucket.
    ///
    /// ## What goes wrong
    /// "The destination buckets cannot be configured as Requester Pays buckets": replication into
    /// another account's Requester Pays bucket fails.
    ///
    /// ## How to fix
    /// Set the destination bucket's payer to `BucketOwner`.
    ///
    /// ## Example
    /// Terraform, failing:
    /// ```hcl
    /// resource "aws_s3_bucket_request_payment_configuration" "dst" {
    ///   provider = aws.destination
    ///   bucket   = aws_s3_bucket.dst.id
    ///   payer    = "Requester"
    /// }
    /// ```
    /// Terraform, fixed:
    /// ```hcl
    /// resource "aws_s3_bucket_request_payment_configuration" "dst" {
    ///   provider = aws.destination
    ///   bucket   = aws_s3_bucket.dst.id
    ///   payer    = "BucketOwner"
    /// }
    /// ```
    /// CloudFormation has no requester-pays setting; this rule reports nothing for templates.
    ///
    /// ## Sources
    /// S3 User Guide, "Requirements and considerations for replication"; "Troubleshooting
    /// replication".
    pub RcRequesterPaysDestination { id: "rc-requester-pays-destination", code: "C9", group: "config-basics", severity: Error }
}

impl Rule for RcRequesterPaysDestination {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, sink: &mut Sink<'_>) {
        let g = cx.graph;
        let mut seen = foldhash::HashSet::default();
        for r in g.each_rule() {
            let Some(dst) = r.destination() else { continue };
            if !dst.request_payer.value.is("Requester") || !seen.insert((r.view.index, dst.index)) {
                continue;
            }
            let name = g.bucket_text(dst);
            match r.cross_account() {
                Tri::No => {}
                Tri::Yes => {
                    sink.report(
                        dst.request_payer.loc(),
                        format!(
                            "destination bucket `{name}` of {} is in another account and is a Requester Pays bucket: S3 does not replicate into it",
                            r.label()
                        ),
                    )
                    .label("Requester Pays")
                    .related(r.rule.destination.bucket.loc(), "destination named here")
                    .help("set payer = \"BucketOwner\" on the destination bucket")
                    .resource(dst.request_payer.origin.address.as_str());
                }
                Tri::Unknown => {
                    sink.cannot_verify(
                        dst.request_payer.loc(),
                        format!(
                            "whether Requester Pays destination bucket `{name}` is in another account than the source (replication into another account's Requester Pays bucket fails)"
                        ),
                        "pass --account for the providers or stacks whose account is not in the input",
                    )
                    .resource(dst.request_payer.origin.address.as_str());
                }
            }
        }
    }
}
