//! Shared reporting for the permission rules: which needs lack a grant, grouped so that one
//! missing statement gives one finding with the statement to add.

use std::collections::BTreeMap;

use crate::graph::{DocId, Graph, RoleView};
use crate::iam::{self, ActionSpec, Effect, Match, ResourceSpec, Statement};
use crate::source::Loc;

use super::access::{self, Checked, Gap, Side};
use super::{Context, Sink};

/// Needs of one replication configuration on one resource pattern that lack a grant.
pub struct Group<'c> {
    pub replication: usize,
    pub rule: usize,
    pub role: usize,
    pub grant: access::Shared,
    pub side: Side,
    pub actions: Vec<&'static str>,
    pub checked: Vec<&'c Checked>,
    /// For cannot-verify groups: why.
    pub why: Option<String>,
}

fn group<'c>(items: impl Iterator<Item = (&'c Checked, Option<String>)>) -> Vec<Group<'c>> {
    let mut groups: BTreeMap<(usize, access::Shared, Option<String>), Group<'c>> = BTreeMap::new();
    for (c, why) in items {
        let key = (c.replication, c.need.grant.clone(), why.clone());
        let g = groups.entry(key).or_insert_with(|| Group {
            replication: c.replication,
            rule: c.rule,
            role: c.role,
            grant: c.need.grant.clone(),
            side: c.need.side,
            actions: Vec::new(),
            checked: Vec::new(),
            why,
        });
        if !g.actions.contains(&c.need.action) {
            g.actions.push(c.need.action);
        }
        g.checked.push(c);
    }
    without_covered(groups.into_values().collect())
}

/// Drops a group when another of the same configuration asks for at least its actions on a
/// pattern that covers its own (`DST/*` covers the `DST/one*` of a prefix-filtered rule): the
/// statement that fixes the wider one fixes both, and one missing grant is one finding.
fn without_covered(groups: Vec<Group<'_>>) -> Vec<Group<'_>> {
    let covers = |wide: &Group<'_>, narrow: &Group<'_>| {
        wide.grant != narrow.grant
            && wide.why == narrow.why
            && narrow.actions.iter().all(|a| wide.actions.contains(a))
            && iam::matching::glob(&wide.grant, &narrow.grant, false) == Match::Yes
    };
    // Groups come sorted by configuration: compare within each run of one configuration.
    // Of two patterns that cover each other (`X/*`, `X/**`) the first one stays.
    let keep: Vec<bool> = groups
        .chunk_by(|a, b| a.replication == b.replication)
        .flat_map(|run| {
            (0..run.len()).map(move |narrow| {
                !(0..run.len()).any(|wide| {
                    wide != narrow
                        && covers(&run[wide], &run[narrow])
                        && (wide < narrow || !covers(&run[narrow], &run[wide]))
                })
            })
        })
        .collect();
    groups
        .into_iter()
        .zip(keep)
        .filter_map(|(g, k)| k.then_some(g))
        .collect()
}

/// Needs with one of `actions` that the role's identity policies do not grant.
pub fn identity_gaps<'c>(cx: &'c Context<'_>, actions: &[&str]) -> Vec<Group<'c>> {
    let g = cx.graph;
    group(
        cx.checked()
            .filter(|c| actions.contains(&c.need.action))
            .filter(|c| {
                access::gaps(g, &c.decision)
                    .iter()
                    .any(|gap| matches!(gap, Gap::Identity))
            })
            .filter(|c| wildcard_near_miss(g, &g.roles[c.role].identity, c).is_none())
            // A misspelled action or a grant on the wrong resource type is reported, at the
            // item to correct, by pol-unknown-action / pol-action-resource-type-mismatch.
            .filter(|c| {
                !crate::rules::policy_hygiene::lost_grants::explains_identity_gap(
                    g,
                    &g.roles[c.role].identity,
                    c,
                )
            })
            .filter(|c| !substitute_allowed(g, c))
            .filter(|c| !super::coverage::explained_elsewhere(g, c))
            .filter(|c| !super::kms::explained(g, c))
            .map(|c| (c, None)),
    )
}

/// `s3:GetObjectVersion` replicates unencrypted and SSE-S3 objects in place of
/// `s3:GetObjectVersionForReplication`; that case is `srcp-getobjectversion-substitute`'s.
pub fn substitute_allowed(g: &Graph<'_>, c: &Checked) -> bool {
    c.need.action == "s3:GetObjectVersionForReplication"
        && access::decide_with_action(g, c, "s3:GetObjectVersion").is_allow()
}

/// Needs with one of `actions` whose outcome cannot be told from the input.
pub fn undecided<'c>(cx: &'c Context<'_>, actions: &[&str]) -> Vec<Group<'c>> {
    let g = cx.graph;
    group(
        cx.checked()
            .filter(|c| actions.contains(&c.need.action))
            .filter(|c| super::denies::org_boundary_reported(g, c).is_none())
            .filter_map(|c| {
                access::gaps(g, &c.decision)
                    .into_iter()
                    .find_map(|gap| match gap {
                        Gap::CannotTell(why) => Some((c, Some(why))),
                        _ => None,
                    })
            }),
    )
}

/// Whether a statement's Action (or NotAction) covers `action`.
pub fn covers_action(st: &Statement, action: &str) -> bool {
    match &st.action {
        Some(ActionSpec::Action(items)) => items
            .iter()
            .any(|i| iam::matching::glob(&i.text, action, true) == Match::Yes),
        Some(ActionSpec::NotAction(items)) => items
            .iter()
            .all(|i| iam::matching::glob(&i.text, action, true) == Match::No),
        None => false,
    }
}

/// A Resource item that names the bucket or `bucket/` where objects were meant (`B/` or `B`
/// without `*`): it matches no object, so the grant is dead. The item, if the statement would
/// otherwise grant `c`'s action.
pub fn wildcard_near_miss<'g>(
    g: &'g Graph<'_>,
    docs: &[DocId],
    c: &Checked,
) -> Option<&'g iam::Item> {
    if !matches!(c.need.side, Side::SourceObjects | Side::DestinationObjects) {
        return None;
    }
    let bucket_arn = c.need.grant.split('/').next()?;
    for &id in docs {
        let Some(policy) = g.policy(id) else { continue };
        for st in &policy.statements {
            if st.effect != Some(Effect::Allow) || !covers_action(st, c.need.action) {
                continue;
            }
            if let Some(ResourceSpec::Resource(items)) = &st.resource
                && let Some(item) = items
                    .iter()
                    .find(|i| i.text == format!("{bucket_arn}/") || i.text == bucket_arn)
            {
                // A statement that also has a working object pattern is not a near miss.
                let has_object_pattern = items
                    .iter()
                    .any(|i| i.text.starts_with(&format!("{bucket_arn}/")) && i.text.contains('*'));
                if !has_object_pattern {
                    return Some(item);
                }
            }
        }
    }
    None
}

/// The readable name of a role.
pub fn role_text(g: &Graph<'_>, role: &RoleView) -> String {
    match role.name.concrete() {
        Some(n) => n.to_string(),
        None => g.model.roles[role.index].origin.address.clone(),
    }
}

/// Reports identity-side gaps of `actions` as findings of the sink's rule.
pub fn report_identity(cx: &Context<'_>, sink: &mut Sink<'_>, actions: &[&str], consequence: &str) {
    let g = cx.graph;
    for grp in identity_gaps(cx, actions) {
        let role = &g.roles[grp.role];
        let config = &g.model.replications[g.replications[grp.replication].index];
        let statement = access::allow_statement(g, None, &grp.actions, &grp.grant);
        let (anchor, address) = access::identity_anchor(g, role);
        sink.report(
            &anchor,
            format!(
                "replication role `{}` is not allowed {} on `{}`: {consequence}",
                role_text(g, role),
                grp.actions.join(", "),
                g.display(&grp.grant)
            ),
        )
        .label("no statement grants this")
        .related(config.role.loc(), "the replication role is set here")
        .help(format!(
            "add this statement to the role's permissions policy:\n{statement}"
        ))
        .resource(address)
        .discriminator(format!("{}|{}", grp.grant, grp.actions.join(",")));
    }
    report_undecided(cx, sink, actions);
}

/// One "cannot verify" per replication configuration and resource for undecidable needs.
pub fn report_undecided(cx: &Context<'_>, sink: &mut Sink<'_>, actions: &[&str]) {
    let g = cx.graph;
    for grp in undecided(cx, actions) {
        let role = &g.roles[grp.role];
        let config = &g.model.replications[g.replications[grp.replication].index];
        sink.cannot_verify(
            &access::identity_anchor(g, role).0,
            format!(
                "whether role `{}` may {} on `{}`: {}",
                role_text(g, role),
                grp.actions.join(", "),
                g.display(&grp.grant),
                grp.why.as_deref().unwrap_or("an input is not known")
            ),
            "pass the stacks, plans or Terraform sources that define the missing inputs, and --account for providers whose account is not in the input",
        )
        .related(config.role.loc(), "the replication role is set here")
        .resource(config.origin.address.as_str())
        .discriminator(format!("{}|{}", grp.grant, grp.actions.join(",")));
    }
}

/// The location of the resource policy a group's needs were checked against.
pub fn resource_policy_loc(g: &Graph<'_>, c: &Checked) -> Option<Loc> {
    match &c.need.resource_policy {
        access::ResourcePolicy::Doc(id) => Some(g.doc(*id).doc.loc.clone()),
        _ => None,
    }
}

/// The address of the resource holding the resource policy (the key, not its ARN, which is a
/// reference until apply in Terraform sources), else the granted resource.
pub fn resource_policy_address(g: &Graph<'_>, c: &Checked) -> String {
    match &c.need.resource_policy {
        access::ResourcePolicy::Doc(id) => g.doc(*id).address.clone(),
        _ => c.need.grant.to_string(),
    }
}
