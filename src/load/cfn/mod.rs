//! CloudFormation templates (JSON and YAML) into the model.
//!
//! Logical ids are qualified by the template: a resource `Bucket` of `source.yaml` has the
//! address `source:Bucket` (origin.address and reference targets alike), so two stacks given
//! together do not collide. The qualifier is the file name without `.json`/`.yaml`/`.yml`/
//! `.template` (and without the `.template` CDK adds), or the stack name from a CDK assembly.
//!
//! A reference to a resource is `Reference { target: "<qualifier>:<LogicalId>", attr }` where
//! `attr` is the `Fn::GetAtt` attribute (`Arn`), or empty for what `Ref` returns: the name of a
//! bucket or role, the id of a key, the ARN of a managed policy, the id of an Organizations policy.
//! A model item never refers to itself: what AWS assigns (a key's id, a generated name) is
//! `Value::Unknown`, and the graph derives ARNs from names where AWS does.

pub mod cdk;
mod intrinsics;
mod params;
mod resources;
mod yaml;

use std::path::Path;

use crate::load::LoadOptions;
use crate::model::{InputError, Model};
use crate::source::{FileId, FileKind, Loc};
use crate::syntax::Node;

pub use intrinsics::Param;

/// What is known about the stack a template is deployed as.
#[derive(Clone, Debug, Default)]
pub struct StackInfo {
    /// Qualifies logical ids and names the template in messages and `--account` hints.
    pub name: String,
    /// The stack name when known (CDK assemblies); `AWS::StackName` is unknown otherwise.
    pub stack_name: Option<String>,
    pub account: Option<String>,
    pub region: Option<String>,
}

impl StackInfo {
    /// The stack of a template file: `--account`/`--region` keyed by the file name or its stem.
    pub fn from_path(path: &Path, options: &LoadOptions) -> StackInfo {
        let file_name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("template")
            .to_string();
        let name = stem(&file_name);
        let full_stem = path
            .file_stem()
            .and_then(|n| n.to_str())
            .unwrap_or(&file_name)
            .to_string();
        let lookup = |map: &std::collections::BTreeMap<String, String>| {
            [&file_name, &full_stem, &name]
                .into_iter()
                .find_map(|k| map.get(k.as_str()).cloned())
        };
        StackInfo {
            account: lookup(&options.accounts),
            region: lookup(&options.regions),
            name,
            stack_name: None,
        }
    }

    pub fn qualify(&self, logical: &str) -> String {
        format!("{}:{logical}", self.name)
    }

    pub fn partition(&self) -> &'static str {
        match self.region.as_deref() {
            Some(r) if r.starts_with("cn-") => "aws-cn",
            Some(r) if r.starts_with("us-gov-") => "aws-us-gov",
            Some(r) if r.starts_with("us-iso-") => "aws-iso",
            Some(r) if r.starts_with("us-isob-") => "aws-iso-b",
            _ => "aws",
        }
    }

    pub fn account_why(&self) -> String {
        format!(
            "the account of stack {0} is not known: pass --account {0}=ID",
            self.name
        )
    }

    pub fn region_why(&self) -> String {
        format!(
            "the region of stack {0} is not known: pass --region {0}=REGION",
            self.name
        )
    }
}

/// The file name without the extensions templates use.
fn stem(file_name: &str) -> String {
    let mut s = file_name;
    for ext in [".json", ".yaml", ".yml", ".template", ".txt"] {
        if let Some(rest) = s.strip_suffix(ext) {
            s = rest;
            break;
        }
    }
    let s = s.strip_suffix(".template").unwrap_or(s);
    if s.is_empty() {
        "template".into()
    } else {
        s.to_string()
    }
}

/// A warning found while reading a template, attributed to the template's file.
#[derive(Clone, Debug)]
pub struct TemplateDiag {
    pub loc: Loc,
    pub message: String,
}

/// Loads one template file.
pub fn load(file: FileId, path: &Path, text: &str, kind: FileKind, options: &LoadOptions) -> Model {
    let stack = StackInfo::from_path(path, options);
    load_stack(file, text, kind, options, &stack)
}

/// Loads one template as the given stack.
pub fn load_stack(
    file: FileId,
    text: &str,
    kind: FileKind,
    options: &LoadOptions,
    stack: &StackInfo,
) -> Model {
    let mut model = Model::default();
    let root = match parse(file, text, kind) {
        Ok((root, warnings)) => {
            model.input_errors.extend(warnings);
            root
        }
        Err(e) => {
            model.input_errors.push(e);
            return model;
        }
    };
    let mut diags = Vec::new();
    let given = params::given(&options.parameter_files, &options.params, &mut diags);
    let resources = root.get("Resources");
    match resources {
        Some(r) if matches!(r.kind, crate::syntax::NodeKind::Map(_)) => {
            let params = params::resolve(root.get("Parameters"), &given, &stack.name);
            let ev = intrinsics::Evaluator::new(stack, params, &root);
            resources::emit(&ev, file, text, kind, &root, &mut model);
            diags.extend(ev.diags.into_inner());
        }
        _ => model.input_errors.push(InputError {
            loc: resources.map_or(Loc::span(file, 0, 0), |r| r.loc.clone()),
            file,
            message: "a CloudFormation template needs a Resources object".into(),
            warning: false,
        }),
    }
    model
        .input_errors
        .extend(diags.into_iter().map(|d| InputError {
            loc: d.loc,
            file,
            message: d.message,
            warning: true,
        }));
    model
}

/// Parses a template into a node tree where YAML short forms read like their long forms.
/// Returns the tree and warnings, or the error that stops the file.
pub fn parse(
    file: FileId,
    text: &str,
    kind: FileKind,
) -> Result<(Node, Vec<InputError>), InputError> {
    if kind == FileKind::CloudFormationJson {
        let root = crate::syntax::json::parse(text, file).map_err(|e| InputError {
            loc: e.loc,
            file,
            message: format!("invalid JSON: {}", e.message),
            warning: false,
        })?;
        let mut warnings = Vec::new();
        duplicate_keys(&root, file, &mut warnings, 0);
        return template_root(root, file).map(|root| (root, warnings));
    }
    let docs = crate::syntax::yaml::parse(text, file).map_err(|e| InputError {
        loc: Loc::Span(e.span),
        file,
        message: e.message,
        warning: false,
    })?;
    let converted = yaml::convert(&docs, file)?;
    template_root(converted.root, file).map(|root| (root, converted.warnings))
}

fn template_root(root: Node, file: FileId) -> Result<Node, InputError> {
    if matches!(root.kind, crate::syntax::NodeKind::Map(_)) {
        return Ok(root);
    }
    Err(InputError {
        loc: root.loc.clone(),
        file,
        message: format!(
            "a CloudFormation template is an object, found {}",
            root.type_name()
        ),
        warning: false,
    })
}

/// CloudFormation rejects duplicate keys, which a JSON reader would silently collapse.
fn duplicate_keys(node: &Node, file: FileId, out: &mut Vec<InputError>, depth: usize) {
    use crate::syntax::NodeKind;
    if depth > crate::syntax::json::MAX_DEPTH {
        return;
    }
    match &node.kind {
        NodeKind::Map(entries) => {
            let mut seen = std::collections::HashSet::new();
            for (k, v) in entries {
                if !seen.insert(&*k.text) {
                    out.push(InputError {
                        loc: k.loc.clone(),
                        file,
                        message: format!(
                            "duplicate key {}: CloudFormation rejects templates with duplicate keys; the first one is used",
                            k.text
                        ),
                        warning: true,
                    });
                }
                duplicate_keys(v, file, out, depth + 1);
            }
        }
        NodeKind::List(items) => {
            for item in items {
                duplicate_keys(item, file, out, depth + 1);
            }
        }
        _ => {}
    }
}
