//! P. Explicit denies and guardrails.
//!
//! The engine decides every need once; these rules take the needs a Deny statement, a
//! permissions boundary or an SCP decided against, grouped by the statement (or document) to
//! change, so that one Deny gives one finding listing what it blocks.

mod deny_network_origin;
mod deny_permissions_boundary;
mod deny_replication_actions;
mod deny_scp;

pub use deny_network_origin::DenyNetworkOrigin;
pub use deny_permissions_boundary::DenyPermissionsBoundary;
pub use deny_replication_actions::DenyReplicationActions;
pub use deny_scp::DenyScp;

use std::collections::BTreeMap;

use crate::iam::{Slot, StatementRef};
use crate::source::Loc;

use super::Context;
use super::access::{Checked, Gap, gaps};

/// Condition keys through which a Deny restricts where requests come from; replication
/// requests never come from your networks or endpoints.
const NETWORK_KEYS: &[&str] = &["aws:sourceip", "aws:sourcevpce", "aws:sourcevpc"];

/// What blocks a need.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Blocker {
    /// A Deny in an identity, bucket or key policy.
    Statement,
    /// A Deny conditioned on the network origin.
    Network,
    Boundary,
    Scp,
}

/// One blocking statement or document, with the needs it blocks.
pub struct Blocked<'c> {
    pub loc: Loc,
    pub by: Option<StatementRef>,
    pub needs: Vec<&'c Checked>,
}

fn is_network_deny(cx: &Context<'_>, by: &StatementRef) -> bool {
    cx.graph.statement_at(&by.loc).is_some_and(|st| {
        st.conditions
            .iter()
            .any(|c| NETWORK_KEYS.contains(&c.key.text.to_ascii_lowercase().as_str()))
    })
}

/// The needs blocked by `kind`, grouped by where to change it.
pub fn blocked<'c>(cx: &'c Context<'_>, kind: Blocker) -> Vec<Blocked<'c>> {
    let g = cx.graph;
    let mut groups: BTreeMap<String, Blocked<'c>> = BTreeMap::new();
    for c in cx.checked() {
        // A DSSE-KMS value missing from an encryption condition is `kms-dsse`'s.
        if crate::rules::kms::explained(g, c) {
            continue;
        }
        for gap in gaps(g, &c.decision) {
            let (loc, by) = match (&gap, kind) {
                (Gap::Denied(by), Blocker::Statement)
                    if matches!(by.slot, Slot::Identity | Slot::Resource)
                        && !is_network_deny(cx, by) =>
                {
                    (by.loc.clone(), Some(by.clone()))
                }
                (Gap::Denied(by), Blocker::Network)
                    if matches!(by.slot, Slot::Identity | Slot::Resource)
                        && is_network_deny(cx, by) =>
                {
                    (by.loc.clone(), Some(by.clone()))
                }
                (Gap::Denied(by), Blocker::Boundary) if by.slot == Slot::Boundary => {
                    (by.loc.clone(), Some(by.clone()))
                }
                (Gap::Denied(by), Blocker::Scp) if matches!(by.slot, Slot::Scp(_)) => {
                    (by.loc.clone(), Some(by.clone()))
                }
                (Gap::Boundary, Blocker::Boundary) => (g.roles[c.role].boundary_loc.clone(), None),
                (Gap::Scp(level), Blocker::Scp) => (
                    Loc::None,
                    Some(StatementRef {
                        slot: Slot::Scp(*level),
                        policy_index: 0,
                        statement: 0,
                        sid: None,
                        loc: Loc::None,
                    }),
                ),
                _ => continue,
            };
            let key = format!("{loc:?}|{}", c.role);
            groups
                .entry(key)
                .or_insert_with(|| Blocked {
                    loc,
                    by,
                    needs: Vec::new(),
                })
                .needs
                .push(c);
        }
    }
    groups.into_values().collect()
}

/// "s3:ReplicateObject on arn:…/*, s3:ReplicateDelete on …" for messages.
pub fn describe(cx: &Context<'_>, needs: &[&Checked]) -> String {
    let mut parts: Vec<String> = Vec::new();
    for c in needs {
        let text = format!("{} on `{}`", c.need.action, cx.graph.display(&c.need.grant));
        if !parts.contains(&text) {
            parts.push(text);
        }
    }
    parts.join(", ")
}
