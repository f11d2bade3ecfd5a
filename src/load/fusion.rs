//! Fusion of a Terraform plan with the Terraform sources it was made from.
//!
//! Given together, a plan and its root module describe the same resources twice: the plan knows
//! the values of variables and tfvars as they were applied, the sources know how unknown values
//! are built (`"${aws_s3_bucket.dst.arn}/*"` in a policy the plan can only call "known after
//! apply") and where each attribute is written. Each resource present in both becomes one
//! resource that keeps the source's locations, so findings point at the .tf files.
//!
//! Which folder belongs to which plan: a plan names no folder, so a plan is paired with a root
//! module folder of the same run when they share resource addresses (without instance keys):
//! at least half of the addresses of the smaller of the two (only the resources repl-lint
//! models count), unless the bucket and role names both know mostly differ (another
//! environment of the same code). Each plan pairs with at most one folder and each folder with
//! at most one plan, the largest overlaps first, then the most names in common. Resources only
//! in the plan (registry modules that were not installed) or only in the sources stay as they
//! are.
//!
//! Values, per attribute: a value the plan knows wins (it reflects the inputs applied), then a
//! value the sources know, then what the sources build from references (they evaluate the whole
//! expression, where the plan's configuration only lists the references it uses), then the
//! plan's reference, then unknown. An attribute absent on one side takes the other side's value.

use std::collections::{HashMap, HashSet, VecDeque};

use serde_json::Value as Json;

use crate::model::{
    AccountPublicAccessBlock, AccountRegion, AttachedPolicy, Bucket, BucketSettings,
    BucketSettingsResource, ChangeActions, DeployDefaults, Destination, Filter, Key, KeyAlias,
    KeyPolicyResource, Lifecycle, LifecycleRule, ManagedPolicy, Model, NamedDocument, OrgPolicy,
    OrgPolicyAttachment, Origin, PolicyContent, PolicyDoc, PublicAccessBlock, Replication,
    ReplicationRule, Role, RolePolicyAttachment, SourceSelection, Sse, Tag, Toggle, Value,
};
use crate::source::Loc;
use crate::syntax::{Node, NodeKind};

/// What one input unit was, for pairing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnitKind {
    Plan,
    /// A root module folder of .tf files (with the modules it calls).
    TerraformRoot,
    Other,
}

/// The model of one input unit before the units are merged.
pub struct Loaded {
    pub kind: UnitKind,
    pub model: Model,
}

/// Fuses each plan with the root module folder it was made from, in place: fused resources live
/// in the folder's model, the plan's model keeps only what the sources lack.
pub fn fuse(units: &mut [Loaded]) {
    for (plan, root) in pairs(units) {
        let Some(plan_unit) = units.get_mut(plan) else {
            continue;
        };
        let mut plan_model = std::mem::take(&mut plan_unit.model);
        if let Some(root_unit) = units.get_mut(root) {
            fuse_models(&mut root_unit.model, &mut plan_model);
        }
        if let Some(plan_unit) = units.get_mut(plan) {
            plan_unit.model = plan_model;
        }
    }
}

/// What pairing looks at in one unit.
struct Footprint<'m> {
    unit: usize,
    /// Addresses without instance keys: the sources may not know how many instances there are.
    addresses: HashSet<String>,
    /// Known names of buckets and roles by address: two environments of one configuration
    /// share addresses but not names.
    names: HashMap<&'m str, &'m str>,
}

impl<'m> Footprint<'m> {
    fn new(unit: usize, model: &'m Model) -> Footprint<'m> {
        let names = model
            .buckets
            .iter()
            .filter_map(|b| Some((b.origin.address.as_str(), b.name.as_str()?)))
            .chain(
                model
                    .roles
                    .iter()
                    .filter_map(|r| Some((r.origin.address.as_str(), r.name.as_str()?))),
            )
            .collect();
        Footprint {
            unit,
            addresses: addresses(model)
                .into_iter()
                .map(without_instance_keys)
                .collect(),
            names,
        }
    }

    /// Known names that agree and that differ between two units.
    fn name_agreement(&self, other: &Footprint<'_>) -> (usize, usize) {
        let mut agree = 0;
        let mut differ = 0;
        for (address, name) in &self.names {
            match other.names.get(address) {
                Some(o) if o == name => agree += 1,
                Some(_) => differ += 1,
                None => {}
            }
        }
        (agree, differ)
    }
}

/// (plan unit, root unit) pairs that share most of their addresses and whose known names do
/// not mostly differ.
fn pairs(units: &[Loaded]) -> Vec<(usize, usize)> {
    let has = |kind: UnitKind| units.iter().any(|u| u.kind == kind);
    if !has(UnitKind::Plan) || !has(UnitKind::TerraformRoot) {
        return Vec::new();
    }
    let of_kind = |kind: UnitKind| -> Vec<Footprint<'_>> {
        units
            .iter()
            .enumerate()
            .filter(|(_, u)| u.kind == kind)
            .map(|(i, u)| Footprint::new(i, &u.model))
            .collect()
    };
    let plans = of_kind(UnitKind::Plan);
    let roots = of_kind(UnitKind::TerraformRoot);
    let mut candidates = Vec::new();
    for plan in &plans {
        for root in &roots {
            let shared = plan.addresses.intersection(&root.addresses).count();
            let smaller = plan.addresses.len().min(root.addresses.len());
            let (agree, differ) = plan.name_agreement(root);
            if shared > 0 && 2 * shared >= smaller && differ <= agree {
                candidates.push((shared, agree, plan.unit, root.unit));
            }
        }
    }
    // Largest overlaps first, then most names in common; remaining ties in input order.
    candidates.sort_by(|a, b| {
        (b.0, b.1)
            .cmp(&(a.0, a.1))
            .then(a.2.cmp(&b.2))
            .then(a.3.cmp(&b.3))
    });
    let mut taken_plans = HashSet::new();
    let mut taken_roots = HashSet::new();
    let mut out = Vec::new();
    for (_, _, p, r) in candidates {
        if !taken_plans.contains(&p) && !taken_roots.contains(&r) {
            taken_plans.insert(p);
            taken_roots.insert(r);
            out.push((p, r));
        }
    }
    out
}

/// The addresses of every Terraform resource of a model.
fn addresses(model: &Model) -> HashSet<&str> {
    let Model {
        buckets,
        bucket_settings,
        replications,
        roles,
        managed_policies,
        role_policy_attachments,
        keys,
        key_policies,
        aliases,
        org_policies,
        org_policy_attachments,
        documents,
        account_public_access_blocks,
        account_regions,
        standalone_policies: _,
        orderings: _,
        input_errors: _,
        notes: _,
    } = model;
    let mut out = HashSet::new();
    out.extend(buckets.iter().map(Addressed::address));
    out.extend(bucket_settings.iter().map(Addressed::address));
    out.extend(replications.iter().map(Addressed::address));
    out.extend(roles.iter().map(Addressed::address));
    out.extend(managed_policies.iter().map(Addressed::address));
    out.extend(role_policy_attachments.iter().map(Addressed::address));
    out.extend(keys.iter().map(Addressed::address));
    out.extend(key_policies.iter().map(Addressed::address));
    out.extend(aliases.iter().map(Addressed::address));
    out.extend(org_policies.iter().map(Addressed::address));
    out.extend(org_policy_attachments.iter().map(Addressed::address));
    out.extend(documents.iter().map(Addressed::address));
    out.extend(account_public_access_blocks.iter().map(Addressed::address));
    out.extend(account_regions.iter().map(Addressed::address));
    out
}

/// Moves every resource of `plan` that `source` also has into `source`, fused.
pub fn fuse_models(source: &mut Model, plan: &mut Model) {
    // Exhaustive on purpose: a new collection must decide here whether it is fused.
    let Model {
        buckets,
        bucket_settings,
        replications,
        roles,
        managed_policies,
        role_policy_attachments,
        keys,
        key_policies,
        aliases,
        org_policies,
        org_policy_attachments,
        documents,
        account_public_access_blocks,
        account_regions,
        standalone_policies: _,
        orderings: _,
        input_errors: _,
        notes: _,
    } = source;
    fuse_collection(buckets, &mut plan.buckets);
    fuse_collection(bucket_settings, &mut plan.bucket_settings);
    fuse_collection(replications, &mut plan.replications);
    fuse_collection(roles, &mut plan.roles);
    fuse_collection(managed_policies, &mut plan.managed_policies);
    fuse_collection(role_policy_attachments, &mut plan.role_policy_attachments);
    fuse_collection(keys, &mut plan.keys);
    fuse_collection(key_policies, &mut plan.key_policies);
    fuse_collection(aliases, &mut plan.aliases);
    fuse_collection(org_policies, &mut plan.org_policies);
    fuse_collection(org_policy_attachments, &mut plan.org_policy_attachments);
    fuse_collection(documents, &mut plan.documents);
    fuse_collection(
        account_public_access_blocks,
        &mut plan.account_public_access_blocks,
    );
    fuse_collection(account_regions, &mut plan.account_regions);
}

/// Pairs resources by address (the n-th of the plan with the n-th of the sources when a type
/// maps one address to several model items) and fuses each pair in the source's place.
///
/// A resource whose `count`/`for_each` (or its module's) the sources could not expand is one
/// item without instance keys there (`module.m.aws_s3_bucket.b`); the plan has the instances
/// (`module.m["a"].aws_s3_bucket.b[0]`). Each instance is then fused with a copy of it, in its
/// place.
fn fuse_collection<T: Fuse + Addressed + Clone>(source: &mut Vec<T>, plan: &mut Vec<T>) {
    if source.is_empty() || plan.is_empty() {
        return;
    }
    let mut waiting: HashMap<String, VecDeque<usize>> = HashMap::new();
    for (i, item) in source.iter().enumerate() {
        waiting
            .entry(item.address().to_string())
            .or_default()
            .push_back(i);
    }
    let mut slots: Vec<Option<T>> = source.drain(..).map(Some).collect();
    let mut unpaired = Vec::new();
    for item in plan.drain(..) {
        let slot = waiting
            .get_mut(item.address())
            .and_then(VecDeque::pop_front)
            .and_then(|i| slots.get_mut(i));
        match slot {
            Some(slot) => match slot.take() {
                Some(from_source) => *slot = Some(from_source.fuse(item)),
                None => unpaired.push(item),
            },
            None => unpaired.push(item),
        }
    }
    // Source items still waiting that lack an instance key the plan has stand for every
    // instance of their resource; found by the address without any key.
    let mut templates: HashMap<String, Vec<usize>> = HashMap::new();
    for i in waiting.into_values().flatten() {
        if let Some(item) = slots.get(i).and_then(Option::as_ref) {
            let base = without_instance_keys(item.address());
            templates.entry(base).or_default().push(i);
        }
    }
    let mut expanded: Vec<Option<Vec<T>>> = Vec::new();
    expanded.resize_with(slots.len(), || None);
    let mut plan_only = Vec::new();
    for item in unpaired {
        let template = templates
            .get(&without_instance_keys(item.address()))
            .into_iter()
            .flatten()
            .filter_map(|&i| Some((i, slots.get(i)?.as_ref()?)))
            .find(|(_, t)| stands_for(t.address(), item.address()));
        match template {
            Some((i, template)) => {
                let mut from_source = template.clone();
                from_source.set_address(item.address().to_string());
                if let Some(instances) = expanded.get_mut(i) {
                    instances
                        .get_or_insert_with(Vec::new)
                        .push(from_source.fuse(item));
                }
            }
            None => plan_only.push(item),
        }
    }
    *source = slots
        .into_iter()
        .zip(expanded)
        .flat_map(|(slot, instances)| match instances {
            Some(instances) => instances,
            None => slot.into_iter().collect(),
        })
        .collect();
    *plan = plan_only;
}

/// Whether a source address whose expansion was unknown stands for a plan instance address:
/// the same steps, each key of the source equal to the plan's or missing, at least one missing.
fn stands_for(source: &str, plan: &str) -> bool {
    use super::plan::address::steps;
    let (Some(s), Some(p)) = (steps(source), steps(plan)) else {
        return false;
    };
    s.len() == p.len()
        && s.iter()
            .zip(&p)
            .all(|(s, p)| s.name == p.name && (s.key.is_none() || s.key == p.key))
        && s.iter()
            .zip(&p)
            .any(|(s, p)| s.key.is_none() && p.key.is_some())
}

/// `module.m["a.b"].aws_s3_bucket.b[0]` → `module.m.aws_s3_bucket.b`.
fn without_instance_keys(address: &str) -> String {
    match super::plan::address::steps(address) {
        Some(steps) => steps
            .iter()
            .map(|step| step.name)
            .collect::<Vec<_>>()
            .join("."),
        None => address.to_string(),
    }
}

trait Addressed {
    fn address(&self) -> &str;
    fn set_address(&mut self, address: String);
}

macro_rules! addressed {
    ($($ty:ident),* $(,)?) => {
        $(impl Addressed for $ty {
            fn address(&self) -> &str {
                &self.origin.address
            }
            fn set_address(&mut self, address: String) {
                self.origin.address = address;
            }
        })*
    };
}

addressed!(
    AccountPublicAccessBlock,
    AccountRegion,
    Bucket,
    BucketSettingsResource,
    Replication,
    Role,
    ManagedPolicy,
    RolePolicyAttachment,
    Key,
    KeyPolicyResource,
    KeyAlias,
    OrgPolicy,
    OrgPolicyAttachment,
    NamedDocument,
);

/// Two descriptions of one thing: `self` from the sources, `plan` from the plan.
pub trait Fuse: Sized {
    fn fuse(self, plan: Self) -> Self;

    /// What pairs the elements of two lists (rule ids), when every element has one.
    fn pairing_key(&self) -> Option<String> {
        None
    }
}

/// Fuses field by field. The destructuring is exhaustive: a field added to the model must be
/// named here, or this does not compile.
macro_rules! fuse_fields {
    ($ty:ident { $($field:ident),* $(,)? } $(, key = $key:expr)?) => {
        impl Fuse for $ty {
            fn fuse(self, plan: Self) -> Self {
                let $ty { $($field),* } = self;
                $ty { $($field: $field.fuse(plan.$field)),* }
            }
            $(
                fn pairing_key(&self) -> Option<String> {
                    ($key)(self)
                }
            )?
        }
    };
}

fuse_fields!(Bucket {
    origin,
    name,
    arn,
    account,
    region,
    settings
});
fuse_fields!(BucketSettings {
    versioning,
    object_lock,
    ownership,
    sse,
    policy,
    public_access_block,
    request_payer,
    change,
    versioning_before,
    lifecycle,
    object_lock_default_retention,
    object_lock_token
});
fuse_fields!(AccountPublicAccessBlock {
    origin,
    account,
    settings
});
fuse_fields!(AccountRegion {
    origin,
    account,
    region,
    enabled
});
fuse_fields!(Lifecycle { loc, rules });
fuse_fields!(LifecycleRule {
    loc,
    id,
    status,
    prefix,
    transitions,
    noncurrent_transitions,
    expiration,
    expired_object_delete_marker,
    noncurrent_expiration
});
fuse_fields!(Sse {
    algorithm,
    kms_key,
    bucket_key,
    blocked_encryption_types
});
fuse_fields!(PublicAccessBlock {
    block_public_acls,
    ignore_public_acls,
    block_public_policy,
    restrict_public_buckets
});
fuse_fields!(BucketSettingsResource {
    origin,
    bucket,
    expected_owner,
    settings
});
fuse_fields!(Replication {
    origin,
    source,
    role,
    token,
    rules,
    depends_on
});
fuse_fields!(
    ReplicationRule {
        loc,
        id,
        status,
        priority,
        prefix,
        filter,
        delete_marker_replication,
        source_selection,
        existing_object_replication,
        destination,
        deploy_defaults,
        prefix_origin
    },
    key = |rule: &ReplicationRule| rule.id.get().cloned()
);
fuse_fields!(Filter {
    loc,
    prefix,
    tags,
    top_level_children,
    and
});
fuse_fields!(
    Tag { key, value, loc },
    key = |tag: &Tag| tag.key.get().cloned()
);
fuse_fields!(SourceSelection {
    loc,
    sse_kms,
    replica_modifications
});
fuse_fields!(Destination {
    loc,
    bucket,
    account,
    owner_override,
    storage_class,
    replica_kms_key,
    metrics,
    replication_time
});
fuse_fields!(Toggle {
    loc,
    status,
    minutes
});
fuse_fields!(Role {
    origin,
    name,
    path,
    arn,
    account,
    trust,
    inline_policies,
    managed_policy_arns,
    boundary,
    replaced,
    policy_references
});
fuse_fields!(ManagedPolicy {
    origin,
    name,
    arn,
    document,
    roles
});
fuse_fields!(RolePolicyAttachment {
    origin,
    roles,
    policy
});
fuse_fields!(Key {
    origin,
    arn,
    key_id,
    account,
    region,
    policy,
    enabled,
    key_spec,
    key_usage,
    multi_region,
    primary
});
fuse_fields!(KeyPolicyResource {
    origin,
    key,
    policy
});
fuse_fields!(KeyAlias {
    origin,
    name,
    target,
    account,
    region
});
fuse_fields!(OrgPolicy {
    origin,
    id,
    kind,
    document,
    targets
});
fuse_fields!(OrgPolicyAttachment {
    origin,
    policy,
    target
});
fuse_fields!(NamedDocument { origin, document });

/// The sources' declaration: findings point at the .tf block.
impl Fuse for Origin {
    fn fuse(self, _plan: Self) -> Self {
        self
    }
}

impl Fuse for Loc {
    fn fuse(self, plan: Self) -> Self {
        if matches!(self, Loc::None) {
            plan
        } else {
            self
        }
    }
}

/// References as written: only templates have them, and templates are never fused.
impl Fuse for (String, Loc) {
    fn fuse(self, _plan: Self) -> Self {
        self
    }
}

/// Both sides read the same resource type, so they agree on what the tool fills in.
impl Fuse for DeployDefaults {
    fn fuse(self, _plan: Self) -> Self {
        self
    }
}

/// Only a plan says what an apply changes.
impl Fuse for ChangeActions {
    fn fuse(self, plan: Self) -> Self {
        plan
    }
}

/// Counts of blocks as the sources write them.
impl Fuse for usize {
    fn fuse(self, _plan: Self) -> Self {
        self
    }
}

/// Dependencies of either side.
impl Fuse for Vec<String> {
    fn fuse(mut self, plan: Self) -> Self {
        for d in plan {
            if !self.contains(&d) {
                self.push(d);
            }
        }
        self
    }
}

impl<T: Fuse> Fuse for Option<T> {
    fn fuse(self, plan: Self) -> Self {
        match (self, plan) {
            (Some(s), Some(p)) => Some(s.fuse(p)),
            (s, None) => s,
            (None, p) => p,
        }
    }
}

/// Lists of one length pair element by element (by key when every element has a distinct one,
/// as set-typed blocks may come out of a plan in another order). Lists of different lengths
/// (a `dynamic` block the sources could not expand) are taken from the plan.
impl<T: Fuse> Fuse for Vec<T> {
    fn fuse(self, plan: Self) -> Self {
        if self.len() != plan.len() {
            return plan;
        }
        match by_key(&self, &plan) {
            Some(order) => {
                let mut plan_slots: Vec<Option<T>> = plan.into_iter().map(Some).collect();
                self.into_iter()
                    .zip(order)
                    .map(
                        |(s, j)| match plan_slots.get_mut(j).and_then(Option::take) {
                            Some(p) => s.fuse(p),
                            None => s,
                        },
                    )
                    .collect()
            }
            None => self.into_iter().zip(plan).map(|(s, p)| s.fuse(p)).collect(),
        }
    }
}

/// For each source element, the index of the plan element with the same key, when keys are
/// known, distinct and the same on both sides.
fn by_key<T: Fuse>(source: &[T], plan: &[T]) -> Option<Vec<usize>> {
    let plan_keys: Vec<String> = plan.iter().map(Fuse::pairing_key).collect::<Option<_>>()?;
    let distinct: HashSet<&String> = plan_keys.iter().collect();
    if distinct.len() != plan_keys.len() {
        return None;
    }
    let mut order = Vec::with_capacity(source.len());
    let mut used = HashSet::new();
    for s in source {
        let key = s.pairing_key()?;
        let j = plan_keys.iter().position(|k| *k == key)?;
        if !used.insert(j) {
            return None;
        }
        order.push(j);
    }
    Some(order)
}

impl<T> Fuse for Value<T> {
    fn fuse(self, plan: Self) -> Self {
        let loc = self.loc().clone().fuse(plan.loc().clone());
        let chosen = if plan.is_known() {
            plan
        } else if self.is_known() || is_built(&self) {
            self
        } else if is_built(&plan) || matches!(plan, Value::Unknown(..)) {
            plan
        } else {
            self
        };
        relocated(chosen, loc)
    }
}

/// A reference or template: what the value is made of, resolved by the graph.
fn is_built<T>(value: &Value<T>) -> bool {
    matches!(value, Value::Ref(..) | Value::Template(..))
}

fn relocated<T>(value: Value<T>, loc: Loc) -> Value<T> {
    match value {
        Value::Known(v, _) => Value::Known(v, loc),
        Value::Ref(r, _) => Value::Ref(r, loc),
        Value::Template(p, _) => Value::Template(p, loc),
        Value::Unknown(w, _) => Value::Unknown(w, loc),
        Value::Absent(_) => Value::Absent(loc),
    }
}

/// A document the plan knows wins, but when the sources hold the same document their spans
/// are kept (statements point into the .tf file). An unknown plan document is taken from the
/// sources when they build it.
impl Fuse for PolicyDoc {
    fn fuse(self, plan: Self) -> Self {
        let loc = self.loc.fuse(plan.loc);
        let content = if is_settled(&plan.content) {
            let same = match (document_json(&self.content), document_json(&plan.content)) {
                (Some(s), Some(p)) => s == p,
                _ => false,
            };
            if same { self.content } else { plan.content }
        } else if is_settled(&self.content) || matches!(self.content, PolicyContent::Ref(_)) {
            self.content
        } else {
            plan.content
        };
        PolicyDoc { loc, content }
    }
}

fn is_settled(content: &PolicyContent) -> bool {
    matches!(
        content,
        PolicyContent::Json { .. } | PolicyContent::Parsed(_) | PolicyContent::Invalid { .. }
    )
}

/// The document as plain JSON, when every part of it is known.
fn document_json(content: &PolicyContent) -> Option<Json> {
    match content {
        PolicyContent::Json { text, .. } => serde_json::from_str(text).ok(),
        PolicyContent::Parsed(node) => node_json(node, 0),
        _ => None,
    }
}

const MAX_DEPTH: usize = 128;

fn node_json(node: &Node, depth: usize) -> Option<Json> {
    if depth > MAX_DEPTH {
        return None;
    }
    Some(match &node.kind {
        NodeKind::Null => Json::Null,
        NodeKind::Bool(b) => Json::Bool(*b),
        NodeKind::Number(n) => serde_json::from_str::<Json>(n)
            .ok()
            .filter(Json::is_number)?,
        NodeKind::Str(s) => Json::String(s.to_string()),
        NodeKind::Template(_) | NodeKind::Unknown(_) => return None,
        NodeKind::List(items) => Json::Array(
            items
                .iter()
                .map(|n| node_json(n, depth + 1))
                .collect::<Option<_>>()?,
        ),
        NodeKind::Map(entries) => {
            let mut map = serde_json::Map::new();
            for (key, value) in entries {
                // A duplicated key is something to report, with the sources' spans lost: not
                // the same document.
                if map
                    .insert(key.text.to_string(), node_json(value, depth + 1)?)
                    .is_some()
                {
                    return None;
                }
            }
            Json::Object(map)
        }
    })
}

impl Fuse for AttachedPolicy {
    fn fuse(self, plan: Self) -> Self {
        match (self, plan) {
            (AttachedPolicy::Inline(s), AttachedPolicy::Inline(p)) => {
                AttachedPolicy::Inline(s.fuse(p))
            }
            (AttachedPolicy::Managed(s), AttachedPolicy::Managed(p)) => {
                AttachedPolicy::Managed(s.fuse(p))
            }
            (_, p) => p,
        }
    }
}

#[cfg(test)]
mod tests;
