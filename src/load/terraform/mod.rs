//! Terraform sources (.tf): the same model as from a plan, with spans into the .tf files.
//!
//! A root module is parsed with hcl-edit (spans everywhere) and evaluated in a sandbox by our own
//! evaluator ([`eval`]): variables, locals, functions, count / for_each, dynamic blocks and local
//! or installed modules. Attributes AWS computes (ARNs, ids) evaluate to references that the graph
//! resolves; inputs that are not given evaluate to unknowns that say how to give them.
//!
//! Heredoc policies: a heredoc (or any string) whose interpolations are all known becomes
//! `PolicyContent::Json` with a byte map into the .tf file. When an interpolation stays a
//! reference or unknown (`"${aws_s3_bucket.dst.arn}/*"`), the JSON is parsed here with each such
//! interpolation as a hole, giving a `PolicyContent::Parsed` node whose strings are templates with
//! `Part::Ref` parts; node spans are exact outside the holes and cover the `${...}` for them.

mod body;
mod eval;
mod functions;
mod hcl;
mod json;
mod modules;
mod parse;
mod policy_document;
mod providers;
mod resources;
mod types;
mod unclosed;
mod value;

use std::cell::RefCell;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::rc::Rc;

use crate::model::{InputError, Model};
use crate::source::{Loc, SourceDb};

use super::LoadOptions;
use eval::{Cx, Ev, Inst, Scope};
use value::Val;

pub use parse::{Prepared, prepare};

/// Loads one root module (a folder of .tf files) and every module it calls. `prepared` holds
/// root module files already parsed ([`parse::prepare`]).
pub fn load_module(
    dir: &Path,
    files: &[PathBuf],
    prepared: HashMap<PathBuf, parse::Prepared>,
    options: &LoadOptions,
    db: &mut SourceDb,
    model: &mut Model,
) {
    let mut out = Model::default();
    let (errors, notes) = {
        let mut ev = Ev::new(db, options, dir.to_path_buf());
        ev.prepared = RefCell::new(prepared);
        ev.installed = modules::read_installed(dir);
        let tf: Vec<PathBuf> = files
            .iter()
            .filter(|f| f.extension().is_some_and(|x| x == "tf"))
            .cloned()
            .collect();
        let src = ev.parse_module(dir, &tf);
        if let Ok(canon) = dir.canonicalize() {
            ev.sources.borrow_mut().insert(canon, src.clone());
        }
        if !src.broken {
            let root = Rc::new(Inst::new(String::new(), String::new(), src, 0));
            root_inputs(&ev, &root, dir);
            providers::root_providers(&ev, &root);
            for inst in ev.all_instances(&root) {
                resources::emit(&ev, &inst, &mut out);
            }
        }
        (ev.errors.into_inner(), ev.notes.into_inner())
    };
    if files
        .iter()
        .any(|f| f.to_string_lossy().ends_with(".tf.json"))
    {
        let file = db.add(dir, "");
        out.notes.push(InputError {
            loc: Loc::None,
            file,
            message: format!(
                "{}: .tf.json files are not read yet; only .tf files were analyzed",
                dir.display()
            ),
            warning: true,
        });
    }
    out.input_errors.extend(errors);
    out.notes.extend(notes);
    model.merge(out);
}

/// Root variables, in Terraform's order of precedence (later wins): `TF_VAR_*`,
/// `terraform.tfvars[.json]`, `*.auto.tfvars[.json]` (by name), `--var-file`, `--var`.
fn root_inputs(ev: &Ev, root: &Rc<Inst>, dir: &Path) {
    let mut env: Vec<(String, String)> = std::env::vars()
        .filter_map(|(k, v)| Some((k.strip_prefix("TF_VAR_")?.to_string(), v)))
        .collect();
    env.sort();
    for (k, v) in env {
        let val = raw_var(ev, root, &k, &v);
        root.inputs.borrow_mut().insert(k, val);
    }
    // terraform.tfvars, terraform.tfvars.json, then the auto files by name.
    let mut files = vec![
        dir.join("terraform.tfvars"),
        dir.join("terraform.tfvars.json"),
    ];
    let mut auto: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| {
                    let n = p.to_string_lossy();
                    n.ends_with(".auto.tfvars") || n.ends_with(".auto.tfvars.json")
                })
                .collect()
        })
        .unwrap_or_default();
    auto.sort();
    files.extend(auto);
    for f in files {
        if f.is_file() {
            tfvars(ev, root, &f);
        }
    }
    for f in &ev.opts.var_files {
        tfvars(ev, root, f);
    }
    for (k, v) in &ev.opts.vars {
        let val = raw_var(ev, root, k, v);
        root.inputs.borrow_mut().insert(k.clone(), val);
    }
}

fn tfvars(ev: &Ev, root: &Rc<Inst>, path: &Path) {
    if path.to_string_lossy().ends_with(".json") {
        return tfvars_json(ev, root, path);
    }
    let mut errors = Vec::new();
    let parsed = parse::parse_file(path, &mut ev.db.borrow_mut(), &mut errors, None);
    ev.errors.borrow_mut().extend(errors);
    let Some(p) = parsed else { return };
    ev.texts.borrow_mut().insert(p.file, p.text.clone());
    let cx = Cx {
        scope: Scope::new(root.clone()),
        file: p.file,
    };
    for a in p.body.attributes() {
        let v = ev.eval(&a.value, &cx, 0);
        root.inputs
            .borrow_mut()
            .insert(a.key.as_str().to_string(), v);
    }
}

fn tfvars_json(ev: &Ev, root: &Rc<Inst>, path: &Path) {
    let text = match super::text::read_input(path).and_then(|b| super::text::decode(&b)) {
        Ok(t) => t,
        Err(message) => {
            let file = ev.db.borrow_mut().add(path, "");
            ev.errors.borrow_mut().push(InputError {
                loc: Loc::None,
                file,
                message: format!("cannot read {}: {message}", path.display()),
                warning: false,
            });
            return;
        }
    };
    let file = ev.db.borrow_mut().add(path, text.clone());
    let seg = value::Seg::Text(
        value::Str {
            text,
            map: Some(value::TextMap {
                file,
                checkpoints: vec![(0, 0)],
            }),
        },
        Loc::span(file, 0, 0),
    );
    match json::parse(&json::Holed::new(&[seg])) {
        Ok(node) => {
            let v = json::node_to_val(&node);
            if let value::VK::Map(entries) = v.kind {
                for (k, x) in entries {
                    root.inputs.borrow_mut().insert(k.text.to_string(), x);
                }
            }
        }
        Err(e) => ev.errors.borrow_mut().push(InputError {
            loc: e.loc,
            file,
            message: e.message,
            warning: false,
        }),
    }
}

/// A variable given as text (`--var`, `TF_VAR_`): a string unless the variable's type says it is
/// something else, in which case the text is HCL, as Terraform reads it.
fn raw_var(ev: &Ev, root: &Rc<Inst>, name: &str, text: &str) -> Val {
    let ty = root
        .src
        .variables
        .iter()
        .find(|b| b.label(0) == name)
        .and_then(|b| b.block.body.get_attribute("type").map(|a| a.value.clone()));
    let is_string = match &ty {
        None => true,
        Some(hcl_edit::expr::Expression::Variable(v)) => v.as_str() == "string",
        Some(_) => false,
    };
    if is_string {
        return Val::str(text, Loc::None);
    }
    // The text gets a file of its own so that spans inside it stay valid.
    let shown: std::sync::Arc<str> = text.into();
    let file = ev
        .db
        .borrow_mut()
        .add(format!("<variable {name}>"), shown.clone());
    ev.texts.borrow_mut().insert(file, shown);
    match hcl::expr(text) {
        Ok(e) => {
            let cx = Cx {
                scope: Scope::new(root.clone()),
                file,
            };
            ev.eval(&e, &cx, 0)
        }
        Err(e) => Val::unknown(
            format!(
                "the value of variable `{name}` is not valid HCL: {}",
                e.message
            ),
            Loc::None,
        ),
    }
}
