//! O. Existing objects and Batch Replication.
//!
//! Batch Operations jobs are created by API calls, not declared in Terraform or CloudFormation.
//! What the inputs do hold is the job's role: a role that `batchoperations.s3.amazonaws.com`
//! may assume and whose policies name replication-job actions on a bucket. The rules here check
//! that role and the buckets it names; what only the job itself states (its manifest, report
//! bucket, region, creator) is documented but not reported.

mod bat_archived_objects;
mod bat_creator_perms;
mod bat_existing_not_replicated;
mod bat_generated_manifest;
mod bat_hard_deleted;
mod bat_initiate;
mod bat_lifecycle;
mod bat_manifest_read;
mod bat_region;
mod bat_report_write;
mod bat_requires_live_config;

pub use bat_archived_objects::BatArchivedObjects;
pub use bat_creator_perms::BatCreatorPerms;
pub use bat_existing_not_replicated::BatExistingNotReplicated;
pub use bat_generated_manifest::BatGeneratedManifest;
pub use bat_hard_deleted::BatHardDeleted;
pub use bat_initiate::BatInitiate;
pub use bat_lifecycle::BatLifecycle;
pub use bat_manifest_read::BatManifestRead;
pub use bat_region::BatRegion;
pub use bat_report_write::BatReportWrite;
pub use bat_requires_live_config::BatRequiresLiveConfig;

use crate::graph::{BucketView, Graph, Link};
use crate::iam::{
    ActionSpec, Decision, Effect, PrincipalSpec, PrincipalType, ResourceKind, ResourceSpec,
    Statement,
};
use crate::model::{Lifecycle, LifecycleRule};
use crate::rules::access::{Need, ResourcePolicy, RoleAccess, Side};

pub const BATCH_SERVICE: &str = "batchoperations.s3.amazonaws.com";

/// Actions only a Batch Replication job role needs on the source bucket.
pub const JOB_ACTIONS: &[&str] = &[
    "s3:InitiateReplication",
    "s3:GetReplicationConfiguration",
    "s3:PutInventoryConfiguration",
];

/// Storage classes whose objects must be restored before they can be replicated.
pub const ARCHIVE_CLASSES: &[&str] = &["GLACIER", "DEEP_ARCHIVE"];

/// A Batch Replication job role of the input, with the source buckets its policies name.
pub struct JobRole {
    pub role: usize,
    pub buckets: Vec<usize>,
}

fn trusts_batch(g: &Graph<'_>, role: usize) -> bool {
    let Some(trust) = g.roles[role].trust.and_then(|d| g.policy(d)) else {
        return false;
    };
    trust.statements.iter().any(|st| {
        st.effect == Some(Effect::Allow)
            && crate::rules::grants::covers_action(st, "sts:AssumeRole")
            && matches!(&st.principal, Some(PrincipalSpec::Principal(items))
                if items.iter().any(|p| p.kind == PrincipalType::Service && p.value.text == BATCH_SERVICE))
    })
}

/// Whether an Allow statement names a job action by itself (not through `*` or `s3:*`, which say
/// nothing about the role's purpose). For a role that also serves live replication,
/// `s3:GetReplicationConfiguration` is explained by that and does not count.
fn names_job_action(st: &Statement, live: bool) -> bool {
    let Some(ActionSpec::Action(items)) = &st.action else {
        return false;
    };
    st.effect == Some(Effect::Allow)
        && items.iter().any(|i| {
            let text = i.text.to_ascii_lowercase();
            text != "*"
                && text != "s3:*"
                && JOB_ACTIONS
                    .iter()
                    .filter(|a| !(live && **a == "s3:GetReplicationConfiguration"))
                    .any(|a| crate::iam::matching::glob(&i.text, a, true) == crate::iam::Match::Yes)
        })
}

/// The buckets a statement names by ARN (not through wildcards over all buckets).
fn named_buckets(g: &Graph<'_>, st: &Statement) -> Vec<usize> {
    let Some(ResourceSpec::Resource(items)) = &st.resource else {
        return Vec::new();
    };
    g.buckets
        .iter()
        .filter(|b| {
            b.arn.known().is_some_and(|arn| {
                items
                    .iter()
                    .any(|i| i.text == arn || i.text.starts_with(&format!("{arn}/")))
            })
        })
        .map(|b| b.index)
        .collect()
}

/// Every role that looks like a Batch Replication job role: trusted by Batch Operations and
/// granted a replication-job action by name. The buckets are those its job-action statements
/// name.
pub fn job_roles(g: &Graph<'_>) -> Vec<JobRole> {
    let mut out = Vec::new();
    for role in 0..g.roles.len() {
        if !trusts_batch(g, role) {
            continue;
        }
        let live = g.replications.iter().any(|v| v.role == Link::Found(role));
        let statements: Vec<&Statement> = g.roles[role]
            .identity
            .iter()
            .filter_map(|d| g.policy(*d))
            .flat_map(|p| p.statements.iter())
            .filter(|st| names_job_action(st, live))
            .collect();
        if statements.is_empty() {
            continue;
        }
        let mut buckets: Vec<usize> = Vec::new();
        for st in statements {
            for b in named_buckets(g, st) {
                if !buckets.contains(&b) {
                    buckets.push(b);
                }
            }
        }
        out.push(JobRole { role, buckets });
    }
    out
}

/// The job role's decision for `action` on the bucket (bucket-level) or its objects.
pub fn decide(
    g: &Graph<'_>,
    role: usize,
    bucket: &BucketView<'_>,
    action: &'static str,
    objects: bool,
) -> Option<Decision> {
    let arn = bucket.arn.known()?.to_string();
    let (resource, grant) = if objects {
        (format!("{arn}/replicated-object"), format!("{arn}/*"))
    } else {
        (arn.clone(), arn)
    };
    let need = Need {
        action,
        side: if objects {
            Side::SourceObjects
        } else {
            Side::SourceBucket
        },
        resource: resource.into(),
        grant: grant.into(),
        owner: bucket.account.known().map(Into::into),
        resource_policy: match bucket.policy {
            Some(id) => ResourcePolicy::Doc(id),
            None => ResourcePolicy::None,
        },
        kind: ResourceKind::S3,
        context: std::sync::Arc::new([]),
    };
    Some(RoleAccess::new(g, &g.roles[role]).decide(g, &need))
}

/// The job roles whose policies name this bucket.
pub fn job_roles_of(jobs: &[JobRole], bucket: usize) -> impl Iterator<Item = &JobRole> {
    jobs.iter().filter(move |j| j.buckets.contains(&bucket))
}

/// Enabled lifecycle rules (a rule whose status is not known counts as enabled).
pub fn enabled_rules(lifecycle: &Lifecycle) -> impl Iterator<Item = &LifecycleRule> {
    lifecycle
        .rules
        .iter()
        .filter(|r| !matches!(r.status.as_str(), Some(s) if !s.eq_ignore_ascii_case("enabled")))
}

/// Whether any replication configuration of the input has this bucket as its source.
pub fn has_replication(g: &Graph<'_>, bucket: usize) -> bool {
    g.replications
        .iter()
        .any(|v| v.source == Link::Found(bucket))
}
