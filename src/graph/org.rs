//! Organization policies (SCPs) and AWS's implicit documents (default key policy, FullAWSAccess).

use crate::iam::{Policy, PolicyKind};
use crate::model::Value;
use crate::source::Loc;
use crate::syntax::{Key, Node, NodeKind};

use super::{Building, DocId, Entity, Graph, Resolved};

fn s(text: &str) -> Node {
    Node::str(text, Loc::None)
}

fn map(entries: Vec<(&str, Node)>) -> Node {
    Node::new(
        NodeKind::Map(
            entries
                .into_iter()
                .map(|(k, v)| {
                    (
                        Key {
                            text: k.into(),
                            loc: Loc::None,
                        },
                        v,
                    )
                })
                .collect(),
        ),
        Loc::None,
    )
}

/// AWS's default key policy: "Enable IAM policies" for the key's account root.
pub(super) fn default_key_policy(account: &str) -> Policy {
    let statement = map(vec![
        ("Sid", s("Enable IAM User Permissions")),
        ("Effect", s("Allow")),
        (
            "Principal",
            map(vec![("AWS", s(&format!("arn:aws:iam::{account}:root")))]),
        ),
        ("Action", s("kms:*")),
        ("Resource", s("*")),
    ]);
    let doc = map(vec![
        ("Version", s("2012-10-17")),
        (
            "Statement",
            Node::new(NodeKind::List(vec![statement]), Loc::None),
        ),
    ]);
    Policy::from_node(&doc, PolicyKind::Key).0
}

/// AWS's `FullAWSAccess` SCP, attached by default at every level of an organization.
pub(super) fn full_aws_access_policy() -> Policy {
    let statement = map(vec![
        ("Effect", s("Allow")),
        ("Action", s("*")),
        ("Resource", s("*")),
    ]);
    let doc = map(vec![
        ("Version", s("2012-10-17")),
        (
            "Statement",
            Node::new(NodeKind::List(vec![statement]), Loc::None),
        ),
    ]);
    Policy::from_node(&doc, PolicyKind::Scp).0
}

impl<'m> Graph<'m> {
    /// The default key policy for a key of `account` (unknown accounts share one placeholder).
    pub fn default_key_policy(&self, account: Option<&str>) -> &Policy {
        let key = account.unwrap_or("");
        self.default_key_policies
            .get(key)
            .or_else(|| self.default_key_policies.get(""))
            .unwrap_or(&self.full_access)
    }

    /// SCP levels that govern principals of `account`: roots first, then the account itself.
    /// Levels whose known documents allow nothing are deny lists that AWS pairs with
    /// `FullAWSAccess`, which the input rarely shows, so that allow is added.
    pub fn scps_for(&self, account: Option<&str>) -> Vec<Vec<DocId>> {
        let mut levels: Vec<(bool, Vec<DocId>)> = Vec::new();
        for (target, docs) in &self.scp_targets {
            let applies = target.starts_with("r-") || account.is_some_and(|a| a == target);
            if applies {
                levels.push((target.starts_with("r-"), docs.clone()));
            }
        }
        levels.sort_by_key(|(root, _)| !*root);
        levels.into_iter().map(|(_, docs)| docs).collect()
    }

    /// Whether an SCP level holds an Allow statement (an allow list); otherwise FullAWSAccess is
    /// assumed at that level.
    pub fn scp_level_allows_nothing(&self, level: &[DocId]) -> bool {
        !level.iter().filter_map(|d| self.policy(*d)).any(|p| {
            p.statements
                .iter()
                .any(|st| st.effect == Some(crate::iam::Effect::Allow))
        })
    }

    pub fn full_aws_access(&self) -> &Policy {
        &self.full_access
    }
}

pub(super) fn collect_scps(g: &mut Building<'_, '_>) {
    let model = g.model;
    let mut accounts: Vec<String> = g
        .keys
        .iter()
        .filter(|k| k.policy.is_none())
        .map(|k| k.account.known().unwrap_or("").to_string())
        .collect();
    accounts.push(String::new());
    accounts.sort();
    accounts.dedup();
    for a in accounts {
        let policy = default_key_policy(if a.is_empty() { "000000000000" } else { &a });
        g.default_key_policies.insert(a, policy);
    }
    let mut targets: Vec<(String, Vec<DocId>)> = Vec::new();
    let attach = |target: String, doc: DocId, targets: &mut Vec<(String, Vec<DocId>)>| match targets
        .iter_mut()
        .find(|(t, _)| *t == target)
    {
        Some((_, docs)) => docs.push(doc),
        None => targets.push((target, vec![doc])),
    };
    for (i, p) in model.org_policies.iter().enumerate() {
        let is_scp = match &p.kind {
            Value::Known(k, _) => k == "SERVICE_CONTROL_POLICY",
            Value::Absent(_) => true,
            _ => false,
        };
        if !is_scp {
            continue;
        }
        let doc = g.add_doc(&p.document, super::DocOwner::Scp, &p.origin.address);
        for t in &p.targets {
            if let Resolved::Known(target) = g.resolver.resolve(t) {
                attach(target, doc, &mut targets);
            }
        }
        let _ = i;
    }
    for a in &model.org_policy_attachments {
        let policy = match &a.policy {
            Value::Ref(r, _) => match g.resolver.entity(&r.target) {
                Some(Entity::OrgPolicy(p)) => Some(p),
                _ => None,
            },
            other => g.resolver.resolve(other).known().and_then(|id| {
                model
                    .org_policies
                    .iter()
                    .position(|p| g.resolver.resolve(&p.id).known() == Some(id))
            }),
        };
        let Some(p) = policy else { continue };
        let kind_ok = !matches!(&model.org_policies[p].kind, Value::Known(k, _) if k != "SERVICE_CONTROL_POLICY");
        if !kind_ok {
            continue;
        }
        let doc = g.add_doc(
            &model.org_policies[p].document,
            super::DocOwner::Scp,
            &model.org_policies[p].origin.address,
        );
        if let Resolved::Known(target) = g.resolver.resolve(&a.target) {
            attach(target, doc, &mut targets);
        }
    }
    g.scp_targets = targets;
}

/// Whether an organization policy is a resource control policy.
pub(super) fn is_rcp(p: &crate::model::OrgPolicy) -> bool {
    matches!(&p.kind, Value::Known(k, _) if k == "RESOURCE_CONTROL_POLICY")
}

impl Graph<'_> {
    /// RCPs that govern resources of `account`: those attached to the organization root and to
    /// the account itself. Policies attached to an OU are not joined (OU membership is rarely
    /// in the input).
    pub fn rcps_for(&self, account: Option<&str>) -> Vec<DocId> {
        let mut out = Vec::new();
        for (target, docs) in &self.rcp_targets {
            if target.starts_with("r-") || account.is_some_and(|a| a == target) {
                for d in docs {
                    if !out.contains(d) {
                        out.push(*d);
                    }
                }
            }
        }
        out
    }

    /// Whether any RCP in the input is attached to an OU, which this graph cannot place.
    pub fn rcps_on_ous(&self) -> bool {
        self.rcp_targets.iter().any(|(t, _)| t.starts_with("ou-"))
    }
}

pub(super) fn collect_rcps(g: &mut Building<'_, '_>) {
    let model = g.model;
    let mut targets: Vec<(String, Vec<DocId>)> = Vec::new();
    let mut attach =
        |target: String, doc: DocId| match targets.iter_mut().find(|(t, _)| *t == target) {
            Some((_, docs)) => docs.push(doc),
            None => targets.push((target, vec![doc])),
        };
    for p in model.org_policies.iter().filter(|p| is_rcp(p)) {
        let doc = g.add_doc(&p.document, super::DocOwner::Rcp, &p.origin.address);
        for t in &p.targets {
            if let Resolved::Known(target) = g.resolver.resolve(t) {
                attach(target, doc);
            }
        }
    }
    for a in &model.org_policy_attachments {
        let policy = match &a.policy {
            Value::Ref(r, _) => match g.resolver.entity(&r.target) {
                Some(Entity::OrgPolicy(p)) => Some(p),
                _ => None,
            },
            other => g.resolver.resolve(other).known().and_then(|id| {
                model
                    .org_policies
                    .iter()
                    .position(|p| g.resolver.resolve(&p.id).known() == Some(id))
            }),
        };
        let Some(p) = policy.and_then(|i| model.org_policies.get(i)) else {
            continue;
        };
        if !is_rcp(p) {
            continue;
        }
        let doc = g.add_doc(&p.document, super::DocOwner::Rcp, &p.origin.address);
        if let Resolved::Known(target) = g.resolver.resolve(&a.target) {
            attach(target, doc);
        }
    }
    g.rcp_targets = targets;
}
