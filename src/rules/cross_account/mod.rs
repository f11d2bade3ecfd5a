//! G. Cross-account destination bucket policy.
//!
//! One analysis of each destination bucket policy decides which rule speaks: a grant to the
//! wrong principal form (`xdst-principal-form`) or on `bucket/` without `*`
//! (`xdst-object-resource`) explains the missing actions, so the per-action rules stay silent;
//! a policy that grants the role nothing is `xdst-policy-missing`.

mod xdst_object_resource;
mod xdst_owner_override;
mod xdst_policy_missing;
mod xdst_principal_form;
mod xdst_putbucketversioning_overgrant;
mod xdst_replicate_delete;
mod xdst_replicate_object;
mod xdst_replicate_tags;
mod xdst_restrict_public_buckets;

pub use xdst_object_resource::XdstObjectResource;
pub use xdst_owner_override::XdstOwnerOverride;
pub use xdst_policy_missing::XdstPolicyMissing;
pub use xdst_principal_form::XdstPrincipalForm;
pub use xdst_putbucketversioning_overgrant::XdstPutbucketversioningOvergrant;
pub use xdst_replicate_delete::XdstReplicateDelete;
pub use xdst_replicate_object::XdstReplicateObject;
pub use xdst_replicate_tags::XdstReplicateTags;
pub use xdst_restrict_public_buckets::XdstRestrictPublicBuckets;

use crate::graph::{DocId, Graph, Link, RoleView, RuleRef, Tri};
use crate::iam::{Effect, Item, PrincipalSpec, PrincipalType, ResourceSpec, Statement};
use crate::model::arn;

use super::grants::covers_action;

/// Actions the destination bucket policy must grant the role.
pub const REPLICATE_ACTIONS: &[&str] = &[
    "s3:ReplicateObject",
    "s3:ReplicateDelete",
    "s3:ReplicateTags",
    "s3:ObjectOwnerOverrideToBucketOwner",
];

/// A cross-account rule whose destination bucket (and its policy) is in the input.
pub struct Destination<'g, 'm> {
    pub r: RuleRef<'g, 'm>,
    pub role: &'g RoleView,
    pub bucket: usize,
    pub policy: Option<DocId>,
}

/// Rules that replicate to another account, with their role and destination bucket.
/// `external` receives the rules whose destination is not in the input.
pub fn cross_account_destinations<'g, 'm>(
    g: &'g Graph<'m>,
    mut external: impl FnMut(&RuleRef<'g, 'm>),
) -> Vec<Destination<'g, 'm>> {
    let mut out = Vec::new();
    for r in g.each_rule() {
        if !r.is_active() || r.cross_account() != Tri::Yes {
            continue;
        }
        let Some(role) = r.view.role.found().map(|i| &g.roles[i]) else {
            continue;
        };
        match r.rule_view.destination {
            Link::Found(bucket) => {
                let policy = g.buckets[bucket].policy;
                out.push(Destination {
                    r,
                    role,
                    bucket,
                    policy,
                });
            }
            Link::External(_) => external(&r),
            _ => {}
        }
    }
    out
}

/// Whether a principal item names the role: `*`, the role ARN, its account root or id.
pub fn names_role(item: &Item, kind: &PrincipalType, role: &RoleView) -> bool {
    match kind {
        PrincipalType::Wildcard => true,
        PrincipalType::Aws => {
            let text = item.text.as_str();
            if text == "*" || role.arn.known() == Some(text) {
                return true;
            }
            role.account
                .known()
                .is_some_and(|a| text == a || text == format!("arn:aws:iam::{a}:root"))
        }
        _ => false,
    }
}

fn principals(st: &Statement) -> &[crate::iam::PrincipalItem] {
    match &st.principal {
        Some(PrincipalSpec::Principal(items)) => items,
        _ => &[],
    }
}

/// Allow statements of the policy that cover one of the replicate actions.
pub fn replicate_grants(policy: &crate::iam::Policy) -> impl Iterator<Item = &Statement> {
    policy.statements.iter().filter(|st| {
        st.effect == Some(Effect::Allow) && REPLICATE_ACTIONS.iter().any(|a| covers_action(st, a))
    })
}

/// Whether some Allow statement names the role at all.
pub fn grants_role_anything(policy: &crate::iam::Policy, role: &RoleView) -> bool {
    policy
        .statements
        .iter()
        .filter(|st| st.effect == Some(Effect::Allow))
        .any(|st| {
            principals(st)
                .iter()
                .any(|p| names_role(&p.value, &p.kind, role))
        })
}

/// A principal item of a replicate grant that was meant for the role but cannot match it.
pub fn wrong_principal_forms<'p>(
    policy: &'p crate::iam::Policy,
    role: &RoleView,
) -> Vec<(&'p Item, String)> {
    let mut out = Vec::new();
    let role_arn = role.arn.known().unwrap_or("");
    let role_name = arn::role_path_name(role_arn).map(|(_, n)| n.to_string());
    for st in replicate_grants(policy) {
        for p in principals(st) {
            if names_role(&p.value, &p.kind, role) {
                continue;
            }
            let text = p.value.text.as_str();
            let why = match p.kind {
                PrincipalType::Service if text.starts_with("s3.") => {
                    Some("a service principal: replication requests are made with the role's session, not by s3.amazonaws.com".to_string())
                }
                PrincipalType::Aws if text.contains(":assumed-role/") && text.contains('*') => {
                    Some("an assumed-role session ARN with a wildcard, which principals do not allow".to_string())
                }
                PrincipalType::Aws => match (arn::role_path_name(text), &role_name) {
                    (Some((_, name)), Some(role_name)) if name == role_name.as_str() => {
                        Some(format!("the role ARN differs from the replication role `{role_arn}` (path or account)"))
                    }
                    _ => None,
                },
                _ => None,
            };
            if let Some(why) = why {
                out.push((&p.value, why));
            }
        }
    }
    out
}

/// A Resource item of a role grant that is `bucket/` or `bucket` where objects are needed.
pub fn object_resource_misses<'p>(
    policy: &'p crate::iam::Policy,
    role: &RoleView,
    bucket_arn: &str,
) -> Vec<&'p Item> {
    let mut out = Vec::new();
    for st in replicate_grants(policy) {
        if !principals(st)
            .iter()
            .any(|p| names_role(&p.value, &p.kind, role))
        {
            continue;
        }
        let Some(ResourceSpec::Resource(items)) = &st.resource else {
            continue;
        };
        let has_objects = items.iter().any(|i| {
            i.text == "*" || object_part(&i.text, bucket_arn).is_some_and(|key| !key.is_empty())
        });
        if has_objects {
            continue;
        }
        out.extend(
            items
                .iter()
                .filter(|i| i.text == bucket_arn || object_part(&i.text, bucket_arn) == Some("")),
        );
    }
    out
}

/// What follows `bucket_arn/` in a resource that starts so.
fn object_part<'t>(text: &'t str, bucket_arn: &str) -> Option<&'t str> {
    text.strip_prefix(bucket_arn)?.strip_prefix('/')
}

/// Reports destination bucket policies that grant the role something, but not `action`
/// (and where no wrong principal or resource form explains it).
pub fn report_policy_gap(
    cx: &super::Context<'_>,
    sink: &mut super::Sink<'_>,
    action: &str,
    consequence: &str,
) {
    use super::access::{Gap, allow_statement, gaps};
    let g = cx.graph;
    let destinations = cross_account_destinations(g, |_| {});
    let mut seen = foldhash::HashSet::default();
    for d in &destinations {
        let Some(id) = d.policy else { continue };
        // The engine's answer first: most destinations grant what they must, and the analysis
        // of why a policy does not is only needed where it does not.
        let missing = cx.checked_of(d.r.view.index).iter().find(|c| {
            c.need.action == action
                && c.rule == d.r.rule_view.index
                && gaps(g, &c.decision)
                    .iter()
                    .any(|gap| matches!(gap, Gap::ResourcePolicy))
                && !crate::rules::kms::explained(g, c)
        });
        let Some(c) = missing else { continue };
        let Some(policy) = g.policy(id) else { continue };
        if !grants_role_anything(policy, d.role)
            || !wrong_principal_forms(policy, d.role).is_empty()
        {
            continue;
        }
        let Some(bucket_arn) = g.buckets[d.bucket].arn.known() else {
            continue;
        };
        if !object_resource_misses(policy, d.role, bucket_arn).is_empty() {
            continue;
        }
        if !seen.insert((id, c.need.grant.clone())) {
            continue;
        }
        sink.report(
            &g.doc(id).doc.loc,
            format!(
                "the bucket policy of `{}` does not allow the replication role {action} on `{}`: {consequence}",
                g.bucket_text(&g.buckets[d.bucket]),
                g.display(&c.need.grant)
            ),
        )
        .label(format!("no statement grants {action} to the role"))
        .related(d.r.config.role.loc(), "the replication role of the other account")
        .help(format!("add this statement to the bucket policy:\n{}", allow_statement(g, d.role.arn.known(), &[action], &c.need.grant)))
        .resource(g.doc(id).address.as_str())
        .discriminator(&*c.need.grant);
    }
}
