//! A summary of the replication topology that outlives the graph: which buckets replicate where,
//! as which role, with which replica keys, in which accounts. Reports draw it; the graph itself
//! borrows the model and is dropped at the end of the run.

use std::hash::BuildHasher;

use hashbrown::HashTable;

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
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
enum NodeKey<'a> {
    Address(NodeKind, &'a str),
    Label(NodeKind, &'a str),
}

impl<'a> NodeKey<'a> {
    fn of(node: &'a Node) -> NodeKey<'a> {
        match &node.address {
            Some(a) => NodeKey::Address(node.kind, a),
            None => NodeKey::Label(node.kind, &node.label),
        }
    }
}

/// What makes two edges the same edge.
type EdgeKey<'a> = (usize, usize, EdgeKind, &'a str, &'a str);

fn edge_key(e: &Edge) -> EdgeKey<'_> {
    (e.from, e.to, e.kind, &e.label, &e.replication)
}

/// Builds a [`Topology`] with lookups, so that thousands of replication rules take linear time.
/// The lookups hold indices into the topology, found by the hash of the key they point at, not
/// copies of the nodes' and edges' strings.
struct Builder {
    topology: Topology,
    hasher: foldhash::fast::RandomState,
    nodes: HashTable<usize>,
    edges: HashTable<usize>,
}

impl Builder {
    fn with_capacity(rules: usize) -> Builder {
        Builder {
            topology: Topology {
                nodes: Vec::with_capacity(rules * 2),
                edges: Vec::with_capacity(rules * 3),
            },
            hasher: foldhash::fast::RandomState::default(),
            nodes: HashTable::with_capacity(rules * 2),
            edges: HashTable::with_capacity(rules * 3),
        }
    }

    /// The index of the node with `key`, made by `make` when new. A known node without an
    /// account takes `account`.
    fn node(
        &mut self,
        key: NodeKey<'_>,
        account: Option<String>,
        make: impl FnOnce(Option<String>) -> Node,
    ) -> usize {
        let hasher = &self.hasher;
        let nodes = &mut self.topology.nodes;
        let hash = hasher.hash_one(key);
        if let Some(&i) = self.nodes.find(hash, |&i| {
            nodes.get(i).is_some_and(|n| NodeKey::of(n) == key)
        }) {
            if let Some(existing) = nodes.get_mut(i)
                && existing.account.is_none()
            {
                existing.account = account;
            }
            return i;
        }
        let i = nodes.len();
        nodes.push(make(account));
        self.nodes.insert_unique(hash, i, |&j| {
            nodes.get(j).map_or(0, |n| hasher.hash_one(NodeKey::of(n)))
        });
        i
    }

    /// A node for something outside the input, known by its label.
    fn labelled(&mut self, kind: NodeKind, label: String, account: Option<String>) -> usize {
        let key_label = label.clone();
        self.node(NodeKey::Label(kind, &key_label), account, |account| Node {
            kind,
            label,
            address: None,
            account,
            parts: Vec::new(),
        })
    }

    fn edge(&mut self, edge: Edge) {
        let hasher = &self.hasher;
        let edges = &mut self.topology.edges;
        let hash = hasher.hash_one(edge_key(&edge));
        let known = self
            .edges
            .find(hash, |&i| {
                edges.get(i).is_some_and(|e| edge_key(e) == edge_key(&edge))
            })
            .is_some();
        if known {
            return;
        }
        let i = edges.len();
        edges.push(edge);
        self.edges.insert_unique(hash, i, |&j| {
            edges.get(j).map_or(0, |e| hasher.hash_one(edge_key(e)))
        });
    }
}

impl Topology {
    pub fn from_graph(g: &Graph<'_>) -> Topology {
        let rules = g.replications.iter().map(|v| v.rules.len()).sum();
        let mut t = Builder::with_capacity(rules);
        for r in g.each_rule() {
            let replication = r.address();
            let src_account = account(&r.source_account());
            let src = match r.source() {
                Some(b) => t.node(
                    NodeKey::Address(NodeKind::Bucket, b.address()),
                    src_account,
                    |account| Node {
                        kind: NodeKind::Bucket,
                        label: g.bucket_text(b),
                        address: Some(b.address().to_string()),
                        account,
                        parts: bucket_parts(g, b),
                    },
                ),
                None => {
                    let label = g.display(
                        g.resolver
                            .resolve(&r.config.source)
                            .known()
                            .unwrap_or("source bucket"),
                    );
                    t.labelled(NodeKind::Bucket, label, src_account)
                }
            };
            let dst_account = account(&r.destination_account());
            let dst = match r.destination() {
                Some(b) => t.node(
                    NodeKey::Address(NodeKind::Bucket, b.address()),
                    dst_account,
                    |account| Node {
                        kind: NodeKind::Bucket,
                        label: r.destination_text(),
                        address: Some(b.address().to_string()),
                        account,
                        parts: bucket_parts(g, b),
                    },
                ),
                None => t.labelled(NodeKind::Bucket, r.destination_text(), dst_account),
            };
            t.edge(Edge {
                from: src,
                to: dst,
                kind: EdgeKind::Replicates,
                label: r.key(),
                replication: replication.to_string(),
            });
            let role = match &r.view.role {
                Link::Found(i) => {
                    let address = g.model.roles[*i].origin.address.as_str();
                    Some(t.node(
                        NodeKey::Address(NodeKind::Role, address),
                        account(&g.roles[*i].account),
                        |account| {
                            Node {
                                kind: NodeKind::Role,
                                label: g.roles[*i]
                                    .name
                                    .known()
                                    .map_or_else(|| address.to_string(), |n| g.display(n)),
                                address: Some(address.to_string()),
                                account,
                                parts: Vec::new(),
                            }
                        },
                    ))
                }
                Link::External(text) => Some(t.labelled(
                    NodeKind::Role,
                    g.display(text),
                    crate::model::arn::account_of(text).map(str::to_string),
                )),
                _ => None,
            };
            if let Some(role) = role {
                t.edge(Edge {
                    from: role,
                    to: src,
                    kind: EdgeKind::RoleOf,
                    label: String::new(),
                    replication: replication.to_string(),
                });
            }
            let key = match &r.rule_view.replica_key {
                KeyLink::Found(k) => {
                    let address = g.model.keys[*k].origin.address.as_str();
                    Some(t.node(
                        NodeKey::Address(NodeKind::Key, address),
                        account(&g.keys[*k].account),
                        |account| {
                            Node {
                                kind: NodeKind::Key,
                                label: g.keys[*k]
                                    .arn
                                    .known()
                                    .map_or_else(|| address.to_string(), |a| g.display(a)),
                                address: Some(address.to_string()),
                                account,
                                parts: g.keys[*k]
                                    .policy_origin
                                    .iter()
                                    .map(|o| o.address.clone())
                                    .collect(),
                            }
                        },
                    ))
                }
                KeyLink::External(text) | KeyLink::AwsManaged(text) => Some(t.labelled(
                    NodeKind::Key,
                    g.display(text),
                    crate::model::arn::account_of(text).map(str::to_string),
                )),
                KeyLink::Unknown(_) | KeyLink::Absent => None,
            };
            if let Some(key) = key {
                t.edge(Edge {
                    from: dst,
                    to: key,
                    kind: EdgeKind::ReplicaKey,
                    label: String::new(),
                    replication: replication.to_string(),
                });
            }
        }
        t.topology
    }
}
