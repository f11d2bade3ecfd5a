//! S. Organization standards from `.repl-lint.toml` `[standards]`, and the suppression checks.
//!
//! A standard is off until its key is set; then it is a rule like the others (select, ignore,
//! severity, suppressions apply). They read the replication rules through the graph only.

mod std_allowed_destination_accounts;
mod std_allowed_destination_regions;
mod std_require_delete_marker_replication;
mod std_require_replica_kms;
mod std_require_rtc;
mod std_require_storage_class;
mod std_suppression_no_reason;
mod std_suppression_unused;

pub use std_allowed_destination_accounts::StdAllowedDestinationAccounts;
pub use std_allowed_destination_regions::StdAllowedDestinationRegions;
pub use std_require_delete_marker_replication::StdRequireDeleteMarkerReplication;
pub use std_require_replica_kms::StdRequireReplicaKms;
pub use std_require_rtc::StdRequireRtc;
pub use std_require_storage_class::StdRequireStorageClass;
pub use std_suppression_no_reason::StdSuppressionNoReason;
pub use std_suppression_unused::StdSuppressionUnused;

use crate::graph::RuleRef;
use crate::model::Value;
use crate::source::Loc;

/// Where to point for a setting of a replication rule: the value, else the block it would be
/// added to.
fn at<T>(r: &RuleRef<'_, '_>, value: &Value<T>) -> Loc {
    value
        .loc()
        .or(&r.rule.destination.loc)
        .or(&r.rule.loc)
        .or(&r.config.origin.header)
}

/// The config file, for "required by" notes.
fn by(cx: &crate::rules::Context<'_>) -> String {
    match &cx.config.path {
        Some(p) => format!("required by {}", p.display()),
        None => "required by the organization standards".to_string(),
    }
}
