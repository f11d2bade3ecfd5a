//! Reads the inputs, recognizes each file's format by content, and turns it into the model.
//!
//! Everything format-specific ends here: the rest of repl-lint sees only [`Model`].

pub mod cfn;
pub mod discover;
pub mod plan;
pub mod policy_file;
pub mod terraform;
pub mod text;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::model::{InputError, Model};
use crate::source::{FileId, FileKind, Loc, SourceDb};

/// What the user told us about the inputs.
#[derive(Clone, Debug, Default)]
pub struct LoadOptions {
    /// `--account NAME=ID`: NAME is a Terraform provider configuration key (`aws`, `aws.backup`)
    /// or a CloudFormation template file name / stack name.
    pub accounts: BTreeMap<String, String>,
    /// `--var-file` (Terraform).
    pub var_files: Vec<PathBuf>,
    /// `--var k=v` (Terraform).
    pub vars: Vec<(String, String)>,
    /// `--parameters FILE` (CloudFormation).
    pub parameter_files: Vec<PathBuf>,
    /// `--param K=V` (CloudFormation).
    pub params: Vec<(String, String)>,
    /// `--region NAME=REGION`: the region of a CloudFormation template (file name or stem, or
    /// CDK stack name); `AWS::Region` stays unknown without it.
    pub regions: BTreeMap<String, String>,
}

/// One input as the user gave it.
#[derive(Clone, Debug)]
pub enum Input {
    Path(PathBuf),
    /// Standard input (`-`), already read.
    Stdin(Vec<u8>),
}

/// Loads every input into one model. Unreadable or unparsable files become input errors; the
/// other files are still loaded.
///
/// Files are read, and plans and policy files parsed, in parallel; file ids and the order of
/// the model's entries are those of a one-by-one load in input order, so the findings do not
/// depend on timing.
pub fn load(inputs: &[Input], options: &LoadOptions, db: &mut SourceDb) -> Model {
    let mut model = Model::default();
    let mut units = Vec::new();
    for input in inputs {
        match input {
            Input::Stdin(bytes) => units.push(discover::Unit::File {
                path: PathBuf::from("-"),
                bytes: Some(bytes.clone()),
            }),
            Input::Path(path) => discover::discover(path, &mut units, &mut model, db),
        }
    }
    let texts: Vec<Option<Result<Arc<str>, String>>> = units
        .par_iter_mut()
        .map(|unit| match unit {
            discover::Unit::File { path, bytes } => Some(read(path, bytes.take())),
            discover::Unit::CfnStack(stack) => Some(read(&stack.template, None)),
            discover::Unit::TerraformModule { .. } => None,
        })
        .collect();
    // CloudFormation templates load together at the end: one stack's `Fn::ImportValue` reads
    // another's exports.
    let mut templates = Vec::new();
    let mut steps = Vec::with_capacity(units.len());
    for (unit, text) in units.into_iter().zip(texts) {
        match (unit, text) {
            (discover::Unit::File { path, .. }, Some(text)) => {
                steps.push(add_file(&path, text, options, db, &mut templates))
            }
            (discover::Unit::CfnStack(stack), Some(text)) => {
                let info = stack.info(options);
                steps.push(add_cfn_stack(
                    &stack.template,
                    text,
                    info,
                    db,
                    &mut templates,
                ))
            }
            (discover::Unit::TerraformModule { dir, files }, _) => {
                let mut module = Model::default();
                load_terraform_module(&dir, &files, options, db, &mut module);
                steps.push(Step::Loaded(Box::new(module)));
            }
            (_, None) => {}
        }
    }
    let db: &SourceDb = db;
    if let [Step::Parse(file, kind)] = steps.as_slice() {
        // One large plan is the common case: load it in place rather than into a model of its
        // own that is then copied.
        load_text(*file, *kind, options, db, &mut model);
    } else {
        let loaded: Vec<Model> = steps
            .into_par_iter()
            .map(|step| match step {
                Step::Parse(file, kind) => {
                    let mut one = Model::default();
                    load_text(file, kind, options, db, &mut one);
                    one
                }
                Step::Loaded(one) => *one,
            })
            .collect();
        for one in loaded {
            model.merge(one);
        }
    }
    model.merge(cfn::load_all(&templates, options, db));
    model
}

/// What is left to do for one unit once its text is in the source database.
enum Step {
    Parse(FileId, FileKind),
    /// Loaded already (Terraform modules, which read their own files), or an input error.
    Loaded(Box<Model>),
}

fn read(path: &Path, bytes: Option<Vec<u8>>) -> Result<Arc<str>, String> {
    match bytes {
        Some(bytes) => text::decode_owned(bytes).map(Arc::from),
        None => match text::read_shared(path) {
            Ok(text) => text,
            Err(e) => Err(format!("cannot read {}: {e}", path.display())),
        },
    }
}

fn unreadable(path: &Path, message: String, db: &mut SourceDb) -> Step {
    let file = db.add(path, "");
    let mut model = Model::default();
    model.input_errors.push(InputError {
        loc: Loc::None,
        file,
        message,
        warning: false,
    });
    Step::Loaded(Box::new(model))
}

fn add_file(
    path: &Path,
    text: Result<Arc<str>, String>,
    options: &LoadOptions,
    db: &mut SourceDb,
    templates: &mut Vec<cfn::Pending>,
) -> Step {
    let text = match text {
        Ok(t) => t,
        Err(message) => return unreadable(path, message, db),
    };
    let kind = text::sniff(path, &text);
    let file = db.add(path, text);
    match kind {
        FileKind::CloudFormationJson | FileKind::CloudFormationYaml => {
            templates.push(cfn::Pending::file(file, path, db.text(file), kind, options));
            Step::Loaded(Box::default())
        }
        _ => Step::Parse(file, kind),
    }
}

/// Loads one file whose text is already in `db`.
pub fn load_text(
    file: FileId,
    kind: FileKind,
    options: &LoadOptions,
    db: &SourceDb,
    model: &mut Model,
) {
    let text = db.text(file);
    match kind {
        FileKind::Plan => plan::load_onto(file, text, options, model),
        FileKind::Policy => model.merge(policy_file::load(file, text)),
        FileKind::CloudFormationJson | FileKind::CloudFormationYaml => {
            model.merge(cfn::load(file, db.path(file), text, kind, options))
        }
        FileKind::Terraform | FileKind::TfVars => {}
        FileKind::Other => model.input_errors.push(InputError {
            loc: Loc::span(file, 0, text.len().min(1)),
            file,
            message: "not a Terraform plan, Terraform configuration, CloudFormation template or policy document"
                .into(),
            warning: false,
        }),
    }
}

/// A template of a CDK assembly, with the account and region its manifest gives.
fn add_cfn_stack(
    path: &Path,
    text: Result<Arc<str>, String>,
    stack: cfn::StackInfo,
    db: &mut SourceDb,
    templates: &mut Vec<cfn::Pending>,
) -> Step {
    let text = match text {
        Ok(t) => t,
        Err(message) => return unreadable(path, message, db),
    };
    let kind = match text::sniff(path, &text) {
        k @ (FileKind::CloudFormationJson | FileKind::CloudFormationYaml) => k,
        _ => FileKind::CloudFormationJson,
    };
    let file = db.add(path, text);
    templates.push(cfn::Pending { file, kind, stack });
    Step::Loaded(Box::default())
}

fn load_terraform_module(
    dir: &Path,
    files: &[PathBuf],
    options: &LoadOptions,
    db: &mut SourceDb,
    model: &mut Model,
) {
    terraform::load_module(dir, files, options, db, model);
}
