//! Module instances: resource and data collections, module calls, outputs.

use std::path::{Path, PathBuf};
use std::rc::Rc;

use crate::source::Loc;
use crate::syntax::{Key, Reference, Why};

use super::eval::{
    Children, Cx, Ev, Inst, MAX_INSTANCES, Scope, Slot, err, instance_address, iter_items, memo_get,
};
use super::parse::{FBlock, ModuleSource, parse_file};
use super::providers;
use super::value::{VK, Val};

/// Module calls nested deeper than this are not followed (a module calling itself ends here).
const MAX_MODULE_DEPTH: usize = 12;

/// One instance of a `count` / `for_each` block.
pub struct Instance {
    pub key: Option<Val>,
    pub vars: Vec<(String, Val)>,
}

fn map_val(entries: Vec<(&str, Val)>, loc: &Loc) -> Val {
    Val::new(
        VK::Map(
            entries
                .into_iter()
                .map(|(k, v)| {
                    (
                        Key {
                            text: k.into(),
                            loc: loc.clone(),
                        },
                        v,
                    )
                })
                .collect(),
        ),
        loc.clone(),
    )
}

impl Ev<'_> {
    /// The instances a block declares with `count` or `for_each`; `Err` when they are unknown.
    pub fn expand(&self, fb: &FBlock, scope: &Scope) -> Result<Vec<Instance>, Why> {
        let body = &fb.block.body;
        let cx = Cx {
            scope: scope.clone(),
            file: fb.file,
        };
        if let Some(a) = body.get_attribute("count") {
            let v = self.eval(&a.value, &cx, 0);
            let Some(n) = v.to_num() else {
                return Err(v.why());
            };
            let n = (n.max(0.0) as usize).min(MAX_INSTANCES);
            return Ok((0..n)
                .map(|i| {
                    let k = Val::new(VK::Num(i as f64), v.loc.clone());
                    Instance {
                        key: Some(k.clone()),
                        vars: vec![("count".into(), map_val(vec![("index", k)], &v.loc))],
                    }
                })
                .collect());
        }
        if let Some(a) = body.get_attribute("for_each") {
            let v = self.eval(&a.value, &cx, 0);
            let items: Vec<(Val, Val)> = match &v.kind {
                VK::Map(_) => iter_items(&v).unwrap_or_default(),
                VK::List(items) => {
                    let mut keyed = Vec::new();
                    for it in items {
                        let Some(t) = it.to_text() else {
                            return Err(it.why());
                        };
                        keyed.push((Val::str(t, it.loc.clone()), it.clone()));
                    }
                    keyed.sort_by(|a, b| a.0.as_str().cmp(&b.0.as_str()));
                    keyed.dedup_by(|a, b| a.0.as_str() == b.0.as_str());
                    keyed
                }
                VK::Null => Vec::new(),
                _ => return Err(v.why()),
            };
            return Ok(items
                .into_iter()
                .take(MAX_INSTANCES)
                .map(|(k, x)| Instance {
                    key: Some(k.clone()),
                    vars: vec![(
                        "each".into(),
                        map_val(vec![("key", k), ("value", x)], &v.loc),
                    )],
                })
                .collect());
        }
        Ok(vec![Instance {
            key: None,
            vars: Vec::new(),
        }])
    }

    /// `type.name` / `data.type.name` in a module instance: a resource, or its instances.
    pub fn collection(
        &self,
        inst: &Rc<Inst>,
        data: bool,
        ty: &str,
        name: &str,
        loc: &Loc,
        _depth: usize,
    ) -> Val {
        let base = format!(
            "{}{}{ty}.{name}",
            inst.prefix,
            if data { "data." } else { "" }
        );
        self.record_ref(&base);
        if let Some(v) = memo_get(&inst.colls, &base, loc) {
            return v;
        }
        let list = if data {
            &inst.src.data
        } else {
            &inst.src.resources
        };
        let decl = list
            .iter()
            .find(|b| b.label(0) == ty && b.label(1) == name)
            .cloned();
        let v = match decl {
            // Not declared here: still a reference, which the graph reports as not in the input.
            None => Val::new(VK::Resource(base.clone()), loc.clone()),
            Some(fb) => {
                let scope = Scope::new(inst.clone());
                // What decides the instances of a referenced resource is not a dependency of
                // the resource that refers to it.
                let outer = self.collect.borrow_mut().take();
                let expanded = self.expand(&fb, &scope);
                *self.collect.borrow_mut() = outer;
                match expanded {
                    Err(_) => Val::new(VK::Instances(base.clone()), loc.clone()),
                    Ok(instances) => {
                        let one = |i: &Instance, addr: String| -> Val {
                            if data {
                                let mut s = scope.clone();
                                for (n, v) in &i.vars {
                                    s = s.with(n, v.clone());
                                }
                                self.data_value(&fb, &s, addr, loc)
                            } else {
                                Val::new(VK::Resource(addr), loc.clone())
                            }
                        };
                        match instances.first() {
                            Some(first) if first.key.is_none() => one(first, base.clone()),
                            _ => {
                                let counted = fb.block.body.has_attribute("count");
                                let mut items = Vec::new();
                                let mut entries = Vec::new();
                                for i in &instances {
                                    let Some(k) = &i.key else { continue };
                                    let v = one(i, instance_address(&base, k));
                                    if counted {
                                        items.push(v);
                                    } else {
                                        entries.push((
                                            Key {
                                                text: k.to_text().unwrap_or_default().into(),
                                                loc: k.loc.clone(),
                                            },
                                            v,
                                        ));
                                    }
                                }
                                if counted {
                                    Val::new(VK::List(items), loc.clone())
                                } else {
                                    Val::new(VK::Map(entries), loc.clone())
                                }
                            }
                        }
                    }
                }
            }
        };
        inst.colls.borrow_mut().insert(base, Slot::Done(v.clone()));
        v
    }

    /// Data sources whose attributes are known from the configuration itself.
    fn data_value(&self, fb: &FBlock, scope: &Scope, addr: String, loc: &Loc) -> Val {
        let ty = fb.label(0);
        let provider = || providers::provider_for(self, scope, fb);
        match ty {
            "aws_caller_identity" => {
                let p = provider();
                let account = p.account.clone();
                map_val(
                    vec![
                        ("account_id", account.clone()),
                        ("id", account),
                        (
                            "arn",
                            Val::unknown("the caller ARN is read at plan time", loc.clone()),
                        ),
                        (
                            "user_id",
                            Val::unknown("the caller id is read at plan time", loc.clone()),
                        ),
                    ],
                    loc,
                )
            }
            "aws_partition" => {
                let p = provider();
                let part = providers::partition_of(&p.region);
                let dns = match part.as_str() {
                    Some("aws-cn") => Val::str("amazonaws.com.cn", loc.clone()),
                    Some(_) => Val::str("amazonaws.com", loc.clone()),
                    None => Val::new(VK::Unknown(part.why()), loc.clone()),
                };
                map_val(
                    vec![
                        ("partition", part.clone()),
                        ("id", part),
                        ("dns_suffix", dns),
                    ],
                    loc,
                )
            }
            "aws_region" => {
                let p = provider();
                let region = match fb
                    .block
                    .body
                    .get_attribute("region")
                    .or(fb.block.body.get_attribute("name"))
                {
                    Some(a) => self.eval(
                        &a.value,
                        &Cx {
                            scope: scope.clone(),
                            file: fb.file,
                        },
                        0,
                    ),
                    None => p.region.clone(),
                };
                map_val(
                    vec![
                        ("name", region.clone()),
                        ("region", region.clone()),
                        ("id", region),
                    ],
                    loc,
                )
            }
            "aws_iam_policy_document" => {
                self.doc_sites
                    .borrow_mut()
                    .insert(addr.clone(), (scope.clone(), fb.clone()));
                let json = Val::new(VK::Ref(Reference::new(addr.as_str(), "json")), loc.clone());
                map_val(
                    vec![
                        ("json", json.clone()),
                        ("minified_json", json),
                        ("id", Val::unknown("computed at plan time", loc.clone())),
                    ],
                    loc,
                )
            }
            _ => Val::new(VK::Resource(addr), loc.clone()),
        }
    }

    /// The instances of module call `name` in `inst` (instantiated once).
    pub fn children(&self, inst: &Rc<Inst>, name: &str) -> Rc<Children> {
        {
            let kids = inst.children.borrow();
            match kids.get(name) {
                Some(Some(c)) => return c.clone(),
                Some(None) => {
                    return Rc::new(Children::Missing(Why::new(format!(
                        "module `{name}` depends on itself"
                    ))));
                }
                None => {}
            }
        }
        inst.children.borrow_mut().insert(name.to_string(), None);
        let c = Rc::new(self.instantiate(inst, name));
        inst.children
            .borrow_mut()
            .insert(name.to_string(), Some(c.clone()));
        c
    }

    fn instantiate(&self, inst: &Rc<Inst>, name: &str) -> Children {
        let Some(fb) = inst
            .src
            .modules
            .iter()
            .find(|b| b.label(0) == name)
            .cloned()
        else {
            return Children::Missing(Why::new(format!("module `{name}` is not declared")));
        };
        if inst.depth >= MAX_MODULE_DEPTH {
            return Children::Missing(Why::new(format!(
                "module `{name}` is nested more than {MAX_MODULE_DEPTH} levels deep; not followed"
            )));
        }
        let scope = Scope::new(inst.clone());
        let cx = Cx {
            scope: scope.clone(),
            file: fb.file,
        };
        let source = fb
            .block
            .body
            .get_attribute("source")
            .map(|a| self.eval(&a.value, &cx, 0))
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default();
        let key = if inst.key.is_empty() {
            name.to_string()
        } else {
            format!("{}.{name}", inst.key)
        };
        let dir = if source.starts_with("./") || source.starts_with("../") {
            Some(inst.src.dir.join(&source))
        } else {
            self.installed
                .as_ref()
                .and_then(|m| m.get(&key))
                .map(|d| self.root_dir.join(d))
        };
        let header = fb.header();
        let Some(dir) = dir else {
            let why = format!(
                "module `{}{name}` (source `{source}`) is not installed; run `terraform init` so \
                 that repl-lint can read it",
                inst.prefix
            );
            self.note(fb.file, header, why.clone());
            return Children::Missing(Why::new(why));
        };
        let src = match self.module_source(&dir) {
            Ok(s) if s.broken => {
                return Children::Missing(Why::new(format!(
                    "module `{}{name}` has files that do not parse",
                    inst.prefix
                )));
            }
            Ok(s) => s,
            Err(why) => {
                self.note(fb.file, header, why.clone());
                return Children::Missing(Why::new(why));
            }
        };
        let instances = match self.expand(&fb, &scope) {
            Ok(i) => i,
            Err(why) => {
                return Children::Missing(Why::new(format!(
                    "the instances of module `{name}` are not known: {why}"
                )));
            }
        };
        let mut out = Vec::new();
        for i in instances {
            let prefix = match &i.key {
                None => format!("{}module.{name}.", inst.prefix),
                Some(k) => format!(
                    "{}.",
                    instance_address(&format!("{}module.{name}", inst.prefix), k)
                ),
            };
            let child = Rc::new(Inst::new(prefix, key.clone(), src.clone(), inst.depth + 1));
            let mut s = scope.clone();
            for (n, v) in &i.vars {
                s = s.with(n, v.clone());
            }
            let icx = Cx {
                scope: s,
                file: fb.file,
            };
            for a in fb.block.body.attributes() {
                let k = a.key.as_str();
                if matches!(
                    k,
                    "source" | "version" | "count" | "for_each" | "providers" | "depends_on"
                ) {
                    continue;
                }
                let (v, refs) = self.collecting(|| self.eval(&a.value, &icx, 0));
                self.remember(&child, format!("var.{k}"), refs);
                child.inputs.borrow_mut().insert(k.to_string(), v);
            }
            providers::child_providers(self, inst, &child, &fb);
            out.push((i.key, child));
        }
        Children::Insts(out)
    }

    /// Parses a module folder once.
    pub fn module_source(&self, dir: &Path) -> Result<Rc<ModuleSource>, String> {
        let canon = dir
            .canonicalize()
            .map_err(|e| format!("module folder {} cannot be read: {e}", dir.display()))?;
        if let Some(s) = self.sources.borrow().get(&canon) {
            return Ok(s.clone());
        }
        // Keep the folder as written (relative paths stay readable in reports), without the
        // `x/..` detours a `source = "../../"` adds.
        let shown = lexically_normal(dir);
        let mut files: Vec<PathBuf> = std::fs::read_dir(&shown)
            .map_err(|e| format!("module folder {} cannot be read: {e}", dir.display()))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "tf") && p.is_file())
            .collect();
        files.sort();
        let src = self.parse_module(&shown, &files);
        self.sources.borrow_mut().insert(canon, src.clone());
        Ok(src)
    }

    pub fn parse_module(&self, dir: &Path, files: &[PathBuf]) -> Rc<ModuleSource> {
        let mut src = ModuleSource {
            dir: dir.to_path_buf(),
            ..Default::default()
        };
        for f in files {
            if f.extension().is_none_or(|x| x != "tf") {
                continue;
            }
            let mut errors = Vec::new();
            let prepared = self.prepared.borrow_mut().remove(f);
            let parsed = parse_file(f, &mut self.db.borrow_mut(), &mut errors, prepared);
            self.errors.borrow_mut().extend(errors);
            match parsed {
                Some(p) => src.add(p),
                None => src.broken = true,
            }
        }
        self.register_texts(&src);
        Rc::new(src)
    }

    pub fn output(&self, inst: &Rc<Inst>, name: &str, loc: &Loc) -> Val {
        let key = format!("output.{name}");
        if let Some(v) = memo_get(&inst.outputs, name, loc) {
            let refs = inst.deps.borrow().get(&key).cloned().unwrap_or_default();
            if let Some(set) = self.collect.borrow_mut().as_mut() {
                set.extend(refs);
            }
            return v;
        }
        let (v, refs) = self.collecting(|| self.output_value(inst, name, loc));
        self.remember(inst, key, refs);
        inst.outputs
            .borrow_mut()
            .insert(name.to_string(), Slot::Done(v.clone()));
        v
    }

    fn output_value(&self, inst: &Rc<Inst>, name: &str, loc: &Loc) -> Val {
        let decl = inst
            .src
            .outputs
            .iter()
            .find(|b| b.label(0) == name)
            .cloned();
        match decl
            .as_ref()
            .and_then(|fb| fb.block.body.get_attribute("value").map(|a| (fb, a)))
        {
            Some((fb, a)) => self.eval(
                &a.value,
                &Cx {
                    scope: Scope::new(inst.clone()),
                    file: fb.file,
                },
                0,
            ),
            None => err(
                format!("module output `{name}` is not declared"),
                loc.clone(),
            ),
        }
    }

    fn outputs(&self, inst: &Rc<Inst>, loc: &Loc) -> Val {
        let names: Vec<String> = inst
            .src
            .outputs
            .iter()
            .map(|b| b.label(0).to_string())
            .collect();
        map_val(
            names
                .iter()
                .map(|n| (n.as_str(), self.output(inst, n, loc)))
                .collect(),
            loc,
        )
    }

    /// `module.x` as a value: its outputs (a list or map of them for count / for_each).
    pub fn module_value(&self, kids: &Children, loc: &Loc) -> Val {
        match kids {
            Children::Missing(why) => Val::new(VK::Unknown(why.clone()), loc.clone()),
            Children::Insts(list) => match list.first() {
                Some((None, child)) => self.outputs(child, loc),
                _ => {
                    let counted = list.first().is_some_and(|(k, _)| {
                        matches!(k.as_ref().map(|k| &k.kind), Some(VK::Num(_)))
                    });
                    if counted {
                        Val::new(
                            VK::List(list.iter().map(|(_, c)| self.outputs(c, loc)).collect()),
                            loc.clone(),
                        )
                    } else {
                        Val::new(
                            VK::Map(
                                list.iter()
                                    .map(|(k, c)| {
                                        (
                                            Key {
                                                text: k
                                                    .as_ref()
                                                    .and_then(Val::to_text)
                                                    .unwrap_or_default()
                                                    .into(),
                                                loc: loc.clone(),
                                            },
                                            self.outputs(c, loc),
                                        )
                                    })
                                    .collect(),
                            ),
                            loc.clone(),
                        )
                    }
                }
            },
        }
    }

    /// Every module instance below `root`, root first.
    pub fn all_instances(&self, root: &Rc<Inst>) -> Vec<Rc<Inst>> {
        let mut out = vec![root.clone()];
        let mut i = 0;
        while let Some(inst) = out.get(i).cloned() {
            i += 1;
            let names: Vec<String> = inst
                .src
                .modules
                .iter()
                .map(|b| b.label(0).to_string())
                .collect();
            for n in names {
                if let Children::Insts(list) = self.children(&inst, &n).as_ref() {
                    out.extend(list.iter().map(|(_, c)| c.clone()));
                }
            }
        }
        out
    }
}

/// Reads `.terraform/modules/modules.json` (written by `terraform init`): module key → folder.
pub fn read_installed(root: &Path) -> Option<std::collections::HashMap<String, PathBuf>> {
    let text = std::fs::read_to_string(root.join(".terraform/modules/modules.json")).ok()?;
    let json: serde_json::Value = serde_json::from_str(&text).ok()?;
    let mut map = std::collections::HashMap::new();
    for m in json.get("Modules")?.as_array()? {
        let (Some(k), Some(d)) = (
            m.get("Key").and_then(|k| k.as_str()),
            m.get("Dir").and_then(|d| d.as_str()),
        ) else {
            continue;
        };
        if !k.is_empty() {
            map.insert(k.to_string(), PathBuf::from(d));
        }
    }
    Some(map)
}

/// `a/b/../c` as `a/c`, without asking the file system (a symlinked `b` is rare in a module
/// tree, and the file system was asked already: the folder exists).
fn lexically_normal(path: &Path) -> PathBuf {
    use std::path::Component;
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            Component::ParentDir
                if matches!(out.components().next_back(), Some(Component::Normal(_))) =>
            {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    if out.as_os_str().is_empty() {
        out.push(".");
    }
    out
}
