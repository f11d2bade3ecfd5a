//! One spanned value tree for JSON, YAML and evaluated HCL.
//!
//! Loaders turn documents that are not typed resources (policy documents, CloudFormation
//! properties, evaluated HCL attributes) into [`Node`]s. Strings may be templates that mix literal
//! text with references to other resources or with values unknown until apply.

use crate::source::Loc;

#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    pub kind: NodeKind,
    pub loc: Loc,
}

#[derive(Clone, Debug, PartialEq)]
pub enum NodeKind {
    Null,
    Bool(bool),
    /// The number as written.
    Number(Box<str>),
    Str(Box<str>),
    /// A string built from literal text, references and unknown parts.
    Template(Vec<Part>),
    List(Vec<Node>),
    /// Keys in document order; duplicates are kept so that they can be reported.
    Map(Vec<(Key, Node)>),
    /// A value that is not known before apply.
    Unknown(Why),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Key {
    pub text: Box<str>,
    pub loc: Loc,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Part {
    Lit(Box<str>),
    Ref(Reference),
    Unknown(Why),
}

/// A reference to an attribute of another resource: `aws_kms_key.dr` + `arn` in Terraform,
/// `ReplicaKey` + `Arn` in CloudFormation. `target` is the address (Terraform, including module
/// path and instance key) or the logical id (CloudFormation, qualified by the template file).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Reference {
    pub target: Box<str>,
    pub attr: Box<str>,
}

impl Reference {
    pub fn new(target: impl Into<Box<str>>, attr: impl Into<Box<str>>) -> Reference {
        Reference {
            target: target.into(),
            attr: attr.into(),
        }
    }
}

impl std::fmt::Display for Reference {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.attr.is_empty() {
            write!(f, "{}", self.target)
        } else {
            write!(f, "{}.{}", self.target, self.attr)
        }
    }
}

/// Why a value is unknown, in words a user can act on.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Why(pub Box<str>);

impl Why {
    pub fn new(text: impl Into<Box<str>>) -> Why {
        Why(text.into())
    }
}

impl std::fmt::Display for Why {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl Node {
    pub fn new(kind: NodeKind, loc: Loc) -> Node {
        Node { kind, loc }
    }

    pub fn str(text: impl Into<Box<str>>, loc: Loc) -> Node {
        Node {
            kind: NodeKind::Str(text.into()),
            loc,
        }
    }

    pub fn unknown(why: impl Into<Box<str>>, loc: Loc) -> Node {
        Node {
            kind: NodeKind::Unknown(Why::new(why)),
            loc,
        }
    }

    /// The value of the first key equal to `key` (exact match).
    pub fn get(&self, key: &str) -> Option<&Node> {
        match &self.kind {
            NodeKind::Map(entries) => entries
                .iter()
                .find(|(k, _)| &*k.text == key)
                .map(|(_, v)| v),
            _ => None,
        }
    }

    /// The value of the first key equal to `key`, ignoring ASCII case.
    pub fn get_ignore_case(&self, key: &str) -> Option<(&Key, &Node)> {
        match &self.kind {
            NodeKind::Map(entries) => entries
                .iter()
                .find(|(k, _)| k.text.eq_ignore_ascii_case(key))
                .map(|(k, v)| (k, v)),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            NodeKind::Str(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match &self.kind {
            NodeKind::Bool(b) => Some(*b),
            NodeKind::Str(s) if s.eq_ignore_ascii_case("true") => Some(true),
            NodeKind::Str(s) if s.eq_ignore_ascii_case("false") => Some(false),
            _ => None,
        }
    }

    pub fn as_list(&self) -> Option<&[Node]> {
        match &self.kind {
            NodeKind::List(items) => Some(items),
            _ => None,
        }
    }

    pub fn entries(&self) -> &[(Key, Node)] {
        match &self.kind {
            NodeKind::Map(entries) => entries,
            _ => &[],
        }
    }

    pub fn is_unknown(&self) -> bool {
        matches!(self.kind, NodeKind::Unknown(_))
    }

    /// A short name of the node's type for error messages.
    pub fn type_name(&self) -> &'static str {
        match self.kind {
            NodeKind::Null => "null",
            NodeKind::Bool(_) => "a boolean",
            NodeKind::Number(_) => "a number",
            NodeKind::Str(_) | NodeKind::Template(_) => "a string",
            NodeKind::List(_) => "a list",
            NodeKind::Map(_) => "an object",
            NodeKind::Unknown(_) => "an unknown value",
        }
    }
}
