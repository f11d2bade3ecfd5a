use crate::graph::{BucketView, Resolved};
use crate::rules::prelude::*;
use crate::source::Loc;

declare_rule! {
    /// A replication bucket is in an opt-in region that an account involved may not have enabled.
    ///
    /// ## What goes wrong
    /// Regions launched after March 2019 (af-south-1, ap-east-1, me-south-1, eu-south-1,
    /// ap-southeast-3, ...) are disabled until an account opts in. Replication needs the source
    /// owner to have enabled both the source and the destination region, and the destination
    /// owner the destination region; otherwise S3 cannot replicate. Whether a region is enabled is
    /// account state: repl-lint can only decide it when the input manages it
    /// (`aws_account_region`), and otherwise reports an info "cannot verify".
    ///
    /// ## How to fix
    /// Enable the region for both accounts (Account settings, or `aws_account_region` with
    /// `enabled = true`).
    ///
    /// ## Example
    /// Terraform, failing:
    /// ```hcl
    /// provider "aws" {
    ///   alias  = "destination"
    ///   region = "eu-south-1"
    /// }
    /// resource "aws_account_region" "milan" {
    ///   region_name = "eu-south-1"
    ///   enabled     = false
    /// }
    /// ```
    /// Terraform, fixed:
    /// ```hcl
    /// resource "aws_account_region" "milan" {
    ///   region_name = "eu-south-1"
    ///   enabled     = true
    /// }
    /// ```
    /// CloudFormation has no resource for region opt-in; for templates in an opt-in region this
    /// rule can only report "cannot verify".
    ///
    /// ## Sources
    /// S3 User Guide, "Requirements and considerations for replication" (both owners must have
    /// the regions enabled); AWS Account Management, "Specify which AWS Regions your account can
    /// use".
    pub RcRegionNotEnabled { id: "rc-region-not-enabled", code: "C10", group: "config-basics", severity: Warning }
}

/// Regions that are disabled until an account opts in.
const OPT_IN_REGIONS: &[&str] = &[
    "af-south-1",
    "ap-east-1",
    "ap-east-2",
    "ap-south-2",
    "ap-southeast-3",
    "ap-southeast-4",
    "ap-southeast-5",
    "ap-southeast-7",
    "ca-west-1",
    "eu-central-2",
    "eu-south-1",
    "eu-south-2",
    "il-central-1",
    "me-central-1",
    "me-south-1",
    "mx-central-1",
];

fn opt_in_region<'b>(b: &'b BucketView<'_>) -> Option<&'b str> {
    b.region.concrete().filter(|r| OPT_IN_REGIONS.contains(r))
}

fn region_loc(b: &BucketView<'_>) -> Loc {
    b.bucket.region.loc().or(&b.bucket.origin.header)
}

impl Rule for RcRegionNotEnabled {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, sink: &mut Sink<'_>) {
        let g = cx.graph;
        let mut asked: foldhash::HashSet<(Option<String>, String)> = foldhash::HashSet::default();
        for r in g.each_rule() {
            let (Some(src), Some(dst)) = (r.source(), r.destination()) else {
                continue;
            };
            let src_account = r.source_account();
            let dst_account = r.destination_account();
            let mut needs: Vec<(&Resolved, &str, &BucketView<'_>)> = Vec::new();
            if let Some(region) = opt_in_region(src) {
                needs.push((&src_account, region, src));
            }
            if let Some(region) = opt_in_region(dst) {
                needs.push((&src_account, region, dst));
                needs.push((&dst_account, region, dst));
            }
            for (account, region, bucket) in needs {
                let account = account.concrete().map(str::to_string);
                if !asked.insert((account.clone(), region.to_string())) {
                    continue;
                }
                let setting = g.model.account_regions.iter().find(|a| {
                    g.resolver.resolve(&a.region).concrete() == Some(region)
                        && g.resolver.resolve_account(&a.account).concrete() == account.as_deref()
                });
                let who = match &account {
                    Some(a) => format!("account {a}"),
                    None => "the account".to_string(),
                };
                match setting.map(|s| &s.enabled) {
                    Some(Value::Known(true, _)) => {}
                    Some(Value::Known(false, loc)) => {
                        let setting = setting.map(|s| s.origin.address.as_str()).unwrap_or("");
                        sink.report(
                            loc,
                            format!(
                                "{who} disables opt-in region {region}, where bucket `{}` of {} is: S3 cannot replicate there",
                                g.bucket_text(bucket),
                                r.label()
                            ),
                        )
                        .label("region disabled")
                        .related(&region_loc(bucket), "bucket region")
                        .help(format!("enable {region} for {who} (enabled = true)"))
                        .resource(setting);
                    }
                    _ => {
                        sink.cannot_verify(
                            &region_loc(bucket),
                            format!(
                                "whether {who} has enabled opt-in region {region} (bucket `{}`): replication needs it enabled by the source owner{}",
                                g.bucket_text(bucket),
                                if std::ptr::eq(bucket, src) { "" } else { " and the destination owner" }
                            ),
                            "check the account's enabled regions, or manage them with aws_account_region",
                        )
                        .resource(bucket.address())
                        .discriminator(format!("{who}|{region}"));
                    }
                }
            }
        }
    }
}
