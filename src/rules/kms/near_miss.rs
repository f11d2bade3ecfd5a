//! KMS grants that miss only by one condition value or one key ARN.
//!
//! A replication KMS request that the policies deny is asked again with one input changed (the
//! `kms:ViaService` region, the encryption context form, the caller account, a related
//! multi-Region key). When that allows it, the changed input is the mistake, and the specific
//! rule (`kms-viaservice-region`, `kms-context-form`, `kms-caller-account-condition`,
//! `kms-mrk-distinct`) reports it instead of the generic grant rules.

use crate::graph::Graph;
use crate::iam::{Decision, Effect, StatementRef};
use crate::rules::access::{Checked, RoleAccess, Side};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    ViaService,
    ContextForm,
    CallerAccount,
    RelatedMrk,
    /// A condition on `s3:x-amz-server-side-encryption` lists `aws:kms` but not `aws:kms:dsse`.
    Dsse,
}

pub(crate) struct NearMiss {
    pub kind: Kind,
    /// The value (or key ARN) with which the request would have been allowed.
    pub would_match: String,
    /// The statements that would have allowed it.
    pub by: Vec<StatementRef>,
}

const VIA: &str = "kms:ViaService";
pub(crate) const SSE: &str = "s3:x-amz-server-side-encryption";
pub(crate) const CONTEXT: &str = "kms:EncryptionContext:aws:s3:arn";

fn decide(
    g: &Graph<'_>,
    c: &Checked,
    change: impl FnOnce(&mut crate::rules::access::Need),
) -> Decision {
    let access = RoleAccess::new(g, &g.roles[c.role]);
    let mut need = c.need.clone();
    change(&mut need);
    access.decide(g, &need)
}

/// The values written for condition `key` in Allow statements that cover the need's action.
fn written_values(g: &Graph<'_>, c: &Checked, key: &str) -> Vec<String> {
    let mut docs: Vec<_> = g.roles[c.role].identity.clone();
    if let crate::rules::access::ResourcePolicy::Doc(id) = &c.need.resource_policy {
        docs.push(*id);
    }
    let mut out = Vec::new();
    for id in docs {
        let Some(policy) = g.policy(id) else { continue };
        for st in &policy.statements {
            if st.effect != Some(Effect::Allow)
                || !crate::rules::grants::covers_action(st, c.need.action)
            {
                continue;
            }
            for cond in &st.conditions {
                if cond.key.text.eq_ignore_ascii_case(key) {
                    for v in &cond.values {
                        if !out.contains(&v.text) {
                            out.push(v.text.clone());
                        }
                    }
                }
            }
        }
    }
    out
}

fn allowed_with(
    g: &Graph<'_>,
    c: &Checked,
    kind: Kind,
    would_match: String,
    change: impl FnOnce(&mut crate::rules::access::Need),
) -> Option<NearMiss> {
    // Allowed, or left undecidable only by inputs that the change did not touch.
    match decide(g, c, change) {
        Decision::Allow { by } | Decision::Unknown { by, .. } => Some(NearMiss {
            kind,
            would_match,
            by,
        }),
        _ => None,
    }
}

/// The bucket ARN of an object ARN.
pub(crate) fn bucket_of(object_arn: &str) -> &str {
    let Some(rest) = object_arn.strip_prefix("arn:") else {
        return object_arn;
    };
    match rest.find('/') {
        Some(i) => &object_arn[..i + 4],
        None => object_arn,
    }
}

/// Why a denied KMS need would be allowed with one input changed.
pub(crate) fn near_miss(g: &Graph<'_>, c: &Checked) -> Option<NearMiss> {
    if !matches!(
        c.decision,
        Decision::ImplicitDeny { .. } | Decision::ExplicitDeny { .. }
    ) {
        return None;
    }
    if c.need.action == "s3:ReplicateObject" {
        let dsse = c
            .need
            .context
            .iter()
            .any(|(k, v)| *k == SSE && v.eq_ignore_ascii_case("aws:kms:dsse"));
        return if dsse {
            allowed_with(g, c, Kind::Dsse, "aws:kms".into(), |n| {
                n.set_context(SSE, "aws:kms".into())
            })
        } else {
            None
        };
    }
    if !matches!(c.need.side, Side::SourceKey | Side::DestinationKey) {
        return None;
    }
    let current = |key: &str| {
        c.need
            .context
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, v)| v.clone())
    };
    let key = (0..g.keys.len()).find(|&i| g.keys[i].arn.known() == Some(&*c.need.resource));
    // The endpoint S3 uses is known only with the key's region.
    let region_known = key.is_some_and(|k| g.keys[k].region.concrete().is_some());
    if let Some(via) = current(VIA).filter(|_| region_known) {
        for value in written_values(g, c, VIA) {
            if value != via
                && let Some(m) = allowed_with(g, c, Kind::ViaService, value.clone(), |n| {
                    n.set_context(VIA, value.clone())
                })
            {
                return Some(m);
            }
        }
    }
    if let Some(object) = current(CONTEXT) {
        let bucket = bucket_of(&object).to_string();
        for value in [bucket.clone(), format!("{bucket}/*")] {
            if value != object
                && let Some(m) = allowed_with(g, c, Kind::ContextForm, value.clone(), |n| {
                    n.set_context(CONTEXT, value.clone())
                })
            {
                return Some(m);
            }
        }
    }
    if let Some(owner) = c.need.owner.as_deref().map(str::to_string)
        && current("kms:CallerAccount").is_some_and(|a| a != owner)
        && let Some(m) = allowed_with(g, c, Kind::CallerAccount, owner.clone(), |n| {
            n.set_context("kms:CallerAccount", owner.clone());
            n.set_context("aws:PrincipalAccount", owner.clone());
        })
    {
        return Some(m);
    }
    let key = key?;
    for other in super::related_mrks(g, key) {
        let Some(arn) = g.keys[other].arn.known().map(str::to_string) else {
            continue;
        };
        if let Some(m) = allowed_with(g, c, Kind::RelatedMrk, arn.clone(), |n| {
            n.resource = arn.as_str().into();
            n.grant = arn.as_str().into();
        }) {
            return Some(m);
        }
    }
    None
}

/// Whether a specific KMS rule explains this need's failure (the generic rules then stay quiet).
pub(crate) fn explained(g: &Graph<'_>, c: &Checked) -> bool {
    near_miss(g, c).is_some()
}

/// The denied KMS needs that a near miss of `kind` explains, once per deciding statement.
pub(crate) fn of_kind<'c>(
    cx: &'c crate::rules::Context<'_>,
    kind: Kind,
) -> Vec<(&'c Checked, NearMiss)> {
    let g = cx.graph;
    let mut seen = foldhash::HashSet::default();
    cx.checked()
        .filter_map(|c| near_miss(g, c).map(|m| (c, m)))
        .filter(|(_, m)| m.kind == kind)
        .filter(|(c, m)| {
            let first = m.by.first().map(|b| b.loc.clone()).unwrap_or_default();
            seen.insert((first, c.need.resource.clone()))
        })
        .collect()
}

/// Where to point for a near miss: the condition on `key` in the statement that would allow it
/// (its values), else that statement.
pub(crate) fn condition_loc(g: &Graph<'_>, m: &NearMiss, key: &str) -> crate::source::Loc {
    for by in &m.by {
        let Some(st) = g.statement_at(&by.loc) else {
            continue;
        };
        if let Some(cond) = st
            .conditions
            .iter()
            .find(|c| c.key.text.eq_ignore_ascii_case(key))
        {
            return cond
                .values
                .first()
                .map(|v| v.loc.clone())
                .unwrap_or_else(|| cond.key.loc.clone());
        }
    }
    m.by.first().map(|b| b.loc.clone()).unwrap_or_default()
}

/// The value the request carries for `key`.
pub(crate) fn sent(c: &Checked, key: &str) -> String {
    c.need
        .context
        .iter()
        .find(|(k, _)| *k == key)
        .map(|(_, v)| v.clone())
        .unwrap_or_default()
}
