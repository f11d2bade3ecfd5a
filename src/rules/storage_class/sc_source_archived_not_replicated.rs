use crate::rules::batch::{ARCHIVE_CLASSES, enabled_rules, job_roles, job_roles_of};
use crate::rules::prelude::*;

declare_rule! {
    /// Existing-object replication of a source that archives objects skips the archived ones.
    ///
    /// ## What goes wrong
    /// Objects stored in S3 Glacier Flexible Retrieval or S3 Glacier Deep Archive are not
    /// replicated, by live replication nor by existing-object or Batch Replication, until they
    /// are restored. New objects are safe: lifecycle transitions on a replicated source wait
    /// until the object's replication status is final. Objects archived before replication was
    /// set up are the ones affected, so this matters when existing objects are to be replicated.
    ///
    /// Reported for rules with existing-object replication whose source has a lifecycle rule
    /// transitioning to `GLACIER` or `DEEP_ARCHIVE`; when a Batch Replication job role names the
    /// source, `bat-archived-objects` reports instead.
    ///
    /// ## How to fix
    /// Restore the archived objects before replicating existing objects, or accept that they stay
    /// in the source only.
    ///
    /// ## Example
    /// Terraform, failing:
    /// ```hcl
    /// resource "aws_s3_bucket_lifecycle_configuration" "src" {
    ///   bucket = aws_s3_bucket.src.id
    ///   rule {
    ///     id     = "archive"
    ///     status = "Enabled"
    ///     filter {}
    ///     transition {
    ///       days          = 30
    ///       storage_class = "DEEP_ARCHIVE"
    ///     }
    ///   }
    /// }
    /// # and a replication rule with existing_object_replication { status = "Enabled" }
    /// ```
    /// Terraform, fixed:
    /// ```hcl
    ///     transition {
    ///       days          = 30
    ///       storage_class = "GLACIER_IR"
    ///     }
    /// ```
    /// CloudFormation cannot enable existing-object replication (`ReplicationRule` has no such
    /// property); this rule reports nothing for templates.
    ///
    /// ## Sources
    /// S3 User Guide, "What does Amazon S3 replicate?"; "Using Amazon S3 storage classes";
    /// "Getting replication status information"; "Replicating existing objects with Batch
    /// Replication".
    pub ScSourceArchivedNotReplicated { id: "sc-source-archived-not-replicated", code: "R2", group: "storage-class", severity: Warning }
}

impl Rule for ScSourceArchivedNotReplicated {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, sink: &mut Sink<'_>) {
        let g = cx.graph;
        let jobs = job_roles(g);
        let mut seen = foldhash::HashSet::default();
        for r in g.each_rule() {
            if !r.is_active() || !r.rule.existing_object_replication.is("Enabled") {
                continue;
            }
            let Some(src) = r.source() else { continue };
            if job_roles_of(&jobs, src.index).next().is_some() || !seen.insert(src.index) {
                continue;
            }
            let Some((lifecycle, origin)) = src.lifecycle else {
                continue;
            };
            let Some(class) = enabled_rules(lifecycle)
                .flat_map(|l| l.transitions.iter().chain(&l.noncurrent_transitions))
                .find(|c| c.as_str().is_some_and(|s| ARCHIVE_CLASSES.contains(&s)))
            else {
                continue;
            };
            let name = g.bucket_text(src);
            sink.report(
                class.loc(),
                format!(
                    "{} replicates existing objects of `{name}`, which archives objects to {}: archived objects are not replicated until restored",
                    r.label(),
                    class.as_str().unwrap_or_default()
                ),
            )
            .label("archived objects are skipped")
            .related(r.rule.existing_object_replication.loc(), "existing objects replicated here")
            .help("restore the archived objects before they are replicated")
            .resource(origin.address.as_str())
            .discriminator(name);
        }
    }
}
