//! The evaluator's values: like Terraform's, plus references, unknowns and spans.
//!
//! A value remembers where it was written ([`Loc`]), so that a policy built in a `locals` block
//! points into that block. Strings copied from the source also keep a map from their decoded
//! offsets to the raw bytes, so that JSON held in a heredoc can be located byte for byte.

use std::sync::Arc;

use crate::source::{FileId, Loc, Span, StringOrigin};
use crate::syntax::{Key, Node, NodeKind, Part, Reference, Why};

#[derive(Clone, Debug)]
pub struct Val {
    pub kind: VK,
    pub loc: Loc,
}

#[derive(Clone, Debug)]
pub enum VK {
    Null,
    Bool(bool),
    Num(f64),
    Str(Str),
    /// A string with parts known only after apply.
    Tmpl(Vec<Seg>),
    List(Vec<Val>),
    /// Insertion order kept (documents keep their order); Terraform's sorted order is applied where
    /// it is observable (for expressions, `keys`, `for_each`).
    Map(Vec<(Key, Val)>),
    /// `jsonencode(x)`: a JSON string, kept as its structure so that a policy built with it keeps
    /// its references and spans.
    Encoded(Box<Val>),
    /// A resource (or module output) attribute computed at apply.
    Ref(Reference),
    /// One instance of a resource: attribute access yields references.
    Resource(String),
    /// A counted or for_each resource whose instances are not known: indexing still names them.
    Instances(String),
    Unknown(Why),
}

/// A known string, and where its bytes sit in a source file when it was copied from one.
#[derive(Clone, Debug)]
pub struct Str {
    pub text: String,
    pub map: Option<TextMap>,
}

/// Decoded offset → raw offset checkpoints in one file (see [`StringOrigin::Mapped`]).
#[derive(Clone, Debug, PartialEq)]
pub struct TextMap {
    pub file: FileId,
    pub checkpoints: Vec<(u32, u32)>,
}

#[derive(Clone, Debug)]
pub enum Seg {
    Text(Str, Loc),
    Ref(Reference, Loc),
    Unknown(Why, Loc),
    /// `${jsonencode(x)}` where `x` holds references: a JSON value that stays a structure, so
    /// that JSON around it (a heredoc policy) keeps its references.
    Doc(Box<Val>, Loc),
}

impl Val {
    pub fn new(kind: VK, loc: Loc) -> Val {
        Val { kind, loc }
    }
    pub fn null(loc: Loc) -> Val {
        Val::new(VK::Null, loc)
    }
    pub fn str(text: impl Into<String>, loc: Loc) -> Val {
        Val::new(
            VK::Str(Str {
                text: text.into(),
                map: None,
            }),
            loc,
        )
    }
    pub fn unknown(why: impl Into<Box<str>>, loc: Loc) -> Val {
        Val::new(VK::Unknown(Why::new(why)), loc)
    }
    pub fn is_null(&self) -> bool {
        matches!(self.kind, VK::Null)
    }
    /// Whether the value (or a part of it) is not known before apply.
    pub fn is_unknownish(&self) -> bool {
        matches!(
            self.kind,
            VK::Unknown(_) | VK::Ref(_) | VK::Tmpl(_) | VK::Instances(_) | VK::Resource(_)
        )
    }
    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            VK::Str(s) => Some(&s.text),
            _ => None,
        }
    }
    pub fn why(&self) -> Why {
        self.why_at(0)
            .unwrap_or_else(|| Why::new("the value is known only after apply"))
    }

    /// The reason of the first part of the value that is not known.
    fn why_at(&self, depth: usize) -> Option<Why> {
        if depth > 64 {
            return None;
        }
        match &self.kind {
            VK::Unknown(w) => Some(w.clone()),
            VK::Ref(r) => Some(Why::new(format!("`{r}` is known only after apply"))),
            VK::Tmpl(segs) => segs.iter().find_map(|s| match s {
                Seg::Unknown(w, _) => Some(w.clone()),
                Seg::Ref(r, _) => Some(Why::new(format!("`{r}` is known only after apply"))),
                Seg::Doc(v, _) => v.why_at(depth + 1),
                Seg::Text(..) => None,
            }),
            VK::Instances(a) => Some(Why::new(format!(
                "the instances of `{a}` are known only after apply"
            ))),
            VK::List(items) => items.iter().find_map(|i| i.why_at(depth + 1)),
            VK::Map(entries) => entries.iter().find_map(|(_, i)| i.why_at(depth + 1)),
            VK::Encoded(inner) => inner.why_at(depth + 1),
            _ => None,
        }
    }
    pub fn get(&self, key: &str) -> Option<&Val> {
        match &self.kind {
            VK::Map(entries) => entries
                .iter()
                .find(|(k, _)| &*k.text == key)
                .map(|(_, v)| v),
            _ => None,
        }
    }

    /// The value as text, the way Terraform converts primitives to strings.
    pub fn to_text(&self) -> Option<String> {
        match &self.kind {
            VK::Str(s) => Some(s.text.clone()),
            VK::Num(n) => Some(fmt_num(*n)),
            VK::Bool(b) => Some(b.to_string()),
            VK::Encoded(inner) => encode_json(inner),
            _ => None,
        }
    }

    pub fn to_bool(&self) -> Option<bool> {
        match &self.kind {
            VK::Bool(b) => Some(*b),
            VK::Str(s) if s.text == "true" => Some(true),
            VK::Str(s) if s.text == "false" => Some(false),
            _ => None,
        }
    }

    pub fn to_num(&self) -> Option<f64> {
        match &self.kind {
            VK::Num(n) => Some(*n),
            VK::Str(s) => s.text.trim().parse().ok(),
            _ => None,
        }
    }

    /// Elements of a list, set or tuple; a map's values in key order.
    pub fn elements(&self) -> Option<Vec<Val>> {
        match &self.kind {
            VK::List(items) => Some(items.clone()),
            VK::Map(_) => Some(self.sorted_entries()?.into_iter().map(|(_, v)| v).collect()),
            _ => None,
        }
    }

    /// Map entries in Terraform's order (lexical by key).
    pub fn sorted_entries(&self) -> Option<Vec<(Key, Val)>> {
        match &self.kind {
            VK::Map(entries) => {
                let mut e = entries.clone();
                e.sort_by(|a, b| a.0.text.cmp(&b.0.text));
                e.dedup_by(|b, a| a.0.text == b.0.text);
                Some(e)
            }
            _ => None,
        }
    }

    /// The segments of a string value (known text, references, unknown parts).
    pub fn segments(&self) -> Option<Vec<Seg>> {
        match &self.kind {
            VK::Str(s) => Some(vec![Seg::Text(s.clone(), self.loc.clone())]),
            VK::Num(_) | VK::Bool(_) | VK::Encoded(_) => {
                let t = self.to_text();
                Some(vec![match (t, &self.kind) {
                    (Some(t), _) => Seg::Text(Str { text: t, map: None }, self.loc.clone()),
                    (None, VK::Encoded(inner)) => Seg::Doc(inner.clone(), self.loc.clone()),
                    (None, _) => Seg::Unknown(self.why(), self.loc.clone()),
                }])
            }
            VK::Tmpl(segs) => Some(segs.clone()),
            VK::Ref(r) => Some(vec![Seg::Ref(r.clone(), self.loc.clone())]),
            VK::Unknown(w) => Some(vec![Seg::Unknown(w.clone(), self.loc.clone())]),
            _ => None,
        }
    }

    /// Builds a string from segments: known text joins (keeping its byte map when possible).
    pub fn from_segments(segs: Vec<Seg>, loc: Loc) -> Val {
        let mut out: Vec<Seg> = Vec::new();
        for seg in segs {
            match (out.last_mut(), seg) {
                (Some(Seg::Text(a, _)), Seg::Text(b, bloc)) => append_str(a, b, &bloc),
                (_, seg) => out.push(seg),
            }
        }
        match out.len() {
            0 => Val::str("", loc),
            1 if matches!(out.first(), Some(Seg::Text(..))) => match out.pop() {
                Some(Seg::Text(s, _)) => Val::new(VK::Str(s), loc),
                _ => Val::str("", loc),
            },
            _ => Val::new(VK::Tmpl(out), loc),
        }
    }
}

/// Appends `b` to `a`, keeping a byte map when both come from the same file.
fn append_str(a: &mut Str, b: Str, bloc: &Loc) {
    let offset = a.text.len() as u32;
    let b_map = b.map.or_else(|| implicit_map(bloc));
    a.map = match (a.map.take(), b_map) {
        (Some(mut am), Some(bm)) if am.file == bm.file => {
            am.checkpoints
                .extend(bm.checkpoints.iter().map(|&(d, r)| (d + offset, r)));
            Some(am)
        }
        _ => None,
    };
    a.text.push_str(&b.text);
}

/// A map that sends every byte of a string without its own map to where its value was written.
pub fn implicit_map(loc: &Loc) -> Option<TextMap> {
    match loc {
        Loc::Span(s) => Some(TextMap {
            file: s.file,
            checkpoints: vec![(0, s.start)],
        }),
        _ => None,
    }
}

impl Str {
    /// The string's origin for [`crate::model::PolicyContent::Json`].
    pub fn origin(&self, loc: &Loc) -> Option<Arc<StringOrigin>> {
        let map = self.map.clone().or_else(|| implicit_map(loc))?;
        Some(Arc::new(StringOrigin::Mapped {
            file: map.file,
            checkpoints: map.checkpoints.into(),
        }))
    }
}

impl TextMap {
    /// The file offset of a decoded offset.
    pub fn raw(&self, d: u32) -> u32 {
        let i = match self.checkpoints.binary_search_by_key(&d, |c| c.0) {
            Ok(i) => i,
            Err(0) => return d,
            Err(i) => i - 1,
        };
        match self.checkpoints.get(i) {
            Some(&(dec, raw)) => raw + (d - dec),
            None => d,
        }
    }

    pub fn loc(&self, start: u32, end: u32) -> Loc {
        let s = self.raw(start);
        let e = self.raw(end).max(s);
        Loc::Span(Span {
            file: self.file,
            start: s,
            end: e,
        })
    }
}

pub fn fmt_num(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

/// `jsonencode` of a fully known value, with Terraform's key order and escaping.
pub fn encode_json(v: &Val) -> Option<String> {
    let mut out = String::new();
    encode_into(v, &mut out, 0)?;
    Some(out)
}

fn encode_into(v: &Val, out: &mut String, depth: usize) -> Option<()> {
    if depth > 64 {
        return None;
    }
    match &v.kind {
        VK::Null => out.push_str("null"),
        VK::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        VK::Num(n) => out.push_str(&fmt_num(*n)),
        VK::Str(s) => encode_str(&s.text, out),
        VK::Encoded(inner) => encode_str(&encode_json(inner)?, out),
        VK::List(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                encode_into(item, out, depth + 1)?;
            }
            out.push(']');
        }
        VK::Map(_) => {
            out.push('{');
            for (i, (k, item)) in v.sorted_entries()?.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                encode_str(&k.text, out);
                out.push(':');
                encode_into(item, out, depth + 1)?;
            }
            out.push('}');
        }
        _ => return None,
    }
    Some(())
}

fn encode_str(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            // Terraform escapes these so that JSON can sit in HTML.
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Converts a segment list to model template parts.
pub fn parts(segs: &[Seg]) -> Vec<Part> {
    segs.iter()
        .map(|s| match s {
            Seg::Text(t, _) => Part::Lit(t.text.as_str().into()),
            Seg::Ref(r, _) => Part::Ref(r.clone()),
            Seg::Doc(v, _) => Part::Unknown(Why::new(format!(
                "a JSON document with values known only after apply: {}",
                v.why()
            ))),
            Seg::Unknown(w, _) => Part::Unknown(w.clone()),
        })
        .collect()
}

/// The value as a document node (policy objects, conditions, principals).
pub fn to_node(v: &Val, depth: usize) -> Node {
    if depth > 64 {
        return Node::unknown("the value is nested too deeply", v.loc.clone());
    }
    let kind = match &v.kind {
        VK::Null => NodeKind::Null,
        VK::Bool(b) => NodeKind::Bool(*b),
        VK::Num(n) => NodeKind::Number(fmt_num(*n).into()),
        VK::Str(s) => NodeKind::Str(s.text.as_str().into()),
        VK::Tmpl(segs) => NodeKind::Template(parts(segs)),
        VK::Ref(r) => NodeKind::Template(vec![Part::Ref(r.clone())]),
        VK::List(items) => NodeKind::List(items.iter().map(|i| to_node(i, depth + 1)).collect()),
        VK::Map(entries) => NodeKind::Map(
            entries
                .iter()
                .map(|(k, x)| (k.clone(), to_node(x, depth + 1)))
                .collect(),
        ),
        VK::Encoded(inner) => match encode_json(inner) {
            Some(s) => NodeKind::Str(s.into()),
            None => NodeKind::Unknown(Why::new(
                "a JSON document with values known only after apply",
            )),
        },
        VK::Unknown(w) => NodeKind::Unknown(w.clone()),
        VK::Resource(a) | VK::Instances(a) => {
            NodeKind::Unknown(Why::new(format!("`{a}` is a whole resource, not a value")))
        }
    };
    Node::new(kind, v.loc.clone())
}
