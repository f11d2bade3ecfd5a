//! Every policy document of the input, parsed once.

use std::sync::Arc;

use crate::iam::{Policy, PolicyIssue, PolicyKind, Statement};
use crate::model::{PolicyContent, PolicyDoc};
use crate::source::{Loc, StringOrigin};
use crate::syntax::{Node, NodeKind, Why};

use super::{Building, Entity, Graph, Resolved};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DocId(pub usize);

/// The role a document plays.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DocOwner {
    Identity,
    Trust,
    Boundary,
    BucketPolicy,
    KeyPolicy,
    Scp,
    /// A resource control policy: a deny list with `Principal: "*"`, read like a resource policy.
    Rcp,
    /// A document defined but not (visibly) attached: a data source, a bare policy file.
    Unattached,
}

impl DocOwner {
    pub fn policy_kind(self) -> PolicyKind {
        match self {
            DocOwner::Identity | DocOwner::Unattached => PolicyKind::Identity,
            DocOwner::Trust => PolicyKind::Trust,
            DocOwner::Boundary => PolicyKind::Boundary,
            DocOwner::BucketPolicy => PolicyKind::Bucket,
            DocOwner::KeyPolicy => PolicyKind::Key,
            DocOwner::Scp => PolicyKind::Scp,
            DocOwner::Rcp => PolicyKind::Bucket,
        }
    }
}

#[derive(Debug)]
pub enum DocState {
    /// The IAM reading of the document (references lowered to atoms) and what is wrong with it.
    Parsed {
        policy: Box<Policy>,
        issues: Vec<PolicyIssue>,
    },
    /// Not valid JSON: what is wrong and where.
    Invalid {
        message: String,
        loc: Loc,
    },
    Unknown(Why),
}

pub struct DocEntry<'m> {
    pub doc: &'m PolicyDoc,
    pub owner: DocOwner,
    /// The resource holding the document.
    pub address: String,
    pub state: DocState,
}

/// A document whose references are resolved, before its IAM reading: the rest reads nothing but
/// the document, so it is done in batches on the thread pool while the graph is built.
pub(super) enum Reading<'m> {
    Lowered(Node),
    Json {
        text: &'m str,
        origin: &'m Arc<StringOrigin>,
    },
    Read(DocState),
}

/// Documents registered one after the other, from the document numbered `first` on.
pub(super) struct Batch<'m> {
    first: usize,
    documents: Vec<(Reading<'m>, DocOwner)>,
}

/// What reads a batch of documents: a job on the thread pool, which keeps what it read.
pub(super) type Reader<'m, 's> = &'s dyn Fn(Batch<'m>);

/// How many registered documents go to a reader at a time.
const BATCH: usize = 256;

/// Documents registered and not yet handed to a reader.
pub(super) struct PendingReads<'m, 's> {
    batch: Batch<'m>,
    reader: Reader<'m, 's>,
}

impl<'m, 's> PendingReads<'m, 's> {
    pub(super) fn new(reader: Reader<'m, 's>) -> PendingReads<'m, 's> {
        PendingReads {
            batch: Batch::starting_at(0),
            reader,
        }
    }

    /// Registers the document numbered `id` (the next one) and hands the batch over when full.
    fn push(&mut self, id: usize, reading: Reading<'m>, owner: DocOwner) {
        if self.batch.documents.is_empty() {
            self.batch.first = id;
        }
        self.batch.documents.push((reading, owner));
        if self.batch.documents.len() >= BATCH {
            self.hand_over();
        }
    }

    /// Hands the batch, full or not, to a reader.
    pub(super) fn hand_over(&mut self) {
        if !self.batch.documents.is_empty() {
            (self.reader)(std::mem::replace(&mut self.batch, Batch::starting_at(0)));
        }
    }
}

impl<'m> Batch<'m> {
    fn starting_at(first: usize) -> Batch<'m> {
        Batch {
            first,
            documents: Vec::with_capacity(BATCH),
        }
    }

    /// The states of the documents, and the number of the first.
    pub(super) fn read(self) -> (usize, Vec<DocState>) {
        let states = self
            .documents
            .into_iter()
            .map(|(reading, owner)| reading.finish(owner))
            .collect();
        (self.first, states)
    }
}

impl Reading<'_> {
    fn finish(self, owner: DocOwner) -> DocState {
        let read = |node: Node| {
            let (policy, issues) = Policy::from_node(&node, owner.policy_kind());
            DocState::Parsed {
                policy: Box::new(policy),
                issues,
            }
        };
        match self {
            Reading::Lowered(node) => read(node),
            Reading::Json { text, origin } => {
                match crate::syntax::json::parse_embedded(text, origin.clone()) {
                    Ok(node) => read(node),
                    Err(e) => DocState::Invalid {
                        message: e.message,
                        loc: e.loc,
                    },
                }
            }
            Reading::Read(state) => state,
        }
    }
}

impl<'m> Building<'m, '_> {
    /// Registers a document (once per document, however many roles share it). Its state is
    /// filled in by [`Graph::store_readings`].
    pub fn add_doc(&mut self, doc: &'m PolicyDoc, owner: DocOwner, address: &str) -> DocId {
        let key = (std::ptr::from_ref(doc) as usize, owner);
        if let Some(&id) = self.doc_index.get(&key) {
            return id;
        }
        // References are resolved here, in registration order: the resolver numbers the unknown
        // values it meets in that order.
        let reading = self.prepare_doc(doc, 0);
        let id = DocId(self.docs.len());
        self.reads.push(id.0, reading, owner);
        self.docs.push(DocEntry {
            doc,
            owner,
            address: address.to_string(),
            state: DocState::Unknown(Why::new("")),
        });
        self.doc_index.insert(key, id);
        id
    }
}

impl<'m> Graph<'m> {
    /// Stores the readers' states of the documents; the statements are indexed in document
    /// order, as if each document had been read when registered.
    pub(super) fn store_readings(&mut self, mut read: Vec<(usize, Vec<DocState>)>) {
        read.sort_unstable_by_key(|(first, _)| *first);
        for (first, states) in read {
            for (i, state) in (first..).zip(states) {
                if let DocState::Parsed { policy, .. } = &state {
                    for (j, st) in policy.statements.iter().enumerate() {
                        self.statement_index
                            .entry(st.loc.clone())
                            .or_insert((DocId(i), j));
                    }
                }
                if let Some(entry) = self.docs.get_mut(i) {
                    entry.state = state;
                }
            }
        }
    }

    fn prepare_doc(&self, doc: &'m PolicyDoc, depth: usize) -> Reading<'m> {
        match &doc.content {
            PolicyContent::Parsed(node) => Reading::Lowered(self.lower(node)),
            PolicyContent::Json { text, origin } => Reading::Json { text, origin },
            PolicyContent::Invalid { message, loc } => Reading::Read(DocState::Invalid {
                message: message.clone(),
                loc: loc.clone(),
            }),
            PolicyContent::Unknown(why) => Reading::Read(DocState::Unknown(why.clone())),
            PolicyContent::Ref(r) => match self.resolver.entity(&r.target) {
                Some(Entity::Document(i)) if depth < 8 => {
                    self.prepare_doc(&self.model.documents[i].document, depth + 1)
                }
                _ => Reading::Read(DocState::Unknown(Why::new(format!(
                    "the policy document `{r}` is not in the input"
                )))),
            },
        }
    }

    /// Replaces templates by strings in which references are resolved or atoms.
    fn lower(&self, node: &Node) -> Node {
        let kind = match &node.kind {
            NodeKind::Template(parts) => match self.resolver.resolve_parts(parts) {
                Resolved::Known(s) => NodeKind::Str(s.into()),
                Resolved::Unknown(why) => NodeKind::Unknown(why),
                Resolved::Absent => NodeKind::Str("".into()),
            },
            NodeKind::List(items) => NodeKind::List(items.iter().map(|n| self.lower(n)).collect()),
            NodeKind::Map(entries) => NodeKind::Map(
                entries
                    .iter()
                    .map(|(k, v)| (k.clone(), self.lower(v)))
                    .collect(),
            ),
            other => other.clone(),
        };
        Node {
            kind,
            loc: node.loc.clone(),
        }
    }

    pub fn doc(&self, id: DocId) -> &DocEntry<'m> {
        &self.docs[id.0]
    }

    /// The parsed policy of a document, if it parsed.
    pub fn policy(&self, id: DocId) -> Option<&Policy> {
        match &self.docs[id.0].state {
            DocState::Parsed { policy, .. } => Some(policy),
            _ => None,
        }
    }

    /// The statement written at `loc` (the evidence of a decision).
    pub fn statement_at(&self, loc: &Loc) -> Option<&Statement> {
        let (doc, i) = self.statement_index.get(loc)?;
        self.policy(*doc)?.statements.get(*i)
    }

    /// The document holding the statement written at `loc`.
    pub fn doc_of_statement(&self, loc: &Loc) -> Option<DocId> {
        self.statement_index.get(loc).map(|(d, _)| *d)
    }
}

/// Documents that no bucket, role or key holds: data sources, organization policies and bare
/// policy files still get their hygiene checked. A data source that an attached document reads
/// (`policy = data.x.json`) is checked there only, so its findings are not reported twice under
/// two addresses.
pub(super) fn collect_unowned(g: &mut Building<'_, '_>) {
    let model = g.model;
    let attached: std::collections::HashSet<usize> = g
        .docs
        .iter()
        .filter_map(|d| match &d.doc.content {
            PolicyContent::Ref(r) => match g.resolver.entity(&r.target) {
                Some(Entity::Document(i)) => Some(i),
                _ => None,
            },
            _ => None,
        })
        .collect();
    for (i, d) in model.documents.iter().enumerate() {
        if attached.contains(&i) {
            continue;
        }
        g.add_doc(&d.document, DocOwner::Unattached, &d.origin.address);
    }
    for p in &model.org_policies {
        let owner = if super::org::is_rcp(p) {
            DocOwner::Rcp
        } else {
            DocOwner::Scp
        };
        g.add_doc(&p.document, owner, &p.origin.address);
    }
    for s in &model.standalone_policies {
        let owner = match s.kind {
            crate::model::DocKind::Identity => DocOwner::Identity,
            crate::model::DocKind::Trust => DocOwner::Trust,
            crate::model::DocKind::Bucket => DocOwner::BucketPolicy,
            crate::model::DocKind::Key => DocOwner::KeyPolicy,
        };
        g.add_doc(&s.document, owner, &s.origin.address);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{DocKind, Format, Model, Origin, StandalonePolicy};
    use crate::source::FileId;

    /// More documents than fit in several batches: each gets its own reading back, in its
    /// place, whichever reader read it.
    #[test]
    fn documents_read_in_batches_keep_their_places() {
        let n = BATCH * 3 + 7;
        let model = Model {
            standalone_policies: (0..n)
                .map(|i| StandalonePolicy {
                    origin: Origin {
                        address: format!("policy{i}.json"),
                        file: FileId(0),
                        header: Loc::None,
                        format: Format::Terraform,
                    },
                    document: PolicyDoc {
                        loc: Loc::None,
                        content: PolicyContent::Invalid {
                            message: format!("document {i}"),
                            loc: Loc::None,
                        },
                    },
                    kind: DocKind::Identity,
                })
                .collect(),
            ..Model::default()
        };
        let graph = Graph::build(&model);
        assert_eq!(graph.docs.len(), n);
        for (i, doc) in graph.docs.iter().enumerate() {
            assert_eq!(doc.address, format!("policy{i}.json"));
            match &doc.state {
                DocState::Invalid { message, .. } => assert_eq!(message, &format!("document {i}")),
                other => panic!("document {i} was not read: {other:?}"),
            }
        }
    }
}
