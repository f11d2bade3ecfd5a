//! Why the role's identity policies miss a need although a grant for it is close by:
//! a Resource scoped to other key prefixes (`srcp-prefix-coverage`, `dstp-prefix-coverage`), or
//! an Allow whose encryption condition the replication request does not meet
//! (`dstp-sse-condition`). The per-action rules leave these needs to those rules, so that one
//! missing grant is reported once, by the rule that names its cause.

use crate::graph::Graph;
use crate::iam::matching::{Match, glob};
use crate::iam::policy::Condition;
use crate::iam::{Effect, Item, ResourceSpec, Statement};

use super::access::{self, Checked, Gap, RoleAccess, Side};
use super::grants::covers_action;

/// Condition keys S3 sets from the replica's encryption.
pub const SSE_KEYS: &[&str] = &[
    "s3:x-amz-server-side-encryption",
    "s3:x-amz-server-side-encryption-aws-kms-key-id",
];

fn identity_gap(g: &Graph<'_>, c: &Checked) -> bool {
    access::gaps(g, &c.decision)
        .iter()
        .any(|gap| matches!(gap, Gap::Identity))
}

fn is_object_side(side: Side) -> bool {
    matches!(side, Side::SourceObjects | Side::DestinationObjects)
}

/// The bucket ARN of an object need (its grant is `BUCKET/PREFIX*`).
fn bucket_of(g: &Graph<'_>, c: &Checked) -> Option<String> {
    let r = g.rule_ref(c.replication, c.rule)?;
    let prefix = access::scope_prefix(&r);
    let bucket = c
        .need
        .grant
        .strip_suffix('*')?
        .strip_suffix(prefix.as_str())?
        .strip_suffix('/')?;
    Some(bucket.to_string())
}

/// A concrete object ARN that `pattern` matches.
fn representative(pattern: &str) -> String {
    pattern.replace(['*', '?'], "x")
}

/// An object need the role's identity policies miss only because their Resource is scoped to
/// other keys: the Resource item that grants the action on other objects of the bucket.
pub fn prefix_gap<'g>(g: &'g Graph<'_>, c: &Checked) -> Option<&'g Item> {
    if !is_object_side(c.need.side) || !identity_gap(g, c) {
        return None;
    }
    let bucket = bucket_of(g, c)?;
    let objects = format!("{bucket}/");
    let role = g.roles.get(c.role)?;
    let mut access: Option<RoleAccess<'_>> = None;
    for &id in &role.identity {
        let Some(policy) = g.policy(id) else { continue };
        for st in &policy.statements {
            if st.effect != Some(Effect::Allow) || !covers_action(st, c.need.action) {
                continue;
            }
            let Some(ResourceSpec::Resource(items)) = &st.resource else {
                continue;
            };
            for item in items {
                if !item.text.starts_with(&objects) || item.text.len() == objects.len() {
                    continue;
                }
                let elsewhere = representative(&item.text);
                if *elsewhere == *c.need.resource {
                    continue;
                }
                let mut need = c.need.clone();
                need.resource = elsewhere.into();
                let access = access.get_or_insert_with(|| RoleAccess::new(g, role));
                if access.decide(g, &need).is_allow() {
                    return Some(item);
                }
            }
        }
    }
    None
}

fn covers_resource(st: &Statement, resource: &str) -> bool {
    match &st.resource {
        Some(ResourceSpec::Resource(items)) => items
            .iter()
            .any(|i| glob(&i.text, resource, false) == Match::Yes),
        Some(ResourceSpec::NotResource(items)) => items
            .iter()
            .all(|i| glob(&i.text, resource, false) == Match::No),
        None => false,
    }
}

/// A destination need the role's identity policies miss because an Allow that covers it is
/// conditioned on the replica's encryption: the statement and its encryption condition.
pub fn sse_condition_gap<'g>(
    g: &'g Graph<'_>,
    c: &Checked,
) -> Option<(&'g Statement, &'g Condition)> {
    if c.need.side != Side::DestinationObjects || !identity_gap(g, c) {
        return None;
    }
    let role = g.roles.get(c.role)?;
    for &id in &role.identity {
        let Some(policy) = g.policy(id) else { continue };
        for st in &policy.statements {
            if st.effect != Some(Effect::Allow)
                || !covers_action(st, c.need.action)
                || !covers_resource(st, &c.need.resource)
            {
                continue;
            }
            if let Some(cond) = st
                .conditions
                .iter()
                .find(|cond| SSE_KEYS.contains(&cond.key.text.to_ascii_lowercase().as_str()))
            {
                return Some((st, cond));
            }
        }
    }
    None
}

/// Whether one of the more specific rules above explains this identity gap.
pub fn explained_elsewhere(g: &Graph<'_>, c: &Checked) -> bool {
    prefix_gap(g, c).is_some() || sse_condition_gap(g, c).is_some()
}

/// The needs of one replication configuration on one object pattern: (rule, role, the Resource
/// item scoped to other keys, actions).
type PrefixGroup<'g> = (usize, usize, &'g Item, Vec<&'static str>);

/// Reports the prefix-coverage gaps of one side, one finding per configuration and object
/// pattern, at the Resource item that is scoped too narrowly.
pub fn report_prefix_gaps(
    cx: &super::Context<'_>,
    sink: &mut super::Sink<'_>,
    side: Side,
    consequence: &str,
) {
    use std::collections::BTreeMap;
    let g = cx.graph;
    let mut groups: BTreeMap<(usize, crate::rules::access::Shared), PrefixGroup<'_>> =
        BTreeMap::new();
    for c in cx.checked().filter(|c| c.need.side == side) {
        let Some(item) = prefix_gap(g, c) else {
            continue;
        };
        let entry = groups
            .entry((c.replication, c.need.grant.clone()))
            .or_insert_with(|| (c.rule, c.role, item, Vec::new()));
        if !entry.3.contains(&c.need.action) {
            entry.3.push(c.need.action);
        }
    }
    for ((replication, grant), (rule, role, item, actions)) in groups {
        let Some(r) = g.rule_ref(replication, rule) else {
            continue;
        };
        let role_view = &g.roles[role];
        let prefix = access::scope_prefix(&r);
        let scope = if prefix.is_empty() {
            "every key".to_string()
        } else {
            format!("the prefix `{prefix}`")
        };
        let address = g
            .doc_of_statement(&item.loc)
            .map(|id| g.doc(id).address.clone())
            .unwrap_or_else(|| r.address().to_string());
        sink.report(
            &item.loc,
            format!(
                "role `{}` is allowed {} only on `{}`, which does not cover {scope} that {} replicates (`{}`): {consequence}",
                super::grants::role_text(g, role_view),
                actions.join(", "),
                g.display(&item.text),
                r.label(),
                g.display(&grant),
            ),
        )
        .label("scoped to other keys")
        .related(&rule_scope_loc(&r), "the rule's prefix")
        .help(format!(
            "widen the Resource to cover every active rule's prefix, e.g. \"{}\" (S3 ARNs are case-sensitive)",
            g.display(&grant)
        ))
        .resource(address)
        .discriminator(format!("{grant}|{}", actions.join(",")));
    }
}

/// Where the rule states its prefix (the filter or V1 prefix), else the rule.
fn rule_scope_loc(r: &crate::graph::RuleRef<'_, '_>) -> crate::source::Loc {
    let filter_prefix = r.rule.filter.as_ref().map(|f| &f.prefix);
    match filter_prefix
        .filter(|p| p.is_known())
        .or(Some(&r.rule.prefix).filter(|p| p.is_known()))
    {
        Some(p) => p.loc().clone(),
        None => r.rule.loc.clone(),
    }
}
