//! Templates inside templates: an `AWS::CloudFormation::StackSet` whose `TemplateBody` is a
//! literal string holds a whole second template. It is read like a file of its own, with its
//! spans mapped back into the outer file so that findings point at the inner text.

use std::collections::HashMap;

use super::intrinsics::{Evaluator, Param};
use super::yaml::aligned_checkpoints;
use super::{StackInfo, Template};
use crate::model::{InputError, Model};
use crate::source::{FileKind, Loc, Span};
use crate::syntax::{Node, NodeKind};

/// Stack sets inside stack sets are followed this deep.
pub const MAX_NESTING: usize = 2;

pub(super) fn stack_sets(
    outer: &Template<'_>,
    ev: &Evaluator<'_>,
    depth: usize,
    model: &mut Model,
) {
    let Some(resources) = outer.root.get("Resources") else {
        return;
    };
    for (key, decl) in resources.entries() {
        if decl.get("Type").and_then(Node::as_str) != Some("AWS::CloudFormation::StackSet") {
            continue;
        }
        let Some(props) = decl.get("Properties") else {
            continue;
        };
        let Some(body) = props.get("TemplateBody") else {
            continue;
        };
        let name = format!("{}.{}", ev.stack.name, key.text);
        let (NodeKind::Str(inner), Loc::Span(span)) = (&body.kind, &body.loc) else {
            model.notes.push(InputError {
                loc: body.loc.clone(),
                file: outer.file,
                message: format!(
                    "the template of stack set {name} is not a literal string; it is not checked"
                ),
                warning: true,
            });
            continue;
        };
        let raw = outer
            .text
            .get(span.start as usize..span.end as usize)
            .unwrap_or("");
        let checkpoints = aligned_checkpoints(raw, span.start, inner);
        let map = |d: u32| map_offset(&checkpoints, d);
        let kind = if inner.trim_start().starts_with('{') {
            FileKind::CloudFormationJson
        } else {
            FileKind::CloudFormationYaml
        };
        let (mut root, warnings) = match super::parse(outer.file, inner, kind) {
            Ok(parsed) => parsed,
            Err(mut e) => {
                remap_loc(&mut e.loc, &map);
                e.message = format!("in the template of stack set {name}: {}", e.message);
                model.input_errors.push(e);
                continue;
            }
        };
        remap(&mut root, &map, 0);
        model.input_errors.extend(warnings.into_iter().map(|mut w| {
            remap_loc(&mut w.loc, &map);
            w
        }));
        let stack = StackInfo {
            account: single_target(props, "Accounts")
                .or_else(|| outer.options.accounts.get(&name).cloned()),
            region: single_target(props, "Regions")
                .or_else(|| outer.options.regions.get(&name).cloned()),
            name,
            stack_name: None,
        };
        let template = Template {
            file: outer.file,
            text: outer.text,
            // Strings inside are mapped by alignment, whatever the inner format.
            kind: FileKind::CloudFormationYaml,
            root: &root,
            given: outer.given,
            options: outer.options,
            imports: outer.imports,
        };
        template.emit(&stack, overrides(props, ev), depth + 1, model);
    }
}

/// The stack set's `Parameters`, evaluated in the outer template.
fn overrides(props: &Node, ev: &Evaluator<'_>) -> HashMap<String, Param> {
    let mut out = HashMap::new();
    for item in props
        .get("Parameters")
        .and_then(Node::as_list)
        .unwrap_or(&[])
    {
        let Some(key) = item.get("ParameterKey").and_then(Node::as_str) else {
            continue;
        };
        if let Some(value) = item.get("ParameterValue").and_then(|v| ev.eval(v)) {
            let param = match value.kind {
                NodeKind::Unknown(why) => Param::Unknown(why),
                _ => Param::Value(value),
            };
            out.insert(key.to_string(), param);
        }
    }
    out
}

/// The one account (or region) a stack set deploys to, when it names exactly one literally.
fn single_target(props: &Node, what: &str) -> Option<String> {
    let mut found: Vec<&str> = Vec::new();
    for group in props
        .get("StackInstancesGroup")
        .and_then(Node::as_list)
        .unwrap_or(&[])
    {
        let list = match what {
            "Accounts" => group
                .get("DeploymentTargets")
                .and_then(|t| t.get("Accounts")),
            _ => group.get(what),
        };
        for item in list.and_then(Node::as_list).unwrap_or(&[]) {
            found.push(item.as_str()?);
        }
    }
    found.dedup();
    match found[..] {
        [one] => Some(one.to_string()),
        _ => None,
    }
}

fn map_offset(checkpoints: &[(u32, u32)], d: u32) -> u32 {
    let i = match checkpoints.binary_search_by_key(&d, |c| c.0) {
        Ok(i) => i,
        Err(0) => return checkpoints.first().map_or(d, |c| c.1),
        Err(i) => i - 1,
    };
    checkpoints.get(i).map_or(d, |&(dec, raw)| raw + (d - dec))
}

fn remap_loc(loc: &mut Loc, map: &impl Fn(u32) -> u32) {
    if let Loc::Span(span) = loc {
        let start = map(span.start);
        // The end is exclusive: map the last byte so that a span ending at a checkpoint does not
        // run into what the raw text skips there.
        let end = if span.end > span.start {
            map(span.end - 1) + 1
        } else {
            start
        };
        *span = Span {
            file: span.file,
            start,
            end: end.max(start),
        };
    }
}

fn remap(node: &mut Node, map: &impl Fn(u32) -> u32, depth: usize) {
    if depth > crate::syntax::yaml::MAX_DEPTH + 8 {
        return;
    }
    remap_loc(&mut node.loc, map);
    match &mut node.kind {
        NodeKind::Map(entries) => {
            for (k, v) in entries {
                remap_loc(&mut k.loc, map);
                remap(v, map, depth + 1);
            }
        }
        NodeKind::List(items) => {
            for item in items {
                remap(item, map, depth + 1);
            }
        }
        _ => {}
    }
}
