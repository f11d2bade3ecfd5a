//! A summary of the replication topology that outlives the graph: which buckets replicate where,
//! as which role, with which replica keys, in which accounts. Reports draw it; the graph itself
//! borrows the model and is dropped at the end of the run.

use std::collections::hash_map::Entry;
use std::collections::{HashMap, HashSet};

use crate::graph::{Graph, KeyLink, Link, Resolved};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum NodeKind {
    Bucket,
    Role,
    Key,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Node {
    pub kind: NodeKind,
    /// What a reader recognizes: the bucket name, role name, key ARN or alias.
    pub label: String,
    /// The resource address when the resource is in the input (findings name it).
    pub address: Option<String>,
    pub account: Option<String>,
    /// Other resources that configure it (`aws_s3_bucket_versioning`, a bucket or key policy
    /// resource): findings about them fail its links too.
    pub parts: Vec<String>,
}

impl Node {
    /// Whether a finding about `address` is about this node.
    pub fn is(&self, address: &str) -> bool {
        self.address.as_deref() == Some(address) || self.parts.iter().any(|p| p == address)
    }
}

/// The resources configuring a bucket besides the bucket itself.
fn bucket_parts(g: &Graph<'_>, b: &crate::graph::BucketView<'_>) -> Vec<String> {
    let mut parts: Vec<String> = b
        .settings_resources
        .iter()
        .map(|&i| g.model.bucket_settings[i].origin.address.clone())
        .collect();
    if let Some(o) = b.policy_origin {
        parts.push(o.address.clone());
    }
    parts
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum EdgeKind {
    /// Source bucket → destination bucket.
    Replicates,
    /// Role → source bucket it replicates from.
    RoleOf,
    /// Destination bucket → the key replicas are encrypted with.
    ReplicaKey,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Edge {
    pub from: usize,
    pub to: usize,
    pub kind: EdgeKind,
    /// The replication rule (`rule-1`, `#0`) for replication edges.
    pub label: String,
    /// The replication configuration this edge belongs to: findings on it fail the edge.
    pub replication: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Topology {
    pub nodes: Vec<Node>,
    pub edges: Vec<Edge>,
}

fn account(r: &Resolved) -> Option<String> {
    r.concrete().map(str::to_string)
}

/// Node identity: a resource in the input by its address, anything else by its label.
#[derive(PartialEq, Eq, Hash)]
enum NodeKey {
    Address(NodeKind, String),
    Label(NodeKind, String),
}

impl NodeKey {
    fn of(node: &Node) -> NodeKey {
        match &node.address {
            Some(a) => NodeKey::Address(node.kind, a.clone()),
            None => NodeKey::Label(node.kind, node.label.clone()),
        }
    }
}

/// Builds a [`Topology`] with lookups, so that thousands of replication rules take linear time.
#[derive(Default)]
struct Builder {
    topology: Topology,
    nodes: HashMap<NodeKey, usize>,
    edges: HashSet<Edge>,
}

impl Builder {
    fn node(&mut self, node: Node) -> usize {
        let nodes = &mut self.topology.nodes;
        match self.nodes.entry(NodeKey::of(&node)) {
            Entry::Occupied(known) => {
                let i = *known.get();
                if let Some(existing) = nodes.get_mut(i)
                    && existing.account.is_none()
                {
                    existing.account = node.account;
                }
                i
            }
            Entry::Vacant(slot) => {
                nodes.push(node);
                *slot.insert(nodes.len() - 1)
            }
        }
    }

    fn edge(&mut self, edge: Edge) {
        if self.edges.insert(edge.clone()) {
            self.topology.edges.push(edge);
        }
    }
}

impl Topology {
    pub fn from_graph(g: &Graph<'_>) -> Topology {
        let mut t = Builder::default();
        for r in g.each_rule() {
            let replication = r.address().to_string();
            let src = match r.source() {
                Some(b) => Node {
                    kind: NodeKind::Bucket,
                    label: g.bucket_text(b),
                    address: Some(b.address().to_string()),
                    account: account(&r.source_account()),
                    parts: bucket_parts(g, b),
                },
                None => Node {
                    kind: NodeKind::Bucket,
                    label: g.display(
                        &g.resolver
                            .resolve(&r.config.source)
                            .known()
                            .map_or_else(|| "source bucket".to_string(), str::to_string),
                    ),
                    address: None,
                    account: account(&r.source_account()),
                    parts: Vec::new(),
                },
            };
            let src = t.node(src);
            let dst = t.node(Node {
                kind: NodeKind::Bucket,
                label: r.destination_text(),
                address: r.destination().map(|b| b.address().to_string()),
                account: account(&r.destination_account()),
                parts: r
                    .destination()
                    .map(|b| bucket_parts(g, b))
                    .unwrap_or_default(),
            });
            t.edge(Edge {
                from: src,
                to: dst,
                kind: EdgeKind::Replicates,
                label: r.key(),
                replication: replication.clone(),
            });
            let role = match &r.view.role {
                Link::Found(i) => Some(Node {
                    kind: NodeKind::Role,
                    label: g.roles[*i].name.known().map_or_else(
                        || g.model.roles[*i].origin.address.clone(),
                        |n| g.display(n),
                    ),
                    address: Some(g.model.roles[*i].origin.address.clone()),
                    account: account(&g.roles[*i].account),
                    parts: Vec::new(),
                }),
                Link::External(text) => Some(Node {
                    kind: NodeKind::Role,
                    label: g.display(text),
                    address: None,
                    account: crate::model::arn::account_of(text).map(str::to_string),
                    parts: Vec::new(),
                }),
                _ => None,
            };
            if let Some(role) = role {
                let role = t.node(role);
                t.edge(Edge {
                    from: role,
                    to: src,
                    kind: EdgeKind::RoleOf,
                    label: String::new(),
                    replication: replication.clone(),
                });
            }
            let key = match &r.rule_view.replica_key {
                KeyLink::Found(k) => Some(Node {
                    kind: NodeKind::Key,
                    label: g.keys[*k]
                        .arn
                        .known()
                        .map_or_else(|| g.model.keys[*k].origin.address.clone(), |a| g.display(a)),
                    address: Some(g.model.keys[*k].origin.address.clone()),
                    account: account(&g.keys[*k].account),
                    parts: g.keys[*k]
                        .policy_origin
                        .iter()
                        .map(|o| o.address.clone())
                        .collect(),
                }),
                KeyLink::External(text) | KeyLink::AwsManaged(text) => Some(Node {
                    kind: NodeKind::Key,
                    label: g.display(text),
                    address: None,
                    account: crate::model::arn::account_of(text).map(str::to_string),
                    parts: Vec::new(),
                }),
                KeyLink::Unknown(_) | KeyLink::Absent => None,
            };
            if let Some(key) = key {
                let key = t.node(key);
                t.edge(Edge {
                    from: dst,
                    to: key,
                    kind: EdgeKind::ReplicaKey,
                    label: String::new(),
                    replication,
                });
            }
        }
        t.topology
    }
}
