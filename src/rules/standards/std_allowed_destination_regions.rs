use crate::rules::prelude::*;

declare_rule! {
    /// A replication rule copies data to a region the organization does not allow.
    ///
    /// ## What goes wrong
    /// Replicas are stored outside the regions listed in `.repl-lint.toml`
    /// `[standards] allowed-destination-regions` (data residency).
    ///
    /// ## How to fix
    /// Replicate to a bucket in an allowed region, or add the region to the list.
    ///
    /// ## Example
    /// With this `.repl-lint.toml`:
    /// ```toml
    /// [standards]
    /// allowed-destination-regions = ["eu-central-1"]
    /// ```
    /// Terraform, failing (the destination bucket's provider sets its region):
    /// ```hcl
    /// provider "aws" {
    ///   alias  = "replica"
    ///   region = "us-east-1"
    /// }
    /// resource "aws_s3_bucket" "dst" {
    ///   provider = aws.replica
    ///   bucket   = "acme-replica"
    /// }
    /// ```
    /// Terraform, fixed:
    /// ```hcl
    /// provider "aws" {
    ///   alias  = "replica"
    ///   region = "eu-central-1"
    /// }
    /// resource "aws_s3_bucket" "dst" {
    ///   provider = aws.replica
    ///   bucket   = "acme-replica"
    /// }
    /// ```
    /// CloudFormation, failing (the destination stack, given in the same run, pins its region with a
    /// template rule or `--region`):
    /// ```yaml
    /// Rules:
    ///   OnlyHere:
    ///     Assertions:
    ///       - Assert: !Equals [!Ref AWS::Region, "us-east-1"]
    /// Resources:
    ///   ReplicaBucket:
    ///     Type: AWS::S3::Bucket
    ///     Properties:
    ///       BucketName: acme-replica
    ///       VersioningConfiguration: {Status: Enabled}
    /// ```
    /// CloudFormation, fixed:
    /// ```yaml
    /// Rules:
    ///   OnlyHere:
    ///     Assertions:
    ///       - Assert: !Equals [!Ref AWS::Region, "eu-central-1"]
    /// Resources:
    ///   ReplicaBucket:
    ///     Type: AWS::S3::Bucket
    ///     Properties:
    ///       BucketName: acme-replica
    ///       VersioningConfiguration: {Status: Enabled}
    /// ```
    ///
    /// ## Sources
    /// The organization's `.repl-lint.toml`.
    pub StdAllowedDestinationRegions { id: "std-allowed-destination-regions", code: "STD4", group: "standards", severity: Error }
}

impl Rule for StdAllowedDestinationRegions {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, sink: &mut Sink<'_>) {
        let allowed = &cx.config.standards.allowed_destination_regions;
        if allowed.is_empty() {
            return;
        }
        for r in cx.graph.each_rule().filter(|r| r.is_active()) {
            let loc = super::at(&r, &r.rule.destination.bucket);
            let region = r.destination().and_then(|d| d.region.concrete());
            match region {
                Some(g) if allowed.iter().any(|x| x == g) => {}
                Some(g) => {
                    let mut b = sink
                        .report(
                            &loc,
                            format!(
                                "{} replicates to region {g}, which is not allowed",
                                r.label()
                            ),
                        )
                        .label(super::by(cx))
                        .help(format!(
                            "allowed destination regions: {}",
                            allowed.join(", ")
                        ))
                        .resource(r.address())
                        .discriminator(r.key());
                    if let Some(d) = r.destination() {
                        b = b.related(
                            d.region
                                .known()
                                .map_or(&d.bucket.origin.header, |_| d.bucket.region.loc()),
                            "destination bucket region",
                        );
                    }
                    drop(b);
                }
                None => {
                    sink.cannot_verify(
                        &loc,
                        format!("whether the destination region of {} is allowed", r.label()),
                        "include the destination bucket (its provider or stack sets the region)",
                    )
                    .resource(r.address())
                    .discriminator(r.key());
                }
            }
        }
    }
}
