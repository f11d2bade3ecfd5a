//! J. Filters, V1/V2 schema, priorities and overlapping rules.

mod flt_and_semantics;
mod flt_and_underspecified;
mod flt_empty_means_all;
mod flt_exactly_one_child;
mod flt_overlap_same_destination;
mod flt_prefix_folder;
mod flt_prefix_leading_slash;
mod flt_priority_duplicate;
mod flt_priority_required;
mod flt_tags_at_create;
mod flt_v1_v2_mix;
mod flt_v2_feature_on_v1;

pub use flt_and_semantics::FltAndSemantics;
pub use flt_and_underspecified::FltAndUnderspecified;
pub use flt_empty_means_all::FltEmptyMeansAll;
pub use flt_exactly_one_child::FltExactlyOneChild;
pub use flt_overlap_same_destination::FltOverlapSameDestination;
pub use flt_prefix_folder::FltPrefixFolder;
pub use flt_prefix_leading_slash::FltPrefixLeadingSlash;
pub use flt_priority_duplicate::FltPriorityDuplicate;
pub use flt_priority_required::FltPriorityRequired;
pub use flt_tags_at_create::FltTagsAtCreate;
pub use flt_v1_v2_mix::FltV1V2Mix;
pub use flt_v2_feature_on_v1::FltV2FeatureOnV1;

use crate::graph::{Graph, RuleRef};
use crate::model::{DeployDefaults, ReplicationRule, Value};

/// Whether the input shows the rule's own elements. A rule generated from a collection known
/// only after apply (a `dynamic "rule"` over computed values) reads as a rule without filter or
/// delete marker element; its status is unknown too, which is how it is recognized here.
pub(crate) fn shape_known(rule: &ReplicationRule) -> bool {
    matches!(rule.status, Value::Known(..) | Value::Absent(_))
}

/// A rule uses the V2 schema when it has a filter, even an empty one.
pub(crate) fn is_v2(rule: &ReplicationRule) -> bool {
    rule.filter.is_some()
}

/// The prefix as written: the filter's (top level or `And`) for V2, the rule-level one for V1.
pub(crate) fn written_prefix(rule: &ReplicationRule) -> &Value<String> {
    match &rule.filter {
        Some(f) => &f.prefix,
        None => &rule.prefix,
    }
}

/// Whether some key can start with both prefixes.
pub(crate) fn prefixes_overlap(a: &str, b: &str) -> bool {
    a.starts_with(b) || b.starts_with(a)
}

/// Whether the rule replicates user delete markers: V1 rules always do, V2 rules when delete
/// marker replication is Enabled. `None` when that is not known.
pub(crate) fn replicates_delete_markers(rule: &ReplicationRule) -> Option<bool> {
    if !is_v2(rule) {
        return Some(true);
    }
    match &rule.delete_marker_replication {
        Value::Known(s, _) => Some(s.eq_ignore_ascii_case("Enabled")),
        Value::Absent(_) => Some(false),
        _ => None,
    }
}

/// Whether the deploying tool sends the rule as written (no filled-in defaults).
pub(crate) fn as_written(rule: &ReplicationRule) -> bool {
    rule.deploy_defaults == DeployDefaults::AsWritten
}

/// The priority S3 receives: as written, or the 0 Terraform sends for an omitted one.
pub(crate) fn effective_priority(rule: &ReplicationRule) -> Option<i64> {
    match &rule.priority {
        Value::Known(p, _) => Some(*p),
        Value::Absent(_) if !as_written(rule) => Some(0),
        _ => None,
    }
}

/// The rules of each replication configuration, together.
pub(crate) fn configurations<'g, 'm>(
    g: &'g Graph<'m>,
) -> impl Iterator<Item = Vec<RuleRef<'g, 'm>>> {
    g.replications.iter().enumerate().map(move |(ci, view)| {
        (0..view.rules.len())
            .filter_map(|i| g.rule_ref(ci, i))
            .collect()
    })
}
