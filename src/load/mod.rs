//! Reads the inputs, recognizes each file's format by content, and turns it into the model.
//!
//! Everything format-specific ends here: the rest of repl-lint sees only [`Model`].

// Input reaches every line below: a panic here is a crash on someone's pull request.
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::indexing_slicing,
        clippy::panic
    )
)]

pub mod cfn;
pub mod discover;
pub mod fusion;
pub mod plan;
pub mod policy_file;
pub mod terraform;
pub mod text;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::model::{InputError, Model};
use crate::source::{FileId, FileKind, Loc, SourceDb, SourceText};

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
    let mut units = without_repeats(units);
    let texts: Vec<Option<Result<SourceText, text::ReadError>>> = units
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
    // Terraform root modules are evaluated one at a time, in input order (the evaluator adds
    // the files it meets to the source database); the next module's files are parsed on the
    // other cores meanwhile.
    let module_files: Vec<Vec<PathBuf>> = units
        .iter()
        .filter_map(|unit| match unit {
            discover::Unit::TerraformModule { files, .. } => Some(files.clone()),
            _ => None,
        })
        .collect();
    let mut modules_ahead = module_files.iter();
    let mut prepared_next = modules_ahead
        .next()
        .map(|files| terraform::prepare(files))
        .unwrap_or_default();
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
                let prepared = std::mem::take(&mut prepared_next);
                let next = modules_ahead.next();
                let (ahead, ()) = rayon::join(
                    || next.map(|files| terraform::prepare(files)),
                    || load_terraform_module(&dir, &files, prepared, options, db, &mut module),
                );
                prepared_next = ahead.unwrap_or_default();
                steps.push(Step::Loaded(
                    Box::new(module),
                    fusion::UnitKind::TerraformRoot,
                ));
            }
            (_, None) => {}
        }
    }
    let db: &SourceDb = db;
    if let [Step::Parse(file, kind)] = steps.as_slice() {
        // One large plan is the common case: load it in place rather than into a model of its
        // own that is then copied (nothing to fuse it with).
        load_text(*file, *kind, options, db, &mut model);
    } else {
        // Each unit keeps a model of its own until plans are fused with their sources.
        let mut loaded: Vec<fusion::Loaded> = steps
            .into_par_iter()
            .map(|step| match step {
                Step::Parse(file, kind) => {
                    let mut one = Model::default();
                    load_text(file, kind, options, db, &mut one);
                    let kind = match kind {
                        FileKind::Plan => fusion::UnitKind::Plan,
                        _ => fusion::UnitKind::Other,
                    };
                    fusion::Loaded { kind, model: one }
                }
                Step::Loaded(one, kind) => fusion::Loaded { kind, model: *one },
            })
            .collect();
        fusion::fuse(&mut loaded);
        for unit in loaded {
            model.merge(unit.model);
        }
    }
    model.merge(cfn::load_all(&templates, options, db));
    model
}

/// The input error for a file that could not be read or decoded. When the bytes are there, the
/// error points at the first undecodable byte, shown through a lossy decoding of the file.
pub(crate) fn unreadable(
    db: &mut SourceDb,
    path: &Path,
    bytes: Option<&[u8]>,
    message: String,
) -> InputError {
    let offset = bytes.and_then(text::invalid_utf8_offset);
    let (file, loc) = match (bytes, offset) {
        (Some(bytes), Some(offset)) => {
            let file = db.add(path, String::from_utf8_lossy(bytes).into_owned());
            (
                file,
                Loc::Span(crate::source::Span::new(file, offset, offset + 1)),
            )
        }
        _ => (db.add(path, ""), Loc::None),
    };
    InputError {
        loc,
        file,
        message,
        warning: false,
    }
}

/// A file or folder named twice (`repl-lint plan.json .` from the plan's folder) is loaded once;
/// a folder's .tf files given one by one and as the folder are one module.
fn without_repeats(units: Vec<discover::Unit>) -> Vec<discover::Unit> {
    let canonical = |p: &Path| p.canonicalize().unwrap_or_else(|_| p.to_path_buf());
    let mut files = std::collections::HashSet::new();
    let mut modules: BTreeMap<PathBuf, usize> = BTreeMap::new();
    let mut out: Vec<discover::Unit> = Vec::with_capacity(units.len());
    for unit in units {
        match unit {
            discover::Unit::File { path, bytes: None } => {
                if files.insert(canonical(&path)) {
                    out.push(discover::Unit::File { path, bytes: None });
                }
            }
            discover::Unit::TerraformModule { dir, files: tf } => {
                let key = canonical(&dir);
                let earlier = modules.get(&key).copied();
                match earlier.and_then(|i| out.get_mut(i)) {
                    Some(discover::Unit::TerraformModule { files: seen, .. }) => {
                        let seen_canonical: Vec<PathBuf> =
                            seen.iter().map(|f| canonical(f)).collect();
                        for f in tf {
                            if !seen_canonical.contains(&canonical(&f)) {
                                seen.push(f);
                            }
                        }
                    }
                    _ => {
                        modules.insert(key, out.len());
                        out.push(discover::Unit::TerraformModule { dir, files: tf });
                    }
                }
            }
            other => out.push(other),
        }
    }
    out
}

/// What is left to do for one unit once its text is in the source database.
enum Step {
    Parse(FileId, FileKind),
    /// Loaded already (Terraform modules, which read their own files), or an input error.
    Loaded(Box<Model>, fusion::UnitKind),
}

fn read(path: &Path, bytes: Option<Vec<u8>>) -> Result<SourceText, text::ReadError> {
    match bytes {
        Some(bytes) => text::decode_shared(bytes),
        None => text::read_shared(path),
    }
}

/// The step of a file that could not be read or decoded: an input error, at the first bad byte
/// when there is one.
fn unreadable_step(path: &Path, error: text::ReadError, db: &mut SourceDb) -> Step {
    let mut model = Model::default();
    model.input_errors.push(match error.undecodable {
        Some((lossy, offset)) => {
            let file = db.add(path, lossy);
            InputError {
                loc: Loc::Span(crate::source::Span::new(file, offset, offset + 1)),
                file,
                message: error.message,
                warning: false,
            }
        }
        None => unreadable(db, path, None, error.message),
    });
    Step::Loaded(Box::new(model), fusion::UnitKind::Other)
}

fn add_file(
    path: &Path,
    text: Result<SourceText, text::ReadError>,
    options: &LoadOptions,
    db: &mut SourceDb,
    templates: &mut Vec<cfn::Pending>,
) -> Step {
    let text = match text {
        Ok(t) => t,
        Err(error) => return unreadable_step(path, error, db),
    };
    let kind = text::sniff(path, &text);
    let file = db.add(path, text);
    db.set_kind(file, kind);
    match kind {
        FileKind::CloudFormationJson | FileKind::CloudFormationYaml => {
            templates.push(cfn::Pending::file(file, path, db.text(file), kind, options));
            Step::Loaded(Box::default(), fusion::UnitKind::Other)
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
        FileKind::Plan => {
            let source = &db.get(file).text;
            plan::load_onto(file, text, options, model, &|range| {
                source.release_resident_range(range)
            })
        }
        FileKind::Policy => {
            let name = db
                .path(file)
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or("policy");
            model.merge(policy_file::load(file, name, text))
        }
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
    text: Result<SourceText, text::ReadError>,
    stack: cfn::StackInfo,
    db: &mut SourceDb,
    templates: &mut Vec<cfn::Pending>,
) -> Step {
    let text = match text {
        Ok(t) => t,
        Err(error) => return unreadable_step(path, error, db),
    };
    let kind = match text::sniff(path, &text) {
        k @ (FileKind::CloudFormationJson | FileKind::CloudFormationYaml) => k,
        _ => FileKind::CloudFormationJson,
    };
    let file = db.add(path, text);
    db.set_kind(file, kind);
    templates.push(cfn::Pending { file, kind, stack });
    Step::Loaded(Box::default(), fusion::UnitKind::Other)
}

fn load_terraform_module(
    dir: &Path,
    files: &[PathBuf],
    prepared: std::collections::HashMap<PathBuf, terraform::Prepared>,
    options: &LoadOptions,
    db: &mut SourceDb,
    model: &mut Model,
) {
    terraform::load_module(dir, files, prepared, options, db, model);
}
