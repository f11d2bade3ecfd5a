//! A cursor over one resource's values, its `after_unknown` markers and its configuration
//! expressions, walked in step so that each model value knows whether it is known, a reference,
//! or unknown until apply, and where it sits in the file.

use std::rc::Rc;
use std::sync::Arc;

use serde_json::Value as Json;

use super::index::{Index, KNOWN_AFTER_APPLY, Resolved, Scope};
use crate::model::{PolicyContent, PolicyDoc, Value};
use crate::source::{FileId, Loc, Seg, StringOrigin};
use crate::syntax::{Reference, Why};

/// A JSON path built as a shared linked list: a step costs one small allocation, and a [`Loc`] is
/// materialized only for the values the model keeps.
#[derive(Clone, Default)]
pub struct Path(Option<Rc<(Path, PSeg)>>);

#[derive(Clone)]
pub enum PSeg {
    Key(&'static str),
    Name(Box<str>),
    Index(u32),
}

impl Path {
    pub fn root() -> Path {
        Path(None)
    }

    pub fn key(&self, key: &'static str) -> Path {
        Path(Some(Rc::new((self.clone(), PSeg::Key(key)))))
    }

    pub fn name(&self, key: &str) -> Path {
        Path(Some(Rc::new((self.clone(), PSeg::Name(key.into())))))
    }

    pub fn index(&self, i: usize) -> Path {
        Path(Some(Rc::new((self.clone(), PSeg::Index(i as u32)))))
    }

    pub fn loc(&self, file: FileId) -> Loc {
        let mut segs = Vec::new();
        let mut at = &self.0;
        while let Some(node) = at {
            segs.push(match &node.1 {
                PSeg::Key(k) => Seg::Key((*k).into()),
                PSeg::Name(k) => Seg::Key(k.clone()),
                PSeg::Index(i) => Seg::Index(*i),
            });
            at = &node.0.0;
        }
        segs.reverse();
        Loc::JsonPath {
            file,
            path: segs.into(),
        }
    }

    fn parent(&self) -> Path {
        match &self.0 {
            Some(node) => node.0.clone(),
            None => Path(None),
        }
    }
}

/// What one resource's values are read with.
pub struct Env<'v> {
    pub file: FileId,
    pub index: &'v Index<'v>,
    pub scope: Scope,
}

#[derive(Clone, Copy)]
enum Unk<'v> {
    No,
    All,
    Node(&'v Json),
}

/// The configuration expression at the cursor.
#[derive(Clone, Copy)]
pub enum Cfg<'v> {
    /// Not written in the configuration (or no configuration in the plan).
    None,
    /// A block: an object of expressions, or a list of such blocks.
    Node(&'v Json),
    /// A literal (`constant_value`).
    Const(&'v Json),
    /// An expression with references.
    Refs(&'v [Json]),
    /// Inside an expression with references: present, but its parts are not recorded.
    Opaque,
}

impl<'v> Cfg<'v> {
    fn classify(v: Option<&'v Json>) -> Cfg<'v> {
        let Some(v) = v else { return Cfg::None };
        if let Json::Object(map) = v {
            if let Some(c) = map.get("constant_value") {
                return Cfg::Const(c);
            }
            if let Some(Json::Array(refs)) = map.get("references") {
                return Cfg::Refs(refs);
            }
        }
        Cfg::Node(v)
    }

    fn key(self, key: &str) -> Cfg<'v> {
        match self {
            Cfg::None => Cfg::None,
            Cfg::Node(v) => match v {
                // A single block written as an object.
                Json::Object(_) => Cfg::classify(v.get(key)),
                Json::Array(items) if items.len() == 1 => Cfg::classify(items.first()).key(key),
                _ => Cfg::None,
            },
            Cfg::Const(v) => match v.get(key) {
                Some(c) if !c.is_null() => Cfg::Const(c),
                _ => Cfg::None,
            },
            Cfg::Refs(_) | Cfg::Opaque => Cfg::Opaque,
        }
    }

    fn index(self, i: usize) -> Cfg<'v> {
        match self {
            Cfg::None => Cfg::None,
            Cfg::Node(Json::Array(items)) => Cfg::classify(items.get(i)),
            Cfg::Node(v) if i == 0 => Cfg::Node(v),
            Cfg::Node(_) => Cfg::None,
            Cfg::Const(Json::Array(items)) => match items.get(i) {
                Some(c) => Cfg::Const(c),
                None => Cfg::None,
            },
            Cfg::Const(_) => Cfg::None,
            Cfg::Refs(_) | Cfg::Opaque => Cfg::Opaque,
        }
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
            Cfg::Node(Json::Array(items)) => Some(items.len()),
            Cfg::Node(Json::Object(_)) => Some(1),
            Cfg::Const(Json::Array(items)) => Some(items.len()),
            Cfg::None => Some(0),
            _ => None,
        }
    }
}

/// The cursor.
#[derive(Clone)]
pub struct At<'v> {
    val: Option<&'v Json>,
    unk: Unk<'v>,
    pub cfg: Cfg<'v>,
    pub path: Path,
    /// The deepest path on the way here that exists in the file: values unknown at plan time
    /// are missing from the planned values, and their locations fall back to it.
    anchor: Path,
    env: &'v Env<'v>,
}

impl<'v> At<'v> {
    pub fn new(
        val: Option<&'v Json>,
        unknown: Option<&'v Json>,
        cfg: Option<&'v Json>,
        path: Path,
        env: &'v Env<'v>,
    ) -> At<'v> {
        let unk = match unknown {
            Some(Json::Bool(true)) => Unk::All,
            Some(u) => Unk::Node(u),
            None => Unk::No,
        };
        At {
            val,
            unk,
            cfg: cfg.map_or(Cfg::None, Cfg::Node),
            anchor: path.clone(),
            path,
            env,
        }
    }

    pub fn env(&self) -> &'v Env<'v> {
        self.env
    }

    pub fn loc(&self) -> Loc {
        if self.val.is_some() {
            self.path.loc(self.env.file)
        } else {
            self.anchor.loc(self.env.file)
        }
    }

    /// Where a value that is not set would be added: the owning block.
    pub fn parent_loc(&self) -> Loc {
        if self.val.is_some() {
            self.path.parent().loc(self.env.file)
        } else {
            self.anchor.loc(self.env.file)
        }
    }

    fn child(&self, val: Option<&'v Json>, unk: Unk<'v>, cfg: Cfg<'v>, path: Path) -> At<'v> {
        let anchor = if val.is_some() {
            path.clone()
        } else {
            self.anchor_here()
        };
        At {
            val,
            unk,
            cfg,
            path,
            anchor,
            env: self.env,
        }
    }

    fn anchor_here(&self) -> Path {
        if self.val.is_some() {
            self.path.clone()
        } else {
            self.anchor.clone()
        }
    }

    pub fn key(&self, key: &'static str) -> At<'v> {
        self.child(
            self.val.and_then(|v| v.get(key)),
            self.unk_child(|u| u.get(key)),
            self.cfg.key(key),
            self.path.key(key),
        )
    }

    pub fn index(&self, i: usize) -> At<'v> {
        self.child(
            self.val.and_then(|v| v.get(i)),
            self.unk_child(|u| u.get(i)),
            self.cfg.index(i),
            self.path.index(i),
        )
    }

    fn unk_child(&self, f: impl FnOnce(&'v Json) -> Option<&'v Json>) -> Unk<'v> {
        match self.unk {
            Unk::All => Unk::All,
            Unk::No => Unk::No,
            Unk::Node(u) => match f(u) {
                Some(Json::Bool(true)) => Unk::All,
                Some(c) => Unk::Node(c),
                None => Unk::No,
            },
        }
    }

    pub fn is_unknown(&self) -> bool {
        matches!(self.unk, Unk::All)
    }

    pub fn json(&self) -> Option<&'v Json> {
        if self.is_unknown() { None } else { self.val }
    }

    /// Whether the configuration writes this attribute.
    pub fn in_config(&self) -> bool {
        self.cfg.is_set()
    }

    /// An unknown value: a reference when the configuration names one, else unknown.
    pub fn unknown<T>(&self) -> Value<T> {
        let loc = self.loc();
        match self.cfg {
            Cfg::Refs(refs) => match self.env.index.resolve_list(refs, &self.env.scope) {
                Resolved::Ref(r) => Value::Ref(r, loc),
                Resolved::Unknown(why) => Value::Unknown(Why::new(why), loc),
            },
            _ => Value::unknown(KNOWN_AFTER_APPLY, loc),
        }
    }

    /// The known JSON value: the planned value, or the literal of the configuration when the
    /// provider computes the attribute (legacy blocks that are optional and computed).
    fn known(&self) -> Result<Option<&'v Json>, ()> {
        if self.is_unknown() {
            return match self.cfg {
                Cfg::Const(c) if !c.is_null() => Ok(Some(c)),
                _ => Err(()),
            };
        }
        Ok(self.val.filter(|v| !v.is_null()))
    }

    fn convert<T>(&self, f: impl FnOnce(&Json) -> Option<T>) -> Value<T> {
        match self.known() {
            Err(()) => self.unknown(),
            Ok(None) => Value::Absent(self.parent_loc()),
            Ok(Some(v)) => match f(v) {
                Some(t) => Value::Known(t, self.loc()),
                None => Value::unknown(
                    format!("unexpected value in the plan: {}", short(v)),
                    self.loc(),
                ),
            },
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
            Json::Bool(b) => Some(*b),
            Json::String(s) if s.eq_ignore_ascii_case("true") => Some(true),
            Json::String(s) if s.eq_ignore_ascii_case("false") => Some(false),
            _ => None,
        })
    }

    pub fn int(&self) -> Value<i64> {
        self.convert(|v| match v {
            Json::Number(n) => n.as_i64(),
            Json::String(s) => s.parse().ok(),
            _ => None,
        })
    }

    /// Elements of a list (or set); an unknown list gives one unknown element.
    pub fn strings(&self) -> Vec<Value<String>> {
        match self.known() {
            Err(()) => vec![self.unknown()],
            Ok(Some(Json::Array(items))) => (0..items.len())
                .map(|i| self.index(i).string())
                .filter(Value::is_present)
                .collect(),
            Ok(_) => Vec::new(),
        }
    }

    /// The blocks of a nested block list. An unknown list yields one unknown block, so that its
    /// attributes read as unknown rather than absent.
    pub fn blocks(&self) -> Vec<At<'v>> {
        match self.known() {
            Err(()) => vec![self.child(None, Unk::All, self.cfg.index(0), self.path.clone())],
            Ok(Some(Json::Array(items))) => (0..items.len()).map(|i| self.index(i)).collect(),
            Ok(Some(Json::Object(_))) => vec![self.clone()],
            Ok(_) => Vec::new(),
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
        match self.known() {
            Ok(Some(Json::Object(map))) => map
                .keys()
                .map(|k| {
                    let child = self.child(
                        self.val.and_then(|v| v.get(k)),
                        self.unk_child(|u| u.get(k)),
                        self.cfg.key(k),
                        self.path.name(k),
                    );
                    (k.clone(), child)
                })
                .collect(),
            _ => Vec::new(),
        }
    }

    /// A policy held in a JSON string. `None` when not set.
    pub fn policy(&self) -> Option<PolicyDoc> {
        if self.is_unknown() {
            return Some(self.unknown_policy());
        }
        let loc = self.loc();
        match self.val {
            Some(Json::String(text)) if text.trim().is_empty() => None,
            Some(Json::String(text)) => Some(PolicyDoc {
                loc: loc.clone(),
                content: PolicyContent::Json {
                    text: Arc::from(text.as_str()),
                    origin: Arc::new(StringOrigin::JsonLiteral(loc)),
                },
            }),
            None | Some(Json::Null) => None,
            Some(other) => Some(PolicyDoc {
                loc: loc.clone(),
                content: PolicyContent::Invalid {
                    message: format!("expected a policy JSON string, found {}", short(other)),
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

fn scalar_string(v: &Json) -> Option<String> {
    match v {
        Json::String(s) => Some(s.clone()),
        Json::Number(n) => Some(n.to_string()),
        Json::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn short(v: &Json) -> String {
    match v {
        Json::Null => "null".into(),
        Json::Bool(_) => "a boolean".into(),
        Json::Number(n) => format!("the number {n}"),
        Json::String(_) => "a string".into(),
        Json::Array(_) => "a list".into(),
        Json::Object(_) => "an object".into(),
    }
}
