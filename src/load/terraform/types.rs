//! Variable type constraints: conversions and `optional(type, default)` attributes.
//!
//! Modules such as cloudposse's rely on `optional()` defaults (`metrics = { status = null }`
//! becomes `"Enabled"`), so a value is converted to its declared type before use.

use std::rc::Rc;

use hcl_edit::expr::{Expression, ObjectKey};

use crate::syntax::Key;

use super::eval::{Cx, Ev, Inst, Scope};
use super::value::{VK, Val};

const MAX_DEPTH: usize = 32;

impl Ev<'_> {
    /// `v` converted to type `ty` (written in `file` of module `inst`); what cannot be converted
    /// stays as it is, for the places that use it to judge.
    pub fn convert(
        &self,
        v: Val,
        ty: &Expression,
        inst: &Rc<Inst>,
        file: crate::source::FileId,
        depth: usize,
    ) -> Val {
        if depth > MAX_DEPTH || v.is_unknownish() {
            return v;
        }
        match ty {
            Expression::Variable(t) => match (t.as_str(), &v.kind) {
                ("bool", VK::Str(_)) => match v.to_bool() {
                    Some(b) => Val::new(VK::Bool(b), v.loc),
                    None => v,
                },
                ("number", VK::Str(_)) => match v.to_num() {
                    Some(n) => Val::new(VK::Num(n), v.loc),
                    None => v,
                },
                ("string", VK::Num(_) | VK::Bool(_)) => match v.to_text() {
                    Some(t) => Val::str(t, v.loc),
                    None => v,
                },
                _ => v,
            },
            Expression::FuncCall(f) => {
                let args: Vec<&Expression> = f.args.iter().collect();
                let Some(inner) = args.first() else { return v };
                match (f.name.name.as_str(), v.kind) {
                    ("list" | "set" | "tuple", VK::List(items)) => {
                        let tuple = f.name.name.as_str() == "tuple";
                        let items = items
                            .into_iter()
                            .enumerate()
                            .map(|(i, x)| {
                                let t = match (tuple, inner) {
                                    (true, Expression::Array(a)) => a.iter().nth(i),
                                    (true, _) => None,
                                    (false, t) => Some(*t),
                                };
                                match t {
                                    Some(t) => self.convert(x, t, inst, file, depth + 1),
                                    None => x,
                                }
                            })
                            .collect();
                        Val::new(VK::List(items), v.loc)
                    }
                    ("map", VK::Map(entries)) => Val::new(
                        VK::Map(
                            entries
                                .into_iter()
                                .map(|(k, x)| (k, self.convert(x, inner, inst, file, depth + 1)))
                                .collect(),
                        ),
                        v.loc,
                    ),
                    ("object", VK::Map(mut entries)) => {
                        let Expression::Object(o) = inner else {
                            return Val::new(VK::Map(entries), v.loc);
                        };
                        for (k, t) in o.iter() {
                            let name = match k {
                                ObjectKey::Ident(id) => id.as_str().to_string(),
                                ObjectKey::Expression(Expression::String(s)) => s.value().clone(),
                                _ => continue,
                            };
                            let (attr_ty, default) = match t.expr() {
                                Expression::FuncCall(o) if o.name.name.as_str() == "optional" => {
                                    let a: Vec<&Expression> = o.args.iter().collect();
                                    (a.first().copied(), a.get(1).copied())
                                }
                                other => (Some(other), None),
                            };
                            let pos = entries.iter().position(|(k, _)| *k.text == *name);
                            let present = pos
                                .and_then(|i| entries.get(i))
                                .is_some_and(|(_, x)| !x.is_null());
                            if !present && let Some(d) = default {
                                let cx = Cx {
                                    scope: Scope::new(inst.clone()),
                                    file,
                                };
                                let dv = self.eval(d, &cx, 0);
                                match pos {
                                    Some(i) => {
                                        if let Some(slot) = entries.get_mut(i) {
                                            slot.1 = dv;
                                        }
                                    }
                                    None => entries.push((
                                        Key {
                                            text: name.as_str().into(),
                                            loc: dv.loc.clone(),
                                        },
                                        dv,
                                    )),
                                }
                            } else if pos.is_none() {
                                // Absent optional attributes are null in Terraform.
                                entries.push((
                                    Key {
                                        text: name.as_str().into(),
                                        loc: v.loc.clone(),
                                    },
                                    Val::null(v.loc.clone()),
                                ));
                            }
                            if let (Some(t), Some(i)) =
                                (attr_ty, entries.iter().position(|(k, _)| *k.text == *name))
                                && let Some(slot) = entries.get_mut(i)
                            {
                                let x = std::mem::replace(&mut slot.1, Val::null(v.loc.clone()));
                                slot.1 = self.convert(x, t, inst, file, depth + 1);
                            }
                        }
                        Val::new(VK::Map(entries), v.loc)
                    }
                    (_, kind) => Val::new(kind, v.loc),
                }
            }
            _ => v,
        }
    }
}
