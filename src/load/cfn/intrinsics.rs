//! Evaluates CloudFormation intrinsic functions as far as the template and the options allow.
//!
//! The result is a [`Node`] tree without intrinsics: text that is known before deploy is a
//! string, text that depends on a resource of a template is a `Template` with `Part::Ref`s (the
//! graph links them), and text that depends on something outside the inputs (an import, a
//! parameter without a value, the stack name) carries a `Part::Unknown` that says what to pass.
//! `AWS::NoValue` evaluates to `None`, which removes the key or list item holding it.
//!
//! Every evaluated value keeps the location of the expression that produced it, so a finding
//! about `!GetAtt Role.Arn` points at that expression.

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};

use super::{StackInfo, TemplateDiag};
use crate::source::Loc;
use crate::syntax::{Key, Node, NodeKind, Part, Reference, Why};

/// Deeper expressions are not evaluated: the parsers already bound the input's nesting, and this
/// keeps parameter and mapping substitutions from recursing without end.
const MAX_DEPTH: usize = 600;

/// A parameter's value as the evaluator sees it.
#[derive(Clone, Debug)]
pub enum Param {
    Value(Node),
    Unknown(Why),
}

pub struct Resource<'a> {
    pub ty: &'a str,
    pub node: &'a Node,
}

pub struct Evaluator<'a> {
    pub stack: &'a StackInfo,
    pub params: HashMap<String, Param>,
    pub mappings: Option<&'a Node>,
    pub conditions: HashMap<&'a str, &'a Node>,
    pub resources: HashMap<&'a str, Resource<'a>>,
    memo: RefCell<HashMap<String, Option<bool>>>,
    visiting: RefCell<HashSet<String>>,
    pub diags: RefCell<Vec<TemplateDiag>>,
}

impl<'a> Evaluator<'a> {
    pub fn new(stack: &'a StackInfo, params: HashMap<String, Param>, root: &'a Node) -> Self {
        let conditions = root
            .get("Conditions")
            .map(|c| c.entries().iter().map(|(k, v)| (&*k.text, v)).collect())
            .unwrap_or_default();
        let resources = root
            .get("Resources")
            .map(|r| {
                r.entries()
                    .iter()
                    .map(|(k, v)| {
                        let ty = v.get("Type").and_then(Node::as_str).unwrap_or("");
                        (&*k.text, Resource { ty, node: v })
                    })
                    .collect()
            })
            .unwrap_or_default();
        Evaluator {
            stack,
            params,
            mappings: root.get("Mappings"),
            conditions,
            resources,
            memo: RefCell::default(),
            visiting: RefCell::default(),
            diags: RefCell::default(),
        }
    }

    /// The qualified id that references and model origins use for a logical id.
    pub fn qualify(&self, logical: &str) -> String {
        self.stack.qualify(logical)
    }

    fn warn(&self, loc: &Loc, message: impl Into<String>) {
        self.diags.borrow_mut().push(TemplateDiag {
            loc: loc.clone(),
            message: message.into(),
        });
    }

    /// Evaluates `node`; `None` when it is `AWS::NoValue`.
    pub fn eval(&self, node: &Node) -> Option<Node> {
        self.ev(node, 0)
    }

    fn ev(&self, node: &Node, depth: usize) -> Option<Node> {
        if depth > MAX_DEPTH {
            return Some(Node::unknown(
                "the expression is nested too deeply to evaluate",
                node.loc.clone(),
            ));
        }
        match &node.kind {
            NodeKind::Map(entries) => {
                if let Some((name, arg)) = intrinsic(node) {
                    return self.call(name, arg, &node.loc, depth + 1);
                }
                let out = entries
                    .iter()
                    .filter_map(|(k, v)| Some((k.clone(), self.ev(v, depth + 1)?)))
                    .collect();
                Some(Node::new(NodeKind::Map(out), node.loc.clone()))
            }
            NodeKind::List(items) => {
                let out = items.iter().filter_map(|v| self.ev(v, depth + 1)).collect();
                Some(Node::new(NodeKind::List(out), node.loc.clone()))
            }
            _ => Some(node.clone()),
        }
    }

    fn call(&self, name: &str, arg: &Node, loc: &Loc, depth: usize) -> Option<Node> {
        let unknown = |why: String| Some(Node::unknown(why, loc.clone()));
        match name {
            "Ref" => {
                let target = self.ev(arg, depth)?;
                match target.as_str() {
                    Some(t) => self.reference(t, loc),
                    None => {
                        self.warn(loc, "Ref takes the name of a parameter or resource");
                        unknown("a malformed Ref".into())
                    }
                }
            }
            "Fn::GetAtt" => Some(self.get_att(arg, loc, depth)),
            "Fn::Sub" => Some(self.sub(arg, loc, depth)),
            "Fn::Join" => Some(self.join(arg, loc, depth)),
            "Fn::Select" => self.select(arg, loc, depth),
            "Fn::Split" => Some(self.split(arg, loc, depth)),
            "Fn::FindInMap" => Some(self.find_in_map(arg, loc, depth)),
            "Fn::If" => self.if_(arg, loc, depth),
            "Fn::ImportValue" => {
                let what = self
                    .ev(arg, depth)
                    .map(|n| describe(&n))
                    .unwrap_or_default();
                unknown(format!(
                    "imported from another stack (Fn::ImportValue {what}); pass that stack too"
                ))
            }
            "Fn::GetAZs" => unknown("the availability zones of the region".into()),
            "Fn::Base64" => unknown("a Base64-encoded value".into()),
            "Fn::Cidr" => unknown("CIDR blocks computed at deploy time".into()),
            "Fn::Length" => match self.ev(arg, depth).map(|n| n.kind) {
                Some(NodeKind::List(items)) => Some(Node::new(
                    NodeKind::Number(items.len().to_string().into()),
                    loc.clone(),
                )),
                _ => unknown("the length of a list not known before deploy".into()),
            },
            "Fn::Equals" | "Fn::Not" | "Fn::And" | "Fn::Or" => {
                let call = Node::new(
                    NodeKind::Map(vec![(
                        Key {
                            text: name.into(),
                            loc: loc.clone(),
                        },
                        arg.clone(),
                    )]),
                    loc.clone(),
                );
                match self.cond_expr(&call, depth) {
                    Some(b) => Some(Node::new(NodeKind::Bool(b), loc.clone())),
                    None => unknown("a condition that cannot be decided before deploy".into()),
                }
            }
            "Fn::Transform" => {
                unknown("the output of a CloudFormation macro (Fn::Transform)".into())
            }
            "Fn::ToJsonString" => unknown("a value serialized by Fn::ToJsonString".into()),
            other => {
                self.warn(loc, format!("unknown intrinsic function {other}"));
                unknown(format!("the result of {other}"))
            }
        }
    }

    /// `Ref NAME`: a parameter, a pseudo parameter or a resource.
    fn reference(&self, name: &str, loc: &Loc) -> Option<Node> {
        if let Some(param) = self.params.get(name) {
            return Some(match param {
                Param::Value(v) => {
                    let mut v = v.clone();
                    v.loc = loc.clone();
                    v
                }
                Param::Unknown(why) => Node::new(NodeKind::Unknown(why.clone()), loc.clone()),
            });
        }
        if let Some(pseudo) = name.strip_prefix("AWS::") {
            return self.pseudo(pseudo, loc);
        }
        if let Some(res) = self.resources.get(name) {
            return Some(self.resource_ref(name, res.ty, loc));
        }
        Some(Node::unknown(
            format!("Ref to {name}, which is neither a parameter nor a resource of this template"),
            loc.clone(),
        ))
    }

    fn pseudo(&self, name: &str, loc: &Loc) -> Option<Node> {
        let s = &self.stack;
        let known = |v: &str| Some(Node::str(v, loc.clone()));
        let unknown = |why: String| Some(Node::unknown(why, loc.clone()));
        match name {
            "NoValue" => None,
            "AccountId" => match &s.account {
                Some(a) => known(a),
                None => unknown(s.account_why()),
            },
            "Region" => match &s.region {
                Some(r) => known(r),
                None => unknown(s.region_why()),
            },
            "Partition" => known(s.partition()),
            "URLSuffix" => known(if s.partition() == "aws-cn" {
                "amazonaws.com.cn"
            } else {
                "amazonaws.com"
            }),
            "StackName" => match &s.stack_name {
                Some(n) => known(n),
                None => unknown(format!(
                    "the stack name of template {} (chosen at deploy time)",
                    s.name
                )),
            },
            "StackId" => unknown(format!("the stack id of template {}", s.name)),
            "NotificationARNs" => unknown("the stack's notification ARNs".into()),
            other => {
                self.warn(loc, format!("unknown pseudo parameter AWS::{other}"));
                unknown(format!("the pseudo parameter AWS::{other}"))
            }
        }
    }

    fn symbolic(&self, logical: &str, attr: &str, loc: &Loc) -> Node {
        Node::new(
            NodeKind::Template(vec![Part::Ref(Reference::new(self.qualify(logical), attr))]),
            loc.clone(),
        )
    }

    /// What `Ref` returns for a resource: the name for buckets and roles, the ARN for managed
    /// policies, the id (symbolic) for keys and most other types.
    fn resource_ref(&self, logical: &str, ty: &str, loc: &Loc) -> Node {
        let known = match ty {
            "AWS::S3::Bucket" => self.known_prop(logical, "BucketName"),
            "AWS::IAM::Role" => self.known_prop(logical, "RoleName"),
            "AWS::KMS::Alias" => self.known_prop(logical, "AliasName"),
            "AWS::IAM::ManagedPolicy" => self.iam_arn(logical, "policy", "ManagedPolicyName"),
            _ => None,
        };
        match known {
            Some(text) => Node::str(text, loc.clone()),
            None => self.symbolic(logical, "", loc),
        }
    }

    fn get_att(&self, arg: &Node, loc: &Loc, depth: usize) -> Node {
        let (logical, attr) = match &arg.kind {
            NodeKind::Str(s) => match s.split_once('.') {
                Some((l, a)) => (l.to_string(), a.to_string()),
                None => (s.to_string(), String::new()),
            },
            NodeKind::List(items) if items.len() == 2 => {
                let l = items[0].as_str().map(str::to_string);
                let a = self.ev(&items[1], depth).and_then(|n| known_text(&n));
                match (l, a) {
                    (Some(l), Some(a)) => (l, a),
                    (Some(l), None) => {
                        return Node::unknown(
                            format!("an attribute of {l} chosen at deploy time"),
                            loc.clone(),
                        );
                    }
                    _ => (String::new(), String::new()),
                }
            }
            _ => (String::new(), String::new()),
        };
        if logical.is_empty() || attr.is_empty() {
            self.warn(
                loc,
                "Fn::GetAtt takes [LogicalId, Attribute] or \"LogicalId.Attribute\"",
            );
            return Node::unknown("a malformed Fn::GetAtt", loc.clone());
        }
        let ty = self.resources.get(logical.as_str()).map(|r| r.ty);
        let derived = match (ty, attr.as_str()) {
            (Some("AWS::S3::Bucket"), "Arn") => self
                .known_prop(&logical, "BucketName")
                .map(|n| format!("arn:{}:s3:::{n}", self.stack.partition())),
            (Some("AWS::IAM::Role"), "Arn") => self.iam_arn(&logical, "role", "RoleName"),
            (Some("AWS::IAM::ManagedPolicy"), "PolicyArn") => {
                self.iam_arn(&logical, "policy", "ManagedPolicyName")
            }
            _ => None,
        };
        match derived {
            Some(text) => Node::str(text, loc.clone()),
            None => self.symbolic(&logical, &attr, loc),
        }
    }

    /// `arn:PARTITION:iam::ACCOUNT:KIND/PATH/NAME` when the account and name are known.
    fn iam_arn(&self, logical: &str, kind: &str, name_prop: &str) -> Option<String> {
        let account = self.stack.account.as_ref()?;
        let name = self.known_prop(logical, name_prop)?;
        let path = match self.resource_prop(logical, "Path") {
            None => "/".to_string(),
            Some(p) => known_text(&p)?,
        };
        Some(format!(
            "arn:{}:iam::{account}:{kind}{path}{name}",
            self.stack.partition()
        ))
    }

    fn known_prop(&self, logical: &str, prop: &str) -> Option<String> {
        self.resource_prop(logical, prop)
            .and_then(|n| known_text(&n))
    }

    /// Evaluates one property of another resource; cycles (a name built from its own Ref)
    /// evaluate to nothing.
    fn resource_prop(&self, logical: &str, prop: &str) -> Option<Node> {
        let res = self.resources.get(logical)?;
        let node = res.node.get("Properties")?.get(prop)?;
        let key = format!("{logical}.{prop}");
        if !self.visiting.borrow_mut().insert(key.clone()) {
            return None;
        }
        let out = self.eval(node);
        self.visiting.borrow_mut().remove(&key);
        out
    }

    fn sub(&self, arg: &Node, loc: &Loc, depth: usize) -> Node {
        let (text, vars) = match &arg.kind {
            NodeKind::Str(s) => (s.as_ref(), None),
            NodeKind::List(items) if items.len() == 2 => match items[0].as_str() {
                Some(s) => (s, Some(&items[1])),
                None => {
                    self.warn(loc, "the first item of Fn::Sub must be a string");
                    return Node::unknown("a malformed Fn::Sub", loc.clone());
                }
            },
            _ => {
                self.warn(loc, "Fn::Sub takes a string or [string, {variables}]");
                return Node::unknown("a malformed Fn::Sub", loc.clone());
            }
        };
        let mut parts = Vec::new();
        let mut rest = text;
        while let Some(start) = rest.find("${") {
            push_lit(&mut parts, &rest[..start]);
            let after = &rest[start + 2..];
            let Some(end) = after.find('}') else {
                push_lit(&mut parts, &rest[start..]);
                rest = "";
                break;
            };
            let inner = &after[..end];
            if let Some(literal) = inner.strip_prefix('!') {
                push_lit(&mut parts, &format!("${{{literal}}}"));
            } else {
                let name = inner.trim();
                let var = vars.and_then(|v| v.get(name));
                let value = match var {
                    Some(v) => self.ev(v, depth),
                    None => self.sub_name(name, loc),
                };
                if let Some(v) = value {
                    parts.extend(to_parts(&v));
                }
            }
            rest = &after[end + 1..];
        }
        push_lit(&mut parts, rest);
        parts_node(parts, loc)
    }

    fn sub_name(&self, name: &str, loc: &Loc) -> Option<Node> {
        if self.params.contains_key(name)
            || name.starts_with("AWS::")
            || self.resources.contains_key(name)
        {
            return self.reference(name, loc);
        }
        match name.split_once('.') {
            Some((logical, attr)) => {
                let arg = Node::str(format!("{logical}.{attr}"), loc.clone());
                Some(self.get_att(&arg, loc, 0))
            }
            None => self.reference(name, loc),
        }
    }

    fn join(&self, arg: &Node, loc: &Loc, depth: usize) -> Node {
        let Some([delim, list]) = arg.as_list().and_then(|l| <&[Node; 2]>::try_from(l).ok()) else {
            self.warn(loc, "Fn::Join takes [delimiter, [values]]");
            return Node::unknown("a malformed Fn::Join", loc.clone());
        };
        let delim = self.ev(delim, depth).and_then(|d| known_text(&d));
        let list = self.ev(list, depth);
        let (Some(delim), Some(list)) = (delim, list) else {
            return Node::unknown("a Fn::Join whose delimiter is not known", loc.clone());
        };
        let NodeKind::List(items) = &list.kind else {
            return match list.kind {
                NodeKind::Unknown(why) => Node::new(NodeKind::Unknown(why), loc.clone()),
                _ => Node::unknown("a Fn::Join of a list not known before deploy", loc.clone()),
            };
        };
        let mut parts = Vec::new();
        for (i, item) in items.iter().enumerate() {
            if i > 0 {
                push_lit(&mut parts, &delim);
            }
            parts.extend(to_parts(item));
        }
        parts_node(parts, loc)
    }

    fn select(&self, arg: &Node, loc: &Loc, depth: usize) -> Option<Node> {
        let Some([index, list]) = arg.as_list().and_then(|l| <&[Node; 2]>::try_from(l).ok()) else {
            self.warn(loc, "Fn::Select takes [index, [values]]");
            return Some(Node::unknown("a malformed Fn::Select", loc.clone()));
        };
        let index = self
            .ev(index, depth)
            .and_then(|i| known_text(&i))
            .and_then(|t| t.trim().parse::<usize>().ok());
        let list = self.ev(list, depth);
        match (index, list.as_ref().map(|l| &l.kind)) {
            (Some(i), Some(NodeKind::List(items))) => match items.get(i) {
                Some(item) => {
                    let mut item = item.clone();
                    item.loc = loc.clone();
                    Some(item)
                }
                None => {
                    self.warn(loc, format!("Fn::Select index {i} is out of range"));
                    Some(Node::unknown("an index out of range", loc.clone()))
                }
            },
            _ => Some(Node::unknown(
                "an item of a list not known before deploy",
                loc.clone(),
            )),
        }
    }

    fn split(&self, arg: &Node, loc: &Loc, depth: usize) -> Node {
        let Some([delim, source]) = arg.as_list().and_then(|l| <&[Node; 2]>::try_from(l).ok())
        else {
            self.warn(loc, "Fn::Split takes [delimiter, string]");
            return Node::unknown("a malformed Fn::Split", loc.clone());
        };
        let delim = self.ev(delim, depth).and_then(|d| known_text(&d));
        let source = self.ev(source, depth).and_then(|s| known_text(&s));
        match (delim, source) {
            (Some(d), Some(s)) if !d.is_empty() => Node::new(
                NodeKind::List(s.split(&d).map(|p| Node::str(p, loc.clone())).collect()),
                loc.clone(),
            ),
            _ => Node::unknown("a split of a value not known before deploy", loc.clone()),
        }
    }

    fn find_in_map(&self, arg: &Node, loc: &Loc, depth: usize) -> Node {
        let items = arg.as_list().unwrap_or(&[]);
        if !(3..=4).contains(&items.len()) {
            self.warn(
                loc,
                "Fn::FindInMap takes [MapName, TopLevelKey, SecondLevelKey]",
            );
            return Node::unknown("a malformed Fn::FindInMap", loc.clone());
        }
        let keys: Vec<Option<String>> = items[..3]
            .iter()
            .map(|k| self.ev(k, depth).and_then(|n| known_text(&n)))
            .collect();
        let default = items
            .get(3)
            .and_then(|d| d.get("DefaultValue"))
            .and_then(|d| self.ev(d, depth));
        let [Some(map), Some(top), Some(second)] = &keys[..] else {
            return Node::unknown(
                "a mapping entry chosen by a value not known before deploy",
                loc.clone(),
            );
        };
        let found = self
            .mappings
            .and_then(|m| m.get(map))
            .and_then(|m| m.get(top))
            .and_then(|m| m.get(second))
            .and_then(|v| self.ev(v, depth));
        match found.or(default) {
            Some(mut v) => {
                v.loc = loc.clone();
                v
            }
            None => {
                self.warn(
                    loc,
                    format!("Fn::FindInMap: the mapping {map} has no entry {top}.{second}"),
                );
                Node::unknown(
                    format!("the missing mapping entry {map}.{top}.{second}"),
                    loc.clone(),
                )
            }
        }
    }

    fn if_(&self, arg: &Node, loc: &Loc, depth: usize) -> Option<Node> {
        let Some([cond, then, otherwise]) =
            arg.as_list().and_then(|l| <&[Node; 3]>::try_from(l).ok())
        else {
            self.warn(loc, "Fn::If takes [Condition, ValueIfTrue, ValueIfFalse]");
            return Some(Node::unknown("a malformed Fn::If", loc.clone()));
        };
        let Some(name) = cond.as_str() else {
            self.warn(loc, "the first item of Fn::If must be a condition name");
            return Some(Node::unknown("a malformed Fn::If", loc.clone()));
        };
        match self.condition(name, &cond.loc) {
            Some(true) => self.ev(then, depth),
            Some(false) => self.ev(otherwise, depth),
            None => Some(Node::unknown(
                format!(
                    "the value depends on condition {name}, which cannot be decided before deploy"
                ),
                loc.clone(),
            )),
        }
    }

    /// A named condition: `Some` when decided by the template, the parameters and the options.
    pub fn condition(&self, name: &str, loc: &Loc) -> Option<bool> {
        if let Some(v) = self.memo.borrow().get(name) {
            return *v;
        }
        let Some(expr) = self.conditions.get(name).copied() else {
            self.warn(
                loc,
                format!("the condition {name} is not defined in Conditions"),
            );
            return None;
        };
        let key = format!("condition {name}");
        if !self.visiting.borrow_mut().insert(key.clone()) {
            self.warn(loc, format!("the condition {name} refers to itself"));
            return None;
        }
        let v = self.cond_expr(expr, 0);
        self.visiting.borrow_mut().remove(&key);
        self.memo.borrow_mut().insert(name.to_string(), v);
        v
    }

    fn cond_expr(&self, node: &Node, depth: usize) -> Option<bool> {
        if depth > MAX_DEPTH {
            return None;
        }
        if let NodeKind::Bool(b) = node.kind {
            return Some(b);
        }
        let NodeKind::Map(entries) = &node.kind else {
            return None;
        };
        let [(key, arg)] = &entries[..] else {
            return None;
        };
        let args = arg.as_list();
        match &*key.text {
            "Condition" => self.condition(arg.as_str()?, &arg.loc),
            "Fn::Equals" => {
                let [a, b] = <&[Node; 2]>::try_from(args?).ok()?;
                let a = self.ev(a, depth + 1).and_then(|n| known_text(&n))?;
                let b = self.ev(b, depth + 1).and_then(|n| known_text(&n))?;
                Some(a == b)
            }
            "Fn::Not" => {
                let inner = match args {
                    Some([one]) => one,
                    _ => arg,
                };
                self.cond_expr(inner, depth + 1).map(|b| !b)
            }
            "Fn::And" | "Fn::Or" => {
                let is_and = &*key.text == "Fn::And";
                let mut undecided = false;
                for c in args? {
                    match self.cond_expr(c, depth + 1) {
                        Some(b) if b != is_and => return Some(b),
                        Some(_) => {}
                        None => undecided = true,
                    }
                }
                if undecided { None } else { Some(is_and) }
            }
            _ => None,
        }
    }
}

/// The function name and argument when `node` is an intrinsic call (`{"Ref": x}`, `{"Fn::X": y}`).
pub fn intrinsic(node: &Node) -> Option<(&str, &Node)> {
    let NodeKind::Map(entries) = &node.kind else {
        return None;
    };
    let [(key, arg)] = &entries[..] else {
        return None;
    };
    let name = &*key.text;
    (name == "Ref" || name.starts_with("Fn::")).then_some((name, arg))
}

/// Text that is fully known (a string, number or boolean).
pub fn known_text(node: &Node) -> Option<String> {
    match &node.kind {
        NodeKind::Str(s) | NodeKind::Number(s) => Some(s.to_string()),
        NodeKind::Bool(b) => Some(b.to_string()),
        NodeKind::Template(parts) => {
            let mut out = String::new();
            for p in parts {
                match p {
                    Part::Lit(l) => out.push_str(l),
                    _ => return None,
                }
            }
            Some(out)
        }
        _ => None,
    }
}

fn describe(node: &Node) -> String {
    known_text(node).unwrap_or_else(|| "with a computed name".into())
}

/// The pieces of a value used as text inside a Sub or Join.
pub fn to_parts(node: &Node) -> Vec<Part> {
    match &node.kind {
        NodeKind::Str(s) | NodeKind::Number(s) => vec![Part::Lit(s.clone())],
        NodeKind::Bool(b) => vec![Part::Lit(b.to_string().into())],
        NodeKind::Null => vec![],
        NodeKind::Template(parts) => parts.clone(),
        NodeKind::Unknown(why) => vec![Part::Unknown(why.clone())],
        NodeKind::List(_) | NodeKind::Map(_) => vec![Part::Unknown(Why::new(
            "a list or object used where text is expected",
        ))],
    }
}

fn push_lit(parts: &mut Vec<Part>, text: &str) {
    if text.is_empty() {
        return;
    }
    if let Some(Part::Lit(last)) = parts.last_mut() {
        let mut s = last.to_string();
        s.push_str(text);
        *last = s.into();
    } else {
        parts.push(Part::Lit(text.into()));
    }
}

/// A string node when every part is literal, otherwise a template.
pub fn parts_node(parts: Vec<Part>, loc: &Loc) -> Node {
    let mut merged: Vec<Part> = Vec::with_capacity(parts.len());
    for p in parts {
        match p {
            Part::Lit(l) => push_lit(&mut merged, &l),
            other => merged.push(other),
        }
    }
    match &merged[..] {
        [] => Node::str("", loc.clone()),
        [Part::Lit(l)] => Node::str(l.clone(), loc.clone()),
        _ => Node::new(NodeKind::Template(merged), loc.clone()),
    }
}
