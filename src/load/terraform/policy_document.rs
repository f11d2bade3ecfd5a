//! `data "aws_iam_policy_document"` evaluated natively into the policy's JSON shape.
//!
//! The node mirrors what the provider renders (`Version`, `Statement[{Sid, Effect, Action, ...}]`)
//! with every key pointing at the HCL argument or block that produced it, and ARNs built from
//! references kept as templates.

use crate::source::Loc;
use crate::syntax::{Key, Node, NodeKind, Why};

use super::body::{B, top};
use super::eval::{Cx, Ev, Scope};
use super::json;
use super::parse::FBlock;
use super::value::{VK, Val, to_node};

const MAX_NESTING: usize = 8;

fn key(text: &str, loc: Loc) -> Key {
    Key {
        text: text.into(),
        loc,
    }
}

impl Ev<'_> {
    /// The document of a policy-document data source instance (computed once per address).
    pub fn policy_document(&self, addr: &str, scope: &Scope, fb: &FBlock, depth: usize) -> Node {
        if let Some(done) = self.doc_memo.borrow().get(addr) {
            return match done {
                Some(n) => n.clone(),
                None => Node::unknown(format!("`{addr}` includes itself"), fb.header()),
            };
        }
        if depth > MAX_NESTING {
            return Node::unknown("policy documents nested too deeply", fb.header());
        }
        self.doc_memo.borrow_mut().insert(addr.to_string(), None);
        let cx = Cx {
            scope: scope.clone(),
            file: fb.file,
        };
        let b = top(self, cx, &fb.block);
        let node = self.build_document(&b, depth);
        self.doc_memo
            .borrow_mut()
            .insert(addr.to_string(), Some(node.clone()));
        node
    }

    fn build_document(&self, b: &B, depth: usize) -> Node {
        let mut statements: Vec<Node> = Vec::new();
        for name in ["source_policy_documents", "source_json"] {
            for doc in self.included(b, name, depth) {
                merge(&mut statements, doc);
            }
        }
        for s in b.blocks("statement") {
            merge(&mut statements, vec![statement(&s)]);
        }
        for name in ["override_policy_documents", "override_json"] {
            for doc in self.included(b, name, depth) {
                merge(&mut statements, doc);
            }
        }
        let mut entries = Vec::new();
        let version = match b.get("version") {
            Some((v, loc)) => with_loc(to_node(&v, 0), loc),
            None => Node::str("2012-10-17", b.loc.clone()),
        };
        entries.push((key("Version", b.key_loc("version")), version));
        if let Some((v, loc)) = b.get("policy_id") {
            entries.push((
                key("Id", b.key_loc("policy_id")),
                with_loc(to_node(&v, 0), loc),
            ));
        }
        entries.push((
            key("Statement", b.loc.clone()),
            Node::new(NodeKind::List(statements), b.loc.clone()),
        ));
        Node::new(NodeKind::Map(entries), b.loc.clone())
    }

    /// The statements of each document named in `source_policy_documents` and the like.
    fn included(&self, b: &B, name: &str, depth: usize) -> Vec<Vec<Node>> {
        let Some((v, loc)) = b.get(name) else {
            return Vec::new();
        };
        let docs = match v.kind {
            VK::List(items) => items,
            VK::Null => return Vec::new(),
            _ => vec![v],
        };
        docs.iter()
            .map(|d| match self.document_of(d, depth) {
                Some(node) => match node.get("Statement") {
                    Some(Node {
                        kind: NodeKind::List(items),
                        ..
                    }) => items.clone(),
                    Some(one) => vec![one.clone()],
                    None => Vec::new(),
                },
                None => vec![Node::new(
                    NodeKind::Unknown(Why::new(format!(
                        "a document in `{name}` is not known before apply: {}",
                        d.why()
                    ))),
                    d.loc.clone().or(&loc),
                )],
            })
            .collect()
    }

    /// A document value (a JSON string, `jsonencode(...)`, another data source's `.json`).
    fn document_of(&self, d: &Val, depth: usize) -> Option<Node> {
        match &d.kind {
            VK::Encoded(inner) => Some(to_node(inner, 0)),
            VK::Ref(r) if r.attr.as_ref() == "json" || r.attr.as_ref() == "minified_json" => {
                let site = self.doc_sites.borrow().get(r.target.as_ref()).cloned();
                let (scope, fb) = site?;
                Some(self.policy_document(&r.target, &scope, &fb, depth + 1))
            }
            VK::Str(_) | VK::Tmpl(_) => {
                let segs = d.segments()?;
                json::parse(&json::Holed::new(&segs)).ok()
            }
            _ => None,
        }
    }
}

fn with_loc(mut n: Node, loc: Loc) -> Node {
    n.loc = loc;
    n
}

/// Later statements replace earlier ones with the same `Sid`; others are appended.
fn merge(statements: &mut Vec<Node>, new: Vec<Node>) {
    for s in new {
        let sid = s
            .get("Sid")
            .and_then(Node::as_str)
            .filter(|x| !x.is_empty());
        match sid
            .and_then(|sid| {
                statements
                    .iter()
                    .position(|x| x.get("Sid").and_then(Node::as_str) == Some(sid))
            })
            .and_then(|i| statements.get_mut(i))
        {
            Some(slot) => *slot = s,
            None => statements.push(s),
        }
    }
}

fn statement(b: &B) -> Node {
    let mut entries: Vec<(Key, Node)> = Vec::new();
    let put = |name: &str, json: &str, entries: &mut Vec<(Key, Node)>| {
        if let Some((v, loc)) = b.get(name)
            && !v.is_null()
        {
            entries.push((key(json, b.key_loc(name)), with_loc(to_node(&v, 0), loc)));
        }
    };
    put("sid", "Sid", &mut entries);
    match b.get("effect") {
        Some((v, loc)) if !v.is_null() => entries.push((
            key("Effect", b.key_loc("effect")),
            with_loc(to_node(&v, 0), loc),
        )),
        // The provider's default.
        _ => entries.push((
            key("Effect", b.loc.clone()),
            Node::str("Allow", b.loc.clone()),
        )),
    }
    put("actions", "Action", &mut entries);
    put("not_actions", "NotAction", &mut entries);
    put("resources", "Resource", &mut entries);
    put("not_resources", "NotResource", &mut entries);
    for (block, json) in [
        ("principals", "Principal"),
        ("not_principals", "NotPrincipal"),
    ] {
        let blocks = b.blocks(block);
        if let Some(first) = blocks.first() {
            entries.push((key(json, first.loc.clone()), principals(&blocks)));
        }
    }
    let conditions = b.blocks("condition");
    if let Some(first) = conditions.first() {
        entries.push((key("Condition", first.loc.clone()), condition(&conditions)));
    }
    Node::new(NodeKind::Map(entries), b.loc.clone())
}

/// `principals { type = "AWS", identifiers = [...] }` blocks → `{"AWS": [...]}`; `*`/`*` → `"*"`.
fn principals(blocks: &[B]) -> Node {
    let loc = blocks.first().map(|b| b.loc.clone()).unwrap_or_default();
    let mut by_type: Vec<(Key, Vec<Node>)> = Vec::new();
    for b in blocks {
        let (tv, tloc) = b.get("type").unwrap_or_else(|| {
            (
                Val::unknown("the principal type is missing", b.loc.clone()),
                b.loc.clone(),
            )
        });
        let Some(ty) = tv.as_str().map(str::to_string) else {
            return Node::unknown(
                format!("the principal type is not known: {}", tv.why()),
                tloc,
            );
        };
        let ids: Vec<Node> = match b.get("identifiers") {
            Some((v, loc)) => match &v.kind {
                VK::List(items) => items.iter().map(|i| to_node(i, 0)).collect(),
                _ => vec![with_loc(to_node(&v, 0), loc)],
            },
            None => Vec::new(),
        };
        if ty == "*" && blocks.len() == 1 {
            return Node::str("*", b.loc.clone());
        }
        match by_type.iter_mut().find(|(k, _)| *k.text == *ty) {
            Some((_, list)) => list.extend(ids),
            None => by_type.push((key(&ty, tloc), ids)),
        }
    }
    Node::new(
        NodeKind::Map(
            by_type
                .into_iter()
                .map(|(k, ids)| {
                    let l = k.loc.clone();
                    (k, Node::new(NodeKind::List(ids), l))
                })
                .collect(),
        ),
        loc,
    )
}

/// `condition { test, variable, values }` blocks → `{"test": {"variable": [values]}}`.
fn condition(blocks: &[B]) -> Node {
    let loc = blocks.first().map(|b| b.loc.clone()).unwrap_or_default();
    let mut tests: Vec<(Key, Vec<(Key, Node)>)> = Vec::new();
    for b in blocks {
        let (Some((test, tloc)), Some((var, vloc))) = (b.get("test"), b.get("variable")) else {
            continue;
        };
        let (Some(test), Some(var)) = (test.as_str(), var.as_str()) else {
            tests.push((
                key("?", tloc.clone()),
                vec![(
                    key("?", vloc),
                    Node::unknown("the condition operator or key is not known", tloc),
                )],
            ));
            continue;
        };
        let values = match b.get("values") {
            Some((v, loc)) => with_loc(to_node(&v, 0), loc),
            None => Node::new(NodeKind::List(Vec::new()), b.loc.clone()),
        };
        match tests.iter_mut().find(|(k, _)| *k.text == *test) {
            Some((_, vars)) => vars.push((key(var, vloc), values)),
            None => tests.push((key(test, tloc), vec![(key(var, vloc), values)])),
        }
    }
    Node::new(
        NodeKind::Map(
            tests
                .into_iter()
                .map(|(k, vars)| {
                    let l = k.loc.clone();
                    (k, Node::new(NodeKind::Map(vars), l))
                })
                .collect(),
        ),
        loc,
    )
}
