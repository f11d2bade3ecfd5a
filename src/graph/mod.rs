//! The resource graph: links each replication rule to its source bucket, role, destination
//! bucket, keys, bucket and key policies, boundaries and accounts.
//!
//! Built once from the model. Joins follow §8.2 of the rule catalogue: settings resources join
//! their bucket by name or reference, attachments join their role by name, a destination joins
//! its bucket by the name in its ARN. What cannot be joined stays visible as `External` (named
//! but outside the input) or `Unknown` (known only after apply), so rules can say "cannot verify".

mod docs;
mod org;
mod resolve;
mod views;
mod walk;

use foldhash::{HashMap, HashMapExt};

use petgraph::stable_graph::{NodeIndex, StableDiGraph};
use rayon::prelude::*;

use crate::model::{Model, arn};
use crate::syntax::Why;

pub use crate::iam::atom as atoms;
pub use docs::{DocEntry, DocId, DocOwner, DocState};
pub use resolve::{Entity, Resolved, Resolver};
pub use views::{BucketView, KeyLink, KeyView, ReplicationView, RoleView, RuleView, Setting};
pub use walk::RuleRef;

/// A link from one resource to another.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Link<T> {
    Found(T),
    /// Named (by the resolved text) but not declared in the input.
    External(String),
    Unknown(Why),
    Absent,
}

impl<T: Copy> Link<T> {
    pub fn found(&self) -> Option<T> {
        match self {
            Link::Found(t) => Some(*t),
            _ => None,
        }
    }
}

/// Three-valued answers (same account? versioned?).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tri {
    Yes,
    No,
    Unknown,
}

/// Edges of the topology graph.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Edge {
    /// Replication configuration → its source bucket.
    Source,
    /// Replication configuration → a destination bucket (rule index).
    Destination(usize),
    /// Replication configuration → its role.
    Role,
    /// Replication configuration → a replica key (rule index).
    ReplicaKey(usize),
    /// Bucket → the key of its default encryption.
    EncryptionKey,
}

pub struct Graph<'m> {
    pub model: &'m Model,
    pub resolver: Resolver<'m>,
    pub buckets: Vec<BucketView<'m>>,
    pub roles: Vec<RoleView>,
    pub keys: Vec<KeyView>,
    pub replications: Vec<ReplicationView>,
    pub docs: Vec<DocEntry<'m>>,
    /// The topology: one node per entity in use, edges from replication configurations.
    pub topology: StableDiGraph<Entity, Edge>,
    nodes: HashMap<Entity, NodeIndex>,
    bucket_by_name: HashMap<String, usize>,
    role_by_arn: HashMap<String, usize>,
    key_by_name: HashMap<String, usize>,
    /// Managed policies by ARN (or the atom standing for an ARN known only after apply).
    policy_by_arn: HashMap<String, usize>,
    doc_index: HashMap<(usize, DocOwner), DocId>,
    statement_index: HashMap<crate::source::Loc, (DocId, usize)>,
    /// AWS's default key policy per key account, for keys without an explicit policy.
    default_key_policies: HashMap<String, crate::iam::Policy>,
    /// SCP levels per target (account id or root id): the documents attached there.
    scp_targets: Vec<(String, Vec<DocId>)>,
    /// RCPs per target (account id, OU id or root id).
    rcp_targets: Vec<(String, Vec<DocId>)>,
    full_access: crate::iam::Policy,
}

/// The graph while it is built: the documents it registers are handed to readers on the
/// thread pool (kept apart from [`Graph`], which outlives the readers).
pub(super) struct Building<'m, 's> {
    graph: Graph<'m>,
    reads: docs::PendingReads<'m, 's>,
}

impl<'m> std::ops::Deref for Building<'m, '_> {
    type Target = Graph<'m>;
    fn deref(&self) -> &Graph<'m> {
        &self.graph
    }
}

impl<'m> std::ops::DerefMut for Building<'m, '_> {
    fn deref_mut(&mut self) -> &mut Graph<'m> {
        &mut self.graph
    }
}

impl<'m> Graph<'m> {
    pub fn build(model: &'m Model) -> Graph<'m> {
        // The documents are read on the thread pool while this thread goes on building: each
        // batch of registered documents is handed over as it fills up.
        let read = std::sync::Mutex::new(Vec::new());
        let mut g = rayon::in_place_scope(|scope| {
            let reader = |batch: docs::Batch<'m>| {
                let read = &read;
                scope.spawn(move |_| {
                    let states = batch.read();
                    if let Ok(mut read) = read.lock() {
                        read.push(states);
                    }
                });
            };
            let mut g = Building {
                graph: Graph::new(model),
                reads: docs::PendingReads::new(&reader),
            };
            g.index_entities();
            views::build_buckets(&mut g);
            views::build_keys(&mut g);
            views::build_roles(&mut g);
            views::build_replications(&mut g);
            docs::collect_unowned(&mut g);
            org::collect_scps(&mut g);
            org::collect_rcps(&mut g);
            g.reads.hand_over();
            g.graph
        });
        // A reader that panicked has taken the run down with it by now.
        let read = read.into_inner().unwrap_or_else(|e| e.into_inner());
        g.store_readings(read);
        g
    }

    /// Frees the graph on all cores: its documents (policies, their statements) are most of it.
    pub fn free(mut self) {
        let docs = std::mem::take(&mut self.docs);
        rayon::join(
            || docs.into_par_iter().with_min_len(256).for_each(drop),
            move || drop(self),
        );
    }

    fn new(model: &'m Model) -> Graph<'m> {
        let resolver = Resolver::new(model);
        // Documents: about one per role, bucket policy and key policy, plus attachments.
        let docs = model.roles.len() * 2
            + model.buckets.len()
            + model.keys.len()
            + model.managed_policies.len()
            + model.role_policy_attachments.len()
            + model.documents.len();
        let rules: usize = model.replications.iter().map(|r| r.rules.len()).sum();
        Graph {
            model,
            resolver,
            buckets: Vec::with_capacity(model.buckets.len()),
            roles: Vec::with_capacity(model.roles.len()),
            keys: Vec::with_capacity(model.keys.len()),
            replications: Vec::with_capacity(model.replications.len()),
            docs: Vec::with_capacity(docs),
            topology: StableDiGraph::with_capacity(
                model.replications.len() + model.buckets.len() + model.roles.len(),
                model.replications.len() * 2 + rules * 2,
            ),
            nodes: HashMap::with_capacity(
                model.replications.len() + model.buckets.len() + model.roles.len(),
            ),
            bucket_by_name: HashMap::with_capacity(model.buckets.len()),
            role_by_arn: HashMap::with_capacity(model.roles.len() * 2),
            key_by_name: HashMap::with_capacity(model.keys.len() * 3),
            policy_by_arn: HashMap::with_capacity(model.managed_policies.len()),
            doc_index: HashMap::with_capacity(docs),
            statement_index: HashMap::with_capacity(docs * 2),
            default_key_policies: HashMap::new(),
            scp_targets: Vec::new(),
            rcp_targets: Vec::new(),
            full_access: org::full_aws_access_policy(),
        }
    }

    fn index_entities(&mut self) {
        let model = self.model;
        for (i, p) in model.managed_policies.iter().enumerate() {
            let reference = crate::syntax::Reference::new(p.origin.address.as_str(), "arn");
            if let Resolved::Known(arn) = self.resolver.resolve_ref(&reference) {
                self.policy_by_arn.entry(arn).or_insert(i);
            }
        }
        for i in 0..model.buckets.len() {
            if let Resolved::Known(name) = self.resolver.bucket_name(i) {
                self.bucket_by_name.entry(name).or_insert(i);
            }
        }
        for i in 0..model.roles.len() {
            if let Resolved::Known(a) = self.resolver.role_arn(i) {
                self.role_by_arn.entry(a).or_insert(i);
            }
            if let Resolved::Known(n) = self.resolver.role_name(i) {
                self.role_by_arn.entry(format!("name:{n}")).or_insert(i);
            }
        }
        for (i, k) in model.keys.iter().enumerate() {
            if let Resolved::Known(a) = self.resolver.key_arn(i) {
                self.key_by_name.entry(a).or_insert(i);
            }
            if let Resolved::Known(id) = self.resolver.resolve(&k.key_id) {
                self.key_by_name.entry(id).or_insert(i);
            }
            if let Resolved::Known(id) = self.resolver.resolve_ref(&crate::syntax::Reference::new(
                k.origin.address.as_str(),
                "key_id",
            )) {
                self.key_by_name.entry(id).or_insert(i);
            }
        }
        for a in &model.aliases {
            let (Resolved::Known(name), Resolved::Known(target)) = (
                self.resolver.resolve(&a.name),
                self.resolver.resolve(&a.target),
            ) else {
                continue;
            };
            if let Some(&k) = self.key_by_name.get(&target) {
                self.key_by_name.entry(name.clone()).or_insert(k);
                if let (Some(acct), Some(region)) = (
                    self.resolver.resolve(&a.account).concrete(),
                    self.resolver.resolve(&a.region).concrete(),
                ) {
                    let arn = format!("arn:{}:kms:{region}:{acct}:{name}", self.resolver.partition);
                    self.key_by_name.entry(arn).or_insert(k);
                }
            }
        }
    }

    /// The bucket a name or reference names.
    pub fn bucket_by_value(&self, value: &crate::model::Value<String>) -> Link<usize> {
        if let crate::model::Value::Ref(r, _) = value
            && let Some(Entity::Bucket(i)) = self.resolver.entity(&r.target)
        {
            return Link::Found(i);
        }
        match self.resolver.resolve(value) {
            Resolved::Known(name) => self.bucket_by_name_or_arn(&name),
            Resolved::Unknown(why) => Link::Unknown(why),
            Resolved::Absent => Link::Absent,
        }
    }

    /// The bucket with this name, or with this bucket ARN.
    pub fn bucket_by_name_or_arn(&self, text: &str) -> Link<usize> {
        let name = arn::bucket_name_of(text).unwrap_or(text);
        if atoms::contains_unknown(name) {
            return Link::Unknown(Why::new("the bucket name is known only after apply"));
        }
        match self.bucket_by_name.get(name) {
            Some(&i) => Link::Found(i),
            None => Link::External(text.to_string()),
        }
    }

    /// The role a role ARN, role name or reference names.
    pub fn role_by_value(&self, value: &crate::model::Value<String>) -> Link<usize> {
        if let crate::model::Value::Ref(r, _) = value
            && let Some(Entity::Role(i)) = self.resolver.entity(&r.target)
        {
            return Link::Found(i);
        }
        match self.resolver.resolve(value) {
            Resolved::Known(text) => {
                if let Some(&i) = self.role_by_arn.get(&text) {
                    return Link::Found(i);
                }
                if let Some(&i) = self.role_by_arn.get(&format!("name:{text}")) {
                    return Link::Found(i);
                }
                if atoms::contains_unknown(&text) {
                    return Link::Unknown(Why::new("the role is known only after apply"));
                }
                Link::External(text)
            }
            Resolved::Unknown(why) => Link::Unknown(why),
            Resolved::Absent => Link::Absent,
        }
    }

    /// The key an ARN, key id, alias name or alias ARN names.
    pub fn key_by_text(&self, text: &str) -> KeyLink {
        let lower = text.to_ascii_lowercase();
        if lower == "alias/aws/s3" || lower.ends_with(":alias/aws/s3") {
            return KeyLink::AwsManaged(text.to_string());
        }
        if let Some(&k) = self.key_by_name.get(text) {
            return KeyLink::Found(k);
        }
        if atoms::contains_unknown(text) {
            return KeyLink::Unknown(Why::new("the key is known only after apply"));
        }
        KeyLink::External(text.to_string())
    }

    pub fn key_by_value(&self, value: &crate::model::Value<String>) -> KeyLink {
        if let crate::model::Value::Ref(r, _) = value {
            match self.resolver.entity(&r.target) {
                Some(Entity::Key(i)) => return KeyLink::Found(i),
                Some(Entity::Alias(_)) => {
                    if let Resolved::Known(t) = self.resolver.resolve(value) {
                        return self.key_by_text(&t);
                    }
                }
                _ => {}
            }
        }
        match self.resolver.resolve(value) {
            Resolved::Known(text) => self.key_by_text(&text),
            Resolved::Unknown(why) => KeyLink::Unknown(why),
            Resolved::Absent => KeyLink::Absent,
        }
    }

    pub(crate) fn node(&mut self, e: Entity) -> NodeIndex {
        if let Some(&n) = self.nodes.get(&e) {
            return n;
        }
        let n = self.topology.add_node(e);
        self.nodes.insert(e, n);
        n
    }

    /// Whether two resolved account values are the same account.
    pub fn same_account(a: &Resolved, b: &Resolved) -> Tri {
        match (a.concrete(), b.concrete()) {
            (Some(x), Some(y)) => {
                if x == y {
                    Tri::Yes
                } else {
                    Tri::No
                }
            }
            _ => match (a.known(), b.known()) {
                (Some(x), Some(y)) if x == y => Tri::Yes,
                _ => Tri::Unknown,
            },
        }
    }

    /// A value for messages, with computed parts shown as `${...}`.
    pub fn display(&self, text: &str) -> String {
        self.resolver.display(text)
    }
}
