//! N. Replica modification sync, two-way replication, chains, multiple destinations.

mod chain_not_transitive;
mod multi_dest_per_destination_checks;
mod multi_dest_requires_v2_priority;
mod multi_dest_status;
mod rms_both_directions;
mod rms_requires_v2;
mod two_way_each_direction;

pub use chain_not_transitive::ChainNotTransitive;
pub use multi_dest_per_destination_checks::MultiDestPerDestinationChecks;
pub use multi_dest_requires_v2_priority::MultiDestRequiresV2Priority;
pub use multi_dest_status::MultiDestStatus;
pub use rms_both_directions::RmsBothDirections;
pub use rms_requires_v2::RmsRequiresV2;
pub use two_way_each_direction::TwoWayEachDirection;

use crate::graph::{Graph, Link, RuleRef};

/// A destination's identity for counting distinct destinations: the bucket in the input, or the
/// name outside it. `None` when the destination is known only after apply.
pub fn destination_key(r: &RuleRef<'_, '_>) -> Option<String> {
    match &r.rule_view.destination {
        Link::Found(i) => Some(format!("bucket#{i}")),
        Link::External(text) => Some(text.clone()),
        _ => None,
    }
}

/// The distinct destinations of the active rules of one replication configuration, and whether
/// some destination is not known before apply.
pub fn distinct_destinations(g: &Graph<'_>, replication: usize) -> (Vec<String>, bool) {
    let mut keys: Vec<String> = Vec::new();
    let mut unknown = false;
    let rules = g.replications.get(replication).map_or(0, |v| v.rules.len());
    for i in 0..rules {
        let Some(r) = g.rule_ref(replication, i) else {
            continue;
        };
        if !r.is_active() {
            continue;
        }
        match destination_key(&r) {
            Some(k) if !keys.contains(&k) => keys.push(k),
            Some(_) => {}
            None => unknown = true,
        }
    }
    (keys, unknown)
}
