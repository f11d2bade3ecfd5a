//! Evaluating Terraform expressions in a sandbox.
//!
//! Our own evaluator over hcl-edit's tree rather than `hcl::eval`: every value keeps the span it
//! was written at, and what Terraform computes at apply (resource attributes) evaluates to a
//! reference the graph joins, never to a guess. Nothing here runs a command, reaches the network
//! or reads a file outside the module folders.

use std::cell::{Cell, RefCell};
use std::collections::{BTreeSet, HashMap};
use std::path::PathBuf;
use std::rc::Rc;

use hcl_edit::Span as _;
use hcl_edit::expr::{BinaryOperator, Expression, ObjectKey, TraversalOperator, UnaryOperator};
use hcl_edit::template::{Directive, Element, Template};

use crate::model::InputError;
use crate::source::{FileId, Loc, SourceDb};
use crate::syntax::{Key, Node, Reference, Why};

use super::LoadOptions;
use super::parse::{FBlock, ModuleSource, align, span_loc};
use super::providers::Provider;
use super::value::{Seg, Str, TextMap, VK, Val, encode_json};

/// Evaluation steps for one root module; a configuration needing more is not a real one.
const BUDGET: u64 = 4_000_000;
const MAX_EXPR_DEPTH: usize = 96;
/// Instances of one `count` / `for_each`.
pub const MAX_INSTANCES: usize = 2048;

pub enum Slot {
    Busy,
    Done(Val),
}

/// Instances of a module call.
pub enum Children {
    Missing(Why),
    /// Key `None` for a single instance, a number for `count`, a string for `for_each`.
    Insts(Vec<(Option<Val>, Rc<Inst>)>),
}

/// One instance of a module (the root module, or one call of a child).
pub struct Inst {
    /// `module.a.` / `module.a["k"].module.b.`; empty for the root.
    pub prefix: String,
    /// The `modules.json` key of this instance (`a.b`); empty for the root.
    pub key: String,
    pub src: Rc<ModuleSource>,
    pub depth: usize,
    pub inputs: RefCell<HashMap<String, Val>>,
    pub providers: RefCell<HashMap<String, Rc<Provider>>>,
    pub(super) locals: RefCell<HashMap<String, Slot>>,
    pub(super) vars: RefCell<HashMap<String, Slot>>,
    pub(super) colls: RefCell<HashMap<String, Slot>>,
    pub(super) outputs: RefCell<HashMap<String, Slot>>,
    pub(super) children: RefCell<HashMap<String, Option<Rc<Children>>>>,
    /// Resource addresses each memoized `var.x` / `local.x` / `output.x` referenced, replayed
    /// when the memo is used, so that `depends_on` sees references made through them.
    pub(super) deps: RefCell<HashMap<String, BTreeSet<String>>>,
}

impl Inst {
    pub fn new(prefix: String, key: String, src: Rc<ModuleSource>, depth: usize) -> Inst {
        Inst {
            prefix,
            key,
            src,
            depth,
            inputs: Default::default(),
            providers: Default::default(),
            locals: Default::default(),
            vars: Default::default(),
            colls: Default::default(),
            outputs: Default::default(),
            children: Default::default(),
            deps: Default::default(),
        }
    }
}

/// Names in scope besides the module's: `count`, `each`, for-expression and iterator variables.
#[derive(Clone)]
pub struct Scope {
    pub inst: Rc<Inst>,
    pub vars: Rc<Vec<(String, Val)>>,
    pub self_addr: Option<Rc<str>>,
    /// A `templatefile` template: only its variables are in scope, as in Terraform.
    pub template: bool,
}

impl Scope {
    pub fn new(inst: Rc<Inst>) -> Scope {
        Scope {
            inst,
            vars: Rc::new(Vec::new()),
            self_addr: None,
            template: false,
        }
    }
    pub fn with(&self, name: &str, v: Val) -> Scope {
        let mut vars = (*self.vars).clone();
        vars.push((name.to_string(), v));
        Scope {
            inst: self.inst.clone(),
            vars: Rc::new(vars),
            self_addr: self.self_addr.clone(),
            template: self.template,
        }
    }
    fn lookup(&self, name: &str) -> Option<&Val> {
        self.vars
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v)
    }
}

/// Where an expression is evaluated: its names and its file.
#[derive(Clone)]
pub struct Cx {
    pub scope: Scope,
    pub file: FileId,
}

pub struct Ev<'a> {
    pub db: RefCell<&'a mut SourceDb>,
    pub opts: &'a LoadOptions,
    /// The root module folder: relative `file()` paths start here.
    pub root_dir: PathBuf,
    pub sources: RefCell<HashMap<PathBuf, Rc<ModuleSource>>>,
    budget: Cell<u64>,
    pub errors: RefCell<Vec<InputError>>,
    pub notes: RefCell<Vec<InputError>>,
    /// Addresses referenced while emitting one resource (for `depends_on`).
    pub collect: RefCell<Option<BTreeSet<String>>>,
    /// Where each policy-document data source instance is declared, for documents that include
    /// others (`source_policy_documents`).
    pub doc_sites: RefCell<HashMap<String, (Scope, FBlock)>>,
    pub doc_memo: RefCell<HashMap<String, Option<Node>>>,
    /// `.terraform/modules/modules.json`: module key → folder.
    pub installed: Option<HashMap<String, PathBuf>>,
    pub texts: RefCell<HashMap<FileId, std::sync::Arc<str>>>,
    /// Root module files parsed ahead on other cores, taken as the module is parsed.
    pub prepared: RefCell<std::collections::HashMap<PathBuf, super::parse::Prepared>>,
}

pub fn loc_of(file: FileId, e: &impl hcl_edit::Span) -> Loc {
    span_loc(file, e.span())
}

/// Errors are unknowns whose reason starts this way; `try` and `can` tell them from values that
/// are merely unknown until apply.
pub const ERR: &str = "cannot evaluate: ";

pub fn err(msg: impl std::fmt::Display, loc: Loc) -> Val {
    Val::unknown(format!("{ERR}{msg}"), loc)
}

/// Whether an error sits anywhere in the value: Terraform's `try` fails over on any of them.
pub fn contains_err(v: &Val, depth: usize) -> bool {
    if depth > 64 {
        return false;
    }
    match &v.kind {
        VK::List(items) => items.iter().any(|i| contains_err(i, depth + 1)),
        VK::Map(entries) => entries.iter().any(|(_, i)| contains_err(i, depth + 1)),
        VK::Encoded(inner) => contains_err(inner, depth + 1),
        VK::Tmpl(segs) => segs
            .iter()
            .any(|s| matches!(s, Seg::Unknown(w, _) if w.0.starts_with(ERR))),
        _ => is_err(v),
    }
}

pub fn is_err(v: &Val) -> bool {
    matches!(&v.kind, VK::Unknown(w) if w.0.starts_with(ERR))
}

impl<'a> Ev<'a> {
    pub fn new(db: &'a mut SourceDb, opts: &'a LoadOptions, root_dir: PathBuf) -> Ev<'a> {
        Ev {
            db: RefCell::new(db),
            opts,
            root_dir,
            sources: Default::default(),
            budget: Cell::new(BUDGET),
            errors: Default::default(),
            notes: Default::default(),
            collect: Default::default(),
            doc_sites: Default::default(),
            doc_memo: Default::default(),
            installed: None,
            texts: Default::default(),
            prepared: Default::default(),
        }
    }

    fn spend(&self) -> bool {
        let b = self.budget.get();
        if b == 0 {
            return false;
        }
        self.budget.set(b - 1);
        true
    }

    pub fn eval(&self, e: &Expression, cx: &Cx, depth: usize) -> Val {
        let loc = loc_of(cx.file, e);
        if depth > MAX_EXPR_DEPTH {
            return err("the expression is nested too deeply", loc);
        }
        if !self.spend() {
            return err("the evaluation limit was reached", loc);
        }
        let d = depth + 1;
        match e {
            Expression::Null(_) => Val::null(loc),
            Expression::Bool(b) => Val::new(VK::Bool(*b.value()), loc),
            Expression::Number(n) => match n.value().as_f64() {
                Some(f) => Val::new(VK::Num(f), loc),
                None => err("invalid number", loc),
            },
            Expression::String(s) => {
                let text = s.value().clone();
                let map = self.literal_map(cx.file, s.span(), &text, true, true);
                Val::new(VK::Str(Str { text, map }), loc)
            }
            Expression::Array(a) => Val::new(
                VK::List(a.iter().map(|x| self.eval(x, cx, d)).collect()),
                loc,
            ),
            Expression::Object(o) => {
                let mut entries = Vec::new();
                for (k, v) in o.iter() {
                    let kloc = loc_of(cx.file, k);
                    let text = match k {
                        ObjectKey::Ident(id) => id.as_str().to_string(),
                        ObjectKey::Expression(ke) => {
                            // `aws.x = ...` style keys (provider maps) are written as traversals.
                            let kv = match ke {
                                Expression::Variable(id) => Val::str(id.as_str(), kloc.clone()),
                                other => self.eval(other, cx, d),
                            };
                            match kv.to_text() {
                                Some(t) => t,
                                None => return Val::new(kv.kind, loc),
                            }
                        }
                    };
                    entries.push((
                        Key {
                            text: text.into(),
                            loc: kloc,
                        },
                        self.eval(v.expr(), cx, d),
                    ));
                }
                Val::new(VK::Map(entries), loc)
            }
            Expression::StringTemplate(t) => {
                let mut segs = Vec::new();
                self.template(t, cx, d, true, &mut segs);
                Val::from_segments(segs, loc)
            }
            Expression::HeredocTemplate(h) => {
                let mut segs = Vec::new();
                self.template(&h.template, cx, d, false, &mut segs);
                Val::from_segments(segs, loc)
            }
            Expression::Parenthesis(p) => self.eval(p.inner(), cx, d),
            Expression::Variable(v) => {
                let (val, _) = self.root(v.as_str(), &[], cx, d, &loc);
                val
            }
            Expression::Conditional(c) => {
                let cond = self.eval(&c.cond_expr, cx, d);
                match cond.to_bool() {
                    Some(true) => self.eval(&c.true_expr, cx, d),
                    Some(false) => self.eval(&c.false_expr, cx, d),
                    None if cond.is_unknownish() || is_err(&cond) => {
                        Val::new(VK::Unknown(cond.why()), loc)
                    }
                    None => err("the condition is not a boolean", loc),
                }
            }
            Expression::FuncCall(f) => {
                let name = f.name.name.as_str();
                let args: Vec<&Expression> = f.args.iter().collect();
                match name {
                    "try" => {
                        let mut last = err("no argument of try() evaluated", loc.clone());
                        for a in args {
                            let v = self.eval(a, cx, d);
                            if !contains_err(&v, 0) {
                                return v;
                            }
                            last = v;
                        }
                        last
                    }
                    "can" => {
                        let Some(a) = args.first() else {
                            return err("can() needs an argument", loc);
                        };
                        let v = self.eval(a, cx, d);
                        if contains_err(&v, 0) {
                            Val::new(VK::Bool(false), loc)
                        } else if v.is_unknownish() {
                            Val::new(VK::Unknown(v.why()), loc)
                        } else {
                            Val::new(VK::Bool(true), loc)
                        }
                    }
                    _ => {
                        let mut vals: Vec<Val> = args.iter().map(|a| self.eval(a, cx, d)).collect();
                        // `f(list...)` spreads the last argument.
                        if f.args.expand_final()
                            && let Some(last) = vals.pop()
                        {
                            match last.elements() {
                                Some(items) => vals.extend(items),
                                None => return Val::new(VK::Unknown(last.why()), loc),
                            }
                        }
                        super::functions::call(self, name, vals, loc, cx)
                    }
                }
            }
            Expression::Traversal(t) => {
                let (v, used) = match &t.expr {
                    Expression::Variable(name) => {
                        self.root(name.as_str(), &t.operators, cx, d, &loc)
                    }
                    other => (self.eval(other, cx, d), 0),
                };
                self.apply_ops(v, t.operators.get(used..).unwrap_or(&[]), cx, d, &loc)
            }
            Expression::UnaryOp(u) => {
                let v = self.eval(&u.expr, cx, d);
                match u.operator.value() {
                    UnaryOperator::Neg => match v.to_num() {
                        Some(n) => Val::new(VK::Num(-n), loc),
                        None => Val::new(VK::Unknown(v.why()), loc),
                    },
                    UnaryOperator::Not => match v.to_bool() {
                        Some(b) => Val::new(VK::Bool(!b), loc),
                        None => Val::new(VK::Unknown(v.why()), loc),
                    },
                }
            }
            Expression::BinaryOp(b) => self.binary(b, cx, d, loc),
            Expression::ForExpr(f) => self.for_expr(f, cx, d, loc),
        }
    }

    /// The byte map of a literal, when it was written in a file we know.
    pub fn literal_map(
        &self,
        file: FileId,
        span: Option<std::ops::Range<usize>>,
        decoded: &str,
        escapes: bool,
        quoted: bool,
    ) -> Option<TextMap> {
        let span = span?;
        let texts = self.texts.borrow();
        let text = texts.get(&file)?;
        let mut start = span.start;
        let mut end = span.end;
        if quoted && text.get(start..start + 1) == Some("\"") {
            start += 1;
            end = end.saturating_sub(1).max(start);
        }
        let raw = text.get(start..end)?;
        Some(TextMap {
            file,
            checkpoints: align(raw, start, decoded, escapes),
        })
    }

    pub fn template(&self, t: &Template, cx: &Cx, depth: usize, escapes: bool, out: &mut Vec<Seg>) {
        let elements: Vec<&Element> = t.iter().collect();
        for (i, el) in elements.iter().enumerate() {
            match el {
                Element::Literal(s) => {
                    let mut text: &str = s.value();
                    let strip_before = i.checked_sub(1).and_then(|j| elements.get(j)).is_some_and(
                        |p| matches!(p, Element::Interpolation(x) if x.strip.strip_end()),
                    );
                    let strip_after = elements.get(i + 1).is_some_and(
                        |n| matches!(n, Element::Interpolation(x) if x.strip.strip_start()),
                    );
                    if strip_before {
                        text = text.trim_start();
                    }
                    if strip_after {
                        text = text.trim_end();
                    }
                    let loc = span_loc(cx.file, s.span());
                    let map = self.literal_map(cx.file, s.span(), text, escapes, false);
                    out.push(Seg::Text(
                        Str {
                            text: text.to_string(),
                            map,
                        },
                        loc,
                    ));
                }
                Element::Interpolation(x) => {
                    let v = self.eval(&x.expr, cx, depth + 1);
                    match v.segments() {
                        Some(segs) => out.extend(segs),
                        None => out.push(Seg::Unknown(
                            Why::new(format!("{ERR}a list or object cannot be put into a string")),
                            v.loc.clone(),
                        )),
                    }
                }
                Element::Directive(dir) => match dir.as_ref() {
                    Directive::If(d) => {
                        let cond = self.eval(&d.if_expr.cond_expr, cx, depth + 1);
                        match cond.to_bool() {
                            Some(true) => {
                                self.template(&d.if_expr.template, cx, depth + 1, escapes, out)
                            }
                            Some(false) => {
                                if let Some(e) = &d.else_expr {
                                    self.template(&e.template, cx, depth + 1, escapes, out)
                                }
                            }
                            None => out.push(Seg::Unknown(cond.why(), cond.loc.clone())),
                        }
                    }
                    Directive::For(d) => {
                        let coll = self.eval(&d.for_expr.collection_expr, cx, depth + 1);
                        let Some(items) = iter_items(&coll) else {
                            out.push(Seg::Unknown(coll.why(), coll.loc.clone()));
                            continue;
                        };
                        for (k, v) in items {
                            let mut scope = cx.scope.with(d.for_expr.value_var.as_str(), v);
                            if let Some(kv) = &d.for_expr.key_var {
                                scope = scope.with(kv.as_str(), k);
                            }
                            let inner = Cx {
                                scope,
                                file: cx.file,
                            };
                            self.template(&d.for_expr.template, &inner, depth + 1, escapes, out);
                        }
                    }
                },
            }
        }
    }

    /// The value of a name at the root of a traversal, and how many operators it used.
    fn root(
        &self,
        name: &str,
        ops: &[hcl_edit::Decorated<TraversalOperator>],
        cx: &Cx,
        depth: usize,
        loc: &Loc,
    ) -> (Val, usize) {
        if let Some(v) = cx.scope.lookup(name) {
            return (v.clone(), 0);
        }
        if cx.scope.template {
            return (
                err(
                    format!("`{name}` is not a variable of this template"),
                    loc.clone(),
                ),
                ops.len(),
            );
        }
        let attr = |i: usize| match ops.get(i).map(|o| o.value()) {
            Some(TraversalOperator::GetAttr(id)) => Some(id.as_str()),
            _ => None,
        };
        let inst = &cx.scope.inst;
        match name {
            "var" => match attr(0) {
                Some(n) => (self.var(inst, n, loc), 1),
                None => (err("`var` needs a name", loc.clone()), ops.len()),
            },
            "local" => match attr(0) {
                Some(n) => (self.local(inst, n, loc), 1),
                None => (err("`local` needs a name", loc.clone()), ops.len()),
            },
            "path" => {
                let dir = match attr(0) {
                    Some("module") => inst.src.dir.clone(),
                    Some("root") | Some("cwd") => self.root_dir.clone(),
                    _ => return (err("unknown `path` attribute", loc.clone()), ops.len()),
                };
                (Val::str(dir.to_string_lossy(), loc.clone()), 1)
            }
            "terraform" => match attr(0) {
                Some("workspace") => (Val::str("default", loc.clone()), 1),
                _ => (
                    Val::unknown("this `terraform` attribute is not known", loc.clone()),
                    ops.len(),
                ),
            },
            "self" => match &cx.scope.self_addr {
                Some(a) => (Val::new(VK::Resource(a.to_string()), loc.clone()), 0),
                None => (err("`self` outside a resource", loc.clone()), ops.len()),
            },
            "count" | "each" => (
                err(format!("`{name}` is not set here"), loc.clone()),
                ops.len(),
            ),
            "data" => match (attr(0), attr(1)) {
                (Some(t), Some(n)) => (self.collection(inst, true, t, n, loc, depth), 2),
                _ => (
                    err("incomplete data source reference", loc.clone()),
                    ops.len(),
                ),
            },
            "module" => match attr(0) {
                Some(m) => {
                    // `module.x.out` on a single instance evaluates only that output.
                    let kids = self.children(inst, m);
                    if let Children::Insts(list) = kids.as_ref()
                        && list.len() == 1
                        && let Some(out) = attr(1)
                        && let Some((_, child)) = list.first()
                    {
                        return (self.output(child, out, loc), 2);
                    }
                    (self.module_value(&kids, loc), 1)
                }
                None => (err("incomplete module reference", loc.clone()), ops.len()),
            },
            _ => match attr(0) {
                Some(n)
                    if name.contains('_')
                        || inst.src.resources.iter().any(|r| r.label(0) == name) =>
                {
                    (self.collection(inst, false, name, n, loc, depth), 1)
                }
                _ => (
                    err(format!("unknown name `{name}`"), loc.clone()),
                    ops.len(),
                ),
            },
        }
    }

    pub fn apply_ops(
        &self,
        mut v: Val,
        ops: &[hcl_edit::Decorated<TraversalOperator>],
        cx: &Cx,
        depth: usize,
        loc: &Loc,
    ) -> Val {
        for (i, op) in ops.iter().enumerate() {
            match op.value() {
                TraversalOperator::GetAttr(id) => v = get_attr(v, id.as_str(), loc),
                TraversalOperator::Index(e) => {
                    let k = self.eval(e, cx, depth + 1);
                    v = index(v, &k, loc);
                }
                TraversalOperator::LegacyIndex(n) => {
                    let k = Val::new(VK::Num(*n.value() as f64), loc.clone());
                    v = index(v, &k, loc);
                }
                TraversalOperator::AttrSplat(_) | TraversalOperator::FullSplat(_) => {
                    let rest = ops.get(i + 1..).unwrap_or(&[]);
                    let vloc = v.loc.clone();
                    return match v.kind {
                        VK::List(items) => Val::new(
                            VK::List(
                                items
                                    .into_iter()
                                    .map(|it| self.apply_ops(it, rest, cx, depth + 1, loc))
                                    .collect(),
                            ),
                            vloc,
                        ),
                        VK::Null => Val::new(VK::List(Vec::new()), vloc),
                        VK::Instances(base) => {
                            let one = Val::new(VK::Resource(base), vloc.clone());
                            let one = self.apply_ops(one, rest, cx, depth + 1, loc);
                            Val::new(VK::List(vec![one]), vloc)
                        }
                        VK::Unknown(_) | VK::Ref(_) => Val::new(VK::Unknown(v.why()), vloc),
                        kind => {
                            let one = self.apply_ops(
                                Val::new(kind, vloc.clone()),
                                rest,
                                cx,
                                depth + 1,
                                loc,
                            );
                            Val::new(VK::List(vec![one]), vloc)
                        }
                    };
                }
            }
        }
        v
    }

    fn binary(&self, b: &hcl_edit::expr::BinaryOp, cx: &Cx, d: usize, loc: Loc) -> Val {
        let op = *b.operator.value();
        let l = self.eval(&b.lhs_expr, cx, d);
        // Short circuits decide without the other side.
        match (op, l.to_bool()) {
            (BinaryOperator::And, Some(false)) => return Val::new(VK::Bool(false), loc),
            (BinaryOperator::Or, Some(true)) => return Val::new(VK::Bool(true), loc),
            _ => {}
        }
        let r = self.eval(&b.rhs_expr, cx, d);
        let unknown = |l: &Val, r: &Val| {
            let w = if l.is_unknownish() || is_err(l) {
                l.why()
            } else {
                r.why()
            };
            Val::new(VK::Unknown(w), loc.clone())
        };
        match op {
            // Either side decides when it is known: `unknown && false` is false.
            BinaryOperator::And | BinaryOperator::Or => {
                let decisive = op == BinaryOperator::Or;
                match (l.to_bool(), r.to_bool()) {
                    (Some(_), Some(y)) => Val::new(VK::Bool(y), loc),
                    (_, Some(y)) if y == decisive => Val::new(VK::Bool(y), loc),
                    _ => unknown(&l, &r),
                }
            }
            BinaryOperator::Eq | BinaryOperator::NotEq => {
                let eq = match (equal_key(&l), equal_key(&r)) {
                    (Some(a), Some(b)) => a == b,
                    _ => {
                        // A reference is never null: `x.arn != null` is decided.
                        if l.is_null() != r.is_null() && (l.is_null() || r.is_null()) {
                            false
                        } else {
                            return unknown(&l, &r);
                        }
                    }
                };
                Val::new(
                    VK::Bool(if op == BinaryOperator::Eq { eq } else { !eq }),
                    loc,
                )
            }
            _ => match (l.to_num(), r.to_num()) {
                (Some(x), Some(y)) => {
                    let kind = match op {
                        BinaryOperator::Plus => VK::Num(x + y),
                        BinaryOperator::Minus => VK::Num(x - y),
                        BinaryOperator::Mul => VK::Num(x * y),
                        BinaryOperator::Div if y != 0.0 => VK::Num(x / y),
                        BinaryOperator::Mod if y != 0.0 => VK::Num(x % y),
                        BinaryOperator::Less => VK::Bool(x < y),
                        BinaryOperator::LessEq => VK::Bool(x <= y),
                        BinaryOperator::Greater => VK::Bool(x > y),
                        BinaryOperator::GreaterEq => VK::Bool(x >= y),
                        _ => return err("division by zero", loc),
                    };
                    Val::new(kind, loc)
                }
                _ => unknown(&l, &r),
            },
        }
    }

    fn for_expr(&self, f: &hcl_edit::expr::ForExpr, cx: &Cx, d: usize, loc: Loc) -> Val {
        let coll = self.eval(&f.intro.collection_expr, cx, d);
        let Some(items) = iter_items(&coll) else {
            return Val::new(VK::Unknown(coll.why()), loc);
        };
        let mut list = Vec::new();
        let mut map: Vec<(Key, Val)> = Vec::new();
        for (k, v) in items {
            let mut scope = cx.scope.with(f.intro.value_var.as_str(), v);
            if let Some(kv) = &f.intro.key_var {
                scope = scope.with(kv.as_str(), k);
            }
            let inner = Cx {
                scope,
                file: cx.file,
            };
            if let Some(c) = &f.cond {
                let cv = self.eval(&c.expr, &inner, d);
                match cv.to_bool() {
                    Some(true) => {}
                    Some(false) => continue,
                    None => return Val::new(VK::Unknown(cv.why()), loc),
                }
            }
            let value = self.eval(&f.value_expr, &inner, d);
            match &f.key_expr {
                None => list.push(value),
                Some(ke) => {
                    let kv = self.eval(ke, &inner, d);
                    let Some(text) = kv.to_text() else {
                        return Val::new(VK::Unknown(kv.why()), loc);
                    };
                    let key = Key {
                        text: text.into(),
                        loc: kv.loc.clone(),
                    };
                    if f.grouping {
                        match map.iter_mut().find(|(k, _)| k.text == key.text) {
                            Some((
                                _,
                                Val {
                                    kind: VK::List(g), ..
                                },
                            )) => g.push(value),
                            _ => {
                                let vloc = value.loc.clone();
                                map.push((key, Val::new(VK::List(vec![value]), vloc)))
                            }
                        }
                    } else {
                        map.retain(|(k, _)| k.text != key.text);
                        map.push((key, value));
                    }
                }
            }
        }
        if f.key_expr.is_some() {
            Val::new(VK::Map(map), loc)
        } else {
            Val::new(VK::List(list), loc)
        }
    }

    /// `var.name` in a module instance.
    pub fn var(&self, inst: &Rc<Inst>, name: &str, loc: &Loc) -> Val {
        let key = format!("var.{name}");
        if let Some(v) = memo_get(&inst.vars, name, loc) {
            self.replay(inst, &key);
            return v;
        }
        let (v, refs) = self.collecting(|| self.var_value(inst, name, loc));
        self.remember(inst, key, refs);
        inst.vars
            .borrow_mut()
            .insert(name.to_string(), Slot::Done(v.clone()));
        v
    }

    fn var_value(&self, inst: &Rc<Inst>, name: &str, loc: &Loc) -> Val {
        let decl = inst
            .src
            .variables
            .iter()
            .find(|b| b.label(0) == name)
            .cloned();
        let given = inst.inputs.borrow().get(name).cloned();
        let v = match (decl, given) {
            (None, Some(v)) => v,
            (None, None) => err(format!("variable `{name}` is not declared"), loc.clone()),
            (Some(fb), given) => {
                let raw = match (given, fb.block.body.get_attribute("default")) {
                    (Some(v), _) => v,
                    (None, Some(a)) => {
                        let cx = Cx {
                            scope: Scope::new(inst.clone()),
                            file: fb.file,
                        };
                        self.eval(&a.value, &cx, 0)
                    }
                    (None, None) => {
                        let hint = if inst.prefix.is_empty() {
                            format!("pass --var {name}=... or a tfvars file")
                        } else {
                            format!("the module call does not set `{name}`")
                        };
                        Val::unknown(
                            format!("variable `{name}` has no value; {hint}"),
                            loc.clone(),
                        )
                    }
                };
                match fb.block.body.get_attribute("type") {
                    Some(t) => self.convert(raw, &t.value, inst, fb.file, 0),
                    None => raw,
                }
            }
        };
        // Inputs were evaluated in the caller when the module was instantiated.
        self.replay(inst, &format!("var.{name}"));
        v
    }

    /// Runs `f` collecting the resource addresses it references; they also count for the
    /// collection around it, if any.
    pub fn collecting<T>(&self, f: impl FnOnce() -> T) -> (T, BTreeSet<String>) {
        let outer = self.collect.borrow_mut().replace(BTreeSet::new());
        let v = f();
        let inner = std::mem::replace(&mut *self.collect.borrow_mut(), outer).unwrap_or_default();
        if let Some(o) = self.collect.borrow_mut().as_mut() {
            o.extend(inner.iter().cloned());
        }
        (v, inner)
    }

    pub fn remember(&self, inst: &Rc<Inst>, key: String, refs: BTreeSet<String>) {
        inst.deps.borrow_mut().entry(key).or_default().extend(refs);
    }

    fn replay(&self, inst: &Rc<Inst>, key: &str) {
        let refs = inst.deps.borrow().get(key).cloned();
        if let (Some(refs), Some(set)) = (refs, self.collect.borrow_mut().as_mut()) {
            set.extend(refs);
        }
    }

    pub fn local(&self, inst: &Rc<Inst>, name: &str, loc: &Loc) -> Val {
        let key = format!("local.{name}");
        if let Some(v) = memo_get(&inst.locals, name, loc) {
            self.replay(inst, &key);
            return v;
        }
        let (v, refs) = self.collecting(|| self.local_value(inst, name, loc));
        self.remember(inst, key, refs);
        inst.locals
            .borrow_mut()
            .insert(name.to_string(), Slot::Done(v.clone()));
        v
    }

    fn local_value(&self, inst: &Rc<Inst>, name: &str, loc: &Loc) -> Val {
        let decl = inst
            .src
            .locals
            .iter()
            .find(|(_, a)| a.key.as_str() == name)
            .cloned();
        match decl {
            None => err(format!("local `{name}` is not declared"), loc.clone()),
            Some((file, a)) => {
                let cx = Cx {
                    scope: Scope::new(inst.clone()),
                    file,
                };
                self.eval(&a.value, &cx, 0)
            }
        }
    }

    /// Registers source text so that literal maps can be computed.
    pub fn register_texts(&self, src: &ModuleSource) {
        let mut t = self.texts.borrow_mut();
        for (f, text) in &src.texts {
            t.insert(*f, text.clone());
        }
    }

    pub fn note(&self, file: FileId, loc: Loc, message: String) {
        let mut notes = self.notes.borrow_mut();
        if !notes.iter().any(|n| n.message == message) {
            notes.push(InputError {
                loc,
                file,
                message,
                warning: true,
            });
        }
    }

    pub fn note_unless(&self, skip: bool, file: FileId, loc: Loc, message: String) {
        if !skip {
            self.note(file, loc, message);
        }
    }

    pub fn record_ref(&self, address: &str) {
        if let Some(set) = self.collect.borrow_mut().as_mut() {
            set.insert(address.to_string());
        }
    }
}

/// Looks up a memo slot, marking it busy when absent; a busy slot is a cycle.
pub fn memo_get(cell: &RefCell<HashMap<String, Slot>>, name: &str, loc: &Loc) -> Option<Val> {
    let mut m = cell.borrow_mut();
    match m.get(name) {
        Some(Slot::Done(v)) => Some(v.clone()),
        Some(Slot::Busy) => Some(err(format!("`{name}` refers to itself"), loc.clone())),
        None => {
            m.insert(name.to_string(), Slot::Busy);
            None
        }
    }
}

/// (key, value) pairs of a collection in Terraform's iteration order.
pub fn iter_items(v: &Val) -> Option<Vec<(Val, Val)>> {
    match &v.kind {
        VK::List(items) => Some(
            items
                .iter()
                .enumerate()
                .map(|(i, x)| (Val::new(VK::Num(i as f64), x.loc.clone()), x.clone()))
                .collect(),
        ),
        VK::Map(_) => Some(
            v.sorted_entries()?
                .into_iter()
                .map(|(k, x)| (Val::str(k.text.to_string(), k.loc.clone()), x))
                .collect(),
        ),
        VK::Null => Some(Vec::new()),
        _ => None,
    }
}

/// A comparable rendering of a fully known value.
fn equal_key(v: &Val) -> Option<String> {
    encode_json(v)
}

pub fn get_attr(v: Val, name: &str, loc: &Loc) -> Val {
    match v.kind {
        VK::Map(entries) => match entries.into_iter().find(|(k, _)| &*k.text == name) {
            Some((_, x)) => x,
            None => err(format!("no attribute `{name}`"), loc.clone()),
        },
        VK::Resource(addr) => Val::new(VK::Ref(Reference::new(addr, name)), loc.clone()),
        VK::Ref(r) => {
            let attr = if r.attr.is_empty() {
                name.to_string()
            } else {
                format!("{}.{name}", r.attr)
            };
            Val::new(VK::Ref(Reference::new(r.target, attr)), loc.clone())
        }
        VK::Unknown(w) => Val::new(VK::Unknown(w), loc.clone()),
        // Unknown instances are emitted as one instance without a key (see `index`).
        VK::Instances(a) => Val::new(VK::Ref(Reference::new(a, name)), loc.clone()),
        VK::Null => err(format!("attribute `{name}` of null"), loc.clone()),
        _ => err(format!("no attribute `{name}`"), loc.clone()),
    }
}

pub fn index(v: Val, k: &Val, loc: &Loc) -> Val {
    if k.is_unknownish() || is_err(k) {
        return Val::new(VK::Unknown(k.why()), loc.clone());
    }
    match v.kind {
        VK::List(items) => {
            let i = k.to_num().filter(|n| *n >= 0.0).map(|n| n as usize);
            match i.and_then(|i| items.into_iter().nth(i)) {
                Some(x) => x,
                None => err("index out of range", loc.clone()),
            }
        }
        VK::Map(entries) => {
            let key = k.to_text().unwrap_or_default();
            match entries.into_iter().find(|(e, _)| *e.text == *key) {
                Some((_, x)) => x,
                None => err(format!("no key `{key}`"), loc.clone()),
            }
        }
        // Instances not known before apply are emitted as one instance without a key (see
        // `resources::instances`), so every key names that one.
        VK::Instances(base) => Val::new(VK::Resource(base), loc.clone()),
        VK::Ref(r) => {
            let suffix = match &k.kind {
                VK::Num(n) => format!("[{}]", super::value::fmt_num(*n)),
                _ => format!("[{:?}]", k.to_text().unwrap_or_default()),
            };
            Val::new(
                VK::Ref(Reference::new(r.target, format!("{}{suffix}", r.attr))),
                loc.clone(),
            )
        }
        VK::Unknown(w) => Val::new(VK::Unknown(w), loc.clone()),
        _ => err("this value cannot be indexed", loc.clone()),
    }
}

/// `base[0]` / `base["key"]`.
pub fn instance_address(base: &str, k: &Val) -> String {
    match &k.kind {
        VK::Num(n) => format!("{base}[{}]", super::value::fmt_num(*n)),
        _ => format!(
            "{base}[{}]",
            serde_json::to_string(&k.to_text().unwrap_or_default()).unwrap_or_default()
        ),
    }
}
