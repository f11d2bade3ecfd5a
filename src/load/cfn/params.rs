//! Template parameters: values from `--param K=V`, `--parameters FILE` and defaults.

use std::collections::HashMap;
use std::path::Path;

use super::TemplateDiag;
use super::intrinsics::{Param, known_text};
use crate::source::Loc;
use crate::syntax::{Node, NodeKind, Why};

/// Values given on the command line, by parameter name. Later sources win: files in order,
/// then `--param`.
pub fn given(
    files: &[impl AsRef<Path>],
    params: &[(String, String)],
    diags: &mut Vec<TemplateDiag>,
) -> HashMap<String, String> {
    let mut out = HashMap::new();
    for path in files {
        let path = path.as_ref();
        match crate::load::text::read_input(path).and_then(|b| crate::load::text::decode(&b)) {
            Ok(text) => match parse_file(&text) {
                Ok(values) => out.extend(values),
                Err(e) => diags.push(TemplateDiag {
                    loc: Loc::None,
                    message: format!("cannot read parameters file {}: {e}", path.display()),
                    warning: false,
                }),
            },
            Err(e) => diags.push(TemplateDiag {
                loc: Loc::None,
                message: format!("cannot read parameters file {}: {e}", path.display()),
                warning: false,
            }),
        }
    }
    out.extend(params.iter().cloned());
    out
}

/// The CLI's `[{"ParameterKey": K, "ParameterValue": V}]`, CodePipeline's
/// `{"Parameters": {K: V}}`, or a plain `{K: V}` object.
fn parse_file(text: &str) -> Result<Vec<(String, String)>, String> {
    let value: serde_json::Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
    let scalar = |v: &serde_json::Value| match v {
        serde_json::Value::String(s) => Some(s.clone()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        serde_json::Value::Bool(b) => Some(b.to_string()),
        _ => None,
    };
    match &value {
        serde_json::Value::Array(items) => {
            let mut out = Vec::new();
            for item in items {
                let key = item.get("ParameterKey").and_then(|k| k.as_str());
                let val = item.get("ParameterValue").and_then(scalar);
                match (key, val) {
                    (Some(k), Some(v)) => out.push((k.to_string(), v)),
                    // UsePreviousValue and friends: the value lives in the deployed stack.
                    (Some(_), None) => {}
                    _ => {
                        return Err("expected ParameterKey and ParameterValue in every item".into());
                    }
                }
            }
            Ok(out)
        }
        serde_json::Value::Object(map) => {
            let map = match map.get("Parameters") {
                Some(serde_json::Value::Object(inner)) => inner,
                _ => map,
            };
            Ok(map
                .iter()
                .filter_map(|(k, v)| Some((k.clone(), scalar(v)?)))
                .collect())
        }
        _ => Err("expected a list of ParameterKey/ParameterValue objects".into()),
    }
}

/// The value of every parameter the template declares.
pub fn resolve(declared: Option<&Node>, given: &HashMap<String, String>) -> HashMap<String, Param> {
    let mut out = HashMap::new();
    let Some(declared) = declared else {
        return out;
    };
    for (key, decl) in declared.entries() {
        let name = &*key.text;
        let ty = decl.get("Type").and_then(Node::as_str).unwrap_or("String");
        if ty.starts_with("AWS::SSM::Parameter::Value<") {
            out.insert(
                name.to_string(),
                Param::Unknown(Why::new(format!(
                    "parameter {name} is read from SSM Parameter Store at deploy time"
                ))),
            );
            continue;
        }
        let is_list = ty == "CommaDelimitedList" || ty.starts_with("List<");
        let value = match given.get(name) {
            Some(v) => Some(Node::str(v.as_str(), Loc::None)),
            None => decl.get("Default").cloned(),
        };
        let param = match value {
            None => Param::Unknown(Why::new(format!(
                "parameter {name} has no value: pass --param {name}=VALUE"
            ))),
            Some(v) if is_list => match (&v.kind, known_text(&v)) {
                (NodeKind::List(_), _) => Param::Value(v),
                (_, Some(text)) => Param::Value(Node::new(
                    NodeKind::List(
                        text.split(',')
                            .map(|p| Node::str(p.trim(), v.loc.clone()))
                            .collect(),
                    ),
                    v.loc.clone(),
                )),
                _ => Param::Value(v),
            },
            Some(v) => Param::Value(v),
        };
        out.insert(name.to_string(), param);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameter_file_formats() {
        let cli = r#"[{"ParameterKey":"A","ParameterValue":"1"},{"ParameterKey":"B","UsePreviousValue":true}]"#;
        assert_eq!(parse_file(cli).unwrap(), vec![("A".into(), "1".into())]);
        let pipeline = r#"{"Parameters":{"A":"x"}}"#;
        assert_eq!(
            parse_file(pipeline).unwrap(),
            vec![("A".into(), "x".into())]
        );
        assert!(parse_file("[1]").is_err());
    }
}
