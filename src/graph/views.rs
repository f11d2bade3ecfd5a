//! Joined views of buckets, roles, keys and replication configurations.

use crate::model::{
    AttachedPolicy, Bucket, BucketSettings, Lifecycle, Origin, PublicAccessBlock, ReplicationRule,
    Sse, Value, Versioning,
};
use crate::source::Loc;
use crate::syntax::Why;

use super::docs::{DocId, DocOwner};
use super::{Building, Edge, Entity, Graph, Link, Resolved};

/// A bucket setting and the resource that set it.
#[derive(Clone, Copy, Debug)]
pub struct Setting<'m, T> {
    pub value: &'m Value<T>,
    pub origin: &'m Origin,
}

impl<'m, T> Setting<'m, T> {
    pub fn loc(&self) -> &'m Loc {
        self.value.loc()
    }
}

pub struct BucketView<'m> {
    pub index: usize,
    pub bucket: &'m Bucket,
    pub name: Resolved,
    pub arn: Resolved,
    pub account: Resolved,
    pub region: Resolved,
    pub versioning: Setting<'m, Versioning>,
    pub object_lock: Setting<'m, bool>,
    pub ownership: Setting<'m, String>,
    pub request_payer: Setting<'m, String>,
    pub object_lock_default_retention: Setting<'m, String>,
    pub object_lock_token: Setting<'m, String>,
    pub sse: Option<(&'m Sse, &'m Origin)>,
    pub public_access_block: Option<(&'m PublicAccessBlock, &'m Origin)>,
    pub lifecycle: Option<(&'m Lifecycle, &'m Origin)>,
    pub policy: Option<DocId>,
    /// The resource that holds the policy (for "add it here" fixes).
    pub policy_origin: Option<&'m Origin>,
    /// Settings resources that configure this bucket.
    pub settings_resources: Vec<usize>,
}

impl BucketView<'_> {
    /// Versioning is Enabled, or implied by Object Lock.
    pub fn versioning_enabled(&self) -> super::Tri {
        use super::Tri;
        if self.object_lock.value.is_true() {
            return Tri::Yes;
        }
        match self.versioning.value {
            Value::Known(Versioning::Enabled, _) => Tri::Yes,
            Value::Known(_, _) | Value::Absent(_) => Tri::No,
            _ => Tri::Unknown,
        }
    }

    pub fn address(&self) -> &str {
        &self.bucket.origin.address
    }
}

pub struct RoleView {
    pub index: usize,
    pub arn: Resolved,
    pub name: Resolved,
    pub account: Resolved,
    pub trust: Option<DocId>,
    pub identity: Vec<DocId>,
    /// Attached policies whose content is not in the input (AWS managed, other stacks).
    pub identity_unknown: Vec<(Why, Loc)>,
    pub boundary: Link<DocId>,
    pub boundary_loc: Loc,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum KeyLink {
    Found(usize),
    /// The AWS managed key `alias/aws/s3` (as written).
    AwsManaged(String),
    External(String),
    Unknown(Why),
    Absent,
}

pub struct KeyView {
    pub index: usize,
    pub arn: Resolved,
    pub account: Resolved,
    pub region: Resolved,
    /// `None`: the AWS default key policy (root "Enable IAM policies").
    pub policy: Option<DocId>,
    pub policy_origin: Option<Origin>,
}

pub struct RuleView {
    pub index: usize,
    pub destination: Link<usize>,
    pub destination_arn: Resolved,
    pub replica_key: KeyLink,
}

pub struct ReplicationView {
    pub index: usize,
    pub source: Link<usize>,
    pub role: Link<usize>,
    pub role_arn: Resolved,
    pub rules: Vec<RuleView>,
}

fn pick<'m, T>(current: &mut Setting<'m, T>, candidate: &'m Value<T>, origin: &'m Origin) {
    if candidate.is_present() {
        *current = Setting {
            value: candidate,
            origin,
        };
    }
}

fn merge_settings<'m>(
    view: &mut BucketView<'m>,
    s: &'m BucketSettings,
    origin: &'m Origin,
    g: &mut Building<'m, '_>,
    owner: &str,
) {
    pick(&mut view.versioning, &s.versioning, origin);
    pick(&mut view.object_lock, &s.object_lock, origin);
    pick(&mut view.ownership, &s.ownership, origin);
    pick(&mut view.request_payer, &s.request_payer, origin);
    pick(
        &mut view.object_lock_default_retention,
        &s.object_lock_default_retention,
        origin,
    );
    pick(&mut view.object_lock_token, &s.object_lock_token, origin);
    if let Some(sse) = &s.sse {
        view.sse = Some((sse, origin));
    }
    if let Some(pab) = &s.public_access_block {
        view.public_access_block = Some((pab, origin));
    }
    if let Some(lifecycle) = &s.lifecycle {
        view.lifecycle = Some((lifecycle, origin));
    }
    if let Some(doc) = &s.policy {
        let id = g.add_doc(doc, DocOwner::BucketPolicy, owner);
        view.policy = Some(id);
        view.policy_origin = Some(origin);
    }
}

pub(super) fn build_buckets(g: &mut Building<'_, '_>) {
    let model = g.model;
    // Settings resources joined to their bucket first, so each view is built in one go.
    let mut settings_of: Vec<Vec<usize>> = vec![Vec::new(); model.buckets.len()];
    for (si, s) in model.bucket_settings.iter().enumerate() {
        match g.bucket_by_value(&s.bucket) {
            Link::Found(bi) => settings_of[bi].push(si),
            _ => {
                // A policy for a bucket outside the input still gets its hygiene checked.
                if let Some(doc) = &s.settings.policy {
                    g.add_doc(doc, DocOwner::BucketPolicy, &s.origin.address);
                }
            }
        }
    }
    for (i, b) in model.buckets.iter().enumerate() {
        let mut view = BucketView {
            index: i,
            bucket: b,
            name: g.resolver.bucket_name(i),
            arn: g.resolver.bucket_arn(i),
            account: g.resolver.resolve_account(&b.account),
            region: g.resolver.resolve(&b.region),
            versioning: Setting {
                value: &b.settings.versioning,
                origin: &b.origin,
            },
            object_lock: Setting {
                value: &b.settings.object_lock,
                origin: &b.origin,
            },
            ownership: Setting {
                value: &b.settings.ownership,
                origin: &b.origin,
            },
            request_payer: Setting {
                value: &b.settings.request_payer,
                origin: &b.origin,
            },
            object_lock_default_retention: Setting {
                value: &b.settings.object_lock_default_retention,
                origin: &b.origin,
            },
            object_lock_token: Setting {
                value: &b.settings.object_lock_token,
                origin: &b.origin,
            },
            sse: None,
            public_access_block: None,
            lifecycle: None,
            policy: None,
            policy_origin: None,
            settings_resources: Vec::new(),
        };
        merge_settings(&mut view, &b.settings, &b.origin, g, &b.origin.address);
        for &si in &settings_of[i] {
            let s = &model.bucket_settings[si];
            merge_settings(&mut view, &s.settings, &s.origin, g, &s.origin.address);
            view.settings_resources.push(si);
            if view.account.concrete().is_none()
                && let Resolved::Known(a) = g.resolver.resolve(&s.expected_owner)
            {
                view.account = Resolved::Known(a);
            }
        }
        g.buckets.push(view);
    }
}

/// A literal value, else the part of a literal ARN that states it, else the value as resolved.
fn or_from_arn(value: Resolved, arn: &Resolved, part: fn(&str) -> Option<&str>) -> Resolved {
    if value.concrete().is_some() {
        return value;
    }
    match arn.concrete().and_then(part) {
        Some(p) => Resolved::Known(p.to_string()),
        None => value,
    }
}

pub(super) fn build_keys(g: &mut Building<'_, '_>) {
    let model = g.model;
    for (i, k) in model.keys.iter().enumerate() {
        let arn = g.resolver.key_arn(i);
        let account = or_from_arn(
            g.resolver.resolve_account(&k.account),
            &arn,
            crate::model::arn::account_of,
        );
        let region = or_from_arn(
            g.resolver.resolve(&k.region),
            &arn,
            crate::model::arn::region_of,
        );
        let policy = k
            .policy
            .as_ref()
            .map(|doc| g.add_doc(doc, DocOwner::KeyPolicy, &k.origin.address));
        g.keys.push(KeyView {
            index: i,
            arn,
            account,
            region,
            policy,
            policy_origin: k.policy.as_ref().map(|_| k.origin.clone()),
        });
    }
    for kp in &model.key_policies {
        let owner = kp.origin.address.as_str();
        let id = g.add_doc(&kp.policy, DocOwner::KeyPolicy, owner);
        if let KeyLink::Found(k) = g.key_by_value(&kp.key) {
            g.keys[k].policy = Some(id);
            g.keys[k].policy_origin = Some(kp.origin.clone());
        }
    }
}

pub(super) fn build_roles(g: &mut Building<'_, '_>) {
    let model = g.model;
    for (i, r) in model.roles.iter().enumerate() {
        let arn = g.resolver.role_arn(i);
        let account = or_from_arn(
            g.resolver.resolve_account(&r.account),
            &arn,
            crate::model::arn::account_of,
        );
        let owner = r.origin.address.as_str();
        let trust = r
            .trust
            .as_ref()
            .map(|d| g.add_doc(d, DocOwner::Trust, owner));
        let identity = r
            .inline_policies
            .iter()
            .map(|d| g.add_doc(d, DocOwner::Identity, owner))
            .collect();
        let mut view = RoleView {
            index: i,
            name: g.resolver.role_name(i),
            arn,
            account,
            trust,
            identity,
            identity_unknown: Vec::new(),
            boundary: Link::Absent,
            boundary_loc: r.boundary.loc().clone(),
        };
        for managed in &r.managed_policy_arns {
            attach_managed(g, &mut view, managed);
        }
        view.boundary = match &r.boundary {
            Value::Absent(_) => Link::Absent,
            value => match managed_policy_by_value(g, value) {
                Link::Found(p) => {
                    let doc = &model.managed_policies[p].document;
                    Link::Found(g.add_doc(
                        doc,
                        DocOwner::Boundary,
                        &model.managed_policies[p].origin.address,
                    ))
                }
                other => match other {
                    Link::External(a) => Link::External(a),
                    Link::Unknown(w) => Link::Unknown(w),
                    _ => Link::Absent,
                },
            },
        };
        g.roles.push(view);
    }
    // Policies attached from outside the role, and managed policies naming their roles.
    for a in &model.role_policy_attachments {
        for role in &a.roles {
            let Link::Found(ri) = g.role_by_value(role) else {
                continue;
            };
            let mut view = std::mem::replace(&mut g.roles[ri], empty_role(ri));
            match &a.policy {
                AttachedPolicy::Inline(doc) => {
                    let id = g.add_doc(doc, DocOwner::Identity, &a.origin.address);
                    view.identity.push(id);
                }
                AttachedPolicy::Managed(arn) => attach_managed(g, &mut view, arn),
            }
            g.roles[ri] = view;
        }
    }
    for (pi, p) in model.managed_policies.iter().enumerate() {
        for role in &p.roles {
            let Link::Found(ri) = g.role_by_value(role) else {
                continue;
            };
            let id = g.add_doc(
                &p.document,
                DocOwner::Identity,
                &model.managed_policies[pi].origin.address,
            );
            g.roles[ri].identity.push(id);
        }
    }
}

fn empty_role(index: usize) -> RoleView {
    RoleView {
        index,
        arn: Resolved::Absent,
        name: Resolved::Absent,
        account: Resolved::Absent,
        trust: None,
        identity: Vec::new(),
        identity_unknown: Vec::new(),
        boundary: Link::Absent,
        boundary_loc: Loc::None,
    }
}

fn managed_policy_by_value(g: &Graph<'_>, value: &Value<String>) -> Link<usize> {
    if let Value::Ref(r, _) = value
        && let Some(Entity::ManagedPolicy(i)) = g.resolver.entity(&r.target)
    {
        return Link::Found(i);
    }
    match g.resolver.resolve(value) {
        Resolved::Known(text) => match g.policy_by_arn.get(&text) {
            Some(&i) => Link::Found(i),
            None => Link::External(text),
        },
        Resolved::Unknown(w) => Link::Unknown(w),
        Resolved::Absent => Link::Absent,
    }
}

fn attach_managed(g: &mut Building<'_, '_>, view: &mut RoleView, arn: &Value<String>) {
    match managed_policy_by_value(g, arn) {
        Link::Found(p) => {
            let mp = &g.model.managed_policies[p];
            let id = g.add_doc(&mp.document, DocOwner::Identity, &mp.origin.address);
            if !view.identity.contains(&id) {
                view.identity.push(id);
            }
        }
        Link::External(text) => view.identity_unknown.push((
            Why::new(format!(
                "the managed policy `{}` is not in the input",
                g.display(&text)
            )),
            arn.loc().clone(),
        )),
        Link::Unknown(why) => view.identity_unknown.push((why, arn.loc().clone())),
        Link::Absent => {}
    }
}

pub(super) fn build_replications(g: &mut Building<'_, '_>) {
    let model = g.model;
    for (i, rc) in model.replications.iter().enumerate() {
        let source = g.bucket_by_value(&rc.source);
        let role = g.role_by_value(&rc.role);
        let role_arn = match role {
            Link::Found(r) => g.roles[r].arn.clone(),
            _ => g.resolver.resolve(&rc.role),
        };
        let rules = rc
            .rules
            .iter()
            .enumerate()
            .map(|(ri, rule)| rule_view(g, ri, rule))
            .collect::<Vec<_>>();
        let me = g.node(Entity::Replication(i));
        if let Link::Found(b) = source {
            let n = g.node(Entity::Bucket(b));
            g.topology.add_edge(me, n, Edge::Source);
        }
        if let Link::Found(r) = role {
            let n = g.node(Entity::Role(r));
            g.topology.add_edge(me, n, Edge::Role);
        }
        for rv in &rules {
            if let Link::Found(b) = rv.destination {
                let n = g.node(Entity::Bucket(b));
                g.topology.add_edge(me, n, Edge::Destination(rv.index));
            }
            if let KeyLink::Found(k) = rv.replica_key {
                let n = g.node(Entity::Key(k));
                g.topology.add_edge(me, n, Edge::ReplicaKey(rv.index));
            }
        }
        g.replications.push(ReplicationView {
            index: i,
            source,
            role,
            role_arn,
            rules,
        });
    }
}

fn rule_view(g: &Graph<'_>, index: usize, rule: &ReplicationRule) -> RuleView {
    let dest_value = &rule.destination.bucket;
    let destination_arn = g.resolver.resolve(dest_value);
    let destination = match dest_value {
        Value::Ref(r, _) => match g.resolver.entity(&r.target) {
            Some(Entity::Bucket(b)) => Link::Found(b),
            _ => g.bucket_by_value(dest_value),
        },
        _ => g.bucket_by_value(dest_value),
    };
    RuleView {
        index,
        destination,
        destination_arn,
        replica_key: g.key_by_value(&rule.destination.replica_kms_key),
    }
}
