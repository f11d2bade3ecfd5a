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
mod nested;
mod params;
mod resources;
mod yaml;

use std::collections::HashMap;
use std::path::Path;

use rayon::prelude::*;

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
    /// Errors are for input the user must fix (an unreadable parameters file).
    pub warning: bool,
}

/// A template to load, with the stack it is deployed as.
#[derive(Clone, Debug)]
pub struct Pending {
    pub file: FileId,
    pub kind: FileKind,
    pub stack: StackInfo,
}

impl Pending {
    /// A template file as sniffed; its stack comes from `--account`/`--region` by file name.
    pub fn file(
        file: FileId,
        path: &Path,
        text: &str,
        kind: FileKind,
        options: &LoadOptions,
    ) -> Pending {
        // A YAML template in flow style starts with `{` like JSON does; CloudFormation reads any
        // template that is not JSON as YAML, so only a `.json` file is held to strict JSON.
        let is_json_file = path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("json"));
        let kind = if kind == FileKind::CloudFormationJson
            && !is_json_file
            && crate::syntax::json::parse(text, file).is_err()
        {
            FileKind::CloudFormationYaml
        } else {
            kind
        };
        Pending {
            file,
            kind,
            stack: StackInfo::from_path(path, options),
        }
    }
}

/// Loads one template file.
pub fn load(file: FileId, path: &Path, text: &str, kind: FileKind, options: &LoadOptions) -> Model {
    let pending = Pending::file(file, path, text, kind, options);
    load_texts(&[(pending, text)], options)
}

/// Loads one template as the given stack.
pub fn load_stack(
    file: FileId,
    text: &str,
    kind: FileKind,
    options: &LoadOptions,
    stack: &StackInfo,
) -> Model {
    let pending = Pending {
        file,
        kind,
        stack: stack.clone(),
    };
    load_texts(&[(pending, text)], options)
}

/// Loads templates together, so that `Fn::ImportValue` in one reads the `Outputs` `Export` of
/// another (a destination stack exporting its bucket ARN to the source stack).
pub fn load_all(
    templates: &[Pending],
    options: &LoadOptions,
    db: &crate::source::SourceDb,
) -> Model {
    let items: Vec<(Pending, &str)> = templates
        .iter()
        .map(|t| (t.clone(), db.text(t.file)))
        .collect();
    load_texts(&items, options)
}

fn load_texts(items: &[(Pending, &str)], options: &LoadOptions) -> Model {
    let mut model = Model::default();
    let mut diags = Vec::new();
    let given = params::given(&options.parameter_files, &options.params, &mut diags);
    if let Some((first, _)) = items.first() {
        push_diags(&mut model, first.file, diags);
    }
    let mut parsed = Vec::new();
    // Templates parse in parallel; the results are taken in input order.
    let results: Vec<_> = items
        .par_iter()
        .map(|(pending, text)| parse(pending.file, text, pending.kind))
        .collect();
    for ((pending, text), result) in items.iter().zip(results) {
        match result {
            Ok((root, warnings)) => {
                model.input_errors.extend(warnings);
                parsed.push((pending, *text, root));
            }
            Err(e) => model.input_errors.push(e),
        }
    }
    // A template's `Rules` may pin the account and region it deploys to; `--account` and
    // `--region` still win.
    let stacks: Vec<StackInfo> = parsed
        .iter()
        .map(|(pending, _, root)| pinned(&pending.stack, root))
        .collect();
    let parsed: Vec<_> = parsed
        .iter()
        .zip(&stacks)
        .map(|((pending, text, root), stack)| (*pending, stack, *text, root))
        .collect();
    let no_imports = HashMap::new();
    let mut exports = HashMap::new();
    for (pending, stack, text, root) in &parsed {
        let template = Template {
            file: pending.file,
            text,
            kind: pending.kind,
            root,
            given: &given,
            options,
            imports: &no_imports,
        };
        template.exports(stack, &mut exports);
    }
    for (pending, stack, text, root) in &parsed {
        let template = Template {
            file: pending.file,
            text,
            kind: pending.kind,
            root,
            given: &given,
            options,
            imports: &exports,
        };
        template.emit(stack, HashMap::new(), 0, &mut model);
    }
    model
}

/// The stack with the account and region its template's `Rules` pin when they are not given:
/// an unconditional assertion `Fn::Equals` of `Ref AWS::AccountId` (or `AWS::Region`) and a
/// literal, the way a template refuses to deploy anywhere else.
fn pinned(stack: &StackInfo, root: &Node) -> StackInfo {
    let mut stack = stack.clone();
    let Some(rules) = root.get("Rules") else {
        return stack;
    };
    for (_, rule) in rules.entries() {
        if rule.get("RuleCondition").is_some() {
            continue;
        }
        let assertions = rule
            .get("Assertions")
            .and_then(Node::as_list)
            .unwrap_or(&[]);
        for assertion in assertions {
            let Some([a, b]) = assertion
                .get("Assert")
                .and_then(|e| e.get("Fn::Equals"))
                .and_then(Node::as_list)
                .and_then(|l| <&[Node; 2]>::try_from(l).ok())
            else {
                continue;
            };
            for (r, literal) in [(a, b), (b, a)] {
                let (Some(pseudo), Some(value)) =
                    (r.get("Ref").and_then(Node::as_str), literal.as_str())
                else {
                    continue;
                };
                match pseudo {
                    "AWS::AccountId" if stack.account.is_none() => {
                        stack.account = Some(value.to_string())
                    }
                    "AWS::Region" if stack.region.is_none() => {
                        stack.region = Some(value.to_string())
                    }
                    _ => {}
                }
            }
        }
    }
    stack
}

/// One parsed template with what its evaluation needs.
struct Template<'a> {
    file: FileId,
    /// The text of the file; spans of nested templates are mapped into it.
    text: &'a str,
    kind: FileKind,
    root: &'a Node,
    given: &'a HashMap<String, String>,
    options: &'a LoadOptions,
    /// Exported values of the templates loaded together, by export name.
    imports: &'a HashMap<String, Node>,
}

impl<'a> Template<'a> {
    fn evaluator(
        &self,
        stack: &'a StackInfo,
        overrides: HashMap<String, Param>,
    ) -> intrinsics::Evaluator<'a> {
        let mut params = params::resolve(self.root.get("Parameters"), self.given);
        for (name, value) in overrides {
            if params.contains_key(&name) {
                params.insert(name, value);
            }
        }
        intrinsics::Evaluator::new(stack, params, self.root, self.imports)
    }

    /// Adds the template's exported outputs whose names are known.
    fn exports(&self, stack: &'a StackInfo, out: &mut HashMap<String, Node>) {
        let Some(outputs) = self.root.get("Outputs") else {
            return;
        };
        let ev = self.evaluator(stack, HashMap::new());
        for (_, output) in outputs.entries() {
            let name = output
                .get("Export")
                .and_then(|e| e.get("Name"))
                .and_then(|n| ev.eval(n))
                .and_then(|n| intrinsics::known_text(&n));
            let value = output.get("Value").and_then(|v| ev.eval(v));
            if let (Some(name), Some(value)) = (name, value) {
                out.entry(name).or_insert(value);
            }
        }
    }

    /// Evaluates and emits the template's resources; `overrides` are parameter values set by an
    /// enclosing template (a stack set's `Parameters`).
    fn emit(
        &self,
        stack: &'a StackInfo,
        overrides: HashMap<String, Param>,
        depth: usize,
        model: &mut Model,
    ) {
        let resources = self.root.get("Resources");
        if !resources.is_some_and(|r| matches!(r.kind, crate::syntax::NodeKind::Map(_))) {
            model.input_errors.push(InputError {
                loc: resources.map_or(Loc::span(self.file, 0, 0), |r| r.loc.clone()),
                file: self.file,
                message: "a CloudFormation template needs a Resources object".into(),
                warning: false,
            });
            return;
        }
        if let Some(transform) = self.root.get("Transform") {
            model.notes.push(InputError {
                loc: transform.loc.clone(),
                file: self.file,
                message: format!(
                    "template {} uses a transform (macro); the resources it generates are not checked: pass the processed template instead",
                    stack.name
                ),
                warning: true,
            });
        }
        let ev = self.evaluator(stack, overrides);
        resources::emit(&ev, self.file, self.text, self.kind, self.root, model);
        if depth < nested::MAX_NESTING {
            nested::stack_sets(self, &ev, depth, model);
        }
        push_diags(model, self.file, ev.diags.into_inner());
    }
}

fn push_diags(model: &mut Model, file: FileId, diags: Vec<TemplateDiag>) {
    model
        .input_errors
        .extend(diags.into_iter().map(|d| InputError {
            loc: d.loc,
            file,
            message: d.message,
            warning: d.warning,
        }));
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
