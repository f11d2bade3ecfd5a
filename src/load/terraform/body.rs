//! Reading the arguments and nested blocks of one resource instance into model values.

use std::rc::Rc;

use hcl_edit::expr::Expression;
use hcl_edit::structure::{Body, Structure};

use crate::model::{PolicyContent, PolicyDoc, Value};
use crate::source::Loc;
use crate::syntax::{Key, Reference, Why};

use super::eval::{Cx, Ev, iter_items, loc_of};
use super::json;
use super::value::{VK, Val, parts, to_node};

pub enum Src<'b> {
    Body(&'b Body),
    /// A block written as an attribute (`x = { ... }`, Terraform 0.11 style) or produced by a
    /// value.
    Obj(Val),
    /// A dynamic block whose `for_each` is unknown: every argument is unknown.
    Unknown(Why),
}

pub struct B<'e, 'a, 'b> {
    pub ev: &'e Ev<'a>,
    pub cx: Cx,
    pub src: Src<'b>,
    /// The block (for "missing X" locations).
    pub loc: Loc,
}

impl<'e, 'a, 'b> B<'e, 'a, 'b> {
    pub fn new(ev: &'e Ev<'a>, cx: Cx, body: &'b Body, loc: Loc) -> Self {
        B {
            ev,
            cx,
            src: Src::Body(body),
            loc,
        }
    }

    /// An argument's value and the location of its expression.
    pub fn get(&self, name: &str) -> Option<(Val, Loc)> {
        match &self.src {
            Src::Body(body) => {
                let a = body.get_attribute(name)?;
                let v = self.ev.eval(&a.value, &self.cx, 0);
                Some((v, loc_of(self.cx.file, &a.value)))
            }
            Src::Obj(v) => {
                let x = v.get(name)?;
                if x.is_null() {
                    return None;
                }
                Some((x.clone(), x.loc.clone()))
            }
            Src::Unknown(w) => Some((
                Val::new(VK::Unknown(w.clone()), self.loc.clone()),
                self.loc.clone(),
            )),
        }
    }

    /// The span of an argument's name (policy document keys point here).
    pub fn key_loc(&self, name: &str) -> Loc {
        match &self.src {
            Src::Body(body) => body
                .get_attribute(name)
                .map(|a| loc_of(self.cx.file, &a.key))
                .unwrap_or_else(|| self.loc.clone()),
            Src::Obj(v) => match &v.kind {
                VK::Map(entries) => entries
                    .iter()
                    .find(|(k, _)| &*k.text == name)
                    .map(|(k, _)| k.loc.clone())
                    .unwrap_or_else(|| self.loc.clone()),
                _ => self.loc.clone(),
            },
            Src::Unknown(_) => self.loc.clone(),
        }
    }

    pub fn s(&self, name: &str) -> Value<String> {
        match self.get(name) {
            Some((v, loc)) => string_value(&v, loc),
            None => Value::Absent(self.loc.clone()),
        }
    }

    pub fn b(&self, name: &str) -> Value<bool> {
        match self.get(name) {
            Some((v, loc)) => match v.to_bool() {
                Some(b) => Value::Known(b, loc),
                None if v.is_null() => Value::Absent(self.loc.clone()),
                None => other_value(&v, loc, "a boolean"),
            },
            None => Value::Absent(self.loc.clone()),
        }
    }

    pub fn i(&self, name: &str) -> Value<i64> {
        match self.get(name) {
            Some((v, loc)) => match v.to_num() {
                Some(n) => Value::Known(n as i64, loc),
                None if v.is_null() => Value::Absent(self.loc.clone()),
                None => other_value(&v, loc, "a number"),
            },
            None => Value::Absent(self.loc.clone()),
        }
    }

    /// A list of strings; an unknown list gives one unknown element.
    pub fn strings(&self, name: &str) -> Vec<Value<String>> {
        match self.get(name) {
            Some((v, loc)) => match v.elements() {
                Some(items) => items
                    .iter()
                    .map(|i| string_value(i, i.loc.clone().or(&loc)))
                    .collect(),
                None if v.is_null() => Vec::new(),
                None => vec![string_value(&v, loc)],
            },
            None => Vec::new(),
        }
    }

    /// Map entries (`tags = {...}`): key, value, location of the entry.
    pub fn entries(&self, name: &str) -> Vec<(Value<String>, Value<String>, Loc)> {
        let Some((v, loc)) = self.get(name) else {
            return Vec::new();
        };
        match v.sorted_entries() {
            Some(entries) => entries
                .into_iter()
                .map(|(k, x)| {
                    let kl = k.loc.clone();
                    (
                        Value::Known(k.text.to_string(), kl.clone()),
                        string_value(&x, x.loc.clone()),
                        kl,
                    )
                })
                .collect(),
            None if v.is_null() => Vec::new(),
            None => vec![(
                other_value(&v, loc.clone(), "a map"),
                Value::Absent(loc.clone()),
                loc,
            )],
        }
    }

    pub fn has(&self, name: &str) -> bool {
        self.get(name).is_some_and(|(v, _)| !v.is_null())
    }

    /// Nested blocks, in order, with `dynamic` blocks expanded.
    pub fn blocks(&self, name: &str) -> Vec<B<'e, 'a, 'b>> {
        let mut out = Vec::new();
        match &self.src {
            Src::Body(body) => {
                for s in body.iter() {
                    match s {
                        Structure::Block(b) if b.ident.as_str() == name => {
                            out.push(B::new(
                                self.ev,
                                self.cx.clone(),
                                &b.body,
                                loc_of(self.cx.file, b),
                            ));
                        }
                        Structure::Block(b)
                            if b.ident.as_str() == "dynamic"
                                && b.labels.first().is_some_and(|l| l.as_str() == name) =>
                        {
                            self.dynamic(b, name, &mut out);
                        }
                        Structure::Attribute(a) if a.key.as_str() == name => {
                            let v = self.ev.eval(&a.value, &self.cx, 0);
                            self.value_blocks(v, &mut out);
                        }
                        _ => {}
                    }
                }
            }
            Src::Obj(v) => {
                if let Some(x) = v.get(name) {
                    self.value_blocks(x.clone(), &mut out);
                }
            }
            Src::Unknown(_) => {}
        }
        out
    }

    fn value_blocks(&self, v: Val, out: &mut Vec<B<'e, 'a, 'b>>) {
        match &v.kind {
            VK::Map(_) => out.push(self.obj(v)),
            VK::List(items) => {
                for it in items {
                    if matches!(it.kind, VK::Map(_)) {
                        out.push(self.obj(it.clone()));
                    }
                }
            }
            VK::Null => {}
            _ => out.push(B {
                ev: self.ev,
                cx: self.cx.clone(),
                loc: v.loc.clone(),
                src: Src::Unknown(v.why()),
            }),
        }
    }

    fn obj(&self, v: Val) -> B<'e, 'a, 'b> {
        B {
            ev: self.ev,
            cx: self.cx.clone(),
            loc: v.loc.clone(),
            src: Src::Obj(v),
        }
    }

    fn dynamic(&self, b: &'b hcl_edit::structure::Block, name: &str, out: &mut Vec<B<'e, 'a, 'b>>) {
        let loc = loc_of(self.cx.file, b);
        let iterator = match b.body.get_attribute("iterator").map(|a| &a.value) {
            Some(Expression::Variable(v)) => v.as_str().to_string(),
            _ => name.to_string(),
        };
        let Some(content) = b.body.get_blocks("content").next() else {
            return;
        };
        let coll = match b.body.get_attribute("for_each") {
            Some(a) => self.ev.eval(&a.value, &self.cx, 0),
            None => return,
        };
        let Some(items) = iter_items(&coll) else {
            out.push(B {
                ev: self.ev,
                cx: self.cx.clone(),
                loc,
                src: Src::Unknown(coll.why()),
            });
            return;
        };
        for (k, v) in items.into_iter().take(super::eval::MAX_INSTANCES) {
            let it = Val::new(
                VK::Map(vec![
                    (
                        Key {
                            text: "key".into(),
                            loc: k.loc.clone(),
                        },
                        k,
                    ),
                    (
                        Key {
                            text: "value".into(),
                            loc: v.loc.clone(),
                        },
                        v,
                    ),
                ]),
                loc.clone(),
            );
            let cx = Cx {
                scope: self.cx.scope.with(&iterator, it),
                file: self.cx.file,
            };
            out.push(B::new(
                self.ev,
                cx,
                &content.body,
                loc_of(self.cx.file, content),
            ));
        }
    }

    pub fn block(&self, name: &str) -> Option<B<'e, 'a, 'b>> {
        self.blocks(name).into_iter().next()
    }

    pub fn policy(&self, name: &str) -> Option<PolicyDoc> {
        let (v, loc) = self.get(name)?;
        policy_doc(&v, loc)
    }
}

/// A model string from a value; `loc` is where it is written in the resource.
pub fn string_value(v: &Val, loc: Loc) -> Value<String> {
    match &v.kind {
        VK::Str(s) => Value::Known(s.text.clone(), loc),
        VK::Num(_) | VK::Bool(_) => Value::Known(v.to_text().unwrap_or_default(), loc),
        VK::Tmpl(segs) => Value::Template(parts(segs), loc),
        VK::Ref(r) => Value::Ref(r.clone(), loc),
        VK::Null => Value::Absent(loc),
        VK::Encoded(_) => match v.to_text() {
            Some(t) => Value::Known(t, loc),
            None => Value::Unknown(v.why(), loc),
        },
        VK::Resource(a) => Value::Ref(Reference::new(a.as_str(), "id"), loc),
        _ => other_value(v, loc, "a string"),
    }
}

fn other_value<T>(v: &Val, loc: Loc, expected: &str) -> Value<T> {
    match &v.kind {
        VK::Unknown(w) => Value::Unknown(w.clone(), loc),
        VK::Ref(_) | VK::Tmpl(_) | VK::Instances(_) | VK::Resource(_) => {
            Value::Unknown(v.why(), loc)
        }
        _ => Value::unknown(format!("expected {expected} here"), loc),
    }
}

/// A policy document from the value of a `policy`-like argument.
pub fn policy_doc(v: &Val, loc: Loc) -> Option<PolicyDoc> {
    let content = match &v.kind {
        VK::Null => return None,
        VK::Encoded(inner) => PolicyContent::Parsed(to_node(inner, 0)),
        VK::Str(s) => match s.origin(&v.loc) {
            Some(origin) => PolicyContent::Json {
                text: s.text.as_str().into(),
                origin,
            },
            None => parse_json(v),
        },
        VK::Tmpl(_) => parse_json(v),
        VK::Ref(r)
            if r.target.contains("data.aws_iam_policy_document.")
                && matches!(&*r.attr, "json" | "minified_json") =>
        {
            PolicyContent::Ref(Reference::new(r.target.clone(), "json"))
        }
        VK::Map(_) | VK::List(_) => PolicyContent::Parsed(to_node(v, 0)),
        _ => PolicyContent::Unknown(v.why()),
    };
    Some(PolicyDoc { loc, content })
}

fn parse_json(v: &Val) -> PolicyContent {
    let Some(segs) = v.segments() else {
        return PolicyContent::Unknown(v.why());
    };
    match json::parse(&json::Holed::new(&segs)) {
        Ok(node) => PolicyContent::Parsed(node),
        Err(e) => PolicyContent::Invalid {
            message: e.message,
            loc: e.loc,
        },
    }
}

/// The body of a top-level block as a [`B`].
pub fn top<'e, 'a, 'b>(
    ev: &'e Ev<'a>,
    cx: Cx,
    block: &'b Rc<hcl_edit::structure::Block>,
) -> B<'e, 'a, 'b> {
    let loc = loc_of(cx.file, block.as_ref());
    B::new(ev, cx, &block.body, loc)
}
