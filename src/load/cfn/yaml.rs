//! CloudFormation's reading of YAML: short-form intrinsic tags, YAML 1.1-style scalars, and
//! bounded aliases, turned into the same [`Node`] shape a JSON template gives.
//!
//! `!Ref X` becomes the one-key map `{Ref: X}` and `!Sub s` becomes `{Fn::Sub: s}`, exactly as
//! the long forms read, so the evaluator has a single input shape. The key's span is the tag and
//! the map's span is the tagged node.

use std::collections::{HashMap, HashSet};

use crate::model::InputError;
use crate::source::{FileId, Loc, Span};
use crate::syntax::yaml::{Style, YamlNode, YamlTag, YamlValue};
use crate::syntax::{Key, Node, NodeKind};

/// Short forms CloudFormation accepts; everything but `!Ref` and `!Condition` reads as `Fn::X`.
const SHORT_FORMS: &[&str] = &[
    "Ref",
    "Condition",
    "GetAtt",
    "Sub",
    "Join",
    "If",
    "Select",
    "Split",
    "FindInMap",
    "ImportValue",
    "Base64",
    "Cidr",
    "GetAZs",
    "Equals",
    "Not",
    "And",
    "Or",
    "Length",
    "ToJsonString",
    "Transform",
];

/// Nodes that alias expansion may add in total. Real templates repeat a few small blocks; a
/// billion-laughs document hits this after a few levels, before any real memory is used.
pub const ALIAS_BUDGET: usize = 100_000;

pub struct Converted {
    pub root: Node,
    /// Warnings about YAML that CloudFormation treats differently (unknown tags, aliases).
    pub warnings: Vec<InputError>,
}

/// Converts the first document of a stream. An error stops the file (alias bomb).
pub fn convert(docs: &[YamlNode], file: FileId) -> Result<Converted, InputError> {
    let mut conv = Conv {
        file,
        warnings: Vec::new(),
        anchors: HashMap::new(),
        created: 0,
        aliased: 0,
    };
    let Some(first) = docs.first() else {
        return Err(InputError {
            loc: Loc::span(file, 0, 0),
            file,
            message: "the template is empty".into(),
            warning: false,
        });
    };
    if let Some(second) = docs.get(1) {
        conv.warn(
            second.full,
            "a template holds one YAML document; the documents after the first are ignored",
        );
    }
    let root = conv.node(first)?;
    Ok(Converted {
        root,
        warnings: conv.warnings,
    })
}

struct Conv {
    file: FileId,
    warnings: Vec<InputError>,
    /// Converted anchored nodes and their size in nodes.
    anchors: HashMap<usize, (Node, usize)>,
    created: usize,
    aliased: usize,
}

impl Conv {
    fn warn(&mut self, span: Span, message: impl Into<String>) {
        self.warnings.push(InputError {
            loc: Loc::Span(span),
            file: self.file,
            message: message.into(),
            warning: true,
        });
    }

    fn node(&mut self, y: &YamlNode) -> Result<Node, InputError> {
        let before = self.created;
        let node = self.tagged(y)?;
        if y.anchor != 0 {
            let size = self.created - before;
            self.anchors.insert(y.anchor, (node.clone(), size));
        }
        Ok(node)
    }

    fn tagged(&mut self, y: &YamlNode) -> Result<Node, InputError> {
        let Some(tag) = &y.tag else {
            return self.untagged(y, None);
        };
        if tag.handle == "!" && SHORT_FORMS.contains(&tag.suffix.as_str()) {
            let name = match tag.suffix.as_str() {
                "Ref" | "Condition" => tag.suffix.clone(),
                other => format!("Fn::{other}"),
            };
            let inner = self.untagged(y, None)?;
            self.created += 1;
            let key = Key {
                text: name.into(),
                loc: Loc::Span(tag.span),
            };
            return Ok(Node::new(
                NodeKind::Map(vec![(key, inner)]),
                Loc::Span(y.full),
            ));
        }
        if tag.handle == "tag:yaml.org,2002:" {
            return match tag.suffix.as_str() {
                "str" | "int" | "float" | "bool" | "null" | "map" | "seq" => {
                    self.untagged(y, Some(tag.suffix.as_str()))
                }
                other => {
                    self.warn(
                        tag.span,
                        format!("CloudFormation does not support the YAML tag !!{other}; read as plain value"),
                    );
                    self.untagged(y, None)
                }
            };
        }
        if tag.handle.is_empty() && tag.suffix == "!" {
            // `! text`: the non-specific tag forces a string.
            return self.untagged(y, Some("str"));
        }
        let shown = tag.display();
        self.unknown_tag(tag, &shown);
        self.created += 1;
        Ok(Node::unknown(
            format!(
                "the YAML tag {shown} is not a CloudFormation intrinsic; its value is not known"
            ),
            Loc::Span(y.full),
        ))
    }

    fn unknown_tag(&mut self, tag: &YamlTag, shown: &str) {
        self.warn(
            tag.span,
            format!(
                "unknown YAML tag {shown}: not a CloudFormation intrinsic function (a preprocessor \
                 such as rain or a macro must expand it first); its value is treated as unknown"
            ),
        );
    }

    fn untagged(&mut self, y: &YamlNode, core: Option<&str>) -> Result<Node, InputError> {
        self.created += 1;
        let loc = Loc::Span(y.span);
        match &y.value {
            YamlValue::Scalar(text, style) => Ok(Node::new(scalar(text, *style, core), loc)),
            YamlValue::Seq(items) => {
                let mut out = Vec::with_capacity(items.len());
                for item in items {
                    out.push(self.node(item)?);
                }
                Ok(Node::new(NodeKind::List(out), loc))
            }
            YamlValue::Map(entries) => {
                let mut out = Vec::with_capacity(entries.len());
                let mut seen: HashSet<&str> = HashSet::new();
                for (k, v) in entries {
                    let YamlValue::Scalar(text, _) = &k.value else {
                        self.warn(
                            k.full,
                            "a mapping key that is not a plain text is not valid in a template; entry ignored",
                        );
                        continue;
                    };
                    if text == "<<" && k.value == YamlValue::Scalar("<<".into(), Style::Plain) {
                        self.warn(
                            k.span,
                            "CloudFormation does not support YAML merge keys (<<); read as an ordinary key",
                        );
                    }
                    if !seen.insert(text.as_str()) {
                        self.warn(
                            k.span,
                            format!(
                                "duplicate key {text}: CloudFormation rejects templates with duplicate keys; the first one is used"
                            ),
                        );
                    }
                    let value = self.node(v)?;
                    out.push((
                        Key {
                            text: text.as_str().into(),
                            loc: Loc::Span(k.span),
                        },
                        value,
                    ));
                }
                Ok(Node::new(NodeKind::Map(out), loc))
            }
            YamlValue::Alias(id) => self.alias(*id, y.full),
        }
    }

    fn alias(&mut self, id: usize, span: Span) -> Result<Node, InputError> {
        if self.aliased == 0 {
            self.warn(
                span,
                "CloudFormation does not document YAML aliases (*name); expanded here, but the \
                 deployment may reject the template",
            );
        }
        let Some((node, size)) = self.anchors.get(&id) else {
            return Err(self.error(span, "an alias refers to an anchor that is not defined"));
        };
        let size = *size;
        if self.aliased + size > ALIAS_BUDGET {
            return Err(self.error(
                span,
                &format!(
                    "YAML aliases expand to more than {ALIAS_BUDGET} nodes (a billion-laughs \
                     document?); the template is not read"
                ),
            ));
        }
        let mut node = node.clone();
        node.loc = Loc::Span(span);
        self.aliased += size;
        self.created += size;
        Ok(node)
    }

    fn error(&self, span: Span, message: &str) -> InputError {
        InputError {
            loc: Loc::Span(span),
            file: self.file,
            message: message.to_string(),
            warning: false,
        }
    }
}

/// Resolves a scalar the way CloudFormation reads it. Dates, `yes` and `no` stay text:
/// CloudFormation keeps `Version: 2012-10-17` as the string, and a boolean property reads its
/// string value itself.
fn scalar(text: &str, style: Style, core: Option<&str>) -> NodeKind {
    match core {
        Some("str") => return NodeKind::Str(text.into()),
        Some("null") => return NodeKind::Null,
        Some("bool") => {
            if let Some(b) = yaml_bool(text) {
                return NodeKind::Bool(b);
            }
        }
        Some("int" | "float") => return NodeKind::Number(text.into()),
        _ => {}
    }
    if !style.is_plain() {
        return NodeKind::Str(text.into());
    }
    match text {
        "" | "~" | "null" | "Null" | "NULL" => NodeKind::Null,
        "true" | "True" | "TRUE" => NodeKind::Bool(true),
        "false" | "False" | "FALSE" => NodeKind::Bool(false),
        _ if is_number(text) => NodeKind::Number(text.into()),
        _ => NodeKind::Str(text.into()),
    }
}

/// YAML 1.1 boolean spellings, for properties that expect a boolean.
pub fn yaml_bool(text: &str) -> Option<bool> {
    match text.to_ascii_lowercase().as_str() {
        "true" | "yes" | "y" | "on" => Some(true),
        "false" | "no" | "n" | "off" => Some(false),
        _ => None,
    }
}

fn is_number(text: &str) -> bool {
    let t = text.strip_prefix(['-', '+']).unwrap_or(text);
    if t.is_empty() {
        return false;
    }
    if let Some(hex) = t.strip_prefix("0x") {
        return !hex.is_empty() && hex.bytes().all(|b| b.is_ascii_hexdigit());
    }
    if let Some(oct) = t.strip_prefix("0o") {
        return !oct.is_empty() && oct.bytes().all(|b| (b'0'..=b'7').contains(&b));
    }
    if matches!(t, ".inf" | ".Inf" | ".INF") || matches!(text, ".nan" | ".NaN" | ".NAN") {
        return true;
    }
    let (mantissa, exponent) = match t.find(['e', 'E']) {
        Some(i) => (&t[..i], Some(&t[i + 1..])),
        None => (t, None),
    };
    let mut digits = 0;
    let mut dots = 0;
    for b in mantissa.bytes() {
        match b {
            b'0'..=b'9' => digits += 1,
            b'.' => dots += 1,
            _ => return false,
        }
    }
    if digits == 0 || dots > 1 {
        return false;
    }
    match exponent {
        None => true,
        Some(e) => {
            let e = e.strip_prefix(['-', '+']).unwrap_or(e);
            !e.is_empty() && e.bytes().all(|b| b.is_ascii_digit())
        }
    }
}

/// Maps offsets of a decoded YAML string back to the file: the decoded text is aligned with the
/// raw scalar, and a checkpoint is recorded wherever the raw text skips something (quotes,
/// indentation, escapes, the header of a block scalar).
pub fn aligned_checkpoints(raw: &str, raw_start: u32, decoded: &str) -> Vec<(u32, u32)> {
    // How far ahead to look for the next decoded byte before giving up on aligning it.
    const LOOKAHEAD: usize = 64;
    let raw = raw.as_bytes();
    let dec = decoded.as_bytes();
    let mut checkpoints = Vec::new();
    let mut r = 0usize;
    let mut in_sync = false;
    for (i, &b) in dec.iter().enumerate() {
        if raw.get(r) == Some(&b) {
            if !in_sync {
                checkpoints.push((i as u32, raw_start + r as u32));
                in_sync = true;
            }
            r += 1;
            continue;
        }
        let found = raw
            .get(r..(r + LOOKAHEAD).min(raw.len()))
            .and_then(|w| w.iter().position(|&c| c == b));
        match found {
            Some(skip) => {
                r += skip;
                checkpoints.push((i as u32, raw_start + r as u32));
                in_sync = true;
                r += 1;
            }
            None => {
                checkpoints.push((i as u32, raw_start + r.min(raw.len()) as u32));
                in_sync = false;
            }
        }
    }
    if checkpoints.is_empty() {
        checkpoints.push((0, raw_start));
    }
    checkpoints
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers() {
        for n in ["1", "-2", "3.5", "1e3", "0x1F", ".5", "12345678901"] {
            assert!(is_number(n), "{n}");
        }
        for s in ["2012-10-17", "1.2.3", "e3", "-", "0x", "1e", "abc"] {
            assert!(!is_number(s), "{s}");
        }
    }

    #[test]
    fn alignment_skips_quotes_and_escapes() {
        let raw = "\"a\\\"b\"";
        let cps = aligned_checkpoints(raw, 10, "a\"b");
        // 'a' at 11, '"' at 13 (after the backslash), 'b' at 14.
        let map = |d: u32| {
            let (dd, rr) = cps.iter().rev().find(|c| c.0 <= d).copied().unwrap();
            rr + (d - dd)
        };
        assert_eq!(map(0), 11);
        assert_eq!(map(1), 13);
        assert_eq!(map(2), 14);
    }
}
