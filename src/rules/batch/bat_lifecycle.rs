use crate::graph::Link;
use crate::rules::prelude::*;

declare_rule! {
    /// Lifecycle rules expire versions or delete markers on buckets of a Batch Replication job.
    ///
    /// ## What goes wrong
    /// While a Batch Replication job runs, lifecycle rules on the source or destination that
    /// expire current versions, permanently delete noncurrent versions or remove expired delete
    /// markers change the buckets under the job, and the source and destination can end up
    /// different. AWS recommends pausing such rules for the duration of the job.
    ///
    /// Reported for buckets named by a job role (see `bat-initiate`) and their replication
    /// destinations.
    ///
    /// ## How to fix
    /// Disable the expiring lifecycle rules while the job runs, and enable them again after.
    ///
    /// ## Example
    /// Terraform, failing:
    /// ```hcl
    /// resource "aws_s3_bucket_lifecycle_configuration" "src" {
    ///   bucket = aws_s3_bucket.src.id
    ///   rule {
    ///     id     = "cleanup"
    ///     status = "Enabled"
    ///     filter {}
    ///     noncurrent_version_expiration { noncurrent_days = 30 }
    ///   }
    /// }
    /// ```
    /// Terraform, fixed (during the job):
    /// ```hcl
    ///   rule {
    ///     id     = "cleanup"
    ///     status = "Disabled"
    ///     filter {}
    ///     noncurrent_version_expiration { noncurrent_days = 30 }
    ///   }
    /// ```
    /// CloudFormation, failing:
    /// ```yaml
    /// LifecycleConfiguration:
    ///   Rules:
    ///     - {Id: cleanup, Status: Enabled, NoncurrentVersionExpiration: {NoncurrentDays: 30}}
    /// ```
    /// CloudFormation, fixed (during the job):
    /// ```yaml
    /// LifecycleConfiguration:
    ///   Rules:
    ///     - {Id: cleanup, Status: Disabled, NoncurrentVersionExpiration: {NoncurrentDays: 30}}
    /// ```
    ///
    /// ## Sources
    /// S3 User Guide, "Replicating existing objects with Batch Replication" (considerations).
    pub BatLifecycle { id: "bat-lifecycle", code: "O11", group: "batch", severity: Warning }
}

impl Rule for BatLifecycle {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, sink: &mut Sink<'_>) {
        let g = cx.graph;
        let jobs = super::job_roles(g);
        let mut buckets: Vec<(usize, usize)> = Vec::new();
        for job in &jobs {
            for &b in &job.buckets {
                let mut add = |x: usize| {
                    if !buckets.iter().any(|(y, _)| *y == x) {
                        buckets.push((x, job.role));
                    }
                };
                add(b);
                for r in g.each_rule() {
                    if r.view.source == Link::Found(b)
                        && let Link::Found(d) = r.rule_view.destination
                    {
                        add(d);
                    }
                }
            }
        }
        for (b, role) in buckets {
            let bucket = &g.buckets[b];
            let Some((lifecycle, origin)) = bucket.lifecycle else {
                continue;
            };
            let expiring = super::enabled_rules(lifecycle).find_map(|r| {
                r.noncurrent_expiration
                    .as_ref()
                    .map(|l| (l.clone(), "permanently deletes noncurrent versions"))
                    .or_else(|| {
                        r.expiration
                            .as_ref()
                            .map(|l| (l.clone(), "expires current versions"))
                    })
                    .or_else(|| match &r.expired_object_delete_marker {
                        Value::Known(true, l) => {
                            Some((l.clone(), "removes expired delete markers"))
                        }
                        _ => None,
                    })
            });
            let Some((loc, what)) = expiring else {
                continue;
            };
            let name = g.bucket_text(bucket);
            sink.report(
                &loc,
                format!(
                    "a lifecycle rule of `{name}` {what}; while a Batch Replication job (job role `{}`) runs, the source and destination can diverge",
                    g.model.roles[role].origin.address
                ),
            )
            .label("pause this rule while the job runs")
            .help("disable the rule for the duration of the Batch Replication job")
            .resource(origin.address.as_str())
            .discriminator(name);
        }
    }
}
