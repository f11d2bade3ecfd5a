//! A cursor over one resource's values, its `after_unknown` markers and its configuration
//! expressions, walked in step so that each model value knows whether it is known, a reference,
//! or unknown until apply, and where it sits in the file.
//!
//! Values and markers are read from [`Tape`]s of the plan text: a value's location is the byte
//! range of its node, and a value missing from the plan points at the deepest node on its way.

use std::borrow::Cow;
use std::sync::Arc;

use super::index::{Index, KNOWN_AFTER_APPLY, Resolved, Scope};
use crate::model::{PolicyContent, PolicyDoc, Value};
use crate::source::{FileId, Loc, StringOrigin};
use crate::syntax::json_tape::{Kind, NodeRef};
use crate::syntax::{Reference, Why};

/// What one resource's values are read with.
pub struct Env<'v> {
    pub file: FileId,
    pub index: &'v Index<'v>,
    pub scope: Scope,
}

impl Env<'_> {
    fn loc(&self, node: NodeRef<'_>) -> Loc {
        let (start, end) = node.span();
        Loc::span(self.file, start, end)
    }
}

#[derive(Clone, Copy)]
enum Unk<'v> {
    No,
    All,
    Node(NodeRef<'v>),
}

impl<'v> Unk<'v> {
    fn of(node: Option<NodeRef<'v>>) -> Unk<'v> {
        match node {
            Some(n) if n.kind() == Kind::Bool(true) => Unk::All,
            Some(n) => Unk::Node(n),
            None => Unk::No,
        }
    }

    fn child(self, f: impl FnOnce(NodeRef<'v>) -> Option<NodeRef<'v>>) -> Unk<'v> {
        match self {
            Unk::All => Unk::All,
            Unk::No => Unk::No,
            Unk::Node(u) => Unk::of(f(u)),
        }
    }
}

/// The configuration expression at the cursor.
#[derive(Clone, Copy)]
pub enum Cfg<'v> {
    /// Not written in the configuration (or no configuration in the plan).
    None,
    /// A block: an object of expressions, or a list of such blocks.
    Node(NodeRef<'v>),
    /// A literal (`constant_value`).
    Const(NodeRef<'v>),
    /// An expression with references (the `references` list).
    Refs(NodeRef<'v>),
    /// Inside an expression with references: present, but its parts are not recorded.
    Opaque,
}

impl<'v> Cfg<'v> {
    fn classify(v: Option<NodeRef<'v>>) -> Cfg<'v> {
        let Some(v) = v else { return Cfg::None };
        if let Some(c) = v.get("constant_value") {
            return Cfg::Const(c);
        }
        match v.get("references") {
            Some(refs) if refs.kind() == Kind::Array => Cfg::Refs(refs),
            _ => Cfg::Node(v),
        }
    }

    pub fn key(self, key: &str) -> Cfg<'v> {
        match self {
            Cfg::None => Cfg::None,
            Cfg::Node(v) => match v.kind() {
                // A single block written as an object.
                Kind::Object => Cfg::classify(v.get(key)),
                Kind::Array if v.len() == 1 => Cfg::classify(v.item(0)).key(key),
                _ => Cfg::None,
            },
            Cfg::Const(v) => match v.get(key) {
                Some(c) if !c.is_null() => Cfg::Const(c),
                _ => Cfg::None,
            },
            Cfg::Refs(_) | Cfg::Opaque => Cfg::Opaque,
        }
    }

    pub fn index(self, i: usize) -> Cfg<'v> {
        match self {
            Cfg::Node(v) if v.kind() == Kind::Array => Cfg::classify(v.item(i)),
            Cfg::Const(v) if v.kind() == Kind::Array => v.item(i).map_or(Cfg::None, Cfg::Const),
            other => other.index_of_scalar(i),
        }
    }

    /// [`Cfg::index`] of anything but a list.
    fn index_of_scalar(self, i: usize) -> Cfg<'v> {
        match self {
            Cfg::None | Cfg::Const(_) => Cfg::None,
            Cfg::Node(v) if i == 0 => Cfg::Node(v),
            Cfg::Node(_) => Cfg::None,
            Cfg::Refs(_) | Cfg::Opaque => Cfg::Opaque,
        }
    }

    /// `index(0)` to `index(count - 1)`, walking a list once.
    pub fn items(self, count: usize) -> Vec<Cfg<'v>> {
        let list = match self {
            Cfg::Node(v) | Cfg::Const(v) if v.kind() == Kind::Array => Some(v),
            _ => None,
        };
        let Some(list) = list else {
            return (0..count).map(|i| self.index_of_scalar(i)).collect();
        };
        let mut children = list.children();
        (0..count)
            .map(|_| match (self, children.next()) {
                (_, None) => Cfg::None,
                (Cfg::Const(_), Some(c)) => Cfg::Const(c),
                (_, Some(c)) => Cfg::classify(Some(c)),
            })
            .collect()
    }

    pub fn is_set(self) -> bool {
        match self {
            Cfg::None => false,
            Cfg::Const(v) => !v.is_null(),
            _ => true,
        }
    }

    /// The number of blocks written, when they are written out (not built by an expression).
    fn block_count(self) -> Option<usize> {
        match self {
            Cfg::Node(v) | Cfg::Const(v) if v.kind() == Kind::Array => Some(v.len()),
            Cfg::Node(v) if v.kind() == Kind::Object => Some(1),
            Cfg::None => Some(0),
            _ => None,
        }
    }

    /// The references of an expression with references.
    pub fn references(refs: NodeRef<'v>) -> Vec<Cow<'v, str>> {
        refs.children().filter_map(|r| r.str()).collect()
    }
}

/// The parts of a known value the conversions look at.
enum Scalar<'v> {
    Null,
    Bool(bool),
    Number(Option<serde_json::Number>),
    String(Cow<'v, str>),
    List,
    Object,
}

fn scalar(n: NodeRef<'_>) -> Scalar<'_> {
    match n.kind() {
        Kind::Null => Scalar::Null,
        Kind::Bool(b) => Scalar::Bool(b),
        // The same number `serde_json` reads (for its text and integer range).
        Kind::Number => Scalar::Number(serde_json::from_str(n.raw()).ok()),
        Kind::String => Scalar::String(n.str().unwrap_or_default()),
        Kind::Array => Scalar::List,
        Kind::Object => Scalar::Object,
    }
}

/// What a planned value is, for callers that only need its shape.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    Null,
    Bool,
    Number,
    /// A string, and whether it is empty.
    String(bool),
    List(usize),
    Object,
}

/// The cursor.
#[derive(Clone)]
pub struct At<'v> {
    val: Option<NodeRef<'v>>,
    /// The container `val` was found in (`None` at the resource's values).
    parent: Option<NodeRef<'v>>,
    /// The deepest node on the way here: values unknown at plan time are missing from the
    /// planned values, and their locations fall back to it.
    anchor: Option<NodeRef<'v>>,
    unk: Unk<'v>,
    pub cfg: Cfg<'v>,
    env: &'v Env<'v>,
}

impl<'v> At<'v> {
    pub fn new(
        val: Option<NodeRef<'v>>,
        unknown: Option<NodeRef<'v>>,
        cfg: Option<NodeRef<'v>>,
        env: &'v Env<'v>,
    ) -> At<'v> {
        At {
            val,
            parent: None,
            anchor: val,
            unk: Unk::of(unknown),
            cfg: cfg.map_or(Cfg::None, Cfg::Node),
            env,
        }
    }

    pub fn env(&self) -> &'v Env<'v> {
        self.env
    }

    fn loc_of(&self, node: Option<NodeRef<'v>>) -> Loc {
        node.map_or(Loc::None, |n| self.env.loc(n))
    }

    pub fn loc(&self) -> Loc {
        self.loc_of(self.val.or(self.anchor))
    }

    /// Where a value that is not set would be added: the owning block.
    pub fn parent_loc(&self) -> Loc {
        if self.val.is_some() {
            // The resource's values have no container read here: they stand for themselves.
            self.loc_of(self.parent.or(self.val))
        } else {
            self.loc_of(self.anchor)
        }
    }

    fn child(
        &self,
        val: Option<NodeRef<'v>>,
        unk: Unk<'v>,
        cfg: Cfg<'v>,
        parent: Option<NodeRef<'v>>,
    ) -> At<'v> {
        At {
            val,
            parent,
            anchor: val.or(self.val).or(self.anchor),
            unk,
            cfg,
            env: self.env,
        }
    }

    pub fn key(&self, key: &str) -> At<'v> {
        self.child(
            self.val.and_then(|v| v.get(key)),
            self.unk.child(|u| u.get(key)),
            self.cfg.key(key),
            self.val,
        )
    }

    /// The elements of the known list, walked in step with their markers (not one lookup per
    /// element: lists may be long).
    pub fn items(&self) -> Vec<At<'v>> {
        let count = match self.known() {
            Ok(Some(k)) if k.kind() == Kind::Array => k.len(),
            _ => return Vec::new(),
        };
        let mut vals = self
            .val
            .filter(|v| v.kind() == Kind::Array)
            .map(|v| v.children());
        let mut unks = match self.unk {
            Unk::Node(u) if u.kind() == Kind::Array => Some(u.children()),
            _ => None,
        };
        self.cfg
            .items(count)
            .into_iter()
            .map(|cfg| {
                let val = vals.as_mut().and_then(Iterator::next);
                let unk = match self.unk {
                    Unk::Node(_) => Unk::of(unks.as_mut().and_then(Iterator::next)),
                    other => other,
                };
                self.child(val, unk, cfg, self.val)
            })
            .collect()
    }

    /// Unknown until apply. Terraform leaves unknown values out of the planned values; a value
    /// that is there anyway (hand-written or generated plans) is taken as known.
    pub fn is_unknown(&self) -> bool {
        matches!(self.unk, Unk::All) && self.val.is_none_or(|v| v.is_null())
    }

    /// The shape of the planned value, when it is known.
    pub fn shape(&self) -> Option<Shape> {
        if self.is_unknown() {
            return None;
        }
        let v = self.val?;
        Some(match v.kind() {
            Kind::Null => Shape::Null,
            Kind::Bool(_) => Shape::Bool,
            Kind::Number => Shape::Number,
            Kind::String => Shape::String(v.is_empty_str()),
            Kind::Array => Shape::List(v.len()),
            Kind::Object => Shape::Object,
        })
    }

    /// Whether the configuration writes this attribute.
    pub fn in_config(&self) -> bool {
        self.cfg.is_set()
    }

    /// An unknown value: a reference when the configuration names one, else unknown.
    pub fn unknown<T>(&self) -> Value<T> {
        let loc = self.loc();
        match self.cfg {
            Cfg::Refs(refs) => match self
                .env
                .index
                .resolve_list(&Cfg::references(refs), &self.env.scope)
            {
                Resolved::Ref(r) => Value::Ref(r, loc),
                Resolved::Unknown(why) => Value::Unknown(Why::new(why), loc),
            },
            _ => Value::unknown(KNOWN_AFTER_APPLY, loc),
        }
    }

    /// The known value: the planned value, or the literal of the configuration when the
    /// provider computes the attribute (legacy blocks that are optional and computed).
    fn known(&self) -> Result<Option<NodeRef<'v>>, ()> {
        if self.is_unknown() {
            return match self.cfg {
                Cfg::Const(c) if !c.is_null() => Ok(Some(c)),
                _ => Err(()),
            };
        }
        Ok(self.val.filter(|v| !v.is_null()))
    }

    fn convert<T>(&self, f: impl FnOnce(&Scalar<'v>) -> Option<T>) -> Value<T> {
        match self.known() {
            Err(()) => self.unknown(),
            Ok(None) => Value::Absent(self.parent_loc()),
            Ok(Some(v)) => {
                let v = scalar(v);
                match f(&v) {
                    Some(t) => Value::Known(t, self.loc()),
                    None => Value::unknown(
                        format!("unexpected value in the plan: {}", short(&v)),
                        self.loc(),
                    ),
                }
            }
        }
    }

    /// A string; `""` counts as not set (the provider writes it for unset optional strings).
    pub fn string(&self) -> Value<String> {
        match self.convert(scalar_string) {
            Value::Known(s, _) if s.is_empty() => Value::Absent(self.parent_loc()),
            v => v,
        }
    }

    pub fn bool(&self) -> Value<bool> {
        self.convert(|v| match v {
            Scalar::Bool(b) => Some(*b),
            Scalar::String(s) if s.eq_ignore_ascii_case("true") => Some(true),
            Scalar::String(s) if s.eq_ignore_ascii_case("false") => Some(false),
            _ => None,
        })
    }

    pub fn int(&self) -> Value<i64> {
        self.convert(|v| match v {
            Scalar::Number(n) => n.as_ref().and_then(serde_json::Number::as_i64),
            Scalar::String(s) => s.parse().ok(),
            _ => None,
        })
    }

    /// Elements of a list (or set); an unknown list gives one unknown element.
    pub fn strings(&self) -> Vec<Value<String>> {
        if let Err(()) = self.known() {
            return vec![self.unknown()];
        }
        self.items()
            .iter()
            .map(At::string)
            .filter(Value::is_present)
            .collect()
    }

    /// The blocks of a nested block list. An unknown list yields one unknown block, so that its
    /// attributes read as unknown rather than absent.
    pub fn blocks(&self) -> Vec<At<'v>> {
        match self.known() {
            Err(()) => vec![self.child(None, Unk::All, self.cfg.index(0), self.parent)],
            Ok(Some(k)) => match k.kind() {
                Kind::Array => self.items(),
                Kind::Object => vec![self.clone()],
                _ => Vec::new(),
            },
            Ok(None) => Vec::new(),
        }
    }

    pub fn block(&self) -> Option<At<'v>> {
        self.blocks().into_iter().next()
    }

    /// How many blocks the configuration writes, when it writes them out.
    pub fn config_blocks(&self) -> Option<usize> {
        self.cfg.block_count()
    }

    /// Entries of a map attribute (tags).
    pub fn entries(&self) -> Vec<(String, At<'v>)> {
        let Ok(Some(known)) = self.known() else {
            return Vec::new();
        };
        known
            .members()
            .into_iter()
            .map(|(k, _)| {
                // The planned value's member; none when the entries come from the configuration.
                let child = self.child(
                    self.val.and_then(|v| v.get(&k)),
                    self.unk.child(|u| u.get(&k)),
                    self.cfg.key(&k),
                    self.val,
                );
                (k.into_owned(), child)
            })
            .collect()
    }

    /// A policy held in a JSON string. `None` when not set.
    pub fn policy(&self) -> Option<PolicyDoc> {
        if self.is_unknown() {
            return Some(self.unknown_policy());
        }
        let loc = self.loc();
        let v = self.val?;
        match v.kind() {
            Kind::Null => None,
            Kind::String => {
                let text = v.str().unwrap_or_default();
                if text.trim().is_empty() {
                    return None;
                }
                Some(PolicyDoc {
                    loc: loc.clone(),
                    content: PolicyContent::Json {
                        text: Arc::from(&*text),
                        origin: Arc::new(StringOrigin::JsonLiteral(loc)),
                    },
                })
            }
            _ => Some(PolicyDoc {
                loc: loc.clone(),
                content: PolicyContent::Invalid {
                    message: format!("expected a policy JSON string, found {}", short(&scalar(v))),
                    loc,
                },
            }),
        }
    }

    /// An unknown policy: a reference to the document that produces it, else unknown.
    pub fn unknown_policy(&self) -> PolicyDoc {
        let loc = self.loc();
        let content = match self.unknown::<String>() {
            Value::Ref(r, _) if is_document_ref(&r) => PolicyContent::Ref(r),
            Value::Ref(r, _) => {
                PolicyContent::Unknown(Why::new(format!("{KNOWN_AFTER_APPLY} (built from {r})")))
            }
            Value::Unknown(why, _) => PolicyContent::Unknown(why),
            _ => PolicyContent::Unknown(Why::new(KNOWN_AFTER_APPLY)),
        };
        PolicyDoc { loc, content }
    }
}

/// Whether a reference names a whole policy document (not a value inside one).
fn is_document_ref(r: &Reference) -> bool {
    matches!(&*r.attr, "json" | "policy" | "minified_json" | "content")
}

fn scalar_string(v: &Scalar<'_>) -> Option<String> {
    match v {
        Scalar::String(s) => Some(s.clone().into_owned()),
        Scalar::Number(n) => n.as_ref().map(ToString::to_string),
        Scalar::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn short(v: &Scalar<'_>) -> String {
    match v {
        Scalar::Null => "null".into(),
        Scalar::Bool(_) => "a boolean".into(),
        Scalar::Number(Some(n)) => format!("the number {n}"),
        Scalar::Number(None) => "a number".into(),
        Scalar::String(_) => "a string".into(),
        Scalar::List => "a list".into(),
        Scalar::Object => "an object".into(),
    }
}
