//! A `data.aws_iam_policy_document` whose `json` is unknown at plan time, rebuilt as a policy
//! [`Node`] from its arguments: known parts from the planned values, unknown parts from the
//! references of its configuration.

use std::borrow::Cow;

use super::address;
use super::index::{KNOWN_AFTER_APPLY, Resolved};
use super::values::{At, Cfg, Shape};
use crate::model::{PolicyDoc, Value};
use crate::source::Loc;
use crate::syntax::{Key, Node, NodeKind, Part, Why};

pub fn from_arguments(at: &At<'_>, json_loc: Loc) -> PolicyDoc {
    for merged in [
        "source_policy_documents",
        "override_policy_documents",
        "source_json",
        "override_json",
    ] {
        let a = at.key(merged);
        let set = a.is_unknown() && a.in_config()
            || matches!(a.shape(), Some(Shape::List(n)) if n > 0)
            || matches!(a.shape(), Some(Shape::String(false)));
        if set {
            return PolicyDoc::unknown(
                format!("{KNOWN_AFTER_APPLY} (the document merges {merged})"),
                json_loc,
            );
        }
    }
    let statements_at = at.key("statement");
    if statements_at.is_unknown() {
        return PolicyDoc::unknown(
            format!("{KNOWN_AFTER_APPLY} (the statements are built by an expression)"),
            json_loc,
        );
    }
    let mut entries = Vec::new();
    let version = at.key("version");
    entries.push(entry(
        "Version",
        &version,
        match version.string() {
            Value::Known(v, l) => Node::str(v, l),
            _ => Node::str("2012-10-17", version.parent_loc()),
        },
    ));
    let statements: Vec<Node> = statements_at.blocks().iter().map(statement).collect();
    entries.push(entry(
        "Statement",
        &statements_at,
        Node::new(NodeKind::List(statements), statements_at.loc()),
    ));
    PolicyDoc::parsed(Node::new(NodeKind::Map(entries), at.loc()), json_loc)
}

fn entry(name: &str, at: &At<'_>, node: Node) -> (Key, Node) {
    (
        Key {
            text: name.into(),
            loc: at.loc(),
        },
        node,
    )
}

fn statement(s: &At<'_>) -> Node {
    let mut entries = Vec::new();
    let sid = s.key("sid");
    if let Value::Known(text, l) = sid.string() {
        entries.push(entry("Sid", &sid, Node::str(text, l)));
    }
    let effect = s.key("effect");
    let effect_node = match effect.string() {
        Value::Absent(_) => Node::str("Allow", s.loc()),
        v => scalar(v),
    };
    entries.push(entry("Effect", &effect, effect_node));
    for (attr, name) in [
        ("actions", "Action"),
        ("not_actions", "NotAction"),
        ("resources", "Resource"),
        ("not_resources", "NotResource"),
    ] {
        let list = s.key(attr);
        if let Some(node) = string_list(&list) {
            entries.push(entry(name, &list, node));
        }
    }
    for (attr, name) in [
        ("principals", "Principal"),
        ("not_principals", "NotPrincipal"),
    ] {
        let blocks = s.key(attr);
        if let Some(node) = principals(&blocks) {
            entries.push(entry(name, &blocks, node));
        }
    }
    let conditions = s.key("condition");
    if let Some(node) = conditions_node(&conditions) {
        entries.push(entry("Condition", &conditions, node));
    }
    Node::new(NodeKind::Map(entries), s.loc())
}

fn scalar(v: Value<String>) -> Node {
    match v {
        Value::Known(t, l) => Node::str(t, l),
        Value::Ref(r, l) => Node::new(NodeKind::Template(vec![Part::Ref(r)]), l),
        Value::Template(parts, l) => Node::new(NodeKind::Template(parts), l),
        Value::Unknown(why, l) => Node::new(NodeKind::Unknown(why), l),
        Value::Absent(l) => Node::new(NodeKind::Null, l),
    }
}

/// A list of strings; `None` when not set. Elements unknown at plan time take the references of
/// the configuration in order, when there is one reference per unknown element.
fn string_list(list: &At<'_>) -> Option<Node> {
    if list.is_unknown() {
        return Some(Node::new(
            NodeKind::Unknown(Why::new(KNOWN_AFTER_APPLY)),
            list.loc(),
        ));
    }
    if !matches!(list.shape(), Some(Shape::List(n)) if n > 0) {
        return None;
    }
    let elements: Vec<At<'_>> = list.items();
    let unknown_count = elements.iter().filter(|e| e.is_unknown()).count();
    let refs = match list.cfg {
        Cfg::Refs(refs) => reference_groups(&Cfg::references(refs)),
        _ => Vec::new(),
    };
    let mut refs = if refs.len() == unknown_count {
        refs.into_iter()
    } else {
        Vec::new().into_iter()
    };
    let nodes = elements
        .iter()
        .map(|e| {
            if !e.is_unknown() {
                return scalar(e.string());
            }
            let Some(text) = refs.next() else {
                return Node::new(NodeKind::Unknown(Why::new(KNOWN_AFTER_APPLY)), e.loc());
            };
            match e
                .env()
                .index
                .resolve_list(&[Cow::Borrowed(text.as_str())], &e.env().scope)
            {
                // The plan keeps the references of a template but not its literal text
                // (`"${aws_s3_bucket.b.arn}/*"` shows as `aws_s3_bucket.b.arn`), so the text
                // around the reference stays unknown.
                Resolved::Ref(r) => Node::new(
                    NodeKind::Template(vec![
                        Part::Unknown(Why::new(TEMPLATE_TEXT)),
                        Part::Ref(r),
                        Part::Unknown(Why::new(TEMPLATE_TEXT)),
                    ]),
                    e.loc(),
                ),
                Resolved::Unknown(why) => Node::new(NodeKind::Unknown(Why::new(why)), e.loc()),
            }
        })
        .collect();
    Some(Node::new(NodeKind::List(nodes), list.loc()))
}

const TEMPLATE_TEXT: &str =
    "the plan does not record literal text written around a reference in a list";

/// The most specific reference of each traversal: Terraform lists `a.b.arn` then `a.b` for one
/// traversal, so a reference that is a prefix of the previous one belongs to it.
fn reference_groups(refs: &[Cow<'_, str>]) -> Vec<String> {
    let mut groups: Vec<String> = Vec::new();
    for r in refs.iter().map(|r| &**r) {
        let continues = groups.last().is_some_and(|g| {
            g.starts_with(r) && matches!(g.as_bytes().get(r.len()), Some(b'.') | Some(b'['))
        });
        if !continues && address::steps(r).is_some() {
            groups.push(r.to_string());
        }
    }
    groups
}

fn principals(blocks: &At<'_>) -> Option<Node> {
    if blocks.is_unknown() {
        return Some(Node::new(
            NodeKind::Unknown(Why::new(KNOWN_AFTER_APPLY)),
            blocks.loc(),
        ));
    }
    let list = blocks.blocks();
    if list.is_empty() {
        return None;
    }
    let mut by_type: Vec<(Key, Vec<Node>, Loc)> = Vec::new();
    for p in &list {
        let ty = p.key("type");
        let ty_text = match ty.string() {
            Value::Known(t, _) => t,
            _ => {
                return Some(Node::new(
                    NodeKind::Unknown(Why::new(KNOWN_AFTER_APPLY)),
                    p.loc(),
                ));
            }
        };
        let ids = p.key("identifiers");
        let nodes = match string_list(&ids) {
            Some(Node {
                kind: NodeKind::List(items),
                ..
            }) => items,
            Some(other) => vec![other],
            None => Vec::new(),
        };
        match by_type.iter_mut().find(|(k, _, _)| *k.text == *ty_text) {
            Some((_, existing, _)) => existing.extend(nodes),
            None => by_type.push((
                Key {
                    text: ty_text.into(),
                    loc: ty.loc(),
                },
                nodes,
                ids.loc(),
            )),
        }
    }
    // `type = "*"` with identifiers `["*"]` is the anonymous principal `"*"`.
    if let [(k, ids, _)] = by_type.as_slice()
        && &*k.text == "*"
        && ids.iter().all(|n| n.as_str() == Some("*"))
    {
        return Some(Node::str("*", k.loc.clone()));
    }
    let entries = by_type
        .into_iter()
        .map(|(k, ids, loc)| (k, Node::new(NodeKind::List(ids), loc)))
        .collect();
    Some(Node::new(NodeKind::Map(entries), blocks.loc()))
}

fn conditions_node(blocks: &At<'_>) -> Option<Node> {
    if blocks.is_unknown() {
        return Some(Node::new(
            NodeKind::Unknown(Why::new(KNOWN_AFTER_APPLY)),
            blocks.loc(),
        ));
    }
    let list = blocks.blocks();
    if list.is_empty() {
        return None;
    }
    let mut by_test: Vec<(Key, Vec<(Key, Node)>)> = Vec::new();
    for c in &list {
        let test = c.key("test");
        let variable = c.key("variable");
        let (Value::Known(test_text, _), Value::Known(var_text, _)) =
            (test.string(), variable.string())
        else {
            return Some(Node::new(
                NodeKind::Unknown(Why::new(KNOWN_AFTER_APPLY)),
                c.loc(),
            ));
        };
        let values_at = c.key("values");
        let values = string_list(&values_at)
            .unwrap_or_else(|| Node::new(NodeKind::List(Vec::new()), values_at.loc()));
        let var_entry = (
            Key {
                text: var_text.into(),
                loc: variable.loc(),
            },
            values,
        );
        match by_test.iter_mut().find(|(k, _)| *k.text == *test_text) {
            Some((_, vars)) => vars.push(var_entry),
            None => by_test.push((
                Key {
                    text: test_text.into(),
                    loc: test.loc(),
                },
                vec![var_entry],
            )),
        }
    }
    let entries = by_test
        .into_iter()
        .map(|(k, vars)| {
            let loc = k.loc.clone();
            (k, Node::new(NodeKind::Map(vars), loc))
        })
        .collect();
    Some(Node::new(NodeKind::Map(entries), blocks.loc()))
}
