//! P. Explicit denies and guardrails.
//!
//! The engine decides every need once; these rules take the needs a Deny statement, a
//! permissions boundary or an SCP decided against, grouped by the statement (or document) to
//! change, so that one Deny gives one finding listing what it blocks.

mod deny_access_point_only;
mod deny_key_policy;
mod deny_network_origin;
mod deny_notprincipal;
mod deny_org_boundary;
mod deny_permissions_boundary;
mod deny_rcp;
mod deny_replication_actions;
mod deny_scp;
mod deny_scp_region;
mod deny_source_context_keys;
mod deny_sse_enforcement;

pub use deny_access_point_only::DenyAccessPointOnly;
pub use deny_key_policy::DenyKeyPolicy;
pub use deny_network_origin::DenyNetworkOrigin;
pub use deny_notprincipal::DenyNotprincipal;
pub use deny_org_boundary::DenyOrgBoundary;
pub use deny_permissions_boundary::DenyPermissionsBoundary;
pub use deny_rcp::DenyRcp;
pub use deny_replication_actions::DenyReplicationActions;
pub use deny_scp::DenyScp;
pub use deny_scp_region::DenyScpRegion;
pub use deny_source_context_keys::DenySourceContextKeys;
pub use deny_sse_enforcement::DenySseEnforcement;

use std::collections::BTreeMap;

use crate::graph::Graph;
use crate::iam::{Decision, PrincipalSpec, ResourceKind, Slot, StatementRef};
use crate::source::Loc;

use super::Context;
use super::access::{Checked, Gap, gaps};

/// Condition keys through which a Deny restricts where requests come from; replication
/// requests never come from your networks or endpoints.
const NETWORK_KEYS: &[&str] = &["aws:sourceip", "aws:sourcevpce", "aws:sourcevpc"];

/// Access point keys: replication does not go through access points, so they are absent.
const ACCESS_POINT_KEYS: &[&str] = &[
    "s3:dataaccesspointarn",
    "s3:dataaccesspointaccount",
    "s3:accesspointnetworkorigin",
];

/// Keys present only when a service acts on behalf of a resource: absent on role sessions.
const SOURCE_CONTEXT_KEYS: &[&str] = &[
    "aws:sourcearn",
    "aws:sourceaccount",
    "aws:sourceorgid",
    "aws:sourceorgpaths",
];

/// Keys naming the principal's organization, whose membership the input does not show.
pub const ORG_KEYS: &[&str] = &["aws:principalorgid", "aws:principalorgpaths"];

/// What blocks a need.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Blocker {
    /// A Deny in an identity, bucket or key policy that no more specific kind below explains.
    Statement,
    /// A Deny conditioned on the network origin.
    Network,
    /// A Deny unless the request comes through an access point.
    AccessPoint,
    /// A Deny with negated conditions on keys absent on role sessions (`aws:SourceArn`, ...).
    SourceContext,
    /// A resource-policy Deny with `NotPrincipal`.
    NotPrincipal,
    /// A destination bucket policy Deny that enforces an encryption header.
    SseEnforcement,
    /// Any other Deny in a key policy.
    KeyPolicy,
    Boundary,
    /// An SCP statement conditioned on `aws:RequestedRegion`.
    ScpRegion,
    Scp,
}

/// One blocking statement or document, with the needs it blocks.
pub struct Blocked<'c> {
    pub loc: Loc,
    pub by: Option<StatementRef>,
    pub needs: Vec<&'c Checked>,
}

fn has_condition_key(cx: &Context<'_>, by: &StatementRef, keys: &[&str]) -> bool {
    cx.graph.statement_at(&by.loc).is_some_and(|st| {
        st.conditions
            .iter()
            .any(|c| keys.contains(&c.key.text.to_ascii_lowercase().as_str()))
    })
}

fn uses_not_principal(cx: &Context<'_>, by: &StatementRef) -> bool {
    cx.graph
        .statement_at(&by.loc)
        .is_some_and(|st| matches!(st.principal, Some(PrincipalSpec::NotPrincipal(_))))
}

fn enforces_encryption(cx: &Context<'_>, by: &StatementRef) -> bool {
    cx.graph.statement_at(&by.loc).is_some_and(|st| {
        st.conditions.iter().any(|c| {
            c.key
                .text
                .to_ascii_lowercase()
                .starts_with("s3:x-amz-server-side-encryption")
        })
    })
}

/// The most specific kind of an explicit Deny in an identity, bucket or key policy, so that each
/// Deny is reported once, by the rule that explains it best.
fn statement_kind(cx: &Context<'_>, by: &StatementRef, c: &Checked) -> Blocker {
    if has_condition_key(cx, by, NETWORK_KEYS) {
        Blocker::Network
    } else if has_condition_key(cx, by, ACCESS_POINT_KEYS) {
        Blocker::AccessPoint
    } else if has_condition_key(cx, by, SOURCE_CONTEXT_KEYS) {
        Blocker::SourceContext
    } else if by.slot == Slot::Resource
        && c.need.kind == ResourceKind::S3
        && enforces_encryption(cx, by)
    {
        Blocker::SseEnforcement
    } else if by.slot == Slot::Resource && uses_not_principal(cx, by) {
        Blocker::NotPrincipal
    } else if by.slot == Slot::Resource && c.need.kind == ResourceKind::Kms {
        Blocker::KeyPolicy
    } else {
        Blocker::Statement
    }
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
                (Gap::Denied(by), _)
                    if matches!(by.slot, Slot::Identity | Slot::Resource)
                        && statement_kind(cx, by, c) == kind =>
                {
                    (by.loc.clone(), Some(by.clone()))
                }
                (Gap::Denied(by), Blocker::Boundary) if by.slot == Slot::Boundary => {
                    (by.loc.clone(), Some(by.clone()))
                }
                (Gap::Denied(by), Blocker::Scp | Blocker::ScpRegion)
                    if matches!(by.slot, Slot::Scp(_))
                        && has_condition_key(cx, by, &["aws:requestedregion"])
                            == (kind == Blocker::ScpRegion) =>
                {
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

/// The Deny statement deciding `decision` when it turns on the principal's organization
/// (`aws:PrincipalOrgID`), which the input cannot show; `deny-org-boundary` reports it.
pub fn org_boundary_deny<'d>(g: &Graph<'_>, decision: &'d Decision) -> Option<&'d StatementRef> {
    let candidates: &[StatementRef] = match decision {
        Decision::ExplicitDeny { by } => std::slice::from_ref(&**by),
        Decision::Unknown { by, .. } => by,
        _ => return None,
    };
    candidates.iter().find(|by| {
        g.statement_at(&by.loc).is_some_and(|st| {
            st.effect == Some(crate::iam::Effect::Deny)
                && st
                    .conditions
                    .iter()
                    .any(|c| ORG_KEYS.contains(&c.key.text.to_ascii_lowercase().as_str()))
        })
    })
}

/// The resource the blocking statement belongs to, for findings.
pub fn holder(cx: &Context<'_>, loc: &Loc) -> String {
    cx.graph
        .doc_of_statement(loc)
        .map(|d| cx.graph.doc(d).address.clone())
        .unwrap_or_default()
}

/// The help text that exempts the replication role from a statement.
pub fn exempt_role_help(cx: &Context<'_>, needs: &[&Checked]) -> String {
    let role = needs
        .first()
        .and_then(|c| cx.graph.roles[c.role].arn.known())
        .unwrap_or("<role ARN>");
    format!(
        "exempt the replication role from this statement:\n\"Condition\": {{\"ArnNotEquals\": {{\"aws:PrincipalArn\": \"{}\"}}}}",
        cx.graph.display(role)
    )
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

/// Whether `deny-org-boundary` reports this need: a Deny on the principal's organization that
/// decides it, unless the role and the resource are in the same account (and so in the same
/// organization).
pub fn org_boundary_reported<'c>(g: &Graph<'_>, c: &'c Checked) -> Option<&'c StatementRef> {
    let by = org_boundary_deny(g, &c.decision)?;
    let role_account = g.roles[c.role].account.concrete();
    let same_account = role_account.is_some() && role_account == c.need.owner.as_deref();
    (!same_account).then_some(by)
}

/// What the resource control policies of a need's resource account decide.
pub struct RcpVerdict<'c> {
    pub checked: &'c Checked,
    pub decision: Decision,
}

/// The verdict of the RCPs on every need whose resource account has RCPs in the input. An RCP
/// only denies, so each is evaluated as a resource policy next to an identity that allows
/// everything: only its Deny statements can decide.
pub fn rcp_verdicts<'c>(cx: &'c Context<'_>) -> Vec<RcpVerdict<'c>> {
    let g = cx.graph;
    let mut out = Vec::new();
    let mut principals: foldhash::HashMap<usize, crate::iam::Principal> =
        foldhash::HashMap::default();
    for c in cx.checked() {
        let rcps = g.rcps_for(c.need.owner.as_deref());
        if rcps.is_empty() {
            continue;
        }
        let principal = principals.entry(c.role).or_insert_with(|| {
            let role = &g.roles[c.role];
            let mut p = crate::iam::Principal::role_session(role.arn.known().unwrap_or_default());
            if let Some(account) = role.account.known() {
                p.account = Some(account.to_string());
            }
            p
        });
        let mut context = crate::iam::RequestContext::for_role_session(principal);
        for (k, v) in c.need.context.iter() {
            context.set_one(k, v.clone());
        }
        let request = crate::iam::Request {
            principal,
            action: c.need.action,
            resource: &c.need.resource,
            resource_owner: c.need.owner.as_deref(),
            context: &context,
        };
        for id in rcps {
            let Some(policy) = g.policy(id) else { continue };
            let policies = crate::iam::PolicyContext {
                identity: vec![g.full_aws_access()],
                boundary: None,
                resource_policy: Some(policy),
                resource_kind: c.need.kind,
                scps: Vec::new(),
                unknown: Vec::new(),
            };
            let decision = crate::iam::evaluate(&request, &policies);
            let denies = match &decision {
                Decision::ExplicitDeny { .. } => true,
                Decision::Unknown { by, .. } => by.iter().any(|b| {
                    g.statement_at(&b.loc)
                        .is_some_and(|st| st.effect == Some(crate::iam::Effect::Deny))
                }),
                _ => false,
            };
            if denies {
                out.push(RcpVerdict {
                    checked: c,
                    decision,
                });
            }
        }
    }
    out
}

/// Reports each statement of `kind` once, with what it blocks.
pub fn report_kind(
    cx: &Context<'_>,
    sink: &mut super::Sink<'_>,
    kind: Blocker,
    message: impl Fn(&str) -> String,
    label: &str,
    help: impl Fn(&Blocked<'_>) -> String,
) {
    for b in blocked(cx, kind) {
        if b.needs.is_empty() {
            continue;
        }
        sink.report(&b.loc, message(&describe(cx, &b.needs)))
            .label(label)
            .help(help(&b))
            .resource(holder(cx, &b.loc))
            .discriminator(format!(
                "{:?}",
                b.by.as_ref().map(|s| (s.statement, s.policy_index))
            ));
    }
}
